/**
 * `imagetrust compile`: a .trust source → policy.json and registries.d/*.yaml in an output directory.
 *
 * Nothing is written when there is any error (TypeScript's noEmitOnError): language errors, target-version
 * errors, content the runtime would reject, or a failed self-check (the emitted files are loaded back with our
 * own loaders, which mirror containers/image; the JSON Schema check is left to the tests). Writing is atomic
 * (util/atomic-write.ts): temps first, then renames with policy.json last, then stale generated registries.d
 * files (those starting with the generated-file marker that this compile no longer produces) are removed.
 * Hand-written files in registries.d/ are never overwritten or removed.
 * `check: true` writes nothing and lists how the output directory differs from what would be written.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { compileTrustSource, type CompileTrustOptions } from "../check/compile-source.js";
import { EMIT_CODES as C, emitDiagnostic } from "../emit/codes.js";
import { GENERATED_MARKER, type RegistriesDLayout } from "../emit/registries-d.js";
import type { SchemaChecks } from "../emit/self-check.js";
import { emitTrustModel, POLICY_JSON_PATH, REGISTRIES_D_DIR, type OutputFile } from "../emit/trust-model.js";
import { errorCode, type Host } from "../host/host.js";
import { basename, join } from "../host/path.js";
import { hostKeyFiles } from "../check/key-files.js";
import type { TrustModel } from "../ir/types.js";
import { hasFeature, parseVersion, type Version } from "../ir/versions.js";
import { loadPolicyJson } from "../load/policy-json.js";
import { loadRegistriesDFile } from "../load/registries-d/index.js";
import { parse as parseYaml } from "yaml";
import { SourceFile } from "../source/source-file.js";
import { TreeRenameError, writeTreeAtomic } from "../util/atomic-write.js";
import { acquireOutputLock, specialOutputDiagnostic, type OutputLock } from "./output-dir.js";
import { readBounded } from "../host/read-limits.js";

export { emitTrustModel, type EmitTrustModelOptions, type EmitTrustModelResult, type OutputFile } from "../emit/trust-model.js";

/** Options of compileToFiles. */
export interface CompileToFilesOptions {
  /** The output directory (policy.json and registries.d/ go inside). */
  outDir: string;
  /** Target version; overrides the source's own `target`. Undefined: the source's, else the newest. */
  target?: Version;
  /** Compare with the output directory instead of writing. */
  check?: boolean;
  /** The machine: `host.files` reads the output directory (and the key files), `host.writes` writes it atomically. */
  host: Host;
  /** registries.d layout (default per-host). */
  layout?: RegistriesDLayout;
  /** Key-file access etc. for the language checker (default: the key files at their paths, through `host`). */
  compile?: Omit<CompileTrustOptions, "target">;
}

/** What compileToFiles did. */
export interface CompileToFilesResult {
  diagnostics: Diagnostic[];
  /** Absolute paths written (empty on errors and in check mode). */
  written: string[];
  /** Absolute paths of stale generated files removed. */
  removed?: string[];
  /** Check mode: one line per difference (empty when the directory is up to date). */
  differences?: string[];
}

/**
 * The checker's key-file access: the caller's functions, else the key files through `compile.host` (a
 * `keysHost` for `--keys`), else through `host` at their own paths.
 */
export function keyAccess(host: Host, compile: Omit<CompileTrustOptions, "target"> = {}): Omit<CompileTrustOptions, "target"> {
  return compile.fileExists || compile.readFile ? compile : { ...hostKeyFiles(compile.host ?? host), ...compile };
}

const errMsg = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The target to emit for: the option, else the model's own `target`. */
function resolveTarget(model: TrustModel, explicit: Version | undefined, file: string): { target?: Version; diagnostics: Diagnostic[] } {
  if (explicit) return { target: explicit, diagnostics: [] };
  if (model.target === undefined) return { diagnostics: [] };
  const v = parseVersion(model.target);
  if (!v) return { diagnostics: [emitDiagnostic(C.invalidTarget, `target "${model.target}" is not a version like 5.23`, undefined, { file })] };
  return { target: v, diagnostics: [] };
}

