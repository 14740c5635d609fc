/**
 * Diagnostics as text for people: `file:line:col severity code message`, a code frame with line numbers and
 * carets under the span, a `hint:` line, what containers/image itself says, related locations, and last a
 * `see: imagetrust explain CODE` line pointing at the code's page.
 * Returns strings only; the CLI decides where they go and whether they are coloured.
 */
import type { Diagnostic, Severity } from "./diagnostic.js";
import type { SourceFile, Span } from "../source/source-file.js";

/** Styling functions (chalk instances fit; the default is no styling). */
export interface TextStyles {
  error(s: string): string;
  warning(s: string): string;
  info(s: string): string;
  /** Codes, gutters, secondary text. */
  dim(s: string): string;
  /** File locations. */
  location(s: string): string;
  /** The hint label. */
  hint(s: string): string;
}

const identity = (s: string) => s;

/** No colours at all (non-TTY, NO_COLOR). */
export const PLAIN_STYLES: TextStyles = {
  error: identity,
  warning: identity,
  info: identity,
  dim: identity,
  location: identity,
  hint: identity,
};

/** Options of the text renderer. */
export interface TextRenderOptions {
  /** The text of a file named in a span, for code frames (undefined: no frame). */
  getSource?: (file: string) => SourceFile | undefined;
  styles?: TextStyles;
  /** How a file name is shown (e.g. relative to the working directory). Default: as given. */
  displayPath?: (file: string) => string;
  /** Columns of source shown per line before eliding with "…" (default 120). */
  maxLineWidth?: number;
  /** Spaces per tab in code frames (default 4). */
  tabWidth?: number;
  /** Show containers/image's own message (default true). */
  showUpstream?: boolean;
}

