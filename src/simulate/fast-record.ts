/**
 * Records of `imagetrust simulate --format jsonl|json` for `docker:` and `docker-daemon:` references without signature
 * evidence, written as JSON text directly: byte for byte the text `JSON.stringify` gives for the record the exact
 * path builds (simulate.ts `report`, through simulate-evidence.ts `withoutEvidence`; test/simulate/fast-record.test.ts
 * compares the two over generated policies and references).
 *
 * What is computed once and reused (fast-path.ts has the parse, lookup and decision side):
 * - per repository: the namespaces tried (JSON) and the signature lookup. registries.d's `SignatureStorageBaseURL`
 *   depends on the sections the repository's namespaces select (and on the identity only where registries.d names
 *   it: then it is computed exactly), and appends the repository path: repositories selecting the same sections share
 *   a template split around the path, confirmed on a second path (`lookasideStorageURL` of a sha256 digest likewise,
 *   with the hex left blank too);
 * - per deciding list (shared by lists that say the same in scopes of other names) and shape of reference: the whole
 *   record as text around slots for the reference's pieces (record-template.ts: made by the exact explanation of a
 *   stand-in reference with markers for pieces, confirmed on the reference it was made for), for every requirement
 *   type; references a template cannot stand for (under a `remapIdentity` prefix, odd lookup strings) are explained
 *   exactly (`explainEvaluation`).
 *
 * Anything else (other transports, parse errors, evidence, registries.conf, a manifest, `--explain`) returns
 * undefined: the caller takes the exact path.
 */
import { evaluateRequirements } from "./evaluate.js";
import {
  type DecidingPlan,
  decidingPlan,
  type FastPath,
  fastPathOf,
  type LeanReference,
  leanDockerReference,
  identityEntry,
  leanImageName,
  leanReference,
  type RepositoryPlan,
} from "./fast-path.js";
import type { SignatureLookupDetails } from "./requirement-report.js";
import { explainEvaluation } from "./simulate.js";
import { NO_LOOKUP, signatureLookupFor } from "./signature-lookup.js";
import { sigstoreAttachmentTag } from "../registries/lookaside.js";
import type { Simulator } from "./types.js";
import { EXPLAIN_ONLY_FIELDS, RECORD_FIELDS } from "./record-fields.js";
import { buildTemplate, compact, lookupShape, type PlanTemplates, planTemplates, type RecordTemplate, SHAPE, SLOT_LETTERS } from "./record-template.js";
import { type ByteSink, maxUtf8, putBytes, scratchSink, sinkBytes, sinkString } from "./record-bytes.js";
import { createTextRecords, type SharedLookup } from "./fast-record-text.js";
import { nameMatchesPrefix } from "./identity-match.js";

/** Fields of records the fast path never writes: the explain-only ones and those of bare names (resolution, mirrors). */
const NOT_FAST = ["trail", "imageName", "dockerReference", "resolution", "candidates", "pullSources"] as const;
type FastField = Exclude<(typeof RECORD_FIELDS)[number], (typeof NOT_FAST)[number]>;
/** The record fields the fast path writes, in record order (the lean default set of a reference without a bare name). */
const FAST_FIELDS: readonly FastField[] = RECORD_FIELDS.filter((f): f is FastField => !(NOT_FAST as readonly string[]).includes(f));


/** One record as JSON text, with its verdict (for the exit status). */
export interface FastRecord {
  verdict: "allow" | "deny";
  json: string;
}

/** Writes records of docker / docker-daemon references (see the module comment). */
export interface FastRecords {
  /** The record of `input` as `JSON.stringify` of the selected fields gives it, or undefined: take the exact path. */
  record(input: string): FastRecord | undefined;
  /**
   * Decides the record of `input` and holds it for {@link FastRecords.writePrepared}: its verdict, or undefined (take
   * the exact path; nothing is held).
   */
  prepare(input: string): "allow" | "deny" | undefined;
  /** Writes the record prepared last as UTF-8 JSON text (the bytes of `record`'s `json`). */
  writePrepared(sink: ByteSink): void;
  /** How many records were filled in from a template and how many explained exactly (for tests). */
  readonly counts: { templated: number; explained: number };
  /** How many of the templated records were written from decide()'s one scan (fast-record-text.ts; for tests). */
  readonly scanned: { records: number };
}

