/**
 * One pull decision, explained: parse the reference (alltransports.ParseImageName), pick the requirements
 * (`requirementsForImageRef`), evaluate them (`IsRunningImageAllowed`, without signatures unless evidence is
 * plugged in), and say where signatures would be looked for (registries.d lookaside / sigstore attachments).
 * For a bare image name (as `podman pull NAME` takes it) also short-name resolution and, for docker references
 * under registries.conf, the pull sources (mirrors) in the order the runtime tries them.
 *
 * The result objects are the JSON output of `imagetrust simulate --format json` (field names are stable);
 * render-text.ts turns them into text.
 */
import { createHash } from "node:crypto";
import * as os from "node:os";
import type { Policy, RegistriesDConfig } from "../ir/types.js";
import type { Version } from "../ir/versions.js";
import {
  type DockerReference,
  parseNormalizedNamed,
  referenceName,
  referenceString,
} from "../reference/docker-reference.js";
import { type ImageReference, parseImageReference } from "../reference/image-reference.js";
import { isKnownTransport } from "../reference/scopes.js";
import { isShortName } from "../registries/resolve.js";
import { type LookasideSource, lookasideSignatureUrl, sigstoreAttachmentTag, signatureStorageFor } from "../registries/lookaside.js";
import type { ShortNameMode } from "../registries/types.js";
import type { RegistriesConf } from "./registries-conf.js";
import { decideRequirements, evaluateRequirements, NO_SIGNATURE_EVIDENCE, type SignatureEvidence } from "./evaluate.js";
import { reportRequirement, signatureWarnings, type RequirementReport, type SignatureLookup, type SignatureLookupDetails } from "./requirement-report.js";
import { pullSourcesFor, resolveName, type PullSourceReport, type PullSourcesReport, type ResolutionReport } from "./registries-conf.js";
import { describeLookupStep, indexPolicy, namespacesTried, type DecidingScope, type PolicyIndex, requirementsForImageRef } from "./scope-lookup.js";

/** Who the runtime runs as: decides the built-in lookaside default (spec §5.3). */
export interface SimulationEnv {
  /** Effective uid (0 = root: file:///var/lib/containers/sigstore). Default 0. */
  euid?: number;
  /** $HOME, for the non-root default file://$HOME/.local/share/containers/sigstore. */
  home?: string;
  /** The containers/image version to mimic for lookaside URLs (default: `parse.target`, else the newest). */
  target?: Version;
}

/** Everything a simulation needs besides the references. */
export interface SimulationOptions {
  policy: Policy;
  registriesD?: RegistriesDConfig;
  registriesConf?: RegistriesConf;
  /** The manifest the image would have: gives the digest for lookaside URLs and attachment tags. */
  manifest?: Uint8Array;
  env?: SimulationEnv;
  /** Signature evidence (a verification module); default: no signatures at hand. */
  evidence?: SignatureEvidence;
  /** Options for parsing path and storage references (see reference/image-reference.ts). */
  parse?: Parameters<typeof parseImageReference>[1];
  /**
   * Whether a reference without a known `transport:` prefix is taken as an image name the way `podman pull`
   * takes it (default true), or rejected as skopeo / alltransports.ParseImageName would (false).
   */
  bareNames?: boolean;
  /** Overrides registries.conf's short-name-mode (as podman's SystemContext.ShortNameMode does). */
  shortNameMode?: ShortNameMode;
}

/** The simulation of one requested reference (`imagetrust simulate --format json`, one array element). */
export interface SimulationResult {
  /** The reference as given. */
  ref: string;
  /** A parse / resolution failure: then nothing was evaluated and the verdict is "deny". */
  error: string | null;
  transport: string | null;
  /** `PolicyConfigurationIdentity()`. */
  identity: string | null;
  /** The namespaces tried after the identity, in order (all of them when nothing more specific matched). */
  namespacesTried: string[];
  /** The deciding entry; `scope: ""` for a transport default; null when the global default decided. */
  scope: DecidingScope | null;
  verdict: "allow" | "deny";
  /** The runtime's error for a denial (`Source image rejected: <this>` in skopeo), null when allowed. */
  upstreamError: string | null;
  requirements: RequirementReport[];
  /** Why: the decisive facts, in words. */
  reasons: string[];
  signatureLookup: SignatureLookup;
  /** The lookup trail: each step requirementsForImageRef took. */
  trail: string[];
  warnings: string[];
  /** Upstream `transports.ImageName`, e.g. "docker://busybox:latest". */
  imageName?: string;
  /** The Docker reference the image is known by, if any (normalized). */
  dockerReference?: string | null;
  /** For a bare short name: how it resolved. */
  resolution?: ResolutionReport;
  /** For a short name: the simulation of each candidate, in the order the runtime tries them. */
  candidates?: SimulationResult[];
  /** For a docker reference under registries.conf: where the runtime pulls from, in order. */
  pullSources?: PullSourceReport[];
}

