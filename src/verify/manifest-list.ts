/**
 * Manifest lists read without the registry (issue 12 §3): a `dir:` layout, an `oci:` layout, or `--manifest LIST`
 * with `--signatures DIR`. Each instance is decided on its own manifest and signatures, as `copy.Image` decides
 * (`CopySystemImage`: the instance `ChooseInstance` picks; `CopyAllImages`: each instance; the list itself is never
 * checked against the policy, its signatures are only copied).
 *
 * Layouts (the one `skopeo copy --all … dir:DIR` writes, `directory/directory_dest.go`):
 *   DIR/manifest.json               the list (or `--manifest LIST.json`)
 *   DIR/signature-1, …              the list's own signatures
 *   DIR/<hex>.manifest.json         each instance's manifest
 *   DIR/<hex>.signature-1, …        each instance's signatures
 * With `--manifest LIST.json --signatures DIR`, DIR has the same shape (DIR/manifest.json is not read). An `oci:`
 * layout has the list and the instances as blobs (`blobs/sha256/<hex>`) and no signatures (the oci transport
 * stores none: `oci/layout/oci_src.go` `GetSignatures`). For `docker://` with `--lookaside`, the instances'
 * signatures come from the lookaside at each instance digest.
 */
import { join, resolve } from "../host/path.js";
import type { ImageReference } from "../reference/image-reference.js";
import { errnoText } from "../reference/resolve-path.js";
import type { EvidenceReport, GatheredEvidence, ImageEvidence, InstanceEvidence } from "../simulate/evidence-source.js";
import { dockerSignatures } from "./docker-signatures.js";
import { recordRead, verifier, type EvidenceContext } from "./evidence-context.js";
import type { ImageUnderTest } from "./image-under-test.js";
import { manifestDigest } from "./manifest-digest.js";
import { pullChoice } from "./online-evidence.js";
import { listInstances } from "./registry-client.js";
import { readDirSignatures, type SignatureReadResult } from "./sources.js";

const LIST_TYPES = ["application/vnd.docker.distribution.manifest.list.v2+json", "application/vnd.oci.image.index.v1+json"];

/** The list MIME type of a manifest (upstream `manifest.GuessMIMEType` for lists), or undefined for a single image. */
export function listMediaType(bytes: Uint8Array): string | undefined {
  let j: { mediaType?: unknown; manifests?: unknown; layers?: unknown; config?: unknown };
  try {
    j = JSON.parse(new TextDecoder().decode(bytes)) as typeof j;
  } catch {
    return undefined;
  }
  if (typeof j !== "object" || j === null) return undefined;
  if (typeof j.mediaType === "string") return LIST_TYPES.includes(j.mediaType) ? j.mediaType : undefined;
  // An OCI index may omit mediaType: `manifests` and no `layers`/`config`.
  return Array.isArray(j.manifests) && j.layers === undefined && j.config === undefined ? LIST_TYPES[1] : undefined;
}

/** Where an offline list's parts are read. */
export interface OfflineListLayout {
  /** What the report calls the source ("dir:PATH", "oci:PATH", "given"). */
  source: string;
  /** The instance's manifest bytes, or why they cannot be read. */
  instanceManifest(digest: string): { ok: true; bytes: Uint8Array } | { ok: false; error: string };
  /** The signatures of the list (`undefined`) or of an instance. */
  signatures(digest: string | undefined, listDigest: string): Promise<SignatureReadResult>;
}

function readFileResult(c: EvidenceContext, p: string, shown: string): { ok: true; bytes: Uint8Array } | { ok: false; error: string } {
  try {
    return { ok: true, bytes: c.options.host.files.readFile(p) };
  } catch (e) {
    return { ok: false, error: `open ${shown}: ${errnoText(e)}` };
  }
}

