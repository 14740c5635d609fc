/**
 * Signature evidence for the simulator (src/simulate/evidence-source.ts): gather what the runtime reads for an
 * image — the manifest and the signatures of a `dir:` layout (`directory/directory_src.go`), files given as
 * `--signatures`, a docker image's registries.d lookaside over file:// and http(s):// (docker-signatures.ts), or
 * the live registry (`--online`, online-evidence.ts) — and verify a signature requirement against them when the
 * simulator asks (evidence-context.ts `verifier`).
 */
import { join, resolve } from "../host/path.js";
import { parseVersion } from "../ir/versions.js";
import type { ImageReference } from "../reference/image-reference.js";
import { errnoText } from "../reference/resolve-path.js";
import type { EvidenceReport, EvidenceSource, GatheredEvidence, ImageEvidence } from "../simulate/evidence-source.js";
import { dockerSignatures } from "./docker-signatures.js";
import { recordRead, verifier, type EvidenceContext, type SignatureEvidenceOptions, type SignatureSet } from "./evidence-context.js";
import type { ImageUnderTest } from "./image-under-test.js";
import { Deadline, DEFAULT_TOTAL_TIMEOUT_MS } from "./limits.js";
import { manifestDigest } from "./manifest-digest.js";
import { gatherOfflineList, listMediaType } from "./manifest-list.js";
import { gatherOnline } from "./online-evidence.js";
import { readDirSignatures, type SignatureReadResult } from "./sources.js";
import { signatureFromBlob, type StoredSignature } from "./stored-signature.js";
import { readBounded } from "../host/read-limits.js";
import { evidenceRequested } from "./lazy-evidence.js";

export type { SignatureEvidenceOptions } from "./evidence-context.js";
import type { Host } from "../host/host.js";
import type { ExpectationEvidenceSource } from "../expectations/evidence.js";

/** Read a `dir:` image's manifest; errors name it by `shown`, the path as typed (upstream `dirReference.manifestPath`). */
function readManifestFile(c: EvidenceContext, p: string, shown: string): { ok: true; bytes: Uint8Array } | { ok: false; error: string } {
  try {
    return { ok: true, bytes: readBounded(c.options.host, p, "manifest") };
  } catch (e) {
    return { ok: false, error: `open ${shown}: ${errnoText(e)}` };
  }
}

function parseBlobs(blobs: readonly Uint8Array[], names: string[]): SignatureReadResult {
  const signatures: StoredSignature[] = [];
  for (let i = 0; i < blobs.length; i++) {
    const s = signatureFromBlob(blobs[i]);
    if (!s.ok) return { ok: false, error: `parsing signature ${JSON.stringify(names[i])}: ${s.error}`, locations: names.slice(0, i) };
    signatures.push(s.signature);
  }
  return { ok: true, signatures, locations: names };
}

/**
 * The evidence of an image read without the registry: signatures from `signatures` / `signaturesDir` when given,
 * else from where the runtime reads them for the transport: the `dir:` layout, or for `docker://` the registries.d
 * lookaside (`file://`, `http(s)://`) at the reference's digest or the manifest's; other transports have none.
 */
async function gatherStored(c: EvidenceContext, ref: ImageReference): Promise<ImageEvidence> {
  const o = c.options;
  const report: EvidenceReport = { source: sourceOf(o, ref), locations: [], formats: [], manifestDigest: null };
  // A dir: image is read where the user's working directory puts it (the reference keeps the path as typed).
  const dirPath = ref.transport === "dir" ? resolve(o.cwd ?? o.host.cwd(), ref.withinTransport) : "";

  let manifest: ImageUnderTest["manifest"] = { ok: false, error: "no manifest given" };
  if (o.manifest) manifest = { ok: true, bytes: o.manifest };
  else if (ref.transport === "dir") manifest = readManifestFile(c, join(dirPath, "manifest.json"), join(ref.withinTransport, "manifest.json"));
  if (manifest.ok) {
    const d = manifestDigest(manifest.bytes);
    if (d.ok) report.manifestDigest = d.digest;
    else report.manifestError = d.error;
  } else report.manifestError = manifest.error;

  // Read once, lazily: by the first signature requirement evaluated, or by the copy after the policy allowed.
  let reading: Promise<SignatureSet> | undefined;
  let unlocatable = false;
  const read = (): Promise<SignatureSet> =>
    (reading ??= readStored(c, ref, report, dirPath).then((r) => {
      unlocatable = r.unlocatable;
      return recordRead(report, r.read);
    }));
  const image: ImageUnderTest = { dockerReference: ref.dockerReference, manifest, expectedDigest: ref.dockerReference?.digest, target: c.target };
  return {
    report,
    manifest: manifest.ok ? manifest.bytes : undefined,
    signatures: verifier(c, image, read),
    async readForCopy() {
      const set = await read();
      // We could not locate them (no digest without --manifest); the runtime can, so this is no pull failure.
      return set.ok || unlocatable ? undefined : set.error;
    },
    markUnread() {
      if (reading === undefined && report.source !== "none") report.notRead = "the policy denied before any requirement read them";
    },
  };
}

