/**
 * One pull decision, explained: parse the reference (alltransports.ParseImageName), pick the requirements
 * (`requirementsForImageRef`), evaluate them (`IsRunningImageAllowed`, without signatures unless evidence is
 * given; simulate-evidence.ts verifies real ones), and say where signatures would be looked for (registries.d
 * lookaside / sigstore attachments).
 * For a bare image name (as `podman pull NAME` takes it) also short-name resolution and, for docker references
 * under registries.conf, the pull sources (mirrors) in the order the runtime tries them.
 *
 * The result objects are the JSON output of `imagetrust simulate --format json` (field names are stable);
 * render-text.ts turns them into text.
 */
import { sha256 } from "@noble/hashes/sha256";
import { bytesToHex } from "@noble/hashes/utils";
import { type DockerReference, parseNormalizedNamed, referenceString } from "../reference/docker-reference.js";
import { type ImageReference, parseImageReference } from "../reference/image-reference.js";
import { isKnownTransport } from "../reference/scopes.js";
import { isShortName } from "../registries/resolve.js";
import { runtimeUser } from "../registries/lookaside.js";
import {
  decideRequirements,
  evaluateRequirements,
  evaluateRequirementsAsync,
  NO_SIGNATURE_EVIDENCE,
  type AsyncSignatureEvidence,
  type EvaluatedImage,
  type Evaluation,
} from "./evaluate.js";
import { reportRequirement, signatureWarnings, type ReportImage, type RequirementReport, type SignatureLookupDetails } from "./requirement-report.js";
import { applyPullSources, pullSourcesFor, resolveName } from "./registries-conf.js";
import { describeLookupStep, indexPolicy, namespacesTried, requirementsForImageRef, type DecidingScope, type ScopeLookup } from "./scope-lookup.js";
import type { Requirement, ScopeEntry } from "../ir/types.js";
import { NO_LOOKUP, signatureLookupFor } from "./signature-lookup.js";
import { fastPathOf } from "./fast-path.js";
import { createFastDecider, fastDecideText, type FastDecider } from "./fast-decide.js";
import type { Decision, SimulationEnv, SimulationOptions, SimulationResult, Simulator } from "./types.js";

export type { Decision, SimulationEnv, SimulationOptions, SimulationResult, Simulator } from "./types.js";
export { dockerSignatureLookup, signatureLookupFor } from "./signature-lookup.js";

/** "sha256:<hex>" of a manifest (the digest signatures name when the reference has none). */
export function sha256Digest(bytes: Uint8Array): string {
  return "sha256:" + bytesToHex(sha256(bytes));
}

/** Prepare a simulator: indexes the policy once and hashes the manifest once. */
export function createSimulator(options: SimulationOptions): Simulator {
  // Who runs the pull is fixed for a run: resolve it once (the lookaside default depends on it).
  {
    const user = runtimeUser({ euid: options.env?.euid, home: options.env?.home, host: options.host });
    const target = options.env?.target ?? options.parse?.target;
    const env: SimulationEnv = { euid: user.euid };
    // Only a non-root user's built-in lookaside is below the home: read from the host only then.
    if (options.env?.home !== undefined || (user.euid !== 0 && options.host !== undefined)) env.home = user.home;
    if (target !== undefined) env.target = target;
    const host = options.host;
    // Path transports resolve against the run's files (symlinks, tarball files): the host's unless `parse` names one.
    const parse = options.parse?.host === undefined && host?.files && host.cwd ? { ...options.parse, host: { files: host.files, cwd: host.cwd } } : options.parse;
    options = { ...options, env, parse };
  }
  const index = indexPolicy(options.policy);
  const manifestDigest = options.manifest ? sha256Digest(options.manifest) : undefined;
  let fast: FastDecider | undefined;
  const sim: Simulator = {
    options,
    index,
    manifestDigest,
    simulate: (input) => simulateInput(sim, input),
    // Without evidence, docker:// and docker-daemon: references are decided from their text in one scan (fast-decide.ts).
    decide:
      options.evidence === undefined
        ? (input) => fastDecideText((fast ??= createFastDecider(fastPathOf(sim))), input) ?? decide(sim, input)
        : (input) => decide(sim, input),
  };
  return sim;
}

/**
 * Decisions remembered per simulator, by reference text. `IsRunningImageAllowed` depends on the whole reference
 * (signature identity matching reads it), so the key is the whole text; it is sound only where the decision is a
 * function of that text: no signature evidence was given (every signature requirement then sees "no signature
 * exists"), and the transport resolves no path against the file system (dir:, oci:, … do). Bounded: cleared when
 * full. Results are shared: callers must not mutate them.
 */
