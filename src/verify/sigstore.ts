/**
 * `sigstoreSigned` on real signatures: containers/image `signature/policy_eval_sigstore.go`
 * (`prepareTrustRoot`, `isSignatureAccepted`, `isRunningImageAllowed`), `signature/internal/sigstore_payload.go`
 * (`VerifySigstorePayload`), `fulcio_cert.go`, `pki_cert.go`; spec §4.3. Key mode (ECDSA, RSA, Ed25519) with an
 * optional Rekor SET, Fulcio (certificate chain at the SET time, OIDC issuer, email) and PKI.
 *
 * Debian's 5.23.1 build rejects every sigstore signature (`Debian-local change: sigstore disabled`); with
 * `debianSigstoreDisabled` that is reproduced, otherwise upstream's behaviour is.
 */
import { createHash, createPublicKey, verify as cryptoVerify, X509Certificate, type KeyObject } from "node:crypto";
import type { SigstoreSigned } from "../ir/types.js";
import { matchesIdentity } from "../simulate/identity-match.js";
import { summarizeSignatureRejections, type SignatureCheck, type SignatureVerdict } from "../simulate/evaluate.js";
import { checkSignedDigest, identityRejection, type ImageUnderTest } from "./image-under-test.js";
import { certificateIdentityFinding, digestMovedFinding, findingOf, pkiFinding, referenceMovedFinding } from "./signature-findings.js";
import { parseUntrustedPayload } from "./payload.js";
import { parseRekorKey, pemBlocks, verifyRekorSet } from "./rekor-set.js";
import { readKeyFile, type VerifyContext } from "./signed-by.js";
import {
  decodeStdBase64,
  SIGSTORE_CERTIFICATE_ANNOTATION,
  SIGSTORE_CHAIN_ANNOTATION,
  SIGSTORE_SET_ANNOTATION,
  SIGSTORE_SIGNATURE_ANNOTATION,
  SIGSTORE_SIGNATURE_MIME_TYPE,
  type SigstoreSignature,
  type StoredSignature,
} from "./stored-signature.js";

/** Extra options for sigstore. */
export interface SigstoreContext extends VerifyContext {
  /** Reproduce Debian 12's patched 5.23.1, which rejects every sigstore signature. */
  debianSigstoreDisabled?: boolean;
  /** Trust roots prepared per requirement (upstream prepares them per signature; the result is the same). */
  trustRootCache?: Map<SigstoreSigned, ReturnType<typeof prepareTrustRoot>>;
}

/** Trust roots of one requirement (upstream `sigstoreSignedTrustRoot`). */
interface TrustRoot {
  publicKeys: { key: KeyObject; pem: string }[];
  fulcio?: { roots: X509Certificate[]; oidcIssuer: string; subjectEmail: string };
  rekorKeys: KeyObject[];
  pki?: { roots: X509Certificate[]; intermediates: X509Certificate[]; subjectEmail?: string; subjectHostname?: string };
}

function material(path: string | undefined, data: string | undefined, ctx: VerifyContext): { ok: true; data: Uint8Array } | { ok: false; error: string } | undefined {
  if (path !== undefined && path !== "") return readKeyFile(path, ctx);
  if (data !== undefined) return { ok: true, data: Buffer.from(data, "base64") };
  return undefined;
}

function parseCerts(pem: Uint8Array): X509Certificate[] {
  const text = Buffer.from(pem).toString("utf8");
  const out: X509Certificate[] = [];
  for (const m of text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)) out.push(new X509Certificate(m[0]));
  return out;
}

