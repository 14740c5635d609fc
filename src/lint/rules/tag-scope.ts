/**
 * tag-scope (IT4026): a docker scope naming one tag of a repository.
 *
 * Upstream: a tagged scope equals only the `PolicyConfigurationIdentity` of references with exactly that tag
 * (docker/policyconfiguration `DockerReferenceIdentity`); pulls by digest — as bootc/rpm-ostree and CRI-O do after
 * resolving a tag — and every other tag are looked up by the repository and its namespaces instead.
 */
import type { Rule } from "../rule.js";
import { tagOrDigestOf } from "./exact-repository-with-tag.js";
import { dockerScopeProblem } from "./never-matching-scope.js";

/** The rule. */
export const tagScope: Rule = {
  meta: {
    code: "IT4026",
    name: "tag-scope",
    category: "correctness",
    defaultSeverity: "info",
    description: "A docker scope for a single tag: pulls by digest and other tags are decided by another scope.",
    docs: {
      what: "Reports docker/atomic scopes that carry a `:tag` when no scope for the repository itself exists (digest scopes pin one image on purpose and are left alone).",
      why:
        "Only references with exactly that tag use the scope. `ghcr.io/acme/os:latest` does not cover `ghcr.io/acme/os@sha256:…`, " +
        "which is how bootc, rpm-ostree and many orchestrators pull after resolving the tag, nor `:v2`: those fall back to " +
        "the namespace, transport default or global default — often `reject`, sometimes `insecureAcceptAnything`.",
      example: '"docker": { "ghcr.io/acme/os:latest": [{ "type": "sigstoreSigned", … }] }',
      instead: '"docker": { "ghcr.io/acme/os": [{ "type": "sigstoreSigned", … }] }',
    },
    messages: {
      tag: "Scope '{scope}' applies only to '{extra}'; pulls of '{repo}' by digest or by another tag are decided by {fallback}.",
    },
  },
  create(ctx) {
    return {
      scope(entry, transport) {
        if (transport.name !== "docker" && transport.name !== "atomic") return;
        const extra = tagOrDigestOf(entry.scope);
        // Digest scopes pin one image on purpose; only tags are reported.
        if (!extra || extra.startsWith("@") || dockerScopeProblem(entry.scope)) return;
        const repo = entry.scope.slice(0, entry.scope.length - extra.length);
        if (transport.scopes.some((s) => s.scope === repo)) return;
        const parent = transport.scopes
          .map((s) => s.scope)
          .filter((s) => s !== "" && !s.startsWith("*.") && repo.startsWith(s + "/"))
          .sort((a, b) => b.length - a.length)[0];
        const fallback = parent ? `scope '${parent}'` : transport.scopes.some((s) => s.scope === "") ? `the default of transport '${transport.name}'` : "the global default";
        const span = entry.keyOrigin ?? entry.origin;
        ctx.report({ messageId: "tag", data: { scope: entry.scope, extra, repo, fallback }, span, file: span ? undefined : ctx.file });
      },
    };
  },
};
