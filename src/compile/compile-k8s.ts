/**
 * `imagetrust compile FILE.trust --target-k8s policy-controller|kyverno|kyverno-ivp --out DIR`: the cluster side of a trust
 * description. The .trust source is checked and lowered as for policy.json, then translated by src/k8s/; nothing is
 * written when either step reports an error, and the manifests are written atomically (util/atomic-write.ts).
 * `check: true` writes nothing and lists how DIR differs from what would be written.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { compileTrustSource, type CompileTrustOptions } from "../check/compile-source.js";
import type { Host } from "../host/host.js";
import { join } from "../host/path.js";
import { compileToKubernetes, type K8sTarget } from "../k8s/compile.js";
import { keyAccess } from "./compile-files.js";
import type { Version } from "../ir/versions.js";
import type { SourceFile } from "../source/source-file.js";
import { writeTreeAtomic } from "../util/atomic-write.js";
import { readBounded } from "../host/read-limits.js";
import { acquireOutputLock, specialOutputDiagnostic, type OutputLock } from "./output-dir.js";

/** Options of compileToKubernetesFiles. */
export interface CompileK8sOptions {
  outDir: string;
  k8sTarget: K8sTarget;
  /** "warn" writes audit/warn-mode manifests (policy-controller warn, Kyverno Audit). */
  mode?: "enforce" | "warn";
  target?: Version;
  check?: boolean;
  /** The machine: `host.files` reads the key files and (with `check`) DIR, `host.writes` writes the manifests. */
  host: Host;
  /** Key-file access for the checker and the translation (default: the key files at their paths, through `host`). */
  compile?: Omit<CompileTrustOptions, "target">;
}

// As node:fs's readFile(path, "utf8"): a byte order mark is kept.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** What compileToKubernetesFiles did. */
export interface CompileK8sResult {
  diagnostics: Diagnostic[];
  written: string[];
  /** Never set: manifests no longer produced are left in place (they may be hand-written). Same shape as compileToFiles. */
  removed?: string[];
  differences?: string[];
}

/** Compile a .trust source into Kubernetes admission manifests in `outDir`. */
export async function compileToKubernetesFiles(source: SourceFile, options: CompileK8sOptions): Promise<CompileK8sResult> {
  const keys = keyAccess(options.host, options.compile);
  const front = compileTrustSource(source, { ...keys, target: options.target, admission: true });
  if (!front.value || hasErrors(front.diagnostics)) return { diagnostics: front.diagnostics, written: [] };
  const k8s = compileToKubernetes(front.value, { target: options.k8sTarget, mode: options.mode, readFile: keys.readFile });
  const diagnostics = [...front.diagnostics, ...k8s.diagnostics];
  if (!k8s.files || hasErrors(diagnostics)) return { diagnostics, written: [] };
  if (options.check) {
    const differences: string[] = [];
    for (const f of k8s.files) {
      let current: string | undefined;
      try {
        current = utf8.decode(readBounded(options.host, join(options.outDir, f.name), "source"));
      } catch {
        current = undefined;
      }
      if (current === undefined) differences.push(`${f.name} is missing`);
      else if (current !== f.text) differences.push(`${f.name} differs`);
    }
    return { diagnostics, written: [], differences };
  }
  const special = specialOutputDiagnostic(options.host, options.outDir);
  if (special) return { diagnostics: [...diagnostics, special], written: [] };
  let lock: OutputLock | undefined;
  try {
    await options.host.writes.mkdir(options.outDir, { recursive: true });
    const l = await acquireOutputLock(options.host, options.outDir);
    if ("diagnostic" in l) return { diagnostics: [...diagnostics, l.diagnostic], written: [] };
    lock = l.lock;
    const r = await writeTreeAtomic(options.outDir, k8s.files.map((f) => ({ path: f.name, text: f.text })), { host: options.host });
    return { diagnostics, written: r.written };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return {
      diagnostics: [...diagnostics, { code: "IT7900", severity: "error", message: `cannot write the manifests: ${message}`, file: options.outDir }],
      written: [],
    };
  } finally {
    await lock?.release();
  }
}
