/**
 * `decide()` for `docker://…` and `docker-daemon:…` references without signature evidence, in one scan of the text:
 * the same answer as alltransports.ParseImageName + `(*PolicyContext).requirementsForImageRef` +
 * IsRunningImageAllowed, without building the parsed reference, its namespace list or any substring.
 *
 * - **Parsing** (`reference.ParseNormalizedNamed` via docker.ParseReference / daemon.ParseReference): the text is
 *   split at `@` (digest) or the last `:` after the last `/` (tag); the first component is a domain when it has `.`
 *   or `:` or is `localhost` (`splitDockerDomain`), checked against `DomainRegexp`, the path components against the
 *   lower-case path-component grammar (as reference/lean-name.ts reads them; here one pass with the hashing), the
 *   name against `NameTotalLengthMax`, the tag against `anchoredTagRegexp`, a digest only in its common form
 *   (`sha256:` + 64 lower-case hex). Anything else — other digest algorithms, tag and digest
 *   together, `@@unknown-digest@@`, upper case, a daemon `algo:hex` id, a name-only daemon reference, a name-only
 *   64-hex name, the reserved daemon repository `sha256` — is left to the exact parser (undefined).
 * - **Normalisation** is a prefix: the normalized name is `P + text[from, to)` with P one of "", `docker.io/`,
 *   `docker.io/library/` (a docker.io name written without its domain or with `index.docker.io`).
 * - **Scope lookup** (`requirementsForImageRef`, keys compared exactly): the identity (`name:tag`, `name@digest`,
 *   `name:latest` for a name-only docker reference), then `PolicyConfigurationNamespaces`
 *   (docker/policyconfiguration `DockerReferenceNamespaces`: the repository, each parent down to host[:port], then
 *   `*.` + each dot-suffix of the port-less host), then the transport's `""`, else the global default. Each
 *   candidate is probed in a {@link ScopeTable} with a hash computed while scanning.
 * - **Evaluation** without signatures is done once per deciding list, with a placeholder for the image name (only
 *   `prReject`'s message names it); lists that answer alike share one template.
 *
 * Nothing is remembered per reference: memory is the policy's.
 */
import type { Requirement, ScopeEntry } from "../ir/types.js";
import { NAME_TOTAL_LENGTH_MAX, validateDigest } from "../reference/docker-reference.js";
import { decideRequirements } from "./evaluate.js";
import { type FastPath, IMAGE_NAME_PLACEHOLDER, splitAround } from "./fast-path.js";
import type { DecidingScope } from "./scope-lookup.js";
import { HASH_SEED, hashStep, hashString, ScopeTable } from "./scope-table.js";
import type { Decision } from "./types.js";
import { emptyScan, type TextScan } from "./text-scan.js";
export type { TextScan } from "./text-scan.js";

const DOCKER_IO = "docker.io/";
const DOCKER_IO_LIBRARY = "docker.io/library/";
const LATEST = ":latest";
const STAR_DOT = "*.";
const H_DOCKER_IO = hashString(DOCKER_IO);
const H_DOCKER_IO_LIBRARY = hashString(DOCKER_IO_LIBRARY);
const H_STAR_DOT = hashString(STAR_DOT);

/** What one transport's decisions need, prepared once. */
export interface TransportDecider {
  transport: "docker" | "docker-daemon";
  /** `docker://` or `docker-daemon:`: the text before the reference. */
  prefix: string;
  /** The transport's scopes; undefined when the policy has no section for it (the global default decides). */
  table: ScopeTable | undefined;
  /**
   * The decision templates: a few distinct answers, however many scopes (a slot's table note is its template's index
   * + 1, set on first use), so that the hot ones stay in cache.
   */
  templates: Template[];
  templateIndex: Map<string, number>;
  /** The deciding scope of a slot's entry (set with its note). */
  scopes: (DecidingScope | null)[];
  /** The template and scope when no key matched: the transport's `""` scope, else the global default. */
  fallback: Template;
  fallbackScope: DecidingScope | null;
  /** What decides a docker.io name no in-text namespace matched: behind `docker.io/library/`, behind `docker.io/`. */
  dockerIoNamespaces: [EntryDecision | undefined, EntryDecision | undefined];
  /** How many of those namespaces (`docker.io/library`, `docker.io`, `*.io`; the last two) are tried, in the same order. */
  dockerIoTried: [number, number];
}