/** The layout of `ref` (dir:, oci:, or --manifest with --signatures / the lookaside). */
export function offlineLayout(c: EvidenceContext, ref: ImageReference): OfflineListLayout {
  const o = c.options;
  const hexOf = (d: string) => d.slice(d.indexOf(":") + 1);
  const none: SignatureReadResult = { ok: true, signatures: [], locations: [] };
  if (ref.transport === "oci") {
    const dir = resolve(o.cwd ?? o.host.cwd(), ref.withinTransport.replace(/:[^:/]*$/, ""));
    return {
      source: `oci:${ref.withinTransport}`,
      instanceManifest: (d) => readFileResult(c, join(dir, "blobs", "sha256", hexOf(d)), join("blobs", "sha256", hexOf(d))),
      signatures: async () => none,
    };
  }
  const base = o.signaturesDir ?? (ref.transport === "dir" ? resolve(o.cwd ?? o.host.cwd(), ref.withinTransport) : undefined);
  const shown = o.signaturesDir ?? (ref.transport === "dir" ? ref.withinTransport : undefined);
  return {
    source: o.signaturesDir !== undefined ? `dir:${o.signaturesDir}` : ref.transport === "dir" ? `dir:${ref.withinTransport}` : o.lookaside ? "lookaside" : "none",
    instanceManifest: (d) =>
      base === undefined
        ? { ok: false, error: `the manifest of instance ${d} is not at hand (give --signatures DIR holding ${hexOf(d)}.manifest.json)` }
        : readFileResult(c, join(base, `${hexOf(d)}.manifest.json`), join(shown!, `${hexOf(d)}.manifest.json`)),
    async signatures(d, listDigest) {
      if (base !== undefined) return readDirSignatures(o.host.files, base, d, shown);
      if (ref.transport === "docker" && ref.dockerReference && o.lookaside) return dockerSignatures(c.docker, ref.dockerReference, d ?? listDigest);
      return none;
    },
  };
}

/** The evidence of an offline list: every instance (or the `--platform` one), the list's own, and the pull's choice. */
export async function gatherOfflineList(c: EvidenceContext, ref: ImageReference, listBytes: Uint8Array, mediaType: string): Promise<GatheredEvidence> {
  const o = c.options;
  const layout = offlineLayout(c, ref);
  const d = manifestDigest(listBytes);
  const listDigest = d.ok ? d.digest : "";
  const report: EvidenceReport = { source: layout.source, locations: [], formats: [], manifestDigest: d.ok ? d.digest : null };
  const one = async (bytes: ImageUnderTest["manifest"], digest: string | undefined, expected: string | undefined): Promise<ImageEvidence> => {
    const ev: EvidenceReport = { source: layout.source, locations: [], formats: [], manifestDigest: digest ?? listDigest };
    if (!bytes.ok) ev.manifestError = bytes.error;
    const set = recordRead(ev, await layout.signatures(digest, listDigest));
    const image: ImageUnderTest = { dockerReference: ref.dockerReference, manifest: bytes, expectedDigest: expected, target: c.target };
    return { report: ev, manifest: bytes.ok ? bytes.bytes : undefined, signatures: verifier(c, image, set) };
  };
  const pull = pullChoice(listBytes, mediaType, o.platform, o.machinePlatform);
  let listed: ReturnType<typeof listInstances>;
  try {
    listed = listInstances(listBytes);
  } catch (e) {
    report.manifestError = (e as Error).message;
    return { kind: "unreadable", report, error: report.manifestError };
  }
  if (o.platform !== undefined) {
    if (!pull || pull.digest === null) {
      const error = `choosing an image from manifest list ${ref.transport}:${ref.withinTransport}: ${pull?.error ?? `invalid platform ${o.platform}`}`;
      report.manifestError = error;
      return { kind: "unreadable", report, error };
    }
    listed = listed.filter((i) => i.digest === pull.digest).slice(0, 1);
  }
  const instances: InstanceEvidence[] = [];
  for (const inst of listed) {
    const p = inst.platform ? [inst.platform.os, inst.platform.architecture, inst.platform.variant].filter(Boolean).join("/") : undefined;
    instances.push({ digest: inst.digest, ...(p ? { platform: p } : {}), evidence: await one(layout.instanceManifest(inst.digest), inst.digest, inst.digest) });
  }
  const list = await one({ ok: true, bytes: listBytes }, undefined, ref.dockerReference?.digest?.startsWith("sha256:") ? ref.dockerReference.digest : undefined);
  return { kind: "list", report, instances, list, ...(pull ? { pull } : {}) };
}
