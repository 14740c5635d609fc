/**
 * sigstore-without-attachments (IT4006): a docker scope requires sigstore signatures, but the registries.d
 * configuration used with the policy never enables `use-sigstore-attachments` for any image the scope covers.
 *
 * Upstream: sigstore signatures of registry images are read only as attachments
 * (`docker/docker_image_src.go` `appendSignaturesFromSigstoreAttachments`, gated by
 * `(*registryConfiguration).useSigstoreAttachments` in docker/registries_d.go, default false), so
 * `prSigstoreSigned` then finds no signature: `A signature was required, but no signature exists`.
 * Checked only when the registries.d configuration is known: a configuration directory, or the runtime's files.
 */
import type { RegistriesDConfig } from "../../ir/types.js";
import type { Rule } from "../rule.js";

/** The host (without port) of a docker scope, or undefined for "" and wildcards. */
function hostOf(scope: string): string | undefined {
  if (scope === "" || scope.startsWith("*.")) return undefined;
  const host = scope.split("/")[0];
  return host.replace(/:\d+$/, "");
}

/**
 * Whether some image covered by policy scope `scope` ("" = every image) may get `use-sigstore-attachments: true`:
 * from default-docker, an entry equal to or enclosing the scope, an entry below it, or a matching wildcard.
 */
export function attachmentsPossible(scope: string, config: RegistriesDConfig): boolean {
  if (config.defaultDocker?.storage.useSigstoreAttachments === true) return true;
  const enabled = config.docker.filter((e) => e.storage.useSigstoreAttachments === true);
  if (scope === "" || scope.startsWith("*.")) return enabled.length > 0;
  const host = hostOf(scope);
  return enabled.some((e) => {
    const k = e.scope;
    if (k === scope || scope.startsWith(k + "/") || k.startsWith(scope + "/")) return true;
    // A tagged/digested scope is an identity: namespaces of it are its repository and parents.
    const repo = scope.replace(/(@[^/]*|:[^:/]*)$/, "");
    if (k === repo || repo.startsWith(k + "/")) return true;
    // A wildcard entry matches images whose port-less host ends with ".domain".
    return k.startsWith("*.") && host !== undefined && host.endsWith(k.slice(1));
  });
}

/** The rule. */
export const sigstoreWithoutAttachments: Rule = {
  meta: {
    code: "IT4006",
    name: "sigstore-without-attachments",
    category: "correctness",
    defaultSeverity: "warning",
    description: "sigstoreSigned for registry images whose registries.d never enables use-sigstore-attachments.",
    docs: {
      what:
        "Reports sigstoreSigned requirements of the docker transport (scopes or transport default) when the registries.d " +
        "configuration used with the policy enables `use-sigstore-attachments` for none of the images they cover. " +
        "Runs when linting a configuration directory (policy.json + registries.d/) or the runtime's own files.",
      why:
        "containers/image reads sigstore signatures of registry images only as attachments, and only when registries.d " +
        "says so; otherwise every pull under the requirement fails with 'A signature was required, but no signature exists'.",
      example: 'policy.json: "quay.io/acme": [{ "type": "sigstoreSigned", "keyPath": "/etc/pki/acme.pub" }]   registries.d: (nothing for quay.io/acme)',
      instead: "registries.d/acme.yaml:\n  docker:\n    quay.io/acme:\n      use-sigstore-attachments: true",
    },
    messages: {
      noAttachments:
        "{where} requires sigstore signatures, but registries.d enables use-sigstore-attachments for none of its images, so every pull is denied.",
    },
  },
  create(ctx) {
    return {
      requirement(r, place) {
        const storage = ctx.signatureStorage;
        // The .trust checker owns this finding for .trust sources (IT2150 / IT2151).
        if (ctx.frontEnd === "trust") return;
        if (!storage || r.type !== "sigstoreSigned" || place.kind !== "scope" || place.transport.name !== "docker") return;
        const scope = place.scope.scope;
        if (attachmentsPossible(scope, storage)) return;
        ctx.report({
          messageId: "noAttachments",
          data: { where: scope === "" ? "The docker transport default" : `Scope '${scope}'` },
          span: r.origin,
          file: r.origin ? undefined : ctx.file,
          hint: `Add "use-sigstore-attachments: true" for ${scope === "" ? "the registries you pull from (or default-docker)" : `'${scope}'`} in registries.d.`,
        });
      },
    };
  },
};
