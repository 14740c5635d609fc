/** Shared helpers of the lint tests: lint a policy.json or .trust text and show each finding as code + covered text. */
import { loadPolicyJson } from "../../src/load/policy-json.js";
import { compileTrustSource } from "../../src/check/compile-source.js";
import { runLint, type LintInput } from "../../src/lint/run.js";
import type { Rule } from "../../src/lint/rule.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { SourceFile } from "../../src/source/source-file.js";

/** A finding as `CODE@covered text` (the text its span covers in its own file). */
export function show(d: Diagnostic, sources: Map<string, SourceFile>): string {
  if (!d.span) return `${d.code}@<file ${d.file}>`;
  const s = sources.get(d.span.file);
  return `${d.code}@${s ? s.text.slice(d.span.start, d.span.end) : `${d.span.start}-${d.span.end}`}`;
}

/** Lint policy.json text with some rules; returns findings and their rendering. */
export function lintJson(text: string, rules: readonly Rule[], extra: Partial<LintInput> = {}, file = "/p/policy.json") {
  const source = new SourceFile(file, text);
  const loaded = loadPolicyJson(source);
  if (!loaded.value) throw new Error(`test policy does not load: ${loaded.diagnostics.map((d) => d.message).join("; ")}`);
  const sources = new Map([[file, source]]);
  const ds = runLint({ file, policy: loaded.value, getSource: (f) => sources.get(f), ...extra }, { rules });
  return { ds, shown: ds.map((d) => show(d, sources)), source };
}

/** Lint .trust text (compiled without key-file checks) with some rules. */
export function lintTrust(text: string, rules: readonly Rule[], extra: Partial<LintInput> = {}, file = "/p/site.trust") {
  const source = new SourceFile(file, text);
  const r = compileTrustSource(source, { checkKeyFiles: false });
  if (!r.value) throw new Error(`test .trust does not compile: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  const sources = new Map([[file, source]]);
  const ds = runLint({ file, policy: r.value.policy, registriesD: r.value.registriesD, getSource: (f) => sources.get(f), ...extra }, { rules });
  return { ds, shown: ds.map((d) => show(d, sources)), source };
}
