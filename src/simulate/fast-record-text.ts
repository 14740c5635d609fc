/**
 * The bulk records' common case straight from `decide()`'s one scan of the text (fast-decide.ts `scanText` +
 * `findScope`): a `docker://` or `docker-daemon:` reference with a tag (or none), no registries.d section that names a
 * docker scope (then every repository's lookaside is the same template around its path), a deciding list without
 * `remapIdentity`, and a record template already made and confirmed for its shape (fast-record.ts makes them). The
 * record's slots are written from positions in the reference's text: the normalized name is a prefix plus a piece of
 * the text, the namespaces tried are pieces of it too (upstream `PolicyConfigurationNamespaces`, in the order
 * `findScope` probed them), so no repository plan, namespace list or lookup object is built per reference.
 *
 * Anything else is left to fast-record.ts's repository path (undefined), which also makes the templates this one
 * uses. test/simulate/fast-record.test.ts and test/cli/simulate-fast-records.test.ts hold both equal to the exact path.
 */
import type { ScopeEntry } from "../ir/types.js";
import { createFastDecider, DOCKER_IO_KNOWN, type FastDecider, findScope, hostEndOf, imageNameOf, scanText, type TransportDecider } from "./fast-decide.js";
import type { FastPath } from "./fast-path.js";
import { type ByteSink, bytesIn, JSON_EMPTY_LIST, JSON_LIST_BETWEEN, JSON_LIST_CLOSE, JSON_LIST_OPEN, putBytes, utf8 } from "./record-bytes.js";
import { type ListOfScope, type PlanTemplates, type RecordTemplate, SLOT_LETTERS } from "./record-template.js";
import { lookupShape, SHAPE } from "./record-template.js";
import type { SignatureLookupDetails } from "./requirement-report.js";

const PATH_BLANK = "\u0002";
const HEX_BLANK = "\u0003";
const SAMPLE_PATH = "a-1/b.c";
const SAMPLE_HEX = "0123456789abcdef".repeat(4);

/** `text` split at the blanks `path` and `hex` (as it spells them). */
function blanksOf(text: string, path: string, hex: string): Blanks {
  const parts: string[] = [];
  const blanks: number[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const kind = text.startsWith(path, i) ? 0 : text.startsWith(hex, i) ? 1 : -1;
    if (kind === -1) continue;
    parts.push(text.slice(start, i));
    blanks.push(kind);
    start = i + (kind === 0 ? path.length : hex.length);
    i = start - 1;
  }
  parts.push(text.slice(start));
  return { parts, blanks, partBytes: parts.map(utf8) };
}

function fillBlanks(b: Blanks, path: string, hex: string): string {
  let out = b.parts[0];
  for (let i = 0; i < b.blanks.length; i++) out += (b.blanks[i] === 0 ? path : hex) + b.parts[i + 1];
  return out;
}

/** The `signatureLookup` JSON of a record (fast-record.ts `lookupJson`). */
function lookupJson(d: Pick<SignatureLookupDetails, "lookasideBase" | "lookasideSignature1" | "sigstoreAttachments">): string {
  return JSON.stringify({ lookasideBase: d.lookasideBase, lookasideSignature1: d.lookasideSignature1, sigstoreAttachments: d.sigstoreAttachments });
}

/**
 * The digested lookup of a shared lookup as blank templates (fast-record.ts `digestedLookup` fills the same in): its
 * record JSON and first signature URL around the path and hex, confirmed by filling both in for a sample path and
 * digest; null when it does not split so (a configured URL that spells a blank) or there is none.
 */
function digestedOf(shared: SharedLookup, d: { details: SignatureLookupDetails; signature1: string | null }): DigestedLookup | null {
  const base = shared.base;
  const json = blanksOf(lookupJson({ ...d.details, lookasideBase: base === null ? null : base.join(PATH_BLANK), lookasideSignature1: d.signature1 }), "\\u0002", "\\u0003");
  const signature1 = d.signature1 === null ? null : blanksOf(d.signature1, PATH_BLANK, HEX_BLANK);
  const sample: SignatureLookupDetails = {
    ...d.details,
    lookasideBase: base === null ? null : base.join(SAMPLE_PATH),
    lookasideSignature1: d.signature1 === null ? null : d.signature1.split(PATH_BLANK).join(SAMPLE_PATH).split(HEX_BLANK).join(SAMPLE_HEX),
    repository: "x.io/" + SAMPLE_PATH,
    attachmentTag: "sha256-" + SAMPLE_HEX + ".sig",
  };
  if (fillBlanks(json, SAMPLE_PATH, SAMPLE_HEX) !== lookupJson(sample)) return null;
  if (signature1 !== null && fillBlanks(signature1, SAMPLE_PATH, SAMPLE_HEX) !== sample.lookasideSignature1) return null;
  const shape = lookupShape(sample);
  return shape < 0 ? null : { json, signature1, shape };
}

