/**
 * unused-suppression (IT4025): an `# imagetrust-ignore` comment in a .trust file that names no rule code, or that
 * suppresses nothing.
 *
 * Suppressions are matched after all rules ran (src/lint/suppressions.ts), so this rule has no visitors: its findings
 * come from `applySuppressions`, which uses this meta.
 */
import type { Rule } from "../rule.js";

/** The rule. */
export const unusedSuppression: Rule = {
  meta: {
    code: "IT4025",
    name: "unused-suppression",
    category: "style",
    defaultSeverity: "warning",
    description: "An imagetrust-ignore comment without a rule code, or one that suppresses nothing.",
    docs: {
      what:
        "Reports `# imagetrust-ignore` comments in .trust files that name no IT4xxx code, name a code that is not a lint " +
        "rule, or suppress no finding on their own line or the next one.",
      why: "A blanket suppression hides future findings nobody has looked at; a stale one hides nothing but still reads as if something were wrong there.",
      example: "# imagetrust-ignore\nallow docker \"quay.io\" anything",
      instead: "# imagetrust-ignore IT4008: our own registry, behind the VPN\nallow docker \"quay.io\" anything",
    },
    messages: {
      noCode: "imagetrust-ignore must name the rule it suppresses (e.g. '# imagetrust-ignore IT4008: reason').",
      unknownCode: "imagetrust-ignore names '{code}', which is not a lint rule code.",
      unused: "imagetrust-ignore {code} suppresses nothing here (no {code} finding on this line or the next).",
    },
  },
  create() {
    return {};
  },
};
