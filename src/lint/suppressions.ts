/**
 * Inline suppressions in .trust sources: `# imagetrust-ignore IT4008: reason` on the line of a finding or the line
 * before it. Comments are found with the .trust lexer (they are tokens of the `comments` group), so `#` inside a
 * string is never mistaken for one. A suppression must name rule codes; one without a code, naming an unknown code,
 * or suppressing nothing is itself reported (unused-suppression, IT4025).
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
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

/**
 * Drop lint findings (IT4xxx) a suppression covers and add IT4025 findings for code-less, unknown and unused
 * suppressions. `severity`: IT4025's configured severity ("off" to report none).
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
    if (!/^IT4\d{3}$/.test(d.code) || !d.span || d.span.file !== source.path) return true;
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
  if (severity === "off") return kept;
  const meta = unusedSuppression.meta;
  const report = (id: string, span: Span, data: Record<string, string> = {}) =>
    kept.push({ code: meta.code, severity, message: formatMessage(meta.messages[id], data), span });
  for (const [i, s] of sups.entries()) {
    if (s.codes.length === 0) report("noCode", s.span);
    for (const code of s.codes) {
      if (!knownCodes.has(code)) report("unknownCode", s.span, { code });
      else if (!used.has(`${i}:${code}`)) report("unused", s.span, { code });
    }
  }
  return kept;
}
