/** Checks on emitted manifests shared by the Kubernetes target tests: CRD validity and node/cluster verdict tables. */
import type { ValidateFunction } from "ajv";
import { expect } from "vitest";
import { parseAllDocuments } from "yaml";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { TrustModel } from "../../src/ir/types.js";
import { K8S_CODES } from "../../src/k8s/codes.js";
import type { K8sTarget } from "../../src/k8s/compile.js";
import type { EmittedFile } from "../../src/k8s/render.js";
import { crdValidator } from "./crd-schema.js";
import { atLeastAsStrict, ivpVerdict, kyvernoVerdict, nodeRequirements, nodeVerdict, podSpellings, policyControllerVerdict } from "./evaluate.js";
import { readKey } from "./helpers.js";

let validators: { cip: ValidateFunction; kyverno: ValidateFunction; ivp: ValidateFunction } | undefined;
function crds() {
  validators ??= {
    cip: crdValidator("policy.sigstore.dev_clusterimagepolicies.yaml", "v1beta1"),
    kyverno: crdValidator("kyverno.io_clusterpolicies.yaml", "v1"),
    ivp: crdValidator("policies.kyverno.io_imagevalidatingpolicies.yaml", "v1"),
  };
  return validators;
}

/** Every manifest is valid for its CRD (ConfigMaps: the fields core/v1 needs). */
export function expectValidManifests(files: readonly EmittedFile[]): number {
  let n = 0;
  for (const f of files) {
    for (const d of parseAllDocuments(f.text)) {
      const doc = d.toJSON() as Record<string, any>;
      const { cip, kyverno, ivp } = crds();
      n++;
      if (doc.kind === "ClusterImagePolicy") expect(cip(doc) ? [] : cip.errors, f.name).toEqual([]);
      else if (doc.kind === "ClusterPolicy") expect(kyverno(doc) ? [] : kyverno.errors, f.name).toEqual([]);
      else if (doc.kind === "ImageValidatingPolicy") expect(ivp(doc) ? [] : ivp.errors, f.name).toEqual([]);
      else {
        expect(doc).toMatchObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "config-policy-controller" } });
        expect(["allow", "deny", "warn"]).toContain(doc.data["no-match-policy"]);
      }
    }
  }
  return n;
}

/** Codes that say a region's meaning differs on the cluster. */
export const DIFFERENCE_CODES: string[] = [K8S_CODES.scopeStricter, K8S_CODES.scopeMorePermissive, K8S_CODES.tagScopeNeverMatches, K8S_CODES.patternApproximate];

/**
 * For each reference: the cluster's verdict equals the node's where no difference was reported for the
 * deciding scope, and is at least as strict everywhere. Returns [agreeing, stricter] counts.
 */
export function checkReferences(model: TrustModel, target: K8sTarget, files: readonly EmittedFile[], diagnostics: readonly Diagnostic[], references: string[]): [number, number] {
  let same = 0;
  let stricter = 0;
  for (const ref of references) {
    const node = nodeVerdict(model, ref, readKey);
    const decided = nodeRequirements(model, ref).scope;
    const docker = model.policy.transports.find((t) => t.name === "docker")!;
    const entry = docker.scopes.find((s) => s.scope === decided);
    const span = entry ? entry.keyOrigin ?? entry.origin : model.policy.defaultOrigin;
    // A wider pattern (IT7024) moves references of other regions; count every reference as flagged then.
    const flagged =
      diagnostics.some((d) => d.code === K8S_CODES.patternApproximate) ||
      diagnostics.some((d) => DIFFERENCE_CODES.includes(d.code) && d.span && span && d.span.start === span.start);
    const spellings =
      target === "kyverno-ivp"
        ? podSpellings(ref)
        : target === "kyverno"
          ? [ref, ...(ref.startsWith("docker.io/library/") ? [ref.slice("docker.io/library/".length)] : [])]
          : [ref];
    for (const spelled of spellings) {
      const cluster =
        target === "kyverno-ivp" ? ivpVerdict(files, spelled) : target === "kyverno" ? kyvernoVerdict(files, spelled) : policyControllerVerdict(files, spelled);
      expect(atLeastAsStrict(cluster, node), `${target} ${spelled}: cluster ${JSON.stringify(cluster)} vs node ${JSON.stringify(node)}`).toBe(true);
      if (!flagged) {
        expect(cluster, `${target} ${spelled} (scope ${JSON.stringify(decided)})`).toEqual(node);
        same++;
      } else if (JSON.stringify(cluster) !== JSON.stringify(node)) stricter++;
      else same++;
    }
  }
  return [same, stricter];
}