/** Upstream `prepareTrustRoot`. */
function prepareTrustRoot(req: SigstoreSigned, ctx: VerifyContext): { ok: true; root: TrustRoot } | { ok: false; error: string } {
  const root: TrustRoot = { publicKeys: [], rekorKeys: [] };
  const keyMaterial: Uint8Array[] = [];
  const single = material(req.keyPath, req.keyData, ctx);
  if (single) {
    if (!single.ok) return single;
    keyMaterial.push(single.data);
  }
  for (const p of req.keyPaths ?? []) {
    const r = readKeyFile(p, ctx);
    if (!r.ok) return r;
    keyMaterial.push(r.data);
  }
  for (const d of req.keyDatas ?? []) keyMaterial.push(Buffer.from(d, "base64"));
  for (let i = 0; i < keyMaterial.length; i++) {
    const pem = Buffer.from(keyMaterial[i]).toString("utf8");
    try {
      const blocks = pem.match(/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g) ?? [];
      if (blocks.length === 0) throw new Error("PEM decoding failed");
      for (const b of blocks) root.publicKeys.push({ key: createPublicKey({ key: b, format: "pem" }), pem: b });
    } catch (e) {
      return { ok: false, error: `parsing public key ${i + 1}: ${(e as Error).message}` };
    }
  }
  if (req.fulcio) {
    const m = material(req.fulcio.caPath, req.fulcio.caData, ctx);
    if (!m || !m.ok) return { ok: false, error: m && !m.ok ? m.error : "error loading Fulcio CA certificates" };
    let roots: X509Certificate[];
    try {
      roots = parseCerts(m.data);
    } catch {
      roots = [];
    }
    if (roots.length === 0) return { ok: false, error: "error loading Fulcio CA certificates" };
    root.fulcio = { roots, oidcIssuer: req.fulcio.oidcIssuer, subjectEmail: req.fulcio.subjectEmail ?? "" };
  }
  const rekorMaterial: Uint8Array[] = [];
  const r1 = material(req.rekorPublicKeyPath, req.rekorPublicKeyData, ctx);
  if (r1) {
    if (!r1.ok) return r1;
    rekorMaterial.push(r1.data);
  }
  for (const p of req.rekorPublicKeyPaths ?? []) {
    const r = readKeyFile(p, ctx);
    if (!r.ok) return r;
    rekorMaterial.push(r.data);
  }
  for (const d of req.rekorPublicKeyDatas ?? []) rekorMaterial.push(Buffer.from(d, "base64"));
  for (let i = 0; i < rekorMaterial.length; i++) {
    const k = parseRekorKey(rekorMaterial[i], i + 1);
    if (!k.ok) return k;
    root.rekorKeys.push(k.key);
  }
  if (req.pki) {
    const m = material(req.pki.caRootsPath, req.pki.caRootsData, ctx);
    if (!m || !m.ok) return { ok: false, error: m && !m.ok ? m.error : "error loading PKI CA Roots certificates" };
    let roots: X509Certificate[] = [];
    try {
      roots = parseCerts(m.data);
    } catch {
      /* reported below */
    }
    if (roots.length === 0) return { ok: false, error: "error loading PKI CA Roots certificates" };
    let intermediates: X509Certificate[] = [];
    const im = material(req.pki.caIntermediatesPath, req.pki.caIntermediatesData, ctx);
    if (im) {
      if (!im.ok) return im;
      try {
        intermediates = parseCerts(im.data);
      } catch {
        return { ok: false, error: "error loading PKI CA Intermediate certificates" };
      }
    }
    root.pki = { roots, intermediates, subjectEmail: req.pki.subjectEmail || undefined, subjectHostname: req.pki.subjectHostname || undefined };
  }
  return { ok: true, root };
}

/** Verify a signature over the payload with one key (sigstore's LoadVerifier with SHA-256). */
function verifyWithKey(key: KeyObject, payload: Uint8Array, sig: Uint8Array): string | undefined {
  try {
    switch (key.asymmetricKeyType) {
      case "ec":
        return cryptoVerify("sha256", payload, key, sig) ? undefined : "invalid signature when validating ASN.1 encoded signature";
      case "rsa":
        return cryptoVerify("sha256", payload, key, sig) ? undefined : "crypto/rsa: verification error";
      case "ed25519":
        return cryptoVerify(null, payload, key, sig) ? undefined : "failed to verify signature";
      default:
        return `unsupported public key type ${key.asymmetricKeyType}`;
    }
  } catch (e) {
    return (e as Error).message;
  }
}

