/**
 * The YAML form of expectations, for a plain policy.json (a `.trust` source writes them inline instead):
 *
 * ```yaml
 * policy: ./policy.json            # relative to this file
 * registries-d: ./registries.d     # optional
 * registries-conf: ./registries.conf   # optional (short names, mirrors; drop-in directories are not read)
 * cases:
 *   - ref: docker://quay.io/acme/app:1
 *     expect: allow                # or deny
 *     scope: quay.io/acme          # optional: the scope expected to decide
 *     signatures: ./evidence/app   # optional: decide on these signature-N files (relative to this file)
 *     manifest: ./evidence/app/manifest.json   # optional (default: the signatures directory's manifest.json)
 *   - { ref: "docker://quay.io/acme/app:2", expect: deny, signatures: ./evidence/other-key, because: IT5803 }
 * ```
 *
 * `because:` (deny only) is a diagnostic code the denial must carry (IT5803, IT5801, …) or text its reasons must
 * contain.
 *
 * Parsing checks the structure only; nothing is loaded (run.ts loads the files the parsed form names).
 */
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from "yaml";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { LoadResult } from "../load/result.js";
import type { SourceFile, Span } from "../source/source-file.js";
import { EXPECTATION_CODES } from "./codes.js";
import type { DiagnosticCode } from "../diagnostics/catalogue/index.js";
import { becauseCodeProblem } from "../simulate/denial-codes.js";
import { MODULE_CODES } from "../check/module-codes.js";

/** One expectation to check. */
export interface ExpectationCase {
  reference: string;
  verdict: "allow" | "deny";
  scope?: string;
  /** Where it was written. */
  origin?: Span;
  /**
   * Decide the pull on this signature evidence: a directory of `signature-N` files and optionally a manifest. In a
   * parsed file the paths are as written (relative to it); `testExpectationFile` resolves them before running.
   */
  evidence?: { signatures: string; manifest?: string };
  /** What the denial must carry: a diagnostic code, or text that must occur in its reasons. */
  because?: { code: string } | { text: string };
}

/** The keys of a case. */
const CASE_KEYS = ["ref", "expect", "scope", "signatures", "manifest", "because"];

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
  const bad = (message: string, node?: YamlNode | null, code: DiagnosticCode = EXPECTATION_CODES.badStructure) => {
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
      const signatures = c.get("signatures", true) as YamlNode | undefined;
      const manifest = c.get("manifest", true) as YamlNode | undefined;
      const because = c.get("because", true) as YamlNode | undefined;
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
      const path = (n: YamlNode | undefined, key: string): string | undefined => {
        if (n === undefined) return undefined;
        if (isScalar(n) && typeof n.value === "string" && n.value !== "") return n.value;
        bad(`\`${key}\` must be a non-empty string (a path relative to this file)`, n, EXPECTATION_CODES.badCase);
        ok = false;
        return undefined;
      };
      const sigDir = path(signatures, "signatures");
      const manifestFile = path(manifest, "manifest");
      if (manifest !== undefined && signatures === undefined) {
        bad("`manifest` is the manifest the `signatures` are checked against: give `signatures` too", manifest, EXPECTATION_CODES.badCase);
        ok = false;
      }
      let becauseValue: ExpectationCase["because"];
      if (because !== undefined) {
        const v = isScalar(because) ? because.value : undefined;
        if (typeof v !== "string" || v === "") {
          bad("`because` must be a diagnostic code (IT5803, IT5801, …) or text the denial's reasons contain", because, EXPECTATION_CODES.badCase);
          ok = false;
        } else if (isScalar(exp) && exp.value === "allow") {
          bad("Only a denial has a reason: `because` belongs to `expect: deny`.", because, MODULE_CODES.becauseOnAllow);
          ok = false;
        } else if (/^IT\d{4}$/.test(v)) {
          const problem = becauseCodeProblem(v);
          if (problem) {
            const span = spanOf(source, because);
            diagnostics.push({
              code: problem.kind === "unknown" ? MODULE_CODES.becauseUnknownCode : MODULE_CODES.becauseNotADenialCode,
              severity: "error",
              message: problem.message,
              ...(span ? { span } : { file: source.path }),
              ...(problem.hint ? { hint: problem.hint } : {}),
            });
            ok = false;
          } else becauseValue = { code: v };
        } else becauseValue = { text: v };
      }
      for (const item of c.items) {
        const k = isScalar(item.key) ? String(item.key.value) : "";
        if (!CASE_KEYS.includes(k)) bad(`unknown key ${JSON.stringify(k)} in a case (expected ${CASE_KEYS.join(", ")})`, item.key as YamlNode, EXPECTATION_CODES.badCase);
      }
      if (!ok) continue;
      const ec: ExpectationCase = { reference: String((ref as { value: string }).value), verdict: (exp as { value: "allow" | "deny" }).value };
      if (scope !== undefined) ec.scope = String((scope as { value: string }).value);
      if (sigDir !== undefined) ec.evidence = manifestFile !== undefined ? { signatures: sigDir, manifest: manifestFile } : { signatures: sigDir };
      if (becauseValue) ec.because = becauseValue;
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