/**
 * Read the signatures where the runtime reads them for this image (see {@link gatherStored}); `unlocatable` when the
 * lookaside cannot be located for want of the manifest digest (our limitation, not the runtime's).
 */
async function readStored(c: EvidenceContext, ref: ImageReference, report: EvidenceReport, dirPath: string): Promise<{ read: SignatureReadResult; unlocatable: boolean }> {
  const o = c.options;
  if (o.signatures) return { read: parseBlobs(o.signatures, o.signatures.map((_, i) => `signature-${i + 1}`)), unlocatable: false };
  if (o.signaturesDir !== undefined) return { read: readDirSignatures(o.host.files, o.signaturesDir), unlocatable: false };
  // Upstream names a dir: image's files by the path as typed (`dirReference.signaturePath` joins `ref.path`).
  if (ref.transport === "dir") return { read: readDirSignatures(o.host.files, dirPath, undefined, ref.withinTransport), unlocatable: false };
  if (ref.transport === "docker" && ref.dockerReference && o.lookaside) {
    const dref = ref.dockerReference;
    const digest = dref.digest?.startsWith("sha256:") ? dref.digest : (report.manifestDigest ?? undefined);
    if (digest === undefined)
      return { read: { ok: false, error: "the manifest digest is unknown (give --manifest), so lookaside signatures cannot be located", locations: [] }, unlocatable: true };
    return { read: await dockerSignatures(c.docker, dref, digest), unlocatable: false };
  }
  return { read: { ok: true, signatures: [], locations: [] }, unlocatable: false };
}

/** Where {@link readStored} reads signatures for `ref`, for the report (set before anything is read). */
function sourceOf(o: SignatureEvidenceOptions, ref: ImageReference): string {
  if (o.signatures) return "given";
  if (o.signaturesDir !== undefined) return `dir:${o.signaturesDir}`;
  if (ref.transport === "dir") return `dir:${ref.withinTransport}`;
  if (ref.transport === "docker" && ref.dockerReference && o.lookaside) return "lookaside";
  return "none";
}

/** Whether the runtime reads any signatures for `ref` under these options (else "otherTransports" decides). */
function readsSignatures(o: SignatureEvidenceOptions, ref: ImageReference): boolean {
  if (o.signatures !== undefined || o.signaturesDir !== undefined || ref.transport === "dir") return true;
  return ref.transport === "docker" && ref.dockerReference !== undefined && o.lookaside;
}