/** Prepared state shared by many simulations (the policy index, the manifest digest). */
export interface Simulator {
  readonly options: SimulationOptions;
  readonly index: PolicyIndex;
  readonly manifestDigest?: string;
  /** Simulate one reference string. */
  simulate(input: string): SimulationResult;
  /**
   * The decision alone (no explanation, no registries): parse a `transport:ref` string, look up the
   * requirements through the index and evaluate them. The fast path for bulk runs and benchmarks.
   */
  decide(input: string): Decision;
}

/** A bare decision: what `IsRunningImageAllowed` returns, plus the deciding scope. */
export interface Decision {
  allowed: boolean;
  /** The runtime's error for a denial, or the parse error. */
  error: string | null;
  /** True when the reference did not parse (then nothing was evaluated). */
  parseError: boolean;
  scope: DecidingScope | null;
}

/** Prepare a simulator: indexes the policy once and hashes the manifest once. */
export function createSimulator(options: SimulationOptions): Simulator {
  // Who runs the pull is fixed for a run: resolve it once (the lookaside default depends on it).
  {
    const euid = options.env?.euid ?? (typeof process.geteuid === "function" ? process.geteuid() : 0);
    const home = options.env?.home ?? (euid === 0 ? undefined : process.env.HOME ?? os.homedir());
    const target = options.env?.target ?? options.parse?.target;
    const env: SimulationEnv = { euid };
    if (home !== undefined) env.home = home;
    if (target !== undefined) env.target = target;
    options = { ...options, env };
  }
  const index = indexPolicy(options.policy);
  const manifestDigest = options.manifest ? "sha256:" + createHash("sha256").update(options.manifest).digest("hex") : undefined;
  const sim: Simulator = {
    options,
    index,
    manifestDigest,
    simulate: (input) => simulateInput(sim, input),
    decide: (input) => decide(sim, input),
  };
  return sim;
}

