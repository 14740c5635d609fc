/**
 * sigstore policy-controller target: `ClusterImagePolicy` (policy.sigstore.dev/v1beta1) manifests and the
 * `config-policy-controller` ConfigMap's `no-match-policy`.
 *
 * policy-controller applies every policy whose glob matches an image and requires all of them to pass
 * (within one policy, any authority suffices); an image no policy matches gets `no-match-policy`. There are
 * no exclusions, so a scope's policy also applies below it. The translation emits every scope whose
 * requirements matter, leaves out reject / accept scopes that `no-match-policy` already decides, and
 * reports each region whose outcome then differs from the node's (stricter: warning; looser: error).
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { K8S_CODES, k8sDiagnostic } from "./codes.js";
import { isTagScope, relatedRegions, slug, type DockerPlan, type Region } from "./plan.js";
import { policyControllerGlobs } from "./patterns.js";
import { andOutcomes, compareOutcomes, subjectOf, type Outcome, type SigstoreTrust } from "./requirements.js";
import { documentsText, type EmittedFile, type Mode } from "./render.js";

/** The API version emitted (served by the CRD in test/fixtures/crds; v1alpha1 is the storage version). */
export const CLUSTER_IMAGE_POLICY_API_VERSION = "policy.sigstore.dev/v1beta1";
/** Public Rekor, which policy-controller uses unless a TrustRoot says otherwise. */
export const PUBLIC_REKOR_URL = "https://rekor.sigstore.dev";
/** Where policy-controller is installed by its Helm chart. */
export const POLICY_CONTROLLER_NAMESPACE = "cosign-system";

const ALLOW: Outcome = { deny: false, checks: new Map() };
const DENY: Outcome = { deny: true };

/** The emission decisions for policy-controller, for tests and explanations. */
export interface PolicyControllerPlan {
  noMatchPolicy: "deny" | "allow";
  /** Whether the default's requirements are emitted for every image (glob `**`). */
  defaultEmitted: boolean;
  /** Scopes that get a ClusterImagePolicy. */
  emitted: Set<string>;
}

type Cmp = ReturnType<typeof compareOutcomes>;
const RANK: Record<Cmp, number> = { equal: 0, stricter: 1, permissive: 2 };

/** What the cluster requires for references the node decides by `region` (the default when scope is undefined). */
export function clusterOutcome(plan: DockerPlan, pc: PolicyControllerPlan, region: Region): Outcome {
  const applying: Outcome[] = [];
  if (pc.defaultEmitted) applying.push(plan.defaultRegion.outcome);
  if (region.scope !== undefined) {
    const candidates = isTagScope(region.scope) ? region.ancestors : [region.scope, ...region.ancestors];
    for (const s of candidates) if (pc.emitted.has(s)) applying.push(plan.scopes.find((r) => r.scope === s)!.outcome);
  }
  if (applying.length === 0) return pc.noMatchPolicy === "deny" ? DENY : ALLOW;
  return andOutcomes(applying);
}

function comparisons(plan: DockerPlan, pc: PolicyControllerPlan): Cmp[] {
  return [...plan.scopes, plan.defaultRegion].map((r) => compareOutcomes(clusterOutcome(plan, pc, r), r.outcome));
}

/** Decide what to emit: every matchable scope, minus reject / accept scopes whose removal changes nothing for the worse. */
export function planPolicyController(plan: DockerPlan): PolicyControllerPlan {
  const d = plan.defaultRegion.outcome;
  const pc: PolicyControllerPlan = {
    noMatchPolicy: !d.deny && d.checks.size === 0 ? "allow" : "deny",
    defaultEmitted: !d.deny && d.checks.size > 0,
    emitted: new Set(plan.scopes.filter((r) => !isTagScope(r.scope!)).map((r) => r.scope!)),
  };
  const order = [...plan.scopes].sort((a, b) => a.ancestors.length - b.ancestors.length);
  let current = comparisons(plan, pc);
  for (const r of order) {
    if (!pc.emitted.has(r.scope!)) continue;
    if (!r.outcome.deny && r.outcome.checks.size > 0) continue;
    pc.emitted.delete(r.scope!);
    const next = comparisons(plan, pc);
    if (next.every((c, i) => RANK[c] <= RANK[current[i]])) current = next;
    else pc.emitted.add(r.scope!);
  }
  return pc;
}

/** Diagnostics for regions whose cluster outcome differs from the node's. */
function reportDifferences(plan: DockerPlan, pc: PolicyControllerPlan, diagnostics: Diagnostic[]): void {
  for (const r of plan.scopes) {
    if (isTagScope(r.scope!)) {
      diagnostics.push(
        k8sDiagnostic(K8S_CODES.tagScopeNeverMatches, "warning", `scope '${r.scope}' names a tag, but policy-controller resolves tags to digests before it validates, so no glob can select it; the enclosing scopes decide there`, r.span),
      );
    }
  }
  for (const r of [...plan.scopes, plan.defaultRegion]) {
    if (r.untranslatable) continue;
    const cmp = compareOutcomes(clusterOutcome(plan, pc, r), r.outcome);
    if (cmp === "equal") continue;
    const what = r.scope === undefined ? "the default" : `scope '${r.scope}'`;
    const others = [
      ...r.ancestors.filter((a) => pc.emitted.has(a)).map((a) => plan.scopes.find((x) => x.scope === a)!),
      ...(pc.defaultEmitted && r.scope !== undefined ? [plan.defaultRegion] : []),
    ];
    const related = relatedRegions(others, (o) => (o.scope === undefined ? "the default's policy applies to every image" : `the policy of '${o.scope}' also applies below it`));
    if (cmp === "stricter") {
      diagnostics.push(
        k8sDiagnostic(
          K8S_CODES.scopeStricter,
          "warning",
          `on the cluster, images under ${what} must also satisfy the policies of enclosing scopes (every matching ClusterImagePolicy applies); the node applies only this scope's requirements`,
          r.span,
          { related, hint: "make the inner scope's requirements include the outer ones, or use the kyverno target, which can exclude inner scopes" },
        ),
      );
    } else {
      diagnostics.push(
        k8sDiagnostic(K8S_CODES.scopeMorePermissive, "error", `on the cluster, ${what} would be decided more permissively than on the node`, r.span, { related }),
      );
    }
  }
}

