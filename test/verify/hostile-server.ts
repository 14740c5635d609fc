/**
 * A hostile registry / lookaside server for tests: a plain node:http server on 127.0.0.1 whose routes the test
 * sets (huge lists, bad digests, slow answers), counting every request so that tests can assert what was (not)
 * fetched.
 */
import { createHash } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** One route's answer. */
export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Wait this long before answering (a slow server). */
  delayMs?: number;
  /** Never answer (a stalled server). */
  hang?: boolean;
}

/** A running server. */
export interface HostileServer {
  /** `127.0.0.1:PORT`. */
  host: string;
  routes: Map<string, Answer | ((path: string) => Answer | undefined)>;
  /** Every request path, in order. */
  requests: string[];
  close(): Promise<void>;
}

export const sha256 = (b: Buffer | string): string => "sha256:" + createHash("sha256").update(b).digest("hex");

export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";

/** A minimal OCI image manifest (its config and layer are never fetched by the verifier). */
export function imageManifest(n = 0): Buffer {
  const d = sha256(`config ${n}`);
  return Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: d, size: 2 }, layers: [] }));
}

/** Start a server; unknown paths are 404 with a registry error body. */
export async function startHostileServer(): Promise<HostileServer> {
  const routes: HostileServer["routes"] = new Map();
  const requests: string[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer((req, res) => {
    const p = (req.url ?? "/").split("?")[0];
    requests.push(p);
    const r = routes.get(p);
    let a: Answer | undefined = typeof r === "function" ? r(p) : r;
    if (a === undefined) for (const [k, v] of routes) if (k.endsWith("*") && p.startsWith(k.slice(0, -1))) a = typeof v === "function" ? v(p) : v;
    a ??= { status: 404, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ errors: [{ code: "MANIFEST_UNKNOWN", message: "manifest unknown" }] }) };
    if (a.hang) return;
    const send = () => {
      res.writeHead(a!.status ?? 200, a!.headers ?? {});
      res.end(a!.body ?? "");
    };
    if (a.delayMs) setTimeout(send, a.delayMs);
    else send();
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    routes,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Serve `body` as a manifest at /v2/<repo>/manifests/<tag> and at its digest; returns the digest. */
export function serveManifest(s: HostileServer, repo: string, tag: string | undefined, body: Buffer, mediaType: string): string {
  const d = sha256(body);
  const a: Answer = { headers: { "Content-Type": mediaType, "Docker-Content-Digest": d }, body };
  s.routes.set(`/v2/${repo}/manifests/${d}`, a);
  if (tag !== undefined) s.routes.set(`/v2/${repo}/manifests/${tag}`, a);
  return d;
}
