/**
 * Where signatures of a docker image are looked up: the registries.d lookaside base URLs and whether
 * sigstore attachments are used, exactly as containers/image decides.
 *
 * Follows `docker/registries_d.go`: `SignatureStorageBaseURL` → `lookasideStorageBaseURL`,
 * `signatureTopLevel` (per-setting fall-through, spec §5.3), `useSigstoreAttachments` (independent
 * fall-through), `builtinDefaultLookasideStorageDir`, and `lookasideStorageURL` (spec §5.4); the tag of
 * sigstore attachments follows `docker/docker_image_src.go` / `internal/signature` (`sigstoreAttachmentTag`).
 */
import { redactUrl } from "./redact-url.js";
import type { Host } from "../host/host.js";
import type { RegistriesDConfig, SignatureStorage } from "../ir/types.js";
import { compareVersions, type Version } from "../ir/versions.js";
import { referenceString, tagNameOnly, type DockerReference } from "../reference/docker-reference.js";
import { dockerIdentity, dockerNamespaces } from "../reference/policy-configuration.js";
import { emptyURL, escapedPath, fromBytes, goNilResolveReference, goParseURL, goURLString, toBytes, type GoURL } from "./go-url.js";

/** The process facts upstream reads: the (rootless-aware) effective uid and `$HOME`. */
export interface LookasideEnv {
  euid?: number;
  home?: string;
  /** Where `euid` and `home` come from when not given (without a host: root, no home). */
  host?: Pick<Host, "euid" | "home">;
  /** The containers/image version to mimic (undefined = newest). */
  target?: Version;
}

/** Which configuration supplied a setting: a `docker` scope, `default-docker`, or nothing (built-in / false). */
export type LookasideSource =
  | { kind: "scope"; scope: string; file: string; key: string }
  | { kind: "default-docker"; file: string; key: string }
  | { kind: "built-in" };

/** The signature storage of one docker image reference. */
export interface SignatureStorageResult {
  /** The read base URL with the repository path appended (what `SignatureStorageBaseURL(…, false)` returns), or null on error. */
  lookasideBase: string | null;
  /** The same for writing (`SignatureStorageBaseURL(…, true)`). */
  lookasideWriteBase: string | null;
  /** The configured top-level URL strings (before the repository path), "" when the built-in default applies. */
  lookasideTopLevel: string;
  lookasideWriteTopLevel: string;
  /** Whether sigstore attachments are read/written for the reference. */
  useSigstoreAttachments: boolean;
  matched: { read: LookasideSource; write: LookasideSource; attachments: LookasideSource };
  /** Upstream's error for reading (e.g. `Invalid signature storage URL …`), if any. */
  error?: string;
  /** Upstream's error for writing, if any. */
  writeError?: string;
  /** How the decision was reached, most specific first. */
  trail: string[];
}

/** The built-in lookaside for root. */
export const DEFAULT_ROOT_LOOKASIDE = "/var/lib/containers/sigstore";
/** The built-in lookaside below `$HOME` for everyone else. */
export const DEFAULT_USER_LOOKASIDE = ".local/share/containers/sigstore";

/**
 * containers/image 5.23.1 parses the URL through a nil `*url.URL` (a local `url` shadows the package):
 * scheme-less values panic and paths get dot segments resolved. container-libs main uses `url.Parse`
 * directly; the first release with the fix is not known to us — assumed to be 5.24.
 */
const NIL_URL_FIXED_IN: Version = [5, 24, 0];

/**
 * Who runs the pull, as upstream reads it (`rootless.GetRootlessEUID()`, `homedir.Get()`): the values given, else
 * the host's; without a host, root (whose built-in lookaside needs no home). The home is read only for non-root.
 */
export function runtimeUser(env: LookasideEnv): { euid: number; home: string; target?: Version } {
  const euid = env.euid ?? env.host?.euid() ?? 0;
  const home = env.home ?? (euid === 0 ? "" : (env.host?.home() ?? ""));
  return { euid, home, target: env.target };
}

/** Go's filepath.Join(home, DEFAULT_USER_LOOKASIDE) for the common cases (clean joining). */
function joinHome(home: string): string {
  const parts = (home + "/" + DEFAULT_USER_LOOKASIDE).split("/");
  const out: string[] = [];
  for (const p of parts) {
    if (p === "" || p === ".") continue;
    if (p === "..") out.pop();
    else out.push(p);
  }
  return (home.startsWith("/") ? "/" : "") + out.join("/");
}

