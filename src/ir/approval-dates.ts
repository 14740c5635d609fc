/**
 * Dates of approvals (`approve … until 2027-03-01`): the day is the last one (UTC) the approval holds. Shared by the
 * checker (compile drops expired approvals) and the approval-expiry lint rule (warns ahead, errors after).
 */

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

/** Whole days from `now` until the approval stops holding, rounded up (0 or less: expired). */
export function daysLeft(date: string, now: Date): number | undefined {
  const end = approvalEnd(date);
  return end === undefined ? undefined : Math.ceil((end - now.getTime()) / DAY_MS);
}
