/** The explicit, ordered list of lint rules (graphql-js `specifiedRules`): findings come out in this order. */
import type { Rule } from "./rule.js";
import { insecureGlobalDefault } from "./rules/insecure-global-default.js";
import { neverMatchingScope } from "./rules/never-matching-scope.js";
import { redundantRequirement } from "./rules/redundant-requirement.js";
import { requirementAlwaysDenies } from "./rules/requirement-always-denies.js";
import { sigstoreWithoutAttachments } from "./rules/sigstore-without-attachments.js";
import { unknownTransport } from "./rules/unknown-transport.js";

/** Every rule, in the order they run. */
export const RULES: readonly Rule[] = [
  insecureGlobalDefault,
  neverMatchingScope,
  unknownTransport,
  requirementAlwaysDenies,
  redundantRequirement,
  sigstoreWithoutAttachments,
];

/** A rule by name (`never-matching-scope`) or code (`IT4002`). */
export function findRule(nameOrCode: string): Rule | undefined {
  return RULES.find((r) => r.meta.name === nameOrCode || r.meta.code === nameOrCode);
}

/** The rule name of a lint code, for output (undefined for non-lint codes). */
export function ruleNameOfCode(code: string): string | undefined {
  return RULES.find((r) => r.meta.code === code)?.meta.name;
}
