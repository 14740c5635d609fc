/**
 * Using a loaded registries.conf: which `[[registry]]` applies to a name, where an image is pulled from
 * (mirrors, rewriting, blocked, insecure), and how short names resolve.
 *
 * Follows containers/image `pkg/sysregistriesv2` (`refMatchingPrefix`, `refMatchingSubdomainPrefix`,
 * `FindRegistry`, `Registry.PullSourcesFromReference`, `Endpoint.rewriteReference`), the per-attempt
 * checks of `docker/docker_image_src.go` (`newImageSource`) and `docker/docker_client.go`
 * (`newDockerClient`: blocked / insecure on the rewritten reference), and `pkg/shortnames` (`Resolve`,
 * `ResolveLocally`).
 */
import { goQuote } from "../util/go-quote.js";
import {
  parseNamed,
  parseNormalizedNamed,
  parseReference,
  referenceName,
  referenceString,
  tagNameOnly,
  type DockerReference,
} from "../reference/docker-reference.js";
import type { RegistriesConf, RegistryEndpoint, RegistryEntry, ShortNameAlias, ShortNameMode } from "./types.js";

/**
 * Upstream `refMatchingPrefix`: the length of `prefix` in `ref` when the prefix matches (at a `:`, `/`, `@`
 * boundary or the whole string; wildcard prefixes match the first occurrence of `.domain` in the host),
 * else -1. Note `example.com` matches `example.com:5000/…` (upstream calls this unintended).
 */
export function refMatchingPrefix(ref: string, prefix: string): number {
  if (prefix.startsWith("*.")) {
    const suffix = prefix.slice(1);
    let index = ref.indexOf(suffix);
    if (index === -1) return -1;
    if (ref.slice(0, index).includes("/")) return -1;
    index += suffix.length;
    if (index === ref.length) return index;
    const c = ref[index];
    return c === ":" || c === "/" || c === "@" ? index : -1;
  }
  if (ref.length < prefix.length) return -1;
  if (ref.length === prefix.length) return ref === prefix ? prefix.length : -1;
  if (!ref.startsWith(prefix)) return -1;
  const c = ref[prefix.length];
  return c === ":" || c === "/" || c === "@" ? prefix.length : -1;
}

/**
 * Upstream `FindRegistry`: the entry with the longest matching prefix (the first of equal length in prefix
 * order), for a registry, namespace, repository or reference string that starts with a host.
 */
export function findRegistry(conf: Pick<RegistriesConf, "registries">, ref: string): RegistryEntry | undefined {
  let best: RegistryEntry | undefined;
  let bestLen = 0;
  for (const r of conf.registries) {
    if (refMatchingPrefix(ref, r.prefix) !== -1 && r.prefix.length > bestLen) {
      best = r;
      bestLen = r.prefix.length;
    }
  }
  return best;
}

/** One place an image may be pulled from, in the order the docker transport tries them. */
export interface PullSource {
  /** The endpoint's location ("" for a wildcard entry without location: the reference is used as is). */
  location: string;
  mirror: boolean;
  /** TLS verification skipped / plain HTTP allowed for this attempt. */
  insecure: boolean;
  pullFromMirror: string;
  /** The rewritten reference this attempt pulls. */
  reference: DockerReference;
  referenceString: string;
  /** When set, the attempt fails at once: the rewritten reference falls under a blocked entry. */
  blockedError?: string;
  /** The entry that blocks this attempt. */
  blockedBy?: RegistryEntry;
}

/** The result of pullSources. */
export type PullSourcesResult =
  | { ok: true; registry?: RegistryEntry; sources: PullSource[]; trail: string[] }
  | { ok: false; registry?: RegistryEntry; error: string; trail: string[] };

