/**
 * The diagnostic catalogue: every code imagetrust can emit, registered once with its severity, a title and a short
 * page (what it means, why containers/image behaves so, what to do). `imagetrust explain`, docs/codes.md and the
 * lint configuration read it; a test checks that every code constant and literal in src/ is here.
 */
import type { Severity } from "../diagnostic.js";
import type { CatalogueBody, CatalogueEntry } from "./entry.js";
import { EMIT_ENTRIES } from "./emit.js";
import { EVIDENCE_ARTIFACTS_ENTRIES } from "./evidence-artifacts.js";
import { EVIDENCE_IDENTITY_ENTRIES } from "./evidence-identity.js";
import { LIMITS_FILES_ENTRIES } from "./limits-files.js";
import { LIMITS_NETWORK_ENTRIES } from "./limits-network.js";
import { MODULES_ENTRIES } from "./modules.js";
import { TOOLING_ENTRIES } from "./tooling.js";
import { FILES_ENTRIES } from "./files.js";
import { K8S_ENTRIES } from "./k8s.js";
import { LANGUAGE_ENTRIES } from "./language.js";
import { lintEntries, LINT_RULE_CODES, type LintCode } from "./lint.js";
import { POLICY_JSON_ENTRIES } from "./policy-json.js";
import { REGISTRIES_ENTRIES } from "./registries.js";
import { SIMULATE_ENTRIES } from "./simulate.js";

export type { CatalogueBody, CatalogueEntry, CatalogueSeverity } from "./entry.js";
export { LINT_RULE_CODES } from "./lint.js";

/** Every diagnostic code imagetrust can emit. */
export type DiagnosticCode =
  | keyof typeof POLICY_JSON_ENTRIES
  | keyof typeof REGISTRIES_ENTRIES
  | keyof typeof LANGUAGE_ENTRIES
  | keyof typeof EMIT_ENTRIES
  | LintCode
  | keyof typeof SIMULATE_ENTRIES
  | keyof typeof K8S_ENTRIES
  | keyof typeof FILES_ENTRIES
  | keyof typeof LIMITS_FILES_ENTRIES
  | keyof typeof LIMITS_NETWORK_ENTRIES
  | keyof typeof EVIDENCE_IDENTITY_ENTRIES
  | keyof typeof EVIDENCE_ARTIFACTS_ENTRIES
  | keyof typeof MODULES_ENTRIES
  | keyof typeof TOOLING_ENTRIES;

/** The band tables, in band order (the lint band is made from the rules' meta). */
function bands(): Array<Record<string, CatalogueBody & { rule?: string }>> {
  return [POLICY_JSON_ENTRIES, REGISTRIES_ENTRIES, LANGUAGE_ENTRIES, EMIT_ENTRIES, lintEntries(), SIMULATE_ENTRIES, K8S_ENTRIES, FILES_ENTRIES,
    LIMITS_FILES_ENTRIES, LIMITS_NETWORK_ENTRIES, EVIDENCE_IDENTITY_ENTRIES, EVIDENCE_ARTIFACTS_ENTRIES, MODULES_ENTRIES, TOOLING_ENTRIES];
}

let joined: Map<string, CatalogueEntry> | undefined;

/** Every code's entry, in code order. Throws if two bands register one code (the catalogue test runs this). */
export function catalogue(): readonly CatalogueEntry[] {
  return [...catalogueMap().values()];
}

function catalogueMap(): Map<string, CatalogueEntry> {
  if (joined) return joined;
  const all: CatalogueEntry[] = [];
  const seen = new Set<string>();
  for (const band of bands()) {
    for (const [code, body] of Object.entries(band)) {
      if (seen.has(code)) throw new Error(`diagnostic code ${code} is registered twice in the catalogue`);
      seen.add(code);
      all.push({ code, ...body });
    }
  }
  all.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  joined = new Map(all.map((e) => [e.code, e]));
  return joined;
}

/** Every code with the band it was registered in, duplicates included (for the uniqueness test). */
export function registeredCodes(): string[] {
  return bands().flatMap((b) => Object.keys(b));
}

/** The entry of `code`, or undefined for a code imagetrust never emits. */
export function catalogueEntry(code: DiagnosticCode): CatalogueEntry;
export function catalogueEntry(code: string): CatalogueEntry | undefined;
export function catalogueEntry(code: string): CatalogueEntry | undefined {
  return catalogueMap().get(code);
}

/** True when `code` is a lint rule's code. */
export function isLintCode(code: string): code is LintCode {
  return (LINT_RULE_CODES as readonly string[]).includes(code);
}

/**
 * True when `code` is an error that means "containers/image refuses this input": the error codes of the loaders
 * (IT1xxx), the .trust language (IT2xxx) and the emitters (IT3xxx). These can never be turned off.
 */
export function isRefusal(code: string): boolean {
  const e = catalogueEntry(code);
  return e !== undefined && e.severity === "error" && /^IT[123]\d{3}$/.test(code);
}

/**
 * Whether `.imagetrust.yaml` `rules:`, `--rule` and inline ignores may name `code`: every lint rule, and every other
 * code emitted as a warning or info (a "varies" code only where it is emitted below error). Returns the reason when not.
 */
export function configurability(code: string): { ok: true } | { ok: false; reason: string } {
  const e = catalogueEntry(code);
  if (!e) return { ok: false, reason: `'${code}' is not a code imagetrust emits` };
  if (e.rule !== undefined || e.severity !== "error") return { ok: true };
  return {
    ok: false,
    reason: isRefusal(code)
      ? `${code} (${e.title}) means containers/image refuses the input; it cannot be turned off or changed`
      : `${code} (${e.title}) is an error; only warning and info codes can be turned off or changed`,
  };
}

/**
 * The severity a configured override gives one emitted diagnostic: lint findings are handled by the lint runner;
 * for other codes an override applies only to findings emitted as a warning or info, never to an error.
 */
export function overriddenSeverity(code: string, emitted: Severity, override: Severity | "off" | undefined): Severity | "off" {
  if (override === undefined || isLintCode(code) || emitted === "error") return emitted;
  return configurability(code).ok ? override : emitted;
}
