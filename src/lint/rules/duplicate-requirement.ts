/**
 * duplicate-requirement (IT4011): the same requirement twice in one list.
 *
 * Upstream: `signature.(*PolicyContext).IsRunningImageAllowed` evaluates every requirement of the list (an AND), so a
 * repeated one is evaluated twice and changes nothing.
 */
import type { Requirement } from "../../ir/types.js";
import type { Rule, RuleContext } from "../rule.js";

const keys = new WeakMap<Requirement, string>();

/** A requirement's meaning as a string: every field but origins, keys sorted (computed once per requirement object). */
export function requirementKey(r: Requirement): string {
  let k = keys.get(r);
  if (k === undefined) keys.set(r, (k = computeRequirementKey(r)));
  return k;
}

function computeRequirementKey(r: Requirement): string {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(norm);
    if (v && typeof v === "object") {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) if (k !== "origin" && k !== "keyOrigin") o[k] = norm((v as Record<string, unknown>)[k]);
      return o;
    }
    return v;
  };
  return JSON.stringify(norm(r));
}

function check(ctx: RuleContext, list: readonly Requirement[], where: string): void {
  const seen = new Map<string, Requirement>();
  for (const r of list) {
    const k = requirementKey(r);
    const first = seen.get(k);
    if (!first) {
      seen.set(k, r);
      continue;
    }
    ctx.report({
      messageId: "duplicate",
      data: { type: r.type, where },
      span: r.origin,
      file: r.origin ? undefined : ctx.file,
      related: first.origin ? [{ message: "first written here", span: first.origin }] : undefined,
    });
  }
}

/** The rule. */
export const duplicateRequirement: Rule = {
  meta: {
    code: "IT4011",
    name: "duplicate-requirement",
    category: "style",
    defaultSeverity: "warning",
    description: "The same requirement written twice in one list.",
    docs: {
      what: "Reports a requirement equal (ignoring formatting and key order) to an earlier one of the same list.",
      why: "Every requirement of a list must allow the image; a repeated one adds nothing, and usually means another (a different key, a different identity) was meant.",
      example: '"quay.io/acme": [{ "type": "signedBy", "keyType": "GPGKeys", "keyPath": "/k.gpg" }, { "type": "signedBy", "keyType": "GPGKeys", "keyPath": "/k.gpg" }]',
      instead: '"quay.io/acme": [{ "type": "signedBy", "keyType": "GPGKeys", "keyPath": "/k.gpg" }]',
    },
    messages: {
      duplicate: "This {type} requirement repeats an earlier one in {where}; it changes nothing.",
    },
  },
  create(ctx) {
    return {
      defaultRequirements(list) {
        check(ctx, list, "the global default");
      },
      scope(entry, transport) {
        check(ctx, entry.requirements, entry.scope === "" ? `the default of transport '${transport.name}'` : `scope '${entry.scope}'`);
      },
    };
  },
};
