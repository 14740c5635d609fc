/**
 * mirror-signature-storage-differs (IT4020): a registries.conf mirror whose registries.d signature storage differs from
 * that of the namespace it mirrors.
 *
 * Upstream: signatures of a pull through a mirror are read from the mirror's lookaside and with the mirror's
 * use-sigstore-attachments (docker/registries_d.go looked up with the endpoint's physical reference), never the
 * requested namespace's.
 */
import { decidingRequirements, effectiveStorage, hasOwnStorage } from "../signature-storage.js";
import type { Rule } from "../rule.js";
import { otherEndpoints } from "./mirror-without-signature-config.js";
import { redactUrl } from "../../registries/redact-url.js";

/** The rule. */
export const mirrorSignatureStorageDiffers: Rule = {
  meta: {
    code: "IT4020",
    name: "mirror-signature-storage-differs",
    category: "correctness",
    defaultSeverity: "warning",
    description: "A mirror whose registries.d signature storage differs from the mirrored namespace's.",
    docs: {
      what:
        "With `--registries-conf` (and registries.d known), reports mirrors and rewritten locations whose lookaside or " +
        "use-sigstore-attachments (as registries.d resolves them) differ from those of the requested namespace, when the " +
        "policy requires signatures for it.",
      why: "Signatures are read from the mirror's storage: a different lookaside must hold the same signatures, and attachments switched off on the mirror hide sigstore signatures.",
      example: "registries.d: docker: { quay.io/acme: { use-sigstore-attachments: true }, mirror.local/acme: { lookaside: https://sigs.local } }",
      instead: "registries.d: docker: { quay.io/acme: { use-sigstore-attachments: true }, mirror.local/acme: { use-sigstore-attachments: true } }",
    },
    messages: {
      differs: "Mirror '{mirror}' of '{prefix}' has signature storage [{mirrorWhat}], but '{prefix}' has [{prefixWhat}]: pulls through the mirror use the mirror's.",
    },
  },
  create(ctx) {
    const describe = (s: { lookaside: string; attachments: boolean }) =>
      `lookaside ${redactUrl(s.lookaside) || "(none configured)"}, use-sigstore-attachments ${s.attachments}`;
    return {
      end() {
        const conf = ctx.registriesConf;
        const storage = ctx.signatureStorage;
        const policy = ctx.policy;
        if (!conf || !storage || !policy) return;
        for (const entry of conf.registries) {
          if (entry.blocked || !decidingRequirements(entry.prefix, policy).requiresSignatures) continue;
          const want = effectiveStorage(entry.prefix, storage);
          for (const m of otherEndpoints(entry)) {
            if (!hasOwnStorage(m.location, storage)) continue; // IT4019's case
            const got = effectiveStorage(m.location, storage);
            if (got.lookaside === want.lookaside && got.attachments === want.attachments) continue;
            const span = m.locationOrigin ?? m.origin;
            ctx.report({
              messageId: "differs",
              data: { mirror: m.location, prefix: entry.prefix, mirrorWhat: describe(got), prefixWhat: describe(want) },
              span,
              file: span ? undefined : entry.file,
            });
          }
        }
      },
    };
  },
};
