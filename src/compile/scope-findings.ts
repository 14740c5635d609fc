/**
 * What `compile` says about scopes that can never match: the lint rules that own those findings (never-matching-scope
 * IT4002, unknown-transport IT4003) run over the compiled model, so a compile reports them with the same code, message
 * and fix as `lint` (one owner: the rule; compile only runs it). `lint` itself does not go through here.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { TrustModel } from "../ir/types.js";
import { runRules } from "../lint/run-rules.js";
import { neverMatchingScope } from "../lint/rules/never-matching-scope.js";
import { unknownTransport } from "../lint/rules/unknown-transport.js";
import { SourceFile } from "../source/source-file.js";

/** The rules compile runs. */
export const COMPILE_TIME_RULES = [neverMatchingScope, unknownTransport] as const;

/** Run the scope rules over a compiled .trust model; `read` gives the text of included files (for fixes and quoting). */
export function compileTimeScopeFindings(model: TrustModel, source: SourceFile, read?: (path: string) => string): Diagnostic[] {
  const sources = new Map<string, SourceFile | undefined>([[source.path, source]]);
  const getSource = (f: string) => {
    if (!sources.has(f)) {
      let s: SourceFile | undefined;
      try {
        s = read ? new SourceFile(f, read(f)) : undefined;
      } catch {
        s = undefined;
      }
      sources.set(f, s);
    }
    return sources.get(f);
  };
  return runRules({ file: source.path, policy: model.policy, frontEnd: "trust", getSource }, COMPILE_TIME_RULES);
}