function trustAuthorities(trust: SigstoreTrust, diagnostics: Diagnostic[]): object[] {
  const ctlog = trust.rekorKeys.length > 0 ? { ctlog: { url: PUBLIC_REKOR_URL } } : {};
  if (trust.rekorKeys.length > 0) {
    diagnostics.push(
      k8sDiagnostic(
        K8S_CODES.rekorKeyNotInline,
        "warning",
        `a ClusterImagePolicy cannot carry a Rekor public key; the emitted policy checks the log entry against ${PUBLIC_REKOR_URL}'s key (policy-controller's trust root), not the key the node trusts`,
        trust.origin,
        { hint: "for a private Rekor, create a TrustRoot resource and set ctlog.trustRootRef" },
      ),
    );
  }
  if (trust.fulcio) {
    const f = trust.fulcio;
    return [
      {
        name: "keyless",
        keyless: { ...(f.caPem ? { "ca-cert": { data: f.caPem } } : {}), identities: [{ issuer: f.issuer, ...subjectOf(f) }] },
        ...ctlog,
      },
    ];
  }
  return trust.publicKeys.map((pem, i) => ({ name: trust.publicKeys.length === 1 ? "key" : `key-${i + 1}`, key: { data: pem }, ...ctlog }));
}

interface Group {
  base: string;
  outcome: Outcome;
  globs: string[];
  scopes: string[];
}

/** Emit policy-controller manifests for a docker plan. */
export function emitPolicyController(plan: DockerPlan, mode: Mode, diagnostics: Diagnostic[]): { files: EmittedFile[]; plan: PolicyControllerPlan } {
  const pc = planPolicyController(plan);
  reportDifferences(plan, pc, diagnostics);
  const groups: Group[] = [];
  const add = (base: string, outcome: Outcome, globs: string[], scope: string) => {
    const key = (o: Outcome) => (o.deny ? "deny" : [...o.checks.keys()].sort().join("\n"));
    const g = groups.find((x) => x.base === base && key(x.outcome) === key(outcome));
    if (g) {
      g.globs.push(...globs);
      g.scopes.push(scope);
    } else groups.push({ base, outcome, globs: [...globs], scopes: [scope] });
  };
  if (pc.defaultEmitted) add(slug(plan.defaultRegion.level ?? "default"), plan.defaultRegion.outcome, ["**"], "(default)");
  for (const r of plan.scopes) {
    if (!pc.emitted.has(r.scope!)) continue;
    add(slug(r.level ?? r.scope!), r.outcome, policyControllerGlobs(r.scope!), r.scope!);
  }
  const files: EmittedFile[] = [];
  const usedNames = new Set<string>();
  const unique = (n: string) => {
    let name = n;
    for (let i = 2; usedNames.has(name); i++) name = `${n}-${i}`;
    usedNames.add(name);
    return name;
  };
  for (const g of groups) {
    const base = unique(`imagetrust-${g.base}`);
    const images = [...new Set(g.globs)].map((glob) => ({ glob }));
    const annotations = { "imagetrust.dev/scopes": g.scopes.join(" ") };
    const docs: object[] = [];
    const cip = (name: string, authorities: object[]) => ({
      apiVersion: CLUSTER_IMAGE_POLICY_API_VERSION,
      kind: "ClusterImagePolicy",
      metadata: { name, annotations },
      spec: { images, authorities, mode },
    });
    if (g.outcome.deny) docs.push(cip(base, [{ name: "reject", static: { action: "fail", message: "rejected by the image trust policy" } }]));
    else if (g.outcome.checks.size === 0) docs.push(cip(base, [{ name: "accept", static: { action: "pass" } }]));
    else {
      const checks = [...g.outcome.checks.values()];
      checks.forEach((trust, i) => docs.push(cip(checks.length === 1 ? base : unique(`${base}-${i + 1}`), trustAuthorities(trust, diagnostics))));
    }
    files.push({ name: `${base}.yaml`, text: documentsText(docs) });
  }
  const configMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "config-policy-controller", namespace: POLICY_CONTROLLER_NAMESPACE },
    // In warn mode an image no policy matches is reported too, not denied.
    data: { "no-match-policy": mode === "warn" && pc.noMatchPolicy === "deny" ? "warn" : pc.noMatchPolicy },
  };
  files.push({ name: "config-policy-controller.yaml", text: documentsText([configMap]) });
  return { files, plan: pc };
}
