/**
 * `imagetrust diff OLD NEW`: what changed semantically between two policies: scopes added, removed, with
 * different requirements; every region (regions.ts) classified by the requirement lattice
 * (requirement-lattice.ts); registries.d namespaces whose signature storage moved (signature-storage.ts); and,
 * for sample references (given, and derived from both policies' scopes), which decisions change.
 * `--fail-on-loosen`: exit 1 when any region is looser or changed (sound: every reference lies in a region), a
 * user reference flips to allow, or signatures a decision reads are read elsewhere.
 * Analysis only: returns data; render-text.ts turns it into text and the CLI maps it to an exit code.
 */
import type { Policy, RegistriesDConfig, Requirement } from "../ir/types.js";
import { parseImageReference } from "../reference/image-reference.js";
import { type Region, policyRegions, withoutOrigins } from "./regions.js";
import { compareRequirements, failsOnLoosen, type RegionClass } from "./requirement-lattice.js";
import { type StorageChange, signatureStorageChanges } from "./signature-storage.js";
import { parseNormalizedNamed, isNameOnly } from "../reference/docker-reference.js";
import { createSimulator, type SimulationOptions, type SimulationResult } from "../simulate/simulate.js";
import { type DecidingScope, indexPolicy, requirementsForImageRef } from "../simulate/scope-lookup.js";

/** How permissive a requirement list is without signatures at hand: never < signed < anything. */
export type Strength = "never" | "signed" | "anything";

const RANK: Record<Strength, number> = { never: 0, signed: 1, anything: 2 };

/** The strength of a requirement list (an AND): any reject/signedBaseLayer → never; any signature check → signed. */
export function strengthOf(requirements: readonly Requirement[]): Strength {
  if (requirements.length === 0) return "never";
  let signed = false;
  for (const r of requirements) {
    if (r.type === "reject" || r.type === "signedBaseLayer") return "never";
    if (r.type === "signedBy" || r.type === "sigstoreSigned") signed = true;
  }
  return signed ? "signed" : "anything";
}

/** A requirement without its source positions, as canonical JSON (for comparing). */
export function requirementKey(r: Requirement): string {
  return JSON.stringify(r, (k, v) => (k === "origin" || k === "keyOrigin" ? undefined : v));
}

function listKey(rs: readonly Requirement[]): string {
  return "[" + rs.map(requirementKey).join(",") + "]";
}

/** Whether going from `before` to `after` makes the list more permissive. */
export function isLoosening(before: readonly Requirement[], after: readonly Requirement[]): boolean {
  const a = strengthOf(before);
  const b = strengthOf(after);
  if (RANK[b] !== RANK[a]) return RANK[b] > RANK[a];
  if (a !== "signed") return false;
  // Both need signatures: fewer signature requirements (a strict subset of the old ones) is looser.
  const sig = (rs: readonly Requirement[]) => new Set(rs.filter((r) => r.type === "signedBy" || r.type === "sigstoreSigned").map(requirementKey));
  const old = sig(before);
  const neu = sig(after);
  if (neu.size >= old.size) return false;
  for (const k of neu) if (!old.has(k)) return false;
  return true;
}

/** One changed scope (transport null: the global default). */
export interface ScopeChange {
  transport: string | null;
  scope: string;
  change: "added" | "removed" | "changed";
  before?: Requirement[];
  after?: Requirement[];
  /** The requirement types before / after, e.g. "signedBy, reject". */
  beforeSummary?: string;
  afterSummary?: string;
}

/** One sample reference decided under both policies. */
export interface SampleComparison {
  ref: string;
  before: { verdict: "allow" | "deny"; scope: DecidingScope | null; strength: Strength; error: string | null };
  after: { verdict: "allow" | "deny"; scope: DecidingScope | null; strength: Strength; error: string | null };
  /** The verdict flipped. */
  flipped: boolean;
  /** The decision got more permissive (a verdict flip to allow, or a weaker requirement list). */
  loosened: boolean;
  /** The decision got stricter. */
  tightened: boolean;
  /** The requirement list that applies changed (even if the verdict did not). */
  changed: boolean;
}

/** The result of comparing two policies. */
export interface PolicyDiff {
  scopeChanges: ScopeChange[];
  samples: SampleComparison[];
  /** The samples whose verdict flips. */
  flips: SampleComparison[];
  /** True when any region is looser or changed, any sample's decision became more permissive, or a storage change affects a decision. */
  loosened: boolean;
  /** Every region of both policies (and then every user reference), with old, new and the classification. */
  regions: Region[];
  /** The user's references (--ref, --refs): the region each falls in and how its deciding requirements changed. */
  references: ReferenceComparison[];
  /** registries.d namespaces whose signatures are read elsewhere. */
  signatureStorage: StorageChange[];
}

