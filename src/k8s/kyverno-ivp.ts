/**
 * Kyverno target, CEL form: `ImageValidatingPolicy` (policies.kyverno.io/v1) manifests, one per trust level or
 * scope group, grouped as the ClusterPolicy target groups them.
 *
 * Each policy selects its regions' images with CEL `matchImageReferences` expressions on the raw pod image
 * string (src/k8s/ivp-match.ts: exact for every scope shape, wildcard hosts and `docker.io/library`
 * included), and has one validation per region over every container kind: a region that requires signatures
 * calls `verifyImageSignatures(image, [attestors…]) > 0` once per requirement (AND of requirements; any key
 * of one requirement: Kyverno returns how many of the listed attestors verified), a rejecting region fails
 * for any of its images. A region is "under its scope and under none of the more specific scopes"
 * (containers/image `PolicyContext.requirementsForImageRef`), written as `scope && !descendant…`.
 * Images a region does not select pass its validation without a call, so Kyverno's "an image no
 * matchImageReferences entry selects counts 0 verified attestors" never applies (impl.go
 * verify_image_signature_string_stringarray). Digest mutation and the digest requirement are switched off
 * (`validationConfigurations`): the predicates read the image string as written in the pod, as the node
 * reads the reference it is asked to pull.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { policyGroups, type DockerPlan, type Region } from "./plan.js";
import { scopePredicate } from "./ivp-match.js";
import { subjectOf, type SigstoreTrust } from "./requirements.js";
import { documentsText, type EmittedFile, type Mode } from "./render.js";

/** The API version emitted (the CRD serves v1, v1beta1 (storage) and the deprecated v1alpha1; v1 and v1beta1 have the same schema). */
export const IVP_API_VERSION = "policies.kyverno.io/v1";

/**
 * Every container kind of the pod, as one parenthesised CEL list (member calls bind tighter than `+`); a kind's
 * key may be absent from `images` when the pod has no container of that kind.
 */
export const IVP_IMAGES =
  "(('containers' in images ? images.containers : []) + ('initContainers' in images ? images.initContainers : []) + ('ephemeralContainers' in images ? images.ephemeralContainers : []))";

/** The CEL predicate selecting a region's images (variable `v`). */
export function regionPredicate(region: Region, v: string): string {
  const parts: string[] = [];
  if (region.scope !== undefined) parts.push(`(${scopePredicate(region.scope, v)})`);
  for (const d of region.descendants) parts.push(`!(${scopePredicate(d, v)})`);
  return parts.length === 0 ? "true" : parts.join(" && ");
}

/** The cosign attestors of one requirement: one per key (any suffices), Rekor keys as alternatives too. */
function cosignAttestors(trust: SigstoreTrust): object[] {
  // containers/image does not check SCTs; without a Rekor key the node does not require a log entry either.
  const rekors: object[] =
    trust.rekorKeys.length > 0 ? trust.rekorKeys.map((rekorPubKey) => ({ rekorPubKey, insecureIgnoreSCT: true })) : [{ insecureIgnoreTlog: true, insecureIgnoreSCT: true }];
  const out: object[] = [];
  if (trust.fulcio) {
    const f = trust.fulcio;
    for (const ctlog of rekors) {
      out.push({ keyless: { identities: [{ issuer: f.issuer, ...subjectOf(f) }], ...(f.caPem ? { roots: f.caPem } : {}) }, ctlog });
    }
  } else {
    for (const data of trust.publicKeys) for (const ctlog of rekors) out.push({ key: { data }, ctlog });
  }
  return out;
}

/** Emit Kyverno ImageValidatingPolicy manifests for a docker plan. */
export function emitKyvernoIvp(plan: DockerPlan, mode: Mode, _diagnostics: Diagnostic[]): EmittedFile[] {
  const validationActions = mode === "enforce" ? ["Deny"] : ["Audit", "Warn"];
  const files: EmittedFile[] = [];
  for (const { name, ...g } of policyGroups(plan)) {
    const attestors: Array<{ name: string; cosign: object }> = [];
    const byText = new Map<string, string>();
    const attestorName = (cosign: object): string => {
      const key = JSON.stringify(cosign);
      let n = byText.get(key);
      if (n === undefined) {
        n = `a${attestors.length}`;
        byText.set(key, n);
        attestors.push({ name: n, cosign });
      }
      return n;
    };
    const validations: object[] = [];
    for (const r of g.regions) {
      const where = r.scope ?? "(default)";
      const selected = regionPredicate(r, "image");
      if (r.outcome.deny) {
        validations.push({ expression: `${IVP_IMAGES}.all(image, !(${selected}))`, message: `rejected by the image trust policy (scope ${where})` });
        continue;
      }
      const calls = [...r.outcome.checks.values()].map((trust) => {
        const names = cosignAttestors(trust).map(attestorName);
        return `verifyImageSignatures(image, [${names.map((n) => `attestors.${n}`).join(", ")}]) > 0`;
      });
      validations.push({
        expression: `${IVP_IMAGES}.all(image, !(${selected}) || (${calls.join(" && ")}))`,
        message: `image signature verification failed (scope ${where})`,
      });
    }
    const matchImageReferences = g.regions.map((r) => ({ expression: regionPredicate(r, "ref") }));
    const scopes = g.regions.map((r) => r.scope ?? "(default)").join(" ");
    files.push({
      name: `${name}.yaml`,
      text: documentsText([
        {
          apiVersion: IVP_API_VERSION,
          kind: "ImageValidatingPolicy",
          metadata: { name, annotations: { "imagetrust.dev/scopes": scopes } },
          spec: {
            validationActions,
            failurePolicy: "Fail",
            evaluation: { background: { enabled: false } },
            matchConstraints: {
              resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"] }],
            },
            matchImageReferences,
            // The validated string must be the one written in the pod: a tag rewritten to a digest would leave a
            // tag scope's region. The node does not require digests either.
            validationConfigurations: { mutateDigest: false, verifyDigest: false, required: true },
            attestors,
            validations,
          },
        },
      ]),
    });
  }
  return files;
}