/** Upstream `Endpoint.rewriteReference`. */
function rewriteReference(endpoint: RegistryEndpoint, ref: DockerReference, prefix: string): { ok: true; ref: DockerReference } | { ok: false; error: string } {
  const refString = referenceString(ref);
  const prefixLen = refMatchingPrefix(refString, prefix);
  if (prefixLen === -1) return { ok: false, error: `invalid prefix '${prefix}' for reference '${refString}'` };
  if (endpoint.location === "") {
    if (!prefix.startsWith("*.")) return { ok: false, error: `invalid prefix '${prefix}' for empty location, should be in the format: *.example.com` };
    return { ok: true, ref };
  }
  const r = parseNamed(endpoint.location + refString.slice(prefixLen));
  if (!r.ok) return { ok: false, error: `rewriting reference: ${r.error}` };
  return { ok: true, ref: r.ref };
}

/**
 * Where `ref` is pulled from (upstream `newImageSource` → `PullSourcesFromReference`): mirrors first (subject
 * to mirror-by-digest-only / pull-from-mirror), then the primary location, each with its rewritten reference;
 * `blockedError` per attempt as `newDockerClient` checks it on the rewritten name. Like upstream, `ref` is
 * used as given: pass the docker transport's reference (tagged `latest` when the user gave no tag or digest).
 */
export function pullSources(conf: RegistriesConf, ref: DockerReference): PullSourcesResult {
  const trail: string[] = [];
  const name = referenceName(ref);
  const found = findRegistry(conf, name);
  let registry: RegistryEntry;
  if (found) {
    registry = found;
    trail.push(`[[registry]] prefix '${found.prefix}' (${found.file}) matches ${name}`);
  } else {
    const s = referenceString(ref);
    registry = { prefix: s, prefixWritten: false, location: s, insecure: false, pullFromMirror: "", blocked: false, mirrorByDigestOnly: false, mirrors: [], file: "" };
    trail.push(`no [[registry]] matches ${name}: pulled from where it names`);
  }
  const digested = ref.digest !== undefined;
  const endpoints: Array<{ ep: RegistryEndpoint; mirror: boolean }> = [];
  if (registry.mirrorByDigestOnly) {
    if (digested) endpoints.push(...registry.mirrors.map((ep) => ({ ep, mirror: true })));
    else if (registry.mirrors.length > 0) trail.push("mirror-by-digest-only: mirrors skipped for a reference without digest");
  } else {
    for (const m of registry.mirrors) {
      if (m.pullFromMirror === "digest-only" && !digested) {
        trail.push(`mirror ${m.location} skipped: pull-from-mirror = "digest-only"`);
        continue;
      }
      if (m.pullFromMirror === "tag-only" && digested) {
        trail.push(`mirror ${m.location} skipped: pull-from-mirror = "tag-only"`);
        continue;
      }
      endpoints.push({ ep: m, mirror: true });
    }
  }
  endpoints.push({ ep: registry, mirror: false });
  const sources: PullSource[] = [];
  for (const { ep, mirror } of endpoints) {
    const rw = rewriteReference(ep, ref, registry.prefix);
    if (!rw.ok) return { ok: false, registry: found, error: rw.error, trail };
    const src: PullSource = {
      location: ep.location,
      mirror,
      insecure: ep.insecure,
      pullFromMirror: ep.pullFromMirror,
      reference: rw.ref,
      referenceString: referenceString(rw.ref),
    };
    const b = findRegistry(conf, referenceName(rw.ref));
    if (b?.blocked) {
      src.blockedBy = b;
      src.blockedError = `registry ${b.prefix} is blocked in ${conf.configPath} or ${conf.configDirPath}`;
      trail.push(`${src.referenceString}: blocked by [[registry]] prefix '${b.prefix}'`);
    } else trail.push(`${mirror ? "mirror" : "primary"}: ${src.referenceString}${src.insecure ? " (insecure)" : ""}`);
    sources.push(src);
  }
  return { ok: true, registry: found, sources, trail };
}

// ----------------------------------------------------------------------------------------------------------
// Short names (pkg/shortnames)

