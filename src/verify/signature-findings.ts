/**
 * The coded findings of a rejected signature (src/simulate/signature-findings.ts), made from the evidence:
 *
 * - IT5800: a certificate whose identity does not match — every SAN it carries (kind and value) and its OIDC issuer
 *   extension, beside what the policy asked for. The verdict stays upstream's (`fulcio_cert.go`
 *   `verifyFulcioCertificateAtTime`: issuer first, then `subjectEmail` among the e-mail SANs only; `pki_cert.go`).
 * - IT5801 / IT5802: "tag moved after signing" — upstream compares the signed `docker-manifest-digest` with the
 *   image's manifest digest first (`signature/docker.go` `VerifyDockerManifestSignature`, `policy_eval_sigstore.go`
 *   via `internal.VerifySigstorePayload`), then the claimed `docker-reference` with the pulled reference under
 *   signedIdentity (`policy_reference_match.go`, called from `policy_eval_signedby.go` / `policy_eval_sigstore.go`).
 */
import type { X509Certificate } from "node:crypto";
import type { IdentityMatch } from "../ir/types.js";
import { referenceString } from "../reference/docker-reference.js";
import { explainIdentity } from "../simulate/identity-match.js";
import type { CertificateIdentityFinding, DigestMovedFinding, ReferenceMovedFinding, SignatureFinding, SubjectAltName } from "../simulate/signature-findings.js";
import { readManifest, type ImageUnderTest } from "./image-under-test.js";
import { manifestDigest } from "./manifest-digest.js";

/** Node's subjectAltName labels → the kinds Go's x509 parses them into. */
const SAN_KINDS: Record<string, string> = { email: "email", URI: "URI", DNS: "DNS", "IP Address": "IP", othername: "otherName" };

/**
 * Every SAN of a certificate, from node's `subjectAltName` text ("email:a@b, URI:https://…"; values with special
 * characters are written as JSON strings).
 */
export function subjectAltNames(cert: X509Certificate): SubjectAltName[] {
  const text = cert.subjectAltName ?? "";
  const out: SubjectAltName[] = [];
  let i = 0;
  while (i < text.length) {
    const colon = text.indexOf(":", i);
    if (colon < 0) break;
    const label = text.slice(i, colon).trim();
    let j = colon + 1;
    let value: string;
    if (text[j] === '"') {
      let k = j + 1;
      while (k < text.length && text[k] !== '"') k += text[k] === "\\" ? 2 : 1;
      try {
        value = JSON.parse(text.slice(j, k + 1)) as string;
      } catch {
        value = text.slice(j + 1, k);
      }
      j = k + 1;
    } else {
      const comma = text.indexOf(", ", j);
      const end = comma < 0 ? text.length : comma;
      value = text.slice(j, end);
      j = end;
    }
    out.push({ kind: SAN_KINDS[label] ?? label, value });
    i = text.indexOf(", ", j) < 0 ? text.length : text.indexOf(", ", j) + 2;
  }
  return out;
}

/** IT5800 for a certificate whose issuer or subject is not the policy's. */
export function certificateIdentityFinding(
  cert: X509Certificate,
  oidcIssuer: string | null,
  policy: CertificateIdentityFinding["policy"],
  mismatch: "issuer" | "subject",
): CertificateIdentityFinding {
  const sans = subjectAltNames(cert);
  const uri = sans.find((s) => s.kind === "URI");
  const emails = sans.filter((s) => s.kind === "email");
  let message: string;
  if (mismatch === "issuer") message = `The certificate was issued for OIDC issuer ${oidcIssuer ?? "(none)"}, the policy asks for ${policy.oidcIssuer}.`;
  else if (uri && emails.length === 0 && policy.subjectEmail !== undefined)
    message = `The certificate names a CI workflow (URI SAN ${uri.value}) and has no e-mail SAN; containers/image compares subjectEmail with e-mail SANs only, so no policy can accept it on nodes.`;
  else
    message = `The certificate's identity is not the one the policy asks for: it carries ${sans.map((s) => `${s.kind} ${s.value}`).join(", ") || "no SAN"}, the policy asks for ${policy.subjectEmail !== undefined ? `email ${policy.subjectEmail}` : `hostname ${policy.subjectHostname}`}.`;
  const f: CertificateIdentityFinding = {
    code: "IT5800",
    kind: "certificateIdentity",
    mismatch,
    message,
    certificate: { subjectAlternativeNames: sans, oidcIssuer },
    policy,
  };
  if (uri && emails.length === 0) f.workflowIdentity = uri.value;
  return f;
}

/** IT5801 when the signed digest is not the image's manifest digest (undefined when the manifest cannot be read). */
export function digestMovedFinding(image: ImageUnderTest, signedDigest: string): DigestMovedFinding | undefined {
  const m = readManifest(image);
  if (!m.ok) return undefined;
  const d = manifestDigest(m.bytes);
  if (!d.ok || d.digest === signedDigest) return undefined;
  return {
    code: "IT5801",
    kind: "signedDigestDiffers",
    message: `Tag moved after signing? The signature is for manifest ${signedDigest}, but the image has manifest ${d.digest}.`,
    signedDigest,
    imageDigest: d.digest,
    runtimeCompares: "the signature's docker-manifest-digest with the digest of the manifest it pulled (the tag plays no part)",
  };
}

/**
 * IT5802 when the claimed reference is not accepted for the pulled one under a signedIdentity that compares with the
 * pulled reference (matchExact, matchRepoDigestOrExact, matchRepository, remapIdentity). exactReference and
 * exactRepository compare with a fixed name whatever is pulled, and a dir:/oci: image has no docker reference: no
 * tag can have moved there, so undefined (upstream's message alone says it).
 */
export function referenceMovedFinding(rule: IdentityMatch | undefined, image: ImageUnderTest, claimed: string): ReferenceMovedFinding | undefined {
  if (!image.dockerReference || rule?.type === "exactReference" || rule?.type === "exactRepository") return undefined;
  const pulled = referenceString(image.dockerReference);
  const meaning = explainIdentity(rule, image.dockerReference);
  return {
    code: "IT5802",
    kind: "claimedReferenceDiffers",
    message: `Tag moved after signing? The signature was made for ${claimed}, but the image is pulled as ${pulled}, which the policy's signedIdentity does not accept.`,
    claimedReference: claimed,
    pulledReference: pulled,
    signedIdentity: (rule ?? { type: "matchRepoDigestOrExact" }).type,
    runtimeCompares: meaning,
  };
}

/** `{ finding }` when there is one, else nothing (for spreading into a rejection). */
export function findingOf(f: SignatureFinding | undefined): { finding?: SignatureFinding } {
  return f ? { finding: f } : {};
}

/** IT5800 for a PKI certificate (no OIDC issuer: `pki_cert.go` checks e-mail and hostname only). */
export function pkiFinding(cert: X509Certificate, pki: { subjectEmail?: string; subjectHostname?: string }): CertificateIdentityFinding {
  const policy: CertificateIdentityFinding["policy"] = {};
  if (pki.subjectEmail !== undefined) policy.subjectEmail = pki.subjectEmail;
  if (pki.subjectHostname !== undefined) policy.subjectHostname = pki.subjectHostname;
  return certificateIdentityFinding(cert, null, policy, "subject");
}
