/**
 * Turning findings off: inline suppressions in .trust sources (`# imagetrust-ignore IT4008: reason` on the line of a
 * finding or the line before it) and configured severities of codes that are not lint rules (`--rule IT2120=off`,
 * `.imagetrust.yaml` `rules:`). Comments are found with the .trust lexer (they are tokens of the `comments` group),
 * so `#` inside a string is never mistaken for one. A suppression names lint codes or other warning/info codes; one
 * without a code, naming an unknown code, or suppressing nothing is itself reported (unused-suppression, IT4025);
 * one naming an error containers/image refuses is a configuration error (IT9044): those can never be silenced.
 */
import type { Diagnostic, Severity } from "../diagnostics/diagnostic.js";
import { catalogueEntry, configurability, isLintCode, overriddenSeverity } from "../diagnostics/catalogue/index.js";
import type { SourceFile, Span } from "../source/source-file.js";
import { lexTrust } from "../syntax/lexer.js";
import { formatMessage } from "./rule.js";
import { unusedSuppression } from "./rules/unused-suppression.js";

/** One `imagetrust-ignore` comment. */
export interface Suppression {
  /** The codes it names (may be empty). */
  codes: string[];
  /** 0-based line of the comment. */
  line: number;
  /** True when code precedes the comment on its line (then it covers only that line). */
  trailing: boolean;
  span: Span;
}

const DIRECTIVE = /^#\s*imagetrust-ignore\b(.*)$/;

/** The suppression comments of a .trust source. */
export function findSuppressions(source: SourceFile): Suppression[] {
  const lexed = lexTrust(source);
  const out: Suppression[] = [];
  for (const c of lexed.comments) {
    const m = DIRECTIVE.exec(c.image);
    if (!m) continue;
    const rest = m[1].split(":")[0];
    const codes = rest.split(/[\s,]+/).filter((x) => x.length > 0);
    const start = c.startOffset;
    const line = source.position(start).line - 1;
    const lineStart = source.text.lastIndexOf("\n", start - 1) + 1;
    out.push({ codes, line, trailing: source.text.slice(lineStart, start).trim() !== "", span: source.span(start, start + c.image.length) });
  }
  return out;
}

/** Whether an inline suppression may drop `d`: lint findings, and other codes' warnings and infos. */
function suppressible(d: Diagnostic): boolean {
  return isLintCode(d.code) || (d.severity !== "error" && configurability(d.code).ok);
}

/**
 * Drop findings a suppression covers (lint findings, and warnings/infos of other configurable codes) and add IT4025
 * findings for code-less, unknown and unused suppressions, and IT9044 errors for suppressions naming a code that can
 * never be silenced. `knownCodes`: the lint codes that may be named (other configurable codes always may);
 * `severity`: IT4025's configured severity ("off" to report none).
 */
export function applySuppressions(
  diagnostics: readonly Diagnostic[],
  source: SourceFile,
  knownCodes: ReadonlySet<string>,
  severity: Diagnostic["severity"] | "off" = unusedSuppression.meta.defaultSeverity,
): Diagnostic[] {
  const sups = findSuppressions(source);
  if (sups.length === 0) return [...diagnostics];
  const used = new Set<string>();
  const kept = diagnostics.filter((d) => {
    if (!suppressible(d) || !d.span || d.span.file !== source.path) return true;
    const line = source.position(d.span.start).line - 1;
    for (const [i, s] of sups.entries()) {
      const covers = s.line === line || (!s.trailing && s.line === line - 1);
      if (covers && s.codes.includes(d.code)) {
        used.add(`${i}:${d.code}`);
        return false;
      }
    }
    return true;
  });
  for (const s of sups) {
    for (const code of s.codes) {
      const c = catalogueEntry(code) && !knownCodes.has(code) ? configurability(code) : undefined;
      if (c && !c.ok) kept.push({ code: NOT_CONFIGURABLE, severity: "error", message: `imagetrust-ignore cannot silence ${c.reason}.`, span: s.span });
    }
  }
  if (severity === "off") return kept;
  const meta = unusedSuppression.meta;
  const report = (id: string, span: Span, data: Record<string, string> = {}) =>
    kept.push({ code: meta.code, severity, message: formatMessage(meta.messages[id], data), span });
  for (const [i, s] of sups.entries()) {
    if (s.codes.length === 0) report("noCode", s.span);
    for (const code of s.codes) {
      if (!knownCodes.has(code) && catalogueEntry(code)) {
        if (!configurability(code).ok) continue; // reported above (IT9044)
        if (!used.has(`${i}:${code}`)) report("unused", s.span, { code });
      } else if (!knownCodes.has(code)) report("unknownCode", s.span, { code });
      else if (!used.has(`${i}:${code}`)) report("unused", s.span, { code });
    }
  }
  return kept;
}

/** LINT_CONFIG_CODES.notConfigurable (not imported from config.ts, which needs YAML and ajv). */
const NOT_CONFIGURABLE = "IT9044";

/** Options of {@link settleFindings}. */
export interface SettleOptions {
  /** Configured severities: lint rules by name or code, other codes by code. */
  severities?: Record<string, Severity | "off">;
  /** The .trust source whose `imagetrust-ignore` comments apply (undefined: no inline suppressions). */
  source?: SourceFile;
  /** The lint codes an inline suppression may name. */
  knownCodes: ReadonlySet<string>;
}

/**
 * One report's configured severities and inline suppressions, applied to its front-end diagnostics (`front`: the
 * loader's or checker's) and its lint findings alike. Lint findings already carry their configured severity (the
 * lint runner applies it); other codes change only where emitted below error. `raised`: some warning became an error.
 */
export function settleFindings(
  front: readonly Diagnostic[],
  findings: readonly Diagnostic[],
  options: SettleOptions,
): { front: Diagnostic[]; findings: Diagnostic[]; raised: boolean } {
  const severities = options.severities ?? {};
  let raised = false;
  let settledFront: Diagnostic[] = [];
  for (const d of front) {
    const s = overriddenSeverity(d.code, d.severity, severities[d.code]);
    if (s === "off") continue;
    if (s === "error" && d.severity !== "error") raised = true;
    settledFront.push(s === d.severity ? d : { ...d, severity: s });
  }
  let settledFindings = [...findings];
  if (options.source) {
    const unused = severities[unusedSuppression.meta.code] ?? severities[unusedSuppression.meta.name];
    const both = applySuppressions([...settledFront, ...settledFindings], options.source, options.knownCodes, unused);
    const fromFront = new Set(settledFront);
    settledFront = both.filter((d) => fromFront.has(d));
    settledFindings = both.filter((d) => !fromFront.has(d));
  }
  return { front: settledFront, findings: settledFindings, raised };
}
