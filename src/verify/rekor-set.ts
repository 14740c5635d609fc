/**
 * Rekor SET (signed entry timestamp) verification, as containers/image does it in key and Fulcio mode:
 * `signature/internal/rekor_set.go` (`VerifyRekorSET`, `UntrustedRekorSET`, `UntrustedRekorPayload`,
 * hashedrekord v0.0.1 body checks); spec §4.3 "Rekor SET verification details".
 */
import { createHash, createPublicKey, verify as cryptoVerify, type KeyObject } from "node:crypto";
import { decodeStdBase64 } from "./stored-signature.js";

/** Canonical JSON (RFC 8785 for the value shapes a SET payload has: sorted keys, no spaces). */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return "[" + v.map(canonicalJson).join(",") + "]";
  const keys = Object.keys(v as object).sort();
  return "{" + keys.map((k) => JSON.stringify(k) + ":" + canonicalJson((v as Record<string, unknown>)[k])).join(",") + "}";
}

/** The PEM blocks' DER bytes of a PEM text (for comparing keys and certificates as upstream compares them). */
export function pemBlocks(text: string): Buffer[] {
  const out: Buffer[] = [];
  for (const m of text.matchAll(/-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END [A-Z0-9 ]+-----/g)) out.push(Buffer.from(m[1].replace(/\s+/g, ""), "base64"));
  return out;
}

/** A verified SET: the time the entry was integrated into the log. */
export type RekorSetResult = { ok: true; integratedTime: Date } | { ok: false; error: string };

function strictKeys(o: unknown, keys: string[], what: string): string | undefined {
  if (typeof o !== "object" || o === null || Array.isArray(o)) return `${what}: JSON object expected`;
  for (const k of Object.keys(o)) if (!keys.includes(k)) return `Unknown key "${k}"`;
  for (const k of keys) if (!(k in (o as object))) return `Key "${k}" missing in a JSON object`;
  return undefined;
}

/**
 * Verify a SET annotation for `keyOrCertPem` (the PEM text used to verify the signature), the raw signature
 * bytes and the payload, against the Rekor public keys. Errors follow upstream's wording.
 */
export function verifyRekorSet(
  rekorKeys: readonly KeyObject[],
  setText: string,
  keyOrCertPem: string,
  signatureBytes: Uint8Array,
  payload: Uint8Array,
): RekorSetResult {
  let set: { SignedEntryTimestamp?: unknown; Payload?: unknown };
  try {
    set = JSON.parse(setText);
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  let err = strictKeys(set, ["SignedEntryTimestamp", "Payload"], "SET");
  if (err) return { ok: false, error: err };
  const sig = typeof set.SignedEntryTimestamp === "string" ? decodeStdBase64(set.SignedEntryTimestamp) : undefined;
  if (!sig) return { ok: false, error: "invalid SignedEntryTimestamp" };
  const p = set.Payload as { body?: unknown; integratedTime?: unknown; logIndex?: unknown; logID?: unknown };
  err = strictKeys(p, ["body", "integratedTime", "logIndex", "logID"], "SET payload");
  if (err) return { ok: false, error: err };
  const canonical = Buffer.from(canonicalJson(p));
  let verified = false;
  for (const k of rekorKeys) {
    try {
      if (cryptoVerify("sha256", canonical, k, sig)) {
        verified = true;
        break;
      }
    } catch {
      /* try the next key */
    }
  }
  if (!verified) return { ok: false, error: "cryptographic signature verification of the SET failed: invalid signature when validating ASN.1 encoded signature" };
  if (typeof p.integratedTime !== "number" || !Number.isInteger(p.integratedTime)) return { ok: false, error: "invalid integratedTime" };
  const bodyBytes = typeof p.body === "string" ? decodeStdBase64(p.body) : undefined;
  if (!bodyBytes) return { ok: false, error: "invalid SET body" };
  let body: { apiVersion?: unknown; kind?: unknown; spec?: any };
  try {
    body = JSON.parse(Buffer.from(bodyBytes).toString("utf8"));
  } catch (e) {
    return { ok: false, error: `parsing SET body: ${(e as Error).message}` };
  }
  if (body.kind !== "hashedrekord") return { ok: false, error: `Rekor entry of unsupported kind ${JSON.stringify(body.kind)}` };
  if (body.apiVersion !== "0.0.1") return { ok: false, error: `Rekor "hashedrekord" entry of unsupported version ${JSON.stringify(body.apiVersion)}` };
  const spec = body.spec ?? {};
  const pk = spec.signature?.publicKey?.content;
  const pkPem = typeof pk === "string" ? decodeStdBase64(pk) : undefined;
  if (!pkPem) return { ok: false, error: "missing public key or certificate in the Rekor SET" };
  const a = pemBlocks(Buffer.from(pkPem).toString("utf8"));
  const b = pemBlocks(keyOrCertPem);
  if (a.length !== 1 || b.length < 1 || !a[0].equals(b[0])) return { ok: false, error: "signing public key or certificate does not match SET contents" };
  const sc = spec.signature?.content;
  const sigInSet = typeof sc === "string" ? decodeStdBase64(sc) : undefined;
  if (!sigInSet || !Buffer.from(sigInSet).equals(Buffer.from(signatureBytes))) return { ok: false, error: "signature in Rekor SET does not match" };
  const hash = spec.data?.hash;
  if (hash?.algorithm !== "sha256") return { ok: false, error: `Unexpected payload hash algorithm ${JSON.stringify(hash?.algorithm)}` };
  if (hash.value !== createHash("sha256").update(payload).digest("hex")) return { ok: false, error: "payload hash in Rekor SET does not match" };
  return { ok: true, integratedTime: new Date(p.integratedTime * 1000) };
}

/** Parse a Rekor public key (must be ECDSA): upstream `Rekor public key %d is not using ECDSA`. */
export function parseRekorKey(pem: Uint8Array, n: number): { ok: true; key: KeyObject } | { ok: false; error: string } {
  try {
    const key = createPublicKey({ key: Buffer.from(pem), format: "pem" });
    if (key.asymmetricKeyType !== "ec") return { ok: false, error: `Rekor public key ${n} is not using ECDSA` };
    return { ok: true, key };
  } catch (e) {
    return { ok: false, error: `parsing Rekor public key ${n}: ${(e as Error).message}` };
  }
}
