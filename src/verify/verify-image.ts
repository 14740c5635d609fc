/**
 * `imagetrust verify REF` and `simulate` with signature evidence: decide a pull the way containers/image
 * does (`PolicyContext.IsRunningImageAllowed`), verifying the real signatures the runtime would see — GPG
 * simple signing and sigstore — and say for each signature requirement which signature failed and why.
 * Library side: nothing is printed; the CLI renders the result.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Policy, RegistriesDConfig } from "../ir/types.js";
import { parseVersion, type Version } from "../ir/versions.js";
import { parseImageReference } from "../reference/image-reference.js";
import { errnoText } from "../reference/resolve-path.js";
import { lookasideSignatureUrl, signatureStorageFor } from "../registries/lookaside.js";
import type { SignatureCheck } from "../simulate/evaluate.js";
import type { SimulationEnv, SimulationResult } from "../simulate/simulate.js";
import { computeVerdicts, RecordingEvidence, type SignatureSet } from "./evidence.js";
import type { ImageUnderTest } from "./image-under-test.js";
import { manifestDigest } from "./manifest-digest.js";
import { readDirSignatures, readLookasideSignatures, type HttpLimits, type SignatureReadResult } from "./sources.js";
import { isManifestList, listInstances, RegistryClient, type RegistryClientOptions } from "./registry-client.js";
import type { DockerReference } from "../reference/docker-reference.js";
import { signatureFromBlob, type StoredSignature } from "./stored-signature.js";
import { simulate, type SimulateOptions } from "../simulate/simulate-refs.js";

export type { HttpLimits } from "./sources.js";

/** Inputs of {@link verifyImage}. */
export interface VerifyImageOptions {
  policy: Policy;
  registriesD?: RegistriesDConfig;
  /** `transport:reference` as skopeo takes it (`docker://…`, `dir:PATH`, `oci:PATH:TAG`, …). */
  ref: string;
  /** The manifest (`--manifest FILE`); default: read from a `dir:` image. */
  manifest?: Uint8Array;
  /** Stored signature blobs (as files `signature-1`, … hold them), as if served for REF. */
  signatures?: Uint8Array[];
  /** A directory with `signature-1`, `signature-2`, … (`--signatures DIR`), as if served for REF. */
  signaturesDir?: string;
  /** The containers/image version whose behaviour and messages to reproduce ("5.23", …); default newest. */
  target?: string;
  /** Reproduce Debian 12's build, which rejects every sigstore signature. */
  debianSigstoreDisabled?: boolean;
  /** Who the runtime runs as (built-in lookaside default). */
  env?: SimulationEnv;
  /** "Now" for expiry checks (default: the current time). */
  now?: Date;
  /** `imagetrust verify`: allow only when a signature requirement accepted a signature. */
  requireSignatures?: boolean;
  /** Bounds for http(s) lookaside reads. */
  http?: HttpLimits;
  /** Reference parsing options (cwd, …). */
  parse?: SimulateOptions["parse"];
  /**
   * `--online`: read the manifest and signatures of a `docker://` reference from the live registry (lookaside per
   * registries.d, sigstore attachments when enabled). Manifest lists are decided per instance (or only the
   * `platform` instance).
   */
  online?: RegistryClientOptions & { platform?: string };
}

/** The decision for one instance of a manifest list (`--online`). */
export interface InstanceResult {
  digest: string;
  platform?: string;
  verdict: "allow" | "deny";
  error: string | null;
  requirements: VerifiedRequirement[];
  evidence: EvidenceReport;
}

/** One signature requirement's result with the per-signature reasons. */
export interface VerifiedRequirement {
  /** Position in the deciding requirement list. */
  index: number;
  type: "signedBy" | "sigstoreSigned";
  allowed: boolean;
  /** Upstream's error when denied. */
  message: string | null;
  signatures: SignatureCheck[];
}

