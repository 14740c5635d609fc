/**
 * weaker-carve-out (IT4009): a scope that accepts anything below a scope (or default) that requires signatures.
 *
 * Upstream: `signature.(*PolicyContext).requirementsForImageRef` takes the most specific matching scope only
 * (identity, then parent namespaces, then `*.` wildcards; docker/policyconfiguration `DockerReferenceNamespaces`),
 * then the transport default, then the global default — requirements are never inherited, so a more specific scope
 * replaces its parent's signature requirement entirely.
 */
import { dockerScopeAncestors } from "../../check/scope-ancestors.js";
import type { Requirement } from "../../ir/types.js";
import type { Span } from "../../source/source-file.js";
import type { Rule } from "../rule.js";

const DOCKER_STYLE = new Set(["docker", "atomic", "docker-daemon"]);

function acceptsAnything(reqs: readonly Requirement[]): boolean {
  return reqs.length > 0 && reqs.every((r) => r.type === "insecureAcceptAnything");
}

function requiresSignatures(reqs: readonly Requirement[]): boolean {
  return reqs.some((r) => r.type === "signedBy" || r.type === "sigstoreSigned") && !reqs.some((r) => r.type === "reject");
}

/** The rule. */
export const weakerCarveOut: Rule = {
  meta: {
    code: "IT4009",
    name: "weaker-carve-out",
    category: "security",
    defaultSeverity: "warning",
    description: "A more specific scope accepts anything where its parent scope requires signatures.",
    docs: {
      what:
        "Reports scopes whose requirements are only `insecureAcceptAnything` while the scope that would otherwise decide for " +
        "their images (a parent namespace, a wildcard, the transport default or the global default) requires signatures. " +
        "Both locations are reported.",
      why:
        "containers/image uses only the most specific matching scope; nothing is inherited. A carve-out under a signed " +
        "registry silently turns signature checking off for everything below it — sometimes intended, often a left-over.",
      example: '"docker": { "quay.io/acme": [{ "type": "sigstoreSigned", … }], "quay.io/acme/tools": [{ "type": "insecureAcceptAnything" }] }',
      instead: '"docker": { "quay.io/acme": [{ "type": "sigstoreSigned", … }] }   (or sign quay.io/acme/tools with the same key)',
    },
    messages: {
      carveOut: "Scope '{scope}' accepts anything, while {parent} requires signatures: images below '{scope}' are not checked.",
    },
  },
  create(ctx) {
    return {
      scope(entry, transport) {
        if (entry.scope === "" || !acceptsAnything(entry.requirements)) return;
        let parent: { name: string; span?: Span; reqs: Requirement[] } | undefined;
        if (DOCKER_STYLE.has(transport.name)) {
          for (const a of dockerScopeAncestors(entry.scope).slice(1)) {
            const p = transport.scopes.find((s) => s.scope === a);
            if (p) {
              parent = { name: `scope '${a}'`, span: p.keyOrigin ?? p.origin, reqs: p.requirements };
              break;
            }
          }
        }
        if (!parent) {
          const d = transport.scopes.find((s) => s.scope === "");
          if (d) parent = { name: `the default of transport '${transport.name}'`, span: d.keyOrigin ?? d.origin, reqs: d.requirements };
        }
        if (!parent && ctx.policy) parent = { name: "the global default", span: ctx.policy.defaultOrigin ?? ctx.policy.default[0]?.origin, reqs: ctx.policy.default };
        if (!parent || !requiresSignatures(parent.reqs)) return;
        const span = entry.keyOrigin ?? entry.origin;
        ctx.report({
          messageId: "carveOut",
          data: { scope: entry.scope, parent: parent.name },
          span,
          file: span ? undefined : ctx.file,
          related: parent.span ? [{ message: `${parent.name} requires signatures`, span: parent.span }] : undefined,
        });
      },
    };
  },
};
