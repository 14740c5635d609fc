/**
 * Stored signature blobs as containers/image reads them: `internal/signature/signature.go` `FromBlob`
 * (simple signing = raw OpenPGP bytes or `0x00 "simple-signing" \n <bytes>`; sigstore =
 * `0x00 "sigstore-json" \n {"mimeType","payload","annotations"}`), spec containers-policy.md §4.5.
 */
import { decodeGoBase64 } from "../util/go-base64.js";

/** A GPG simple-signing signature: the OpenPGP message bytes. */
export interface SimpleSigningSignature {
  format: "simple-signing";
  signature: Uint8Array;
}

/** A sigstore signature (or another sigstore attachment): MIME type, payload and annotations, all untrusted. */
export interface SigstoreSignature {
  format: "sigstore-json";
  mimeType: string;
  payload: Uint8Array;
  annotations: Record<string, string>;
}

/** Any stored signature. */
export type StoredSignature = SimpleSigningSignature | SigstoreSignature;

/** Upstream `SigstoreSignatureMIMEType`. */
export const SIGSTORE_SIGNATURE_MIME_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
/** Upstream `SigstoreSignatureAnnotationKey`. */
export const SIGSTORE_SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
/** Upstream `SigstoreCertificateAnnotationKey`. */
export const SIGSTORE_CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";
/** Upstream `SigstoreIntermediateCertificateChainAnnotationKey`. */
export const SIGSTORE_CHAIN_ANNOTATION = "dev.sigstore.cosign/chain";
/** Upstream `SigstoreSETAnnotationKey`. */
export const SIGSTORE_SET_ANNOTATION = "dev.sigstore.cosign/bundle";

const OPENPGP_FIRST_BYTES = new Set([0xa0, 0xa1, 0xa2, 0xa3, 0xc8, 0x90, 0x91, 0x92, 0x3d, 0xc4, 0x88, 0x89, 0x8a, 0x8b, 0xc2]);

/** Go's `%#x` of a byte. */
function goHexByte(b: number): string {
  return "0x" + b.toString(16);
}

/** Go's `%q` for a byte string that is known to be printable ASCII. */
function quoteAscii(s: string): string {
  return JSON.stringify(s);
}

/** Upstream `FromBlob`: the signature, or upstream's error text. */
export function signatureFromBlob(blob: Uint8Array): { ok: true; signature: StoredSignature } | { ok: false; error: string } {
  if (blob.length === 0) return { ok: false, error: "empty signature blob" };
  const first = blob[0];
  if (OPENPGP_FIRST_BYTES.has(first)) return { ok: true, signature: { format: "simple-signing", signature: blob } };
  if (first !== 0x00) return { ok: false, error: `unrecognized signature format, starting with binary ${goHexByte(first)}` };
  const rest = blob.subarray(1);
  const nl = rest.indexOf(0x0a);
  if (nl < 0) return { ok: false, error: "invalid signature format, missing newline" };
  const format = rest.subarray(0, nl);
  for (const b of format) if (b < 32 || b >= 0x7f) return { ok: false, error: `invalid signature format, non-ASCII byte ${goHexByte(b)}` };
  const name = Buffer.from(format).toString("latin1");
  const chunk = rest.subarray(nl + 1);
  if (name === "simple-signing") return { ok: true, signature: { format: "simple-signing", signature: chunk } };
  if (name === "sigstore-json") return sigstoreFromBlobChunk(chunk);
  return { ok: false, error: `unrecognized signature format ${quoteAscii(name)}` };
}

/**
 * Upstream `SigstoreFromBlobChunk` (`json.Unmarshal` into {mimeType string, payload []byte, annotations
 * map[string]string}); Go's field matching is case-insensitive and later duplicates win, as here.
 */
export function sigstoreFromBlobChunk(chunk: Uint8Array): { ok: true; signature: SigstoreSignature } | { ok: false; error: string } {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(chunk).toString("utf8"));
  } catch (e) {
    return { ok: false, error: `invalid sigstore signature JSON: ${(e as Error).message}` };
  }
  if (v === null) return { ok: true, signature: { format: "sigstore-json", mimeType: "", payload: new Uint8Array(), annotations: {} } };
  if (typeof v !== "object" || Array.isArray(v))
    return { ok: false, error: `json: cannot unmarshal ${Array.isArray(v) ? "array" : typeof v === "string" ? "string" : typeof v === "number" ? "number" : "bool"} into Go value of type signature.sigstoreJSONRepresentation` };
  let mimeType = "";
  let payload: Uint8Array = new Uint8Array();
  let annotations: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    const key = k.toLowerCase();
    if (key === "mimetype") {
      if (val === null) continue;
      if (typeof val !== "string") return { ok: false, error: `json: cannot unmarshal ${goKind(val)} into Go struct field sigstoreJSONRepresentation.mimeType of type string` };
      mimeType = val;
    } else if (key === "payload") {
      if (val === null) continue;
      if (typeof val !== "string") return { ok: false, error: `json: cannot unmarshal ${goKind(val)} into Go struct field sigstoreJSONRepresentation.payload of type []uint8` };
      const d = decodeStdBase64(val);
      if (d === undefined) return { ok: false, error: "illegal base64 data in sigstore payload" };
      payload = d;
    } else if (key === "annotations") {
      if (val === null) continue;
      if (typeof val !== "object" || Array.isArray(val))
        return { ok: false, error: `json: cannot unmarshal ${goKind(val)} into Go struct field sigstoreJSONRepresentation.annotations of type map[string]string` };
      annotations = {};
      for (const [ak, av] of Object.entries(val as Record<string, unknown>)) {
        if (typeof av !== "string") return { ok: false, error: `json: cannot unmarshal ${goKind(av)} into Go struct field sigstoreJSONRepresentation.annotations of type string` };
        annotations[ak] = av;
      }
    }
  }
  return { ok: true, signature: { format: "sigstore-json", mimeType, payload, annotations } };
}

function goKind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "object") return "object";
  if (typeof v === "boolean") return "bool";
  return typeof v;
}

/** Go `base64.StdEncoding.DecodeString` (the project's one decoder, src/util/go-base64.ts); undefined when invalid. */
export function decodeStdBase64(s: string): Uint8Array | undefined {
  return decodeGoBase64(s);
}

/** Encodes a stored blob in upstream's `Blob` format (simple signing stays raw). */
export function signatureToBlob(sig: StoredSignature): Uint8Array {
  if (sig.format === "simple-signing") return sig.signature;
  const json = JSON.stringify({ mimeType: sig.mimeType, payload: Buffer.from(sig.payload).toString("base64"), annotations: sig.annotations });
  return Buffer.concat([Buffer.from([0]), Buffer.from("sigstore-json\n"), Buffer.from(json)]);
}