/** The per-simulator state of {@link fastDecideText}. */
export interface FastDecider {
  fast: FastPath;
  docker: TransportDecider | undefined;
  daemon: TransportDecider | undefined;
  /** Where the scan leaves the `/` positions of the name (at most 255 of them: the name's length limit). */
  slashes: Int32Array;
  slashHashes: Int32Array;
  /** The last scan. */
  scan: TextScan<EntryDecision>;
}

/** The decider of a simulator's fast path (its tables are made on first use per transport). */
export function createFastDecider(fast: FastPath): FastDecider {
  return {
    fast,
    docker: undefined,
    daemon: undefined,
    slashes: new Int32Array(NAME_TOTAL_LENGTH_MAX + 1),
    slashHashes: new Int32Array(NAME_TOTAL_LENGTH_MAX + 1),
    scan: emptyScan(),
  };
}

/**
 * What a deciding list answers for every image without signatures: allowed, denied with a fixed message, denied with
 * a message naming the image (`parts` joined by the image name), or left to the exact path (`exact`).
 */
interface Template {
  allowed: boolean;
  error: string | null;
  parts: string[] | undefined;
  exact: boolean;
}

/**
 * The template of a deciding list (added to `templates` when new): `IsRunningImageAllowed` on an unsigned image
 * (evaluate.ts `decideRequirements` without evidence) with a placeholder for `transports.ImageName`, split around it
 * and checked to split exactly (fast-path.ts `splitAround`), so that only `prReject`'s message names the image.
 */
function templateOf(t: TemplateSet, transport: string, requirements: readonly Requirement[]): number {
  const build = (imageName: string) => decideRequirements(requirements, { transport, imageName });
  const first = build(IMAGE_NAME_PLACEHOLDER);
  const parts = first.allowed ? undefined : splitAround((n) => build(n).error ?? "", IMAGE_NAME_PLACEHOLDER);
  // Each part with its length: no two lists of parts spell the same key.
  const key = first.allowed ? "allowed" : parts === undefined ? "exact" : "denied" + parts.map((x) => x.length + ":" + x).join("");
  let i = t.templateIndex.get(key);
  if (i === undefined) {
    i = t.templates.length;
    const fixed = parts !== undefined && parts.length === 1;
    t.templates.push({ allowed: first.allowed, error: fixed ? parts![0] : null, parts: fixed ? undefined : parts, exact: !first.allowed && parts === undefined });
    t.templateIndex.set(key, i);
  }
  return i;
}

/** What an entry answers: its template and deciding scope (and the entry). */
export interface EntryDecision {
  template: Template;
  scope: DecidingScope | null;
  entry: ScopeEntry | undefined;
}

/** A transport's templates and their index by content. */
interface TemplateSet {
  templates: Template[];
  templateIndex: Map<string, number>;
}

/** The template and deciding scope of an entry (undefined: the global default). */
function entryDecision(fast: FastPath, t: TemplateSet, transport: string, entry: ScopeEntry | undefined): EntryDecision {
  const requirements = entry ? entry.requirements : fast.sim.options.policy.default;
  return { template: t.templates[templateOf(t, transport, requirements)], scope: entry ? Object.freeze({ transport, scope: entry.scope }) : null, entry };
}

function transportDecider(fast: FastPath, transport: "docker" | "docker-daemon"): TransportDecider {
  const scopes = fast.sim.index.scopesOf(transport);
  const table = scopes === undefined ? undefined : new ScopeTable(scopes);
  const set: TemplateSet = { templates: [], templateIndex: new Map() };
  const fallback = entryDecision(fast, set, transport, scopes?.get(""));
  return {
    transport,
    prefix: transport === "docker" ? "docker://" : "docker-daemon:",
    table,
    templates: set.templates,
    templateIndex: set.templateIndex,
    // Dense (one slot each): a sparse array would be a dictionary.
    scopes: new Array<DecidingScope | null>(table?.capacity ?? 0).fill(null),
    fallback: fallback.template,
    fallbackScope: fallback.scope,
    dockerIoNamespaces: [DOCKER_IO_LIBRARY, DOCKER_IO].map((p) => {
      // After the in-text namespaces of a docker.io name: docker.io/library (for library/ names), docker.io, *.io.
      const entry = (p === DOCKER_IO_LIBRARY ? table?.get("docker.io/library") : undefined) ?? table?.get("docker.io") ?? table?.get("*.io");
      return entry === undefined ? undefined : entryDecision(fast, set, transport, entry);
    }) as [EntryDecision | undefined, EntryDecision | undefined],
    dockerIoTried: [DOCKER_IO_KNOWN, DOCKER_IO_KNOWN.slice(1)].map((names) => {
      const i = names.findIndex((ns) => table?.get(ns) !== undefined);
      return i === -1 ? names.length : i + 1;
    }) as [number, number],
  };
}

