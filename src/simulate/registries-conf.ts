/**
 * registries.conf in a simulation: short-name resolution (podman's `pkg/shortnames.Resolve`) and pull
 * sources (`sysregistriesv2.FindRegistry` + `PullSourcesFromReference`, tried in order by
 * `docker/docker_image_src.go` `newImageSource`), through src/registries/resolve.ts, with the signature lookup
 * of each pull source (lookaside and attachments follow the pull source: observed-behaviour.md).
 */
import type { DockerReference } from "../reference/docker-reference.js";
import { isShortName, pullSources, resolveShortName } from "../registries/resolve.js";
import type { SignatureLookupDetails } from "./requirement-report.js";
import { signatureLookupFor } from "./signature-lookup.js";
import type { PullSourceReport, ResolutionReport, SimulationResult, Simulator } from "./types.js";

export type { RegistriesConf } from "../registries/types.js";
export type { PullSourceReport, ResolutionReport } from "./types.js";

/** The pull sources of a reference, or why pulling fails before any source is tried. */
export interface PullSourcesReport {
  sources: PullSourceReport[];
  /** The signature lookup of each source with where it came from (same order as `sources`). */
  details: SignatureLookupDetails[];
  /** An error upstream reports before trying a source (e.g. an invalid rewrite), or when every source is blocked. */
  error?: string;
}

/** Short-name resolution of a bare name; undefined when the name is fully qualified or no registries.conf is given. */
export function resolveName(sim: Simulator, input: string): ResolutionReport | undefined {
  const conf = sim.options.registriesConf;
  if (!conf || !isShortName(input)) return undefined;
  const mode = sim.options.shortNameMode ?? conf.shortNameMode;
  const r = resolveShortName(conf, input, { mode, tty: false });
  if (!r.ok) return { mode, aliasUsed: null, candidates: [], error: r.error };
  const out: ResolutionReport = { mode, aliasUsed: r.alias ? r.alias.name : null, candidates: r.candidateStrings, error: null };
  if (r.description) out.description = r.description;
  return out;
}

/** The pull sources of a docker reference under registries.conf, in the order the runtime tries them. */
export function pullSourcesFor(sim: Simulator, ref: DockerReference): PullSourcesReport {
  const conf = sim.options.registriesConf;
  if (!conf) return { sources: [], details: [] };
  const r = pullSources(conf, ref);
  if (!r.ok) return { sources: [], details: [], error: r.error };
  const details: SignatureLookupDetails[] = [];
  const sources = r.sources.map((s): PullSourceReport => {
    const digest = s.reference.digest?.startsWith("sha256:") ? s.reference.digest : sim.manifestDigest;
    const l = signatureLookupFor(sim, s.reference, digest);
    details.push(l);
    const p: PullSourceReport = {
      location: s.location,
      reference: s.referenceString,
      mirror: s.mirror,
      insecure: s.insecure,
      blocked: s.blockedError !== undefined,
      signatureLookup: { lookasideBase: l.lookasideBase, lookasideSignature1: l.lookasideSignature1, sigstoreAttachments: l.sigstoreAttachments },
    };
    if (s.blockedError !== undefined) p.blockedError = s.blockedError;
    return p;
  });
  if (sources.length > 0 && sources.every((s) => s.blocked)) {
    // docker_image_src.go newImageSource: one attempt → its error; several → the mirrors' errors, then the primary's.
    const primary = sources[sources.length - 1];
    const error =
      sources.length === 1
        ? primary.blockedError!
        : `(Mirrors also failed: ${sources
            .slice(0, -1)
            .map((s) => `[${s.reference}: ${s.blockedError}]`)
            .join("\n")}): ${primary.reference}: ${primary.blockedError}`;
    return { sources, details, error };
  }
  return { sources, details };
}

/**
 * The warnings of a pull through mirrors: signatures are read where the image is pulled from, so a mirror's own
 * lookaside and attachment settings apply (observed-behaviour.md).
 */
export function pullSourceWarnings(requirementTypes: ReadonlySet<string>, p: PullSourcesReport): string[] {
  const out: string[] = [];
  p.sources.forEach((src, i) => {
    if (!src.mirror || src.blocked) return;
    const d = p.details[i];
    if (requirementTypes.has("sigstoreSigned") && !d.sigstoreAttachments)
      out.push(
        `when mirror ${src.location} serves the image, sigstore attachments are not read (use-sigstore-attachments is not enabled for ${d.repository ?? src.reference}): sigstoreSigned cannot be satisfied through that mirror`,
      );
    if (requirementTypes.has("signedBy") && d.lookasideFrom === "built-in")
      out.push(
        `when mirror ${src.location} serves the image, signatures are read from its lookaside, which is only the built-in default local directory ${d.lookasideBase ?? ""}`,
      );
  });
  return out;
}

/** Attach pull sources; when pulling fails before the policy is even consulted, the pull is denied with that error. */
export function applyPullSources(res: SimulationResult, p: PullSourcesReport): void {
  res.pullSources = p.sources;
  res.warnings.push(...pullSourceWarnings(new Set(res.requirements.map((q) => q.type)), p));
  if (p.error === undefined) return;
  res.verdict = "deny";
  res.upstreamError = p.error;
  res.reasons.push(
    p.sources.length > 0 && p.sources.every((s) => s.blocked)
      ? `every pull source is blocked in registries.conf, so the pull fails before the policy is consulted: ${p.error}`
      : `registries.conf makes the pull fail before the policy is consulted: ${p.error}`,
  );
}