/** A signature lookup with its record JSON and template shape (record-template.ts `lookupShape`). */
interface LookupEntry {
  details: SignatureLookupDetails;
  json: string;
  shape: number;
}

/** Per repository: what every reference of it shares in its record. */
interface RepositoryRecord {
  namespacesTried: string;
  /** The signature lookup of references without a lookup digest (undefined until asked). */
  lookup?: LookupEntry;
}

const NO_LOOKUP_ENTRY: LookupEntry = { details: NO_LOOKUP, json: JSON.stringify(NO_LOOKUP), shape: 0 };
const [R, I, T, L, N, C, D, P, G, H, B, S, A, M, W, E] = Array.from("RITLNCDPGHBSAMWE", (k) => SLOT_LETTERS.indexOf(k));

/**
 * The fast record writer of a simulator, for the lean record (`fields` undefined) or a `--fields` selection; undefined
 * when the simulator has inputs the fast path does not take into account (evidence, registries.conf, a manifest) or
 * the selection names a field only the exact path writes.
 */
export function createFastRecords(sim: Simulator, fields?: ReadonlySet<string>): FastRecords | undefined {
  const o = sim.options;
  if (o.evidence !== undefined || o.registriesConf !== undefined || o.manifest !== undefined) return undefined;
  if (fields !== undefined) for (const f of fields) if (EXPLAIN_ONLY_FIELDS.has(f)) return undefined;
  const selected = fields === undefined ? FAST_FIELDS : FAST_FIELDS.filter((f) => fields.has(f));
  const fast = fastPathOf(sim);
  // registries.d sections named by an identity (`name:tag`) make the lookaside depend on more than the repository.
  const registriesDScopes = new Set((o.registriesD?.docker ?? []).map((e) => e.scope));
  const templatesOf = planTemplates(sim);
  const counts = { templated: 0, explained: 0 };
  const assemble = (values: Record<string, string>): string => {
    const out: string[] = ["{"];
    for (let i = 0; i < selected.length; i++) out.push(i === 0 ? '"' : ',"', selected[i], '":', values[selected[i]]);
    out.push("}");
    return out.join("");
  };
  // The record prepared last (prepare → writePrepared): its template (null: `exact` is the record) and slot values.
  let lean: LeanReference | undefined;
  let repo: RepositoryPlan | undefined;
  let identityMatched = false;
  let rr: RepositoryRecord | undefined;
  let lookup: LookupEntry = NO_LOOKUP_ENTRY;
  let imageName = "";
  let pt: PlanTemplates | undefined;
  let tpl: RecordTemplate | null = null;
  let exact: FastRecord | undefined;
  const scratch = scratchSink();
  /** The record prepared last as text (through the same bytes the writer writes). */
  const text = (): string => {
    scratch.pos = 0;
    writePrepared(scratch);
    return scratch.text();
  };
  // The common case from decide()'s one scan (fast-record-text.ts), once this path made its templates.
  let shared: SharedLookup | undefined;
  const textRecords =
    registriesDScopes.size > 0
      ? undefined
      : createTextRecords({
          fast,
          templatesOf,
          noLookup: NO_LOOKUP_ENTRY,
          sharedLookup: () => (shared ??= sharedLookup(fast)),
        });
  let viaText = false;
  const scanned = { records: 0 };
  /** Writes the record prepared last: the template's pieces, the reference's values in its slots. */
  const writePrepared = (sink: ByteSink): void => {
    if (viaText) return textRecords!.writePrepared(sink);
    const t = tpl;
    if (t === null) return sinkString(sink, exact!.json);
    // Identities, names, tags, digests and inputs accepted here are made of JSON-safe characters only (the exact
    // parser's reference grammar: letters, digits, . _ - : / @ +), lookup strings are checked (lookupShape): written
    // without escaping.
    const bytes = t.bytes;
    const slots = t.slots;
    sinkBytes(sink, bytes[0]);
    for (let i = 0; i < slots.length; i++) {
      const k = slots[i];
      const d = lookup.details;
      const v =
        k === I ? lean!.identity
        : k === E ? repo!.name
        : k === R ? input
        : k === T ? (identityMatched ? "[]" : rr!.namespacesTried)
        : k === L ? lookup.json
        : k === N ? imageName
        : k === C ? pt!.scopeText
        : k === D ? repo!.domain
        : k === P ? repo!.path
        : k === G ? lean!.tag!
        : k === H ? lean!.digest!
        : k === B ? d.lookasideBase!
        : k === S ? d.lookasideSignature1!
        : k === A ? d.attachmentTag!
        : k === M ? d.repository!
        : imageName;
      const next = bytes[i + 1];
      sink.reserve(maxUtf8(v) + next.length);
      // W: the image name after its transport prefix.
      sink.putText(v, k === W ? (repo!.transport === "docker" ? 7 : 14) : 0, v.length);
      sink.pos = putBytes(sink.buf, sink.pos, next);
    }
  };
  let input = "";
  const prepare = (text_: string): "allow" | "deny" | undefined => {
    const verdict = textRecords?.prepare(text_);
    viaText = verdict !== undefined;
    if (viaText) {
      counts.templated++;
      scanned.records++;
      return verdict;
    }
    input = text_;
    const l = leanReference(fast, input);
    if (l === undefined) return undefined;
    lean = l;
    const r = (repo = l.repo);
    const byIdentity = identityEntry(r, l.tag, l.digest);
    identityMatched = byIdentity !== undefined;
    const entry = byIdentity ?? r.namespaceEntry;
    const plan = decidingPlan(fast, r.transport, entry);
    rr = repositoryRecord(r);
    const digest = l.digest !== undefined && l.digest.startsWith("sha256:") ? l.digest : undefined;
    // The repository's lookup, or (a digest names the signatures, or registries.d names the identity) its own.
    lookup =
      r.transport !== "docker"
        ? NO_LOOKUP_ENTRY
        : registriesDScopes.has(l.identity)
          ? lookupEntry(exactLookup(fast, l, digest), false)
          : digest !== undefined
            ? digestedLookup(fast, l, digest)
            : repositoryLookup(fast, l, rr);
    imageName = leanImageName(l);
    pt = templatesOf(plan);
    let shape = lookup.shape;
    if (shape >= 0 && r.domain !== "") {
      if (l.digest !== undefined) shape |= SHAPE.digest;
      if (digest !== undefined) shape |= SHAPE.sha256;
      for (const prefix of pt.remapPrefixes) if (nameMatchesPrefix(r.name, prefix)) shape = -1;
    } else shape = -1;
    let t: RecordTemplate | null | undefined = shape >= 0 ? pt.shared.byShape.get(shape) : null;
    exact = undefined;
    if (t === undefined) {
      // Made for this reference, and confirmed on it: filled in, it must say what the exact explanation says.
      t = buildTemplate(sim, plan, shape, lookup.details, assemble) ?? null;
      exact = exactRecord(sim, plan, input, l, identityMatched, rr, imageName, digest, lookup, assemble);
      tpl = t;
      if (t !== null && (text() !== exact.json || (t.allowed ? "allow" : "deny") !== exact.verdict)) t = null;
      pt.shared.byShape.set(shape, t);
    }
    tpl = t;
    if (t !== null) {
      counts.templated++;
      return t.allowed ? "allow" : "deny";
    }
    counts.explained++;
    exact ??= exactRecord(sim, plan, input, l, identityMatched, rr, imageName, digest, lookup, assemble);
    return exact.verdict;
  };
  return {
    counts,
    scanned,
    prepare,
    writePrepared,
    record(input_) {
      const verdict = prepare(input_);
      return verdict === undefined ? undefined : { verdict, json: text() };
    },
  };
}

