/**
 * `imagetrust test FILE...`: run expectations against the policy they are written for and count passed / failed.
 *
 * Two kinds of files: a `.trust` source (its inline `expect allow|deny "ref" [by "scope"]` lines, lowered to
 * `TrustModel.expectations`) and a YAML case file for a plain policy.json (yaml-cases.ts). Files are read through
 * the caller's Host. An expected scope matches when it equals the deciding scope string (`""` = a transport
 * default); `default` (or `<global default>`) also matches a decision by the global default.
 * The text report is render-text.ts; the exit code is the CLI's (src/cli/exit-codes.ts).
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Host } from "../host/host.js";
import { dirname, join, resolve } from "../host/path.js";
import type { Expectation, Policy, RegistriesDConfig, TrustModel } from "../ir/types.js";
import { effectiveTarget, type Version } from "../ir/versions.js";
import type { LoadResult } from "../load/result.js";
import { SourceFile } from "../source/source-file.js";
import { compileTrustSource } from "../check/compile-source.js";
import { loadPolicyJson } from "../load/policy-json.js";
import { loadRegistriesDDir } from "../load/registries-d/index.js";
import { loadRegistriesConf } from "../load/registries-conf/index.js";
import { createSimulator, type SimulationOptions, type SimulationResult } from "../simulate/simulate.js";
import { ioErrorDiagnostic, statKind } from "../input/files.js";
import { EXPECTATION_CODES } from "./codes.js";
import { parseExpectationsYaml, type ExpectationCase } from "./yaml-cases.js";
import { readBounded } from "../host/read-limits.js";

export { EXPECTATION_CODES } from "./codes.js";
export { parseExpectationsYaml, type ExpectationCase, type ExpectationsFile } from "./yaml-cases.js";

/** The outcome of one expectation. */
export interface ExpectationResult {
  expectation: ExpectationCase;
  passed: boolean;
  /** What did not match, in words (empty when passed). */
  problems: string[];
  actual: SimulationResult;
  /** Where the expectation is written (1-based line and column), when it was read from a file. */
  location?: { file: string; line: number; column: number };
}

/** The run of one file. */
export interface ExpectationRun {
  file: string;
  passed: number;
  failed: number;
  results: ExpectationResult[];
  /** Problems with the file itself (unreadable, invalid policy, malformed cases) and one per failed expectation. */
  diagnostics: Diagnostic[];
  /** True when the file could not be judged at all (a directory): the CLI exits 2, as for any unusable input. */
  fatal?: boolean;
}

/** Whether an expected scope string names the actual deciding scope. */
export function scopeMatches(expected: string, actual: SimulationResult["scope"]): boolean {
  if (actual === null) return expected === "default" || expected === "<global default>";
  return actual.scope === expected;
}

/** Check expectations against a policy (the core, no files). */
export function runExpectations(
  input: Omit<SimulationOptions, "policy"> & { policy: Policy; expectations: readonly ExpectationCase[] },
  file = "<expectations>",
): ExpectationRun {
  const sim = createSimulator(input);
  const results: ExpectationResult[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const e of input.expectations) {
    const actual = sim.simulate(e.reference);
    const problems: string[] = [];
    if (actual.error !== null) problems.push(`the reference could not be used: ${actual.error}`);
    if (actual.verdict !== e.verdict) problems.push(`expected ${e.verdict}, got ${actual.verdict}`);
    if (e.scope !== undefined && !scopeMatches(e.scope, actual.scope)) {
      const got = actual.scope === null ? "the global default" : `scope ${JSON.stringify(actual.scope.scope)} of ${actual.scope.transport}`;
      problems.push(`expected scope ${JSON.stringify(e.scope)} to decide, but ${got} decided`);
    }
    const passed = problems.length === 0;
    results.push({ expectation: e, passed, problems, actual });
    if (!passed)
      diagnostics.push({
        code: EXPECTATION_CODES.failed,
        severity: "error",
        message: `expectation failed for ${e.reference}: ${problems.join("; ")}`,
        ...(e.origin ? { span: e.origin } : { file }),
        hint: actual.reasons.join(" "),
      });
  }
  const passedCount = results.filter((r) => r.passed).length;
  return { file, passed: passedCount, failed: results.length - passedCount, results, diagnostics };
}