/** Options of selfCheckOutput. */
export interface SelfCheckOptions {
  /**
   * Also check against schemas/*.schema.json with these validators (the tests pass ajv's). compileToFiles does
   * not: the re-load with our loaders (which mirror containers/image) already proves the files are accepted, and
   * the emitter checks its own output (emit/policy-validity.ts); ajv would cost ~150–250 ms of a 10,000-scope
   * compile (import, schema compilation, validation) and the core does not load it (src/emit/self-check.ts).
   */
  schemas?: SchemaChecks;
}

/**
 * Load the emitted files back with our own loaders and (with `schemas`) check them against the schemas: any
 * problem is an emitter bug, reported as IT3204 so that nothing is written.
 */
export function selfCheckOutput(files: OutputFile[], target: Version | undefined, options: SelfCheckOptions = {}): Diagnostic[] {
  const schemas = options.schemas;
  const out: Diagnostic[] = [];
  const fail = (path: string, what: string) =>
    out.push(emitDiagnostic(C.selfCheckFailed, `internal error: the generated ${path} ${what}; nothing was written`, undefined, { file: path }));
  for (const f of files) {
    try {
      if (f.path === POLICY_JSON_PATH) {
        const loaded = loadPolicyJson(new SourceFile(f.path, f.text), { target });
        const bad = loaded.diagnostics.filter((d) => d.severity === "error");
        if (bad.length > 0) fail(f.path, `would be rejected: ${bad[0].upstreamMessage ?? bad[0].message}`);
        // The schema describes the newest format; 5.23.1's sigstoreSigned rules differ slightly (keyPath: "").
        const schema = !schemas || (target && !hasFeature(target, "fulcio")) ? [] : schemas.policy(JSON.parse(f.text));
        if (schema.length > 0) fail(f.path, `does not match schemas/policy.schema.json: ${schema[0]}`);
      } else {
        const loaded = loadRegistriesDFile(new SourceFile(f.path, f.text), { target });
        const bad = loaded.diagnostics.filter((d) => d.severity === "error");
        if (bad.length > 0) fail(f.path, `would be rejected: ${bad[0].message}`);
        const schema = schemas ? schemas.registriesD(parseYaml(f.text) ?? null) : [];
        if (schema.length > 0) fail(f.path, `does not match schemas/registries-d.schema.json: ${schema[0]}`);
      }
    } catch (e) {
      // A crash of a loader is its bug, not evidence against the file (the emitter's own checks passed).
      out.push(emitDiagnostic(C.selfCheckFailed, `internal error: could not self-check the generated ${f.path}: ${errMsg(e)}`, undefined, { file: f.path, severity: "warning" }));
    }
  }
  return out;
}

// As node:fs's readFile(path, "utf8"): a byte order mark is kept (it makes the file differ from our output).
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

function readIfExists(host: Host, path: string): string | undefined {
  try {
    return utf8.decode(readBounded(host, path, "source"));
  } catch (e) {
    if (errorCode(e) === "ENOENT") return undefined;
    throw e;
  }
}

/** The .yaml files currently in outDir/registries.d, split into generated (ours) and hand-written. */
function existingRegistriesD(host: Host, outDir: string): Map<string, { text: string; generated: boolean }> {
  const dir = join(outDir, REGISTRIES_D_DIR);
  let names: string[];
  try {
    names = host.files.readDir(dir);
  } catch (e) {
    if (errorCode(e) === "ENOENT" || errorCode(e) === "ENOTDIR") return new Map();
    throw e;
  }
  const out = new Map<string, { text: string; generated: boolean }>();
  for (const n of names.filter((x) => x.endsWith(".yaml")).sort()) {
    const text = readIfExists(host, join(dir, n));
    if (text !== undefined) out.set(n, { text, generated: text.startsWith(GENERATED_MARKER) });
  }
  return out;
}