/** The record of a reference explained exactly (what `report` does). */
function exactRecord(
  sim: Simulator,
  plan: DecidingPlan,
  input: string,
  lean: LeanReference,
  identityMatched: boolean,
  rr: RepositoryRecord,
  imageName: string,
  digest: string | undefined,
  lookup: LookupEntry,
  assemble: (values: Record<string, string>) => string,
): FastRecord {
  const transport = lean.repo.transport;
  const dockerReference = leanDockerReference(lean);
  const evaluation = evaluateRequirements(plan.requirements, { transport, imageName, dockerReference, manifestDigest: digest });
  const withinTransport = transport === "docker" ? imageName.slice(7) : imageName.slice(14);
  const e = explainEvaluation(sim, plan.scope, plan.entry, plan.requirements, evaluation, { transport, dockerReference, withinTransport, lookup: lookup.details });
  const json = assemble({
    ref: JSON.stringify(input),
    error: "null",
    transport: transport === "docker" ? '"docker"' : '"docker-daemon"',
    identity: JSON.stringify(lean.identity),
    namespacesTried: identityMatched ? "[]" : rr.namespacesTried,
    scope: plan.scope === null ? "null" : JSON.stringify(plan.scope),
    verdict: evaluation.allowed ? '"allow"' : '"deny"',
    upstreamError: JSON.stringify(evaluation.error),
    requirements: JSON.stringify(e.requirements),
    reasons: JSON.stringify(e.reasons),
    signatureLookup: lookup.json,
    warnings: JSON.stringify(e.warnings),
    signatures: "null",
  });
  return { verdict: evaluation.allowed ? "allow" : "deny", json };
}

