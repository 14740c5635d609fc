/**
 * The bulk decision path for `docker:` and `docker-daemon:` references without signature evidence: the same answer
 * as parse (alltransports.ParseImageName) + requirementsForImageRef + IsRunningImageAllowed, with the work done once
 * per repository and once per deciding list instead of once per reference.
 *
 * - **Parsing.** A lean scan splits `name[:tag]` / `name@digest`. The name part is parsed by the exact transport
 *   parser the first time it is seen (reference/transports/docker.ts, docker-daemon.ts); later references with the
 *   same name part and a tag (or digest) that the scan itself validates reuse that result. This is the same
 *   acceptance as the exact parser: after normalisation (`reference.ParseNormalizedNamed`) the name always has an
 *   explicit domain, so a `:` after the last `/` can only start the tag, and neither the domain split, the lower-case
 *   check nor the name length depend on the tag. Anything unusual (no tag on docker-daemon, both tag and digest,
 *   `@@unknown-digest@@`, a digest go-digest refuses, a tag the scan does not accept, a daemon `algo:hex` id) is
 *   left to the exact parser.
 * - **Scope lookup** (`(*PolicyContext).requirementsForImageRef`): the identity (`name:tag`, `name@digest`) is one
 *   Map lookup per reference; the namespaces (`PolicyConfigurationNamespaces`) depend on the repository alone, so
 *   the first matching namespace is found once per repository.
 * - **Evaluation** without signatures (`IsRunningImageAllowed` on an unsigned image: `prSignedBy` /
 *   `prSigstoreSigned` find no signature, `prReject` names the image, `prInsecureAcceptAnything` accepts) depends on
 *   the deciding list and, only through `prReject`'s message, on `transports.ImageName`. It is computed once per
 *   deciding list with a placeholder image name, and the message split around it (checked to split exactly).
 *
 * Used by the bulk records (fast-record.ts, record-template.ts: a deciding plan gives the list, its verdict and scope);
 * `decide()` itself takes fast-decide.ts (one scan of the text, nothing remembered per repository), which shares
 * {@link IMAGE_NAME_PLACEHOLDER} and {@link splitAround} with this module.
 *
 * Only for simulators without evidence (`options.evidence`); the caller checks that.
 */
import type { Requirement, ScopeEntry } from "../ir/types.js";
import type { DockerReference } from "../reference/docker-reference.js";
import { familiarName as familiarNameOf, isValidTag, validateDigest } from "../reference/docker-reference.js";
import { leanNormalizedName } from "../reference/lean-name.js";
import { dockerNamespaces } from "../reference/policy-configuration.js";
import { parseImageReference, type ImageReference } from "../reference/image-reference.js";
import { decideRequirements } from "./evaluate.js";
import type { DecidingScope } from "./scope-lookup.js";
import type { Simulator } from "./types.js";

/** A placeholder image name: what a decision says about the image is split around it (see {@link splitAround}). */
export const IMAGE_NAME_PLACEHOLDER = "\u0001imagetrust:image-name\u0001";

/**
 * `build(placeholder)` split around `marker` (the placeholder as the built text spells it: itself, or JSON-escaped):
 * the parts a later `parts.join(v)` turns into `build(v)` for any `v` the text spells as itself. Undefined when the
 * split is not exact (the built text contains the marker by itself, e.g. a scope that spells it).
 */
export function splitAround(build: (value: string) => string, placeholder: string, marker = placeholder): string[] | undefined {
  const parts = build(placeholder).split(marker);
  return parts.join("") === build("") ? parts : undefined;
}

/** What a repository (transport + name part of the text) gives every reference of it. */
export interface RepositoryPlan {
  transport: "docker" | "docker-daemon";
  /** The normalized repository (`domain/path`) and its familiar form (upstream `FamiliarName`). */
  domain: string;
  path: string;
  name: string;
  familiarName: string;
  /** `PolicyConfigurationNamespaces()`, most specific first (shared, read-only). */
  namespaces: readonly string[];
  /** The transport's scopes, when the policy has a section for it. */
  scopes: ReadonlyMap<string, ScopeEntry> | undefined;
  /** The deciding entry when the identity is not a scope: the first namespace that is, else the transport default. */
  namespaceEntry: ScopeEntry | undefined;
  /** How many namespaces were tried when the identity is not a scope (all of them when none matched). */
  namespacesTried: number;
  /** Whether some scope of the transport names an identity of this repository (`name:tag`, `name@digest`). */
  identityScopes: boolean;
  /** Per-repository memo of the record path (fast-record.ts). */
  record?: unknown;
}

