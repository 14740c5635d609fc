/**
 * Coded findings attached to one rejected signature (issue 12): the certificate identity that did not match
 * (IT5800), and "tag moved after signing" — the signed manifest digest (IT5801) or the claimed reference (IT5802)
 * differs from the image pulled. They explain upstream's one-line rejection; the verdict stays upstream's.
 * `verify` and `simulate` print them under the signature (text) and carry them as `finding` (json).
 */

/**
 * The coded kind of a rejected GPG signature (`signature/mechanism_gpgme.go` `Verify`,
 * `policy_eval_signedby.go` `isSignatureAuthorAccepted`), carried as `SignatureCheck.code`: what a test names with
 * `expect deny … because CODE`. Upstream's reason (a dump of gpgme's result for the key failures) stays the reason.
 */
export const SIGNATURE_REJECTION_CODES = {
  /** Signed by a key the policy does not trust: not in its keyring, or in it but not trusted by fingerprint. */
  untrustedKey: "IT5803",
  /** The signature does not verify with the key that made it (altered data or signature). */
  badSignature: "IT5804",
  /** The signature, or the key that made it, has expired. */
  expired: "IT5805",
  /** The key that made the signature has been revoked. */
  revoked: "IT5806",
} as const;

/** One Subject Alternative Name of a certificate, as Go's x509 sorts them (kind) with its value. */
export interface SubjectAltName {
  /** "email", "URI", "DNS", "IP" or "otherName" (Fulcio writes usernames as an otherName). */
  kind: string;
  value: string;
}

/** IT5800: the certificate's subject or OIDC issuer is not the one the policy asks for. */
export interface CertificateIdentityFinding {
  code: "IT5800";
  kind: "certificateIdentity";
  /** "issuer" when the OIDC issuer differs (checked first upstream), else "subject". */
  mismatch: "issuer" | "subject";
  message: string;
  certificate: { subjectAlternativeNames: SubjectAltName[]; oidcIssuer: string | null };
  policy: { oidcIssuer?: string; subjectEmail?: string; subjectHostname?: string };
  /** Set when the certificate names a CI workflow (a URI SAN) that no released containers/image can match. */
  workflowIdentity?: string;
}

/** IT5801: the signature is for another manifest digest than the image's. */
export interface DigestMovedFinding {
  code: "IT5801";
  kind: "signedDigestDiffers";
  message: string;
  signedDigest: string;
  imageDigest: string;
  /** What the runtime compares. */
  runtimeCompares: string;
}

/** IT5802: the signature claims another reference than signedIdentity accepts for the pulled one. */
export interface ReferenceMovedFinding {
  code: "IT5802";
  kind: "claimedReferenceDiffers";
  message: string;
  claimedReference: string;
  pulledReference: string;
  /** The signedIdentity rule and what it compares (simulate's explanation of the rule). */
  signedIdentity: string;
  runtimeCompares: string;
}

/** Any finding on one signature. */
export type SignatureFinding = CertificateIdentityFinding | DigestMovedFinding | ReferenceMovedFinding;

/** The lines a finding adds under its signature in text output (each starting with `pad`). */
export function renderFindingLines(f: SignatureFinding, pad: string): string[] {
  const out = [`${pad}${f.code} ${f.message}`];
  if (f.code === "IT5800") {
    const sans = f.certificate.subjectAlternativeNames.map((s) => `${s.kind} ${s.value}`).join(", ") || "(none)";
    const issuer = f.policy.oidcIssuer !== undefined ? `; OIDC issuer ${f.certificate.oidcIssuer ?? "(no issuer extension)"}` : "";
    out.push(`${pad}  certificate: ${sans}${issuer}`);
    const asked = [
      f.policy.subjectEmail !== undefined ? `email ${f.policy.subjectEmail}` : "",
      f.policy.subjectHostname !== undefined ? `hostname ${f.policy.subjectHostname}` : "",
      f.policy.oidcIssuer !== undefined ? `OIDC issuer ${f.policy.oidcIssuer}` : "",
    ].filter(Boolean);
    out.push(`${pad}  policy asks for: ${asked.join(", ")}`);
  } else if (f.code === "IT5801") {
    out.push(`${pad}  signed digest: ${f.signedDigest}`, `${pad}  image digest:  ${f.imageDigest}`, `${pad}  runtime compares: ${f.runtimeCompares}`);
  } else {
    out.push(
      `${pad}  signed for: ${f.claimedReference}`,
      `${pad}  pulled as:  ${f.pulledReference}`,
      `${pad}  runtime compares: ${f.runtimeCompares}`,
    );
  }
  out.push(`${pad}  see: imagetrust explain ${f.code}`);
  return out;
}
