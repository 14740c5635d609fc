/**
 * Dated approvals: `approve "…@sha256:…" because "…" [by "alice"] [until 2027-03-01]`. The date is the last day
 * (UTC) the approval holds. The clock is the caller's (`CheckOptions.now`, from `host.now()`, `--now` or
 * SOURCE_DATE_EPOCH); without one nothing expires, so a compile is a function of its source and its options only.
 * An expired approval is left out of the policy with a warning, or refused (`expiredApprovals: "refuse"`).
 */
import type * as A from "../syntax/ast.js";
import type { TrustCheckContext } from "./check-context.js";
import { MODULE_CODES as M } from "./module-codes.js";
import { approvalEnd } from "../ir/approval-dates.js";

/** Checks an approval's date; false when it has expired (it then adds no scope). */
export function approvalInForce(ctx: TrustCheckContext, a: A.ApproveDecl): boolean {
  if (!a.until || a.until.recovered) return true;
  const end = approvalEnd(a.until.value);
  if (end === undefined) {
    ctx.report(M.invalidDate, "error", `${a.until.value} is not a calendar day.`, a.until.span, { hint: "Write the approval's last day as YYYY-MM-DD." });
    return true;
  }
  const now = ctx.options.now;
  if (!now || now.getTime() < end) return true;
  const what = `The approval of "${a.reference.value}" (${a.reason.value}) expired after ${a.until.value}`;
  if (ctx.options.expiredApprovals === "refuse") {
    ctx.report(M.approvalExpiredRefused, "error", `${what}.`, a.until.span, { hint: "Renew it with a new date and reason, or delete it." });
  } else {
    ctx.report(M.approvalExpired, "warning", `${what}; it is left out of the policy.`, a.until.span, { hint: "Renew it with a new date and reason, or delete it." });
  }
  return false;
}
