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
import { projectRecord, type RecordSelection } from "./simulate-output.js";

/** A path JSON writes as it is (printable ASCII but `"` and `\`), absolute. */
const PLAIN_PATH = /^\/[ !#-[\]-~]*$/;
const TYPES = new Set(["insecureAcceptAnything", "reject"]);
/** The namespaces tried, marked in a template's text (raw control characters never appear in JSON text). */
const TRIED_SLOT = "\u0002";

interface DirTemplate {
  /** Text parts around slots; `slots[i]` (0: the path, 1: the namespaces tried) goes after `parts[i]`. */
  parts: string[];
  slots: number[];
  /** The path it was made from (a second, other path confirms it). */
  path: string;
  confirmed: boolean;
  verdict: "allow" | "deny";
}

/** The dir: record writer of a run (see the module comment). */
export interface DirRecords {
  record(input: string): Promise<FastRecord | undefined>;
  readonly counts: { templated: number; explained: number };
}

/** The writer of `dir:` records for a run without evidence options (the caller checks; see the module comment). */
export function createDirRecords(o: { runner: RunSimulator; reads: ReferenceReads; cwd: string; selection: RecordSelection }): DirRecords {
  const { runner, reads, cwd, selection } = o;
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
  return {
    counts,
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