const DECISION_CACHE_LIMIT = 65_536;
const decisionCaches = new WeakMap<Simulator, Map<string, Decision>>();
const TEXT_ONLY_DECISION_TRANSPORTS: ReadonlySet<string> = new Set(["docker", "docker-daemon", "containers-storage", "atomic"]);

/** Whether `decide(input)` depends on the text alone under this simulator (see {@link DECISION_CACHE_LIMIT}). */
export function decisionDependsOnTextAlone(sim: Simulator, input: string): boolean {
  if (sim.options.evidence !== undefined) return false;
  const transport = knownTransportPrefix(input);
  return transport !== undefined && TEXT_ONLY_DECISION_TRANSPORTS.has(transport);
}

function decide(sim: Simulator, input: string): Decision {
  let cache = decisionCaches.get(sim);
  if (cache === undefined) decisionCaches.set(sim, (cache = new Map()));
  const hit = cache.get(input);
  if (hit !== undefined) return hit;
  const d = decideUncached(sim, input);
  if (decisionDependsOnTextAlone(sim, input)) {
    if (cache.size >= DECISION_CACHE_LIMIT) cache.clear();
    cache.set(input, d);
  }
  return d;
}

/** {@link decide} without the cache (the differential tests compare the two). */
export function decideUncached(sim: Simulator, input: string): Decision {
  const parsed = parseImageReference(input, sim.options.parse);
  if (!parsed.ok) return { allowed: false, error: parsed.error, parseError: true, scope: null };
  const ref = parsed.ref;
  const entry = sim.index.lookup(ref.transport, ref.identity, ref.namespaces);
  const requirements = entry ? entry.requirements : sim.options.policy.default;
  const evaluation = decideRequirements(
    requirements,
    { transport: ref.transport, imageName: ref.imageName, dockerReference: ref.dockerReference, manifestDigest: sim.manifestDigest },
    sim.options.evidence ?? NO_SIGNATURE_EVIDENCE,
  );
  return {
    allowed: evaluation.allowed,
    error: evaluation.error,
    parseError: false,
    scope: entry ? { transport: ref.transport, scope: entry.scope } : null,
  };
}

/** The result for a reference that did not parse or resolve: denied before anything is evaluated. */
export function failed(input: string, error: string, extra?: Partial<SimulationResult>): SimulationResult {
  return {
    ref: input,
    error,
    transport: null,
    identity: null,
    namespacesTried: [],
    scope: null,
    verdict: "deny",
    upstreamError: null,
    requirements: [],
    reasons: [error],
    signatureLookup: { ...NO_LOOKUP },
    trail: [],
    warnings: [],
    ...extra,
  };
}

/** The transport prefix of `transport:rest` when it names a known transport (alltransports splits at the first ':'). */
export function knownTransportPrefix(input: string): string | undefined {
  const colon = input.indexOf(":");
  if (colon <= 0) return undefined;
  const t = input.slice(0, colon);
  return isKnownTransport(t) ? t : undefined;
}

