/**
 * tld-wildcard-scope (IT4022): a wildcard scope for a whole top-level domain (`*.com`, `*.io`).
 *
 * Upstream: `*.`-wildcards match every host name ending in the suffix (docker/policyconfiguration
 * `DockerReferenceNamespaces` adds `*.` + each parent domain), so `*.io` covers ghcr.io, quay.io, docker.io and every
 * registry anyone can register under .io.
 */
import type { Rule } from "../rule.js";

const LOOSE = new Set(["insecureAcceptAnything"]);

/** The rule. */
export const tldWildcardScope: Rule = {
  meta: {
    code: "IT4022",
    name: "tld-wildcard-scope",
    category: "security",
    defaultSeverity: "warning",
    description: "A wildcard scope for a whole top-level domain (*.com, *.io).",
    docs: {
      what: "Reports docker scopes (policy.json and registries.d) of the form `*.<label>` without a dot after the wildcard.",
      why:
        "Such a scope covers every registry under the top-level domain, including ones anybody can register: in a policy " +
        "it decides for registries nobody thought of; in registries.d it sends every such pull's signature lookups (and " +
        "attachments settings) to one place.",
      example: '"docker": { "*.io": [{ "type": "insecureAcceptAnything" }] }',
      instead: '"docker": { "*.example.io": [ … ] }   (or name the registries)',
    },
    messages: {
      policy: "Scope '{scope}' covers every registry under the top-level domain '{tld}'{accept}.",
      registriesD: "registries.d scope '{scope}' covers every registry under the top-level domain '{tld}'.",
    },
  },
  create(ctx) {
    const isTld = (s: string) => /^\*\.[^.:/]+$/.test(s);
    return {
      scope(entry, transport) {
        if (transport.name !== "docker" && transport.name !== "atomic") return;
        if (!isTld(entry.scope)) return;
        const accept = entry.requirements.length > 0 && entry.requirements.every((r) => LOOSE.has(r.type));
        const span = entry.keyOrigin ?? entry.origin;
        ctx.report({
          messageId: "policy",
          data: { scope: entry.scope, tld: entry.scope.slice(2), accept: accept ? ", accepting anything" : "" },
          span,
          file: span ? undefined : ctx.file,
        });
      },
      registriesDEntry(entry) {
        if (!isTld(entry.scope)) return;
        ctx.report({ messageId: "registriesD", data: { scope: entry.scope, tld: entry.scope.slice(2) }, span: entry.keyOrigin, file: entry.keyOrigin ? undefined : entry.file });
      },
    };
  },
};