function lookupEntry(details: SignatureLookupDetails, compacted: boolean): LookupEntry {
  return { details, json: lookupJson(details, compacted), shape: lookupShape(details) };
}

function repositoryRecord(repo: RepositoryPlan): RepositoryRecord {
  let r = repo.record as RepositoryRecord | undefined;
  // Namespaces are slices of the reference's own text (one-byte), not of the policy.
  if (r === undefined) repo.record = r = { namespacesTried: JSON.stringify(repo.namespaces.slice(0, repo.namespacesTried)) };
  return r;
}

/** The reference's own lookup (`plan` in simulate.ts: the reference's sha256 digest names the signatures). */
function exactLookup(fast: FastPath, lean: LeanReference, digest: string | undefined): SignatureLookupDetails {
  return signatureLookupFor(fast.sim, leanDockerReference(lean), digest);
}

/**
 * The lookup every reference of the repository without a lookup digest shares: registries.d names none of their
 * identities (the caller checks), so only the repository's namespaces select its sections (`signatureTopLevel`,
 * `useSigstoreAttachments`), and the lookaside base is the repository's path below the configured URL
 * (`lookasideStorageBaseURL`). Repositories whose namespaces select the same sections share a template: the lookup
 * of the first, split around its path, checked against the exact lookup of a second repository path.
 */
function repositoryLookup(fast: FastPath, lean: LeanReference, rr: RepositoryRecord): LookupEntry {
  if (rr.lookup !== undefined) return rr.lookup;
  const t = lookupTemplateOf(fast, lean);
  if (t === null) return (rr.lookup = lookupEntry(exactLookup(fast, lean, undefined), false));
  const path = lean.repo.path;
  const details: SignatureLookupDetails = { ...t.details, lookasideBase: t.base === null ? null : t.base.join(path), repository: lean.repo.name };
  const r = (t.repository ??= repositoryJson(t));
  rr.lookup = r === null ? lookupEntry(details, true) : { details, json: r.json.length === 1 ? r.json[0] : r.json.join(path), shape: r.shape };
  return rr.lookup;
}

/**
 * The lookup every docker repository without a lookup digest shares when registries.d names no docker scope (the caller
 * checks): the one template (no section selected) with its record JSON, once repositoryLookup made both.
 */