/** One user reference compared: the scopes deciding it in each policy and the lattice's classification. */
export interface ReferenceComparison {
  ref: string;
  /** The region it falls in (null: the global default region). */
  region: DecidingScope | null;
  old: { decidedBy: DecidingScope | null; requirements: Requirement[]; verdict: "allow" | "deny" };
  new: { decidedBy: DecidingScope | null; requirements: Requirement[]; verdict: "allow" | "deny" };
  classification: RegionClass;
}

/** Options of `diffPolicies`. */
export interface DiffOptions {
  /** Sample references to decide in addition to those derived from the scopes. */
  refs?: string[];
  /** Only the given refs, no derived samples. */
  noDerivedSamples?: boolean;
  registriesD?: SimulationOptions["registriesD"];
  parse?: SimulationOptions["parse"];
  /** The machine the references are decided on (built-in lookaside, path transports). */
  host?: SimulationOptions["host"];
  /** The old and new registries.d (where signatures are read); when given, `registriesD` is ignored for that side. */
  registriesDOld?: RegistriesDConfig;
  registriesDNew?: RegistriesDConfig;
}

const summary = (rs: readonly Requirement[]) => rs.map((r) => r.type).join(", ");
/** Requirements without source positions (the diff's JSON output stays about meaning, not spans). */
const clean = (rs: readonly Requirement[]): Requirement[] => rs.map((r) => JSON.parse(requirementKey(r)) as Requirement);

function scopeMap(p: Policy): Map<string, { transport: string; scope: string; requirements: Requirement[] }> {
  const m = new Map<string, { transport: string; scope: string; requirements: Requirement[] }>();
  for (const t of p.transports)
    for (const s of t.scopes) {
      const k = JSON.stringify([t.name, s.scope]);
      if (!m.has(k)) m.set(k, { transport: t.name, scope: s.scope, requirements: s.requirements });
    }
  return m;
}

/** Scope-level changes: global default, then every transport scope added, removed or changed. */
export function scopeChanges(before: Policy, after: Policy): ScopeChange[] {
  const out: ScopeChange[] = [];
  if (listKey(before.default) !== listKey(after.default))
    out.push({ transport: null, scope: "", change: "changed", before: clean(before.default), after: clean(after.default), beforeSummary: summary(before.default), afterSummary: summary(after.default) });
  const a = scopeMap(before);
  const b = scopeMap(after);
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w) out.push({ transport: v.transport, scope: v.scope, change: "removed", before: clean(v.requirements), beforeSummary: summary(v.requirements) });
    else if (listKey(v.requirements) !== listKey(w.requirements))
      out.push({ transport: v.transport, scope: v.scope, change: "changed", before: clean(v.requirements), after: clean(w.requirements), beforeSummary: summary(v.requirements), afterSummary: summary(w.requirements) });
  }
  for (const [k, w] of b) if (!a.has(k)) out.push({ transport: w.transport, scope: w.scope, change: "added", after: clean(w.requirements), afterSummary: summary(w.requirements) });
  return out;
}

/** The sample host used for references that should match only defaults. */
export const SAMPLE_UNMATCHED = "docker://imagetrust-sample.invalid/sample:latest";

/** Sample references that exercise each scope of a policy (the scope itself and something inside it). */
export function sampleReferencesFor(policy: Policy): string[] {
  const out: string[] = [];
  for (const t of policy.transports) {
    for (const { scope } of t.scopes) {
      switch (t.name) {
        case "docker":
        case "docker-daemon":
        case "atomic": {
          const prefix = t.name === "docker" ? "docker://" : `${t.name}:`;
          if (scope === "") {
            out.push(`${prefix}imagetrust-sample.invalid/sample:latest`);
            break;
          }
          const host = scope.startsWith("*.") ? "sample" + scope.slice(1) : scope;
          if (!host.includes("/")) {
            // A registry host: something inside it (a bare "host:tag" would be a docker.io name).
            out.push(`${prefix}${host}/sample:latest`);
            break;
          }
          const p = parseNormalizedNamed(host);
          if (p.ok) {
            if (!isNameOnly(p.ref)) out.push(prefix + host);
            else {
              out.push(`${prefix}${host}:latest`);
              out.push(`${prefix}${host}/sample:latest`);
            }
          }
          break;
        }
        case "dir":
        case "oci":
        case "oci-archive":
        case "sif":
          if (scope === "") out.push(`${t.name}:/imagetrust-sample/sample`);
          else out.push(`${t.name}:${scope}`, `${t.name}:${scope}/sample`);
          break;
        case "docker-archive":
        case "tarball":
          out.push(`${t.name}:/imagetrust-sample/sample.tar`);
          break;
        case "containers-storage":
          if (scope !== "") out.push(`containers-storage:${scope}${scope.endsWith("]") ? "imagetrust-sample.invalid/sample:latest" : ""}`);
          break;
      }
    }
  }
  return out;
}

function side(r: SimulationResult, requirements: readonly Requirement[]) {
  return { verdict: r.verdict, scope: r.scope, strength: strengthOf(requirements), error: r.error ?? r.upstreamError };
}

