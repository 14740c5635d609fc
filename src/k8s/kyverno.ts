/**
 * Kyverno target: `ClusterPolicy` (kyverno.io/v1) manifests, one per trust level or scope group.
 *
 * Kyverno applies every matching rule, but each `verifyImages` entry has `skipImageReferences`, so a scope's
 * rule can leave out the more specific scopes and reproduce "the most specific scope wins" exactly
 * (containers/image `PolicyContext.requirementsForImageRef`). Signature requirements become
 * `verifyImages` attestor sets (all sets must pass: AND of requirements; one entry of a set suffices,
 * `count: 1`: any of a requirement's keys). Rejections become `validate.foreach` deny rules over the pod's
 * normalised image strings (`image_normalize`, the same strings verifyImages matches; wildcard hosts by
 * `regex_match`); images no rule selects are admitted, which is what an accepting scope means.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { K8S_CODES, k8sDiagnostic } from "./codes.js";
import { policyGroups, type DockerPlan, type Region } from "./plan.js";
import { kyvernoApproximation, kyvernoPatterns, scopeShape } from "./patterns.js";
import { andOutcomes, compareOutcomes, subjectOf, type SigstoreTrust } from "./requirements.js";
import { documentsText, type EmittedFile, type Mode } from "./render.js";

/** The API version emitted. */
export const CLUSTER_POLICY_API_VERSION = "kyverno.io/v1";

/** The JMESPath list of a pod's containers of every kind. */
export const POD_CONTAINERS = "request.object.spec.[ephemeralContainers, initContainers, containers][]";

/** The image of a foreach element as verifyImages sees it (`image_normalize` is GetImageInfo(image).String()). */
export const IMAGE_KEY = "{{ image_normalize(element.image) }}";

const POD_MATCH = { any: [{ resources: { kinds: ["Pod"] } }] };

/** The attestor entries of one requirement: any key (and any Rekor key) suffices. */
export function attestorEntries(trust: SigstoreTrust): object[] {
  const rekors: object[] = trust.rekorKeys.length > 0 ? trust.rekorKeys.map((pubkey) => ({ pubkey })) : [{ ignoreTlog: true }];
  // containers/image does not check certificate transparency (SCTs); neither may the cluster.
  const ctlog = { ignoreSCT: true };
  const out: object[] = [];
  if (trust.fulcio) {
    const f = trust.fulcio;
    for (const rekor of rekors) out.push({ keyless: { issuer: f.issuer, ...subjectOf(f), ...(f.caPem ? { roots: f.caPem } : {}), rekor, ctlog } });
  } else {
    for (const publicKeys of trust.publicKeys) for (const rekor of rekors) out.push({ keys: { publicKeys, rekor, ctlog } });
  }
  return out;
}

function imagesOf(region: Region): { include: string[]; skip: string[] } {
  const include = region.scope === undefined ? ["*"] : kyvernoPatterns(region.scope);
  const skip = [...new Set(region.descendants.flatMap((s) => kyvernoPatterns(s)))];
  return { include, skip };
}

/** A JMESPath key that is true when the normalised image's host is under wildcard host scope `*.suffix`. */
export function wildcardHostKey(suffix: string): string {
  const re = "^[^/]+\\." + suffix.replace(/[.]/g, "\\.") + "(:[0-9]+)?/";
  return `{{ regex_match('${re}', image_normalize(element.image)) }}`;
}

/**
 * Deny conditions (all must hold) selecting exactly a region's images: the scope's patterns, minus its
 * descendants'. Wildcard hosts are tested by regular expression on the host, which patterns cannot do.
 */
function denyConditions(region: Region): object[] {
  const all: object[] = [];
  const wildcard = (scope: string) => (scopeShape(scope).kind === "wildcardHost" ? scope.slice(2) : undefined);
  if (region.scope !== undefined) {
    const w = wildcard(region.scope);
    if (w !== undefined) all.push({ key: wildcardHostKey(w), operator: "Equals", value: true });
    else all.push({ key: IMAGE_KEY, operator: "AnyIn", value: kyvernoPatterns(region.scope) });
  }
  const skip = [...new Set(region.descendants.filter((d) => wildcard(d) === undefined).flatMap((d) => kyvernoPatterns(d)))];
  if (skip.length > 0) all.push({ key: IMAGE_KEY, operator: "AnyNotIn", value: skip });
  for (const d of region.descendants) {
    const w = wildcard(d);
    if (w !== undefined) all.push({ key: wildcardHostKey(w), operator: "Equals", value: false });
  }
  if (all.length === 0) all.push({ key: IMAGE_KEY, operator: "NotEquals", value: "" });
  return all;
}

