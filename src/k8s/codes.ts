/**
 * Diagnostic codes of the Kubernetes admission targets (band IT7xxx). A code is never reused.
 *
 *  IT7000–IT7019  requirements with no (or no faithful) admission equivalent
 *  IT7020–IT7039  scope selection: where "most specific scope wins" and "every matching policy applies" differ
 *  IT7040–IT7059  key material
 *  IT7060–IT7079  what admission does not govern at all, and modes
 */
import type { Diagnostic, RelatedLocation, Severity } from "../diagnostics/diagnostic.js";
import type { Span } from "../source/source-file.js";

/** The Kubernetes target codes by name. */
export const K8S_CODES = {
  /** signedBy (GPG simple signing): neither policy-controller nor Kyverno verifies GPG signatures. */
  gpgSignedBy: "IT7000",
  /** A signedIdentity bound to the pulled reference: admission checks the signed digest, not the claimed name. */
  identityNotChecked: "IT7001",
  /** exactReference / exactRepository / remapIdentity: the accepted signatures would change. */
  identityRuleUntranslatable: "IT7002",
  /** signedBaseLayer always denies on the node; emitted as a rejection. */
  signedBaseLayer: "IT7003",
  /** sigstoreSigned.pki (X.509 PKI without Fulcio) has no faithful admission form. */
  pkiUntranslatable: "IT7004",
  /** A Rekor public key that the target cannot take inline (policy-controller: TrustRoot needed). */
  rekorKeyNotInline: "IT7005",
  /** A sigstoreSigned requirement with no key at all (denies on the node). */
  sigstoreWithoutKeys: "IT7006",

  /** The cluster applies more requirements to a scope than the node (parent policies apply too): stricter. */
  scopeStricter: "IT7020",
  /** The cluster would apply fewer requirements to a scope than the node: refused. */
  scopeMorePermissive: "IT7021",
  /** A tag scope: admission sees references resolved to digests, so a tag glob never matches. */
  tagScopeNeverMatches: "IT7022",
  /** A scope spelled `index.docker.io/…`: it never matches on the node but would on the cluster; left out. */
  legacyDockerHubScope: "IT7023",
  /** A pattern that matches other references on the cluster than the scope does on the node. */
  patternApproximate: "IT7024",

  /** A key file that cannot be read. */
  keyFileUnreadable: "IT7040",
  /** keyData that is not base64, or not PEM text once decoded. */
  keyDataNotPem: "IT7041",

  /** A non-docker transport: admission only sees registry references. */
  transportNotAdmitted: "IT7060",
  /** warn / Audit mode: the cluster only reports, it does not deny. */
  warnModeOnly: "IT7061",
  /** Signatures the node reads from a lookaside server: admission reads cosign attachments from the registry. */
  lookasideNotUsed: "IT7062",
} as const;

/** A Kubernetes target code. */
export type K8sCode = (typeof K8S_CODES)[keyof typeof K8S_CODES];

/** A diagnostic of the Kubernetes targets. */
export function k8sDiagnostic(
  code: K8sCode,
  severity: Severity,
  message: string,
  span: Span | undefined,
  extra: { hint?: string; related?: RelatedLocation[] } = {},
): Diagnostic {
  const d: Diagnostic = { code, severity, message };
  if (span) d.span = span;
  if (extra.related && extra.related.length > 0) d.related = extra.related;
  if (extra.hint) d.hint = extra.hint;
  return d;
}