/** Compare two policies: scope changes and decisions on sample references. */
export function diffPolicies(before: Policy, after: Policy, options: DiffOptions = {}): PolicyDiff {
  const refs: string[] = [...(options.refs ?? [])];
  if (!options.noDerivedSamples) refs.push(...sampleReferencesFor(before), ...sampleReferencesFor(after), SAMPLE_UNMATCHED);
  const unique = [...new Set(refs)];
  const rdOld = options.registriesDOld ?? options.registriesD;
  const rdNew = options.registriesDNew ?? options.registriesD;
  const simA = createSimulator({ policy: before, registriesD: rdOld, parse: options.parse, host: options.host });
  const simB = createSimulator({ policy: after, registriesD: rdNew, parse: options.parse, host: options.host });
  const samples: SampleComparison[] = [];
  // A set, not refs.includes() per reference: 130,000 --refs lines were quadratic (minutes).
  const given = new Set(options.refs ?? []);
  for (const ref of unique) {
    const ra = simA.simulate(ref);
    const rb = simB.simulate(ref);
    if (ra.error !== null && rb.error !== null && !given.has(ref)) continue; // an unusable derived sample
    const reqA = requirementsOf(ra, before);
    const reqB = requirementsOf(rb, after);
    const loosened = (ra.verdict === "deny" && rb.verdict === "allow") || isLoosening(reqA, reqB);
    const tightened = (ra.verdict === "allow" && rb.verdict === "deny") || isLoosening(reqB, reqA);
    samples.push({
      ref,
      before: side(ra, reqA),
      after: side(rb, reqB),
      flipped: ra.verdict !== rb.verdict,
      loosened,
      tightened,
      changed: listKey(reqA) !== listKey(reqB),
    });
  }
  const flips = samples.filter((s) => s.flipped);
  const regions = policyRegions(before, after, { target: options.parse?.target, debian: options.parse?.debian });
  const references = compareReferences(before, after, options.refs ?? [], samples, simA.options.parse);
  const signatureStorage = signatureStorageChanges(rdOld, rdNew, after);
  const loosened =
    samples.some((s) => s.loosened) ||
    regions.some((r) => failsOnLoosen(r.classification)) ||
    references.some((r) => failsOnLoosen(r.classification)) ||
    signatureStorage.some((c) => c.affectsDecisions);
  return { scopeChanges: scopeChanges(before, after), samples, flips, loosened, regions, references, signatureStorage };
}

/**
 * The user's references, each decided by scope lookup in both policies (`requirementsForImageRef`); its region is
 * where it lands in the union of both scope sets. A verdict flip to allow is looser whatever the lattice says.
 */
function compareReferences(before: Policy, after: Policy, refs: readonly string[], samples: readonly SampleComparison[], parse: SimulationOptions["parse"]): ReferenceComparison[] {
  const out: ReferenceComparison[] = [];
  const byRef = new Map<string, SampleComparison>();
  for (const s of samples) if (!byRef.has(s.ref)) byRef.set(s.ref, s);
  for (const ref of [...new Set(refs)]) {
    const r = parseImageReference(ref, parse);
    if (!r.ok) continue;
    const lo = requirementsForImageRef(before, r.ref);
    const ln = requirementsForImageRef(after, r.ref);
    const sample = byRef.get(ref);
    const verdictOld = sample?.before.verdict ?? "deny";
    const verdictNew = sample?.after.verdict ?? "deny";
    let classification = compareRequirements(lo.requirements, ln.requirements);
    if (verdictOld === "deny" && verdictNew === "allow" && !failsOnLoosen(classification)) classification = "looser";
    const inOld = indexPolicy(before).lookup(r.ref.transport, r.ref.identity, r.ref.namespaces)?.scope;
    const inNew = indexPolicy(after).lookup(r.ref.transport, r.ref.identity, r.ref.namespaces)?.scope;
    const region = regionOf(r.ref, inOld, inNew);
    out.push({
      ref,
      region,
      old: { decidedBy: lo.decided, requirements: withoutOrigins(lo.requirements), verdict: verdictOld },
      new: { decidedBy: ln.decided, requirements: withoutOrigins(ln.requirements), verdict: verdictNew },
      classification,
    });
  }
  return out;
}

/** The more specific of the two deciding scopes (the one earlier in the reference's lookup order). */
function regionOf(ref: { transport: string; identity: string; namespaces: readonly string[] }, a: string | undefined, b: string | undefined): DecidingScope | null {
  const order = [ref.identity, ...ref.namespaces, ""];
  const rank = (s: string | undefined) => (s === undefined ? Infinity : order.indexOf(s));
  const best = rank(a) <= rank(b) ? a : b;
  return best === undefined ? null : { transport: ref.transport, scope: best };
}

function requirementsOf(r: SimulationResult, p: Policy): Requirement[] {
  if (r.error !== null) return [];
  if (r.scope === null) return p.default;
  for (const t of p.transports) if (t.name === r.scope.transport) for (const s of t.scopes) if (s.scope === r.scope.scope) return s.requirements;
  return p.default;
}
