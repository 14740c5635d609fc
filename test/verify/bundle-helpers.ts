/**
 * Test helper: cosign-3-style Sigstore bundles and OCI 1.1 referrers made here (never downloaded): a DSSE envelope over
 * an in-toto statement (predicate type https://sigstore.dev/cosign/sign/v1) signed by a test key or a leaf of the
 * test CA standing in for Fulcio, a Rekor entry with a SET signed by a test Rekor key; pushing blobs, manifests,
 * referrer manifests and referrers-tag indexes to a registry over HTTP; and a small server that speaks the
 * distribution-spec referrers API in front of Debian's docker-registry (which lacks it).
 */
import { createHash, sign as cryptoSign, X509Certificate, type KeyObject } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { canonicalJson } from "../../src/verify/rekor-set.js";
import { dssePae } from "../../src/verify/bundle.js";

export const BUNDLE_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
export const SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";
const sha = (b: Buffer) => "sha256:" + createHash("sha256").update(b).digest("hex");

/** Options of {@link makeBundle}. */
export interface BundleOptions {
  /** The image manifest digest the statement names. */
  digest: string;
  signer: KeyObject;
  /** The signer's certificate (Fulcio-style keyless), PEM. */
  certPem?: string;
  /** Sign a Rekor SET with this key (else: no inclusion promise, an inclusion proof placeholder only). */
  rekorKey?: KeyObject;
  predicateType?: string;
  integratedTime?: number;
}

/** A bundle's JSON bytes. */
export function makeBundle(o: BundleOptions): Buffer {
  const statement = {
    _type: "https://in-toto.io/Statement/v1",
    subject: [{ name: "", digest: { sha256: o.digest.slice(7) } }],
    predicateType: o.predicateType ?? SIGN_PREDICATE,
    predicate: {},
  };
  const payload = Buffer.from(JSON.stringify(statement));
  const payloadType = "application/vnd.in-toto+json";
  const sig = cryptoSign("sha256", dssePae(payloadType, payload), o.signer);
  const body = {
    apiVersion: "0.0.1",
    kind: "dsse",
    spec: { payloadHash: { algorithm: "sha256", value: createHash("sha256").update(payload).digest("hex") }, signatures: [{ signature: sig.toString("base64") }] },
  };
  const canonicalizedBody = Buffer.from(JSON.stringify(body)).toString("base64");
  const integratedTime = o.integratedTime ?? Math.floor(Date.now() / 1000);
  const logId = Buffer.alloc(32, 7);
  const entry: Record<string, unknown> = {
    logIndex: "42",
    logId: { keyId: logId.toString("base64") },
    kindVersion: { kind: "dsse", version: "0.0.1" },
    integratedTime: String(integratedTime),
    canonicalizedBody,
  };
  if (o.rekorKey) {
    const set = cryptoSign("sha256", Buffer.from(canonicalJson({ body: canonicalizedBody, integratedTime, logIndex: 42, logID: logId.toString("hex") })), o.rekorKey);
    entry.inclusionPromise = { signedEntryTimestamp: set.toString("base64") };
  } else entry.inclusionProof = { logIndex: "42", rootHash: Buffer.alloc(32).toString("base64"), treeSize: "43", hashes: [], checkpoint: { envelope: "" } };
  const verificationMaterial: Record<string, unknown> = { tlogEntries: [entry] };
  if (o.certPem) verificationMaterial.certificate = { rawBytes: new X509Certificate(o.certPem).raw.toString("base64") };
  else verificationMaterial.publicKey = { hint: "test-key" };
  return Buffer.from(
    JSON.stringify({
      mediaType: BUNDLE_TYPE,
      verificationMaterial,
      dsseEnvelope: { payload: payload.toString("base64"), payloadType, signatures: [{ sig: sig.toString("base64"), keyid: "" }] },
    }),
  );
}

/** Upload a blob; its digest. */
export async function putBlob(host: string, repo: string, data: Buffer): Promise<string> {
  const d = sha(data);
  const start = await fetch(`http://${host}/v2/${repo}/blobs/uploads/`, { method: "POST" });
  const loc = new URL(start.headers.get("location")!, `http://${host}`);
  loc.searchParams.set("digest", d);
  const put = await fetch(loc, { method: "PUT", body: data, headers: { "Content-Type": "application/octet-stream" } });
  if (put.status !== 201) throw new Error(`blob upload: ${put.status}`);
  return d;
}