/** The built-in default lookaside as a URL (upstream `builtinDefaultLookasideStorageDir`). */
function builtinDefault(euid: number, home: string): GoURL {
  const p = euid !== 0 ? joinHome(home) : DEFAULT_ROOT_LOOKASIDE;
  return { ...emptyURL(), scheme: "file", path: toBytes(p) };
}

/** `registryNamespace.signatureTopLevel`: the URL a section gives for reading or writing, and its key. */
function sectionTopLevel(ns: SignatureStorage, write: boolean): { url: string; key: string } | undefined {
  if (write) {
    if (ns.lookasideStaging) return { url: ns.lookasideStaging, key: "lookaside-staging" };
    if (ns.sigstoreStaging) return { url: ns.sigstoreStaging, key: "sigstore-staging" };
  }
  if (ns.lookaside) return { url: ns.lookaside, key: "lookaside" };
  if (ns.sigstore) return { url: ns.sigstore, key: "sigstore" };
  return undefined;
}

/** The sections that can apply to `ref`, most specific first (identity, namespaces, then default-docker). */
/** Scope index per configuration (the simulator asks about many references against one configuration). */
const scopeIndex = new WeakMap<RegistriesDConfig, { entries: RegistriesDConfig["docker"]; map: Map<string, RegistriesDConfig["docker"][number]> }>();

function indexOf(config: RegistriesDConfig): Map<string, RegistriesDConfig["docker"][number]> {
  const cached = scopeIndex.get(config);
  // Rebuilt when the entry list was replaced or grew (configurations are not mutated in place otherwise).
  if (cached && cached.entries === config.docker && cached.map.size === config.docker.length) return cached.map;
  const map = new Map(config.docker.map((e) => [e.scope, e]));
  scopeIndex.set(config, { entries: config.docker, map });
  return map;
}

type Candidate = { source: "scope" | "default-docker"; scope?: string; file: string; storage: SignatureStorage };

function candidateSections(ref: DockerReference, config: RegistriesDConfig): Candidate[] {
  return candidatesByName([dockerIdentity(ref), ...dockerNamespaces(ref)], config);
}

/** The sections named `names` (most specific first) that exist, then default-docker. */
function candidatesByName(names: readonly string[], config: RegistriesDConfig): Candidate[] {
  const byScope = indexOf(config);
  const out: Candidate[] = [];
  for (const name of names) {
    const e = byScope.get(name);
    if (e) out.push({ source: "scope", scope: e.scope, file: e.file, storage: e.storage });
  }
  if (config.defaultDocker) out.push({ source: "default-docker", file: config.defaultDocker.file, storage: config.defaultDocker.storage });
  return out;
}

/** Upstream `signatureTopLevel`: the first section with a usable URL for the mode; "" when none has one. */
function topLevelFor(candidates: Candidate[], write: boolean, trail: string[]): { url: string; source: LookasideSource } {
  for (const c of candidates) {
    const t = sectionTopLevel(c.storage, write);
    const label = c.source === "scope" ? `docker scope '${c.scope}' (${c.file})` : `default-docker (${c.file})`;
    if (t) {
      trail.push(`${write ? "write" : "read"}: ${label} sets '${t.key}' = ${redactUrl(t.url)}`);
      return {
        url: t.url,
        source: c.source === "scope" ? { kind: "scope", scope: c.scope!, file: c.file, key: t.key } : { kind: "default-docker", file: c.file, key: t.key },
      };
    }
    trail.push(`${write ? "write" : "read"}: ${label} matches but has no ${write ? "write" : "read"} URL; falling through`);
  }
  return { url: "", source: { kind: "built-in" } };
}

type BaseResult = { ok: true; url: GoURL } | { ok: false; error: string };
const baseCache = new Map<string, BaseResult>();

/** The base URL object for a top-level string (or the built-in default), or upstream's error (memoised). */
function baseURL(topLevel: string, env: { euid: number; home: string; target?: Version }): BaseResult {
  const key = `${env.target?.join(".") ?? ""}\u0000${env.euid === 0 ? "" : env.home}\u0000${topLevel}`;
  let r = baseCache.get(key);
  if (!r) {
    if (baseCache.size > 4096) baseCache.clear();
    r = computeBaseURL(topLevel, env);
    baseCache.set(key, r);
  }
  // GoURL values are treated as immutable by every caller (withRepo and lookasideSignatureUrl copy).
  return r;
}

