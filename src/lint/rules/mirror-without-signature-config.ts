/**
 * mirror-without-signature-config (IT4019): a registries.conf mirror (or rewritten location) of a registry whose
 * images need signatures, with no signature storage of its own in registries.d.
 *
 * Upstream: a pull through a mirror reads signatures with the mirror's reference (docker/docker_image_src.go
 * `newImageSource` → `(*dockerImageSource).GetSignatures` uses the endpoint's `physicalRef`), so registries.d is
 * consulted for the mirror's location (docker/registries_d.go), not for the name the user asked for
 * (pkg/sysregistriesv2 `Registry.PullSourcesFromReference`).
 */
import type { RegistryEndpoint } from "../../registries/types.js";
import { parseNormalizedNamed } from "../../reference/docker-reference.js";
import { decidingRequirements, effectiveStorage, hasOwnStorage } from "../signature-storage.js";
import type { Rule } from "../rule.js";
import { redactUrl } from "../../registries/redact-url.js";

/** The endpoints of an entry that pull under another name than the requested one. */
export function otherEndpoints(entry: { prefix: string; location: string; mirrors: RegistryEndpoint[] } & RegistryEndpoint): RegistryEndpoint[] {
  // Locations that are not valid references fail every pull (the registries.conf loader reports them, IT1427).
  const valid = (l: string) => l !== "" && parseNormalizedNamed(l.replace(/\/+$/, "")).ok;
  const out = entry.mirrors.filter((m) => valid(m.location));
  if (valid(entry.location) && entry.location !== entry.prefix && !entry.prefix.startsWith("*.")) out.unshift(entry);
  return out;
}

/** The rule. */
export const mirrorWithoutSignatureConfig: Rule = {
  meta: {
    code: "IT4019",
    name: "mirror-without-signature-config",
    category: "correctness",
    defaultSeverity: "warning",
    description: "A registries.conf mirror of a registry that needs signatures, with no registries.d storage of its own.",
    docs: {
      what:
        "With `--registries-conf` (and registries.d known), reports mirrors and rewritten locations of registries whose " +
        "images the policy requires signatures for, when registries.d has a lookaside or use-sigstore-attachments for the " +
        "requested name but nothing for the mirror's location.",
      why:
        "Signatures are read from the mirror's own signature storage; the requested registry's lookaside and " +
        "use-sigstore-attachments are ignored. Pulls that fall through to the mirror find no signature and are denied.",
      example: 'registries.conf: [[registry]] location = "quay.io/acme"  [[registry.mirror]] location = "mirror.local/acme"   registries.d: docker: quay.io/acme: use-sigstore-attachments: true',
      instead: "registries.d: docker:\n  quay.io/acme: { use-sigstore-attachments: true }\n  mirror.local/acme: { use-sigstore-attachments: true }",
    },
    messages: {
      noStorage:
        "Mirror '{mirror}' of '{prefix}' has no signature storage in registries.d (the requested name has {what}); {scope} requires signatures, so pulls through the mirror find none.",
    },
  },
  create(ctx) {
    return {
      end() {
        const conf = ctx.registriesConf;
        const storage = ctx.signatureStorage;
        const policy = ctx.policy;
        if (!conf || !storage || !policy) return;
        for (const entry of conf.registries) {
          if (entry.blocked) continue;
          const decide = decidingRequirements(entry.prefix, policy);
          if (!decide.requiresSignatures || !hasOwnStorage(entry.prefix, storage)) continue;
          const want = effectiveStorage(entry.prefix, storage);
          for (const m of otherEndpoints(entry)) {
            if (hasOwnStorage(m.location, storage)) continue;
            const span = m.locationOrigin ?? m.origin;
            ctx.report({
              messageId: "noStorage",
              data: {
                mirror: m.location,
                prefix: entry.prefix,
                what: [want.from && want.from !== "default-docker" ? `lookaside ${redactUrl(String(want.lookaside))}` : "", want.attachments ? "use-sigstore-attachments" : ""].filter(Boolean).join(" and ") || "signature storage",
                scope: decide.scope === undefined ? "the global default" : decide.scope === "" ? "the docker default" : `scope '${decide.scope}'`,
              },
              span,
              file: span ? undefined : entry.file,
              hint: `Add a docker entry for '${m.location}' in registries.d with the same lookaside / use-sigstore-attachments.`,
            });
          }
        }
      },
    };
  },
};