/** One reference as the lean path sees it. */
export interface LeanReference {
  repo: RepositoryPlan;
  tag: string | undefined;
  digest: string | undefined;
  /** `PolicyConfigurationIdentity()`: `name:tag` or `name@digest`. */
  identity: string;
}

/** A deciding list prepared once: the decision without signatures, split around the image name. */
export interface DecidingPlan {
  transport: string;
  entry: ScopeEntry | undefined;
  scope: DecidingScope | null;
  requirements: readonly Requirement[];
  /** The verdict of the list on an unsigned image (it does not depend on the image name). */
  allowed: boolean;
}

/** The per-simulator state of the fast path. */
export interface FastPath {
  sim: Simulator;
  /** Repositories by name part: docker, docker name-only, docker-daemon, docker-daemon name-only. */
  repositories: [Map<string, RepositoryPlan>, Map<string, RepositoryPlan>, Map<string, RepositoryPlan>, Map<string, RepositoryPlan>];
  /** Deciding plans by transport, then by entry (undefined key: the global default). */
  deciding: Map<string, Map<ScopeEntry | undefined, DecidingPlan>>;
  /** Per transport: the repositories some scope names an identity of (others need no identity lookup). */
  identityScopeNames: Map<string, ReadonlySet<string>>;
  /** The tag and digest of the last scanned reference (scanRepository). */
  scan: { tag: string | undefined; digest: string | undefined };
}

/**
 * Repositories remembered per simulator and form, at most (cleared when full: memory stays flat). Small on purpose: a
 * fleet repeats a repository close together, a miss costs only the lean scan (~2 µs), and entries that die young stay
 * out of the old generation (measured on 285,000 decisions: 1,024 entries 148 MB peak RSS, 4,096 entries 245 MB and
 * more GC time; the CLI over 100,000 references: 256 entries 152 MB, 1,024 entries 202-220 MB).
 */
const REPOSITORY_LIMIT = 256;
const fastPaths = new WeakMap<Simulator, FastPath>();

/** The fast-path state of a simulator (made on first use). */
export function fastPathOf(sim: Simulator): FastPath {
  let f = fastPaths.get(sim);
  if (f === undefined) fastPaths.set(sim, (f = { sim, repositories: [new Map(), new Map(), new Map(), new Map()], deciding: new Map(), identityScopeNames: new Map(), scan: { tag: undefined, digest: undefined } }));
  return f;
}

/**
 * The lean reading of `input` (`docker://…` or `docker-daemon:…`), or undefined when the exact parser must
 * decide (anything unusual, or a reference that does not parse).
 */
export function leanReference(fast: FastPath, input: string): LeanReference | undefined {
  const repo = scanRepository(fast, input);
  if (repo === undefined) return undefined;
  const { tag, digest } = fast.scan;
  return { repo, tag, digest, identity: leanIdentity(repo, tag, digest) };
}

/** `PolicyConfigurationIdentity()` of a reference of `repo`: `name:tag` or `name@digest`. */
function leanIdentity(repo: RepositoryPlan, tag: string | undefined, digest: string | undefined): string {
  return digest !== undefined ? repo.name + "@" + digest : repo.name + ":" + tag;
}

/**
 * The repository of `input` (see {@link leanReference}); its tag (`latest` for a name-only docker reference) and
 * digest are left in `fast.scan` until the next call.
 */
