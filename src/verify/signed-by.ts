/**
 * `signedBy` on real signatures: containers/image `signature/policy_eval_signedby.go`
 * (`prSignedBy.isSignatureAuthorAccepted`, `isRunningImageAllowed`) and `signature/simple.go`
 * (`verifyAndExtractSignature`: key identity, then payload, then digest, then identity); spec §4.2.
 */
import type { SignedBy } from "../ir/types.js";
import { hasFeature } from "../ir/versions.js";
import { errnoText } from "../reference/resolve-path.js";
import { matchesIdentity } from "../simulate/identity-match.js";
import { summarizeSignatureRejections, type SignatureCheck, type SignatureVerdict } from "../simulate/evaluate.js";
import { gpgVerify, importKeyring, type GpgKeyring } from "./gpg.js";
import { explainGpgFailure, explainNotAccepted, gpgFailureCode } from "./gpg-explain.js";
import { SIGNATURE_REJECTION_CODES } from "../simulate/signature-findings.js";
import { checkSignedDigest, identityRejection, type ImageUnderTest } from "./image-under-test.js";
import { digestMovedFinding, findingOf, referenceMovedFinding } from "./signature-findings.js";
import { parseUntrustedPayload } from "./payload.js";
import type { StoredSignature } from "./stored-signature.js";

/** Options shared by the verifiers. */
export interface VerifyContext {
  /** "Now" for expiry checks. */
  now?: Date;
  /** Reads a key file (`host.files.readFile`); errors are reported as Go's `open <path>: <errno text>`. Without it no key file can be read. */
  readFile?: (path: string) => Uint8Array;
  /** Cache of imported keyrings keyed by the requirement (key material is read once per requirement). */
  keyringCache?: Map<unknown, Promise<GpgKeyring | { error: string }>>;
}

/** Go's `os.ReadFile` error text. */
export function readKeyFile(path: string, ctx: VerifyContext): { ok: true; data: Uint8Array } | { ok: false; error: string } {
  try {
    if (!ctx.readFile) return { ok: false, error: `open ${path}: no file system to read it from` };
    return { ok: true, data: ctx.readFile(path) };
  } catch (e) {
    const code = (e as { code?: string }).code;
    return { ok: false, error: code === "EISDIR" ? `read ${path}: is a directory` : `open ${path}: ${errnoText(e)}` };
  }
}

async function loadKeyring(req: SignedBy, ctx: VerifyContext): Promise<GpgKeyring | { error: string }> {
  const blobs: Uint8Array[] = [];
  if (req.keyPath !== undefined && req.keyPath !== "") {
    const r = readKeyFile(req.keyPath, ctx);
    if (!r.ok) return { error: r.error };
    blobs.push(r.data);
  } else if (req.keyPaths !== undefined) {
    for (const p of req.keyPaths) {
      const r = readKeyFile(p, ctx);
      if (!r.ok) return { error: r.error };
      blobs.push(r.data);
    }
  } else if (req.keyData !== undefined) {
    blobs.push(Buffer.from(req.keyData, "base64"));
  } else return { error: `Internal inconsistency: not exactly one of "keyPath", "keyPaths" and "keyData" specified` };
  return importKeyring(blobs);
}

/** One signature's `isSignatureAuthorAccepted`: accepted, or upstream's rejection text. */
export async function checkSimpleSigning(
  req: SignedBy,
  image: ImageUnderTest,
  signature: Uint8Array,
  index: number,
  ctx: VerifyContext = {},
): Promise<SignatureCheck> {
  const reject = (reason: string, extra: Partial<SignatureCheck> = {}): SignatureCheck => ({ index, accepted: false, reason, ...extra });
  if (req.keyType !== "GPGKeys") {
    const known = ["signedByGPGKeys", "X509Certificates", "signedByX509CAs"].includes(req.keyType);
    return reject(`${known ? "Unimplemented" : "Unknown"} "keyType" value "${req.keyType}"`);
  }
  let pending = ctx.keyringCache?.get(req);
  if (!pending) {
    pending = loadKeyring(req, ctx);
    ctx.keyringCache?.set(req, pending);
  }
  const keyring = await pending;
  if ("error" in keyring) return reject(keyring.error);
  if (keyring.trustedFingerprints.length === 0) return reject("No public keys imported");
  const v = await gpgVerify(keyring, signature, { now: ctx.now });
  // The reason stays upstream's text (gpgme's struct dump); the explanation says it in plain words.
  if (!v.ok) return reject(v.error, v.failure ? { explanation: explainGpgFailure(v.failure, keyring), code: gpgFailureCode(v.failure) } : {});
  const trusted = keyring.trustedFingerprints.includes(v.keyFingerprint);
  if (!trusted) {
    if (hasFeature(image.target, "subkeySignatures") && keyring.trustedFingerprints.includes(v.primaryFingerprint)) {
      // image/v5.37.0+: a subkey of a trusted primary key is accepted.
    } else if (v.keyFingerprint !== v.primaryFingerprint && hasFeature(image.target, "subkeySignatures")) {
      return reject(`signature by key ${v.keyFingerprint} of ${v.primaryFingerprint} is not accepted`, {
        signer: v.keyFingerprint,
        explanation: explainNotAccepted(v.keyFingerprint, v.primaryFingerprint, keyring),
        code: SIGNATURE_REJECTION_CODES.untrustedKey,
      });
    } else
      return reject(`Signature by key ${v.keyFingerprint} is not accepted`, {
        signer: v.keyFingerprint,
        explanation: explainNotAccepted(v.keyFingerprint, v.primaryFingerprint, keyring),
        code: SIGNATURE_REJECTION_CODES.untrustedKey,
      });
  }
  const p = parseUntrustedPayload(v.contents, "simple");
  if (!p.ok) return reject(p.error, { signer: v.keyFingerprint });
  const claimed = { signer: v.keyFingerprint, claimedIdentity: p.value.dockerReference };
  const d = checkSignedDigest(image, p.value.dockerManifestDigest);
  if (d !== undefined) return reject(d, { ...claimed, ...findingOf(digestMovedFinding(image, p.value.dockerManifestDigest)) });
  if (!matchesIdentity(req.signedIdentity, image.dockerReference, p.value.dockerReference))
    return reject(identityRejection(p.value.dockerReference, image.target), { ...claimed, ...findingOf(referenceMovedFinding(req.signedIdentity, image, p.value.dockerReference)) });
  return { index, accepted: true, ...claimed };
}

/**
 * `prSignedBy.isRunningImageAllowed` over the image's signatures: only simple-signing ones are candidates; the
 * first accepted one allows (later ones are not checked, as upstream stops there).
 */
export async function evaluateSignedBy(
  req: SignedBy,
  image: ImageUnderTest,
  signatures: readonly StoredSignature[],
  ctx: VerifyContext = {},
): Promise<SignatureVerdict> {
  const checks: SignatureCheck[] = [];
  const reasons: string[] = [];
  for (let i = 0; i < signatures.length; i++) {
    const s = signatures[i];
    if (s.format !== "simple-signing") continue;
    const c = await checkSimpleSigning(req, image, s.signature, i, ctx);
    checks.push(c);
    if (c.accepted) return { allowed: true, signatures: checks };
    reasons.push(c.reason!);
  }
  return { allowed: false, message: summarizeSignatureRejections(reasons), signatures: checks };
}
