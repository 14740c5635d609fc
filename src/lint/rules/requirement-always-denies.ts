/**
 * requirement-always-denies (IT4004): a requirement that loads fine but can never accept an image.
 *
 * Upstream (signature/policy_eval_*.go): `prSignedBaseLayer.isRunningImageAllowed` returns
 * "signedBaseLayer not implemented yet!"; `prSignedBy.isSignatureAuthorAccepted` rejects every keyType but GPGKeys
 * (`Unimplemented "keyType" value …`) and fails with "No public keys imported" for `keyPaths: []` / `keyData: ""`;
 * the oci, oci-archive, docker-archive, docker-daemon, sif and tarball transports never return signatures
 * (`A signature was required, but no signature exists`); identity rules that compare Docker references
 * (`prmMatchExact` … `prmRemapIdentity.matchesDockerReference`) reject every signature when the image reference has
 * no Docker reference, as dir: references never do (spec containers-policy.md §4.5, §8).
 */
import type { IdentityMatch, Requirement } from "../../ir/types.js";
import type { Rule } from "../rule.js";

/** Transports whose images never carry signatures (spec §4.5). */
const NO_SIGNATURES = new Set(["oci", "oci-archive", "docker-archive", "docker-daemon", "sif", "tarball"]);

/** Transports whose references have no Docker reference, so only exactReference / exactRepository can match. */
const NO_DOCKER_REFERENCE = new Set(["dir", "oci", "oci-archive", "sif", "tarball"]);

/** Identity rules that compare the signature with the image's own Docker reference. */
const NEEDS_IMAGE_REFERENCE = new Set<IdentityMatch["type"]>(["matchExact", "matchRepoDigestOrExact", "matchRepository", "remapIdentity"]);

function identityOf(r: Requirement): IdentityMatch["type"] | undefined {
  if (r.type === "signedBy" || r.type === "sigstoreSigned") return r.signedIdentity?.type ?? "matchRepoDigestOrExact";
  return undefined;
}

/** The rule. */
export const requirementAlwaysDenies: Rule = {
  meta: {
    code: "IT4004",
    name: "requirement-always-denies",
    category: "correctness",
    defaultSeverity: "warning",
    description: "A requirement that loads but can never accept an image.",
    docs: {
      what:
        "Reports requirements containers/image accepts when loading the policy but that deny every image at pull time: " +
        "`signedBaseLayer`; `signedBy` with a keyType other than GPGKeys or with `keyPaths: []` / `keyData: \"\"`; " +
        "signature requirements under transports that never carry signatures (oci, oci-archive, docker-archive, " +
        "docker-daemon, sif, tarball); identity rules that need the image's Docker reference under dir/oci/sif/tarball scopes.",
      why: "The policy looks like it allows signed images, but every pull it governs fails — usually discovered in production.",
      example: '"docker": { "quay.io/acme": [{ "type": "signedBy", "keyType": "X509Certificates", "keyPath": "/k.pem" }] }',
      instead: '"docker": { "quay.io/acme": [{ "type": "signedBy", "keyType": "GPGKeys", "keyPath": "/etc/pki/acme.gpg" }] }',
    },
    messages: {
      signedBaseLayer: "signedBaseLayer is not implemented by containers/image: it denies every image (\"signedBaseLayer not implemented yet!\").",
      keyType: 'keyType "{keyType}" parses but is not implemented: every signature is rejected (only "GPGKeys" works).',
      noKeys: "{field} holds no key: every signature is rejected (\"No public keys imported\").",
      noSignatures: "Images read through the '{transport}' transport never carry signatures, so this {type} requirement denies every image.",
      identity:
        "'{transport}' references have no Docker reference, so the {identity} identity rule rejects every signature; use exactReference or exactRepository.",
    },
  },
  create(ctx) {
    return {
      requirement(r, place) {
        const span = r.origin;
        const report = (messageId: string, data: Record<string, string> = {}) =>
          ctx.report({ messageId, data, span, file: span ? undefined : ctx.file });
        if (r.type === "signedBaseLayer") {
          report("signedBaseLayer");
          return;
        }
        if (r.type === "signedBy") {
          if (r.keyType !== "GPGKeys") report("keyType", { keyType: r.keyType });
          if (r.keyPaths !== undefined && r.keyPaths.length === 0) report("noKeys", { field: "keyPaths: []" });
          if (r.keyData !== undefined && r.keyData === "") report("noKeys", { field: 'keyData: ""' });
        }
        if (r.type === "sigstoreSigned" && r.keyData === "" && !r.keyDatas && !r.keyPath && !r.keyPaths && !r.fulcio && !r.pki) {
          report("noKeys", { field: 'keyData: ""' });
        }
        if (place.kind !== "scope") return;
        const transport = place.transport.name;
        if ((r.type === "signedBy" || r.type === "sigstoreSigned") && NO_SIGNATURES.has(transport)) {
          report("noSignatures", { transport, type: r.type });
          return;
        }
        const identity = identityOf(r);
        if (identity && NO_DOCKER_REFERENCE.has(transport) && NEEDS_IMAGE_REFERENCE.has(identity)) {
          report("identity", { transport, identity: r.type === "signedBy" || r.type === "sigstoreSigned" ? (r.signedIdentity ? identity : `default (${identity})`) : identity });
        }
      },
    };
  },
};
