/** The text report of `imagetrust test`: per file the counts, and for each failure expected vs actual with the explanation. */
import { renderDiagnosticText } from "../diagnostics/render-text.js";
import type { SourceFile } from "../source/source-file.js";
import { renderSimulationExplanation } from "../simulate/render-text.js";
import { renderEvidenceText } from "../simulate/render-evidence.js";
import { EXPECTATION_CODES } from "./codes.js";
import type { ExpectationRun } from "./run.js";

/** A text report: per file the counts, and for each failure expected vs actual with the explanation. */
export function renderExpectationsText(
  runs: readonly ExpectationRun[],
  options: { sourceOf?: (file: string) => SourceFile | undefined; displayPath?: (file: string) => string } = {},
): string {
  const show = options.displayPath ?? ((f: string) => f);
  const out: string[] = [];
  let passed = 0;
  let failed = 0;
  for (const run of runs) {
    passed += run.passed;
    failed += run.failed;
    out.push(`${show(run.file)}: ${run.passed} passed, ${run.failed} failed`);
    // Problems with the file, at file:line:column with a code frame, as every other command renders diagnostics.
    for (const d of run.diagnostics) {
      if (d.code === EXPECTATION_CODES.failed) continue;
      const text = renderDiagnosticText(d, { getSource: options.sourceOf, displayPath: show });
      out.push(...text.trimEnd().split("\n").map((l) => "  " + l));
    }
    for (const r of run.results) {
      if (r.passed) continue;
      let where = "";
      const src = r.expectation.origin ? options.sourceOf?.(r.expectation.origin.file) : undefined;
      if (r.location) where = `${show(r.location.file)}:${r.location.line}:${r.location.column}: `;
      else if (src && r.expectation.origin) {
        const p = src.position(r.expectation.origin.start);
        where = `${show(r.expectation.origin.file)}:${p.line}:${p.column}: `;
      }
      const e = r.expectation;
      const evidence = e.evidence
        ? ` with signatures ${JSON.stringify(show(e.evidence.signatures))}${e.evidence.manifest !== undefined ? ` manifest ${JSON.stringify(show(e.evidence.manifest))}` : ""}`
        : "";
      const because = e.because ? ` because ${"code" in e.because ? e.because.code : JSON.stringify(e.because.text)}` : "";
      out.push(`  FAIL ${where}expect ${e.verdict} ${e.reference}${e.scope !== undefined ? ` by ${JSON.stringify(e.scope)}` : ""}${evidence}${because}`);
      for (const p of r.problems) out.push(`    ${p}`);
      // What came, beside what was expected: the verdict, the codes the decision carries and the runtime's words.
      if (r.codes !== undefined) {
        const carries = r.codes.length ? `, carrying ${r.codes.join(", ")}` : "";
        out.push(`    got: ${r.actual.verdict}${carries}${r.actual.upstreamError ? `: ${r.actual.upstreamError}` : ""}`);
      }
      const explanation = renderSimulationExplanation(r.actual) + ("signatures" in r.actual ? renderEvidenceText(r.actual.signatures, "  ") : "");
      out.push(
        explanation
          .trimEnd()
          .split("\n")
          .map((l) => "    " + l)
          .join("\n"),
      );
    }
  }
  out.push(`${passed} passed, ${failed} failed`);
  return out.join("\n") + "\n";
}