const [R, I, T, L, N, C, D, P, G, H, B, S, A, M, W, E] = Array.from("RITLNCDPGHBSAMWE", (k) => SLOT_LETTERS.indexOf(k));
const DOCKER_IO_LIBRARY = "docker.io/library/";
const LIBRARY = "library/";

/** The lookaside every docker repository shares (registries.d names no docker scope): its record JSON and base around the path. */
export interface SharedLookup {
  /** The `signatureLookup` JSON split around the repository path. */
  json: string[];
  /** The lookaside base split around the path (null: none). */
  base: string[] | null;
  /** The first signature's URL and attachment tag of a reference without a digest (path-independent). */
  signature1: string | null;
  attachmentTag: string | undefined;
  /** The lookup's template shape (record-template.ts `lookupShape`). */
  shape: number;
  /**
   * The lookup template (fast-record.ts): `digested`, once made, is the lookup of sha256-digested references, its first
   * signature's URL with the path (U+0002) and hex (U+0003) blank (null: none confirmed).
   */
  template: { digested?: { details: SignatureLookupDetails; signature1: string | null } | null };
}

/** Text with blanks: `parts[i]`, then blank `blanks[i]` (0: the repository path, 1: the digest's hex), …, the last part. */
interface Blanks {
  parts: string[];
  blanks: number[];
  /** The parts as UTF-8. */
  partBytes: Uint8Array[];
}

/** The lookup of sha256-digested docker references, around the path and the hex (see {@link digestedOf}). */
interface DigestedLookup {
  json: Blanks;
  signature1: Blanks | null;
  shape: number;
}

/** What the docker-daemon transport's records say about signatures (no lookup). */
export interface NoLookup {
  json: string;
  shape: number;
}

/** Per transport: the plan templates of the table's slots, and of the fallback entry. */
interface TransportRecords {
  bySlot: (PlanTemplates | undefined)[];
  fallbackEntry: ScopeEntry | undefined;
  /** The plan templates of the fallback entry, and of docker.io's fixed namespaces' entries (made on first use). */
  fallback: PlanTemplates | undefined;
  known: Map<ScopeEntry, PlanTemplates>;
}

/** Writes records of the common case (see the module comment). */
export interface TextRecords {
  /** The verdict of `input`'s record, held for {@link TextRecords.writePrepared}; undefined: not the common case. */
  prepare(input: string): "allow" | "deny" | undefined;
  writePrepared(sink: ByteSink): void;
}

