/**
 * exact-repository-with-tag (IT4014): an exactRepository identity whose dockerRepository has a tag or digest.
 *
 * Upstream: `newPRMExactRepository` parses `dockerRepository` with `reference.ParseNormalizedNamed` (tags and digests
 * accepted) and `prmExactRepository.matchesDockerReference` compares only repository names, so the tag or digest is
 * silently ignored: any signature for any tag of the repository is accepted.
 */
import type { IdentityMatch } from "../../ir/types.js";
import type { Rule } from "../rule.js";

/** The tag or digest part of a repository string, if any. */
export function tagOrDigestOf(repo: string): string | undefined {
  const at = repo.indexOf("@");
  if (at >= 0) return repo.slice(at);
  const last = repo.slice(repo.lastIndexOf("/") + 1);
  const colon = last.indexOf(":");
  return colon >= 0 && repo.includes("/") ? last.slice(colon) : undefined;
}

/** The rule. */
export const exactRepositoryWithTag: Rule = {
  meta: {
    code: "IT4014",
    name: "exact-repository-with-tag",
    category: "correctness",
    defaultSeverity: "warning",
    description: "exactRepository with a tag or digest, which is silently ignored.",
    docs: {
      what: "Reports `exactRepository` identities whose `dockerRepository` carries a `:tag` or `@digest`.",
      why: "Only the repository is compared; the tag or digest is ignored, so signatures of every tag are accepted — not just the one written.",
      example: '"signedIdentity": { "type": "exactRepository", "dockerRepository": "quay.io/acme/app:1.0" }',
      instead: '"signedIdentity": { "type": "exactReference", "dockerReference": "quay.io/acme/app:1.0" }   (or exactRepository "quay.io/acme/app")',
    },
    messages: {
      tag: "exactRepository '{repo}' has '{extra}', which is ignored: signatures of any tag of the repository are accepted. Use exactReference to pin it.",
    },
  },
  create(ctx) {
    return {
      requirement(r) {
        const id: IdentityMatch | undefined =
          r.type === "signedBy" || r.type === "sigstoreSigned" ? r.signedIdentity : r.type === "signedBaseLayer" ? r.baseLayerIdentity : undefined;
        if (!id || id.type !== "exactRepository") return;
        const extra = tagOrDigestOf(id.dockerRepository);
        if (!extra) return;
        const span = id.origin ?? r.origin;
        ctx.report({ messageId: "tag", data: { repo: id.dockerRepository, extra }, span, file: span ? undefined : ctx.file });
      },
    };
  },
};
