/**
 * Record templates of the bulk writer (fast-record.ts): the JSON text of a whole record with blanks (slots) wherever
 * the reference shows through, made once per deciding list and "shape" and filled in per reference.
 *
 * A template is made by the exact explanation (`evaluateRequirements` + `explainEvaluation`, what simulate.ts `report`
 * does) of a stand-in reference whose pieces are markers: the domain, path, tag or digest of its docker reference,
 * its image name, the scope's name and the strings of its signature lookup (lookaside base, first signature URL,
 * attachment tag, repository). Wherever the explanation names the reference (the expected identity of
 * `signedIdentity`, `wouldAllow`, where signatures are read, the warnings, `prReject`'s message) it names it by
 * concatenating those pieces (reference `String()` / `Name()`, `lookasideStorageURL`), so the marker shows where the
 * piece goes.
 *
 * What the explanation branches on rather than concatenates is the template's key (its shape): tag or digest, a sha256
 * digest (the lookup digest), which lookup strings are there, attachments on or off, the built-in lookaside; the
 * deciding list's requirements, level, transport and kind of scope (none, "", named). A `remapIdentity` whose prefix
 * the reference is under rewrites and parses the reference (upstream `remapReferencePrefix`): such references are
 * explained exactly. Lookup strings that are empty, carry a lookup error or characters JSON would escape (or a space)
 * are explained exactly too. A template is confirmed on the reference it was made for (filled in, it must equal that
 * reference's exact record) and dropped otherwise (e.g. a policy that spells a marker itself).
 */
import type { DockerReference } from "../reference/docker-reference.js";
import type { IdentityMatch, Requirement } from "../ir/types.js";
import { evaluateRequirements } from "./evaluate.js";
import type { DecidingPlan } from "./fast-path.js";
import type { SignatureLookupDetails } from "./requirement-report.js";
import { explainEvaluation } from "./simulate.js";
import type { DecidingScope } from "./scope-lookup.js";
import type { Simulator } from "./types.js";
import { bytesIn, utf8 } from "./record-bytes.js";

/** Slot letters: what a reference fills in. */
export const SLOT_LETTERS = "RITLNCDPGHBSAMWE";
/**
 * R ref, I identity (`String()` of the docker reference), T namespacesTried, L signatureLookup, N image name, C scope
 * name, D domain, P path, G tag, H digest, B lookaside base, S first signature URL, A attachment tag, M lookup
 * repository, W within-transport name, E repository name (`Name()`: domain/path).
 */
export type SlotLetter = "R" | "I" | "T" | "L" | "N" | "C" | "D" | "P" | "G" | "H" | "B" | "S" | "A" | "M" | "W" | "E";

/** A marker as a value (a string the explanation carries) and as JSON text spells it. */
const marker = (k: SlotLetter) => "\u0001" + k + "\u0001";
/** The marker in JSON text (JSON.stringify escapes U+0001), for slots written into the JSON text directly. */
export const jsonMarker = (k: SlotLetter) => "\\u0001" + k + "\\u0001";
const SLOT_RE = /\\u0001([A-Z])\\u0001/;

/** A record as text parts around slots (slot i, by index into SLOT_LETTERS, goes between parts i and i + 1). */
export interface RecordTemplate {
  parts: string[];
  /** The parts as UTF-8, encoded once (record-bytes.ts: records are written as bytes). */
  bytes: Uint8Array[];
  slots: number[];
  allowed: boolean;
  /** The parts' bytes in all, and how many slots hold the scope's name (C), the namespaces tried (T), lookup strings (L B S A M). */
  fixedBytes: number;
  scopeSlots: number;
  triedSlots: number;
  lookupSlots: number;
}

/** Shape bits of a reference (see the module comment). */
export const SHAPE = {
  base: 1,
  signature1: 2,
  attachments: 4,
  builtIn: 8,
  attachmentTag: 16,
  repository: 32,
  digest: 64,
  sha256: 128,
} as const;