function computeBaseURL(topLevel: string, env: { euid: number; home: string; target?: Version }): BaseResult {
  if (topLevel === "") return { ok: true, url: builtinDefault(env.euid, env.home) };
  const parsed = goParseURL(topLevel);
  if (!parsed.ok) return { ok: false, error: `Invalid signature storage URL ${topLevel}: ${parsed.error}` };
  if (env.target && compareVersions(env.target, NIL_URL_FIXED_IN) < 0) {
    const r = goNilResolveReference(parsed.url);
    if (r.panics) {
      return {
        ok: false,
        error: `lookaside URL ${JSON.stringify(topLevel)} has no scheme: containers/image ${env.target.join(".")} panics (nil pointer dereference in lookasideStorageBaseURL)`,
      };
    }
    return { ok: true, url: r.url };
  }
  return { ok: true, url: parsed.url };
}

/** Upstream `lookasideStorageBaseURL` tail: append `/` + repository path (host excluded) to the URL path. */
function withRepo(url: GoURL, ref: DockerReference): GoURL {
  return { ...url, path: url.path + "/" + toBytes(ref.path) };
}

const stringCache = new WeakMap<GoURL, Map<string, string>>();

/** `SignatureStorageBaseURL(…).String()` for a base and a repository (memoised per base URL object). */
function baseString(base: GoURL, ref: DockerReference): string {
  let m = stringCache.get(base);
  if (!m) stringCache.set(base, (m = new Map()));
  let s = m.get(ref.path);
  if (s === undefined) {
    if (m.size > 4096) m.clear();
    s = goURLString(withRepo(base, ref));
    m.set(ref.path, s);
  }
  return s;
}

/** The docker transport always has a tag or a digest (`latest` added for name-only references). */
function transportRef(ref: DockerReference): DockerReference {
  return tagNameOnly(ref);
}

/**
 * Signature storage for a docker reference: read/write lookaside base URLs and use-sigstore-attachments,
 * with where each came from (upstream `SignatureStorageBaseURL` and `useSigstoreAttachments`).
 */
export function signatureStorageFor(ref: DockerReference, config: RegistriesDConfig, env: LookasideEnv = {}): SignatureStorageResult {
  const e = runtimeUser(env);
  const r = transportRef(ref);
  const trail: string[] = [];
  if (r.tag !== undefined && r.digest !== undefined) {
    // docker.ParseReference / newReference refuse these before any lookaside lookup.
    const error = "Docker references with both a tag and digest are currently not supported";
    return {
      lookasideBase: null,
      lookasideWriteBase: null,
      lookasideTopLevel: "",
      lookasideWriteTopLevel: "",
      useSigstoreAttachments: false,
      matched: { read: { kind: "built-in" }, write: { kind: "built-in" }, attachments: { kind: "built-in" } },
      error,
      writeError: error,
      trail,
    };
  }
  const candidates = candidateSections(r, config);
  const read = topLevelFor(candidates, false, trail);
  const write = topLevelFor(candidates, true, trail);
  const result: SignatureStorageResult = {
    lookasideBase: null,
    lookasideWriteBase: null,
    lookasideTopLevel: read.url,
    lookasideWriteTopLevel: write.url,
    useSigstoreAttachments: false,
    matched: { read: read.source, write: write.source, attachments: { kind: "built-in" } },
    trail,
  };
  const rb = baseURL(read.url, e);
  if (rb.ok) result.lookasideBase = baseString(rb.url, r);
  else result.error = rb.error;
  const wb = baseURL(write.url, e);
  if (wb.ok) result.lookasideWriteBase = baseString(wb.url, r);
  else result.writeError = wb.error;
  if (read.source.kind === "built-in") trail.push(`read: nothing configured for ${referenceString(r)}; built-in default ${result.lookasideBase}`);

  for (const c of candidates) {
    if (c.storage.useSigstoreAttachments !== undefined) {
      result.useSigstoreAttachments = c.storage.useSigstoreAttachments;
      result.matched.attachments =
        c.source === "scope"
          ? { kind: "scope", scope: c.scope!, file: c.file, key: "use-sigstore-attachments" }
          : { kind: "default-docker", file: c.file, key: "use-sigstore-attachments" };
      trail.push(`use-sigstore-attachments: ${c.source === "scope" ? `docker scope '${c.scope}'` : "default-docker"} sets ${c.storage.useSigstoreAttachments}`);
      break;
    }
  }
  return result;
}

