/**
 * Diagnostics as JSON for programs: the shape of `imagetrust validate --format json` (one array, an entry per
 * file) and of `lint --format json` (the same, with the rule name on lint findings).
 */
import type { Diagnostic } from "./diagnostic.js";
import type { SourceFile } from "../source/source-file.js";
import { resolveSpan } from "./render-text.js";

/** One related location in JSON. */
export interface JsonRelated {
  message: string;
  file: string;
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
}

/**
 * One diagnostic in JSON. Lines and columns are 1-based, columns in UTF-16 code units, the end exclusive;
 * all four are null for a problem with no location in the file (e.g. the file could not be read).
 */
export interface JsonDiagnostic {
  code: string;
  severity: "error" | "warning" | "info";
  message: string;
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
  /** The exact message containers/image would print for this problem, when it is the one it reports. */
  upstreamMessage?: string;
  /** The file the diagnostic is in, when it differs from the entry's file (a file inside a directory). */
  file?: string;
  /** For lint findings: the rule's name (e.g. "never-matching-scope"). */
  rule?: string;
  hint?: string;
  related?: JsonRelated[];
  /** A fix `lint --fix` would apply: replace each range by `text`. */
  fix?: { description: string; edits: Array<{ file: string; line: number | null; column: number | null; endLine: number | null; endColumn: number | null; text: string }> };
}

/** One file's entry. */
export interface JsonFileEntry {
  file: string;
  valid: boolean;
  diagnostics: JsonDiagnostic[];
}

/** What the JSON renderer needs besides the diagnostics. */
export interface JsonRenderOptions {
  getSource?: (file: string) => SourceFile | undefined;
  /** The rule name of a lint code (IT4xxx), if any. */
  ruleName?: (code: string) => string | undefined;
  /** How file names are written (default: as given). */
  displayPath?: (file: string) => string;
}

function place(file: string, start: number, end: number, options: JsonRenderOptions) {
  const source = options.getSource?.(file);
  if (!source) return { line: null, column: null, endLine: null, endColumn: null };
  return resolveSpan({ file, start, end }, source);
}

/** A diagnostic as a JSON value; `entryFile` is the file of the entry it is listed under. */
export function diagnosticToJson(d: Diagnostic, entryFile: string, options: JsonRenderOptions = {}): JsonDiagnostic {
  const pos = d.span ? place(d.span.file, d.span.start, d.span.end, options) : place("", 0, 0, {});
  const out: JsonDiagnostic = {
    code: d.code,
    severity: d.severity,
    message: d.message,
    line: pos.line,
    column: pos.column,
    endLine: pos.endLine,
    endColumn: pos.endColumn,
  };
  if (d.upstreamMessage !== undefined) out.upstreamMessage = d.upstreamMessage;
  const file = d.span?.file ?? d.file;
  if (file !== undefined && file !== entryFile) out.file = options.displayPath ? options.displayPath(file) : file;
  const rule = options.ruleName?.(d.code);
  if (rule) out.rule = rule;
  if (d.hint) out.hint = d.hint;
  if (d.related?.length) {
    out.related = d.related.map((r) => ({
      message: r.message,
      file: options.displayPath ? options.displayPath(r.span.file) : r.span.file,
      ...place(r.span.file, r.span.start, r.span.end, options) }));
  }
  if (d.fix) {
    out.fix = {
      description: d.fix.description,
      edits: d.fix.edits.map((e) => ({
        file: options.displayPath ? options.displayPath(e.span.file) : e.span.file,
        ...place(e.span.file, e.span.start, e.span.end, options),
        text: e.text,
      })),
    };
  }
  return out;
}

/** The JSON text of a list of file entries (pretty-printed, newline-terminated). */
export function renderJsonReport(
  files: ReadonlyArray<{ file: string; valid: boolean; diagnostics: readonly Diagnostic[] }>,
  options: JsonRenderOptions = {},
): string {
  const entries: JsonFileEntry[] = files.map((f) => ({
    file: options.displayPath ? options.displayPath(f.file) : f.file,
    valid: f.valid,
    diagnostics: f.diagnostics.map((d) => diagnosticToJson(d, f.file, options)),
  }));
  return JSON.stringify(entries, null, 2) + "\n";
}
