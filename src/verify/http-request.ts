/**
 * One bounded HTTP(S) request as Go's `http.Client` makes it: a deadline for the whole exchange (redirects
 * included), a body size limit, a redirect limit (Go's client: 10, `Authorization` dropped when the host
 * changes), TLS verification on unless turned off (`--tls-verify=false`). Each exchange goes through the host's
 * transport (`host.http.request`, one exchange without redirects); errors are thrown as Error with a message naming
 * the URL as Go does (`Get "…": …`).
 */
import type { HostHttp } from "../host/host.js";
import { goHttpClientUrl } from "../registries/redact-url.js";
import { DEFAULT_REQUEST_TIMEOUT_MS, MAX_SIGNATURE_BODY_SIZE, type Deadline } from "./limits.js";

/** Request options. */
export interface HttpRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  maxBodyBytes?: number;
  maxRedirects?: number;
  /** Default true. */
  tlsVerify?: boolean;
  /** The total deadline of the reference this request reads for (shared by all its requests; `--timeout`). */
  deadline?: Deadline;
}

/** A response read within bounds. */
export interface HttpResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
  /** The URL that answered (after redirects). */
  url: string;
}

/** Go's client names the method like this in errors (`Get "…": …`). */
function goMethod(m: string | undefined): string {
  const x = (m ?? "GET").toLowerCase();
  return x.charAt(0).toUpperCase() + x.slice(1);
}

/** One exchange within what is left of the deadline. */
async function once(
  transport: HostHttp | undefined,
  url: URL,
  o: Required<Pick<HttpRequestOptions, "timeoutMs" | "maxBodyBytes">> & HttpRequestOptions,
  deadline: number,
): Promise<HttpResponse> {
  // Credentials never printed: the URL as Go's client shows it in its errors (net/http stripPassword: `user:***@`).
  const shown = `${goMethod(o.method)} ${JSON.stringify(goHttpClientUrl(url.toString()))}`;
  const named = (text: string) => new Error(`${shown}: ${text}`);
  const own = deadline - Date.now();
  const total = o.deadline?.remaining() ?? Infinity;
  if (total <= 0) throw o.deadline!.error(shown);
  const remaining = Math.min(own, total);
  if (own <= 0) throw named(`timeout after ${o.timeoutMs} ms`);
  if (!transport) throw named("this host has no network");
  try {
    const res = await transport.request({
      url: url.toString(),
      method: o.method ?? "GET",
      headers: o.headers,
      timeoutMs: remaining,
      maxBodyBytes: o.maxBodyBytes,
      tlsVerify: o.tlsVerify !== false,
    });
    return { status: res.status, headers: res.headers, body: res.body, url: url.toString() };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (msg.startsWith("exceeded maximum")) throw new Error(msg);
    // The transport counts the time left; the message names the deadline that ran out: the reference's total, or
    // the whole request's, as before.
    if (/^timeout after \d+ ms$/.test(msg) && o.deadline && total <= own) throw o.deadline.error(shown);
    throw named(/^timeout after \d+ ms$/.test(msg) ? `timeout after ${o.timeoutMs} ms` : msg);
  }
}

/** Perform a request through `transport`, following redirects within the limit. */
export async function httpRequest(transport: HostHttp | undefined, url: string, options: HttpRequestOptions = {}): Promise<HttpResponse> {
  const o = {
    ...options,
    timeoutMs: options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    maxBodyBytes: options.maxBodyBytes ?? MAX_SIGNATURE_BODY_SIZE,
    maxRedirects: options.maxRedirects ?? 10,
  };
  const deadline = Date.now() + o.timeoutMs;
  let current = new URL(url);
  let headers = { ...(o.headers ?? {}) };
  for (let i = 0; ; i++) {
    const res = await once(transport, current, { ...o, headers }, deadline);
    const loc = res.headers.location;
    const location = Array.isArray(loc) ? loc[0] : loc;
    if ([301, 302, 303, 307, 308].includes(res.status) && location) {
      if (i + 1 > o.maxRedirects) throw new Error(`Get ${JSON.stringify(goHttpClientUrl(location))}: stopped after ${o.maxRedirects} redirects`);
      const next = new URL(location, current);
      if (next.host !== current.host) {
        headers = { ...headers };
        delete headers.Authorization;
      }
      current = next;
      continue;
    }
    return res;
  }
}