/** Certificate SAN emails / DNS names from node's subjectAltName text. */
function sanValues(cert: X509Certificate, kind: "email" | "DNS"): string[] {
  const san = cert.subjectAltName ?? "";
  const out: string[] = [];
  for (const part of san.split(/,\s*/)) {
    const prefix = kind === "email" ? "email:" : "DNS:";
    if (part.startsWith(prefix)) out.push(part.slice(prefix.length));
  }
  return out;
}

/** Walk leaf → intermediates → a root, checking validity at `at` (upstream x509 Verify with CurrentTime). */
function verifyChain(leaf: X509Certificate, intermediates: X509Certificate[], roots: X509Certificate[], at: Date): string | undefined {
  const inWindow = (c: X509Certificate) => at >= new Date(c.validFrom) && at <= new Date(c.validTo);
  if (!inWindow(leaf)) return `x509: certificate has expired or is not yet valid: current time ${at.toISOString().replace(/\.\d+Z$/, "Z")} is ${at > new Date(leaf.validTo) ? "after " + new Date(leaf.validTo).toISOString().replace(/\.\d+Z$/, "Z") : "before " + new Date(leaf.validFrom).toISOString().replace(/\.\d+Z$/, "Z")}`;
  let current = leaf;
  for (let depth = 0; depth < 10; depth++) {
    for (const r of roots) if (current.checkIssued(r) && current.verify(r.publicKey) && inWindow(r)) return undefined;
    const next = intermediates.find((c) => current.checkIssued(c) && current.verify(c.publicKey) && inWindow(c) && c.ca);
    if (!next) break;
    current = next;
  }
  return "x509: certificate signed by unknown authority";
}

/** The code-signing EKU (1.3.6.1.5.5.7.3.3) must be present when the certificate lists EKUs. */
function hasCodeSigning(cert: X509Certificate): boolean {
  const eku = (cert as unknown as { keyUsage?: string[] }).keyUsage;
  return !eku || eku.includes("1.3.6.1.5.5.7.3.3");
}

/** Fulcio OIDC issuer extension (v1 1.3.6.1.4.1.57264.1.1, raw string; v2 …1.8, DER UTF8String). */
function fulcioIssuer(cert: X509Certificate): { v1?: string; v2?: string } {
  const der = cert.raw;
  const find = (oid: number[]): Buffer | undefined => {
    const enc = Buffer.from([0x06, oid.length, ...oid]);
    const i = der.indexOf(enc);
    if (i < 0) return undefined;
    let j = i + enc.length;
    if (der[j] === 0x01) j += 3; // critical BOOLEAN
    if (der[j] !== 0x04) return undefined; // OCTET STRING
    let len = der[j + 1];
    let off = j + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let k = 0; k < n; k++) len = len * 256 + der[off + k];
      off += n;
    }
    return der.subarray(off, off + len);
  };
  const base = [0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x01];
  const out: { v1?: string; v2?: string } = {};
  const v1 = find([...base, 0x01]);
  if (v1) out.v1 = v1.toString("utf8");
  const v2 = find([...base, 0x08]);
  if (v2 && v2[0] === 0x0c) out.v2 = v2.subarray(2, 2 + v2[1]).toString("utf8");
  return out;
}

