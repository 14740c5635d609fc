/**
 * insecure-registry-scope (IT4008): insecureAcceptAnything for a whole registry (`host[:port]`) or a wildcard host
 * (`*.example.com`).
 *
 * Upstream: docker scopes match the identity, its parent namespaces, the host and `*.`-wildcards
 * (docker/policyconfiguration `DockerReferenceNamespaces`), so such a scope admits every repository of the host(s)
 * unchecked; anyone who can push anything there can run it.
 */
import type { Rule } from "../rule.js";
import { REGISTRY_TRANSPORTS } from "./insecure-transport-default.js";
import { dockerScopeProblem } from "./never-matching-scope.js";

/** True for scopes naming a whole registry or a wildcard of hosts. */
export function isRegistryWideScope(scope: string): boolean {
  return scope !== "" && !scope.includes("/");
}

/** The rule. */
export const insecureRegistryScope: Rule = {
  meta: {
    code: "IT4008",
    name: "insecure-registry-scope",
    category: "security",
    defaultSeverity: "warning",
    description: "insecureAcceptAnything for a whole registry or a wildcard of registries.",
    docs: {
      what: "Reports docker/atomic scopes that name a whole registry (`quay.io`, `localhost:5000`) or a wildcard (`*.example.com`) and accept anything.",
      why:
        "Every repository of every matching host is admitted unchecked: anyone who can create a repository there (for " +
        "public registries, anyone at all) can get an image run.",
      example: '"docker": { "quay.io": [{ "type": "insecureAcceptAnything" }] }',
      instead: '"docker": { "quay.io/acme/app": [{ "type": "insecureAcceptAnything" }] }   (name the repositories, or require signatures)',
    },
    messages: {
      registry: "Scope '{scope}' accepts every image of {what} without checking signatures.",
    },
  },
  create(ctx) {
    return {
      scope(entry, transport) {
        if (!REGISTRY_TRANSPORTS.has(transport.name) || !isRegistryWideScope(entry.scope)) return;
        if (dockerScopeProblem(entry.scope)) return; // never matches anything: IT4002 says so
        if (/^\*\.[^.:/]+$/.test(entry.scope)) return; // a top-level domain: IT4022 says so
        const reqs = entry.requirements;
        if (reqs.length === 0 || !reqs.every((r) => r.type === "insecureAcceptAnything")) return;
        const span = entry.keyOrigin ?? entry.origin;
        ctx.report({
          messageId: "registry",
          data: { scope: entry.scope, what: entry.scope.startsWith("*.") ? `every host under '${entry.scope.slice(2)}'` : `the whole registry '${entry.scope}'` },
          span,
          file: span ? undefined : ctx.file,
          hint: "Name the repositories you trust, or require signatures for the registry.",
        });
      },
    };
  },
};