/** What was read as evidence. */
export interface EvidenceReport {
  /** Where signatures were read: "given", "dir:<path>", "lookaside", or "none" (transport without signatures). */
  source: string;
  /** Files / URLs of the signatures read, in order. */
  locations: string[];
  /** The formats of the signatures read, in order. */
  formats: string[];
  manifestDigest: string | null;
  /** Why the manifest could not be read, if it could not. */
  manifestError?: string;
  /** Why the signatures could not be read (every signature requirement then denies with it). */
  readError?: string;
}

/** The result of verifying one reference. */
export interface VerifyImageResult {
  ref: string;
  verdict: "allow" | "deny";
  /** Upstream's error for a denial (skopeo prints `Source image rejected: <this>`). */
  error: string | null;
  requirements: VerifiedRequirement[];
  evidence: EvidenceReport;
  /** The full simulation (scope lookup, trail, explanation), with signature verdicts plugged in. */
  simulation: SimulationResult;
  /** For a manifest list read `--online`: each instance evaluated (the verdict is allow only if all allow). */
  instances?: InstanceResult[];
}

/** Upstream's message (container-libs main, `RequireSignatureVerification`) when nothing verified a signature. */
export function noSignatureVerificationMessage(transport: string, identity: string): string {
  return `No signature verification policy found for image ${transport}:${identity}`;
}

