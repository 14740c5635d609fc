/**
 * Code actions: every fix a diagnostic carries (the edits `lint --fix` applies), every "did you mean" a message or
 * hint offers (the misspelt text replaced by each suggestion, quotes kept), and for a warning or note in a .trust
 * source an inline suppression (`# imagetrust-ignore CODE`).
 */
import type { CodeAction, Range, TextEdit as LspTextEdit } from "vscode-languageserver";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../source/source-file.js";
import type { Analysis } from "./analyze.js";
import { pathToUri, spanRange, toLspDiagnostic } from "./convert.js";

/** The suggestions of a "Did you mean 'a', 'b'?" in a message or hint. */
export function didYouMeanSuggestions(d: Diagnostic): string[] {
  const out: string[] = [];
  for (const text of [d.message, d.hint ?? ""]) {
    const m = /Did you mean ((?:'[^']*'(?:, )?)+)\?/.exec(text);
    if (!m) continue;
    for (const s of m[1].matchAll(/'([^']*)'/g)) if (!out.includes(s[1])) out.push(s[1]);
  }
  return out;
}

const overlaps = (a: Range, b: Range) =>
  !(a.end.line < b.start.line || (a.end.line === b.start.line && a.end.character < b.start.character) || b.end.line < a.start.line || (b.end.line === a.start.line && b.end.character < a.start.character));

/** The code actions for `range` of the analysed document. */
export function codeActions(analysis: Analysis, source: SourceFile, range: Range): CodeAction[] {
  const sourceOf = (f: string) => (f === source.path ? source : analysis.sources.get(f));
  const out: CodeAction[] = [];
  for (const d of analysis.diagnostics) {
    const lsp = toLspDiagnostic(d, source, sourceOf);
    if (!overlaps(lsp.range, range)) continue;
    if (d.fix) {
      const changes: Record<string, LspTextEdit[]> = {};
      let complete = true;
      for (const e of d.fix.edits) {
        const s = sourceOf(e.span.file);
        if (!s) {
          complete = false;
          break;
        }
        (changes[pathToUri(e.span.file)] ??= []).push({ range: spanRange(s, e.span), newText: e.text });
      }
      if (complete) out.push({ title: d.fix.description, kind: "quickfix", diagnostics: [lsp], isPreferred: true, edit: { changes } });
    }
    if (d.span) {
      const written = source.text.slice(d.span.start, d.span.end);
      const quoted = /^(["'])(.*)\1$/s.exec(written);
      for (const s of didYouMeanSuggestions(d)) {
        const newText = quoted ? `${quoted[1]}${s}${quoted[1]}` : s;
        if (newText === written || d.fix?.edits.some((e) => e.text === newText)) continue;
        out.push({ title: `Change '${quoted ? quoted[2] : written}' to '${s}'`, kind: "quickfix", diagnostics: [lsp], edit: { changes: { [pathToUri(source.path)]: [{ range: lsp.range, newText }] } } });
      }
    }
    if (analysis.kind === "trust" && d.severity !== "error" && d.span && d.code !== "IT4025") {
      const line = source.position(d.span.start).line;
      const indent = /^\s*/.exec(source.lineText(line))![0];
      const at = { line: line - 1, character: 0 };
      out.push({
        title: `Suppress ${d.code} on this line (# imagetrust-ignore)`,
        kind: "quickfix",
        diagnostics: [lsp],
        edit: { changes: { [pathToUri(source.path)]: [{ range: { start: at, end: at }, newText: `${indent}# imagetrust-ignore ${d.code}: reviewed\n` }] } },
      });
    }
  }
  return out;
}
