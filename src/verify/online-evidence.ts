/**
 * `--online` evidence: the registry serves the manifest (by tag or digest) and, for a manifest list, each instance;
 * signatures come from the lookaside and, when enabled, the sigstore attachments (`docker/docker_image_src.go`).
 * A list is decided per instance, as a pull of each platform would be (or only the `--platform` instance).
 */
import type { DockerReference } from "../reference/docker-reference.js";
import type { EvidenceReport, GatheredEvidence, ImageEvidence, InstanceEvidence } from "../simulate/evidence-source.js";
import { dockerSignatures } from "./docker-signatures.js";
import { recordRead, verifier, type EvidenceContext, type SignatureEvidenceOptions } from "./evidence-context.js";
import type { ImageUnderTest } from "./image-under-test.js";
import type { Deadline } from "./limits.js";
import { instanceDigestError, isManifestList, listInstances, RegistryClient, type FetchedManifest, type ListInstance } from "./registry-client.js";

/**
 * Gather a docker image's evidence from its registry; every read (manifests, lookaside, attachments) within
 * `deadline`, the reference's total (`--timeout`). The registry is untrusted: list instances are capped and their
 * digests validated before anything is fetched by them (registry-client.ts).
 */
export async function gatherOnline(
  c: EvidenceContext,
  dref: DockerReference,
  online: NonNullable<SignatureEvidenceOptions["online"]>,
  deadline?: Deadline,
): Promise<GatheredEvidence> {
  const client = new RegistryClient(dref, { ...online, host: c.options.host, ...(deadline ? { deadline } : {}) });
  const report: EvidenceReport = { source: "registry", locations: [], formats: [], manifestDigest: null };
  const fail = (error: string): GatheredEvidence => {
    report.manifestError = error;
    return { kind: "unreadable", report, error };
  };
  let top: FetchedManifest | undefined;
  try {
    top = await client.manifest(dref.digest ?? dref.tag ?? "latest");
  } catch (e) {
    return fail((e as Error).message);
  }
  if (!top) return fail("manifest unknown");
  report.manifestDigest = top.digest;

  /** One image manifest and its signatures (at `digest`); `expected`: the digest the manifest must have. */
  const one = async (bytes: Uint8Array, digest: string, expected: string | undefined): Promise<ImageEvidence> => {
    const ev: EvidenceReport = { source: "registry", locations: [], formats: [], manifestDigest: digest };
    const set = recordRead(ev, await dockerSignatures(c.docker, dref, digest, client));
    const image: ImageUnderTest = { dockerReference: dref, manifest: { ok: true, bytes }, expectedDigest: expected, target: c.target };
    return { report: ev, manifest: bytes, signatures: verifier(c, image, set), identity: dref.domain + "/" + dref.path };
  };
  if (!isManifestList(top.mediaType))
    return { kind: "image", evidence: await one(top.bytes, dref.digest?.startsWith("sha256:") ? dref.digest : top.digest, dref.digest) };

  let listed: ListInstance[];
  try {
    listed = listInstances(top.bytes, online.platform);
  } catch (e) {
    return fail((e as Error).message);
  }
  if (listed.length === 0) return fail(online.platform ? `no image found in manifest list for platform ${online.platform}` : "the manifest list has no instances");
  const instances: InstanceEvidence[] = [];
  for (const inst of listed) {
    let m: FetchedManifest | undefined;
    try {
      // A digest that does not validate ("latest") is never fetched: it would be fetched as a tag.
      const bad = instanceDigestError(inst.digest);
      if (bad) throw bad;
      m = await client.manifest(inst.digest);
    } catch (e) {
      const error = (e as Error).message;
      instances.push({ digest: inst.digest, error, report: { source: "registry", locations: [], formats: [], manifestDigest: null, manifestError: error } });
      continue;
    }
    const p = inst.platform ? [inst.platform.os, inst.platform.architecture, inst.platform.variant].filter(Boolean).join("/") : undefined;
    instances.push({ digest: inst.digest, ...(p ? { platform: p } : {}), evidence: await one(m!.bytes, inst.digest, inst.digest) });
  }
  return { kind: "list", report, instances };
}