/** The namespaces of a docker.io name after those its text spells (upstream DockerReferenceNamespaces), library/'s first. */
export const DOCKER_IO_KNOWN = ["docker.io/library", "docker.io", "*.io"] as const;

/** `[A-Za-z0-9_]` */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** `text[from, to)` is `sha256:` + 64 lower-case hex (the digest form decided here; others go to the exact parser). */
function isSha256Digest(text: string, from: number, to: number): boolean {
  if (to - from !== 71 || !text.startsWith("sha256:", from)) return false;
  for (let i = from + 7; i < to; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/**
 * Scans `input` (see the module comment) into `d.scan`: its transport decider, or undefined when the exact path must
 * decide.
 */
export function scanText(d: FastDecider, input: string): TransportDecider | undefined {
  let t: TransportDecider;
  let s: number;
  if (input.startsWith("docker://")) {
    t = d.docker ??= transportDecider(d.fast, "docker");
    s = 9;
  } else if (input.startsWith("docker-daemon:")) {
    t = d.daemon ??= transportDecider(d.fast, "docker-daemon");
    s = 14;
  } else return undefined;
  const n = input.length;
  if (n === s || n - s > 1024) return undefined;
  const daemon = t.transport === "docker-daemon";

  // Split off `@digest` or `:tag` (the last `:` after the last `/`).
  const at = input.indexOf("@", s);
  let nameEnd = n;
  let bare = false;
  if (at !== -1) {
    if (input.indexOf("@", at + 1) !== -1 || !isSha256Digest(input, at + 1, n)) return undefined;
    nameEnd = at;
    // A tag before the digest (`name:tag@digest`): the exact parser refuses it.
    for (let i = at - 1; i >= s; i--) {
      const c = input.charCodeAt(i);
      if (c === 47) break;
      if (c === 58) return undefined;
    }
  } else {
    // Back from the end over tag characters to the `:` that starts the tag, or to the `/` (or start) of a name-only reference.
    let i = n - 1;
    let c = 0;
    for (; i >= s; i--) {
      c = input.charCodeAt(i);
      if (!isWordChar(c) && c !== 46 && c !== 45) break;
    }
    if (i >= s && c === 58) {
      if (n - i - 1 > 128 || i + 1 === n || !isWordChar(input.charCodeAt(i + 1))) return undefined;
      nameEnd = i;
    } else if (i < s || c === 47) {
      if (daemon) return undefined; // daemon.ParseReference refuses a name-only reference.
      bare = true;
    } else return undefined;
  }
  if (nameEnd === s) return undefined;

  // splitDockerDomain: the first component is a domain when it has "." or ":" or is "localhost"; else the name is
  // docker.io's (with library/ for a one-component path). One pass checks it as `DomainRegexp` and hashes it.
  let firstSlash = input.indexOf("/", s);
  if (firstSlash >= nameEnd) firstSlash = -1;
  const slashes = d.slashes;
  const slashHashes = d.slashHashes;
  let slashCount = 0;
  let h = HASH_SEED;
  let explicitDomain = false;
  if (firstSlash !== -1) {
    // 0 label start, 1 after an alphanumeric, 2 after "-", 3 port start, 4 in the port, 5 no domain.
    let st = 0;
    for (let i = s; i < firstSlash; i++) {
      const c = input.charCodeAt(i);
      h = hashStep(h, c);
      if (st < 3) {
        if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90)) st = 1;
        else if (c === 45 && st !== 0) st = 2;
        else if (c === 46 && st === 1) {
          st = 0;
          explicitDomain = true;
        } else if (c === 58 && st === 1) {
          st = 3;
          explicitDomain = true;
        } else st = 5;
      } else if (st !== 5) st = c >= 48 && c <= 57 ? 4 : 5;
      if (st === 5) break;
    }
    if (st === 5) {
      // Not a valid domain: a domain-like first component is an error (the exact parser says which).
      for (let i = s; i < firstSlash; i++) {
        const c = input.charCodeAt(i);
        if (c === 46 || c === 58) return undefined;
      }
      explicitDomain = false;
    } else if (st !== 1 && st !== 4) return undefined;
    else if (!explicitDomain) explicitDomain = firstSlash - s === 9 && input.startsWith("localhost", s);
  }
  let dockerIo = !explicitDomain;
  if (explicitDomain) {
    const len = firstSlash - s;
    dockerIo = (len === 9 && input.startsWith("docker.io", s)) || (len === 15 && input.startsWith("index.docker.io", s));
  }
  const pathStart = explicitDomain ? firstSlash + 1 : s;
  if (nameEnd - pathStart > NAME_TOTAL_LENGTH_MAX) return undefined;
  if (dockerIo) h = H_DOCKER_IO;
  else {
    // The domain is the last namespace before the wildcards.
    slashes[slashCount] = firstSlash;
    slashHashes[slashCount++] = h;
    h = hashStep(h, 47);
  }
  // Path components (`[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`, "/"-separated), hashed on; each "/" keeps the hash before it.
  // 0 component start, 1 after an alphanumeric, 2 after ".", 3 after "_", 4 after "__", 5 after "-".
  let st = 0;
  let components = 1;
  for (let i = pathStart; i < nameEnd; i++) {
    const c = input.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) st = 1;
    else if (c === 47 && st === 1) {
      slashes[slashCount] = i;
      slashHashes[slashCount++] = h;
      components++;
      st = 0;
    } else if (c === 46 && st === 1) st = 2;
    else if (c === 95 && (st === 1 || st === 3)) st = st === 1 ? 3 : 4;
    else if (c === 45 && (st === 1 || st === 5)) st = 5;
    else return undefined;
    h = hashStep(h, c);
  }
  if (st !== 1) return undefined;
  let p = "";
  let nameStart = s;
  if (dockerIo) {
    nameStart = pathStart;
    p = DOCKER_IO;
    if (components === 1) {
      // A one-component docker.io name is library/'s: hashed again behind that prefix (it has no "/").
      p = DOCKER_IO_LIBRARY;
      h = H_DOCKER_IO_LIBRARY;
      for (let i = pathStart; i < nameEnd; i++) h = hashStep(h, input.charCodeAt(i));
    }
  }
  if (p.length + nameEnd - nameStart > NAME_TOTAL_LENGTH_MAX) return undefined;
  if (daemon) {
    // daemon.ParseReference: an `algo:hex` id is no repository, and the repository name "sha256" is reserved.
    if (firstSlash === -1 && n - s >= 64 && validateDigest(input.slice(s)) === undefined) return undefined;
    if (dockerIo && input.startsWith("sha256", nameEnd - 6) && (nameEnd - pathStart === 6 || (components === 2 && nameEnd - pathStart === 14 && input.startsWith("library/", pathStart)))) return undefined;
  } else if (bare && firstSlash === -1 && nameEnd - s === 64) return undefined; // maybe a 64-hex identifier: ParseNormalizedNamed refuses it.

  const sc = d.scan;
  sc.s = s;
  sc.n = n;
  sc.nameEnd = nameEnd;
  sc.nameStart = nameStart;
  sc.pathStart = pathStart;
  sc.firstSlash = firstSlash;
  sc.explicitDomain = explicitDomain;
  sc.dockerIo = dockerIo;
  sc.components = components;
  sc.bare = bare;
  sc.digested = at !== -1;
  sc.p = p;
  sc.h = h;
  sc.slashCount = slashCount;
  return t;
}

