/**
 * The evidence clauses of an expectation (issue 16): `with signatures "DIR" [manifest "FILE"]` and
 * `because CODE | "text"`. Only a denial has a reason (IT2261); a code must be one a denial can carry (IT2262 unknown,
 * with a did-you-mean; IT2263 a real code no denial carries). The evidence paths are read by `imagetrust test`
 * (IT2264 there), not here: compiling a source does not depend on its test fixtures.
 */
import type * as A from "../syntax/ast.js";
import { becauseCodeProblem } from "../simulate/denial-codes.js";
import type { TrustCheckContext } from "./check-context.js";
import { MODULE_CODES as M } from "./module-codes.js";

/** Check the `because` clause of one expectation. */
export function checkExpectationClauses(ctx: TrustCheckContext, e: A.ExpectDecl): void {
  const b = e.because;
  if (!b || b.recovered) return;
  if (e.verdict === "allow") {
    ctx.report(M.becauseOnAllow, "error", "Only a denial has a reason: `because` belongs to `expect deny`.", b.span, {
      hint: "Drop the `because`, or expect `deny`.",
    });
    return;
  }
  if (b.kind !== "code") return;
  const problem = becauseCodeProblem(b.code.name);
  if (!problem) return;
  ctx.report(problem.kind === "unknown" ? M.becauseUnknownCode : M.becauseNotADenialCode, "error", problem.message, b.code.span, problem.hint ? { hint: problem.hint } : {});
}
