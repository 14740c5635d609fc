/**
 * Records of `dir:` references whose image directory holds no manifest (a fleet names images that are not on this
 * machine), for `simulate --format jsonl|json` without evidence options: the path is resolved per reference as the
 * full path resolves it and the scope looked up; what the runtime reads of the directory (manifest.json, and
 * signature-1 when the policy allowed: the copy reads the signatures) is looked up in the same reference's view of the
 * file system: a directory that the resolution found missing has neither (no further lookup), else each is looked up
 * (lstat, no thrown error) and must be absent. What the record says after that is a function of the path as typed,
 * the scope's list, the namespaces tried and those answers, so it is written from a template: the full path's record
 * of an earlier reference of the same scope split around its path and namespaces, used once it gave the full path's
 * record for a second reference of another path (a path that also spells some other part of the record is caught
 * so).
 *
 * Only where nothing else shows through: lists of `insecureAcceptAnything` / `reject` (signature requirements verify
 * evidence), a path already absolute and clean whose resolution changes nothing (identity = path as typed), of
 * characters JSON writes as they are, manifest.json missing (ENOENT) and, when allowed, signature-1 too (ENOENT or
 * ENOTDIR). Anything else, or any other answer of the file system (a dangling symlink included), takes the full path.
 *
 * The common case of a fleet, an image directory that is not on this machine in a directory that is, is written by
 * {@link DirRecords.prepare} with two questions to the file system, those containers/image asks
 * (`explicitfilepath.ResolvePathToFullyExplicit`: `os.Lstat(path)`, then `filepath.EvalSymlinks` of its parent):
 * lstat of the path (missing: ENOENT), then realpath of its parent (the parent itself). Then the path's resolution,
 * lenient and strict, is the path as typed, and the image directory is missing: what the full path's answers are (see
 * `prepare`), without parsing, a per-reference memo or a JSON string; the record goes straight into the output as bytes.
 */
import { join, resolve } from "../host/path.js";
import type { HostFiles } from "../host/host.js";
import type { ScopeEntry } from "../ir/types.js";
import { parseImageReference } from "../reference/image-reference.js";
import { resolvePathToFullyExplicit } from "../reference/resolve-path.js";
import { decideRequirements } from "../simulate/evaluate.js";
import { fillTemplate } from "../simulate/record-template.js";
import type { FastRecord } from "../simulate/fast-record.js";
import { namespacesTried, requirementsForImageRef } from "../simulate/scope-lookup.js";
import type { RunSimulator } from "../simulate/simulate-run.js";
import type { ReferenceReads } from "../simulate/reference-reads.js";
import { projectRecord, type PreparedRecord, type RecordSelection } from "./simulate-output.js";
import { type ByteSink, JSON_EMPTY_LIST, JSON_LIST_BETWEEN, JSON_LIST_CLOSE, JSON_LIST_OPEN, sinkBytes, utf8 } from "../simulate/record-bytes.js";

