/**
 * The signatures of a docker image as the runtime reads them: the registries.d lookaside for the manifest digest
 * (`docker/docker_image_src.go` `getSignaturesFromLookaside`), then, when `use-sigstore-attachments` is on and the
 * registry is at hand, the sigstore attachments (`appendSigstoreInternalSignatures`): upstream's order.
 */
import type { Host } from "../host/host.js";
import type { RegistriesDConfig } from "../ir/types.js";
import type { Version } from "../ir/versions.js";
import type { DockerReference } from "../reference/docker-reference.js";
import { lookasideSignatureUrl, signatureStorageFor, type LookasideEnv } from "../registries/lookaside.js";
import { redactUrlsIn } from "../registries/redact-url.js";
import type { RegistryClient } from "./registry-client.js";
import { readLookasideSignatures, type HttpLimits, type SignatureReadResult } from "./sources.js";

/** What reading a docker image's signatures needs. */
export interface DockerSignatureOptions {
  host: Pick<Host, "files" | "http" | "euid" | "home">;
  registriesD?: RegistriesDConfig;
  /** Who the runtime runs as (the built-in lookaside); the host's when not given. */
  env?: Omit<LookasideEnv, "host" | "target">;
  target?: Version;
  /** Bounds (and TLS verification) for http(s) lookaside reads. */
  http?: HttpLimits;
}

/** Lookaside signatures (registries.d) for a digest, then sigstore attachments when enabled and `client` is given. */
export async function dockerSignatures(o: DockerSignatureOptions, dref: DockerReference, digest: string, client?: RegistryClient): Promise<SignatureReadResult> {
  const env: LookasideEnv = { ...(o.env ?? {}), host: o.host, target: o.target };
  const storage = signatureStorageFor(dref, o.registriesD ?? { docker: [] }, env);
  if (storage.error !== undefined) return { ok: false, error: redactUrlsIn(storage.error), locations: [] };
  const read = await readLookasideSignatures(
    o.host,
    (i) => {
      const u = lookasideSignatureUrl(storage.lookasideTopLevel, dref, digest, i, env);
      return u.ok ? { ok: true, location: { url: u.url, scheme: u.scheme, filePath: u.filePath } } : u;
    },
    o.http,
  );
  if (!read.ok || !client || !storage.useSigstoreAttachments) return read;
  try {
    const att = await client.sigstoreAttachments(digest);
    return { ok: true, signatures: [...read.signatures, ...att], locations: [...read.locations, ...att.map((_, i) => `attachment ${i + 1} of ${digest}`)] };
  } catch (e) {
    return { ok: false, error: (e as Error).message, locations: read.locations };
  }
}
