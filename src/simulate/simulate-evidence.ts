/**
 * Simulation with signature evidence, in one pass: for each reference the requirements that apply are known from
 * `requirementsForImageRef`; the evidence source (src/verify/) gathers what the runtime would read, the evaluation
 * asks it to verify each signature requirement it reaches (`IsRunningImageAllowed`, first denial wins), and the
 * pull is decided once. registries.conf can make a pull fail before the policy, and so any signature, is consulted
 * (`docker/docker_image_src.go` `newImageSource`): then nothing is read.
 */
import type { ImageReference } from "../reference/image-reference.js";
import { parseImageReference } from "../reference/image-reference.js";
import type { Evaluation } from "./evaluate.js";
import type {
  EvidenceDecision,
  EvidenceSource,
  GatheredEvidence,
  ImageEvidence,
  InstanceResult,
  SimulationSignatures,
  SimulationWithEvidence,
  VerifiedRequirement,
} from "./evidence-source.js";
import { listSignedInstanceNot } from "./list-findings.js";
import { applyPullSources, pullSourcesFor, pullSourceWarnings, type PullSourcesReport } from "./registries-conf.js";
import { createSimulator, failed, knownTransportPrefix, simulateImageReference, simulateImageReferenceWith } from "./simulate.js";
import type { SimulationOptions, SimulationResult, Simulator } from "./types.js";

/** Upstream's message (container-libs main, `RequireSignatureVerification`) when nothing verified a signature. */
export function noSignatureVerificationMessage(transport: string, identity: string): string {
  return `No signature verification policy found for image ${transport}:${identity}`;
}

/** Options of {@link decideWithEvidence}. */
export interface EvidenceDecisionOptions {
  /** `imagetrust verify --require-signatures`: allow only when a signature requirement accepted a signature. */
  requireSignatures?: boolean;
}

/** The signature requirements the evaluation reached, each with its signatures' checks. */
function verifiedRequirements(evaluation: Evaluation): VerifiedRequirement[] {
  const out: VerifiedRequirement[] = [];
  for (const o of evaluation.outcomes) {
    const type = o.requirement.type;
    if ((type === "signedBy" || type === "sigstoreSigned") && o.status !== "skipped")
      out.push({ index: o.index, type, allowed: o.status === "allow", message: o.message ?? null, signatures: o.signatures ?? [] });
  }
  return out;
}

/** One image decided on its evidence. */
async function decideImage(
  sim: Simulator,
  ref: ImageReference,
  input: string,
  ev: ImageEvidence,
  options: EvidenceDecisionOptions,
): Promise<Omit<EvidenceDecision, "evidence">> {
  const { result, evaluation } = await simulateImageReferenceWith(sim, ref, input, { manifest: ev.manifest }, ev.signatures);
  const requirements = verifiedRequirements(evaluation);
  let verdict = result.verdict;
  let error = result.upstreamError;
  if (verdict === "allow") {
    // The policy may not have looked at signatures, but the copy reads them after it allowed (`copy.go`
    // `copyOneImage`: "reading signatures: …"), so a corrupt signature-N still fails the pull. Under a denial
    // nothing reads them: the evidence is read lazily, only when a signature requirement or the copy asks.
    const readError = ev.readForCopy ? await ev.readForCopy() : ev.report.readError;
    if (readError !== undefined) {
      verdict = "deny";
      error = `reading signatures: ${readError}`;
    }
  } else ev.markUnread?.();
  if (verdict === "allow" && options.requireSignatures && !requirements.some((r) => r.allowed)) {
    verdict = "deny";
    error = noSignatureVerificationMessage(ref.transport, ev.identity ?? ref.identity);
  }
  if (ev.findings) {
    const f = ev.findings({ verdict, error });
    if (f.length > 0) ev.report.findings = [...(ev.report.findings ?? []), ...f];
  }
  return { verdict, error, requirements, simulation: result };
}

