/** Turns validate/lint reports into the text the CLI prints, in each output format. */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { renderDiagnosticsGithub } from "../diagnostics/render-github.js";
import { renderDiagnosticsSarif } from "../diagnostics/render-sarif.js";
import { renderJsonReport } from "../diagnostics/render-json.js";
import { renderDiagnosticText, summarizeCounts, type TextStyles } from "../diagnostics/render-text.js";
import type { SourceFile } from "../source/source-file.js";
import type { FileReport } from "../input/validate.js";
import { readSourceForDisplay } from "../input/validate.js";
import type { Host } from "../host/host.js";
import type { RuntimeLocations } from "../input/files.js";

/** Output formats of validate and lint. */
export const OUTPUT_FORMATS = ["text", "json", "github", "sarif"] as const;
/** An output format. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** How to render. */
export interface ReportOutputOptions {
  format: OutputFormat;
  command: "validate" | "lint";
  styles: TextStyles;
  /** Absolute path → what to print. */
  displayPath: (file: string) => string;
  /** Where files named by diagnostics but not kept by the loaders are read from (for code frames). */
  host: Host;
  /** The lint rule name of a code, for JSON output (lint only). */
  ruleName?: (code: string) => string | undefined;
  /** The tool version for SARIF output. */
  toolVersion?: string;
}

/** Every SourceFile the diagnostics point into: those read by the loaders, plus files inside directories read now. */
export async function collectSources(reports: readonly FileReport[], host: Host): Promise<Map<string, SourceFile>> {
  const sources = new Map<string, SourceFile>();
  for (const r of reports) for (const [k, v] of r.sources) sources.set(k, v);
  const wanted = new Set<string>();
  for (const r of reports) {
    for (const d of r.diagnostics) {
      if (d.span && !sources.has(d.span.file)) wanted.add(d.span.file);
      for (const rel of d.related ?? []) if (!sources.has(rel.span.file)) wanted.add(rel.span.file);
    }
  }
  for (const f of wanted) {
    const s = await readSourceForDisplay(f, host);
    if (s) sources.set(f, s);
  }
  return sources;
}

function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  // Keep file-level notes first, then by file and position; stable for equal positions.
  return ds
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      const fa = a.d.span?.file ?? a.d.file ?? "";
      const fb = b.d.span?.file ?? b.d.file ?? "";
      if (!a.d.span !== !b.d.span) return a.d.span ? 1 : -1;
      if (fa !== fb) return fa < fb ? -1 : 1;
      return (a.d.span?.start ?? 0) - (b.d.span?.start ?? 0) || a.i - b.i;
    })
    .map((x) => x.d);
}

/** The whole output of a validate or lint run. */
export async function renderReports(reports: readonly FileReport[], options: ReportOutputOptions): Promise<string> {
  const sources = await collectSources(reports, options.host);
  const getSource = (f: string) => sources.get(f);
  if (options.format === "json") {
    const ordered = reports.map((r) => ({ ...r, diagnostics: sortDiagnostics(r.diagnostics) }));
    return renderJsonReport(ordered, { getSource, ruleName: options.ruleName, displayPath: options.displayPath });
  }
  if (options.format === "sarif") {
    const { sarifRuleInfo } = await import("../lint/docs.js");
    const all = reports.flatMap((r) => sortDiagnostics(r.diagnostics));
    return renderDiagnosticsSarif(all, { getSource, uriOf: options.displayPath, ruleInfo: sarifRuleInfo, toolVersion: options.toolVersion });
  }
  if (options.format === "github") {
    return reports
      .map((r) => renderDiagnosticsGithub(sortDiagnostics(r.diagnostics), { getSource, displayPath: options.displayPath }))
      .join("");
  }
  const st = options.styles;
  const out: string[] = [];
  const all: Diagnostic[] = [];
  for (const r of reports) {
    for (const d of sortDiagnostics(r.diagnostics)) {
      out.push(renderDiagnosticText(d, { getSource, styles: st, displayPath: options.displayPath }));
      all.push(d);
    }
  }
  const lines: string[] = [];
  for (const r of reports) {
    const name = options.displayPath(r.file);
    const counts = summarizeCounts(r.diagnostics.filter((d) => d.severity !== "info"));
    let verdict: string;
    if (r.fatal) verdict = st.error("not checked");
    else if (options.command === "validate") verdict = r.valid ? st.info("accepted") : st.error("rejected");
    else verdict = r.valid ? (counts === "no problems" ? st.info("ok") : st.warning("ok")) : st.error("rejected");
    const detail = counts === "no problems" ? "" : ` (${counts})`;
    lines.push(`${st.location(name)}: ${verdict}${detail}`);
  }
  if (reports.length > 1) {
    const accepted = reports.filter((r) => r.valid).length;
    lines.push(st.dim(`${reports.length} inputs: ${accepted} accepted, ${reports.length - accepted} not; ${summarizeCounts(all.filter((d) => d.severity !== "info"))}`));
  }
  return (out.length ? out.join("\n") + "\n" : "") + lines.join("\n") + "\n";
}

/** The header of `lint` with no paths: which policy.json and registries.d the runtime reads, and what they shadow. */
export function renderRuntimeLocations(locations: RuntimeLocations, styles: TextStyles): string {
  const lines = [
    styles.dim("Linting the configuration containers/image reads for this user:"),
    `  policy.json:  ${locations.policy ? locations.policy.path : "(none found)"}`,
    `  registries.d: ${locations.registriesD.path}${locations.registriesD.exists ? "" : " (does not exist)"}`,
    ...locations.notes.map((n) => `  ${n}`),
  ];
  return lines.join("\n") + "\n\n";
}
