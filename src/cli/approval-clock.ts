/**
 * The clock approvals' `until` dates are judged by: `--now`, else SOURCE_DATE_EPOCH (seconds since the epoch, the
 * reproducible-builds convention), else the host's clock. Only whether an approval is still in force depends on it;
 * nothing clock-dependent is written into the output.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { MODULE_CODES } from "../check/module-codes.js";
import { UsageError, type CommandContext } from "./context.js";

/** The `--now` help text. */
export const NOW_HELP = "judge approvals' 'until' dates at this time (YYYY-MM-DD or an ISO 8601 date-time; default: SOURCE_DATE_EPOCH if set, else the clock)";

/** Parse `--now` / SOURCE_DATE_EPOCH; a bad value is a usage error. */
export function approvalClock(ctx: CommandContext, now: string | undefined): Date {
  if (now !== undefined) {
    const d = /^\d{4}-\d{2}-\d{2}$/.test(now) ? new Date(now + "T00:00:00Z") : new Date(now);
    if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(now)) throw new UsageError(`invalid --now '${now}': expected YYYY-MM-DD or an ISO 8601 date-time such as 2027-03-01T12:00:00Z`);
    return d;
  }
  const epoch = ctx.host.env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== "") {
    if (!/^\d+$/.test(epoch)) throw new UsageError(`invalid SOURCE_DATE_EPOCH '${epoch}': expected whole seconds since 1970-01-01`);
    return new Date(Number(epoch) * 1000);
  }
  return ctx.host.now();
}

/** An unknown profile (IT2230) is a usage error: the message names the profiles there are, the hint the nearest one. */
export function throwOnUnknownProfile(diagnostics: readonly Diagnostic[]): void {
  const d = diagnostics.find((x) => x.code === MODULE_CODES.unknownProfile);
  if (!d) return;
  const hint = d.hint ? ` (${d.hint.trim()})` : "";
  throw new UsageError(`unknown profile: ${d.message}${hint}`);
}
