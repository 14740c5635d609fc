/**
 * remap-identity-mismatch (IT4013): a remapIdentity that can never rewrite anything for the scope it sits in.
 *
 * Upstream: `prmRemapIdentity.remapReferencePrefix` (signature/policy_reference_match.go) rewrites the image
 * reference only when its name starts with `prefix` at a path boundary; otherwise the reference is matched unchanged
 * (matchRepoDigestOrExact). A prefix equal to signedPrefix rewrites to itself.
 */
import type { IdentityMatch } from "../../ir/types.js";
import type { Rule } from "../rule.js";

function under(name: string, prefix: string): boolean {
  return name === prefix || name.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
}

/** The rule. */
export const remapIdentityMismatch: Rule = {
  meta: {
    code: "IT4013",
    name: "remap-identity-mismatch",
    category: "correctness",
    defaultSeverity: "warning",
    description: "A remapIdentity whose prefix equals its signedPrefix, or matches no image of its scope.",
    docs: {
      what:
        "Reports remapIdentity rules whose `prefix` equals `signedPrefix` (a no-op), or whose `prefix` covers no image the " +
        "enclosing docker scope matches (the rule then behaves exactly like matchRepoDigestOrExact).",
      why: "remapIdentity is written for mirrors: signatures name the original registry. When the prefix does not fit the scope, signatures made for the original name are rejected on the mirror.",
      example: '"mirror.example.com/acme": [{ "type": "signedBy", …, "signedIdentity": { "type": "remapIdentity", "prefix": "quay.io/acme", "signedPrefix": "quay.io/acme" } }]',
      instead: '"mirror.example.com/acme": [{ "type": "signedBy", …, "signedIdentity": { "type": "remapIdentity", "prefix": "mirror.example.com/acme", "signedPrefix": "quay.io/acme" } }]',
    },
    messages: {
      noop: "remapIdentity rewrites '{prefix}' to itself: it is matchRepoDigestOrExact in disguise.",
      outside: "remapIdentity prefix '{prefix}' covers no image of scope '{scope}', so nothing is ever remapped.",
    },
  },
  create(ctx) {
    return {
      requirement(r, place) {
        const id: IdentityMatch | undefined =
          r.type === "signedBy" || r.type === "sigstoreSigned" ? r.signedIdentity : r.type === "signedBaseLayer" ? r.baseLayerIdentity : undefined;
        if (!id || id.type !== "remapIdentity") return;
        const span = id.origin ?? r.origin;
        const where = { span, file: span ? undefined : ctx.file };
        if (id.prefix === id.signedPrefix) {
          ctx.report({ messageId: "noop", data: { prefix: id.prefix }, ...where });
          return;
        }
        if (place.kind !== "scope" || place.transport.name !== "docker") return;
        const scope = place.scope.scope;
        if (scope === "" || scope.startsWith("*.")) return;
        const name = scope.replace(/@.*$/, "").replace(/(\/[^/:]*):[^/]*$/, "$1");
        if (under(name, id.prefix) || under(id.prefix, name)) return;
        ctx.report({ messageId: "outside", data: { prefix: id.prefix, scope }, ...where });
      },
    };
  },
};
