/** Diagnostics are values: every problem found anywhere in imagetrust is one of these. */
import type { Span } from "../source/source-file.js";
import type { DiagnosticCode } from "./catalogue/index.js";

/** How serious a diagnostic is. "error" makes a file invalid / a command fail. */
export type Severity = "error" | "warning" | "info";

/** Another location involved in a diagnostic (e.g. the first definition of a duplicate). */
export interface RelatedLocation {
  message: string;
  span: Span;
}

/** One text replacement of a fix: replace [span.start, span.end) of span.file by `text`. */
export interface TextEdit {
  span: Span;
  text: string;
}

/** A fix the tool can apply on request (`--fix`). */
export interface Fix {
  description: string;
  edits: TextEdit[];
}

/**
 * A problem, with a stable code.
 *
 * Code bands (a code is never reused):
 *  IT1xxx  policy.json loading (IT10xx syntax/structure, IT11xx semantics, IT12xx target-version)
 *  IT13xx  registries.d loading          IT14xx registries.conf loading
 *  IT2xxx  .trust syntax (IT20xx) and checking (IT21xx–IT24xx)
 *  IT3xxx  emitters                      IT4xxx lint rules
 *  IT5xxx  simulator and references      IT6xxx signature verification
 *  IT7xxx  Kubernetes admission targets  IT9xxx files, CLI, configuration, internal
 */
export interface Diagnostic {
  /** A code registered in the catalogue (src/diagnostics/catalogue/): `imagetrust explain CODE` prints its page. */
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** Where the problem is; absent only for problems with no location (e.g. an unreadable file). */
  span?: Span;
  /** The file, when there is no span. */
  file?: string;
  related?: RelatedLocation[];
  /** A hint on what to write instead. */
  hint?: string;
  /** The message containers/image itself would print for this problem (first problem of a file only). */
  upstreamMessage?: string;
  fix?: Fix;
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}
