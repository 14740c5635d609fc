/**
 * Where signatures come from (spec §4.5), read as containers/image reads them:
 * - a `dir:` layout: `signature-1`, `signature-2`, … until one is missing (`directory/directory_src.go`
 *   `GetSignaturesWithFormat`; list instances: `<hex>.signature-N`);
 * - a lookaside store from registries.d: `<base>/<repo>@<algo>=<hex>/signature-N` over `file://` (ENOENT ends the
 *   list) or `http(s)://` (404 ends it, other statuses are errors), at most 128 (`docker/docker_image_src.go`
 *   `getSignaturesFromLookaside`, `getOneSignature`). HTTP reads are bounded in time, size and redirects.
 */
import type { Host, HostFiles, HostHttp } from "../host/host.js";
import { join } from "../host/path.js";
import { errnoText } from "../reference/resolve-path.js";
import { redactUrl, redactUrlsIn } from "../registries/redact-url.js";
import { httpRequest } from "./http-request.js";
import { MAX_SIGNATURE_BODY_SIZE, type Deadline } from "./limits.js";
import { signatureFromBlob, type StoredSignature } from "./stored-signature.js";

/** Signatures as read, or the error that made reading them fail (upstream then denies with it). */
export type SignatureReadResult =
  | { ok: true; signatures: StoredSignature[]; locations: string[] }
  | { ok: false; error: string; locations: string[] };

/** Upstream `maxLookasideSignatures`. */
export const MAX_LOOKASIDE_SIGNATURES = 128;
/** Upstream `iolimits.MaxSignatureBodySize` (4 MiB). */
export { MAX_SIGNATURE_BODY_SIZE } from "./limits.js";

/** A dir-layout signature file name (`signature-N`, or `<hex>.signature-N` for a list instance). */
export function dirSignatureName(index: number, instanceDigest?: string): string {
  if (instanceDigest === undefined) return `signature-${index + 1}`;
  const hex = instanceDigest.slice(instanceDigest.indexOf(":") + 1);
  return `${hex}.signature-${index + 1}`;
}

/**
 * Read and decode one stored signature file: "end" when it does not exist (the error codes in `endCodes`: the list
 * of signatures ends there), else the signature or upstream's error text. Files over 4 MiB are refused.
 */
function readSignatureFile(
  files: HostFiles,
  p: string,
  endCodes: readonly string[],
  shown: string = p,
): "end" | { ok: true; signature: StoredSignature } | { ok: false; error: string } {
  let blob: Uint8Array;
  try {
    const st = files.stat(p);
    if (st.kind === "file" && st.size > MAX_SIGNATURE_BODY_SIZE) return { ok: false, error: `reading ${shown}: exceeded maximum allowed size of ${MAX_SIGNATURE_BODY_SIZE} bytes` };
    blob = files.readFile(p, { maxBytes: MAX_SIGNATURE_BODY_SIZE });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== undefined && endCodes.includes(code)) return "end";
    return { ok: false, error: code === "EISDIR" ? `read ${shown}: is a directory` : `open ${shown}: ${errnoText(e)}` };
  }
  const s = signatureFromBlob(blob);
  return s.ok ? { ok: true, signature: s.signature } : { ok: false, error: `parsing signature ${JSON.stringify(shown)}: ${s.error}` };
}

/**
 * Read the signatures of a `dir:` layout (also `--signatures DIR`). Files larger than 4 MiB are refused. Errors name
 * a file under `shownDir` (default `dir`): upstream names them by the path as typed, not the resolved one.
 */
export function readDirSignatures(files: HostFiles, dir: string, instanceDigest?: string, shownDir: string = dir): SignatureReadResult {
  const signatures: StoredSignature[] = [];
  const locations: string[] = [];
  for (let i = 0; ; i++) {
    const p = join(dir, dirSignatureName(i, instanceDigest));
    const r = readSignatureFile(files, p, ["ENOENT", "ENOTDIR"], join(shownDir, dirSignatureName(i, instanceDigest)));
    if (r === "end") break;
    if (!r.ok) return { ok: false, error: r.error, locations };
    signatures.push(r.signature);
    locations.push(p);
  }
  return { ok: true, signatures, locations };
}

