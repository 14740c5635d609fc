/**
 * Compile a trust description to Kubernetes admission policies: sigstore policy-controller
 * (`ClusterImagePolicy`), Kyverno (`ClusterPolicy` verifyImages / validate rules) or Kyverno's CEL-based
 * `ImageValidatingPolicy` (`kyverno-ivp`).
 *
 * Only the docker transport reaches admission. Every construct that cannot be translated, or whose meaning
 * changes on the cluster, gets an IT7xxx diagnostic at its origin span; files are returned only when there is
 * no error (a cluster policy is never more permissive than the node policy without an error).
 */
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { TrustModel } from "../ir/types.js";
import { K8S_CODES, k8sDiagnostic } from "./codes.js";
import { emitKyverno } from "./kyverno.js";
import { emitKyvernoIvp } from "./kyverno-ivp.js";
import { planDocker } from "./plan.js";
import { emitPolicyController } from "./policy-controller.js";
import type { EmittedFile, Mode } from "./render.js";
import { hostKeyFileReader, KeyMaterial, type KeyFileReader } from "./requirements.js";
import type { Host } from "../host/host.js";

/** The admission controllers imagetrust compiles for. */
export const K8S_TARGETS = ["policy-controller", "kyverno", "kyverno-ivp"] as const;
/** An admission controller target. */
export type K8sTarget = (typeof K8S_TARGETS)[number];

/** Options of `compileToKubernetes`. */
export interface CompileToKubernetesOptions {
  target: K8sTarget;
  /** enforce (default) or warn (policy-controller `warn`, Kyverno `Audit`, ImageValidatingPolicy `[Audit, Warn]`). */
  mode?: Mode;
  /** Reads key files named by keyPath / caPath / rekorPublicKeyPath (overrides `host`). */
  readFile?: KeyFileReader;
  /** The machine the key files are read on; without it (and without `readFile`) no key file can be read. */
  host?: Host;
}

/** The manifests (absent when there are errors) and every diagnostic. */
export interface CompileToKubernetesResult {
  files?: EmittedFile[];
  diagnostics: Diagnostic[];
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const k = `${d.code}\0${d.span?.file}\0${d.span?.start}\0${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Compile a trust model to admission manifests for `options.target`. */
export function compileToKubernetes(model: TrustModel, options: CompileToKubernetesOptions): CompileToKubernetesResult {
  const diagnostics: Diagnostic[] = [];
  const mode = options.mode ?? "enforce";
  const keys = new KeyMaterial(options.readFile ?? (options.host ? hostKeyFileReader(options.host) : () => undefined));
  const plan = planDocker(model, keys, diagnostics);
  let files: EmittedFile[];
  if (options.target === "policy-controller") files = emitPolicyController(plan, mode, diagnostics).files;
  else if (options.target === "kyverno-ivp") files = emitKyvernoIvp(plan, mode, diagnostics);
  else files = emitKyverno(plan, mode, diagnostics);
  if (mode === "warn") {
    diagnostics.push(
      k8sDiagnostic(K8S_CODES.warnModeOnly, "info", `mode 'warn': the cluster reports violations but admits the pods; the nodes still enforce policy.json`, model.policy.origin),
    );
  }
  const all = dedupe(diagnostics).sort((a, b) => (a.span?.start ?? -1) - (b.span?.start ?? -1));
  return hasErrors(all) ? { diagnostics: all } : { files, diagnostics: all };
}
