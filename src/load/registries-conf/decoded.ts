/**
 * The decoded, not yet post-processed shape of one registries.conf file (upstream's `tomlConfig` after
 * BurntSushi/toml decoding), and which sysregistriesv2 behaviour a target gets.
 */
import type { Span } from "../../source/source-file.js";
import { compareVersions, type Version } from "../../ir/versions.js";
import type { RegistryEndpoint } from "../../registries/types.js";

/** Raw decoded endpoint/registry before post-processing (an endpoint already has its final shape). */
export type RawEndpoint = RegistryEndpoint;

/** A decoded `[[registry]]` table (upstream `Registry`). */
export interface RawRegistry extends RawEndpoint {
  prefix: string;
  prefixOrigin?: Span;
  blocked: boolean;
  mirrorByDigestOnly: boolean;
  mirrors: RawEndpoint[];
}

/**
 * Which sysregistriesv2 behaviour a target gets. "5.23": Debian's 5.23.1, verified by running it. "newest":
 * container-libs main, read from the source (mirror locations trimmed, `proxy`, `additional-layer-store-auth-helper`,
 * v1/v2 detection by "any field set", vanished drop-ins skipped). The release that changed each is not known
 * to us: every target after 5.23 gets the newest behaviour.
 */
export type ConfMode = "5.23" | "newest";

/** The behaviour a target version gets (undefined = the newest). */
export function confMode(target: Version | undefined): ConfMode {
  return target !== undefined && compareVersions(target, [5, 24, 0]) < 0 ? "5.23" : "newest";
}

/** One decoded file (upstream `tomlConfig`: the v2 fields and the v1 `registries` table). */
export interface DecodedConf {
  /** Top-level fields written (for the newest v1/v2 detection, which counts `[]` and `{}` as set). */
  present?: Set<string>;
  additionalLayerStoreAuthHelper?: string;
  registries: RawRegistry[];
  unqualifiedSearchRegistries?: string[];
  unqualifiedSearchRegistriesOrigin?: Span;
  credentialHelpers?: string[];
  shortNameMode?: string;
  shortNameModeOrigin?: Span;
  aliases: Array<{ name: string; value: string; keySpan?: Span; valueSpan?: Span }>;
  v1?: { span?: Span; search?: { list: string[]; span?: Span }; insecure?: { list: string[]; span?: Span }; block?: { list: string[]; span?: Span } };
}
