/** Runs the registered lint rules over the IR of one input (src/lint/run-rules.ts does the walk). */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { RULES } from "./registry.js";
import { runRules, type LintInput, type RunLintOptions } from "./run-rules.js";

export { runRules, type LintInput, type RunLintOptions } from "./run-rules.js";

/** Lint one input's IR; findings come back in walk (document) order, rules in registry order at each node. */
export function runLint(input: LintInput, options: RunLintOptions = {}): Diagnostic[] {
  return runRules(input, options.rules ?? RULES, options);
}