/**
 * The slot of the scope that decides the scanned reference (`requirementsForImageRef`: the identity, then each
 * namespace), or -1: then `d.scan.known` (a docker.io name's fixed namespaces) or the transport's fallback decides.
 * Leaves in `d.scan` whether the identity matched, and how many namespaces were tried.
 */
export function findScope(d: FastDecider, t: TransportDecider, input: string): number {
  const sc = d.scan;
  const table = t.table;
  sc.identityMatched = false;
  sc.known = undefined;
  if (table === undefined) {
    sc.tried = 0;
    return -1;
  }
  const { s, n, nameEnd, nameStart, firstSlash, dockerIo, bare, p, h, slashCount } = sc;
  const slashes = d.slashes;
  const slashHashes = d.slashHashes;
  // The identity: `name:tag` / `name@digest` as written after the name, `name:latest` for a name-only reference.
  let hi = h;
  let slot: number;
  if (bare) {
    for (let i = 0; i < LATEST.length; i++) hi = hashStep(hi, LATEST.charCodeAt(i));
    slot = table.find(hi, p, input, nameStart, nameEnd, LATEST);
  } else {
    for (let i = nameEnd; i < n; i++) hi = hashStep(hi, input.charCodeAt(i));
    slot = table.find(hi, p, input, nameStart, n, "");
  }
  if (slot !== -1) {
    sc.identityMatched = true;
    return slot;
  }
  // The namespaces, most specific first.
  let tried = 1;
  slot = table.find(h, p, input, nameStart, nameEnd, "");
  for (let k = slashCount - 1; slot === -1 && k >= 0; k--) {
    tried++;
    slot = table.find(slashHashes[k], p, input, nameStart, slashes[k], "");
  }
  if (slot === -1 && dockerIo) {
    const which = p === DOCKER_IO_LIBRARY ? 0 : 1;
    sc.known = t.dockerIoNamespaces[which];
    tried += t.dockerIoTried[which];
  } else if (slot === -1) {
    // `*.` + each dot-suffix of the host without its port (each tried; probed only when some scope is a wildcard).
    const hostEnd = hostEndOf(input, s, firstSlash);
    for (let dot = input.indexOf(".", s); slot === -1 && dot !== -1 && dot < hostEnd; dot = input.indexOf(".", dot + 1)) {
      tried++;
      if (!table.hasWildcards) continue;
      let hw = H_STAR_DOT;
      for (let i = dot + 1; i < hostEnd; i++) hw = hashStep(hw, input.charCodeAt(i));
      slot = table.find(hw, STAR_DOT, input, dot + 1, hostEnd, "");
    }
  }
  sc.tried = tried;
  return slot;
}