/** The manifest list of an offline image (`--manifest`, `dir:PATH/manifest.json`, an `oci:` layout's index), if it is one. */
function offlineList(c: EvidenceContext, ref: ImageReference): { bytes: Uint8Array; mediaType: string } | undefined {
  const o = c.options;
  let bytes: Uint8Array | undefined = o.manifest;
  const files = o.host.files;
  try {
    if (bytes === undefined && ref.transport === "dir") bytes = files.readFile(join(resolve(o.cwd ?? o.host.cwd(), ref.withinTransport), "manifest.json"));
    if (bytes === undefined && ref.transport === "oci") {
      // oci/layout: index.json names the image by org.opencontainers.image.ref.name (or is the only entry).
      const i = ref.withinTransport.lastIndexOf(":");
      const dir = resolve(o.cwd ?? o.host.cwd(), i < 0 ? ref.withinTransport : ref.withinTransport.slice(0, i));
      const name = i < 0 ? "" : ref.withinTransport.slice(i + 1);
      const index = JSON.parse(new TextDecoder().decode(files.readFile(join(dir, "index.json")))) as { manifests?: { digest?: string; mediaType?: string; annotations?: Record<string, string> }[] };
      const ms = index.manifests ?? [];
      const d = name === "" ? (ms.length === 1 ? ms[0] : undefined) : ms.find((m) => m.annotations?.["org.opencontainers.image.ref.name"] === name);
      if (d?.digest) bytes = files.readFile(join(dir, "blobs", "sha256", d.digest.slice(d.digest.indexOf(":") + 1)));
    }
  } catch {
    return undefined; // read as before (a missing manifest is reported by the image's own evidence)
  }
  if (bytes === undefined) return undefined;
  const mediaType = listMediaType(bytes);
  return mediaType === undefined ? undefined : { bytes, mediaType };
}

/** An evidence source over the machine's files and network (see {@link SignatureEvidenceOptions}). */
export function signatureEvidence(options: SignatureEvidenceOptions): EvidenceSource {
  const target = options.target ? parseVersion(options.target) : undefined;
  const c: EvidenceContext = {
    options,
    target,
    docker: {
      host: options.host,
      registriesD: options.registriesD,
      env: options.env ? { euid: options.env.euid, home: options.env.home } : undefined,
      target,
      // Upstream reads lookaside URLs with the registry's HTTP client, so --tls-verify=false applies to them too.
      http: { ...(options.http ?? {}), tlsVerify: options.http?.tlsVerify ?? options.online?.tlsVerify },
    },
  };
  return {
    requested: evidenceRequested(options),
    async gather(ref: ImageReference): Promise<GatheredEvidence | null> {
      if (options.none) return null;
      // One total deadline per reference for all its registry and lookaside reads (--timeout).
      const deadline = new Deadline(options.http?.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS);
      const cr: EvidenceContext = { ...c, docker: { ...c.docker, http: { ...c.docker.http, deadline } } };
      const platform = options.online ? options.online.platform : options.platform;
      let g: GatheredEvidence | null;
      if (options.online && ref.transport === "docker" && ref.dockerReference) g = await gatherOnline(cr, ref.dockerReference, options.online, deadline);
      else {
        const list = offlineList(cr, ref);
        if (list) g = await gatherOfflineList(cr, ref, list.bytes, list.mediaType);
        else if (!readsSignatures(options, ref) && options.otherTransports === "skip") g = null;
        else g = { kind: "image", evidence: await gatherStored(cr, ref) };
      }
      // IT5840: --platform names an instance of a list; this image is a single manifest (the CLI makes it a usage error).
      if (platform !== undefined && (g === null || g.kind === "image")) {
        const report = g?.kind === "image" ? g.evidence.report : undefined;
        const finding = { code: "IT5840", severity: "error" as const, message: `--platform ${platform} does not apply: ${ref.transport}:${ref.withinTransport} is a single image, not a manifest list` };
        if (report) report.findings = [...(report.findings ?? []), finding];
        else return { kind: "unreadable", report: { source: "none", locations: [], formats: [], manifestDigest: null, findings: [finding] }, error: finding.message };
      }
      return g;
    },
  };
}

/**
 * The evidence source of `imagetrust test` expectations that name signature evidence (src/expectations/evidence.ts):
 * the expectation's directory of `signature-N` files and its manifest, as `simulate --signatures DIR --manifest FILE`
 * reads them; key files through `keys` (`--keys DIR`).
 */
export function expectationEvidence(o: { host: Host; keys?: Host; env?: SignatureEvidenceOptions["env"]; debian?: boolean }): ExpectationEvidenceSource {
  return (e) =>
    signatureEvidence({
      host: o.host,
      keys: o.keys ?? o.host,
      registriesD: e.registriesD,
      ...(e.manifest ? { manifest: e.manifest } : {}),
      signaturesDir: e.signaturesDir,
      lookaside: false,
      otherTransports: "unsigned",
      ...(e.target ? { target: e.target } : {}),
      ...(o.debian ? { debianSigstoreDisabled: true } : {}),
      ...(o.env ? { env: o.env } : {}),
    });
}
