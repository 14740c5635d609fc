/**
 * `imagetrust test FILE...`: run expectations and report passed / failed counts, and for failures the
 * expected vs actual decision with the explanation.
 *
 * Two kinds of files: a `.trust` source (its inline `expect allow|deny "ref" [by "scope"]` lines, lowered to
 * `TrustModel.expectations`) and a YAML file for a plain policy.json:
 *
 * ```yaml
 * policy: ./policy.json            # relative to this file
 * registries-d: ./registries.d     # optional
 * registries-conf: ./registries.conf   # optional (short names, mirrors; drop-in directories are not read)
 * cases:
 *   - ref: docker://quay.io/acme/app:1
 *     expect: allow                # or deny
 *     scope: quay.io/acme          # optional: the scope expected to decide
 * ```
 *
 * An expected scope matches when it equals the deciding scope string (`""` = a transport default); `default`
 * (or `<global default>`) also matches a decision by the global default.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from "yaml";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Expectation, Policy, RegistriesDConfig, TrustModel } from "../ir/types.js";
import type { Version } from "../ir/versions.js";
import type { LoadResult } from "../load/result.js";
import { SourceFile, type Span } from "../source/source-file.js";
import { compileTrustSource } from "../check/compile-source.js";
import { loadPolicyJson } from "../load/policy-json.js";
import { loadRegistriesDDir } from "../load/registries-d.js";
import { loadRegistriesConf } from "../load/registries-conf.js";
import { createSimulator, type SimulationOptions, type SimulationResult } from "../simulate/simulate.js";
import { renderSimulationExplanation } from "../simulate/render-text.js";

/** Diagnostic codes of expectation files (simulator band IT5xxx; IT56xx = `imagetrust test`). */
export const EXPECTATION_CODES = {
  yamlSyntax: "IT5601",
  badStructure: "IT5602",
  badCase: "IT5603",
  policyUnloadable: "IT5604",
  unreadable: "IT5605",
  unknownKind: "IT5606",
  failed: "IT5610",
} as const;

/** One expectation to check. */
export interface ExpectationCase {
  reference: string;
  verdict: "allow" | "deny";
  scope?: string;
  /** Where it was written. */
  origin?: Span;
}

/** The outcome of one expectation. */
export interface ExpectationResult {
  expectation: ExpectationCase;
  passed: boolean;
  /** What did not match, in words (empty when passed). */
  problems: string[];
  actual: SimulationResult;
}