/**
 * Decide a pull on gathered evidence. A manifest list is decided per instance (allowed only if every instance
 * is); the simulation shown is the first decided instance's.
 */
export async function decideWithEvidence(
  sim: Simulator,
  ref: ImageReference,
  input: string,
  gathered: GatheredEvidence,
  options: EvidenceDecisionOptions = {},
): Promise<EvidenceDecision> {
  if (gathered.kind === "image") return { ...(await decideImage(sim, ref, input, gathered.evidence, options)), evidence: gathered.evidence.report };
  // Nothing was read that names the image: its requirements are shown as for an image without a manifest.
  const unread = (): SimulationResult => simulateImageReference(sim, ref, input, { manifest: undefined });
  if (gathered.kind === "unreadable")
    return { verdict: "deny", error: gathered.error, requirements: [], simulation: unread(), evidence: gathered.report };
  const instances: InstanceResult[] = [];
  let first: Omit<EvidenceDecision, "evidence"> | undefined;
  for (const inst of gathered.instances) {
    if ("error" in inst) {
      instances.push({ digest: inst.digest, verdict: "deny", error: inst.error, requirements: [], evidence: inst.report });
      continue;
    }
    const d = await decideImage(sim, ref, input, inst.evidence, options);
    first ??= d;
    instances.push({
      digest: inst.digest,
      ...(inst.platform ? { platform: inst.platform } : {}),
      verdict: d.verdict,
      error: d.error,
      requirements: d.requirements,
      evidence: inst.evidence.report,
    });
  }
  const denied = instances.find((r) => r.verdict === "deny");
  const decision: EvidenceDecision = {
    verdict: denied ? "deny" : "allow",
    error: denied ? denied.error : null,
    requirements: first?.requirements ?? [],
    simulation: first?.simulation ?? unread(),
    evidence: gathered.report,
    instances,
  };
  await decideListExtras(sim, ref, input, gathered, decision, options);
  return decision;
}

/**
 * The list's own verdict (the policy on the list digest: no pull evaluates it, `copy.Image` checks instances only),
 * the instance a pull takes on the platform with its verdict (IT5842, or IT5843 when none fits), and "the list is
 * signed, this instance is not" (IT5841) on each denied instance.
 */
async function decideListExtras(
  sim: Simulator,
  ref: ImageReference,
  input: string,
  gathered: Extract<GatheredEvidence, { kind: "list" }>,
  decision: EvidenceDecision,
  options: EvidenceDecisionOptions,
): Promise<void> {
  const findings = (gathered.report.findings ??= []);
  if (gathered.list) {
    const d = await decideImage(sim, ref, input, gathered.list, options);
    const listDigest = gathered.list.report.manifestDigest ?? gathered.report.manifestDigest ?? "";
    decision.list = { digest: listDigest, verdict: d.verdict, error: d.error, requirements: d.requirements, evidence: gathered.list.report };
    for (const inst of decision.instances ?? []) {
      if (inst.verdict !== "deny") continue;
      const f = listSignedInstanceNot(gathered.list.report, inst.evidence, inst.digest, listDigest);
      if (f) (inst.evidence.findings ??= []).push(f);
    }
  }
  if (gathered.pull) {
    const pull = { ...gathered.pull };
    if (pull.digest === null) {
      findings.push({ code: "IT5843", severity: "error", message: `${pull.from === "--platform" ? "" : "on this machine: "}${pull.error ?? "no instance for the platform"}`, hint: "pull another platform (--platform OS/ARCH) or add the instance to the list" });
    } else {
      const inst = decision.instances?.find((i) => i.digest === pull.digest);
      if (inst) pull.verdict = inst.verdict;
      findings.push({
        code: "IT5842",
        severity: "info",
        message: `a pull on ${pull.platform} (${pull.from}) takes instance ${pull.digest}${inst ? `: ${inst.verdict === "allow" ? "allowed" : `denied: ${inst.error ?? ""}`}` : ""}`,
      });
    }
    decision.pull = pull;
  }
  if (findings.length === 0) delete gathered.report.findings;
}