/**
 * Where the host of a scanned reference with a domain ends (its port, if any, not included): the end of the text the
 * `*.` wildcard namespaces are cut from (`requirementsForImageRef` asks for each dot-suffix of the host).
 */
export function hostEndOf(input: string, s: number, firstSlash: number): number {
  const colon = input.indexOf(":", s);
  return colon === -1 || colon > firstSlash ? firstSlash : colon;
}

/** The decision for `input`, or undefined when the exact path must decide (see the module comment). */
export function fastDecideText(d: FastDecider, input: string): Decision | undefined {
  const t = scanText(d, input);
  if (t === undefined) return undefined;
  const sc = d.scan;
  const table = t.table;
  let template: Template | undefined;
  let scope: DecidingScope | null = null;
  const slot = findScope(d, t, input);
  if (slot !== -1) {
    let note = table!.note(slot);
    if (note === 0) {
      const entry = table!.entries[slot]!;
      note = templateOf(t, t.transport, entry.requirements) + 1;
      table!.setNote(slot, note);
      t.scopes[slot] = Object.freeze({ transport: t.transport, scope: entry.scope });
    }
    template = t.templates[note - 1];
    scope = t.scopes[slot];
  } else if (sc.known !== undefined) ({ template, scope } = sc.known);
  if (template === undefined) {
    template = t.fallback;
    scope = t.fallbackScope;
  }
  // A fresh object per decision: cheaper than reaching a per-scope shared one in memory (callers may keep it).
  if (template.parts === undefined) return template.exact ? undefined : { allowed: template.allowed, error: template.error, parseError: false, scope };
  const parts = template.parts;
  const imageName = imageNameOf(t, input, sc.s, sc.nameEnd, sc.pathStart, sc.explicitDomain, sc.dockerIo, sc.components, sc.bare);
  const error = parts.length === 2 ? parts[0] + imageName + parts[1] : parts.join(imageName);
  return { allowed: false, error, parseError: false, scope };
}

/**
 * `transports.ImageName`: the transport prefix + `FamiliarString()`. The text itself when it is written in familiar
 * form (the common case: no copy), else built from the familiar name.
 */
export function imageNameOf(
  t: TransportDecider,
  input: string,
  s: number,
  nameEnd: number,
  pathStart: number,
  explicitDomain: boolean,
  dockerIo: boolean,
  components: number,
  bare: boolean,
): string {
  // FamiliarName: docker.io/ dropped, and library/ of a two-component official name.
  const officialWritten = dockerIo && components === 2 && nameEnd - pathStart > 8 && input.startsWith("library/", pathStart);
  if (!bare && !(dockerIo && explicitDomain) && !officialWritten) return input;
  const familiarStart = officialWritten ? pathStart + 8 : dockerIo ? pathStart : s;
  return t.prefix + input.slice(familiarStart, nameEnd) + (bare ? LATEST : input.slice(nameEnd));
}
