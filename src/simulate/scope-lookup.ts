/**
 * Which policy requirements apply to an image reference: containers/image `signature/policy_eval.go`
 * `(*PolicyContext).requirementsForImageRef`, plus the explanation trail upstream only logs at debug level.
 *
 * Upstream order (spec containers-policy.md §3.2): if the policy has a section for the reference's transport,
 * try the reference's identity (`PolicyConfigurationIdentity`), then each namespace
 * (`PolicyConfigurationNamespaces`) in order, then the transport's `""` scope; otherwise, or if none of those
 * is a key, the global `default`. Keys are compared by exact string equality (Go map lookup), transport names
 * case-sensitively. Only the single winning list applies.
 */
import type { Policy, Requirement, ScopeEntry } from "../ir/types.js";

/** What scope lookup needs of an image reference (a subset of reference/image-reference.ts `ImageReference`). */
export interface ScopedReference {
  /** The transport name, e.g. "docker". */
  transport: string;
  /** `PolicyConfigurationIdentity()`. */
  identity: string;
  /** `PolicyConfigurationNamespaces()`, most specific first. */
  namespaces: readonly string[];
}

/** The policy entry that decided: `{transport, scope}`, `scope: ""` for a transport default. */
export interface DecidingScope {
  transport: string;
  scope: string;
}

/** One step of the lookup, in the order upstream performs it. */
export type LookupStep =
  | { step: "transport"; transport: string; found: boolean }
  | { step: "identity"; scope: string; matched: boolean }
  | { step: "namespace"; scope: string; matched: boolean }
  | { step: "transportDefault"; transport: string; matched: boolean }
  | { step: "globalDefault" };

/** The result of `requirementsForImageRef`. */
export interface ScopeLookup {
  /** The requirement list that applies (an AND of all its elements). */
  requirements: Requirement[];
  /** The entry that decided, or null when the global default applies. */
  decided: DecidingScope | null;
  /** The IR entry that decided (absent for the global default). */
  entry?: ScopeEntry;
  /** Every step tried, in upstream's order, ending with the one that matched. */
  trail: LookupStep[];
}

/** A per-policy lookup index: one Map from scope string to entry per transport name. Build once, reuse. */
export class PolicyIndex {
  /** The indexed policy. */
  readonly policy: Policy;
  private readonly byTransport = new Map<string, Map<string, ScopeEntry>>();

  constructor(policy: Policy) {
    this.policy = policy;
    for (const t of policy.transports) {
      let scopes = this.byTransport.get(t.name);
      if (!scopes) {
        scopes = new Map();
        this.byTransport.set(t.name, scopes);
      }
      // A loaded policy has unique transports and scopes (duplicate JSON keys are errors upstream); for a
      // hand-built IR with duplicates the first definition in document order wins.
      // (Indexed loops: start-up code runs unoptimised, where for-of makes an iterator result per element.)
      const list = t.scopes;
      for (let i = 0; i < list.length; i++) if (!scopes.has(list[i].scope)) scopes.set(list[i].scope, list[i]);
    }
  }

  /** The scope map of a transport, if the policy has a section for it. */
  scopesOf(transport: string): ReadonlyMap<string, ScopeEntry> | undefined {
    return this.byTransport.get(transport);
  }

  /**
   * The deciding entry without building a trail (the fast path: one Map lookup per namespace tried).
   * Returns undefined when the global default applies.
   */
  lookup(transport: string, identity: string, namespaces: readonly string[]): ScopeEntry | undefined {
    const scopes = this.byTransport.get(transport);
    if (scopes === undefined) return undefined;
    let e = scopes.get(identity);
    if (e !== undefined) return e;
    for (let i = 0; i < namespaces.length; i++) {
      e = scopes.get(namespaces[i]);
      if (e !== undefined) return e;
    }
    return scopes.get("");
  }
}

const indexCache = new WeakMap<Policy, PolicyIndex>();

/** The (cached) index of a policy. The policy must not be mutated after the first call. */
export function indexPolicy(policy: Policy): PolicyIndex {
  let idx = indexCache.get(policy);
  if (!idx) {
    idx = new PolicyIndex(policy);
    indexCache.set(policy, idx);
  }
  return idx;
}

/**
 * The requirements for an image reference and how they were found, exactly as upstream's
 * `requirementsForImageRef`. Accepts a Policy (indexed once and cached) or a prebuilt PolicyIndex.
 */
export function requirementsForImageRef(policy: Policy | PolicyIndex, ref: ScopedReference): ScopeLookup {
  const index = policy instanceof PolicyIndex ? policy : indexPolicy(policy);
  const trail: LookupStep[] = [];
  const scopes = index.scopesOf(ref.transport);
  trail.push({ step: "transport", transport: ref.transport, found: scopes !== undefined });
  if (scopes !== undefined) {
    const decide = (entry: ScopeEntry): ScopeLookup => ({
      requirements: entry.requirements,
      decided: { transport: ref.transport, scope: entry.scope },
      entry,
      trail,
    });
    let e = scopes.get(ref.identity);
    trail.push({ step: "identity", scope: ref.identity, matched: e !== undefined });
    if (e !== undefined) return decide(e);
    for (const ns of ref.namespaces) {
      e = scopes.get(ns);
      trail.push({ step: "namespace", scope: ns, matched: e !== undefined });
      if (e !== undefined) return decide(e);
    }
    e = scopes.get("");
    trail.push({ step: "transportDefault", transport: ref.transport, matched: e !== undefined });
    if (e !== undefined) return decide(e);
  }
  trail.push({ step: "globalDefault" });
  return { requirements: index.policy.default, decided: null, trail };
}

/** The namespaces upstream tried before deciding (identity excluded), in order, as in the trail. */
export function namespacesTried(lookup: ScopeLookup): string[] {
  const out: string[] = [];
  for (const s of lookup.trail) if (s.step === "namespace") out.push(s.scope);
  return out;
}

/** A sentence for one lookup step, e.g. `matched scope "quay.io/acme" (a parent namespace of the image)`. */
export function describeLookupStep(step: LookupStep): string {
  switch (step.step) {
    case "transport":
      return step.found
        ? `the policy has a section for transport "${step.transport}"`
        : `the policy has no section for transport "${step.transport}", so its scopes are not consulted`;
    case "identity":
      if (step.scope === "")
        return step.matched
          ? `the reference's identity is empty, which names the transport default scope "": matched`
          : `the reference's identity is empty (it names the transport default scope ""): no such scope`;
      return step.matched
        ? `matched scope "${step.scope}": the reference's exact identity`
        : `no scope for the exact identity "${step.scope}"`;
    case "namespace":
      return step.matched
        ? `matched scope "${step.scope}"${step.scope.startsWith("*.") ? " (a wildcard host scope)" : " (an enclosing namespace)"}`
        : `no scope "${step.scope}"`;
    case "transportDefault":
      return step.matched
        ? `fell back to the transport default scope "" of "${step.transport}"`
        : `transport "${step.transport}" has no default scope ""`;
    case "globalDefault":
      return `fell back to the global default`;
  }
}