function readManifestFile(p: string): { ok: true; bytes: Uint8Array } | { ok: false; error: string } {
  try {
    return { ok: true, bytes: fs.readFileSync(p) };
  } catch (e) {
    return { ok: false, error: `open ${p}: ${errnoText(e)}` };
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
 * Decide a pull with real signatures. Signatures come from `signatures` / `signaturesDir` when given,
 * else from where the runtime reads them for the transport: the `dir:` layout, or for `docker://` the
 * registries.d lookaside (`file://`, `http(s)://`); other transports have none.
 */
export async function verifyImage(options: VerifyImageOptions): Promise<VerifyImageResult> {
  const target: Version | undefined = options.target ? parseVersion(options.target) : undefined;
  const baseSim: SimulateOptions = {
    policy: options.policy,
    registriesD: options.registriesD,
    refs: [options.ref],
    env: options.env,
    parse: options.parse,
  };
  const parsed = parseImageReference(options.ref, options.parse ?? {});
  const evidence: EvidenceReport = { source: "none", locations: [], formats: [], manifestDigest: null };
  if (!parsed.ok) {
    const sim = simulate({ ...baseSim })[0];
    return { ref: options.ref, verdict: "deny", error: sim.upstreamError ?? parsed.error, requirements: [], evidence, simulation: sim };
  }
  const ref = parsed.ref;
  // A dir: image is read where the user's working directory puts it (the reference keeps the path as typed).
  const dirPath = ref.transport === "dir" ? path.resolve(options.parse?.cwd ?? process.cwd(), ref.withinTransport) : "";
  if (options.online && ref.transport === "docker" && ref.dockerReference) return verifyOnline(options, ref.dockerReference, target, baseSim);

  // The manifest.
  let manifest: ImageUnderTest["manifest"] = { ok: false, error: "no manifest given" };
  if (options.manifest) manifest = { ok: true, bytes: options.manifest };
  else if (ref.transport === "dir") manifest = readManifestFile(path.join(dirPath, "manifest.json"));
  if (manifest.ok) {
    const d = manifestDigest(manifest.bytes);
    if (d.ok) evidence.manifestDigest = d.digest;
    else evidence.manifestError = d.error;
  } else evidence.manifestError = manifest.error;

  // The signatures.
  let read: SignatureReadResult = { ok: true, signatures: [], locations: [] };
  if (options.signatures) {
    evidence.source = "given";
    read = parseBlobs(options.signatures, options.signatures.map((_, i) => `signature-${i + 1}`));
  } else if (options.signaturesDir !== undefined) {
    evidence.source = `dir:${options.signaturesDir}`;
    read = readDirSignatures(options.signaturesDir);
  } else if (ref.transport === "dir") {
    evidence.source = `dir:${ref.withinTransport}`;
    read = readDirSignatures(dirPath);
  } else if (ref.transport === "docker" && ref.dockerReference) {
    evidence.source = "lookaside";
    const dref = ref.dockerReference;
    const digest = dref.digest?.startsWith("sha256:") ? dref.digest : (evidence.manifestDigest ?? undefined);
    if (digest === undefined) read = { ok: false, error: "the manifest digest is unknown (give --manifest), so lookaside signatures cannot be located", locations: [] };
    else read = await dockerSignatures(options, dref, digest, target);
  }
  evidence.locations = read.locations;
  const set: SignatureSet = read.ok ? { ok: true, signatures: read.signatures } : { ok: false, error: read.error };
  if (read.ok) evidence.formats = read.signatures.map((s) => (s.format === "sigstore-json" ? `sigstore-json (${s.mimeType})` : s.format));
  else evidence.readError = read.error;

  const image: ImageUnderTest = {
    dockerReference: ref.dockerReference,
    manifest,
    expectedDigest: ref.dockerReference?.digest,
    target,
  };
  const d = await decide(options, baseSim, image, set, ref.transport, ref.identity);
  return { ref: options.ref, ...d, evidence };
}

/** Two evaluation passes with real signature verdicts (see verify/evidence.ts). */
async function decide(
  options: VerifyImageOptions,
  baseSim: SimulateOptions,
  image: ImageUnderTest,
  set: SignatureSet,
  transport: string,
  identity: string,
): Promise<{ verdict: "allow" | "deny"; error: string | null; requirements: VerifiedRequirement[]; simulation: SimulationResult }> {
  const manifest = image.manifest;
  const recording = new RecordingEvidence();
  simulate({ ...baseSim, manifest: manifest.ok ? manifest.bytes : undefined, evidence: recording });
  const precomputed = await computeVerdicts(recording, image, set, {
    now: options.now,
    debianSigstoreDisabled: options.debianSigstoreDisabled,
    keyringCache: new Map(),
    trustRootCache: new Map(),
  });
  const sim = simulate({ ...baseSim, manifest: manifest.ok ? manifest.bytes : undefined, evidence: precomputed })[0];

  const requirements: VerifiedRequirement[] = [];
  let k = 0;
  for (const r of sim.requirements) {
    if ((r.type === "signedBy" || r.type === "sigstoreSigned") && r.status !== "skipped") {
      const v = precomputed.order[k++]?.verdict;
      requirements.push({ index: r.index, type: r.type, allowed: r.status === "allow", message: r.message, signatures: v?.signatures ?? [] });
    }
  }
  let verdict = sim.verdict;
  let error = sim.upstreamError;
  if (verdict === "allow" && !set.ok) {
    // The policy did not look at signatures, but the pull still reads them (to copy them) and fails.
    verdict = "deny";
    error = `reading signatures: ${set.error}`;
  }
  if (verdict === "allow" && options.requireSignatures && !requirements.some((r) => r.allowed)) {
    verdict = "deny";
    error = noSignatureVerificationMessage(transport, identity);
  }
  return { verdict, error, requirements, simulation: sim };
}

/** Lookaside signatures (registries.d) for a digest, then sigstore attachments when enabled (upstream order). */
async function dockerSignatures(
  options: VerifyImageOptions,
  dref: DockerReference,
  digest: string,
  target: Version | undefined,
  client?: RegistryClient,
): Promise<SignatureReadResult> {
  const storage = signatureStorageFor(dref, options.registriesD ?? { docker: [] }, { ...(options.env ?? {}), target });
  if (storage.error !== undefined) return { ok: false, error: storage.error, locations: [] };
  const read = await readLookasideSignatures((i) => {
    const u = lookasideSignatureUrl(storage.lookasideTopLevel, dref, digest, i, { ...(options.env ?? {}), target });
    return u.ok ? { ok: true, location: { url: u.url, scheme: u.scheme, filePath: u.filePath } } : u;
    // Upstream reads lookaside URLs with the registry's HTTP client, so --tls-verify=false applies to them too.
  }, { ...(options.http ?? {}), tlsVerify: options.http?.tlsVerify ?? options.online?.tlsVerify });
  if (!read.ok || !client || !storage.useSigstoreAttachments) return read;
  try {
    const att = await client.sigstoreAttachments(digest);
    return { ok: true, signatures: [...read.signatures, ...att], locations: [...read.locations, ...att.map((_, i) => `attachment ${i + 1} of ${digest}`)] };
  } catch (e) {
    return { ok: false, error: (e as Error).message, locations: read.locations };
  }
}

/** `--online`: the registry serves the manifest (and, for lists, each instance) and sigstore attachments. */
async function verifyOnline(options: VerifyImageOptions, dref: DockerReference, target: Version | undefined, baseSim: SimulateOptions): Promise<VerifyImageResult> {
  const client = new RegistryClient(dref, options.online);
  const evidence: EvidenceReport = { source: "registry", locations: [], formats: [], manifestDigest: null };
  const fail = (error: string): VerifyImageResult => {
    const sim = simulate({ ...baseSim })[0];
    evidence.manifestError = error;
    return { ref: options.ref, verdict: "deny", error, requirements: [], evidence, simulation: sim };
  };
  let top;
  try {
    top = await client.manifest(dref.digest ?? dref.tag ?? "latest");
  } catch (e) {
    return fail((e as Error).message);
  }
  if (!top) return fail("manifest unknown");
  evidence.manifestDigest = top.digest;
  const one = async (bytes: Uint8Array, digest: string, expected: string | undefined) => {
    const ev: EvidenceReport = { source: "registry", locations: [], formats: [], manifestDigest: digest };
    const read = await dockerSignatures(options, dref, digest, target, client);
    ev.locations = read.locations;
    if (read.ok) ev.formats = read.signatures.map((s) => (s.format === "sigstore-json" ? `sigstore-json (${s.mimeType})` : s.format));
    else ev.readError = read.error;
    const image: ImageUnderTest = { dockerReference: dref, manifest: { ok: true, bytes }, expectedDigest: expected, target };
    const set: SignatureSet = read.ok ? { ok: true, signatures: read.signatures } : { ok: false, error: read.error };
    const d = await decide(options, { ...baseSim, manifest: bytes }, image, set, "docker", dref.domain + "/" + dref.path);
    return { d, ev };
  };
  if (!isManifestList(top.mediaType)) {
    const { d, ev } = await one(top.bytes, dref.digest?.startsWith("sha256:") ? dref.digest : top.digest, dref.digest);
    return { ref: options.ref, ...d, evidence: ev };
  }
  const instances = listInstances(top.bytes, options.online?.platform);
  if (instances.length === 0)
    return fail(options.online?.platform ? `no image found in manifest list for platform ${options.online.platform}` : "the manifest list has no instances");
  const results: InstanceResult[] = [];
  let first: Awaited<ReturnType<typeof one>> | undefined;
  for (const inst of instances) {
    let m;
    try {
      m = await client.manifest(inst.digest);
    } catch (e) {
      results.push({ digest: inst.digest, verdict: "deny", error: (e as Error).message, requirements: [], evidence: { source: "registry", locations: [], formats: [], manifestDigest: null, manifestError: (e as Error).message } });
      continue;
    }
    const r = await one(m!.bytes, inst.digest, inst.digest);
    first ??= r;
    const p = inst.platform ? [inst.platform.os, inst.platform.architecture, inst.platform.variant].filter(Boolean).join("/") : undefined;
    results.push({ digest: inst.digest, ...(p ? { platform: p } : {}), verdict: r.d.verdict, error: r.d.error, requirements: r.d.requirements, evidence: r.ev });
  }
  const denied = results.find((r) => r.verdict === "deny");
  const sim = first?.d.simulation ?? simulate({ ...baseSim })[0];
  return {
    ref: options.ref,
    verdict: denied ? "deny" : "allow",
    error: denied ? denied.error : null,
    requirements: first?.d.requirements ?? [],
    evidence,
    simulation: sim,
    instances: results,
  };
}