/** Upstream `parseUnnormalizedShortName`. */
function parseUnnormalizedShortName(input: string): { ok: true; short: boolean; ref: DockerReference } | { ok: false; error: string } {
  const r = parseReference(input);
  if (!r.ok) return { ok: false, error: `cannot parse input: ${goQuote(input)}: ${r.error}` };
  const registry = r.ref.domain;
  if (registry.includes(".") || registry.includes(":") || registry === "localhost") {
    const n = parseNormalizedNamed(input);
    if (!n.ok) return { ok: false, error: `cannot normalize input: ${goQuote(input)}: ${n.error}` };
    return { ok: true, short: false, ref: n.ref };
  }
  return { ok: true, short: true, ref: r.ref };
}

/** Upstream `IsShortName` (true for `name@digest` too, contrary to its doc comment). */
export function isShortName(input: string): boolean {
  const r = parseUnnormalizedShortName(input);
  return r.ok && r.short;
}

/** Options of resolveShortName. */
export interface ResolveShortNameOptions {
  /** Overrides registries.conf's short-name-mode (upstream SystemContext.ShortNameMode). */
  mode?: ShortNameMode;
  /** The machine-generated alias cache (short-name-aliases.conf), consulted before registries.conf aliases. */
  aliasCache?: ReadonlyMap<string, ShortNameAlias>;
  /** The alias cache could not be loaded: upstream fails with this error when it gets to the alias lookup. */
  aliasCacheError?: string;
  /** Podman's Docker-compatible API: short names go to docker.io, registries.conf is ignored. */
  forceDockerHub?: boolean;
  /** Whether stdin and stdout are terminals (default false: nobody to prompt). */
  tty?: boolean;
}

/** Why the candidates are what they are (upstream `rationale`). */
export type ShortNameRationale = "none" | "alias" | "unqualified-search" | "enforced-docker-hub" | "prompt";

/** The result of resolveShortName. */
export type ShortNameResolution =
  | {
      ok: true;
      /** Fully qualified pull candidates, in order (`latest` added where neither tag nor digest was given). */
      candidates: DockerReference[];
      candidateStrings: string[];
      rationale: ShortNameRationale;
      /** Upstream `Resolved.Description()` ("" when nothing is printed). */
      description: string;
      /** The alias used, if any. */
      alias?: ShortNameAlias;
    }
  | { ok: false; error: string };

function lookupAlias(conf: RegistriesConf, name: string, cache?: ReadonlyMap<string, ShortNameAlias>): ShortNameAlias | undefined {
  return cache?.get(name) ?? conf.aliases.get(name);
}

/** Re-add the user's tag and digest to an alias value (upstream reference.WithTag / WithDigest). */
function withUserTagDigest(value: DockerReference, user: DockerReference): DockerReference {
  const out: DockerReference = { domain: value.domain, path: value.path };
  if (user.tag !== undefined) out.tag = user.tag;
  if (user.digest !== undefined) out.digest = user.digest;
  return out;
}

function finish(candidates: DockerReference[], rationale: ShortNameRationale, description: string, alias?: ShortNameAlias): ShortNameResolution {
  const c = candidates.map((x) => tagNameOnly(x));
  return { ok: true, candidates: c, candidateStrings: c.map(referenceString), rationale, description, ...(alias ? { alias } : {}) };
}

/**
 * Resolve a (possibly short) image name as Podman does (upstream `shortnames.Resolve`): fully qualified names
 * as they are; short names through an alias, else every unqualified-search registry, subject to the mode.
 * Without a TTY, `enforcing` with several candidates is an error; with `tty: true` the result has rationale
 * "prompt" (the user would choose one of the candidates).
 */