function simulateInput(sim: Simulator, input: string): SimulationResult {
  if (knownTransportPrefix(input) !== undefined) {
    const parsed = parseImageReference(input, sim.options.parse);
    if (!parsed.ok) return failed(input, parsed.error);
    const res = simulateImageReference(sim, parsed.ref, input);
    if (parsed.ref.transport === "docker" && sim.options.registriesConf && parsed.ref.dockerReference)
      applyPullSources(res, pullSourcesFor(sim, parsed.ref.dockerReference));
    return res;
  }
  if (sim.options.bareNames === false) {
    const parsed = parseImageReference(input, sim.options.parse);
    return parsed.ok ? simulateImageReference(sim, parsed.ref, input) : failed(input, parsed.error);
  }
  // A bare image name, as `podman pull NAME` takes it.
  const named = parseNormalizedNamed(input);
  if (!named.ok) {
    const asTransport = parseImageReference(input, sim.options.parse);
    return failed(input, asTransport.ok ? named.error : asTransport.error);
  }
  const resolution = resolveName(sim, input);
  if (resolution === undefined) {
    // Fully qualified (or no registries.conf to resolve against): the docker transport's own normalisation.
    const res = simulateDockerName(sim, input, named.ref);
    if (!sim.options.registriesConf && isShortName(input))
      res.warnings.push(`"${input}" is a short name and no registries.conf was given: it was normalized to ${res.dockerReference ?? "docker.io"} as the docker transport does; podman would resolve it through registries.conf`);
    return res;
  }
  const candidates = resolution.candidates.map((c) => {
    const r = parseNormalizedNamed(c);
    return r.ok ? simulateDockerName(sim, c, r.ref) : failed(c, r.error);
  });
  if (resolution.error !== null || candidates.length === 0) {
    return failed(input, resolution.error ?? "short name resolved to no candidate", { resolution, candidates });
  }
  // Podman (containers/common libimage) tries the candidates in order and moves on after any failure, a
  // policy rejection included: the pull succeeds with the first candidate that exists and is allowed.
  const chosen = candidates.find((c) => c.verdict === "allow") ?? candidates[0];
  const res: SimulationResult = { ...chosen, ref: input, resolution, candidates, reasons: [], warnings: [...chosen.warnings] };
  const n = candidates.length;
  res.reasons.push(
    n === 1
      ? `short name "${input}" resolves to ${chosen.ref}`
      : `short name "${input}" resolves to ${n} candidates, tried in order until one can be pulled: ${candidates.map((c) => `${c.ref} (${c.verdict})`).join(", ")}`,
  );
  if (n > 1 && chosen.verdict === "allow" && chosen !== candidates[0])
    res.reasons.push(`the earlier candidates are denied by the policy, so the runtime skips them: the decision shown is for ${chosen.ref}`);
  else if (n > 1 && chosen.verdict === "allow") res.reasons.push(`the decision shown is for the first candidate, ${chosen.ref}`);
  else if (n > 1) res.reasons.push(`every candidate is denied; the decision shown is for the first, ${chosen.ref}`);
  res.reasons.push(...chosen.reasons);
  if (n > 1 && candidates.some((c) => c.verdict !== chosen.verdict))
    res.warnings.push(`the candidates of short name "${input}" are decided differently: which image is pulled depends on which registries have it`);
  return res;
}

function simulateDockerName(sim: Simulator, input: string, name: DockerReference): SimulationResult {
  const parsed = parseImageReference("docker://" + referenceString(name), sim.options.parse);
  if (!parsed.ok) return failed(input, parsed.error);
  const res = simulateImageReference(sim, parsed.ref, input);
  if (sim.options.registriesConf && parsed.ref.dockerReference) applyPullSources(res, pullSourcesFor(sim, parsed.ref.dockerReference));
  return res;
}

/** The digest signatures are looked up by: the reference's sha256 digest, else the manifest's (upstream `manifestDigest`). */
function lookupDigest(manifestDigest: string | undefined, ref: DockerReference | undefined): string | undefined {
  if (ref?.digest !== undefined && ref.digest.startsWith("sha256:")) return ref.digest;
  return manifestDigest;
}

/** The manifest an image is simulated with: the simulator's (`--manifest`), or the one evidence read. */
export interface SimulatedManifest {
  manifest?: Uint8Array;
}

/** What is settled before the requirements are evaluated: the deciding list, the image, where signatures live. */
interface Plan {
  ref: ImageReference;
  input: string;
  lookup: ScopeLookup;
  image: EvaluatedImage;
  details: SignatureLookupDetails;
}

function plan(sim: Simulator, ref: ImageReference, input: string, manifest: SimulatedManifest): Plan {
  const lookup = requirementsForImageRef(sim.index, ref);
  const manifestDigest = manifest.manifest === sim.options.manifest ? sim.manifestDigest : manifest.manifest && sha256Digest(manifest.manifest);
  const digest = lookupDigest(manifestDigest, ref.dockerReference);
  const details: SignatureLookupDetails =
    ref.transport === "docker" && ref.dockerReference ? signatureLookupFor(sim, ref.dockerReference, digest) : { ...NO_LOOKUP };
  const image: EvaluatedImage = {
    transport: ref.transport,
    imageName: ref.imageName,
    dockerReference: ref.dockerReference,
    manifestDigest: digest,
    manifest: manifest.manifest,
  };
  return { ref, input, lookup, image, details };
}

/** Simulate an already parsed image reference with the evidence at hand (none by default). `input` is echoed as `ref`. */
export function simulateImageReference(sim: Simulator, ref: ImageReference, input: string, manifest: SimulatedManifest = sim.options): SimulationResult {
  const p = plan(sim, ref, input, manifest);
  return report(sim, p, evaluateRequirements(p.lookup.requirements, p.image, sim.options.evidence ?? NO_SIGNATURE_EVIDENCE));
}

