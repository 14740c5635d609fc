/**
 * Requirements in level bodies: names resolved (levels, keys, Rekor keys, identity rules) and the Rekor rules of
 * containers/image's `newPRSigstoreSigned` (src/ir/constraints.ts: fulcio needs a Rekor key, pki takes none)
 * applied to `signed by KEY [with REKOR]`.
 */
import { newPRSigstoreSigned, type SigstoreFacts } from "../ir/constraints.js";
import type * as A from "../syntax/ast.js";
import type { TrustCheckContext } from "./check-context.js";
import { checkIdentitySpec } from "./check-identities.js";
import { CHECK_CODES as C } from "./codes.js";

/** The sigstoreSigned a `signed by` of a sigstore, fulcio or pki key lowers to, as constructor facts. */
function sigstoreFacts(kind: "sigstore" | "fulcio" | "pki", withRekor: boolean): SigstoreFacts {
  return {
    keyPath: kind === "sigstore" ? "set" : "absent",
    fulcio: kind === "fulcio" ? "set" : "absent",
    pki: kind === "pki" ? "set" : "absent",
    rekorPublicKeyPath: withRekor ? "set" : "absent",
  };
}

/** The terms of a level body (a level, a scope, the default, an approval). */
export function checkLevelBody(ctx: TrustCheckContext, b: A.LevelBody): void {
  for (const t of b.terms) {
    if (t.recovered && t.kind === "levelRef") continue;
    if (t.kind === "levelRef") {
      ctx.resolve(t.name, "level", "Level");
      continue;
    }
    const r = t.requirement;
    if (r.kind === "signedBaseLayer") checkIdentitySpec(ctx, r.identity);
    if (r.kind !== "signedBy") continue;
    const key = ctx.resolve(r.key, "key", "Key", ["gpg", "sigstore", "fulcio", "pki"]) as A.KeyDecl | undefined;
    if (r.rekor) ctx.resolve(r.rekor, "key", "Rekor key", ["rekor"]);
    if (r.identity) checkIdentitySpec(ctx, r.identity);
    if (!key) continue;
    const kind = key.spec.kind;
    if (kind === "gpg") {
      // A GPG key lowers to signedBy, which has no Rekor field at all.
      if (r.rekor) {
        ctx.report(C.rekorNotAllowed, "error", `'with ${r.rekor.name}' does not apply to GPG key '${key.name.name}': Rekor checks only sigstore signatures.`, r.rekor.span);
      }
      continue;
    }
    if (kind === "rekor") continue;
    // The Rekor rules hold in every generation that has fulcio and pki; an older target is reported on the key.
    for (const v of newPRSigstoreSigned(sigstoreFacts(kind, r.rekor !== undefined), "newest")) {
      if (v.rule === "pkiWithRekor" && r.rekor) {
        ctx.report(C.rekorNotAllowed, "error", "Rekor public keys are not supported with a PKI key.", r.rekor.span);
      } else if (v.rule === "fulcioNeedsRekor") {
        const rekors = ctx.namesOf("key", ["rekor"]);
        ctx.report(C.rekorRequired, "error", `Fulcio key '${key.name.name}' needs a Rekor key: write 'signed by ${key.name.name} with REKOR'.`, r.span, {
          hint: rekors.length ? `e.g. 'signed by ${key.name.name} with ${rekors[0]}'` : 'declare one: key rekor rekor file "/etc/pki/containers/rekor.pub"',
        });
      }
    }
  }
}