/** Loaders used by `testExpectationFiles` (the defaults are the project's loaders; tests may replace them). */
export interface ExpectationLoaders {
  loadPolicy: (source: SourceFile, options: { target?: Version }) => LoadResult<Policy>;
  compileTrust: (source: SourceFile, options: { target?: Version }) => LoadResult<TrustModel>;
  loadRegistriesD: (dir: string, options: { target?: Version }) => { value?: RegistriesDConfig; diagnostics: Diagnostic[] };
  loadRegistriesConf?: (file: string) => { value?: SimulationOptions["registriesConf"]; diagnostics: Diagnostic[] };
  readFile: (file: string) => string;
}

/** Options of `testExpectationFiles`. */
export interface TestFilesOptions {
  /** The machine the files (and the key files a .trust source names) are read from. */
  host: Host;
  target?: Version;
  env?: SimulationOptions["env"];
  parse?: SimulationOptions["parse"];
  /** Default: `defaultExpectationLoaders(host, {}, keys)`. */
  loaders?: ExpectationLoaders;
  /** Where a .trust source's key files are read (src/input/key-files.ts `keysHost`); `false`: not looked at. Default: `host`. */
  keys?: Host | false;
}

/**
 * The project's loaders, reading through `host`: policy.json, .trust, registries.d and registries.conf. The key
 * files a .trust source names are read through `keys` (`false`: not looked at).
 */
export function defaultExpectationLoaders(host: Host, extra: Partial<ExpectationLoaders> = {}, keys: Host | false = host): ExpectationLoaders {
  const readFile = (file: string) => readTextFile(host, file);
  return {
    loadPolicy: (source, o) => loadPolicyJson(source, o),
    compileTrust: (source, o) => compileTrustSource(source, { ...(keys === false ? {} : { host: keys }), ...o }),
    loadRegistriesD: (dir, o) => loadRegistriesDDir(dir, { ...o, host }),
    // Only the named file: no drop-in directories, so a test file means the same on every machine.
    loadRegistriesConf: (file) => loadRegistriesConf({ host, confPath: file, confDirs: [], explicit: true }),
    readFile,
    ...extra,
  };
}

function fromExpectation(e: Expectation): ExpectationCase {
  const c: ExpectationCase = { reference: e.reference, verdict: e.verdict };
  if (e.scope !== undefined) c.scope = e.scope;
  if (e.origin) c.origin = e.origin;
  return c;
}

/**
 * Reference parsing judged by `--target`, else by the version a .trust source declares (`target "5.23"`, as compile's
 * `resolveTarget`), so messages have that version's format.
 */
function judgedBy(options: TestFilesOptions, declared?: string): SimulationOptions["parse"] {
  const target = effectiveTarget(options.parse?.target ?? options.target, declared);
  return target === undefined ? options.parse : { ...options.parse, target };
}

