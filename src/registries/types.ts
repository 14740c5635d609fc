/**
 * The model of containers-registries.conf(5) (v2), after loading and merging, following containers/image
 * `pkg/sysregistriesv2` (`V2RegistriesConf`, `Registry`, `Endpoint`, `parsedConfig`). Every value keeps the
 * file and span it came from, so findings point at the line that set them.
 */
import type { Span } from "../source/source-file.js";
import type { DockerReference } from "../reference/docker-reference.js";

/** `pull-from-mirror` values (upstream MirrorAll / MirrorByDigestOnly / MirrorByTagOnly). */
export type PullFromMirror = "all" | "digest-only" | "tag-only";

/** A registry endpoint: the primary location of a `[[registry]]` or one of its `[[registry.mirror]]`. */
export interface RegistryEndpoint {
  /** As upstream keeps it: the registry's own location has trailing `/` trimmed, a mirror's does not. */
  location: string;
  insecure: boolean;
  /** Only on mirrors; "" when unset. */
  pullFromMirror: string;
  /** The forwarding proxy URL (`proxy`, newest releases only). */
  proxy?: string;
  /** The `[[registry.mirror]]` table (or the registry's table for the primary endpoint). */
  origin?: Span;
  locationOrigin?: Span;
}

/** One `[[registry]]` entry. */
export interface RegistryEntry extends RegistryEndpoint {
  /** The prefix after defaulting to the location and trimming trailing `/`. */
  prefix: string;
  /** True when `prefix` was written (not defaulted from `location`). */
  prefixWritten: boolean;
  prefixOrigin?: Span;
  blocked: boolean;
  mirrorByDigestOnly: boolean;
  mirrors: RegistryEndpoint[];
  /** The file that defined the entry (after drop-in merging: the file whose entry won). */
  file: string;
}

/** Short-name modes (upstream types.ShortNameMode). */
export type ShortNameMode = "disabled" | "permissive" | "enforcing";

/** One short-name alias; `value` is null for an alias reset with `""`. */
export interface ShortNameAlias {
  name: string;
  value: DockerReference | null;
  /** The value as written. */
  valueText: string;
  /** The file the alias comes from (upstream's "origin description"). */
  file: string;
  origin?: Span;
}

/** One registries.conf file as parsed (upstream `parsedConfig` from `loadConfigFile`). */
export interface RegistriesConfFile {
  file: string;
  /** True when the file was in the v1 format and converted. */
  v1: boolean;
  /** Post-processed: sorted by prefix, one entry per prefix (the first one written). */
  registries: RegistryEntry[];
  /** undefined when the key is absent (matters for drop-in merging: `[]` clears, absent keeps). */
  unqualifiedSearchRegistries?: string[];
  unqualifiedSearchRegistriesOrigin?: Span;
  credentialHelpers?: string[];
  /** `additional-layer-store-auth-helper` (newest releases), undefined when unset or "". */
  additionalLayerStoreAuthHelper?: string;
  /** undefined when unset in this file. */
  shortNameMode?: ShortNameMode;
  shortNameModeOrigin?: Span;
  aliases: ShortNameAlias[];
}

/** The merged configuration of registries.conf plus its drop-ins (upstream `parsedConfig` after `tryUpdatingCache`). */
export interface RegistriesConf {
  /** Sorted by prefix, one per prefix. */
  registries: RegistryEntry[];
  unqualifiedSearchRegistries: string[];
  /** The file that set unqualified-search-registries ("" when none did). */
  unqualifiedSearchRegistriesOrigin: string;
  credentialHelpers: string[];
  /** "" when unset. */
  additionalLayerStoreAuthHelper: string;
  shortNameMode: ShortNameMode;
  /** Aliases by name (later files override earlier ones). */
  aliases: Map<string, ShortNameAlias>;
  /** Files read, in order. */
  files: string[];
  /** The description upstream uses in "blocked" messages: `<registries.conf> or <registries.conf.d>`. */
  configPath: string;
  configDirPath: string;
}
