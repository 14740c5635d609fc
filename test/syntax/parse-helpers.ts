/** Helpers for trust-language syntax tests: diagnostics as "CODE line:col-line:col" strings. */
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { SourceFile } from "../../src/source/source-file.js";

/** A diagnostic as `CODE line:col` (start) plus `-line:col` (end), for table tests. */
export function at(source: SourceFile, d: Diagnostic): string {
  const s = source.position(d.span!.start);
  const e = source.position(d.span!.end);
  return `${d.code} ${s.line}:${s.column}-${e.line}:${e.column}`;
}

/** A source named t.trust. */
export function src(text: string): SourceFile {
  return new SourceFile("t.trust", text);
}
