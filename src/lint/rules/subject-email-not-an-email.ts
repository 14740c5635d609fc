/**
 * subject-email-not-an-email (IT4028): a `fulcio.subjectEmail` (or `pki.subjectEmail`) that is not an e-mail address —
 * a URI such as a GitHub Actions workflow, or a text without '@'.
 *
 * Upstream: `signature/fulcio_cert.go` `verifyFulcioCertificateAtTime` accepts a certificate only when
 * `slices.Contains(untrustedCertificate.EmailAddresses, f.subjectEmail)` — the e-mail SANs, nothing else (a FIXME there
 * lists URIs as not matched); `pki_cert.go` does the same for `pki.subjectEmail`. A CI workflow's certificate names the
 * workflow by a URI SAN and has no e-mail SAN, so the policy loads and denies every image. An empty subjectEmail never
 * gets here: `newPRSigstoreSignedFulcio` refuses it when the policy is loaded ("subjectEmail not specified"), and so does
 * our loader (IT1xxx); for pki an empty subjectEmail counts as absent (`newPRSigstoreSignedPKI`).
 */
import { notAnEmailReason, looksLikeWorkflow } from "../../check/check-subjects.js";
import { NODE_EMAIL_ONLY_OPTIONS } from "../../diagnostics/catalogue/evidence-identity.js";
import type { Requirement } from "../../ir/types.js";
import type { Span } from "../../source/source-file.js";
import type { Rule } from "../rule.js";

/** The rule. */
export const subjectEmailNotAnEmail: Rule = {
  meta: {
    code: "IT4028",
    name: "subject-email-not-an-email",
    category: "correctness",
    defaultSeverity: "error",
    description: "A subjectEmail that is not an e-mail address (a CI workflow URI, no '@'): no certificate can match it.",
    docs: {
      what: "Reports `fulcio.subjectEmail` and `pki.subjectEmail` values that are URIs (`https://github.com/…/release.yml@refs/heads/main`) or have no '@'.",
      why:
        "containers/image compares subjectEmail with the certificate's e-mail SANs only (fulcio_cert.go verifyFulcioCertificateAtTime). " +
        "A certificate Fulcio issues to a CI workflow (GitHub Actions, GitLab CI, …) names it by a URI SAN and has no e-mail SAN, so the policy " +
        "loads fine and every image is denied with `Required email … not found (got [])`. No released version (up to 5.39) matches URI SANs; " +
        "workflow identities are proposed upstream (containers/container-libs#34), not released.",
      example: '"fulcio": { "caPath": "…", "oidcIssuer": "https://token.actions.githubusercontent.com", "subjectEmail": "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main" }',
      instead:
        "Sign in CI with a key pair (`cosign sign --key`) and use `keyPath`; or a signer whose token carries an e-mail (`subjectEmail: \"release@acme.example\"`); " +
        "or enforce the workflow identity at admission (`imagetrust compile --target-k8s`, `workflow \"URI\"` in a .trust key).",
    },
    messages: {
      notEmail: "{field} \"{value}\" {why}: containers/image compares it with the certificate's e-mail SANs only, so no certificate matches and every image is denied.",
    },
  },
  create(ctx) {
    const check = (field: string, value: string, origin: Span | undefined, r: Requirement): void => {
      const why = notAnEmailReason(value);
      if (why === undefined) return;
      const span = origin ?? r.origin;
      ctx.report({
        messageId: "notEmail",
        data: { field, value, why },
        span,
        file: span ? undefined : ctx.file,
        hint: looksLikeWorkflow(value) ? `A URI is a CI workflow's identity. ${NODE_EMAIL_ONLY_OPTIONS}` : "Write the signer's e-mail address as the certificate carries it.",
      });
    };
    return {
      // Called for every requirement of the policy (validate runs this rule over tens of thousands of scopes):
      // nothing is allocated unless there is a subjectEmail to look at.
      requirement(r) {
        if (r.type !== "sigstoreSigned") return;
        if (r.fulcio?.subjectEmail !== undefined) check("fulcio.subjectEmail", r.fulcio.subjectEmail, r.fulcio.origin, r);
        if (r.pki?.subjectEmail !== undefined) check("pki.subjectEmail", r.pki.subjectEmail, r.pki.origin, r);
      },
    };
  },
};
