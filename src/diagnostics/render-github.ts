/**
 * Diagnostics as GitHub Actions workflow commands (`::error file=…,line=…,col=…::message`), so findings show up
 * as annotations on pull requests. Escaping follows the Actions toolkit (`@actions/core` command.ts).
 */
import type { Diagnostic } from "./diagnostic.js";
import type { SourceFile } from "../source/source-file.js";
import { resolveSpan } from "./render-text.js";

/** Escape a command message (%, CR, LF). */
function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escape a command property value (also `:` and `,`). */
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** Options of the GitHub renderer. */
export interface GithubRenderOptions {
  getSource?: (file: string) => SourceFile | undefined;
  displayPath?: (file: string) => string;
}

/** One workflow command line per diagnostic (error → `::error`, warning → `::warning`, info → `::notice`). */
export function renderDiagnosticGithub(d: Diagnostic, options: GithubRenderOptions = {}): string {
  const command = d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "notice";
  const show = options.displayPath ?? ((f: string) => f);
  const props: string[] = [];
  const file = d.span?.file ?? d.file;
  if (file !== undefined) props.push(`file=${escapeProperty(show(file))}`);
  const source = d.span ? options.getSource?.(d.span.file) : undefined;
  if (d.span && source) {
    const r = resolveSpan(d.span, source);
    props.push(`line=${r.line}`, `col=${r.column}`, `endLine=${r.endLine}`, `endColumn=${r.endColumn}`);
  }
  props.push(`title=${escapeProperty(d.code)}`);
  let message = d.message;
  if (d.hint) message += `\nhint: ${d.hint}`;
  return `::${command} ${props.join(",")}::${escapeData(message)}\n`;
}

/** All diagnostics as workflow commands. */
export function renderDiagnosticsGithub(diagnostics: readonly Diagnostic[], options: GithubRenderOptions = {}): string {
  return diagnostics.map((d) => renderDiagnosticGithub(d, options)).join("");
}
