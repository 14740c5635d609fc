/**
 * Text for simulation results: a table for many references, a full explanation for one (or `--explain`).
 * Returns strings; printing (and colour) is the CLI's business.
 */
import type { SimulationResult } from "./simulate.js";

/** Options for text rendering. */
export interface RenderTextOptions {
  /** Full explanation for every reference, even when there are several. */
  explain?: boolean;
  /** Optional styling hooks (the CLI passes chalk functions on a TTY). */
  style?: { allow?: (s: string) => string; deny?: (s: string) => string; dim?: (s: string) => string; bold?: (s: string) => string };
}

const id = (s: string) => s;

/** The DECIDED BY cell: the deciding scope, `(global default)`, or `-` when the reference did not parse. */
export function scopeText(r: SimulationResult): string {
  if (r.error !== null) return "-";
  if (r.scope === null) return "(global default)";
  return r.scope.scope === "" ? `${r.scope.transport}: "" (transport default)` : `${r.scope.transport}: ${r.scope.scope}`;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

/** The WHY cell: the parse error, the runtime's error for a denial, or the last reason. */
export function whyText(r: SimulationResult): string {
  return r.error ?? r.upstreamError ?? r.reasons[r.reasons.length - 1] ?? "";
}

/** The cells of one table row: verdict, reference, deciding scope, why. */
export function simulationTableRow(r: SimulationResult): string[] {
  return [r.verdict.toUpperCase(), r.ref, scopeText(r), whyText(r)];
}

/** The table's header cells. */
export const SIMULATION_TABLE_HEADER: readonly string[] = ["VERDICT", "REFERENCE", "DECIDED BY", "WHY"];

/** Column widths for these rows (the last column is not padded; none wider than 60). */
export function simulationTableWidths(rows: readonly (readonly string[])[]): number[] {
  const header = SIMULATION_TABLE_HEADER;
  return [0, 1, 2].map((i) => {
    let w = header[i].length;
    for (const row of rows) if (row[i].length > w) w = row[i].length;
    return Math.min(60, w);
  });
}

/** One line of the table (no newline), the verdict cell coloured with `color`. */
export function renderSimulationTableLine(cells: readonly string[], widths: readonly number[], color?: (s: string) => string): string {
  return cells
    .map((c, i) => {
      const text = i < 3 ? pad(c, widths[i]) : c;
      return i === 0 && color ? color(text) : text;
    })
    .join("  ")
    .trimEnd();
}

/** A table: one line per reference with verdict, deciding scope and the first reason. */
export function renderSimulationTable(results: readonly SimulationResult[], options: RenderTextOptions = {}): string {
  const st = options.style ?? {};
  const rows = results.map(simulationTableRow);
  const widths = simulationTableWidths(rows);
  const out = [(st.bold ?? id)(renderSimulationTableLine(SIMULATION_TABLE_HEADER, widths))];
  for (let i = 0; i < rows.length; i++) out.push(renderSimulationTableLine(rows[i], widths, results[i].verdict === "allow" ? st.allow : st.deny));
  const allowed = results.filter((r) => r.verdict === "allow").length;
  out.push("");
  out.push(simulationSummary(allowed, results.length - allowed));
  for (const r of results) for (const w of r.warnings) out.push(`warning: ${r.ref}: ${w}`);
  return out.join("\n") + "\n";
}

/** The table's closing count. */
export function simulationSummary(allowed: number, denied: number): string {
  return `${allowed} allowed, ${denied} denied`;
}

/** The full explanation of one result. */
export function renderSimulationExplanation(r: SimulationResult, options: RenderTextOptions = {}): string {
  const st = options.style ?? {};
  const out: string[] = [];
  const verdict = r.verdict === "allow" ? (st.allow ?? id)("ALLOW") : (st.deny ?? id)("DENY");
  out.push(`${(st.bold ?? id)(r.ref)}: ${verdict}`);
  if (r.error !== null) {
    out.push(`  error: ${r.error}`);
  }
  if (r.resolution) {
    const res = r.resolution;
    out.push(`  short name: mode ${res.mode}${res.aliasUsed ? `, alias ${res.aliasUsed}` : ""}`);
    res.candidates.forEach((c, i) => out.push(`    candidate ${i + 1}: ${c}${r.candidates?.[i] ? `  → ${r.candidates[i].verdict}` : ""}`));
    if (res.error) out.push(`    error: ${res.error}`);
  }
  if (r.transport !== null) {
    out.push(`  transport: ${r.transport}`);
    out.push(`  identity:  ${JSON.stringify(r.identity)}`);
    if (r.dockerReference) out.push(`  docker reference: ${r.dockerReference}`);
    out.push(`  scope lookup (containers/image requirementsForImageRef):`);
    for (const t of r.trail) out.push(`    - ${t}`);
    out.push(`  decided by: ${scopeText(r)}`);
    out.push(`  requirements:`);
    for (const q of r.requirements) {
      const status = q.status === "allow" ? "allows" : q.status === "deny" ? "DENIES" : "not evaluated (an earlier requirement denied)";
      out.push(`    ${q.index + 1}. ${q.type}${q.level ? ` [level ${q.level}]` : ""}: ${status}`);
      out.push(`       checks: ${q.checks}`);
      if (q.identity) out.push(`       identity: ${q.identity.meaning}`);
      if (q.signatureSource) out.push(`       signatures from: ${q.signatureSource}`);
      if (q.message) out.push(`       runtime says: ${q.message}`);
      if (q.wouldAllow) out.push(`       would allow: ${q.wouldAllow}`);
    }
    const l = r.signatureLookup;
    if (l.lookasideBase !== null || l.sigstoreAttachments) {
      out.push(`  signature lookup:`);
      if (l.lookasideBase !== null) out.push(`    lookaside: ${l.lookasideBase}`);
      if (l.lookasideSignature1 !== null) out.push(`    first signature: ${l.lookasideSignature1}`);
      out.push(`    sigstore attachments: ${l.sigstoreAttachments ? "read" : "not read"}`);
    }
  }
  if (r.pullSources && r.pullSources.length) {
    out.push(`  pull sources (in order):`);
    for (const p of r.pullSources) {
      const flags = [p.mirror ? "mirror" : "primary", p.insecure ? "insecure" : "", p.blocked ? "BLOCKED" : ""].filter(Boolean).join(", ");
      out.push(`    - ${p.reference} (${flags})${p.signatureLookup.lookasideBase ? `; lookaside ${p.signatureLookup.lookasideBase}` : ""}`);
    }
  }
  out.push(`  why:`);
  // "it would allow …" is already printed under its requirement.
  const shown = r.requirements.some((q) => q.wouldAllow);
  for (const reason of r.reasons) if (!(shown && reason.startsWith("it would allow "))) out.push(`    ${reason}`);
  if (r.upstreamError) out.push(`  runtime error: ${r.upstreamError}`);
  for (const w of r.warnings) out.push(`  warning: ${w}`);
  return out.join("\n") + "\n";
}

/** Text for a whole run: an explanation for a single reference (or with `explain`), else a table. */
export function renderSimulationText(results: readonly SimulationResult[], options: RenderTextOptions = {}): string {
  if (results.length === 1 || options.explain) return results.map((r) => renderSimulationExplanation(r, options)).join("\n");
  return renderSimulationTable(results, options);
}
