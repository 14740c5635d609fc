/**
 * Catalogue band IT4000–IT4999: the lint rules. The pages come from each rule's `meta` (src/lint/rules/*.ts), never
 * retyped here; only the codes are listed, so that `DiagnosticCode` is a literal union (a test checks that the list
 * and the registry agree).
 */
import type { Rule } from "../../lint/rule.js";
import { RULES } from "../../lint/registry.js";
import type { CatalogueBody } from "./entry.js";

/** Every lint rule's code, in registry order. */
export const LINT_RULE_CODES = [
  "IT4001", "IT4002", "IT4003", "IT4004", "IT4005", "IT4006", "IT4007", "IT4008", "IT4009",
  "IT4010", "IT4011", "IT4012", "IT4013", "IT4014", "IT4015", "IT4016", "IT4017", "IT4018", "IT4019",
  "IT4020", "IT4021", "IT4022", "IT4023", "IT4024", "IT4025", "IT4026", "IT4027", "IT4028",
] as const;

/** A lint code. */
export type LintCode = (typeof LINT_RULE_CODES)[number];

/** A rule's catalogue page, made from its meta (docs: what it does, why it matters, what to write instead). */
export function lintPage(rule: Rule): CatalogueBody & { rule: string } {
  const m = rule.meta;
  return { severity: m.defaultSeverity, title: m.description, what: m.docs.what, why: m.docs.why, todo: m.docs.instead, rule: m.name };
}

/** IT4xxx entries, by code (a code listed above without a registered rule fails the catalogue test). */
export function lintEntries(): Record<LintCode, CatalogueBody & { rule: string }> {
  const out = {} as Record<LintCode, CatalogueBody & { rule: string }>;
  for (const code of LINT_RULE_CODES) {
    const rule = RULES.find((r) => r.meta.code === code);
    if (rule) out[code] = lintPage(rule);
  }
  return out;
}
