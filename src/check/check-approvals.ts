/**
 * Dated approvals: `approve "…@sha256:…" because "…" [by "alice"] [until 2027-03-01]`. The date is the last day
 * (UTC) the approval holds. The clock is the caller's (`CheckOptions.now`, from `host.now()`, `--now` or
 * SOURCE_DATE_EPOCH); without one nothing expires, so a compile is a function of its source and its options only.
 * An expired approval is left out of the policy with a warning, or refused (`expiredApprovals: "refuse"`).
 */
import type * as A from "../syntax/ast.js";
import type { TrustCheckContext } from "./check-context.js";
import { MODULE_CODES as M } from "./module-codes.js";

const DAY_MS = 86_400_000;

/** The instant an approval dated `YYYY-MM-DD` stops holding (the next day's 00:00 UTC), or undefined if no such day. */
export function approvalEnd(date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return t + DAY_MS;
}

/** Whole days from `now` until the approval stops holding (0 or less: expired). */
export function daysLeft(date: string, now: Date): number | undefined {
  const end = approvalEnd(date);
  return end === undefined ? undefined : Math.ceil((end - now.getTime()) / DAY_MS);
}

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
