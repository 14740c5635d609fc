/**
 * Diagnostics as a SARIF 2.1.0 log (OASIS Static Analysis Results Interchange Format), as GitHub code scanning reads
 * it: one run, `tool.driver.rules` with stable ids (the IT codes), names, help text and links, `results` with precise
 * regions (1-based lines and columns, UTF-16 code units as SARIF's default), related locations and fixes.
 */
import type { Diagnostic } from "./diagnostic.js";
import type { SourceFile } from "../source/source-file.js";
import { resolveSpan } from "./render-text.js";

/** What SARIF needs to know about a rule (lint rules; other codes get a minimal entry). */
export interface SarifRuleInfo {
  id: string;
  name?: string;
  shortDescription?: string;
  /** Markdown help. */
  help?: string;
  helpUri?: string;
  defaultLevel?: "error" | "warning" | "note";
  tags?: string[];
}

/** Options of the SARIF renderer. */
export interface SarifRenderOptions {
  getSource?: (file: string) => SourceFile | undefined;
  /** Absolute path → URI relative to the repository root (default: the path as given). */
  uriOf?: (file: string) => string;
  /** Rule metadata by code (for lint rules). */
  ruleInfo?: (code: string) => SarifRuleInfo | undefined;
  toolVersion?: string;
  informationUri?: string;
}

const LEVEL = { error: "error", warning: "warning", info: "note" } as const;

/** A SARIF 2.1.0 log object for the diagnostics. */
export function renderSarifLog(diagnostics: readonly Diagnostic[], options: SarifRenderOptions = {}): Record<string, unknown> {
  const uriOf = options.uriOf ?? ((f: string) => f);
  const rules: Record<string, unknown>[] = [];
  const ruleIndex = new Map<string, number>();
  const indexOf = (code: string): number => {
    let i = ruleIndex.get(code);
    if (i !== undefined) return i;
    const info = options.ruleInfo?.(code);
    const rule: Record<string, unknown> = { id: code };
    if (info?.name) rule.name = info.name;
    if (info?.shortDescription) rule.shortDescription = { text: info.shortDescription };
    if (info?.help) rule.help = { text: info.help, markdown: info.help };
    if (info?.helpUri) rule.helpUri = info.helpUri;
    if (info?.defaultLevel) rule.defaultConfiguration = { level: info.defaultLevel };
    if (info?.tags?.length) rule.properties = { tags: info.tags };
    i = rules.length;
    rules.push(rule);
    ruleIndex.set(code, i);
    return i;
  };
  const region = (span: NonNullable<Diagnostic["span"]>) => {
    const source = options.getSource?.(span.file);
    if (!source) return undefined;
    const r = resolveSpan(span, source);
    const out: Record<string, number> = { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn };
    return out;
  };
  const location = (span: NonNullable<Diagnostic["span"]>, message?: string) => {
    const physical: Record<string, unknown> = { artifactLocation: { uri: uriOf(span.file) } };
    const reg = region(span);
    if (reg) physical.region = reg;
    const loc: Record<string, unknown> = { physicalLocation: physical };
    if (message) loc.message = { text: message };
    return loc;
  };
  const results = diagnostics.map((d) => {
    const text = d.hint ? `${d.message}\nhint: ${d.hint}` : d.message;
    const result: Record<string, unknown> = { ruleId: d.code, ruleIndex: indexOf(d.code), level: LEVEL[d.severity], message: { text } };
    if (d.span) result.locations = [location(d.span)];
    else if (d.file) result.locations = [{ physicalLocation: { artifactLocation: { uri: uriOf(d.file) } } }];
    if (d.related?.length) result.relatedLocations = d.related.map((r, id) => ({ id, ...location(r.span, r.message) }));
    if (d.fix) {
      const byFile = new Map<string, Array<Record<string, unknown>>>();
      let ok = true;
      for (const e of d.fix.edits) {
        const reg = region(e.span);
        if (!reg) ok = false;
        const list = byFile.get(e.span.file) ?? [];
        list.push({ deletedRegion: reg, insertedContent: { text: e.text } });
        byFile.set(e.span.file, list);
      }
      if (ok) {
        result.fixes = [
          {
            description: { text: d.fix.description },
            artifactChanges: [...byFile].map(([file, replacements]) => ({ artifactLocation: { uri: uriOf(file) }, replacements })),
          },
        ];
      }
    }
    return result;
  });
  const driver: Record<string, unknown> = { name: "imagetrust", rules };
  if (options.toolVersion) driver.version = options.toolVersion;
  if (options.informationUri) driver.informationUri = options.informationUri;
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [{ tool: { driver }, columnKind: "utf16CodeUnits", results }],
  };
}

/** The SARIF log as JSON text. */
export function renderDiagnosticsSarif(diagnostics: readonly Diagnostic[], options: SarifRenderOptions = {}): string {
  return JSON.stringify(renderSarifLog(diagnostics, options), null, 2) + "\n";
}