/** A path JSON writes as it is (printable ASCII but `"` and `\`), absolute. */
const PLAIN_PATH = /^\/[ !#-[\]-~]*$/;
const TYPES = new Set(["insecureAcceptAnything", "reject"]);
/** The namespaces tried, marked in a template's text (raw control characters never appear in JSON text). */
const TRIED_SLOT = "\u0002";

interface DirTemplate {
  /** Text parts around slots; `slots[i]` (0: the path, 1: the namespaces tried) goes after `parts[i]`. */
  parts: string[];
  slots: number[];
  /** The parts as UTF-8 (made on first use). */
  bytes?: Uint8Array[];
  /** The path it was made from (a second, other path confirms it). */
  path: string;
  confirmed: boolean;
  verdict: "allow" | "deny";
}

/** The dir: record writer of a run (see the module comment). */
export interface DirRecords extends PreparedRecord {
  /**
   * The verdict of `input`'s record when it is the common case (see the module comment), held for
   * {@link PreparedRecord.writePrepared}; undefined: ask {@link DirRecords.record}.
   */
  prepare(input: string): "allow" | "deny" | undefined;
  record(input: string): Promise<FastRecord | undefined>;
  readonly counts: { templated: number; explained: number };
}

/**
 * The writer of `dir:` records for a run without evidence options (the caller checks; see the module comment).
 * `machine` is the host's own file system: the bytes path asks it directly, not through the run's per-reference memo
 * (which only the full path clears), so that nothing is remembered from one reference to the next.
 */
export function createDirRecords(o: {
  runner: RunSimulator;
  reads: ReferenceReads;
  cwd: string;
  selection: RecordSelection;
  machine: Pick<HostFiles, "realpath"> & Partial<Pick<HostFiles, "lstatIfExists">>;
}): DirRecords {
  const { runner, reads, cwd, selection, machine } = o;
  const sim = runner.simulator;
  const parse = sim.options.parse;
  const files = parse?.host?.files;
  // By deciding entry (undefined: the transport's or the global default); null: the full path for good.
  const templates = new Map<ScopeEntry | undefined, DirTemplate | null>();
  const counts = { templated: 0, explained: 0 };
  const exactRecord = async (input: string): Promise<FastRecord> => {
    reads.clear();
    const r = await runner.simulate(input);
    return { verdict: r.verdict, json: JSON.stringify(projectRecord(r, selection)) };
  };
  const dirScopes = sim.index.scopesOf("dir");
  // The record prepared last: its template, path, and how many of the path's parents were tried.
  let held: DirTemplate | undefined;
  let heldPath = "";
  let heldTried = 0;
  // Paths are PLAIN_PATH (printable ASCII): as many bytes as characters.
  const putPath = (sink: ByteSink, to: number): void => {
    sink.reserve(to);
    sink.putText(heldPath, 0, to);
  };
  return {
    counts,
    prepare(input) {
      if (machine.lstatIfExists === undefined || !input.startsWith("dir:")) return undefined;
      const path = input.slice(4);
      if (!PLAIN_PATH.test(path)) return undefined;
      const slash = path.lastIndexOf("/");
      const last = path.length - slash - 1;
      // A last element "", "." or ".." is resolved otherwise (and named so in errors): the full path.
      if (last === 0 || (path.charCodeAt(slash + 1) === 0x2e && (last === 1 || (last === 2 && path.charCodeAt(slash + 2) === 0x2e)))) return undefined;
      // The scope lookup of the path as its own identity (requirementsForImageRef: identity, then the parents, then ""),
      // kept only if the resolution below says the identity is the path.
      let entry: ScopeEntry | undefined;
      let tried = 0;
      if (dirScopes !== undefined) {
        entry = dirScopes.get(path);
        if (entry === undefined) {
          for (let end = slash; end > 0; end = path.lastIndexOf("/", end - 1)) {
            tried++;
            if ((entry = dirScopes.get(path.slice(0, end))) !== undefined) break;
          }
          entry ??= dirScopes.get("");
        }
      }
      // Only a confirmed template (made and confirmed by the full path, which also checked its list's types).
      const tpl = templates.get(entry);
      if (tpl === undefined || tpl === null || !tpl.confirmed) return undefined;
      // The file system, asked as containers/image asks it (explicitfilepath.ResolvePathToFullyExplicit): the path is
      // missing (lstat: ENOENT, no error thrown), and its parent resolves to itself (realpath; any other answer, an
      // error included, takes the full path). Then, with the path absolute and its last element a name:
      // - resolvePathLeniently: the path misses, its parent resolves to itself, so the path as typed;
      // - resolvePathToFullyExplicit: lstat ENOENT, the parent resolves, the last element is no "." or "..": the path;
      // - what the evidence reading asks of the image directory (manifest.json, signature-1): nothing, it is missing.
      try {
        if (machine.lstatIfExists(path) !== undefined) return undefined;
      } catch {
        return undefined;
      }
      const parent = slash === 0 ? "/" : path.slice(0, slash);
      try {
        if (machine.realpath(parent) !== parent) return undefined;
      } catch {
        return undefined;
      }
      held = tpl;
      heldPath = path;
      heldTried = tried;
      counts.templated++;
      return tpl.verdict;
    },
    writePrepared(sink) {
      const t = held!;
      const bytes = (t.bytes ??= t.parts.map(utf8));
      sinkBytes(sink, bytes[0]);
      for (let i = 0; i < t.slots.length; i++) {
        if (t.slots[i] === 0) putPath(sink, heldPath.length);
        else if (heldTried === 0) sinkBytes(sink, JSON_EMPTY_LIST);
        else {
          // The parents tried, nearest first (parentNamespaces), as JSON: plain paths need no escapes.
          sinkBytes(sink, JSON_LIST_OPEN);
          let end = heldPath.lastIndexOf("/");
          for (let k = 0; k < heldTried; k++, end = heldPath.lastIndexOf("/", end - 1)) {
            if (k > 0) sinkBytes(sink, JSON_LIST_BETWEEN);
            putPath(sink, end);
          }
          sinkBytes(sink, JSON_LIST_CLOSE);
        }
        sinkBytes(sink, bytes[i + 1]);
      }
    },
    async record(input) {
      if (!input.startsWith("dir:") || files?.lstatIfExists === undefined) return undefined;
      runner.newReference();
      reads.clear();
      const parsed = parseImageReference(input, parse);
      if (!parsed.ok || parsed.ref.transport !== "dir") return undefined;
      const ref = parsed.ref;
      const path = ref.withinTransport;
      if (ref.identity !== path || !PLAIN_PATH.test(path)) return undefined;
      // As the path check: containers/image resolves it strictly (answers remembered from the parse above).
      if (!resolvePathToFullyExplicit(path, cwd, files).ok) return undefined;
      const lookup = requirementsForImageRef(sim.index, ref);
      if (!lookup.requirements.every((r) => TYPES.has(r.type))) return undefined;
      let tpl = templates.get(lookup.entry);
      if (tpl === null) return undefined;
      const allowed = decideRequirements(lookup.requirements, { transport: "dir", imageName: ref.imageName }).allowed;
      // What the evidence reading asks of the directory (src/verify/evidence.ts gatherStored, readStored): a directory
      // the resolution found missing (remembered for this reference) has no files; else each must be absent.
      const dir = resolve(cwd, path);
      if (!absent(files, dir, [])) {
        if (!absent(files, join(dir, "manifest.json"), [])) return undefined;
        if (allowed && !absent(files, join(dir, "signature-1"), ["ENOTDIR"])) return undefined;
      }
      const tried = JSON.stringify(namespacesTried(lookup));
      if (tpl !== undefined && tpl.confirmed) {
        counts.templated++;
        return { verdict: tpl.verdict, json: fill(tpl, path, tried) };
      }
      // The full path, which also makes (first reference) or confirms (a later one of another path) the template.
      counts.explained++;
      const exact = await exactRecord(input);
      if (tpl === undefined) templates.set(lookup.entry, template(exact, path, tried));
      else if (tpl.path !== path) {
        tpl.confirmed = fill(tpl, path, tried) === exact.json && tpl.verdict === exact.verdict;
        if (!tpl.confirmed) templates.set(lookup.entry, null);
      }
      return exact;
    },
  };
}

/**
 * Whether nothing is at `p` (lstat: ENOENT, or another of `codes`); false when something is (a dangling symlink
 * included) or another error says nothing sure.
 */
function absent(files: Pick<HostFiles, "lstatIfExists">, p: string, codes: readonly string[]): boolean {
  try {
    return files.lstatIfExists!(p) === undefined;
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    return typeof code === "string" && codes.includes(code);
  }
}

/** The record split around the path and the namespaces tried (null: they cannot be told apart). */
function template(exact: FastRecord, path: string, tried: string): DirTemplate | null {
  const field = '"namespacesTried":' + tried;
  let text = exact.json;
  const at = text.indexOf(field);
  if (at !== -1) {
    if (text.indexOf(field, at + 1) !== -1) return null;
    text = text.slice(0, at) + '"namespacesTried":' + TRIED_SLOT + text.slice(at + field.length);
  }
  const parts: string[] = [];
  const slots: number[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const slot = text.startsWith(path, i) ? 0 : text.charCodeAt(i) === 2 ? 1 : -1;
    if (slot < 0) continue;
    parts.push(text.slice(start, i));
    slots.push(slot);
    start = i + (slot === 0 ? path.length : 1);
    i = start - 1;
  }
  parts.push(text.slice(start));
  return { parts, slots, path, confirmed: false, verdict: exact.verdict };
}

function fill(t: DirTemplate, path: string, tried: string): string {
  return fillTemplate(t, (slot) => (slot === 0 ? path : tried));
}