function sharedLookup(fast: FastPath): SharedLookup | undefined {
  const t = lookupState(fast).templates.get("");
  const r = t?.repository;
  if (t === undefined || t === null || r === undefined || r === null) return undefined;
  return { json: r.json, base: t.base, signature1: t.details.lookasideSignature1, attachmentTag: t.details.attachmentTag, shape: r.shape, template: t };
}

/**
 * The record JSON and shape of a lookup template's repository lookups: the JSON split around the path (its characters
 * are the reference grammar's, written as they are), the shape that of any path (they are all lookup-safe); null when
 * the JSON does not split into as many parts as the base.
 */
function repositoryJson(t: LookupTemplate): { json: string[]; shape: number } | null {
  const blank = "\\u0002"; // the blank as JSON text spells it
  const json = lookupJson({ ...t.details, lookasideBase: t.base === null ? null : t.base.join("\u0002") }, false).split(blank);
  if (json.length !== (t.base === null ? 1 : t.base.length)) return null;
  return { json, shape: lookupShape({ ...t.details, lookasideBase: t.base === null ? null : t.base.join("p"), repository: "p" }) };
}

/** The shared lookup template of the sections `lean`'s repository selects (null: none confirmed). */
function lookupTemplateOf(fast: FastPath, lean: LeanReference): LookupTemplate | null {
  const state = lookupState(fast);
  let key = "";
  if (state.scopes.size > 0) for (const ns of lean.repo.namespaces) if (state.scopes.has(ns)) key += ns + "\n";
  let t = state.templates.get(key);
  if (t === undefined) {
    t = lookupTemplate(fast, lean, key, state.scopes);
    if (state.templates.size >= 1024) state.templates.clear();
    state.templates.set(key, t);
  }
  return t;
}

/**
 * The lookup of a sha256-digested reference whose identity registries.d does not name: the repository's sections,
 * and the first signature's URL (`lookasideStorageURL`: `<base>@sha256=<hex>/signature-1`) from a template with the
 * path and the hex left blank, confirmed on a second path and digest; the exact lookup where there is none.
 */
function digestedLookup(fast: FastPath, lean: LeanReference, digest: string): LookupEntry {
  const t = lookupTemplateOf(fast, lean);
  if (t !== null && t.digested === undefined) t.digested = digestTemplate(fast, lean, t);
  if (t === null || t.digested === null || t.digested === undefined) {
    return lookupEntry(exactLookup(fast, lean, digest), false);
  }
  const d = t.digested;
  const path = lean.repo.path;
  const details: SignatureLookupDetails = {
    ...d.details,
    lookasideBase: t.base === null ? null : t.base.join(path),
    lookasideSignature1: d.signature1 === null ? null : fillSignature1(d.signature1, path, digest.slice(7)),
    repository: lean.repo.name,
    attachmentTag: sigstoreAttachmentTag(digest),
  };
  return lookupEntry(details, true);
}

const PATH_BLANK = "\u0002";
const HEX_BLANK = "\u0003";
const HEX_A = "0123456789abcdef".repeat(4);
const HEX_B = "fedcba9876543210".repeat(4);

function fillSignature1(template: string, path: string, hex: string): string {
  return template.split(PATH_BLANK).join(path).split(HEX_BLANK).join(hex);
}

