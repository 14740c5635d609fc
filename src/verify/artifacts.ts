/**
 * Every place a signature of an image can be stored, and which of them containers/image reads (issue 12 §2).
 *
 * The runtime reads signatures from two places only (`docker/docker_image_src.go` `GetSignaturesWithFormat`): the
 * registries.d lookaside (`getSignaturesFromLookaside`) and, when `use-sigstore-attachments: true`, the layers of the
 * `sha256-<hex>.sig` tag (`getSignaturesFromSigstoreAttachments`, `docker_client.go` `sigstoreAttachmentTag`), each
 * layer one signature, used only when its MIME type is `application/vnd.dev.cosign.simplesigning.v1+json`
 * (`signature/policy_eval_sigstore.go`). Released versions up to the newest target (5.39) read no referrers. Upstream
 * main (podman-container-tools/container-libs `image/docker/docker_image_src.go` `appendSignaturesFromReferrers`,
 * cf. PR #1111) has begun to read referrers of cosign/sigstore artifact types when `use-sigstore-attachments` is on;
 * there too a layer counts only with the simple-signing MIME type, so a Sigstore bundle is still no signature until
 * bundle verification lands (containers/container-libs#388, PR #1153, open). imagetrust models the released behaviour.
 *
 * cosign 3 signs by default in the new bundle format (`--new-bundle-format`, on by default since v3.0.0): a Sigstore
 * bundle (`application/vnd.dev.sigstore.bundle.v0.3+json`, a DSSE envelope over an in-toto statement with predicate
 * type `https://sigstore.dev/cosign/sign/v1`) stored as an OCI 1.1 referrer of the image: through the registry's
 * referrers API, or, where the registry has none, in an index under the referrers tag `sha256-<hex>`
 * (distribution-spec v1.1 "referrers tag schema"). This module finds what is stored in each place and classifies it.
 */
import type { ArtifactKind, ArtifactPlace, FoundArtifact } from "../simulate/evidence-artifacts.js";
import type { RegistryClient } from "./registry-client.js";

export type { ArtifactKind, ArtifactPlace, BundleCheckReport, FoundArtifact } from "../simulate/evidence-artifacts.js";

/** The media types this module recognises. */
export const MEDIA = {
  simpleSigningLayer: "application/vnd.dev.cosign.simplesigning.v1+json",
  bundle: "application/vnd.dev.sigstore.bundle.v0.3+json",
  dsse: "application/vnd.dsse.envelope.v1+json",
  inToto: "application/vnd.in-toto+json",
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociIndex: "application/vnd.oci.image.index.v1+json",
} as const;

/** cosign's predicate type for an image signature in a bundle. */
export const COSIGN_SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";

/** The result of looking for artifacts: what was found, and notes on places that could not be read. */
export interface ArtifactSearch {
  artifacts: FoundArtifact[];
  /** The Sigstore bundles among them, with their bytes (to be checked against the policy). */
  bundles: { artifact: FoundArtifact; bytes: Uint8Array }[];
  /** e.g. "referrers API: not supported by the registry (status 404)". */
  notes: string[];
}

const MAX_REFERRERS = 64;

function utf8(b: Uint8Array): string {
  return new TextDecoder().decode(b);
}

interface Descriptor {
  mediaType?: string;
  digest?: string;
  artifactType?: string;
  annotations?: Record<string, string>;
}
interface ImageManifestJson {
  mediaType?: string;
  artifactType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  annotations?: Record<string, string>;
}

/** The kind of one layer (or artifact) by its media type and annotations. */
export function classifyMediaType(mediaType: string, annotations: Record<string, string> = {}): { kind: ArtifactKind; predicateType?: string } {
  const mt = mediaType.split(";")[0].trim();
  if (mt === MEDIA.simpleSigningLayer) return { kind: "cosign-simple-signing" };
  if (mt === MEDIA.bundle || mt.startsWith("application/vnd.dev.sigstore.bundle")) {
    const predicateType = annotations["dev.sigstore.bundle.predicateType"];
    if (predicateType !== undefined && predicateType !== COSIGN_SIGN_PREDICATE) return { kind: "attestation", predicateType };
    return predicateType !== undefined ? { kind: "sigstore-bundle", predicateType } : { kind: "sigstore-bundle" };
  }
  if (mt === MEDIA.dsse || mt === MEDIA.inToto || mt.startsWith("application/vnd.in-toto")) return { kind: "attestation" };
  return { kind: "other" };
}

