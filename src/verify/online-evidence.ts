/**
 * `--online` evidence: the registry serves the manifest (by tag or digest) and, for a manifest list, each instance;
 * signatures come from the lookaside and, when enabled, the sigstore attachments (`docker/docker_image_src.go`).
 * Every other place a signature can be stored (artifacts.ts: the `.sig` tag when not enabled, the referrers API, the
 * referrers tag) is searched too, to explain what the runtime does not see; Sigstore bundles found are checked against
 * the policy's sigstoreSigned requirements (bundle.ts). A list is decided per instance, as `skopeo copy --all` checks
 * each instance (or only the instance a pull takes on `--platform`, as `podman pull` does: `copy.Image`,
 * `ChooseInstance`); the list's own signatures are read and shown, though no pull checks the policy against them.
 */
import type { DockerReference } from "../reference/docker-reference.js";
import { signatureStorageFor } from "../registries/lookaside.js";
import type { AsyncSignatureEvidence } from "../simulate/evaluate.js";
import type { PullChoice } from "../simulate/evidence-artifacts.js";
import type { EvidenceReport, GatheredEvidence, ImageEvidence, InstanceEvidence } from "../simulate/evidence-source.js";
import { artifactFindings } from "./artifact-findings.js";
import { findRegistryArtifacts, lookasideArtifacts, type ArtifactSearch } from "./artifacts.js";
import { checkBundle } from "./bundle.js";
import { dockerSignatures } from "./docker-signatures.js";
import { recordRead, verifier, type EvidenceContext, type SignatureEvidenceOptions } from "./evidence-context.js";
import type { ImageUnderTest } from "./image-under-test.js";
import type { Deadline } from "./limits.js";
import { chooseInstance, formatPlatform, parsePlatform, wantedPlatforms, type ListedInstance } from "./platform.js";
import { instanceDigestError, isManifestList, listInstances, RegistryClient, type FetchedManifest, type ListInstance } from "./registry-client.js";

/** Check the bundles found against each sigstoreSigned requirement the evaluation reaches (first one checked wins). */
function withBundleChecks(c: EvidenceContext, inner: AsyncSignatureEvidence, bundles: ArtifactSearch["bundles"], digest: string): AsyncSignatureEvidence {
  if (bundles.length === 0) return inner;
  const host = c.options.host;
  return {
    async evaluate(requirement, image) {
      const v = await inner.evaluate(requirement, image);
      if (requirement.type === "sigstoreSigned")
        for (const b of bundles)
          b.artifact.bundleCheck ??= checkBundle(b.bytes, digest, requirement, {
            now: c.options.now ?? host.now(),
            readFile: (p) => (c.options.keys ?? host).files.readFile(p),
            debianSigstoreDisabled: c.options.debianSigstoreDisabled,
          });
      return v;
    },
  };
}

/** A list's entries as ChooseInstance sees them (entries whose digest is not a string are left out: they are never chosen). */
export function rawInstances(listBytes: Uint8Array): ListedInstance[] {
  try {
    const j = JSON.parse(new TextDecoder().decode(listBytes)) as { manifests?: unknown };
    if (!Array.isArray(j.manifests)) return [];
    return j.manifests.filter((m): m is ListedInstance => typeof m === "object" && m !== null && typeof (m as { digest?: unknown }).digest === "string");
  } catch {
    return [];
  }
}

/** Which instance a pull takes (`platform` chosen, else this machine's), or undefined when neither is known. */
export function pullChoice(listBytes: Uint8Array, mediaType: string, chosen: string | undefined, machine: string | undefined): PullChoice | undefined {
  const text = chosen ?? machine;
  const p = text === undefined ? undefined : parsePlatform(text);
  if (p === undefined) return undefined;
  const m = machine !== undefined ? parsePlatform(machine) : undefined;
  const wanted = wantedPlatforms(chosen !== undefined ? p : undefined, m ?? p);
  const r = chooseInstance(rawInstances(listBytes), wanted, mediaType === "application/vnd.oci.image.index.v1+json");
  const from = chosen !== undefined ? "--platform" : "this machine";
  return r.ok ? { platform: formatPlatform(p), from, digest: r.digest } : { platform: formatPlatform(p), from, digest: null, error: r.error };
}

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
  const storage = signatureStorageFor(dref, c.options.registriesD ?? { docker: [] }, { ...(c.docker.env ?? {}), host: c.options.host, target: c.target });

  /** One manifest and its signatures (at `digest`); `expected`: the digest the manifest must have. */
  const one = async (bytes: Uint8Array, digest: string, expected: string | undefined): Promise<ImageEvidence> => {
    const ev: EvidenceReport = { source: "registry", locations: [], formats: [], manifestDigest: digest };
    const set = recordRead(ev, await dockerSignatures(c.docker, dref, digest, client));
    const search = await findRegistryArtifacts(client, digest, storage.error === undefined && storage.useSigstoreAttachments);
    const found = [...lookasideArtifacts(ev.locations, ev.formats), ...search.artifacts];
    if (found.length > 0) ev.artifacts = found;
    if (search.notes.length > 0) ev.artifactNotes = search.notes;
    const image: ImageUnderTest = { dockerReference: dref, manifest: { ok: true, bytes }, expectedDigest: expected, target: c.target };
    return {
      report: ev,
      manifest: bytes,
      signatures: withBundleChecks(c, verifier(c, image, set), search.bundles, digest),
      identity: dref.domain + "/" + dref.path,
      findings: (d) => artifactFindings(ev, d),
    };
  };
  if (!isManifestList(top.mediaType))
    return { kind: "image", evidence: await one(top.bytes, dref.digest?.startsWith("sha256:") ? dref.digest : top.digest, dref.digest) };

  const pull = pullChoice(top.bytes, top.mediaType, online.platform, online.machinePlatform);
  let listed: ListInstance[];
  try {
    // Digests are validated (and, deciding every instance, their number capped) before anything is fetched by them.
    listed = listInstances(top.bytes, online.platform);
    if (online.platform === undefined) listed = listInstances(top.bytes);
  } catch (e) {
    return fail((e as Error).message);
  }
  if (online.platform !== undefined) {
    // As podman pull --platform: only the instance ChooseInstance picks is pulled, so only it is decided.
    if (!pull || pull.digest === null)
      return fail(`choosing an image from manifest list docker://${dref.domain}/${dref.path}${dref.tag ? ":" + dref.tag : ""}${dref.digest ? "@" + dref.digest : ""}: ${pull?.error ?? `invalid platform ${online.platform}`}`);
    listed = rawInstances(top.bytes).filter((i) => i.digest === pull.digest).slice(0, 1) as ListInstance[];
  }
  if (listed.length === 0) return fail("the manifest list has no instances");
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
  const list = await one(top.bytes, top.digest, dref.digest?.startsWith("sha256:") ? dref.digest : undefined);
  return { kind: "list", report, instances, list, ...(pull ? { pull } : {}) };
}