/** One sigstore signature's `isSignatureAccepted`. */
export async function checkSigstoreSignature(
  req: SigstoreSigned,
  image: ImageUnderTest,
  sig: SigstoreSignature,
  index: number,
  ctx: SigstoreContext = {},
): Promise<SignatureCheck> {
  const reject = (reason: string, extra: Partial<SignatureCheck> = {}): SignatureCheck => ({ index, accepted: false, reason, ...extra });
  if (ctx.debianSigstoreDisabled) return reject("Debian-local change: sigstore disabled");
  let tr = ctx.trustRootCache?.get(req);
  if (!tr) {
    tr = prepareTrustRoot(req, ctx);
    ctx.trustRootCache?.set(req, tr);
  }
  if (!tr.ok) return reject(tr.error);
  const root = tr.root;
  const annotations = sig.annotations;
  const b64sig = annotations[SIGSTORE_SIGNATURE_ANNOTATION];
  if (b64sig === undefined) return reject(`missing ${SIGSTORE_SIGNATURE_ANNOTATION} annotation`);
  const sigBytes = decodeStdBase64(b64sig);

  let candidates: { key: KeyObject; pem: string }[] = [];
  let signer: string | undefined;
  if (root.publicKeys.length > 0) {
    if (root.rekorKeys.length === 0) candidates = root.publicKeys;
    else {
      const set = annotations[SIGSTORE_SET_ANNOTATION];
      if (set === undefined) return reject(`missing ${SIGSTORE_SET_ANNOTATION} annotation`);
      if (!sigBytes) return reject("base64 decoding: illegal base64 data");
      const errors: string[] = [];
      for (const k of root.publicKeys) {
        const r = verifyRekorSet(root.rekorKeys, set, k.pem, sigBytes, sig.payload);
        if (r.ok) candidates.push(k);
        else errors.push(r.error);
      }
      if (candidates.length === 0) return reject(`No public key verified against the RekorSET: ${errors.join("; ")}`);
    }
    signer = "public key";
  } else if (root.fulcio || root.pki) {
    const certPem = annotations[SIGSTORE_CERTIFICATE_ANNOTATION];
    if (root.fulcio) {
      const set = annotations[SIGSTORE_SET_ANNOTATION];
      if (set === undefined) return reject(`missing ${SIGSTORE_SET_ANNOTATION} annotation`);
      if (certPem === undefined) return reject(`missing ${SIGSTORE_CERTIFICATE_ANNOTATION} annotation`);
      if (!sigBytes) return reject("base64 decoding: illegal base64 data");
      const r = verifyRekorSet(root.rekorKeys, set, certPem, sigBytes, sig.payload);
      if (!r.ok) return reject(r.error);
      let leaf: X509Certificate;
      let chain: X509Certificate[] = [];
      try {
        leaf = new X509Certificate(certPem);
        const c = annotations[SIGSTORE_CHAIN_ANNOTATION];
        if (c !== undefined) chain = parseCerts(Buffer.from(c));
      } catch (e) {
        return reject(`parsing leaf certificate: ${(e as Error).message}`);
      }
      const chainErr = verifyChain(leaf, chain, root.fulcio.roots, r.integratedTime);
      if (chainErr) return reject(`veryfing leaf certificate failed: ${chainErr}`);
      if (!hasCodeSigning(leaf)) return reject("veryfing leaf certificate failed: x509: certificate specifies an incompatible key usage");
      const iss = fulcioIssuer(leaf);
      if (iss.v1 !== undefined && iss.v2 !== undefined && iss.v1 !== iss.v2)
        return reject(`inconsistent OIDC issuer extension values: v1 ${JSON.stringify(iss.v1)}, v2 ${JSON.stringify(iss.v2)}`);
      const issuer = iss.v2 ?? iss.v1;
      if (issuer === undefined) return reject("Fulcio certificate is missing the issuer extension");
      const asked = { oidcIssuer: root.fulcio.oidcIssuer, subjectEmail: root.fulcio.subjectEmail };
      if (issuer !== root.fulcio.oidcIssuer)
        return reject(`Unexpected Fulcio OIDC issuer ${JSON.stringify(issuer)}`, { finding: certificateIdentityFinding(leaf, issuer, asked, "issuer") });
      const emails = sanValues(leaf, "email");
      if (!emails.includes(root.fulcio.subjectEmail))
        return reject(`Required email ${JSON.stringify(root.fulcio.subjectEmail)} not found (got ${JSON.stringify(emails)})`, {
          finding: certificateIdentityFinding(leaf, issuer, asked, "subject"),
        });
      candidates = [{ key: leaf.publicKey, pem: certPem }];
      signer = `Fulcio certificate for ${root.fulcio.subjectEmail}`;
    } else if (root.pki) {
      if (certPem === undefined) return reject(`missing ${SIGSTORE_CERTIFICATE_ANNOTATION} annotation`);
      let leaf: X509Certificate;
      let untrusted: X509Certificate[] = [];
      try {
        leaf = new X509Certificate(certPem);
        const c = annotations[SIGSTORE_CHAIN_ANNOTATION];
        if (c !== undefined) {
          const all = parseCerts(Buffer.from(c));
          untrusted = all.slice(0, Math.max(0, all.length - 1));
        }
      } catch (e) {
        return reject(`parsing leaf certificate: ${(e as Error).message}`);
      }
      const chainErr = verifyChain(leaf, [...root.pki.intermediates, ...untrusted], root.pki.roots, ctx.now ?? new Date());
      if (chainErr) return reject(`veryfing leaf certificate failed: ${chainErr}`);
      if (!hasCodeSigning(leaf)) return reject("veryfing leaf certificate failed: x509: certificate specifies an incompatible key usage");
      if (root.pki.subjectEmail !== undefined) {
        const emails = sanValues(leaf, "email");
        if (!emails.includes(root.pki.subjectEmail))
          return reject(`Required email ${JSON.stringify(root.pki.subjectEmail)} not found (got ${JSON.stringify(emails)})`, { finding: pkiFinding(leaf, root.pki) });
      }
      if (root.pki.subjectHostname !== undefined && leaf.checkHost(root.pki.subjectHostname) === undefined)
        return reject(`Unexpected subject hostname: x509: certificate is not valid for ${JSON.stringify(root.pki.subjectHostname)}`, { finding: pkiFinding(leaf, root.pki) });
      candidates = [{ key: leaf.publicKey, pem: certPem }];
      signer = "PKI certificate";
    }
  } else return reject("Internal inconsistency: no key source in sigstoreSigned");

  if (!sigBytes) return reject("base64 decoding: illegal base64 data");
  let lastErr = "";
  let ok = false;
  for (const c of candidates) {
    const e = verifyWithKey(c.key, sig.payload, sigBytes);
    if (e === undefined) {
      ok = true;
      break;
    }
    lastErr = e;
  }
  if (!ok) return reject(`cryptographic signature verification failed: ${lastErr}`);
  const p = parseUntrustedPayload(sig.payload, "sigstore");
  if (!p.ok) return reject(p.error, { signer });
  const claimed = { signer, claimedIdentity: p.value.dockerReference };
  const d = checkSignedDigest(image, p.value.dockerManifestDigest);
  if (d !== undefined) return reject(d, { ...claimed, ...findingOf(digestMovedFinding(image, p.value.dockerManifestDigest)) });
  if (!matchesIdentity(req.signedIdentity, image.dockerReference, p.value.dockerReference))
    return reject(identityRejection(p.value.dockerReference, image.target), { ...claimed, ...findingOf(referenceMovedFinding(req.signedIdentity, image, p.value.dockerReference)) });
  return { index, accepted: true, ...claimed };
}

