/**
 * Identity rules of a .trust file (`exact-reference`, `exact-repository`, `remap`, named rules): containers/image's
 * `newPRMExactReference`, `newPRMExactRepository` and `newPRMRemapIdentity` (src/ir/constraints.ts), plus cycles
 * between named rules.
 */
import { newPRMExactReference, newPRMExactRepository, newPRMRemapIdentity } from "../ir/constraints.js";
import type * as A from "../syntax/ast.js";
import type { TrustCheckContext } from "./check-context.js";
import { CHECK_CODES as C } from "./codes.js";

/** One identity rule, where it is declared or used. */
export function checkIdentitySpec(ctx: TrustCheckContext, spec: A.IdentitySpec): void {
  if (spec.recovered) return;
  switch (spec.kind) {
    case "named": {
      const d = ctx.resolve(spec.name, "identity", "Identity rule");
      // Named rules may name other rules; a chain that comes back to where it started has no meaning.
      const seen = new Set<string>();
      for (let cur = d; cur?.type === "identity" && cur.spec.kind === "named"; cur = ctx.names.get(cur.spec.name.name)) {
        if (seen.has(cur.name.name)) {
          if (![...seen].some((n) => ctx.reportedIdentityCycles.has(n))) {
            for (const n of seen) ctx.reportedIdentityCycles.add(n);
            ctx.report(C.identityCycle, "error", `Identity rule '${cur.name.name}' is defined in terms of itself: ${[...seen, cur.name.name].join(" → ")}.`, cur.name.span);
          }
          break;
        }
        seen.add(cur.name.name);
      }
      return;
    }
    case "exact-reference": {
      for (const v of newPRMExactReference(spec.reference.value)) {
        if (v.rule === "invalidReference") {
          ctx.report(C.invalidIdentityReference, "error", `Invalid format of dockerReference "${spec.reference.value}": ${v.error}.`, spec.reference.span);
        } else {
          ctx.report(C.invalidIdentityReference, "error", `dockerReference "${spec.reference.value}" contains neither a tag nor digest.`, spec.reference.span, {
            hint: "exact-reference names one image (name:tag or name@digest); for a whole repository use exact-repository.",
          });
        }
      }
      return;
    }
    case "exact-repository": {
      for (const v of newPRMExactRepository(spec.repository.value)) {
        if (v.rule === "invalidReference") {
          ctx.report(C.invalidIdentityReference, "error", `Invalid format of dockerRepository "${spec.repository.value}": ${v.error}.`, spec.repository.span);
        }
      }
      return;
    }
    case "remap":
      ctx.needFeature("remapIdentity", spec.span);
      for (const v of newPRMRemapIdentity(spec.prefix.value, spec.signedPrefix.value)) {
        const p = v.field === "prefix" ? spec.prefix : spec.signedPrefix;
        ctx.report(C.invalidRemapPrefix, "error", `prefix "${p.value}" is not valid: it must be a host[:port] or start with one followed by '/'.`, p.span, {
          hint: 'e.g. remap "mirror.example:5000/vendor" to "registry.vendor.example"',
        });
      }
      return;
    default:
      return;
  }
}