/** The region Kyverno's rules give a reference that a scope's patterns miss: the nearest enclosing one. */
function enclosing(plan: DockerPlan, region: Region): Region {
  const a = region.ancestors[0];
  return a === undefined ? plan.defaultRegion : plan.scopes.find((r) => r.scope === a)!;
}

/** Approximate patterns: an error when the references they move would be decided more permissively. */
function reportApproximations(plan: DockerPlan, diagnostics: Diagnostic[]): void {
  for (const r of plan.scopes) {
    const approx = kyvernoApproximation(r.scope!);
    if (!approx) continue;
    // narrower: some of this region's references fall to the enclosing region's rule.
    // wider: a reference of another region X whose path happens to match gets this region's rule too — instead
    // of X's when X encloses this scope (X's rule skips it), in addition to X's otherwise.
    // Deny rules test wildcard hosts exactly (regex), so only verifyImages patterns are wider: a reference of
    // another region X whose path matches gets this region's signature checks too, and loses X's checks when
    // X encloses this scope (X's verifyImages skips it).
    const moved =
      approx.kind === "wider"
        ? [plan.defaultRegion, ...plan.scopes]
            .filter((x) => x !== r)
            .map((x) => {
              if (x.outcome.deny) return "equal" as const;
              const mine = r.outcome.deny ? [] : [r.outcome];
              const skipped = x === plan.defaultRegion || x.descendants.includes(r.scope!);
              return compareOutcomes(andOutcomes(skipped ? mine : [x.outcome, ...mine]), x.outcome);
            })
        : [compareOutcomes(enclosing(plan, r).outcome, r.outcome)];
    if (moved.every((c) => c === "equal")) continue;
    const permissive = moved.includes("permissive");
    diagnostics.push(
      k8sDiagnostic(K8S_CODES.patternApproximate, permissive ? "error" : "warning", `scope '${r.scope}': ${approx.why}${permissive ? "; those references would be admitted more easily than on the node" : ""}`, r.span),
    );
  }
}

/** Emit Kyverno ClusterPolicy manifests for a docker plan. */
export function emitKyverno(plan: DockerPlan, mode: Mode, diagnostics: Diagnostic[]): EmittedFile[] {
  const failureAction = mode === "enforce" ? "Enforce" : "Audit";
  reportApproximations(plan, diagnostics);
  const files: EmittedFile[] = [];
  for (const { name, ...g } of policyGroups(plan)) {
    const rules: object[] = [];
    const denied = g.regions.filter((r) => r.outcome.deny);
    const signed = g.regions.filter((r) => !r.outcome.deny);
    if (signed.length > 0) {
      rules.push({
        name: "verify-signatures",
        match: POD_MATCH,
        verifyImages: signed.map((r) => {
          const { include, skip } = imagesOf(r);
          const attestors = [...(r.outcome.deny ? new Map() : r.outcome.checks).values()].map((trust) => {
            const entries = attestorEntries(trust);
            return entries.length > 1 ? { count: 1, entries } : { entries };
          });
          return { imageReferences: include, ...(skip.length > 0 ? { skipImageReferences: skip } : {}), failureAction, attestors };
        }),
      });
    }
    if (denied.length > 0) {
      rules.push({
        name: "reject-images",
        match: POD_MATCH,
        validate: {
          failureAction,
          message: "rejected by the image trust policy",
          foreach: denied.map((r) => ({ list: POD_CONTAINERS, deny: { conditions: { all: denyConditions(r) } } })),
        },
      });
    }
    const scopes = g.regions.map((r) => r.scope ?? "(default)").join(" ");
    files.push({
      name: `${name}.yaml`,
      text: documentsText([
        {
          apiVersion: CLUSTER_POLICY_API_VERSION,
          kind: "ClusterPolicy",
          metadata: { name, annotations: { "imagetrust.dev/scopes": scopes } },
          spec: { background: false, webhookTimeoutSeconds: 30, rules },
        },
      ]),
    });
  }
  return files;
}