/** A bundle's predicate type, from its DSSE envelope's in-toto statement (undefined when not a DSSE bundle). */
export function bundlePredicateType(bytes: Uint8Array): string | undefined {
  try {
    const b = JSON.parse(utf8(bytes)) as { dsseEnvelope?: { payload?: string } };
    if (!b.dsseEnvelope?.payload) return undefined;
    const st = JSON.parse(Buffer.from(b.dsseEnvelope.payload, "base64").toString("utf8")) as { predicateType?: unknown };
    return typeof st.predicateType === "string" ? st.predicateType : undefined;
  } catch {
    return undefined;
  }
}

const NOT_READ_REFERRER =
  "containers/image reads signatures only from the lookaside and the sha256-<hex>.sig tag, never OCI 1.1 referrers";

/** The artifacts of one referrer manifest (a layer each; bundles are fetched to be checked). */
async function referrerArtifacts(client: RegistryClient, place: ArtifactPlace, d: Descriptor, bundles: ArtifactSearch["bundles"]): Promise<FoundArtifact[]> {
  const location = d.digest ?? "";
  const out: FoundArtifact[] = [];
  const m = await client.manifest(location);
  if (!m) return out;
  let parsed: ImageManifestJson;
  try {
    parsed = JSON.parse(utf8(m.bytes)) as ImageManifestJson;
  } catch {
    return [{ place, location, kind: "other", mediaType: m.mediaType, readByRuntime: false, signature: false, why: NOT_READ_REFERRER }];
  }
  const annotations = { ...(d.annotations ?? {}), ...(parsed.annotations ?? {}) };
  for (const l of parsed.layers ?? []) {
    const c = classifyMediaType(l.mediaType ?? parsed.artifactType ?? "", annotations);
    const a: FoundArtifact = {
      place,
      location,
      kind: c.kind,
      mediaType: l.mediaType ?? "",
      ...(c.predicateType ? { predicateType: c.predicateType } : {}),
      readByRuntime: false,
      signature: c.kind === "cosign-simple-signing" || c.kind === "sigstore-bundle",
      why: NOT_READ_REFERRER,
    };
    if (c.kind === "sigstore-bundle" && l.digest) {
      const bytes = await client.blob(l.digest, 4 * 1024 * 1024);
      const p = bundlePredicateType(bytes);
      if (p !== undefined) {
        a.predicateType = p;
        if (p !== COSIGN_SIGN_PREDICATE) {
          a.kind = "attestation";
          a.signature = false;
        }
      }
      if (a.signature) bundles.push({ artifact: a, bytes });
    }
    out.push(a);
  }
  return out;
}

/** The referrers listed in an OCI index (the API's answer or the referrers tag's manifest). */
function indexDescriptors(bytes: Uint8Array): Descriptor[] {
  try {
    const j = JSON.parse(utf8(bytes)) as { manifests?: Descriptor[] };
    return Array.isArray(j.manifests) ? j.manifests.slice(0, MAX_REFERRERS) : [];
  } catch {
    return [];
  }
}

/**
 * Look in every registry place for artifacts of `digest`: the `.sig` tag (read by the runtime when
 * `useSigstoreAttachments`), the `.att` tag, the referrers API and the referrers tag. A place that cannot be read is
 * noted, not fatal: the runtime's own reading (docker-signatures.ts) decides the pull.
 */