/** The run of one file. */
export interface ExpectationRun {
  file: string;
  passed: number;
  failed: number;
  results: ExpectationResult[];
  /** Problems with the file itself (unreadable, invalid policy, malformed cases) and one per failed expectation. */
  diagnostics: Diagnostic[];
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

/** An expectations YAML file, parsed. Paths are as written (relative to the file). */
export interface ExpectationsFile {
  policy: string;
  registriesD?: string;
  registriesConf?: string;
  cases: ExpectationCase[];
}

function spanOf(source: SourceFile, node: YamlNode | null | undefined): Span | undefined {
  const r = node?.range;
  return r ? { file: source.path, start: r[0], end: r[1] } : undefined;
}

/** Parse an expectations YAML file (structure only; nothing is loaded). */
export function parseExpectationsYaml(source: SourceFile): LoadResult<ExpectationsFile> {
  const diagnostics: Diagnostic[] = [];
  const doc = parseDocument(source.text, { keepSourceTokens: false });
  for (const e of doc.errors)
    diagnostics.push({ code: EXPECTATION_CODES.yamlSyntax, severity: "error", message: e.message, span: { file: source.path, start: e.pos[0], end: e.pos[1] } });
  if (diagnostics.length) return { diagnostics };
  const root = doc.contents;
  const bad = (message: string, node?: YamlNode | null, code: string = EXPECTATION_CODES.badStructure) => {
    const span = spanOf(source, node);
    diagnostics.push({ code, severity: "error", message, ...(span ? { span } : { file: source.path }) });
  };
  if (!isMap(root)) {
    bad("an expectations file is a YAML mapping with `policy` and `cases`", root);
    return { diagnostics };
  }
  const str = (key: string): string | undefined => {
    const n = root.get(key, true) as YamlNode | undefined;
    if (n === undefined) return undefined;
    if (isScalar(n) && typeof n.value === "string" && n.value !== "") return n.value;
    bad(`\`${key}\` must be a non-empty string (a path relative to this file)`, n);
    return undefined;
  };
  for (const item of root.items) {
    const k = isScalar(item.key) ? String(item.key.value) : "";
    if (!["policy", "registries-d", "registries-conf", "cases"].includes(k))
      bad(`unknown key ${JSON.stringify(k)} (expected policy, registries-d, registries-conf, cases)`, item.key as YamlNode);
  }
  const policy = str("policy");
  if (policy === undefined && !root.has("policy")) bad("missing `policy`: the policy.json file these cases run against", root);
  const registriesD = str("registries-d");
  const registriesConf = str("registries-conf");
  const casesNode = root.get("cases", true) as YamlNode | undefined;
  const cases: ExpectationCase[] = [];
  if (!isSeq(casesNode)) bad("`cases` must be a list of {ref, expect, scope?}", casesNode ?? root);
  else
    for (const c of casesNode.items as YamlNode[]) {
      if (!isMap(c)) {
        bad("a case is a mapping {ref, expect, scope?}", c, EXPECTATION_CODES.badCase);
        continue;
      }
      const ref = c.get("ref", true) as YamlNode | undefined;
      const exp = c.get("expect", true) as YamlNode | undefined;
      const scope = c.get("scope", true) as YamlNode | undefined;
      let ok = true;
      if (!isScalar(ref) || typeof ref.value !== "string" || ref.value === "") {
        bad("`ref` must be an image reference string, e.g. docker://quay.io/acme/app:1", ref ?? c, EXPECTATION_CODES.badCase);
        ok = false;
      }
      if (!isScalar(exp) || (exp.value !== "allow" && exp.value !== "deny")) {
        bad("`expect` must be allow or deny", exp ?? c, EXPECTATION_CODES.badCase);
        ok = false;
      }
      if (scope !== undefined && !(isScalar(scope) && typeof scope.value === "string")) {
        bad("`scope` must be a string (\"\" for a transport default, default for the global default)", scope, EXPECTATION_CODES.badCase);
        ok = false;
      }
      for (const item of c.items) {
        const k = isScalar(item.key) ? String(item.key.value) : "";
        if (!["ref", "expect", "scope"].includes(k)) bad(`unknown key ${JSON.stringify(k)} in a case (expected ref, expect, scope)`, item.key as YamlNode, EXPECTATION_CODES.badCase);
      }
      if (!ok) continue;
      const ec: ExpectationCase = { reference: String((ref as { value: string }).value), verdict: (exp as { value: "allow" | "deny" }).value };
      if (scope !== undefined) ec.scope = String((scope as { value: string }).value);
      const span = spanOf(source, c);
      if (span) ec.origin = span;
      cases.push(ec);
    }
  if (diagnostics.length || policy === undefined) return { diagnostics };
  const value: ExpectationsFile = { policy, cases };
  if (registriesD !== undefined) value.registriesD = registriesD;
  if (registriesConf !== undefined) value.registriesConf = registriesConf;
  return { value, diagnostics };
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
  target?: Version;
  env?: SimulationOptions["env"];
  parse?: SimulationOptions["parse"];
  /** Default: `defaultExpectationLoaders()`. */
  loaders?: ExpectationLoaders;
}

/** The project's loaders: policy.json, .trust, registries.d (registries.conf when its loader is passed in). */
export function defaultExpectationLoaders(extra: Partial<ExpectationLoaders> = {}): ExpectationLoaders {
  return {
    loadPolicy: (source, o) => loadPolicyJson(source, o),
    compileTrust: (source, o) => compileTrustSource(source, o),
    loadRegistriesD: (dir, o) => loadRegistriesDDir(dir, o),
    // Only the named file: no drop-in directories, so a test file means the same on every machine.
    loadRegistriesConf: (file) => loadRegistriesConf({ confPath: file, confDirs: [], explicit: true }),
    readFile: readTextFile,
    ...extra,
  };
}

function fromExpectation(e: Expectation): ExpectationCase {
  const c: ExpectationCase = { reference: e.reference, verdict: e.verdict };
  if (e.scope !== undefined) c.scope = e.scope;
  if (e.origin) c.origin = e.origin;
  return c;
}

/** Run one expectations file (`.trust`, or YAML `.yaml`/`.yml`). */
export function testExpectationFile(file: string, options: TestFilesOptions = {}): ExpectationRun {
  const L = options.loaders ?? defaultExpectationLoaders();
  const fail = (d: Diagnostic[]): ExpectationRun => ({ file, passed: 0, failed: 0, results: [], diagnostics: d });
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
      { policy: model.value.policy, registriesD: model.value.registriesD, env: options.env, parse: options.parse, expectations: model.value.expectations.map(fromExpectation) },
      file,
    );
    return { ...run, diagnostics: [...model.diagnostics.filter((d) => d.severity !== "error"), ...run.diagnostics] };
  }
  if (!/\.ya?ml$/.test(file))
    return fail([{ code: EXPECTATION_CODES.unknownKind, severity: "error", message: `${file}: expectations come from a .trust file or a .yaml file`, file }]);
  const parsed = parseExpectationsYaml(source);
  if (!parsed.value) return fail(parsed.diagnostics);
  const dir = path.dirname(file);
  const policyPath = path.resolve(dir, parsed.value.policy);
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
  if (parsed.value.registriesD !== undefined) {
    const r = L.loadRegistriesD(path.resolve(dir, parsed.value.registriesD), { target: options.target });
    if (!r.value) return fail(r.diagnostics);
    registriesD = r.value;
  }
  let registriesConf: SimulationOptions["registriesConf"];
  if (parsed.value.registriesConf !== undefined) {
    if (!L.loadRegistriesConf)
      return fail([{ code: EXPECTATION_CODES.badStructure, severity: "error", message: "registries-conf is not supported here (no registries.conf loader)", file }]);
    const r = L.loadRegistriesConf(path.resolve(dir, parsed.value.registriesConf));
    if (!r.value) return fail(r.diagnostics);
    registriesConf = r.value;
  }
  return runExpectations(
    { policy: policy.value, registriesD, registriesConf, env: options.env, parse: options.parse, expectations: parsed.value.cases },
    file,
  );
}