/** `prSigstoreSigned.isRunningImageAllowed`: candidates are sigstore signatures with the cosign MIME type. */
export async function evaluateSigstoreSigned(
  req: SigstoreSigned,
  image: ImageUnderTest,
  signatures: readonly StoredSignature[],
  ctx: SigstoreContext = {},
): Promise<SignatureVerdict> {
  const checks: SignatureCheck[] = [];
  const reasons: string[] = [];
  let nonSigstore = 0;
  let nonSignature = 0;
  for (let i = 0; i < signatures.length; i++) {
    const s = signatures[i];
    if (s.format !== "sigstore-json") {
      nonSigstore++;
      continue;
    }
    if (s.mimeType !== SIGSTORE_SIGNATURE_MIME_TYPE) {
      nonSignature++;
      continue;
    }
    const c = await checkSigstoreSignature(req, image, s, i, ctx);
    checks.push(c);
    if (c.accepted) return { allowed: true, signatures: checks };
    reasons.push(c.reason!);
  }
  return {
    allowed: false,
    message: summarizeSignatureRejections(reasons, { nonSigstoreSignatures: nonSigstore, nonSignatureAttachments: nonSignature }),
    signatures: checks,
  };
}

/** sha256 hex, for callers building test SETs. */
export function sha256Hex(b: Uint8Array): string {
  return createHash("sha256").update(b).digest("hex");
}

export { pemBlocks };
