/**
 * The signed payload of simple signing and sigstore signatures, parsed as strictly as upstream does:
 * `signature/simple.go` `untrustedSignature.strictUnmarshalJSON` and
 * `signature/internal/sigstore_payload.go` `UntrustedSigstorePayload.strictUnmarshalJSON`, on top of
 * `signature/internal/json.go` `ParanoidUnmarshalJSONObject(ExactFields)`; spec §4.2 step 4, §4.3 step 6.
 */
import { parseJson } from "../load/json-parse.js";
import type { JsonObject, JsonValue } from "../load/json-tree.js";
import { formatTokenPercentS } from "../load/json-go-format.js";

/** What a payload claims (untrusted until the digest and identity checks pass). */
export interface UntrustedPayload {
  dockerManifestDigest: string;
  dockerReference: string;
  creator?: string;
  timestamp?: number;
}

/** Upstream `signatureType` / `sigstoreSignatureType`. */
export const SIMPLE_SIGNING_TYPE = "atomic container signature";
/** The `critical.type` of cosign payloads. */
export const SIGSTORE_PAYLOAD_TYPE = "cosign container image signature";

type R<T> = { ok: true; value: T } | { ok: false; error: string };

function goKind(node: JsonValue): string {
  switch (node.kind) {
    case "true":
    case "false":
      return "bool";
    default:
      return node.kind;
  }
}

/** ParanoidUnmarshalJSONObject over a parsed value: members in order, duplicates and unknown keys refused. */
function paranoidObject(node: JsonValue, resolve: (key: string) => ((v: JsonValue) => string | undefined) | undefined): string | undefined {
  if (node.kind !== "object") return `JSON object expected, got ${formatTokenPercentS(node)}`;
  const seen = new Set<string>();
  for (const m of (node as JsonObject).members) {
    if (seen.has(m.key)) return `Duplicate key "${m.key}"`;
    seen.add(m.key);
    const r = resolve(m.key);
    if (!r) return `Unknown key "${m.key}"`;
    const err = r(m.value);
    if (err !== undefined) return err;
  }
  return undefined;
}

function exactFields(node: JsonValue, fields: Record<string, (v: JsonValue) => string | undefined>): string | undefined {
  const seen = new Set<string>();
  const err = paranoidObject(node, (k) => {
    const f = Object.prototype.hasOwnProperty.call(fields, k) ? fields[k] : undefined;
    if (f) seen.add(k);
    return f;
  });
  if (err !== undefined) return err;
  for (const k of Object.keys(fields)) if (!seen.has(k)) return `Key "${k}" missing in a JSON object`;
  return undefined;
}

/** json.Unmarshal into a Go string: null leaves it unchanged. */
function intoString(set: (s: string) => void): (v: JsonValue) => string | undefined {
  return (v) => {
    if (v.kind === "null") return undefined;
    if (v.kind !== "string") return `json: cannot unmarshal ${goKind(v)} into Go value of type string`;
    set(v.value);
    return undefined;
  };
}

/**
 * Parse a payload. `kind` "simple" requires `critical.type` "atomic container signature" and an object
 * `optional`; "sigstore" requires "cosign container image signature" and also allows `"optional": null`.
 * Errors are upstream's texts (InvalidSignatureError).
 */
export function parseUntrustedPayload(bytes: Uint8Array, kind: "simple" | "sigstore"): R<UntrustedPayload> {
  const text = Buffer.from(bytes).toString("utf8");
  const parsed = parseJson(text);
  if (!parsed.ok) return { ok: false, error: parsed.error.message };
  let critical: JsonValue | undefined;
  let optional: JsonValue | undefined;
  let err = exactFields(parsed.value, {
    critical: (v) => void (critical = v),
    optional: (v) => void (optional = v),
  });
  if (err !== undefined) return { ok: false, error: err };
  const out: UntrustedPayload = { dockerManifestDigest: "", dockerReference: "" };
  let creator: string | undefined;
  let timestamp: number | undefined;
  if (!(kind === "sigstore" && optional!.kind === "null")) {
    err = paranoidObject(optional!, (k) => {
      if (k === "creator")
        return (v) => {
          creator ??= "";
          return intoString((s) => (creator = s))(v);
        };
      if (k === "timestamp")
        return (v) => {
          timestamp ??= 0;
          if (v.kind === "null") return undefined;
          if (v.kind !== "number") return `json: cannot unmarshal ${goKind(v)} into Go value of type float64`;
          timestamp = Number(v.raw);
          return undefined;
        };
      return () => undefined;
    });
    if (err !== undefined) return { ok: false, error: err };
  }
  if (creator !== undefined) out.creator = creator;
  if (timestamp !== undefined) {
    if (!Number.isInteger(timestamp) || Math.abs(timestamp) > 2 ** 63) return { ok: false, error: "Field optional.timestamp is not is not an integer" };
    out.timestamp = timestamp;
  }
  let t = "";
  let image: JsonValue | undefined;
  let identity: JsonValue | undefined;
  err = exactFields(critical!, {
    type: intoString((s) => (t = s)),
    image: (v) => void (image = v),
    identity: (v) => void (identity = v),
  });
  if (err !== undefined) return { ok: false, error: err };
  const expected = kind === "simple" ? SIMPLE_SIGNING_TYPE : SIGSTORE_PAYLOAD_TYPE;
  if (t !== expected) return { ok: false, error: `Unrecognized signature type ${t}` };
  err = exactFields(image!, { "docker-manifest-digest": intoString((s) => (out.dockerManifestDigest = s)) });
  if (err !== undefined) return { ok: false, error: err };
  err = exactFields(identity!, { "docker-reference": intoString((s) => (out.dockerReference = s)) });
  if (err !== undefined) return { ok: false, error: err };
  return { ok: true, value: out };
}