/** Put a manifest under a tag or its digest; its digest. */
export async function putManifest(host: string, repo: string, tagOrDigest: string | undefined, body: Buffer, mediaType: string): Promise<string> {
  const ref = tagOrDigest ?? sha(body);
  const r = await fetch(`http://${host}/v2/${repo}/manifests/${ref}`, { method: "PUT", body, headers: { "Content-Type": mediaType } });
  if (r.status !== 201) throw new Error(`manifest put: ${r.status} ${await r.text()}`);
  return sha(body);
}

/** Push the sigstore attachment tag `sha256-<hex>.sig` of `imageDigest`: one layer holding `data` (cosign's layout); its digest. */
export async function pushSigTag(
  host: string,
  repo: string,
  imageDigest: string,
  layer: { mediaType: string; data: Buffer; annotations?: Record<string, string> },
): Promise<string> {
  const layerDigest = await putBlob(host, repo, layer.data);
  const configDigest = await putBlob(host, repo, Buffer.from("{}"));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", size: 2, digest: configDigest },
      layers: [{ mediaType: layer.mediaType, size: layer.data.length, digest: layerDigest, ...(layer.annotations ? { annotations: layer.annotations } : {}) }],
    }),
  );
  return putManifest(host, repo, `sha256-${imageDigest.slice(7)}.sig`, manifest, "application/vnd.oci.image.manifest.v1+json");
}

/** A pushed referrer: the descriptor an index (API answer or referrers tag) lists. */
export interface Referrer {
  mediaType: string;
  digest: string;
  size: number;
  artifactType: string;
  annotations: Record<string, string>;
}

/** Push a cosign-3-style referrer manifest (the bundle as its one layer, `subject` = the image). */
export async function pushBundleReferrer(host: string, repo: string, subject: { digest: string; size: number; mediaType: string }, bundle: Buffer, predicateType = SIGN_PREDICATE): Promise<Referrer> {
  const empty = Buffer.from("{}");
  const configDigest = await putBlob(host, repo, empty);
  const layerDigest = await putBlob(host, repo, bundle);
  const annotations = { "dev.sigstore.bundle.content": "dsse-envelope", "dev.sigstore.bundle.predicateType": predicateType };
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      artifactType: BUNDLE_TYPE,
      config: { mediaType: "application/vnd.oci.empty.v1+json", size: 2, digest: configDigest },
      layers: [{ mediaType: BUNDLE_TYPE, size: bundle.length, digest: layerDigest }],
      subject,
      annotations,
    }),
  );
  const digest = await putManifest(host, repo, undefined, manifest, "application/vnd.oci.image.manifest.v1+json");
  return { mediaType: "application/vnd.oci.image.manifest.v1+json", digest, size: manifest.length, artifactType: BUNDLE_TYPE, annotations };
}

/** An OCI index listing referrers (the referrers API's answer, or the referrers tag's manifest). */
export function referrersIndex(referrers: readonly Referrer[]): Buffer {
  return Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: referrers }));
}

/** A server in front of `upstream` that answers `GET /v2/<name>/referrers/<digest>` from `referrers` (distribution-spec v1.1). */
export async function referrersApiServer(upstream: string, referrers: Map<string, Referrer[]>): Promise<{ host: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const m = /^\/v2\/(.+)\/referrers\/(sha256:[0-9a-f]{64})(\?.*)?$/.exec(req.url ?? "");
    if (m && req.method === "GET") {
      const body = referrersIndex(referrers.get(`${m[1]}@${m[2]}`) ?? []);
      res.writeHead(200, { "Content-Type": "application/vnd.oci.image.index.v1+json", "Content-Length": body.length });
      res.end(body);
      return;
    }
    const up = http.request(`http://${upstream}${req.url}`, { method: req.method, headers: { accept: req.headers.accept ?? "*/*" } }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      ur.pipe(res);
    });
    up.on("error", () => {
      res.writeHead(502);
      res.end();
    });
    up.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}