/**
 * Scopes (or default-docker) that a hand-written file staying in registries.d also defines: containers/image
 * would refuse the whole directory (`"docker" namespace … defined both in …`, docker/registries_d.go).
 */
function handWrittenConflicts(
  model: TrustModel,
  existing: Map<string, { text: string; generated: boolean }>,
  newNames: Set<string>,
  outDir: string,
  target: Version | undefined,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ours = new Map(model.registriesD.docker.map((e) => [e.scope, e.keyOrigin ?? e.storage.origin]));
  for (const [name, e] of existing) {
    if (e.generated || newNames.has(name)) continue;
    const path = join(outDir, REGISTRIES_D_DIR, name);
    const loaded = loadRegistriesDFile(new SourceFile(path, e.text), { target });
    if (!loaded.value) continue;
    const clash = (what: string, span: Diagnostic["span"], theirs: Diagnostic["span"]) =>
      out.push(emitDiagnostic(C.registriesDConflict, `${what} is also defined in the hand-written ${REGISTRIES_D_DIR}/${name}; containers/image would refuse the directory`, span, {
        file: path,
        related: theirs ? [{ message: "also defined here", span: theirs }] : undefined,
        hint: "remove it from one of the two places",
      }));
    if (loaded.value.defaultDocker && model.registriesD.defaultDocker) {
      clash("default-docker", model.registriesD.defaultDocker.keyOrigin ?? model.registriesD.defaultDocker.storage.origin, loaded.value.defaultDocker.keyOrigin);
    }
    for (const d of loaded.value.docker) {
      if (ours.has(d.scope)) clash(`docker scope "${d.scope}"`, ours.get(d.scope), d.keyOrigin);
    }
  }
  return out;
}

function firstDifferentLine(a: string, b: string): number {
  const la = a.split("\n");
  const lb = b.split("\n");
  let i = 0;
  while (i < la.length && i < lb.length && la[i] === lb[i]) i++;
  return i + 1;
}

/**
 * Compile `source` and write policy.json and registries.d/*.yaml into `options.outDir` (or, with `check`,
 * list how the directory differs). Never throws for I/O problems: they become diagnostics (IT3200, IT3201).
 */
export async function compileToFiles(source: SourceFile, options: CompileToFilesOptions): Promise<CompileToFilesResult> {
  const host = options.host;
  const compiled = compileTrustSource(source, { ...keyAccess(host, options.compile), target: options.target });
  const diagnostics = [...compiled.diagnostics];
  if (!compiled.value || hasErrors(diagnostics)) return { diagnostics, written: [] };

  const t = resolveTarget(compiled.value, options.target, source.path);
  diagnostics.push(...t.diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics, written: [] };

  const emitted = emitTrustModel(compiled.value, { target: t.target, layout: options.layout, source: ` from ${basename(source.path)}` });
  diagnostics.push(...emitted.diagnostics);
  if (!emitted.files || hasErrors(diagnostics)) return { diagnostics, written: [] };
  diagnostics.push(...selfCheckOutput(emitted.files, t.target));
  if (hasErrors(diagnostics)) return { diagnostics, written: [] };

  if (options.check) return await writeOutput(host, compiled.value, emitted.files, t.target, options, diagnostics);
  // Writing: not on a kernel pseudo file system (mkdir under /proc never returns), and under the directory's lock
  // from reading the old files to the last rename (src/compile/output-dir.ts).
  const special = specialOutputDiagnostic(host, options.outDir);
  if (special) return { diagnostics: [...diagnostics, special], written: [] };
  let lock: OutputLock;
  try {
    await host.writes.mkdir(options.outDir, { recursive: true });
    const l = await acquireOutputLock(host, options.outDir);
    if ("diagnostic" in l) return { diagnostics: [...diagnostics, l.diagnostic], written: [] };
    lock = l.lock;
  } catch (e) {
    diagnostics.push(emitDiagnostic(C.writeFailed, `writing to ${options.outDir} failed (${errMsg(e)}); the previous files are unchanged`, undefined, { file: options.outDir }));
    return { diagnostics, written: [] };
  }
  try {
    return await writeOutput(host, compiled.value, emitted.files, t.target, options, diagnostics);
  } finally {
    await lock.release();
  }
}