function scanRepository(fast: FastPath, input: string): RepositoryPlan | undefined {
  let transport: "docker" | "docker-daemon";
  let rest: string;
  if (input.startsWith("docker://")) {
    transport = "docker";
    rest = input.slice(9);
  } else if (input.startsWith("docker-daemon:")) {
    transport = "docker-daemon";
    rest = input.slice(14);
  } else return undefined;
  if (rest.length === 0 || rest.length > 1024) return undefined;
  let name: string;
  let tag: string | undefined;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  const slash = rest.lastIndexOf("/");
  if (at !== -1) {
    if (rest.indexOf("@", at + 1) !== -1) return undefined;
    name = rest.slice(0, at);
    digest = rest.slice(at + 1);
    if (name.lastIndexOf(":") > name.lastIndexOf("/") || validateDigest(digest) !== undefined) return undefined;
  } else {
    const colon = rest.lastIndexOf(":");
    if (colon > slash) {
      name = rest.slice(0, colon);
      tag = rest.slice(colon + 1);
      if (!isValidTag(tag)) return undefined;
    } else {
      // docker adds "latest"; docker-daemon refuses a name-only reference (the exact parser says so).
      if (transport === "docker-daemon") return undefined;
      name = rest;
    }
  }
  // A docker-daemon image id (`sha256:<hex>`, or another algorithm it refuses) is no repository.
  if (transport === "docker-daemon" && slash === -1 && validateDigest(rest) === undefined) return undefined;
  // One map per transport and form (a name-only reference is its own form: "latest" is added, and the exact parser
  // refuses a 64-hex name only then): sliced keys, no concatenation per reference.
  const bare = tag === undefined && digest === undefined;
  const map = fast.repositories[(transport === "docker" ? 0 : 2) + (bare ? 1 : 0)];
  let repo = map.get(name);
  if (repo === undefined) {
    // A name-only reference is read by the exact parser (it refuses a 64-hex name only in that form).
    repo = (bare ? undefined : leanRepositoryPlan(fast, transport, name)) ?? repositoryPlan(fast, transport, input, tag, digest);
    if (repo === undefined) return undefined;
    if (map.size >= REPOSITORY_LIMIT) map.clear();
    map.set(name, repo);
  }
  fast.scan.tag = bare ? "latest" : tag;
  fast.scan.digest = digest;
  return repo;
}

/** Characters of a parsed repository name (all JSON-safe: records splice them without escaping). */
const NAME_CHARS = /^[A-Za-z0-9._:/-]+$/;

/**
 * The repository plan of a common name read by the lean scanner (reference/lean-name.ts), with upstream's
 * `FamiliarName`, `PolicyConfigurationNamespaces` and the namespace lookup of `requirementsForImageRef`; undefined
 * when the scanner does not decide.
 */
function leanRepositoryPlan(fast: FastPath, transport: "docker" | "docker-daemon", text: string): RepositoryPlan | undefined {
  const n = leanNormalizedName(text);
  if (n === undefined) return undefined;
  const name = n.domain + "/" + n.path;
  const familiarName = familiarNameOf(n);
  // daemon.ParseReference reserves the repository name "sha256" (the exact parser says so).
  if (transport === "docker-daemon" && familiarName === "sha256") return undefined;
  const namespaces = dockerNamespaces(n);
  return { transport, domain: n.domain, path: n.path, name, familiarName, namespaces, ...namespaceLookup(fast, transport, namespaces) };
}

/** The first namespace that is a scope of the transport (else its default), and how many were tried. */
function namespaceLookup(
  fast: FastPath,
  transport: string,
  namespaces: readonly string[],
): Pick<RepositoryPlan, "scopes" | "namespaceEntry" | "namespacesTried" | "identityScopes"> {
  const scopes = fast.sim.index.scopesOf(transport);
  let namespaceEntry: ScopeEntry | undefined;
  let tried = 0;
  if (scopes !== undefined) {
    for (const ns of namespaces) {
      tried++;
      namespaceEntry = scopes.get(ns);
      if (namespaceEntry !== undefined) break;
    }
    namespaceEntry ??= scopes.get("");
  }
  return { scopes, namespaceEntry, namespacesTried: tried, identityScopes: scopes !== undefined && identityScopeNames(fast, transport).has(namespaces[0]) };
}