/** Run one expectations file (`.trust`, or YAML `.yaml`/`.yml`). */
export function testExpectationFile(file: string, options: TestFilesOptions): ExpectationRun {
  const L = options.loaders ?? defaultExpectationLoaders(options.host, {}, options.keys ?? options.host);
  const fail = (d: Diagnostic[]): ExpectationRun => ({ file, passed: 0, failed: 0, results: [], diagnostics: d });
  // A directory is IT9003 and fatal, as every other command reports it (src/input/files.ts readTextFile).
  if (statKind(options.host, file) === "directory") return { ...fail([ioErrorDiagnostic(file, { code: "EISDIR" })]), fatal: true };
  let text: string;
  try {
    text = L.readFile(file);
  } catch (e) {
    return fail([{ code: EXPECTATION_CODES.unreadable, severity: "error", message: `cannot read ${file}: ${(e as Error).message}`, file }]);
  }
  const source = new SourceFile(file, text);
  if (file.endsWith(".trust")) {
    const model = L.compileTrust(source, { target: options.target });
    if (!model.value) return fail(model.diagnostics);
    const run = runExpectations(
      { policy: model.value.policy, registriesD: model.value.registriesD, env: options.env, host: options.host, parse: judgedBy(options, model.value.target), expectations: model.value.expectations.map(fromExpectation) },
      file,
    );
    return { ...withLocations(run, source), diagnostics: [...model.diagnostics.filter((d) => d.severity !== "error"), ...run.diagnostics] };
  }
  if (!/\.ya?ml$/.test(file))
    return fail([{ code: EXPECTATION_CODES.unknownKind, severity: "error", message: `${file}: expectations come from a .trust file or a .yaml file`, file }]);
  const parsed = parseExpectationsYaml(source);
  if (!parsed.value) return fail(parsed.diagnostics);
  const dir = dirname(file);
  const cwd = options.host.cwd();
  // `policy:` naming a configuration directory (a compiled output, /etc/containers) means its policy.json and, unless
  // `registries-d:` says otherwise, its registries.d/ (as `simulate --policy DIR`).
  const policyArg = resolve(cwd, dir, parsed.value.policy);
  const policyIsDir = statKind(options.host, policyArg) === "directory";
  const policyPath = policyIsDir ? join(policyArg, "policy.json") : policyArg;
  const registriesDPath =
    parsed.value.registriesD !== undefined
      ? resolve(cwd, dir, parsed.value.registriesD)
      : policyIsDir && statKind(options.host, join(policyArg, "registries.d")) === "directory"
        ? join(policyArg, "registries.d")
        : undefined;
  let policyText: string;
  try {
    policyText = L.readFile(policyPath);
  } catch (e) {
    return fail([{ code: EXPECTATION_CODES.unreadable, severity: "error", message: `cannot read the policy ${policyPath}: ${(e as Error).message}`, file }]);
  }
  const policy = L.loadPolicy(new SourceFile(policyPath, policyText), { target: options.target });
  if (!policy.value)
    return fail([
      { code: EXPECTATION_CODES.policyUnloadable, severity: "error", message: `the policy ${policyPath} would be rejected by the runtime`, file },
      ...policy.diagnostics,
    ]);
  let registriesD: RegistriesDConfig | undefined;
  if (registriesDPath !== undefined) {
    const r = L.loadRegistriesD(registriesDPath, { target: options.target });
    if (!r.value) return fail(r.diagnostics);
    registriesD = r.value;
  }
  let registriesConf: SimulationOptions["registriesConf"];
  if (parsed.value.registriesConf !== undefined) {
    if (!L.loadRegistriesConf)
      return fail([{ code: EXPECTATION_CODES.badStructure, severity: "error", message: "registries-conf is not supported here (no registries.conf loader)", file }]);
    const r = L.loadRegistriesConf(resolve(cwd, dir, parsed.value.registriesConf));
    if (!r.value) return fail(r.diagnostics);
    registriesConf = r.value;
  }
  const run = runExpectations(
    { policy: policy.value, registriesD, registriesConf, env: options.env, host: options.host, parse: judgedBy(options), expectations: parsed.value.cases },
    file,
  );
  return withLocations(run, source);
}

/** The run with each result's `file:line:column` (the expectations written in `source`). */
function withLocations(run: ExpectationRun, source: SourceFile): ExpectationRun {
  const results = run.results.map((r) => {
    const o = r.expectation.origin;
    if (!o || o.file !== source.path) return r;
    const p = source.position(o.start);
    return { ...r, location: { file: o.file, line: p.line, column: p.column } };
  });
  return { ...run, results };
}

/** Run several expectations files. */
export function testExpectationFiles(files: readonly string[], options: TestFilesOptions): ExpectationRun[] {
  return files.map((f) => testExpectationFile(f, options));
}

// As node:fs's readFileSync(file, "utf8"): invalid bytes become U+FFFD, a byte order mark is kept.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** A text file through the host (what `ExpectationLoaders.readFile` does by default); throws the host's error. */
export function readTextFile(host: Host, file: string): string {
  return utf8.decode(readBounded(host, file, "source"));
}