function decide(sim: Simulator, input: string): Decision {
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

const NO_LOOKUP: SignatureLookup = { lookasideBase: null, lookasideSignature1: null, sigstoreAttachments: false };

function failed(input: string, error: string, extra?: Partial<SimulationResult>): SimulationResult {
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
function knownTransportPrefix(input: string): string | undefined {
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

/** Attach pull sources; when pulling fails before the policy is even consulted, the pull is denied with that error. */
function applyPullSources(res: SimulationResult, p: PullSourcesReport): void {
  res.pullSources = p.sources;
  // Signatures are read where the image is pulled from: a mirror's own lookaside and attachment settings apply.
  const types = new Set(res.requirements.map((q) => q.type));
  p.sources.forEach((src, i) => {
    if (!src.mirror || src.blocked) return;
    const d = p.details[i];
    if (types.has("sigstoreSigned") && !d.sigstoreAttachments)
      res.warnings.push(
        `when mirror ${src.location} serves the image, sigstore attachments are not read (use-sigstore-attachments is not enabled for ${d.repository ?? src.reference}): sigstoreSigned cannot be satisfied through that mirror`,
      );
    if (types.has("signedBy") && d.lookasideFrom === "built-in")
      res.warnings.push(
        `when mirror ${src.location} serves the image, signatures are read from its lookaside, which is only the built-in default local directory ${d.lookasideBase ?? ""}`,
      );
  });
  if (p.error === undefined) return;
  res.verdict = "deny";
  res.upstreamError = p.error;
  res.reasons.push(
    p.sources.length > 0 && p.sources.every((s) => s.blocked)
      ? `every pull source is blocked in registries.conf, so the pull fails before the policy is consulted: ${p.error}`
      : `registries.conf makes the pull fail before the policy is consulted: ${p.error}`,
  );
}

/** The digest signatures are looked up by: the reference's sha256 digest, else the manifest's (upstream `manifestDigest`). */
function lookupDigest(sim: Simulator, ref: DockerReference | undefined): string | undefined {
  if (ref?.digest !== undefined && ref.digest.startsWith("sha256:")) return ref.digest;
  return sim.manifestDigest;
}

/** Where the runtime reads signatures of a docker reference (lookaside and attachments). */
export function dockerSignatureLookup(
  registriesD: RegistriesDConfig | undefined,
  env: SimulationEnv | undefined,
  ref: DockerReference,
  digest: string | undefined,
): SignatureLookupDetails {
  const storage = signatureStorageFor(ref, registriesD ?? { docker: [] }, env ?? {});
  const base = storage.lookasideBase;
  let first: string | null = null;
  if (base !== null && digest !== undefined) {
    const u = lookasideSignatureUrl(storage.lookasideTopLevel, ref, digest, 0, env ?? {});
    if (u.ok) first = u.url;
  }
  const out: SignatureLookupDetails = {
    lookasideBase: base,
    lookasideSignature1: first,
    sigstoreAttachments: storage.useSigstoreAttachments,
    repository: referenceName(ref),
    lookasideFrom: sourceText(storage.matched.read),
  };
  if (storage.matched.attachments.kind !== "built-in") out.attachmentsFrom = sourceText(storage.matched.attachments);
  if (digest !== undefined) out.attachmentTag = sigstoreAttachmentTag(digest);
  if (storage.error !== undefined) out.error = storage.error;
  return out;
}

const LOOKUP_CACHE_LIMIT = 65_536;
const lookupCaches = new WeakMap<Simulator, Map<string, SignatureLookupDetails>>();

/**
 * `dockerSignatureLookup` memoised per simulator (registries.d and the runtime user are fixed for a run, so
 * the answer depends only on the reference and digest). Callers must not mutate the result.
 */
export function signatureLookupFor(sim: Simulator, ref: DockerReference, digest: string | undefined): SignatureLookupDetails {
  let cache = lookupCaches.get(sim);
  if (!cache) lookupCaches.set(sim, (cache = new Map()));
  const key = digest === undefined ? referenceString(ref) : referenceString(ref) + "\0" + digest;
  let v = cache.get(key);
  if (v === undefined) {
    v = dockerSignatureLookup(sim.options.registriesD, sim.options.env, ref, digest);
    if (cache.size >= LOOKUP_CACHE_LIMIT) cache.clear();
    cache.set(key, v);
  }
  return v;
}

function sourceText(s: LookasideSource): string {
  if (s.kind === "built-in") return "built-in";
  if (s.kind === "default-docker") return `default-docker in ${s.file}`;
  return `docker scope "${s.scope}" in ${s.file}`;
}

/** Simulate an already parsed image reference. `input` is echoed as `ref`. */
export function simulateImageReference(sim: Simulator, ref: ImageReference, input: string): SimulationResult {
  const lookup = requirementsForImageRef(sim.index, ref);
  const digest = lookupDigest(sim, ref.dockerReference);
  const details: SignatureLookupDetails =
    ref.transport === "docker" && ref.dockerReference
      ? signatureLookupFor(sim, ref.dockerReference, digest)
      : { ...NO_LOOKUP };
  const evaluation = evaluateRequirements(
    lookup.requirements,
    {
      transport: ref.transport,
      imageName: ref.imageName,
      dockerReference: ref.dockerReference,
      manifestDigest: digest,
      manifest: sim.options.manifest,
    },
    sim.options.evidence ?? NO_SIGNATURE_EVIDENCE,
  );
  const reportImage = { transport: ref.transport, dockerReference: ref.dockerReference, withinTransport: ref.withinTransport, lookup: details };
  const level = lookup.entry ? lookup.entry.labels?.level : sim.options.policy.defaultLabels?.level;
  const requirements = evaluation.outcomes.map((o) => reportRequirement(o, reportImage, level));
  const warnings: string[] = [];
  for (const r of lookup.requirements) for (const w of signatureWarnings(r, reportImage)) if (!warnings.includes(w)) warnings.push(w);
  if (sim.options.parse?.debian && lookup.requirements.some((r) => r.type === "sigstoreSigned"))
    warnings.push("Debian 12's containers/image 5.23.1 rejects every sigstore signature (Debian-local change: sigstore disabled): sigstoreSigned can never allow an image there");

  const where =
    lookup.decided === null
      ? "the global default"
      : lookup.decided.scope === ""
        ? `the default scope "" of transport "${lookup.decided.transport}"`
        : `scope "${lookup.decided.scope}" of transport "${lookup.decided.transport}"`;
  const reasons: string[] = [];
  const types = lookup.requirements.map((r) => r.type).join(", ");
  reasons.push(`${where} decided${level ? ` (level ${level})` : ""}: [${types}]`);
  if (evaluation.allowed) {
    reasons.push(
      lookup.requirements.every((r) => r.type === "insecureAcceptAnything")
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