/** The common-case writer of a fast path (see the module comment). */
export function createTextRecords(o: {
  fast: FastPath;
  /** The templates of a list (`remember` false: the caller keeps them, per scope). */
  templatesOf: (list: ListOfScope, remember?: boolean) => PlanTemplates;
  /** The shared docker lookaside, once the repository path made it (undefined: not yet, or none). */
  sharedLookup: () => SharedLookup | undefined;
  noLookup: NoLookup;
}): TextRecords {
  const { fast, templatesOf, sharedLookup, noLookup } = o;
  const d: FastDecider = createFastDecider(fast);
  const sc = d.scan;
  const perTransport = new Map<TransportDecider, TransportRecords>();
  // The record prepared last.
  let input = "";
  let t: TransportDecider | undefined;
  let tpl: RecordTemplate | undefined;
  let pt: PlanTemplates | undefined;
  let lookup: SharedLookup | undefined;
  /** The digested lookup (undefined: not made yet; null: none), and the hex's start in the prepared text (-1: no digest). */
  let digestedLookup: DigestedLookup | null | undefined;
  let digested: DigestedLookup | undefined;
  let hexFrom = -1;
  let imageName = "";

  /** The bytes of the shared lookup's strings (encoded once per shared lookup), and of the lookup-less transport's. */
  let lookupBytes: LookupBytes | undefined;
  const noLookupBytes = utf8(noLookup.json);
  /** The normalized name up to `to`: its prefix, then its text. */
  const putName = (buf: Uint8Array, pos: number, at: number, to: number): number => copy(buf, putBytes(buf, pos, B_PREFIXES.get(sc.p)!), at + sc.nameStart, at + to);
  /** The repository path (`Path()`): after the domain; docker.io's official images under library/. */
  const putPath = (buf: Uint8Array, pos: number, at: number): number => {
    if (sc.dockerIo) {
      if (sc.p === DOCKER_IO_LIBRARY) pos = putBytes(buf, pos, B_LIBRARY);
      return copy(buf, pos, at + sc.pathStart, at + sc.nameEnd);
    }
    return copy(buf, pos, at + sc.firstSlash + 1, at + sc.nameEnd);
  };
  /** Text with blanks, filled in with the path and the hex. */
  const putBlanks = (buf: Uint8Array, pos: number, at: number, b: Blanks): number => {
    for (let i = 0; i < b.partBytes.length; i++) {
      if (i > 0) pos = b.blanks[i - 1] === 0 ? putPath(buf, pos, at) : copy(buf, pos, at + hexFrom, at + sc.n);
      pos = putBytes(buf, pos, b.partBytes[i]);
    }
    return pos;
  };
  /** Parts joined by the repository path. */
  const putAroundPath = (buf: Uint8Array, pos: number, at: number, parts: readonly Uint8Array[]): number => {
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) pos = putPath(buf, pos, at);
      pos = putBytes(buf, pos, parts[i]);
    }
    return pos;
  };
  /** The namespaces tried, as JSON (in the order findScope probed them). */
  const putTried = (buf: Uint8Array, pos: number, at: number): number => {
    if (sc.identityMatched || sc.tried === 0) return putBytes(buf, pos, JSON_EMPTY_LIST);
    pos = putBytes(buf, pos, JSON_LIST_OPEN);
    pos = putName(buf, pos, at, sc.nameEnd);
    let count = 1;
    for (let k = sc.slashCount - 1; k >= 0 && count < sc.tried; k--, count++) {
      pos = putBytes(buf, pos, JSON_LIST_BETWEEN);
      pos = putName(buf, pos, at, d.slashes[k]);
    }
    if (sc.dockerIo) {
      for (let i = sc.p === DOCKER_IO_LIBRARY ? 0 : 1; i < DOCKER_IO_KNOWN.length && count < sc.tried; i++, count++) {
        pos = putBytes(buf, pos, JSON_LIST_BETWEEN);
        pos = putBytes(buf, pos, B_KNOWN[i]);
      }
    } else {
      const hostEnd = hostEndOf(input, sc.s, sc.firstSlash);
      for (let dot = input.indexOf(".", sc.s); dot !== -1 && dot < hostEnd && count < sc.tried; dot = input.indexOf(".", dot + 1), count++) {
        pos = putBytes(buf, pos, JSON_LIST_BETWEEN);
        pos = putBytes(buf, pos, B_STAR_DOT);
        pos = copy(buf, pos, at + dot + 1, at + hostEnd);
      }
    }
    return putBytes(buf, pos, JSON_LIST_CLOSE);
  };


  // The list of a scope's entry as templates see it (fast-path.ts `decidingPlan` without the verdict, which only
  // making a template needs; the repository path makes them): once per scope.
  const listOf = (transport: string, entry: ScopeEntry | undefined): ListOfScope => ({
    transport,
    entry,
    scope: entry ? { transport, scope: entry.scope } : null,
    requirements: entry ? entry.requirements : fast.sim.options.policy.default,
  });
  let lastDecider: TransportDecider | undefined;
  let lastRecords: TransportRecords | undefined;
  const transportRecords = (tr: TransportDecider): TransportRecords => {
    // References of one transport come in runs: the last one's answer without a Map lookup.
    if (tr === lastDecider) return lastRecords!;
    let r = perTransport.get(tr);
    if (r === undefined) {
      r = {
        bySlot: new Array<PlanTemplates | undefined>(tr.table?.capacity ?? 0).fill(undefined),
        fallbackEntry: fast.sim.index.scopesOf(tr.transport)?.get(""),
        fallback: undefined,
        known: new Map(),
      };
      perTransport.set(tr, r);
    }
    lastDecider = tr;
    lastRecords = r;
    return r;
  };

  return {
    prepare(text) {
      const tr = scanText(d, text);
      if (tr === undefined) return undefined;
      const docker = tr.transport === "docker";
      const shared = docker ? sharedLookup() : undefined;
      if (docker && shared === undefined) return undefined;
      let shape = docker ? shared!.shape : noLookup.shape;
      let dl: DigestedLookup | undefined;
      if (sc.digested) {
        if (docker) {
          if (digestedLookup === undefined) {
            const raw = shared!.template.digested;
            if (raw === undefined) return undefined;
            digestedLookup = raw === null ? null : digestedOf(shared!, raw);
          }
          if (digestedLookup === null) return undefined;
          dl = digestedLookup;
          shape = dl.shape;
        }
        shape |= SHAPE.digest | SHAPE.sha256;
      }
      const slot = findScope(d, tr, text);
      const recs = transportRecords(tr);
      let p: PlanTemplates | undefined;
      if (slot !== -1) {
        p = recs.bySlot[slot];
        if (p === undefined) recs.bySlot[slot] = p = templatesOf(listOf(tr.transport, tr.table!.entries[slot]), false);
      } else if (sc.known !== undefined) {
        const entry = sc.known.entry!;
        p = recs.known.get(entry);
        if (p === undefined) recs.known.set(entry, (p = templatesOf(listOf(tr.transport, entry), false)));
      } else p = recs.fallback ??= templatesOf(listOf(tr.transport, recs.fallbackEntry), false);
      if (p.remapPrefixes.length > 0) return undefined;
      const found = p.shared.byShape.get(shape);
      if (found === undefined || found === null) return undefined;
      input = text;
      t = tr;
      tpl = found;
      pt = p;
      lookup = shared;
      digested = dl;
      // After `@sha256:` (the scan takes no other digest).
      hexFrom = sc.digested ? sc.nameEnd + 8 : -1;
      imageName = imageNameOf(tr, text, sc.s, sc.nameEnd, sc.pathStart, sc.explicitDomain, sc.dockerIo, sc.components, sc.bare);
      return found.allowed ? "allow" : "deny";
    },

    writePrepared(sink) {
      const rt = tpl!;
      const bytes = rt.bytes;
      const slots = rt.slots;
      const n = input.length;
      // Room for the whole record, made once: every slot is a piece of the reference (at most its length and an 18-byte
      // prefix and a 7-byte suffix, within V), or policy and configuration text counted by its bytes. The reference's
      // own bytes (ASCII: scanText accepts nothing else) are written once, past that room, and every piece of it is
      // copied from there.
      const V = n + 32;
      let lb: LookupBytes | undefined;
      let lookupRoom = noLookupBytes.length;
      if (lookup !== undefined) {
        lb = lookupBytes?.of === lookup ? lookupBytes : (lookupBytes = lookupBytesOf(lookup));
        lookupRoom = lb.room(V) + (digested === undefined ? 0 : blanksRoom(digested.json, V) + (digested.signature1 === null ? 0 : blanksRoom(digested.signature1, V)));
      }
      const room =
        rt.fixedBytes + slots.length * V + rt.scopeSlots * 3 * pt!.scopeText.length + rt.triedSlots * (4 + (sc.tried + 1) * V) + rt.lookupSlots * lookupRoom;
      sink.reserve(room + n);
      const start = sink.pos;
      const at = start + room;
      sink.pos = at;
      sink.putText(input, 0, n);
      const buf = sink.buf;
      let pos = putBytes(buf, start, bytes[0]);
      for (let i = 0; i < slots.length; i++) {
        const k = slots[i];
        // Identities, names, tags and inputs accepted here are of the reference grammar (JSON-safe); lookup strings are
        // checked when a template is made for them (lookupShape): written without escaping.
        if (k === R) pos = copy(buf, pos, at, at + n);
        else if (k === I) {
          pos = putName(buf, pos, at, sc.nameEnd);
          pos = sc.bare ? putBytes(buf, pos, B_LATEST) : copy(buf, pos, at + sc.nameEnd, at + n);
        } else if (k === E || k === M) pos = putName(buf, pos, at, sc.nameEnd);
        else if (k === T) pos = putTried(buf, pos, at);
        else if (k === L) {
          if (lb === undefined) pos = putBytes(buf, pos, noLookupBytes);
          else if (digested !== undefined) pos = putBlanks(buf, pos, at, digested.json);
          else pos = putAroundPath(buf, pos, at, lb.json);
        } else if (k === N || k === W) {
          const from = k === N ? 0 : t!.transport === "docker" ? 7 : 14;
          if (imageName === input) pos = copy(buf, pos, at + from, at + n);
          else {
            sink.pos = pos;
            sink.putText(imageName, from, imageName.length);
            pos = sink.pos;
          }
        } else if (k === C) {
          // The policy's text, encoded as it is written (a Uint8Array per scope would cost more memory than the encoding).
          sink.pos = pos;
          sink.putText(pt!.scopeText, 0, pt!.scopeText.length);
          pos = sink.pos;
        }
        else if (k === D) pos = sc.dockerIo ? putBytes(buf, pos, B_DOCKER_IO) : copy(buf, pos, at + sc.s, at + sc.firstSlash);
        else if (k === P) pos = putPath(buf, pos, at);
        else if (k === G) pos = sc.bare ? putBytes(buf, pos, B_LATEST_TAG) : copy(buf, pos, at + sc.nameEnd + 1, at + n);
        else if (k === H) pos = copy(buf, pos, at + sc.nameEnd + 1, at + n);
        else if (k === B) pos = putAroundPath(buf, pos, at, lb!.base!);
        else if (k === S) pos = digested !== undefined ? putBlanks(buf, pos, at, digested.signature1!) : putBytes(buf, pos, lb!.signature1!);
        else if (k === A) {
          if (hexFrom === -1) pos = putBytes(buf, pos, lb!.attachmentTag!);
          else {
            // sigstoreAttachmentTag: `sha256-<hex>.sig`.
            pos = putBytes(buf, pos, B_SHA256_DASH);
            pos = copy(buf, pos, at + hexFrom, at + n);
            pos = putBytes(buf, pos, B_SIG);
          }
        }
        pos = putBytes(buf, pos, bytes[i + 1]);
      }
      // A broken invariant, not a record: the writes went past the room (into the reference's bytes).
      if (pos > at) throw new Error(`internal error: a record of ${pos - start} bytes outgrew its room of ${room}`);
      sink.pos = pos;
    },
  };
}