/** A span resolved to 1-based lines and columns. */
export interface ResolvedSpan {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Lines and columns of a span in its file (end is exclusive, like the span). */
export function resolveSpan(span: Span, source: SourceFile): ResolvedSpan {
  const start = source.position(span.start);
  const end = source.position(Math.max(span.start, span.end));
  return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

function severityStyle(styles: TextStyles, severity: Severity): (s: string) => string {
  return severity === "error" ? styles.error : severity === "warning" ? styles.warning : styles.info;
}

/** The `file:line:col` (or just `file`) a diagnostic is reported at. */
export function diagnosticLocation(d: Diagnostic, options: TextRenderOptions = {}): string {
  const show = options.displayPath ?? identity;
  if (d.span) {
    const source = options.getSource?.(d.span.file);
    if (source) {
      const p = source.position(d.span.start);
      return `${show(d.span.file)}:${p.line}:${p.column}`;
    }
    return show(d.span.file);
  }
  return d.file !== undefined ? show(d.file) : "<unknown>";
}

/** Render one diagnostic (several lines, ending with a newline). */
export function renderDiagnosticText(d: Diagnostic, options: TextRenderOptions = {}): string {
  const styles = options.styles ?? PLAIN_STYLES;
  const sev = severityStyle(styles, d.severity);
  const lines: string[] = [];
  lines.push(`${styles.location(diagnosticLocation(d, options))} ${sev(d.severity)} ${styles.dim(d.code)} ${sanitizeMessage(d.message)}`);
  const source = d.span ? options.getSource?.(d.span.file) : undefined;
  if (d.span && source) lines.push(...codeFrame(source, d.span, sev, options));
  if (d.hint) lines.push(`  ${styles.hint("hint:")} ${sanitizeMessage(d.hint)}`);
  if (d.upstreamMessage !== undefined && options.showUpstream !== false) {
    lines.push(`  ${styles.dim("containers/image:")} ${sanitizeMessage(d.upstreamMessage)}`);
  }
  for (const r of d.related ?? []) {
    const rsource = options.getSource?.(r.span.file);
    const loc = diagnosticLocation({ code: d.code, severity: "info", message: "", span: r.span }, options);
    lines.push(`  ${styles.dim("related:")} ${styles.location(loc)} ${sanitizeMessage(r.message)}`);
    if (rsource) lines.push(...codeFrame(rsource, r.span, styles.dim, options).map((l) => "  " + l));
  }
  if (d.fix) lines.push(`  ${styles.dim("fix available:")} ${sanitizeMessage(d.fix.description)}`);
  // Every code has a page (src/diagnostics/catalogue/): point at it, styled like the hint.
  if (/^IT\d{4}$/.test(d.code)) lines.push(`  ${styles.hint("see:")} imagetrust explain ${d.code}`);
  return lines.join("\n") + "\n";
}

/** Render many diagnostics, separated by blank lines. */
export function renderDiagnosticsText(diagnostics: readonly Diagnostic[], options: TextRenderOptions = {}): string {
  return diagnostics.map((d) => renderDiagnosticText(d, options)).join("\n");
}

/** "2 errors, 1 warning" (empty counts left out; "no problems" when all are zero). */
export function summarizeCounts(diagnostics: readonly Diagnostic[]): string {
  const count = (s: Severity) => diagnostics.filter((d) => d.severity === s).length;
  const parts: string[] = [];
  const e = count("error");
  const w = count("warning");
  const i = count("info");
  if (e) parts.push(`${e} error${e === 1 ? "" : "s"}`);
  if (w) parts.push(`${w} warning${w === 1 ? "" : "s"}`);
  if (i) parts.push(`${i} info`);
  return parts.length ? parts.join(", ") : "no problems";
}

/** Control characters (other than tab) would corrupt a terminal: show them as Unicode control pictures. */
function sanitizeLine(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => (c === "\u007f" ? "\u2421" : String.fromCharCode(0x2400 + c.charCodeAt(0))));
}

/** Messages may quote user text; keep them to one terminal-safe line each. */
function sanitizeMessage(s: string): string {
  return sanitizeLine(s.replace(/\r\n?|\n/g, "\n")).split("\n").join("\n  ");
}

/**
 * The code frame: the span's first line with its number and carets under the span (to the end of that line for a
 * multi-line span, then "…"); tabs expanded; long lines cut to a window around the span.
 */
export function codeFrame(
  source: SourceFile,
  span: Span,
  style: (s: string) => string = identity,
  options: TextRenderOptions = {},
): string[] {
  const styles = options.styles ?? PLAIN_STYLES;
  const tabWidth = options.tabWidth ?? 4;
  const maxWidth = Math.max(20, options.maxLineWidth ?? 120);
  const r = resolveSpan(span, source);
  const raw = source.lineText(r.line);
  const multiLine = r.endLine > r.line;
  const startCol = Math.min(r.column - 1, raw.length);
  let endCol = multiLine ? raw.length : Math.min(Math.max(r.endColumn - 1, startCol), raw.length);
  if (endCol === startCol) endCol = startCol + 1; // empty span or end of line: one caret

  // Expand tabs, tracking where the span starts and ends in display columns.
  let text = "";
  let dStart = -1;
  let dEnd = -1;
  for (let i = 0; i <= raw.length; i++) {
    if (i === startCol) dStart = text.length;
    if (i === endCol) dEnd = text.length;
    if (i === raw.length) break;
    const c = raw[i];
    text += c === "\t" ? " ".repeat(tabWidth - (text.length % tabWidth)) : c;
  }
  if (dEnd < 0) dEnd = text.length + (endCol - raw.length);
  text = sanitizeLine(text);

  // Window long lines around the span.
  let prefix = "";
  let suffix = "";
  if (text.length > maxWidth) {
    const spanLen = Math.min(dEnd - dStart, maxWidth - 10);
    let winStart = Math.max(0, dStart - Math.floor((maxWidth - spanLen) / 2));
    winStart = Math.min(winStart, Math.max(0, text.length - maxWidth));
    const winEnd = Math.min(text.length, winStart + maxWidth);
    if (winStart > 0) prefix = "…";
    if (winEnd < text.length) suffix = "…";
    text = text.slice(winStart, winEnd);
    const newStart = dStart - winStart + prefix.length;
    const newEnd = Math.min(dEnd, winEnd + 1) - winStart + prefix.length;
    dStart = newStart;
    dEnd = Math.max(newEnd, newStart + 1);
  }
  const lineNo = String(r.line);
  const gutter = " ".repeat(lineNo.length);
  const out: string[] = [];
  out.push(`${styles.dim(` ${lineNo} |`)} ${prefix}${text}${suffix}`.trimEnd());
  const carets = "^".repeat(Math.max(1, dEnd - dStart));
  out.push(`${styles.dim(` ${gutter} |`)} ${" ".repeat(dStart)}${style(carets)}${multiLine ? style(" …") : ""}`);
  return out;
}