export async function findRegistryArtifacts(client: RegistryClient, digest: string, useSigstoreAttachments: boolean): Promise<ArtifactSearch> {
  const artifacts: FoundArtifact[] = [];
  const bundles: ArtifactSearch["bundles"] = [];
  const notes: string[] = [];
  const i = digest.indexOf(":");
  const tagBase = `${digest.slice(0, i)}-${digest.slice(i + 1)}`;
  const note = (where: string, e: unknown) => notes.push(`${where}: ${(e as Error).message}`);

  // The sigstore attachment tag: what the runtime reads (with use-sigstore-attachments).
  try {
    const m = await client.manifest(`${tagBase}.sig`, true);
    if (m) {
      const parsed = JSON.parse(utf8(m.bytes)) as ImageManifestJson;
      const ociManifest = m.mediaType === MEDIA.ociManifest;
      for (const l of parsed.layers ?? []) {
        const c = classifyMediaType(l.mediaType ?? "", l.annotations ?? {});
        const read = useSigstoreAttachments && ociManifest;
        const usable = c.kind === "cosign-simple-signing";
        const a: FoundArtifact = {
          place: "sig-tag",
          location: `${tagBase}.sig`,
          kind: c.kind,
          mediaType: l.mediaType ?? "",
          ...(c.predicateType ? { predicateType: c.predicateType } : {}),
          readByRuntime: read,
          signature: c.kind === "cosign-simple-signing" || c.kind === "sigstore-bundle",
          why: !useSigstoreAttachments
            ? "use-sigstore-attachments is not true in registries.d for this image, so the runtime does not look at the .sig tag"
            : !ociManifest
              ? `the .sig tag is not an OCI image manifest (${m.mediaType}): the runtime fails reading it`
              : usable
                ? "read by the runtime (use-sigstore-attachments: true)"
                : `read by the runtime, but only layers of type ${MEDIA.simpleSigningLayer} are signatures to it`,
        };
        if (c.kind === "sigstore-bundle" && l.digest) {
          try {
            bundles.push({ artifact: a, bytes: await client.blob(l.digest, 4 * 1024 * 1024) });
          } catch (e) {
            note(`${tagBase}.sig layer ${l.digest}`, e);
          }
        }
        artifacts.push(a);
      }
    }
  } catch (e) {
    note(`${tagBase}.sig`, e);
  }
  // Old-format attestations.
  try {
    const m = await client.manifest(`${tagBase}.att`, true);
    if (m) {
      const parsed = JSON.parse(utf8(m.bytes)) as ImageManifestJson;
      for (const l of parsed.layers ?? [])
        artifacts.push({
          place: "att-tag",
          location: `${tagBase}.att`,
          kind: "attestation",
          mediaType: l.mediaType ?? "",
          ...(l.annotations?.predicateType ? { predicateType: l.annotations.predicateType } : {}),
          readByRuntime: false,
          signature: false,
          why: "an attestation (cosign attest): containers/image policies do not read attestations",
        });
    }
  } catch (e) {
    note(`${tagBase}.att`, e);
  }
  // The referrers API, then the referrers tag schema (the fallback cosign uses where the API is missing).
  const seen = new Set<string>();
  try {
    const r = await client.referrers(digest);
    if ("bytes" in r) {
      for (const d of indexDescriptors(r.bytes)) {
        if (!d.digest || seen.has(d.digest)) continue;
        seen.add(d.digest);
        artifacts.push(...(await referrerArtifacts(client, "referrers-api", d, bundles)));
      }
    } else notes.push(`referrers API: not available (${r.unsupported})`);
  } catch (e) {
    note("referrers API", e);
  }
  try {
    const m = await client.manifest(tagBase, true);
    if (m && m.mediaType === MEDIA.ociIndex) {
      for (const d of indexDescriptors(m.bytes)) {
        if (!d.digest || seen.has(d.digest)) continue;
        seen.add(d.digest);
        artifacts.push(...(await referrerArtifacts(client, "referrers-tag", d, bundles)));
      }
    }
  } catch (e) {
    note(`referrers tag ${tagBase}`, e);
  }
  for (const a of artifacts) if (a.kind === "attestation" && a.place !== "att-tag") a.why = `${a.why}; it is an attestation, which no containers/image policy reads`;
  return { artifacts, bundles, notes };
}

/** The lookaside signatures the runtime read, as artifacts (formats as evidence.ts `formatsOf` names them). */
export function lookasideArtifacts(locations: readonly string[], formats: readonly string[]): FoundArtifact[] {
  const out: FoundArtifact[] = [];
  for (let i = 0; i < locations.length; i++) {
    if (!/^(file|https?):/.test(locations[i])) continue; // attachments are listed from the registry side
    out.push({
      place: "lookaside",
      location: locations[i],
      kind: formats[i]?.startsWith("sigstore-json") ? "cosign-simple-signing" : "simple-signing",
      mediaType: formats[i] ?? "",
      readByRuntime: true,
      signature: true,
      why: "read by the runtime (registries.d lookaside)",
    });
  }
  return out;
}
