/**
 * approval-expiry (IT4030): an approval (`approve "…@sha256:…" because "…" until 2027-03-01`) that ends soon, or has
 * ended. The date is the source's: policy.json has no place for it (an approval lowers to an exact-digest docker
 * scope, which containers/image's `PolicyContext.requirementsForImageRef` matches by the reference's
 * `PolicyConfigurationIdentity`, name@digest), so only the toolchain can act on it: `compile` leaves an expired
 * approval out (IT2250), and this rule warns ahead so that it is renewed or removed in time.
 */
import { daysLeft } from "../../ir/approval-dates.js";
import type { Rule } from "../rule.js";

/** Days ahead of the end that the rule warns, unless configured (`approvalWarnDays`, `--approval-warn-days`). */
export const DEFAULT_APPROVAL_WARN_DAYS = 30;

/** The rule. */
export const approvalExpiry: Rule = {
  meta: {
    code: "IT4030",
    name: "approval-expiry",
    category: "security",
    defaultSeverity: "warning",
    description: "An approval whose 'until' date is near (warning) or past (error).",
    docs: {
      what:
        "Reports `approve … until DATE` lines of .trust sources whose last day is within `approvalWarnDays` (default 30; " +
        "`--approval-warn-days`) of the run's clock as a warning, and those whose day has passed as an error. The clock is " +
        "`--now`, else SOURCE_DATE_EPOCH, else the machine's.",
      why:
        "An approval is an exception to the trust policy that someone granted for a while. Once its date passes, " +
        "`compile` leaves it out of policy.json and the image stops being pullable; a warning ahead of time gives the " +
        "owner the chance to renew it (with a new reason) or replace the image.",
      example: 'approve "docker.io/library/nginx@sha256:…" because "OPS-101" by "alice" until 2027-03-01',
      instead: 'approve "docker.io/library/nginx@sha256:…" because "OPS-140: renewed after review" by "alice" until 2027-06-01',
    },
    messages: {
      soon: "The approval of '{scope}' ends after {until} ({days} day(s) left); renew it or remove it.",
      expired: "The approval of '{scope}' ended after {until}; compile leaves it out of policy.json.",
    },
  },
  create(ctx) {
    return {
      scope(entry, transport) {
        const until = entry.labels?.approvalUntil;
        if (transport.name !== "docker" || until === undefined || !ctx.now) return;
        const days = daysLeft(until, ctx.now);
        if (days === undefined) return;
        const span = entry.keyOrigin ?? entry.origin;
        const where = span ? { span } : { file: ctx.file };
        if (days <= 0) ctx.report({ messageId: "expired", data: { scope: entry.scope, until }, severity: "error", ...where });
        else if (days <= (ctx.approvalWarnDays ?? DEFAULT_APPROVAL_WARN_DAYS)) ctx.report({ messageId: "soon", data: { scope: entry.scope, until, days }, ...where });
      },
    };
  },
};