/** `buf[from, to)` copied to `pos` (a piece of the reference's bytes, past the record's room); the new position. */
function copy(buf: Uint8Array, pos: number, from: number, to: number): number {
  const len = to - from;
  // A call into copyWithin costs more than a short loop (as putBytes).
  if (len < 12) {
    for (let i = 0; i < len; i++) buf[pos + i] = buf[from + i];
  } else buf.copyWithin(pos, from, to);
  return pos + len;
}

const B_LATEST = utf8(":latest");
const B_LATEST_TAG = utf8("latest");
const B_DOCKER_IO = utf8("docker.io");
const B_LIBRARY = utf8("library/");
const B_SHA256_DASH = utf8("sha256-");
const B_SIG = utf8(".sig");
const B_STAR_DOT = utf8("*.");
const B_KNOWN = DOCKER_IO_KNOWN.map(utf8);
const B_PREFIXES = new Map<string, Uint8Array>([["", new Uint8Array(0)], ...["docker.io/", "docker.io/library/"].map((p): [string, Uint8Array] => [p, utf8(p)])]);

/** The shared lookup's strings as UTF-8 (see SharedLookup). */
interface LookupBytes {
  of: SharedLookup;
  json: Uint8Array[];
  base: Uint8Array[] | null;
  signature1: Uint8Array | null;
  attachmentTag: Uint8Array | null;
  /** At most how many bytes any of its slots takes, the repository path being at most `v` bytes. */
  room(v: number): number;
}

function lookupBytesOf(l: SharedLookup): LookupBytes {
  const json = l.json.map(utf8);
  const base = l.base === null ? null : l.base.map(utf8);
  const signature1 = l.signature1 === null ? null : utf8(l.signature1);
  const attachmentTag = l.attachmentTag === undefined ? null : utf8(l.attachmentTag);
  const fixed = bytesIn(json) + (base === null ? 0 : bytesIn(base)) + (signature1?.length ?? 0) + (attachmentTag?.length ?? 0);
  const pieces = json.length + (base?.length ?? 0) + 1;
  return { of: l, json, base, signature1, attachmentTag, room: (v) => fixed + pieces * v };
}

/** At most how many bytes text with blanks takes, a blank being at most `v` bytes. */
function blanksRoom(b: Blanks, v: number): number {
  return bytesIn(b.partBytes) + b.blanks.length * v;
}
