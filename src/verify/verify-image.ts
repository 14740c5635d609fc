/**
 * `imagetrust verify REF`: decide a pull the way containers/image does (`PolicyContext.IsRunningImageAllowed`),
 * verifying the real signatures the runtime would see — GPG simple signing and sigstore — and say for each
 * signature requirement which signature failed and why. One pass: evidence.ts gathers what the runtime reads, the
 * simulator (src/simulate/simulate-evidence.ts) asks it to verify each requirement it evaluates and decides.
 * Library side: nothing is printed; the CLI renders the result.
 */
import type { Host } from "../host/host.js";
import type { Policy, RegistriesDConfig } from "../ir/types.js";
import { parseImageReference } from "../reference/image-reference.js";
import type { PullChoice } from "../simulate/evidence-artifacts.js";
import type { EvidenceReport, InstanceResult, VerifiedRequirement } from "../simulate/evidence-source.js";
import { decideWithEvidence } from "../simulate/simulate-evidence.js";
import { createSimulator, type SimulationEnv, type SimulationOptions, type SimulationResult } from "../simulate/simulate.js";
import { signatureEvidence, type SignatureEvidenceOptions } from "./evidence.js";
import type { HttpLimits } from "./sources.js";

export type { HttpLimits } from "./sources.js";
export type { EvidenceReport, InstanceResult, VerifiedRequirement } from "../simulate/evidence-source.js";
export { noSignatureVerificationMessage } from "../simulate/simulate-evidence.js";

/** Inputs of {@link verifyImage}. */
export interface VerifyImageOptions {
  /** The machine: files (images, signatures, keys), network, the runtime user. */
  host: Host;
  /** Where the keys that verify signatures are read (a `keysHost` for `--keys DIR`); default `host`. */
  keys?: Host;
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
  /** Who the runtime runs as (built-in lookaside); the host's when not given. */
  env?: SimulationEnv;
  /** "Now" for expiry checks (default: the host's clock). */
  now?: Date;
  /** `imagetrust verify`: allow only when a signature requirement accepted a signature. */
  requireSignatures?: boolean;
  /** Bounds for http(s) lookaside reads. */
  http?: HttpLimits;
  /** Reference parsing options (cwd, …). */
  parse?: SimulationOptions["parse"];
  /**
   * `--online`: read the manifest and signatures of a `docker://` reference from the live registry (lookaside per
   * registries.d, sigstore attachments when enabled). Manifest lists are decided per instance (or only the
   * `platform` instance).
   */
  online?: SignatureEvidenceOptions["online"];
  /** `--platform` for an offline manifest list (`--manifest`, `dir:`, `oci:`): decide only the instance a pull takes. */
  platform?: string;
  /** This machine's platform (from the Host): names the instance a plain pull takes. */
  machinePlatform?: string;
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
  /** For a manifest list: the policy on the list's own digest (informational: no pull checks the list). */
  list?: InstanceResult;
  /** For a manifest list: the instance a pull takes on `--platform` or this machine's platform, and its verdict. */
  pull?: PullChoice;
}

/**
 * Decide a pull with real signatures. Signatures come from `signatures` / `signaturesDir` when given,
 * else from where the runtime reads them for the transport: the `dir:` layout, or for `docker://` the
 * registries.d lookaside (`file://`, `http(s)://`) or, `online`, the registry; other transports have none.
 */
export async function verifyImage(options: VerifyImageOptions): Promise<VerifyImageResult> {
  const sim = createSimulator({ policy: options.policy, registriesD: options.registriesD, env: options.env, host: options.host, parse: options.parse });
  const parsed = parseImageReference(options.ref, options.parse ?? {});
  if (!parsed.ok) {
    const simulation = sim.simulate(options.ref);
    const evidence: EvidenceReport = { source: "none", locations: [], formats: [], manifestDigest: null };
    return { ref: options.ref, verdict: "deny", error: simulation.upstreamError ?? parsed.error, requirements: [], evidence, simulation };
  }
  const source = signatureEvidence({ ...options, lookaside: true, otherTransports: "unsigned", cwd: options.parse?.cwd });
  const gathered = await source.gather(parsed.ref);
  if (gathered === null) throw new Error("internal error: verify gathered no evidence");
  const d = await decideWithEvidence(sim, parsed.ref, options.ref, gathered, { requireSignatures: options.requireSignatures });
  const head = { ref: options.ref, verdict: d.verdict, error: d.error, requirements: d.requirements };
  // Field order is part of the JSON output: as each kind of evidence always printed it.
  if (gathered.kind === "image") return { ...head, simulation: d.simulation, evidence: d.evidence };
  if (gathered.kind === "unreadable") return { ...head, evidence: d.evidence, simulation: d.simulation };
  return { ...head, evidence: d.evidence, simulation: d.simulation, instances: d.instances, ...(d.list ? { list: d.list } : {}), ...(d.pull ? { pull: d.pull } : {}) };
}
