/**
 * The subject of a keyless (fulcio) or PKI key: an e-mail identity (`email "…"`) or a CI workflow identity
 * (`workflow [prefix|regexp] "URI"`, issue 12). Node targets (policy.json) can match e-mail SANs only —
 * containers/image `signature/fulcio_cert.go` `verifyFulcioCertificateAtTime` compares `subjectEmail` with the
 * certificate's `EmailAddresses` and nothing else (`pki_cert.go` likewise) — so a workflow identity, or a URI written
 * as an e-mail, is an error there; admission targets compare `subject` with every SAN and emit it.
 * Diagnostics IT2200–IT2204 (catalogue/evidence-identity.ts); an e-mail without '@' is lint rule IT4028's.
 */
import { NODE_EMAIL_ONLY_OPTIONS } from "../diagnostics/catalogue/evidence-identity.js";
import type * as A from "../syntax/ast.js";
import type { TrustCheckContext } from "./check-context.js";

/** The checker's codes for signer subjects. */
export const SUBJECT_CODES = {
  workflowOnNode: "IT2200",
  emailNotAnEmail: "IT2201",
  twoSubjects: "IT2202",
  invalidWorkflow: "IT2203",
  unanchoredRegexp: "IT2204",
} as const;

/** A URI with a scheme (`https://…`, `spiffe://…`): what Fulcio writes into a URI SAN. */
const URI_WITH_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * Why a subjectEmail value can never be an e-mail SAN, or undefined when it looks like an address. Used by the
 * checker (`email "…"`) and lint rule IT4028 (a policy.json's `subjectEmail`); empty values are the loader's.
 */
export function notAnEmailReason(value: string): string | undefined {
  if (value === "") return undefined;
  if (URI_WITH_SCHEME.test(value)) return "is a URI, not an e-mail address";
  if (!value.includes("@")) return "has no '@': it is not an e-mail address";
  return undefined;
}

/** True when the value reads as a CI workflow's URI (the common mistake), for the hints. */
export function looksLikeWorkflow(value: string): boolean {
  return URI_WITH_SCHEME.test(value);
}

/** The subject clauses of a fulcio or pki key, as written (called for every key). */
export function checkSubjectClauses(ctx: TrustCheckContext, k: A.KeyDecl, spec: A.FulcioKeySpec | A.PkiKeySpec): void {
  const email = spec.clauses.find((c) => c.clause === "email" && !c.recovered);
  const workflow = spec.clauses.find((c) => c.clause === "workflow" && !c.recovered);
  if (email && workflow) {
    ctx.report(SUBJECT_CODES.twoSubjects, "error", `Key '${k.name.name}' names two subjects ('email' and 'workflow'); a certificate is matched against one.`, workflow.keywordSpan, {
      related: [{ message: "'email' given here", span: email.keywordSpan }],
      hint: "Keep 'email' for a person or service account, 'workflow' for a CI workflow.",
    });
  }
  if (workflow && workflow.value.value !== "") checkWorkflowValue(ctx, workflow);
}

function checkWorkflowValue(ctx: TrustCheckContext, c: A.KeyClause): void {
  const v = c.value.value;
  if (c.match === "regexp") {
    try {
      new RegExp(v, "u");
    } catch (e) {
      ctx.report(SUBJECT_CODES.invalidWorkflow, "error", `'workflow regexp' is not a valid regular expression: ${(e as Error).message}.`, c.value.span);
      return;
    }
    if (!v.startsWith("^") || !v.endsWith("$")) {
      ctx.report(
        SUBJECT_CODES.unanchoredRegexp,
        "warning",
        "This regexp is not anchored (^…$): admission controllers find it anywhere in the certificate's URI, so other repositories' workflows can match.",
        c.value.span,
        { hint: "Anchor it with ^ and $, or use 'workflow prefix \"…\"'." },
      );
    }
    return;
  }
  if (!URI_WITH_SCHEME.test(v)) {
    const email = /^[^@\s]+@[^@\s]+$/.test(v);
    ctx.report(SUBJECT_CODES.invalidWorkflow, "error", `A workflow identity is a URI with a scheme (https://…); "${v}" is not.`, c.value.span, {
      hint: email
        ? `"${v}" is an e-mail address: write email "${v}".`
        : "Write the URI the certificate carries, e.g. https://github.com/OWNER/REPO/.github/workflows/release.yml@refs/heads/main.",
    });
  }
}

/**
 * What a used key's subject means for the compile target: on nodes a workflow identity (IT2200) or an e-mail slot
 * holding a URI (IT2201) can never match and is an error; for admission an e-mail slot holding a URI is a warning
 * (it does match there, but says something else than it means).
 */
export function checkSubjectForTarget(ctx: TrustCheckContext, k: A.KeyDecl, spec: A.FulcioKeySpec | A.PkiKeySpec): void {
  const admission = ctx.options.admission === true;
  for (const c of spec.clauses) {
    if (c.recovered) continue;
    if (c.clause === "workflow" && !admission) {
      ctx.report(
        SUBJECT_CODES.workflowOnNode,
        "error",
        `Key '${k.name.name}' names a CI workflow, which containers/image cannot match: on nodes fulcio.subjectEmail is compared with the certificate's e-mail SANs only (fulcio_cert.go), a workflow's certificate carries a URI SAN, and no release up to 5.39 reads URI SANs — every image would be denied.`,
        c.span,
        { hint: NODE_EMAIL_ONLY_OPTIONS.replace("`compile --target-k8s policy-controller|kyverno`", "compile this source with --target-k8s policy-controller|kyverno") },
      );
    }
    // A URI is the checker's (it can never match on nodes); other values without '@' are lint IT4028's, which sees
    // .trust sources and policy.json alike.
    if (c.clause === "email" && looksLikeWorkflow(c.value.value)) {
      const why = notAnEmailReason(c.value.value)!;
      if (admission) {
        if (spec.kind !== "fulcio") continue;
        ctx.report(SUBJECT_CODES.emailNotAnEmail, "warning", `The e-mail identity of key '${k.name.name}' ${why}. Admission controllers match it against every SAN, so it works here, but nodes never match it.`, c.value.span, {
          hint: `Say what it is: workflow ${JSON.stringify(c.value.value)}.`,
        });
        continue;
      }
      ctx.report(
        SUBJECT_CODES.emailNotAnEmail,
        "error",
        `The e-mail identity of key '${k.name.name}' ${why}: containers/image compares it with the certificate's e-mail SANs only (${spec.kind === "fulcio" ? "fulcio_cert.go" : "pki_cert.go"}), so it can never match and every image would be denied.`,
        c.value.span,
        { hint: `A URI is a CI workflow's identity. ${NODE_EMAIL_ONLY_OPTIONS}` },
      );
    }
  }
}
