/**
 * Manifest digests as containers/image computes them for signature checks: `manifest/manifest.go`
 * `Digest` (a signed schema1 manifest is hashed without its JWS signatures, libtrust `ParsePrettySignature`
 * → `Payload`) and `MatchesDigest`; `internal/image/unparsed.go` `Manifest` (the expected-digest check).
 */
import { createHash } from "node:crypto";

/** The digest upstream computes: `sha256:<hex>` of the manifest, or of a schema1 JWS payload. */
export function manifestDigest(manifest: Uint8Array): { ok: true; digest: string } | { ok: false; error: string } {
  const p = schema1Payload(manifest);
  if (!p.ok) return p;
  return { ok: true, digest: "sha256:" + createHash("sha256").update(p.payload).digest("hex") };
}

/** Upstream `MatchesDigest` (5.23.1: sha256 only, so any other algorithm never matches). */
export function matchesDigest(manifest: Uint8Array, expected: string): { ok: true; matches: boolean } | { ok: false; error: string } {
  const d = manifestDigest(manifest);
  if (!d.ok) return d;
  return { ok: true, matches: d.digest === expected };
}

/** `GuessMIMEType` == DockerV2Schema1SignedMediaType: schemaVersion 1 with a `signatures` member. */
function isSignedSchema1(manifest: Uint8Array): boolean {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(manifest).toString("utf8"));
  } catch {
    return false;
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  if (typeof o.mediaType === "string" && o.mediaType !== "" && o.mediaType !== "application/vnd.docker.distribution.manifest.v1+prettyjws") return false;
  return o.schemaVersion === 1 && Object.prototype.hasOwnProperty.call(o, "signatures");
}

function b64url(s: string): Buffer {
  return Buffer.from(s.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}

/** libtrust `ParsePrettySignature(manifest, "signatures").Payload()` for signed schema1 manifests; the manifest otherwise. */
function schema1Payload(manifest: Uint8Array): { ok: true; payload: Uint8Array } | { ok: false; error: string } {
  if (!isSignedSchema1(manifest)) return { ok: true, payload: manifest };
  const o = JSON.parse(Buffer.from(manifest).toString("utf8")) as { signatures: unknown };
  if (!Array.isArray(o.signatures))
    return { ok: false, error: `error unmarshalling signatures: json: cannot unmarshal ${o.signatures === null ? "null" : typeof o.signatures === "object" ? "object" : typeof o.signatures} into Go value of type []libtrust.jsParsedSignature` };
  if (o.signatures.length === 0) return { ok: false, error: "missing signature key" };
  let formatLength = -1;
  let formatTail = "";
  for (const sig of o.signatures as { protected?: string }[]) {
    const prot = JSON.parse(b64url(sig?.protected ?? "").toString("utf8") || "{}") as { formatLength?: number; formatTail?: string };
    if (formatLength === -1) {
      formatLength = prot.formatLength ?? 0;
      formatTail = prot.formatTail ?? "";
    } else if (formatLength !== prot.formatLength || formatTail !== prot.formatTail) return { ok: false, error: "inconsistent format values" };
  }
  if (formatLength > manifest.length) return { ok: false, error: "invalid format length" };
  return { ok: true, payload: Buffer.concat([Buffer.from(manifest.subarray(0, formatLength)), b64url(formatTail)]) };
}
