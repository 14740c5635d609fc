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
 * ```
 *
 * Parsing checks the structure only; nothing is loaded (run.ts loads the files the parsed form names).
 */
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from "yaml";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { LoadResult } from "../load/result.js";
import type { SourceFile, Span } from "../source/source-file.js";
import { EXPECTATION_CODES } from "./codes.js";
import type { DiagnosticCode } from "../diagnostics/catalogue/index.js";

/** One expectation to check. */
export interface ExpectationCase {
  reference: string;
  verdict: "allow" | "deny";
  scope?: string;
  /** Where it was written. */
  origin?: Span;
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