export function resolveShortName(conf: RegistriesConf, name: string, options: ResolveShortNameOptions = {}): ShortNameResolution {
  const mode = options.mode ?? conf.shortNameMode;
  const parsed = parseUnnormalizedShortName(name);
  if (!parsed.ok) return parsed;
  if (!parsed.short) return finish([parsed.ref], "none", "");
  if (options.forceDockerHub) {
    const n = parseNormalizedNamed(name);
    if (!n.ok) return { ok: false, error: `cannot normalize input: ${goQuote(name)}: ${n.error}` };
    // The user input is never stored on this path: Go prints %q of a nil reference.
    return finish([n.ref], "enforced-docker-hub", "Resolving %!q(<nil>) to docker.io (enforced by caller)");
  }
  const repo: DockerReference = { domain: parsed.ref.domain, path: parsed.ref.path };
  const repoString = referenceString(repo);
  if (options.aliasCacheError !== undefined) return { ok: false, error: options.aliasCacheError };
  const alias = lookupAlias(conf, repoString, options.aliasCache);
  if (alias?.value) {
    return finish([withUserTagDigest(alias.value, parsed.ref)], "alias", `Resolved ${goQuote(repoString)} as an alias (${alias.file})`, alias);
  }
  const search = conf.unqualifiedSearchRegistries;
  if (search.length === 0) {
    if (conf.unqualifiedSearchRegistriesOrigin !== "") {
      return {
        ok: false,
        error: `short-name ${goQuote(name)} did not resolve to an alias and no unqualified-search registries are defined in ${goQuote(conf.unqualifiedSearchRegistriesOrigin)}`,
      };
    }
    return { ok: false, error: `short-name ${goQuote(name)} did not resolve to an alias and no containers-registries.conf(5) was found` };
  }
  const candidates: DockerReference[] = [];
  for (const reg of search) {
    const n = parseNormalizedNamed(`${reg}/${name}`);
    if (!n.ok) return { ok: false, error: `creating reference with unqualified-search registry ${goQuote(reg)}: ${n.error}` };
    candidates.push(n.ref);
  }
  const description = `Resolving ${goQuote(repoString)} using unqualified-search registries (${conf.unqualifiedSearchRegistriesOrigin})`;
  if (mode === "disabled" || candidates.length === 1) return finish(candidates, "unqualified-search", description);
  if (!options.tty) {
    if (mode === "permissive") return finish(candidates, "unqualified-search", description);
    return { ok: false, error: "short-name resolution enforced but cannot prompt without a TTY" };
  }
  return finish(candidates, "prompt", description);
}

/**
 * Candidates for a name among local images (upstream `shortnames.ResolveLocally`): the alias (if any), then
 * `localhost/` and every unqualified-search registry (duplicates kept).
 */
export function resolveLocally(
  conf: RegistriesConf,
  name: string,
  options: Pick<ResolveShortNameOptions, "aliasCache" | "aliasCacheError" | "forceDockerHub"> = {},
): { ok: true; candidates: DockerReference[]; candidateStrings: string[] } | { ok: false; error: string } {
  const parsed = parseUnnormalizedShortName(name);
  if (!parsed.ok) return parsed;
  const done = (c: DockerReference[]) => {
    const t = c.map((x) => tagNameOnly(x));
    return { ok: true as const, candidates: t, candidateStrings: t.map(referenceString) };
  };
  if (!parsed.short) return done([parsed.ref]);
  const candidates: DockerReference[] = [];
  const complete = (registries: readonly string[]) => {
    for (const reg of registries) {
      const n = parseNormalizedNamed(`${reg}/${name}`);
      if (!n.ok) return { ok: false as const, error: `creating reference with unqualified-search registry ${goQuote(reg)}: ${n.error}` };
      candidates.push(n.ref);
    }
    return done(candidates);
  };
  if (options.forceDockerHub) return complete(["docker.io"]);
  const repoString = referenceString({ domain: parsed.ref.domain, path: parsed.ref.path });
  if (options.aliasCacheError !== undefined) return { ok: false, error: options.aliasCacheError };
  const alias = lookupAlias(conf, repoString, options.aliasCache);
  if (alias?.value) candidates.push(withUserTagDigest(alias.value, parsed.ref));
  return complete(["localhost", ...conf.unqualifiedSearchRegistries]);
}
