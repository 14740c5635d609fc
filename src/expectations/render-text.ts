/** The text report of `imagetrust test`: per file the counts, and for each failure expected vs actual with the explanation. */
import type { SourceFile } from "../source/source-file.js";
import { renderSimulationExplanation } from "../simulate/render-text.js";
import { EXPECTATION_CODES } from "./codes.js";
import type { ExpectationRun } from "./run.js";

/** A text report: per file the counts, and for each failure expected vs actual with the explanation. */
export function renderExpectationsText(runs: readonly ExpectationRun[], options: { sourceOf?: (file: string) => SourceFile | undefined } = {}): string {
  const out: string[] = [];
  let passed = 0;
  let failed = 0;
  for (const run of runs) {
    passed += run.passed;
    failed += run.failed;
    out.push(`${run.file}: ${run.passed} passed, ${run.failed} failed`);
    for (const d of run.diagnostics) if (d.code !== EXPECTATION_CODES.failed) out.push(`  ${d.severity} ${d.code}: ${d.message}`);
    for (const r of run.results) {
      if (r.passed) continue;
      let where = "";
      const src = r.expectation.origin ? options.sourceOf?.(r.expectation.origin.file) : undefined;
      if (src && r.expectation.origin) {
        const p = src.position(r.expectation.origin.start);
        where = `${r.expectation.origin.file}:${p.line}:${p.column}: `;
      }
      out.push(`  FAIL ${where}expect ${r.expectation.verdict} ${r.expectation.reference}${r.expectation.scope !== undefined ? ` by ${JSON.stringify(r.expectation.scope)}` : ""}`);
      for (const p of r.problems) out.push(`    ${p}`);
      out.push(
        renderSimulationExplanation(r.actual)
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
