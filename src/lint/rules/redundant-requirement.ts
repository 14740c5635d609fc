/**
 * redundant-requirement (IT4005): a requirement list whose members make each other pointless.
 *
 * Upstream: `signature.(*PolicyContext).IsRunningImageAllowed` requires every requirement of the list to allow the
 * image (an AND, first denial wins), so `reject` makes the rest irrelevant and `insecureAcceptAnything` next to other
 * requirements adds nothing (spec containers-policy.md §4.1, §8).
 */
import type { Requirement } from "../../ir/types.js";
import type { Rule } from "../rule.js";

function check(ctx: Parameters<Rule["create"]>[0], list: Requirement[], where: string): void {
  if (list.length < 2) return;
  const reject = list.find((r) => r.type === "reject");
  if (reject) {
    ctx.report({
      messageId: "reject",
      data: { Where: where[0].toUpperCase() + where.slice(1), others: String(list.length - 1) },
      span: reject.origin,
      file: reject.origin ? undefined : ctx.file,
      related: list
        .filter((r) => r !== reject && r.origin)
        .map((r) => ({ message: `never makes a difference: ${r.type}`, span: r.origin! })),
    });
    return;
  }
  for (const r of list) {
    if (r.type !== "insecureAcceptAnything") continue;
    ctx.report({ messageId: "accept", data: { where }, span: r.origin, file: r.origin ? undefined : ctx.file });
  }
}

/** The rule. */
export const redundantRequirement: Rule = {
  meta: {
    code: "IT4005",
    name: "redundant-requirement",
    category: "style",
    defaultSeverity: "warning",
    description: "reject combined with other requirements, or insecureAcceptAnything next to others.",
    docs: {
      what: "Reports requirement lists that contain `reject` together with other requirements, or `insecureAcceptAnything` together with others.",
      why:
        "Every requirement of a list must allow the image. With `reject` in the list nothing else matters, which usually " +
        "means the author expected an OR; `insecureAcceptAnything` next to a signature requirement reads like a bypass but changes nothing.",
      example: '"quay.io/acme": [{ "type": "insecureAcceptAnything" }, { "type": "signedBy", "keyType": "GPGKeys", "keyPath": "/k.gpg" }]',
      instead: '"quay.io/acme": [{ "type": "signedBy", "keyType": "GPGKeys", "keyPath": "/k.gpg" }]',
    },
    messages: {
      reject: "{Where} contains reject and {others} other requirement(s): the list denies every image, the others never matter.",
      accept: "insecureAcceptAnything in {where} adds nothing: every other requirement of the list must still allow the image.",
    },
  },
  create(ctx) {
    return {
      defaultRequirements(list) {
        check(ctx, list, "the global default");
      },
      scope(entry, transport) {
        check(ctx, entry.requirements, entry.scope === "" ? `the default of transport '${transport.name}'` : `scope '${entry.scope}' of transport '${transport.name}'`);
      },
    };
  },
};
