/**
 * signed-by-without-lookaside (IT4017): a docker scope requires GPG (simple signing) signatures, but the registries.d
 * configuration used with the policy gives its images no lookaside.
 *
 * Upstream: simple signatures of registry images come from the lookaside (`docker/docker_image_src.go`
 * `getSignaturesFromLookaside`, URL from `(*registryConfiguration).lookasideURL` in docker/registries_d.go, most
 * specific namespace first, then `default-docker`, then the built-in local directory /var/lib/containers/sigstore or
 * ~/.local/share/containers/sigstore) or, for registries that support it, the X-Registry-Supports-Signatures API.
 * Checked only when the registries.d configuration is known: a configuration directory, `--registries-d`, or the
 * runtime's own files.
 */
import { dockerScopeAncestors } from "../../check/scope-ancestors.js";
import type { RegistriesDConfig, SignatureStorage } from "../../ir/types.js";
import type { Rule } from "../rule.js";
import { dockerScopeProblem } from "./never-matching-scope.js";

const hasLookaside = (s: SignatureStorage | undefined) => !!s && (s.lookaside !== undefined || s.sigstore !== undefined);

/** Whether images under policy scope `scope` read simple signatures from a configured lookaside. */
export function lookasideConfigured(scope: string, config: RegistriesDConfig): boolean {
  if (hasLookaside(config.defaultDocker?.storage)) return true;
  if (scope === "" || scope.startsWith("*.")) return config.docker.some((e) => hasLookaside(e.storage));
  const ancestors = dockerScopeAncestors(scope);
  return config.docker.some((e) => hasLookaside(e.storage) && (ancestors.includes(e.scope) || e.scope.startsWith(scope + "/")));
}

/** The rule. */
export const signedByWithoutLookaside: Rule = {
  meta: {
    code: "IT4017",
    name: "signed-by-without-lookaside",
    category: "correctness",
    defaultSeverity: "warning",
    description: "signedBy for registry images whose registries.d configures no lookaside.",
    docs: {
      what:
        "Reports signedBy requirements of the docker transport when the registries.d configuration used with the policy " +
        "has no `lookaside` (or deprecated `sigstore`) for any image they cover, nor in default-docker. Runs when linting a " +
        "configuration directory, with `--registries-d`, or on the runtime's own files.",
      why:
        "Simple signatures are then read only from the built-in local directory (/var/lib/containers/sigstore) or the " +
        "registry's signature API, which most registries (Docker Hub, ghcr.io, quay.io) lack: every pull fails with " +
        "'A signature was required, but no signature exists'.",
      example: 'policy.json: "registry.example.com/acme": [{ "type": "signedBy", "keyType": "GPGKeys", "keyPath": "/etc/pki/acme.gpg" }]   registries.d: (nothing)',
      instead: "registries.d/acme.yaml:\n  docker:\n    registry.example.com/acme:\n      lookaside: https://sigs.example.com/acme",
    },
    messages: {
      noLookaside:
        "{where} requires simple signatures, but registries.d configures no lookaside for its images: they are looked up only in the built-in local directory and the registry's signature API.",
    },
  },
  create(ctx) {
    return {
      requirement(r, place) {
        const storage = ctx.signatureStorage;
        if (!storage || r.type !== "signedBy" || place.kind !== "scope" || place.transport.name !== "docker") return;
        const scope = place.scope.scope;
        if (dockerScopeProblem(scope) && !dockerScopeProblem(scope)?.partial) return; // never used: IT4002 says so
        if (lookasideConfigured(scope, storage)) return;
        ctx.report({
          messageId: "noLookaside",
          data: { where: scope === "" ? "The docker transport default" : `Scope '${scope}'` },
          span: r.origin,
          file: r.origin ? undefined : ctx.file,
          hint: `Add a "lookaside:" URL for ${scope === "" ? "the registries you pull from" : `'${scope}'`} in registries.d.`,
        });
      },
    };
  },
};