function digestTemplate(fast: FastPath, lean: LeanReference, t: LookupTemplate): DigestTemplate | null {
  const pathA = lean.repo.path;
  const withDigest = (l: LeanReference, hex: string): LeanReference => ({ ...l, tag: undefined, digest: "sha256:" + hex, identity: l.repo.name + "@sha256:" + hex });
  const other: LeanReference = { ...lean, repo: { ...lean.repo, path: pathA + "-x9", name: lean.repo.name + "-x9" } };
  const state = lookupState(fast);
  if (state.scopes.has(lean.repo.name + "@sha256:" + HEX_A) || state.scopes.has(other.repo.name + "@sha256:" + HEX_B)) return null;
  const a = exactLookup(fast, withDigest(lean, HEX_A), "sha256:" + HEX_A);
  const b = exactLookup(fast, withDigest(other, HEX_B), "sha256:" + HEX_B);
  const signature1 = a.lookasideSignature1 === null ? null : compact(a.lookasideSignature1.split(HEX_A).join(HEX_BLANK).split(pathA).join(PATH_BLANK));
  const rest = (d: SignatureLookupDetails) => JSON.stringify({ ...d, lookasideBase: null, repository: null, lookasideSignature1: null, attachmentTag: null });
  const ok =
    (signature1 === null ? b.lookasideSignature1 === null : b.lookasideSignature1 === fillSignature1(signature1, other.repo.path, HEX_B)) &&
    (t.base === null ? a.lookasideBase === null && b.lookasideBase === null : a.lookasideBase === t.base.join(pathA) && b.lookasideBase === t.base.join(other.repo.path)) &&
    a.repository === lean.repo.name &&
    b.repository === other.repo.name &&
    a.attachmentTag === sigstoreAttachmentTag("sha256:" + HEX_A) &&
    b.attachmentTag === sigstoreAttachmentTag("sha256:" + HEX_B) &&
    rest(a) === rest(b) &&
    rest(a) === rest(t.details);
  return ok ? { details: a, signature1 } : null;
}

/** The lookup of digested references: the first signature's URL with the path (U+0002) and hex (U+0003) blank. */
interface DigestTemplate {
  details: SignatureLookupDetails;
  signature1: string | null;
}

interface LookupTemplate {
  details: SignatureLookupDetails;
  /** The lookaside base split around the repository path (null: no base). */
  base: string[] | null;
  /** The template of sha256-digested references (made on first use; null: none confirmed). */
  digested?: DigestTemplate | null;
  /** The record JSON of repository lookups (made on first use, see repositoryJson). */
  repository?: { json: string[]; shape: number } | null;
}

interface LookupState {
  scopes: ReadonlySet<string>;
  templates: Map<string, LookupTemplate | null>;
}

const lookupStates = new WeakMap<FastPath, LookupState>();

function lookupState(fast: FastPath): LookupState {
  let s = lookupStates.get(fast);
  if (s === undefined) lookupStates.set(fast, (s = { scopes: new Set((fast.sim.options.registriesD?.docker ?? []).map((e) => e.scope)), templates: new Map() }));
  return s;
}

/** The lookup of `lean`'s repository split around its path, or null when a second path does not confirm the split. */
function lookupTemplate(fast: FastPath, lean: LeanReference, key: string, scopes: ReadonlySet<string>): LookupTemplate | null {
  const a = exactLookup(fast, lean, undefined);
  const other: LeanReference = { ...lean, repo: { ...lean.repo, path: lean.repo.path + "-x9", name: lean.repo.name + "-x9" } };
  // The second repository must select the same sections (its own namespaces, the identity not a section).
  let otherKey = "";
  for (const ns of [other.repo.name, ...lean.repo.namespaces.slice(1)]) if (scopes.has(ns)) otherKey += ns + "\n";
  if (otherKey !== key || scopes.has(other.identity)) return null;
  const b = exactLookup(fast, other, undefined);
  const base = a.lookasideBase === null ? null : a.lookasideBase.split(lean.repo.path).map(compact);
  const rest = (d: SignatureLookupDetails) => JSON.stringify({ ...d, lookasideBase: null, repository: null });
  const ok =
    (base === null ? b.lookasideBase === null : b.lookasideBase === base.join(other.repo.path)) &&
    a.repository === lean.repo.name &&
    b.repository === other.repo.name &&
    rest(a) === rest(b);
  return ok ? { details: a, base } : null;
}

/** The `signatureLookup` of a record (`compacted`: its strings are one-byte already, see {@link compact}). */
function lookupJson(d: SignatureLookupDetails, compacted: boolean): string {
  const json = JSON.stringify({ lookasideBase: d.lookasideBase, lookasideSignature1: d.lookasideSignature1, sigstoreAttachments: d.sigstoreAttachments });
  return compacted ? json : compact(json);
}