/**
 * Simulate an already parsed image reference whose signatures are verified on demand: the evidence is asked for
 * each signature requirement the runtime evaluates, once, in order. Also returns the evaluation (each outcome
 * carries its signatures' checks).
 */
export async function simulateImageReferenceWith(
  sim: Simulator,
  ref: ImageReference,
  input: string,
  manifest: SimulatedManifest,
  evidence: AsyncSignatureEvidence,
): Promise<{ result: SimulationResult; evaluation: Evaluation }> {
  const p = plan(sim, ref, input, manifest);
  const evaluation = await evaluateRequirementsAsync(p.lookup.requirements, p.image, evidence);
  return { result: report(sim, p, evaluation), evaluation };
}

/** The explained parts of a decision: each requirement reported, the reasons in words, the warnings. */
export interface ExplainedEvaluation {
  requirements: RequirementReport[];
  reasons: string[];
  warnings: string[];
}

/**
 * Explain an evaluation of the deciding list (`decided`/`entry` as requirementsForImageRef found them): the
 * requirement reports, the reasons and the warnings of a record. Shared by `report` and the fast record path
 * (fast-record.ts), so that both say the same words.
 */
export function explainEvaluation(
  sim: Simulator,
  decided: DecidingScope | null,
  entry: ScopeEntry | undefined,
  list: readonly Requirement[],
  evaluation: Evaluation,
  reportImage: ReportImage,
): ExplainedEvaluation {
  const level = entry ? entry.labels?.level : sim.options.policy.defaultLabels?.level;
  const requirements = evaluation.outcomes.map((o) => reportRequirement(o, reportImage, level));
  const warnings: string[] = [];
  for (const r of list) for (const w of signatureWarnings(r, reportImage)) if (!warnings.includes(w)) warnings.push(w);
  if (sim.options.parse?.debian && list.some((r) => r.type === "sigstoreSigned"))
    warnings.push("Debian 12's containers/image 5.23.1 rejects every sigstore signature (Debian-local change: sigstore disabled): sigstoreSigned can never allow an image there");

  const where =
    decided === null
      ? "the global default"
      : decided.scope === ""
        ? `the default scope "" of transport "${decided.transport}"`
        : `scope "${decided.scope}" of transport "${decided.transport}"`;
  const reasons: string[] = [];
  const types = list.map((r) => r.type).join(", ");
  reasons.push(`${where} decided${level ? ` (level ${level})` : ""}: [${types}]`);
  if (evaluation.allowed) {
    reasons.push(
      list.every((r) => r.type === "insecureAcceptAnything")
        ? "insecureAcceptAnything: accepted without checking anything"
        : "every requirement accepted the image",
    );
  } else {
    const denying = evaluation.outcomes.find((o) => o.status === "deny");
    if (denying) {
      reasons.push(`requirement ${denying.index + 1} (${denying.requirement.type}) denies: ${denying.message ?? ""}`);
      const rep = requirements[denying.index];
      if (rep?.wouldAllow) reasons.push(`it would allow ${rep.wouldAllow}`);
    } else if (evaluation.error) reasons.push(evaluation.error);
  }
  return { requirements, reasons, warnings };
}

/** The simulation report: the evaluation explained. */
function report(sim: Simulator, p: Plan, evaluation: Evaluation): SimulationResult {
  const { ref, input, lookup, details } = p;
  const reportImage: ReportImage = { transport: ref.transport, dockerReference: ref.dockerReference, withinTransport: ref.withinTransport, lookup: details };
  const { requirements, reasons, warnings } = explainEvaluation(sim, lookup.decided, lookup.entry, lookup.requirements, evaluation, reportImage);
  return {
    ref: input,
    error: null,
    transport: ref.transport,
    identity: ref.identity,
    namespacesTried: namespacesTried(lookup),
    scope: lookup.decided,
    verdict: evaluation.allowed ? "allow" : "deny",
    upstreamError: evaluation.error,
    requirements,
    reasons,
    signatureLookup: {
      lookasideBase: details.lookasideBase,
      lookasideSignature1: details.lookasideSignature1,
      sigstoreAttachments: details.sigstoreAttachments,
    },
    trail: lookup.trail.map(describeLookupStep),
    warnings,
    imageName: ref.imageName,
    dockerReference: ref.dockerReference ? referenceString(ref.dockerReference) : null,
  };
}