/** Run several expectations files. */
export function testExpectationFiles(files: readonly string[], options: TestFilesOptions = {}): ExpectationRun[] {
  return files.map((f) => testExpectationFile(f, options));
}

/** The exit code of `imagetrust test`: 0 when every expectation passed and every file loaded, else 1. */
export function expectationsExitCode(runs: readonly ExpectationRun[]): 0 | 1 {
  return runs.every((r) => r.failed === 0 && !r.diagnostics.some((d) => d.severity === "error")) ? 0 : 1;
}

/** A text report: per file the counts, and for each failure expected vs actual with the explanation. */
export function renderExpectationsText(runs: readonly ExpectationRun[], options: { sourceOf?: (file: string) => SourceFile | undefined } = {}): string {
  const out: string[] = [];
  let passed = 0;
  let failed = 0;
  for (const run of runs) {
    passed += run.passed;
    failed += run.failed;
    out.push(`${run.file}: ${run.passed} passed, ${run.failed} failed`);
    for (const d of run.diagnostics) if (d.code !== EXPECTATION_CODES.failed) out.push(`  ${d.severity} ${d.code}: ${d.message}`);
    for (const r of run.results) {
      if (r.passed) continue;
      let where = "";
      const src = r.expectation.origin ? options.sourceOf?.(r.expectation.origin.file) : undefined;
      if (src && r.expectation.origin) {
        const p = src.position(r.expectation.origin.start);
        where = `${r.expectation.origin.file}:${p.line}:${p.column}: `;
      }
      out.push(`  FAIL ${where}expect ${r.expectation.verdict} ${r.expectation.reference}${r.expectation.scope !== undefined ? ` by ${JSON.stringify(r.expectation.scope)}` : ""}`);
      for (const p of r.problems) out.push(`    ${p}`);
      out.push(
        renderSimulationExplanation(r.actual)
          .trimEnd()
          .split("\n")
          .map((l) => "    " + l)
          .join("\n"),
      );
    }
  }
  out.push(`${passed} passed, ${failed} failed`);
  return out.join("\n") + "\n";
}

/** Default file reading for `ExpectationLoaders.readFile`. */
export function readTextFile(file: string): string {
  return fs.readFileSync(file, "utf8");
}