/** The repository names (`name` of `name:tag`, `name@digest`) of a transport's scopes that name an identity. */
function identityScopeNames(fast: FastPath, transport: string): ReadonlySet<string> {
  let names = fast.identityScopeNames.get(transport);
  if (names === undefined) {
    const set = new Set<string>();
    names = set;
    // forEach, not for-of: run once, unoptimised, over every scope (no iterator result per scope).
    fast.sim.index.scopesOf(transport)?.forEach((_, scope) => {
      const at = scope.indexOf("@");
      const colon = scope.lastIndexOf(":");
      if (at !== -1) set.add(scope.slice(0, at));
      else if (colon > scope.lastIndexOf("/")) set.add(scope.slice(0, colon));
    });
    fast.identityScopeNames.set(transport, names);
  }
  return names;
}

/** The repository plan from the exact parse of the first reference of it (undefined: leave it to the exact path). */
function repositoryPlan(fast: FastPath, transport: "docker" | "docker-daemon", input: string, tag: string | undefined, digest: string | undefined): RepositoryPlan | undefined {
  const parsed = parseImageReference(input, fast.sim.options.parse);
  if (!parsed.ok) return undefined;
  const ref = parsed.ref;
  const d = ref.dockerReference;
  // The scan and the exact parser must agree on the pieces (docker adds "latest" to a name-only reference).
  if (d === undefined || ref.transport !== transport || ref.unknownDigest) return undefined;
  if (d.digest !== digest || d.tag !== (tag === undefined && digest === undefined ? "latest" : tag)) return undefined;
  const name = d.domain === "" ? d.path : d.domain + "/" + d.path;
  if (!NAME_CHARS.test(name)) return undefined;
  const suffix = digest !== undefined ? "@" + digest : ":" + d.tag;
  const within = ref.withinTransport;
  const familiar = within.slice(transport === "docker" ? 2 : 0, within.length - suffix.length);
  if (ref.identity !== name + suffix || ref.imageName !== transport + ":" + (transport === "docker" ? "//" : "") + familiar + suffix) return undefined;
  return {
    transport,
    domain: d.domain,
    path: d.path,
    name,
    familiarName: familiar,
    namespaces: ref.namespaces,
    ...namespaceLookup(fast, transport, ref.namespaces),
  };
}


/**
 * The scope named by the reference's identity (`name:tag`, `name@digest`), when there is one; the identity is looked up
 * only where some scope names an identity of this repository (else no lookup can match).
 */
export function identityEntry(repo: RepositoryPlan, tag: string | undefined, digest: string | undefined): ScopeEntry | undefined {
  return repo.identityScopes ? repo.scopes!.get(leanIdentity(repo, tag, digest)) : undefined;
}

/** The deciding plan of an entry under a transport (undefined entry: the global default). */
export function decidingPlan(fast: FastPath, transport: string, entry: ScopeEntry | undefined): DecidingPlan {
  let byEntry = fast.deciding.get(transport);
  if (byEntry === undefined) fast.deciding.set(transport, (byEntry = new Map()));
  let plan = byEntry.get(entry);
  if (plan !== undefined) return plan;
  const requirements = entry ? entry.requirements : fast.sim.options.policy.default;
  const scope: DecidingScope | null = entry ? Object.freeze({ transport, scope: entry.scope }) : null;
  // IsRunningImageAllowed on an unsigned image: only prReject's message names the image, never the verdict.
  const allowed = decideRequirements(requirements, { transport, imageName: IMAGE_NAME_PLACEHOLDER }).allowed;
  plan = { transport, entry, scope, requirements, allowed };
  byEntry.set(entry, plan);
  return plan;
}

/** `transports.ImageName` of a lean reference (`docker://` + familiar string, `docker-daemon:` + familiar string). */
export function leanImageName(lean: LeanReference): string {
  const suffix = lean.digest !== undefined ? "@" + lean.digest : ":" + lean.tag;
  return (lean.repo.transport === "docker" ? "docker://" : "docker-daemon:") + lean.repo.familiarName + suffix;
}

/** The docker reference of a lean reference (as the exact parser builds it). */
export function leanDockerReference(lean: LeanReference): DockerReference {
  return lean.digest !== undefined
    ? { domain: lean.repo.domain, path: lean.repo.path, digest: lean.digest }
    : { domain: lean.repo.domain, path: lean.repo.path, tag: lean.tag };
}

/** The exact parse of a lean reference's text, for callers that need the whole ImageReference. */
export type { ImageReference };
