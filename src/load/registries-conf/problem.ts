/**
 * A finding of the registries.conf loader before it becomes a Diagnostic: upstream's own error text rides along
 * (`go`), and only the first error carries it out, because `loadConfigFile` stops at its first error.
 */
import type { Span } from "../../source/source-file.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { DiagnosticCode } from "../../diagnostics/catalogue/index.js";

/** One finding; `go` is upstream's error text (unwrapped) for errors. */
export interface Problem {
  code: DiagnosticCode;
  severity: "error" | "warning" | "info";
  message: string;
  span?: Span;
  related?: Diagnostic["related"];
  /** Upstream's own error text (unwrapped), for errors. */
  go?: string;
  hint?: string;
  fix?: Diagnostic["fix"];
}

/** Problems → diagnostics; the first error with an upstream text gets `upstreamMessage` (wrapped by `wrap`). */
export function toDiagnostics(problems: Problem[], wrap: (go: string) => string): Diagnostic[] {
  let first = true;
  return problems.map((p) => {
    const d: Diagnostic = { code: p.code, severity: p.severity, message: p.message };
    if (p.span) d.span = p.span;
    if (p.related) d.related = p.related;
    if (p.hint) d.hint = p.hint;
    if (p.fix) d.fix = p.fix;
    if (p.severity === "error" && p.go !== undefined && first) {
      d.upstreamMessage = wrap(p.go);
      first = false;
    }
    return d;
  });
}
