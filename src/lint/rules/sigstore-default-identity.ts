/**
 * sigstore-default-identity (IT4012): sigstoreSigned for registry images with the default identity rule.
 *
 * Upstream: `prSigstoreSigned` defaults `signedIdentity` to matchRepoDigestOrExact
 * (`signature/policy_config_sigstore.go`); `prmMatchRepoDigestOrExact.matchesDockerReference` requires the signed
 * reference to equal a tagged image reference exactly. `cosign sign` signs the digest and records the repository
 * without the tag, so pulls by tag of cosign-signed images are denied ("Signature for identity … is not accepted").
 */
import type { Rule } from "../rule.js";

/** The rule. */
export const sigstoreDefaultIdentity: Rule = {
  meta: {
    code: "IT4012",
    name: "sigstore-default-identity",
    category: "correctness",
    defaultSeverity: "info",
    description: "sigstoreSigned without signedIdentity: tag pulls of images signed by cosign are denied.",
    docs: {
      what: "Reports sigstoreSigned requirements of the docker transport that leave `signedIdentity` at its default (matchRepoDigestOrExact).",
      why:
        "cosign records the repository (no tag) in the signature; the default identity rule demands an exact match for " +
        "tagged references, so `podman pull quay.io/acme/app:1` is denied although the image is signed. Signatures made " +
        "by `podman push --sign-by-sigstore` record the tag and do match.",
      example: '"quay.io/acme": [{ "type": "sigstoreSigned", "keyPath": "/etc/pki/acme.pub" }]',
      instead: '"quay.io/acme": [{ "type": "sigstoreSigned", "keyPath": "/etc/pki/acme.pub", "signedIdentity": { "type": "matchRepository" } }]',
    },
    messages: {
      defaultIdentity:
        "sigstoreSigned uses the default identity rule (matchRepoDigestOrExact): images signed with cosign are denied when pulled by tag; add \"signedIdentity\": {\"type\": \"matchRepository\"} if they are signed that way.",
    },
  },
  create(ctx) {
    return {
      requirement(r, place) {
        if (r.type !== "sigstoreSigned" || r.signedIdentity) return;
        if (place.kind === "scope" && place.transport.name !== "docker") return;
        ctx.report({ messageId: "defaultIdentity", span: r.origin, file: r.origin ? undefined : ctx.file });
      },
    };
  },
};