/** Bounds for HTTP reads. */
export interface HttpLimits {
  /** Per request, including the body (default 30 s). */
  timeoutMs?: number;
  /** Redirects followed (Go's client: 10). */
  maxRedirects?: number;
  /** Body bytes (default 4 MiB, upstream's limit). */
  maxBodyBytes?: number;
  /** Extra request headers (e.g. Authorization). */
  headers?: Record<string, string>;
  /** Verify TLS certificates (default true). */
  tlsVerify?: boolean;
  /** The total time for all reads of one reference (`--timeout`; default limits.ts `DEFAULT_TOTAL_TIMEOUT_MS`). */
  totalTimeoutMs?: number;
  /** The running total deadline of the reference being read (made per reference from `totalTimeoutMs`). */
  deadline?: Deadline;
}

/** An HTTP response read within bounds. */
export interface BoundedResponse {
  status: number;
  statusText: string;
  headers: Headers;
  body: Uint8Array;
  url: string;
}

/** Go's `http.StatusText`, for the statuses a server is likely to send. */
export function goStatusText(status: number): string {
  const t: Record<number, string> = {
    200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently", 302: "Found", 303: "See Other", 307: "Temporary Redirect",
    308: "Permanent Redirect", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
    429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
  };
  return t[status] ?? "";
}

/** GET with a deadline, a redirect limit, a body limit and TLS verification (unless turned off); throws an Error with a clear message otherwise. */
export async function boundedGet(transport: HostHttp | undefined, url: string, limits: HttpLimits = {}): Promise<BoundedResponse> {
  const res = await httpRequest(transport, url, {
    headers: limits.headers,
    timeoutMs: limits.timeoutMs,
    maxRedirects: limits.maxRedirects,
    maxBodyBytes: limits.maxBodyBytes ?? MAX_SIGNATURE_BODY_SIZE,
    tlsVerify: limits.tlsVerify,
    deadline: limits.deadline,
  });
  const headers = new Headers();
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
  return { status: res.status, statusText: goStatusText(res.status), headers, body: res.body, url: res.url };
}

/** One lookaside URL to read: its URL text and, for file:, the path upstream reads (`url.Path`). */
export interface LookasideLocation {
  url: string;
  scheme: string;
  filePath?: string;
}

/**
 * Read lookaside signatures: `locate(i)` gives the URL of signature i+1 (see registries/lookaside.ts
 * `lookasideSignatureUrl`). Mirrors upstream `getSignaturesFromLookaside` / `getOneSignature`.
 */
export async function readLookasideSignatures(
  host: Pick<Host, "files" | "http">,
  locate: (index: number) => { ok: true; location: LookasideLocation } | { ok: false; error: string },
  limits: HttpLimits = {},
): Promise<SignatureReadResult> {
  const signatures: StoredSignature[] = [];
  const locations: string[] = [];
  for (let i = 0; ; i++) {
    if (i >= MAX_LOOKASIDE_SIGNATURES)
      return { ok: false, error: `server provided ${MAX_LOOKASIDE_SIGNATURES} signatures, assuming that's unreasonable and a server error`, locations };
    const l = locate(i);
    if (!l.ok) return { ok: false, error: redactUrlsIn(l.error), locations };
    const loc = l.location;
    // Credentials never printed: locations and messages show the URL as Go's url.Redacted() does.
    const shown = redactUrl(loc.url);
    if (loc.scheme === "file") {
      const r = readSignatureFile(host.files, loc.filePath ?? "", ["ENOENT"]);
      if (r === "end") break;
      if (!r.ok) return { ok: false, error: r.error, locations };
      signatures.push(r.signature);
      locations.push(shown);
    } else if (loc.scheme === "http" || loc.scheme === "https") {
      let res: BoundedResponse;
      try {
        res = await boundedGet(host.http, loc.url, limits);
      } catch (e) {
        return { ok: false, error: (e as Error).message, locations };
      }
      if (res.status === 404) break;
      if (res.status !== 200) return { ok: false, error: `reading signature from ${shown}: status ${res.status} (${res.statusText})`, locations };
      const s = signatureFromBlob(res.body);
      if (!s.ok) return { ok: false, error: `parsing signature ${shown}: ${s.error}`, locations };
      signatures.push(s.signature);
      locations.push(shown);
    } else return { ok: false, error: `Unsupported scheme when reading signature from ${shown}`, locations };
  }
  return { ok: true, signatures, locations };
}
