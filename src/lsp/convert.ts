/**
 * Between imagetrust's values and the protocol's: URIs and paths, spans and ranges, diagnostics. Spans are UTF-16
 * offsets and SourceFile columns count UTF-16 units, as LSP positions do, so conversion is exact.
 */
import type {
  Diagnostic as LspDiagnostic,
  DiagnosticRelatedInformation,
  DiagnosticSeverity,
  Position as LspPosition,
  Range,
} from "vscode-languageserver";
import { codeAnchor } from "../diagnostics/catalogue/render.js";
import type { Diagnostic, Severity } from "../diagnostics/diagnostic.js";
import type { SourceFile, Span } from "../source/source-file.js";

/** Where docs/codes.md is published: a diagnostic's `codeDescription` links to its page there. */
export const CODES_DOC_URL = "https://github.com/imagetrust/imagetrust/blob/main/docs/codes.md";

/** The file path of a `file:` URI; other schemes get a path of their own under `/<scheme>:` (never on disk). */
export function uriToPath(uri: string): string {
  if (uri.startsWith("file://")) {
    const u = new URL(uri);
    return decodeURIComponent(u.pathname);
  }
  const colon = uri.indexOf(":");
  return `/${uri.slice(0, colon)}:/${encodeURIComponent(uri.slice(colon + 1))}`;
}

/** The `file:` URI of a path (the inverse of {@link uriToPath} for its synthetic paths too). */
export function pathToUri(path: string): string {
  const m = /^\/([a-z][a-z0-9+.-]*):\/(.*)$/.exec(path);
  if (m) return `${m[1]}:${decodeURIComponent(m[2])}`;
  return "file://" + path.split("/").map((s) => encodeURIComponent(s)).join("/");
}

/** The LSP position of an offset. */
export function positionAt(source: SourceFile, offset: number): LspPosition {
  const p = source.position(offset);
  return { line: p.line - 1, character: p.column - 1 };
}

/** The offset of an LSP position. */
export function offsetAt(source: SourceFile, position: LspPosition): number {
  return source.offset({ line: position.line + 1, column: position.character + 1 });
}

/** The LSP range of a span of `source`. */
export function spanRange(source: SourceFile, span: { start: number; end: number }): Range {
  return { start: positionAt(source, span.start), end: positionAt(source, Math.max(span.start, span.end)) };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = { error: 1, warning: 2, info: 3 };

/** How a diagnostic reads in an editor: the message, then the hint and containers/image's words, as the CLI prints them. */
export function diagnosticText(d: Diagnostic): string {
  const lines = [d.message];
  if (d.hint) lines.push(`hint: ${d.hint}`);
  if (d.upstreamMessage) lines.push(`containers/image: ${d.upstreamMessage}`);
  return lines.join("\n");
}

/** Find the text a span of another file refers to (the analysis's sources, or undefined). */
export type SourceOf = (file: string) => SourceFile | undefined;

/** One imagetrust diagnostic in LSP terms. `source` is the document's text; related spans use `sourceOf`. */
export function toLspDiagnostic(d: Diagnostic, source: SourceFile, sourceOf: SourceOf): LspDiagnostic {
  const range = d.span ? spanRange(source, d.span) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const out: LspDiagnostic = {
    range,
    severity: SEVERITY[d.severity],
    code: d.code,
    codeDescription: { href: `${CODES_DOC_URL}#${codeAnchor(d.code)}` },
    source: "imagetrust",
    message: diagnosticText(d),
  };
  // An unused suppression is dead text: editors fade it.
  if (d.code === "IT4025") out.tags = [1];
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of d.related ?? []) {
    const rs = r.span.file === source.path ? source : sourceOf(r.span.file);
    if (!rs) continue;
    related.push({ location: { uri: pathToUri(r.span.file), range: spanRange(rs, r.span) }, message: r.message });
  }
  if (related.length) out.relatedInformation = related;
  return out;
}

/** Whether offset `o` lies within span `s` (its end included: a cursor just after a word is on it). */
export function spanContains(s: Span | { start: number; end: number } | undefined, o: number): boolean {
  return s !== undefined && s.start <= o && o <= s.end;
}