/** Split `algo:hex` as go-digest does (Algorithm / Encoded). */
function splitDigest(digest: string): { algo: string; hex: string } {
  const i = digest.indexOf(":");
  return i < 0 ? { algo: digest, hex: "" } : { algo: digest.slice(0, i), hex: digest.slice(i + 1) };
}

/**
 * The URL of one lookaside signature (upstream `lookasideStorageURL` on `lookasideStorageBaseURL`):
 * `<topLevel>/<repo-path>@<algo>=<hex>/signature-<index+1>`, with query and fragment kept at the end.
 * `topLevel` is the configured string ("" for the built-in default); `index` counts from 0 as upstream does.
 */
export function lookasideSignatureUrl(
  topLevel: string,
  ref: DockerReference,
  digest: string,
  index: number,
  env: LookasideEnv = {},
): { ok: true; url: string; scheme: string; filePath?: string } | { ok: false; error: string } {
  const b = baseURL(topLevel, runtimeUser(env));
  if (!b.ok) return b;
  const base = withRepo(b.url, ref);
  const { algo, hex } = splitDigest(digest);
  const sig: GoURL = { ...base, path: `${base.path}@${toBytes(algo)}=${toBytes(hex)}/signature-${index + 1}` };
  const out: { ok: true; url: string; scheme: string; filePath?: string } = { ok: true, url: goURLString(sig), scheme: sig.scheme };
  // The file: transport reads url.Path, whatever the URL's string form is (e.g. opaque `file:relative`).
  if (sig.scheme === "file") out.filePath = fromBytes(sig.path);
  return out;
}

/** The manifest tag under which sigstore signatures are attached: `sha256-<hex>.sig`. */
export function sigstoreAttachmentTag(digest: string): string {
  const { algo, hex } = splitDigest(digest);
  return `${algo}-${hex}.sig`;
}

/** The escaped path of a URL string as Go would send it (useful to explain `//` in lookaside URLs). */
export function lookasideUrlPath(url: string): string | undefined {
  const p = goParseURL(url);
  return p.ok ? fromBytes(escapedPath(p.url)) : undefined;
}

/** Where signatures are read for the images of a policy scope (no particular reference), see {@link signatureStorageForScope}. */
export interface ScopeSignatureStorage {
  /** The configured read URL ("" for the built-in default). */
  lookasideTopLevel: string;
  read: LookasideSource;
  useSigstoreAttachments: boolean;
  attachments: LookasideSource;
}

/**
 * The read lookaside and use-sigstore-attachments for the images of a docker policy scope: the registries.d sections
 * named by the scope and each parent namespace (`a/b/c`, `a/b`, `a`), then default-docker — the candidates upstream
 * `signatureTopLevel` / `useSigstoreAttachments` walk for every reference inside that scope (a section for a narrower
 * namespace below the scope can still differ for some of its images). `scope` undefined: a transport or global
 * default (only default-docker applies to every reference).
 */
export function signatureStorageForScope(scope: string | undefined, config: RegistriesDConfig): ScopeSignatureStorage {
  const names: string[] = [];
  if (scope !== undefined && scope !== "") {
    let s = scope;
    names.push(s);
    while (s.includes("/")) {
      s = s.slice(0, s.lastIndexOf("/"));
      names.push(s);
    }
  }
  const candidates = candidatesByName(names, config);
  const read = topLevelFor(candidates, false, []);
  const out: ScopeSignatureStorage = { lookasideTopLevel: read.url, read: read.source, useSigstoreAttachments: false, attachments: { kind: "built-in" } };
  for (const c of candidates) {
    if (c.storage.useSigstoreAttachments !== undefined) {
      out.useSigstoreAttachments = c.storage.useSigstoreAttachments;
      out.attachments =
        c.source === "scope" ? { kind: "scope", scope: c.scope!, file: c.file, key: "use-sigstore-attachments" } : { kind: "default-docker", file: c.file, key: "use-sigstore-attachments" };
      break;
    }
  }
  return out;
}
