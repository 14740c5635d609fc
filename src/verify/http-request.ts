/**
 * One bounded HTTP(S) request with node:http / node:https: a deadline for the whole exchange, a body size limit,
 * a redirect limit (Go's client: 10), TLS verification on unless turned off (`--tls-verify=false`). Used by the
 * registry client; errors are thrown as Error with a message naming the URL.
 */
import * as http from "node:http";
import * as https from "node:https";

/** Request options. */
export interface HttpRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  maxBodyBytes?: number;
  maxRedirects?: number;
  /** Default true. */
  tlsVerify?: boolean;
}

/** A response read within bounds. */
export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered (after redirects). */
  url: string;
}

/** Go's client names the method like this in errors (`Get "…": …`). */
function goMethod(m: string | undefined): string {
  const x = (m ?? "GET").toLowerCase();
  return x.charAt(0).toUpperCase() + x.slice(1);
}

function once(url: URL, o: Required<Pick<HttpRequestOptions, "timeoutMs" | "maxBodyBytes">> & HttpRequestOptions, deadline: number): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const mod = url.protocol === "https:" ? https : http;
    const remaining = deadline - Date.now();
    if (remaining <= 0) return reject(new Error(`${goMethod(o.method)} ${JSON.stringify(url.toString())}: timeout after ${o.timeoutMs} ms`));
    const req = mod.request(url, { method: o.method ?? "GET", headers: o.headers, rejectUnauthorized: o.tlsVerify !== false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > o.maxBodyBytes) {
          req.destroy(new Error(`exceeded maximum allowed size of ${o.maxBodyBytes} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on("end", () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), url: url.toString() });
      });
      res.on("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    const timer = setTimeout(() => req.destroy(new Error(`${goMethod(o.method)} ${JSON.stringify(url.toString())}: timeout after ${o.timeoutMs} ms`)), remaining);
    req.on("error", (e) => {
      clearTimeout(timer);
      const msg = e.message.startsWith("exceeded maximum") || e.message.includes("timeout after") ? e.message : `${goMethod(o.method)} ${JSON.stringify(url.toString())}: ${e.message}`;
      reject(new Error(msg));
    });
    req.end();
  });
}

/** Perform a request, following redirects within the limit. */
export async function httpRequest(url: string, options: HttpRequestOptions = {}): Promise<HttpResponse> {
  const o = {
    ...options,
    timeoutMs: options.timeoutMs ?? 30_000,
    maxBodyBytes: options.maxBodyBytes ?? 4 * 1024 * 1024,
    maxRedirects: options.maxRedirects ?? 10,
  };
  const deadline = Date.now() + o.timeoutMs;
  let current = new URL(url);
  let headers = { ...(o.headers ?? {}) };
  for (let i = 0; ; i++) {
    const res = await once(current, { ...o, headers }, deadline);
    const loc = res.headers.location;
    if ([301, 302, 303, 307, 308].includes(res.status) && loc) {
      if (i + 1 > o.maxRedirects) throw new Error(`Get ${JSON.stringify(loc)}: stopped after ${o.maxRedirects} redirects`);
      const next = new URL(loc, current);
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
