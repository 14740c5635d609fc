/**
 * `imagetrust test FILE...`: run expectations against the policy they are written for and count passed / failed.
 *
 * Two kinds of files: a `.trust` source (its inline `expect allow|deny "ref" [by "scope"] [with signatures "DIR"
 * [manifest "FILE"]] [because CODE|"text"]` lines, lowered to `TrustModel.expectations`) and a YAML case file for a
 * plain policy.json (yaml-cases.ts). Files are read through the caller's Host. An expectation with signature
 * evidence is decided on it (evidence.ts: signatures are verified, so that path is async); `because` holds when the
 * denial carries the code, or its reasons contain the text (src/simulate/denial-codes.ts). An expected scope matches when it equals the deciding scope string (`""` = a transport
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
import { hostIncludeReader } from "../check/check-includes.js";
import { loadPolicyJson } from "../load/policy-json.js";
import { loadRegistriesDDir } from "../load/registries-d/index.js";
import { loadRegistriesConf } from "../load/registries-conf/index.js";
import { createSimulator, type SimulationOptions, type SimulationResult } from "../simulate/simulate.js";
import { ioErrorDiagnostic, statKind } from "../input/files.js";
import { EXPECTATION_CODES } from "./codes.js";
import { parseExpectationsYaml, type ExpectationCase } from "./yaml-cases.js";
import { readBounded } from "../host/read-limits.js";
import { denialFacts } from "../simulate/denial-codes.js";
import type { SimulationWithEvidence } from "../simulate/evidence-source.js";
import { decideOnEvidence, type EvidenceRunOptions, type ExpectationEvidenceSource } from "./evidence.js";

export { EXPECTATION_CODES } from "./codes.js";
export { parseExpectationsYaml, type ExpectationCase, type ExpectationsFile } from "./yaml-cases.js";

/** The outcome of one expectation. */
export interface ExpectationResult {
  expectation: ExpectationCase;
  passed: boolean;
  /** What did not match, in words (empty when passed). */
  problems: string[];
  actual: SimulationResult | SimulationWithEvidence;
  /** The codes the decision carries (rejected signatures, evidence findings): given for expectations with evidence or `because`. */
  codes?: string[];
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

/** Inputs of {@link runExpectations}: the policy (and what else the simulator takes) and the expectations. */
export type ExpectationsInput = Omit<SimulationOptions, "policy"> & { policy: Policy; expectations: readonly ExpectationCase[] };

/** What did not hold of one expectation, given the decision (empty when it held). */
function judge(e: ExpectationCase, actual: SimulationResult | SimulationWithEvidence, codes: string[], texts: string[]): string[] {
  const problems: string[] = [];
  if (actual.error !== null) problems.push(`the reference could not be used: ${actual.error}`);
  if (actual.verdict !== e.verdict) problems.push(`expected ${e.verdict}, got ${actual.verdict}`);
  if (e.scope !== undefined && !scopeMatches(e.scope, actual.scope)) {
    const got = actual.scope === null ? "the global default" : `scope ${JSON.stringify(actual.scope.scope)} of ${actual.scope.transport}`;
    problems.push(`expected scope ${JSON.stringify(e.scope)} to decide, but ${got} decided`);
  }
  const because = e.because;
  if (because && actual.verdict === "deny") {
    const carries = codes.length ? `it carries ${codes.join(", ")}` : "it carries no code";
    if ("code" in because) {
      if (!codes.includes(because.code)) problems.push(`expected the denial to carry ${because.code}, but ${carries}`);
    } else if (!texts.some((t) => t.includes(because.text)))
      problems.push(`expected the denial's reasons to contain ${JSON.stringify(because.text)}, but they do not (${carries})`);
  }
  return problems;
}

/**
 * One result (and its IT5610 diagnostic when it failed). `failure` fails it without judging the decision (evidence
 * that cannot be read: the decision shown is the one without it).
 */
function record(run: ExpectationRun, e: ExpectationCase, actual: SimulationResult | SimulationWithEvidence, file: string, failure?: string): void {
  const { codes, texts } = denialFacts(actual);
  const problems = failure !== undefined ? [failure] : judge(e, actual, codes, texts);
  const passed = problems.length === 0;
  const r: ExpectationResult = { expectation: e, passed, problems, actual };
  if (e.evidence || e.because) r.codes = codes;
  run.results.push(r);
  if (passed) run.passed++;
  else {
    run.failed++;
    run.diagnostics.push({
      code: EXPECTATION_CODES.failed,
      severity: "error",
      message: `expectation failed for ${e.reference}: ${problems.join("; ")}`,
      ...(e.origin ? { span: e.origin } : { file }),
      hint: actual.reasons.join(" "),
    });
  }
}

/**
 * Check expectations against a policy (the core, no files), synchronously: for callers without signature evidence.
 * An expectation that names evidence fails here with a problem saying so; {@link runExpectationsWithEvidence}
 * decides it.
 */
export function runExpectations(input: ExpectationsInput, file = "<expectations>"): ExpectationRun {
  const sim = createSimulator(input);
  const run: ExpectationRun = { file, passed: 0, failed: 0, results: [], diagnostics: [] };
  for (const e of input.expectations) {
    const failure = e.evidence ? "decided on signature evidence, which only runExpectationsWithEvidence (imagetrust test) reads" : undefined;
    record(run, e, sim.simulate(e.reference), file, failure);
  }
  return run;
}

/**
 * Check expectations against a policy, deciding those that name signature evidence on it (the signatures directory
 * and manifest are read through `host`; `evidenceSource` verifies the signatures, e.g. src/verify/evidence.ts
 * `expectationEvidence`). Without evidence an expectation is decided as by {@link runExpectations}.
 */
export async function runExpectationsWithEvidence(input: ExpectationsInput & EvidenceRunOptions, file = "<expectations>"): Promise<ExpectationRun> {
  const sim = createSimulator(input);
  const run: ExpectationRun = { file, passed: 0, failed: 0, results: [], diagnostics: [] };
  for (const e of input.expectations) {
    if (!e.evidence) {
      record(run, e, sim.simulate(e.reference), file);
      continue;
    }
    const d = await decideOnEvidence(sim, { ...e, evidence: e.evidence }, input, file);
    if ("unreadable" in d) {
      // The evidence is missing: said at the expect line (IT2264), and the expectation fails.
      run.diagnostics.push(d.unreadable);
      record(run, e, sim.simulate(e.reference), file, d.unreadable.message);
    } else record(run, e, d.actual, file);
  }
  return run;
}

/** Loaders used by `testExpectationFiles` (the defaults are the project's loaders; tests may replace them). */
export interface ExpectationLoaders {
  loadPolicy: (source: SourceFile, options: { target?: Version }) => LoadResult<Policy>;
  compileTrust: (source: SourceFile, options: { target?: Version; profile?: string }) => LoadResult<TrustModel>;
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
  /**
   * Verifies the signatures of expectations with evidence (src/verify/evidence.ts `expectationEvidence`, which reads
   * key files through the same keys host); without it such an expectation fails saying so.
   */
  evidenceSource?: ExpectationEvidenceSource;
}

/**
 * The project's loaders, reading through `host`: policy.json, .trust, registries.d and registries.conf. The key
 * files a .trust source names are read through `keys` (`false`: not looked at).
 */
export function defaultExpectationLoaders(host: Host, extra: Partial<ExpectationLoaders> = {}, keys: Host | false = host): ExpectationLoaders {
  const readFile = (file: string) => readTextFile(host, file);
  return {
    loadPolicy: (source, o) => loadPolicyJson(source, o),
    compileTrust: (source, o) => compileTrustSource(source, { readInclude: hostIncludeReader(host), ...(keys === false ? {} : { host: keys }), ...o }),
    loadRegistriesD: (dir, o) => loadRegistriesDDir(dir, { ...o, host }),
    // Only the named file: no drop-in directories, so a test file means the same on every machine.
    loadRegistriesConf: (file) => loadRegistriesConf({ host, confPath: file, confDirs: [], explicit: true }),
    readFile,
    ...extra,
  };
}

/** An expectation's evidence paths resolved against `dir` (the directory of the file it is written in) and the host's cwd. */
function resolveEvidence(c: ExpectationCase, host: Host, dir: string): ExpectationCase {
  if (!c.evidence) return c;
  const at = (p: string) => resolve(host.cwd(), dir, p);
  const evidence = c.evidence.manifest !== undefined ? { signatures: at(c.evidence.signatures), manifest: at(c.evidence.manifest) } : { signatures: at(c.evidence.signatures) };
  return { ...c, evidence };
}

/** The runner's case for a lowered expectation; evidence paths are relative to the file it is written in (an include's own). */
function fromExpectation(e: Expectation, host: Host, file: string): ExpectationCase {
  const c: ExpectationCase = { reference: e.reference, verdict: e.verdict };
  if (e.scope !== undefined) c.scope = e.scope;
  if (e.origin) c.origin = e.origin;
  if (e.evidence) c.evidence = { ...e.evidence };
  if (e.because) c.because = { ...e.because };
  return resolveEvidence(c, host, dirname(e.origin?.file ?? file));
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
export async function testExpectationFile(file: string, options: TestFilesOptions): Promise<ExpectationRun> {
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
    const runOne = async (m: TrustModel) =>
      withLocations(
        await runExpectationsWithEvidence(
          {
            policy: m.policy,
            registriesD: m.registriesD,
            env: options.env,
            host: options.host,
            ...evidenceOptions(options),
            parse: judgedBy(options, m.target),
            expectations: m.expectations.map((e) => fromExpectation(e, options.host, file)),
          },
          file,
        ),
        source,
        L.readFile,
      );
    const run = await runOne(model.value);
    const diagnostics = [...model.diagnostics.filter((d) => d.severity !== "error"), ...run.diagnostics];
    // A source with profiles: the base, then every profile (its own expectations and the top-level ones).
    for (const profile of model.value.profiles ?? []) {
      const pm = L.compileTrust(source, { target: options.target, profile });
      if (!pm.value) {
        diagnostics.push(...pm.diagnostics.filter((d) => d.severity === "error"));
        run.failed++;
        continue;
      }
      const pr = await runOne(pm.value);
      const tag = (s: string) => `profile ${profile}: ${s}`;
      for (const r of pr.results) run.results.push(r.passed ? r : { ...r, problems: r.problems.map(tag) });
      run.passed += pr.passed;
      run.failed += pr.failed;
      diagnostics.push(...pr.diagnostics.map((d) => ({ ...d, message: tag(d.message) })));
    }
    return { ...run, diagnostics };
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
  const run = await runExpectationsWithEvidence(
    {
      policy: policy.value,
      registriesD,
      registriesConf,
      env: options.env,
      host: options.host,
      ...evidenceOptions(options),
      parse: judgedBy(options),
      expectations: parsed.value.cases.map((c) => resolveEvidence(c, options.host, dir)),
    },
    file,
  );
  return withLocations(run, source);
}

/** The run with each result's `file:line:column` (the expectations written in `source`). */
function withLocations(run: ExpectationRun, source: SourceFile, read?: (file: string) => string): ExpectationRun {
  // An included file's expectations point into it (read again for its line starts, once per file).
  const others = new Map<string, SourceFile | undefined>();
  const sourceOf = (file: string): SourceFile | undefined => {
    if (file === source.path) return source;
    if (!read) return undefined;
    if (!others.has(file)) {
      try {
        others.set(file, new SourceFile(file, read(file)));
      } catch {
        others.set(file, undefined);
      }
    }
    return others.get(file);
  };
  const results = run.results.map((r) => {
    const o = r.expectation.origin;
    const src = o ? sourceOf(o.file) : undefined;
    if (!o || !src) return r;
    const p = src.position(o.start);
    return { ...r, location: { file: o.file, line: p.line, column: p.column } };
  });
  return { ...run, results };
}

/** Run several expectations files, one after the other. */
export async function testExpectationFiles(files: readonly string[], options: TestFilesOptions): Promise<ExpectationRun[]> {
  const runs: ExpectationRun[] = [];
  for (const f of files) runs.push(await testExpectationFile(f, options));
  return runs;
}

/** The signature verifier of expectations with evidence, when the caller gave one. */
function evidenceOptions(options: TestFilesOptions): Pick<EvidenceRunOptions, "evidenceSource"> {
  return options.evidenceSource ? { evidenceSource: options.evidenceSource } : {};
}

// As node:fs's readFileSync(file, "utf8"): invalid bytes become U+FFFD, a byte order mark is kept.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** A text file through the host (what `ExpectationLoaders.readFile` does by default); throws the host's error. */
export function readTextFile(host: Host, file: string): string {
  return utf8.decode(readBounded(host, file, "source"));
}