const BARE_NAME_WARNING =
  "signatures are read only for transport:reference inputs (e.g. docker://NAME): this bare name was decided without them";

/** The simulation when no evidence is read: as the runtime decides an unsigned image. */
function withoutEvidence(sim: Simulator, ref: ImageReference, input: string, pulls: PullSourcesReport | undefined): SimulationWithEvidence {
  const res = simulateImageReference(sim, ref, input);
  if (pulls) applyPullSources(res, pulls);
  return { ...res, signatures: null };
}

/**
 * Simulate one reference with the evidence the runtime would see. Bare names (podman's short-name path) and
 * references that do not parse are decided without evidence; so is a pull that registries.conf makes fail first.
 * registries.conf pull sources (and their warnings) are those of the simulator's own manifest.
 */
export async function simulateWithEvidence(sim: Simulator, input: string, source: EvidenceSource): Promise<SimulationWithEvidence> {
  if (knownTransportPrefix(input) === undefined) {
    const r: SimulationWithEvidence = { ...sim.simulate(input), signatures: null };
    if (r.error === null && source.requested) r.warnings = [...r.warnings, BARE_NAME_WARNING];
    return r;
  }
  const parsed = parseImageReference(input, sim.options.parse);
  if (!parsed.ok) return { ...failed(input, parsed.error), signatures: null };
  const ref = parsed.ref;
  const pulls = ref.transport === "docker" && sim.options.registriesConf && ref.dockerReference ? pullSourcesFor(sim, ref.dockerReference) : undefined;
  if (pulls?.error !== undefined) return withoutEvidence(sim, ref, input, pulls);
  const gathered = await source.gather(ref);
  if (gathered === null) return withoutEvidence(sim, ref, input, pulls);

  const d = await decideWithEvidence(sim, ref, input, gathered);
  const s = d.simulation;
  const signatures: SimulationSignatures = { ...d.evidence, requirements: d.requirements };
  if (d.instances) signatures.instances = d.instances;
  if (d.list) signatures.list = d.list;
  if (d.pull) signatures.pull = d.pull;
  const mirrors = pulls ? pullSourceWarnings(new Set(s.requirements.map((q) => q.type)), pulls) : [];
  const r: SimulationWithEvidence = {
    ...s,
    ref: input,
    verdict: d.verdict,
    upstreamError: d.error,
    reasons: [...s.reasons],
    warnings: [...new Set([...s.warnings, ...mirrors])],
    signatures,
  };
  if (pulls) r.pullSources = pulls.sources;
  // The runtime's decision can fail after the policy accepted: unreadable signatures, a denied list instance.
  if (d.verdict === "deny" && s.verdict === "allow") {
    r.reasons.push(
      d.instances
        ? `an instance of the manifest list is denied: ${d.error ?? ""}`
        : `the requirements accepted the image, but the pull fails: ${d.error ?? ""}`,
    );
  }
  return r;
}

/** Inputs of {@link simulateAllWithEvidence}. */
export interface SimulateWithEvidenceOptions extends SimulationOptions {
  /** The references: `transport:ref` as skopeo takes them, or bare names as podman takes them. */
  refs: string[];
  /** Where the signature evidence comes from (src/verify/evidence.ts `signatureEvidence`). */
  evidenceSource: EvidenceSource;
}

/** Simulate every reference with its evidence, one after the other; one result per reference, in order. */
export async function simulateAllWithEvidence(options: SimulateWithEvidenceOptions): Promise<SimulationWithEvidence[]> {
  const sim = createSimulator(options);
  const out: SimulationWithEvidence[] = [];
  for (const input of options.refs) out.push(await simulateWithEvidence(sim, input, options.evidenceSource));
  return out;
}