/** Characters a lookup string may have to be filled in as it is (printable ASCII but space, `"` and `\`). */
const SAFE = /^[!#-[\]-~]+$/;

/**
 * The shape bits of a signature lookup (0 for a transport without one), or -1 when a reference with this lookup is to
 * be explained exactly.
 */
export function lookupShape(d: SignatureLookupDetails): number {
  if (d.error !== undefined) return -1;
  let s = 0;
  if (d.lookasideBase !== null) {
    if (!SAFE.test(d.lookasideBase)) return -1;
    s |= SHAPE.base;
  }
  if (d.lookasideSignature1 !== null) {
    if (!SAFE.test(d.lookasideSignature1)) return -1;
    s |= SHAPE.signature1;
  }
  if (d.sigstoreAttachments) s |= SHAPE.attachments;
  if (d.lookasideFrom === "built-in") s |= SHAPE.builtIn;
  if (d.attachmentTag !== undefined) {
    if (!SAFE.test(d.attachmentTag)) return -1;
    s |= SHAPE.attachmentTag;
  }
  if (d.repository !== undefined) {
    if (!SAFE.test(d.repository)) return -1;
    s |= SHAPE.repository;
  }
  return s;
}

/** What a deciding list's templates share with other lists that say the same (their scopes' names are a slot). */
export interface ListTemplates {
  /** Templates by shape (null: explain exactly). */
  byShape: Map<number, RecordTemplate | null>;
}

/** What templates are made per: a deciding list under a transport, from a scope (a deciding plan has more). */
export type ListOfScope = Pick<DecidingPlan, "transport" | "entry" | "scope" | "requirements">;

/** A deciding plan as templates see it. */
export interface PlanTemplates {
  shared: ListTemplates;
  /** The scope's name as JSON text spells it inside a string (slot C). */
  scopeText: string;
  /** The prefixes of the list's `remapIdentity` rules (a reference under one is explained exactly). */
  remapPrefixes: readonly string[];
}

/** The `remapIdentity` prefixes of a list (most lists have none: one shared empty list, not one per scope). */
function remapPrefixesOf(requirements: readonly Requirement[]): readonly string[] {
  let out: string[] | undefined;
  for (let i = 0; i < requirements.length; i++) {
    const r = requirements[i];
    const id: IdentityMatch | undefined = r.type === "signedBy" || r.type === "sigstoreSigned" ? r.signedIdentity : r.type === "signedBaseLayer" ? r.baseLayerIdentity : undefined;
    if (id?.type === "remapIdentity") (out ??= []).push(id.prefix);
  }
  return out ?? NO_PREFIXES;
}

const NO_PREFIXES: readonly string[] = Object.freeze([]);

/** What JSON.stringify would escape in a string: `"`, `\`, control characters, and surrogates (lone ones are escaped). */
const JSON_ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `s` as JSON text spells it between its quotes. Asked once per scope of a policy (10,000 scopes): a scope seldom holds
 * anything to escape, and one regular-expression test costs less than JSON.stringify and a slice (~10 ms of a
 * 100,000-reference run against 10,000 scopes).
 */
export function jsonStringText(s: string): string {
  return JSON_ESCAPED.test(s) ? JSON.stringify(s).slice(1, -1) : s;
}

/**
 * A list's content as text, without the `origin` spans (which make every list of a policy differ): equal texts, equal
 * explanations. Written by hand: JSON.stringify with a replacer costs several times as much. Unambiguous without
 * escaping anything: a string is written with its length before it (`5"hello`), a key (an IR field name) likewise, and
 * every other value with a type letter. Asked once per scope of a policy: 10,000 scopes, cold, ~96 -> ~69 ms CPU
 * (median of 3) against the JSON.stringify-based key it replaces.
 */
function contentKey(v: unknown): string {
  switch (typeof v) {
    case "string":
      return v.length + '"' + v;
    case "number":
      return "n" + v + ";";
    case "boolean":
      return v ? "t" : "f";
    case "undefined":
      return "u";
    case "object":
      break;
    default:
      return JSON.stringify(String(v));
  }
  if (v === null) return "z";
  if (Array.isArray(v)) {
    let s = "[";
    for (let i = 0; i < v.length; i++) s += contentKey(v[i]);
    return s + "]";
  }
  let s = "{";
  for (const k in v) if (k !== "origin") s += k.length + ":" + k + contentKey((v as Record<string, unknown>)[k]);
  return s + "}";
}

/**
 * Templates of deciding plans, shared by plans whose lists say the same. Bounded: cleared when `limit` distinct lists
 * are held (memory stays flat whatever the policy).
 */
export function planTemplates(sim: Simulator, limit = 1024): (plan: ListOfScope, remember?: boolean) => PlanTemplates {
  const byPlan = new Map<ListOfScope, PlanTemplates>();
  const byList = new Map<string, ListTemplates>();
  // remember = false: the caller keeps the answer itself (fast-record-text.ts, per scope slot, for a plan object made
  // for the call), so it is not held by plan too (10,000 scopes: 10,000 entries that would never be asked for again).
  return (plan, remember = true) => {
    let p = remember ? byPlan.get(plan) : undefined;
    if (p !== undefined) return p;
    const level = plan.entry ? plan.entry.labels?.level : sim.options.policy.defaultLabels?.level;
    const scopeKind = plan.scope === null ? "n" : plan.scope.scope === "" ? "e" : "s";
    const key = plan.transport + "\n" + scopeKind + "\n" + (level ?? "\u0000") + "\n" + contentKey(plan.requirements);
    let shared = byList.get(key);
    if (shared === undefined) {
      if (byList.size >= limit) {
        byList.clear();
        byPlan.clear();
      }
      byList.set(key, (shared = { byShape: new Map() }));
    }
    // Written as bytes (record-bytes.ts): how the engine holds the string does not matter.
    const scopeText = plan.scope === null || plan.scope.scope === "" ? "" : jsonStringText(plan.scope.scope);
    p = { shared, scopeText, remapPrefixes: remapPrefixesOf(plan.requirements) };
    if (remember) byPlan.set(plan, p);
    return p;
  };
}

/**
 * The template of `plan` for references of this shape, made with marker values and written by `assemble` (the
 * record's fields as JSON text, in record order); undefined when the stand-in's verdict is not the plan's.
 */
export function buildTemplate(
  sim: Simulator,
  plan: DecidingPlan,
  shape: number,
  lookup: SignatureLookupDetails,
  assemble: (values: Record<string, string>) => string,
): RecordTemplate | undefined {
  const transport = plan.transport;
  const dockerReference: DockerReference =
    shape & SHAPE.digest ? { domain: marker("D"), path: marker("P"), digest: marker("H") } : { domain: marker("D"), path: marker("P"), tag: marker("G") };
  const imageName = marker("N");
  const evaluation = evaluateRequirements(plan.requirements, { transport, imageName, dockerReference, manifestDigest: shape & SHAPE.sha256 ? marker("H") : undefined });
  if (evaluation.allowed !== plan.allowed) return undefined;
  const details: SignatureLookupDetails =
    transport !== "docker"
      ? lookup
      : {
          lookasideBase: shape & SHAPE.base ? marker("B") : null,
          lookasideSignature1: shape & SHAPE.signature1 ? marker("S") : null,
          sigstoreAttachments: (shape & SHAPE.attachments) !== 0,
          lookasideFrom: shape & SHAPE.builtIn ? "built-in" : "registries.d",
          attachmentTag: shape & SHAPE.attachmentTag ? marker("A") : undefined,
          repository: shape & SHAPE.repository ? marker("M") : undefined,
        };
  const scope: DecidingScope | null = plan.scope === null || plan.scope.scope === "" ? plan.scope : { transport: plan.scope.transport, scope: marker("C") };
  const e = explainEvaluation(sim, scope, plan.entry, plan.requirements, evaluation, { transport, dockerReference, withinTransport: marker("W"), lookup: details });
  const text = assemble({
    ref: '"' + jsonMarker("R") + '"',
    error: "null",
    transport: JSON.stringify(transport),
    identity: '"' + jsonMarker("I") + '"',
    namespacesTried: jsonMarker("T"),
    scope: scope === null ? "null" : JSON.stringify(scope),
    verdict: evaluation.allowed ? '"allow"' : '"deny"',
    upstreamError: JSON.stringify(evaluation.error),
    requirements: JSON.stringify(e.requirements),
    reasons: JSON.stringify(e.reasons),
    signatureLookup: jsonMarker("L"),
    warnings: JSON.stringify(e.warnings),
    signatures: "null",
  });
  const split = text.split(SLOT_RE);
  const parts: string[] = [];
  const slots: number[] = [];
  for (let i = 0; i < split.length; i++) {
    if (i % 2 === 0) parts.push(compact(split[i]));
    else slots.push(SLOT_LETTERS.indexOf(split[i]));
  }
  // A letter that is no slot (the policy spells a marker-like text): not a template.
  if (slots.some((s) => s < 0)) return undefined;
  const t = coalesce(parts, slots);
  const bytes = t.parts.map(utf8);
  const count = (letters: string) => t.slots.filter((k) => letters.includes(SLOT_LETTERS[k])).length;
  return {
    ...t,
    bytes,
    allowed: evaluation.allowed,
    fixedBytes: bytesIn(bytes),
    scopeSlots: count("C"),
    triedSlots: count("T"),
    lookupSlots: count("LBSAM"),
  };
}

const [SD, SP, SG, SH, SE, SI] = Array.from("DPGHEI", (k) => SLOT_LETTERS.indexOf(k as SlotLetter));

/**
 * Fewer slots: `D/P` (a reference's `Name()`) is one slot E, and `E:G` / `E@H` (its `String()`, the identity of a
 * docker or docker-daemon reference) one slot I. The template is confirmed after this, like any other.
 */
function coalesce(parts: string[], slots: number[]): { parts: string[]; slots: number[] } {
  const merge = (a: number, sep: string, b: number, into: number) => {
    for (let i = 0; i + 1 < slots.length; i++) {
      if (slots[i] === a && parts[i + 1] === sep && slots[i + 1] === b) {
        parts.splice(i + 1, 1);
        slots.splice(i, 2, into);
      }
    }
  };
  merge(SD, "/", SP, SE);
  merge(SE, ":", SG, SI);
  merge(SE, "@", SH, SI);
  return { parts, slots };
}

/** The template filled in: `value(slot)` gives each slot's text. */
export function fillTemplate(t: Pick<RecordTemplate, "parts" | "slots">, value: (slot: number) => string): string {
  const out: string[] = [t.parts[0]];
  const slots = t.slots;
  for (let i = 0; i < slots.length; i++) out.push(value(slots[i]), t.parts[i + 1]);
  // Joined, not concatenated: a record is one flat string (long chains of `+` make slow cons strings to write).
  return out.join("");
}

/**
 * The same text in the most compact representation the engine has for it. Strings taken from a policy may be held
 * as two-byte strings even when every character is ASCII (the loader slices them from its source); a record joined
 * from one such piece is two-byte as a whole, and writing two-byte text out costs several times as much (measured:
 * 2.5 s of 100,000 records). A JSON round trip gives a fresh string, one-byte when its characters allow.
 */
export function compact(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}