/** Read the output directory's current files, refuse what would clash with hand-written ones, then compare (check) or write. */
async function writeOutput(
  host: Host,
  model: TrustModel,
  files: OutputFile[],
  target: Version | undefined,
  options: CompileToFilesOptions,
  diagnostics: Diagnostic[],
): Promise<CompileToFilesResult> {
  const emitted = { files };
  const t = { target };
  let existing: Map<string, { text: string; generated: boolean }>;
  let oldPolicy: string | undefined;
  try {
    existing = existingRegistriesD(host, options.outDir);
    oldPolicy = readIfExists(host, join(options.outDir, POLICY_JSON_PATH));
  } catch (e) {
    diagnostics.push(emitDiagnostic(C.checkReadFailed, `cannot read the output directory ${options.outDir}: ${errMsg(e)}`, undefined, { file: options.outDir }));
    return { diagnostics, written: [] };
  }

  const newNames = new Set(emitted.files.filter((f) => f.path !== POLICY_JSON_PATH).map((f) => f.path.slice(REGISTRIES_D_DIR.length + 1)));
  for (const name of newNames) {
    const old = existing.get(name);
    if (old && !old.generated) {
      diagnostics.push(emitDiagnostic(C.wouldOverwriteHandWritten, `${REGISTRIES_D_DIR}/${name} exists and was not generated by imagetrust; refusing to overwrite it`, undefined, {
        file: join(options.outDir, REGISTRIES_D_DIR, name),
        hint: "move the hand-written file away, or use the single-file layout",
      }));
    }
  }
  diagnostics.push(...handWrittenConflicts(model, existing, newNames, options.outDir, t.target));
  if (hasErrors(diagnostics)) return { diagnostics, written: [] };
  const stale = [...existing.entries()].filter(([n, e]) => e.generated && !newNames.has(n)).map(([n]) => `${REGISTRIES_D_DIR}/${n}`);

  if (options.check) {
    const differences: string[] = [];
    for (const f of emitted.files) {
      const old = f.path === POLICY_JSON_PATH ? oldPolicy : existing.get(f.path.slice(REGISTRIES_D_DIR.length + 1))?.text;
      if (old === undefined) differences.push(`${f.path} is missing`);
      else if (old !== f.text) differences.push(`${f.path} differs from the compiled output (first at line ${firstDifferentLine(old, f.text)})`);
    }
    for (const s of stale) differences.push(`${s} is no longer generated and would be removed`);
    return { diagnostics, written: [], differences };
  }

  try {
    const r = await writeTreeAtomic(options.outDir, emitted.files, { host, remove: stale });
    for (const n of r.notRemoved) {
      diagnostics.push(emitDiagnostic(C.writeFailed, `the new files were written, but the stale ${n.path} could not be removed: ${errMsg(n.error)}`, undefined, { file: n.path, severity: "warning" }));
    }
    return { diagnostics, written: r.written, removed: r.removed };
  } catch (e) {
    const renamed = e instanceof TreeRenameError ? e.renamed : [];
    const cause = e instanceof TreeRenameError ? e.cause : e;
    const what = renamed.length === 0 ? "the previous files are unchanged" : `already replaced: ${renamed.join(", ")}; ${POLICY_JSON_PATH} is unchanged`;
    diagnostics.push(emitDiagnostic(C.writeFailed, `writing to ${options.outDir} failed (${errMsg(cause)}); ${what}`, undefined, { file: options.outDir }));
    return { diagnostics, written: renamed };
  }
}
