/**
 * scope-same-as-fallback (IT4027): a scope whose requirements equal those that would decide without it.
 *
 * Upstream: `signature.(*PolicyContext).requirementsForImageRef` uses the most specific matching scope, else the
 * transport default, else the global default; a scope that repeats its fallback's requirements changes no verdict.
 */
import { dockerScopeAncestors } from "../../check/scope-ancestors.js";
import type { Requirement, ScopeEntry, TransportPolicy } from "../../ir/types.js";
import type { Span } from "../../source/source-file.js";
import type { Rule } from "../rule.js";
import { requirementKey } from "./duplicate-requirement.js";

const DOCKER_STYLE = new Set(["docker", "atomic", "docker-daemon"]);
const same = (a: readonly Requirement[], b: readonly Requirement[]) =>
  a.length === b.length && a.map(requirementKey).sort().join("\n") === b.map(requirementKey).sort().join("\n");

/** Per transport, computed once: the first entry of each scope, and every scope that encloses another (a grouping parent). */
interface TransportScopes {
  first: Map<string, ScopeEntry>;
  parents: Set<string>;
}

function indexScopes(transport: TransportPolicy): TransportScopes {
  const first = new Map<string, ScopeEntry>();
  const parents = new Set<string>();
  for (const s of transport.scopes) {
    if (!first.has(s.scope)) first.set(s.scope, s);
    // Linear in the scopes (was a scan of every scope per scope: seconds for a thousand-line source in an editor).
    for (const a of dockerScopeAncestors(s.scope).slice(1)) parents.add(a);
  }
  return { first, parents };
}

/** The rule. */
export const scopeSameAsFallback: Rule = {
  meta: {
    code: "IT4027",
    name: "scope-same-as-fallback",
    category: "style",
    defaultSeverity: "info",
    description: "A scope that repeats the requirements of the scope or default that decides without it.",
    docs: {
      what:
        "Reports scopes whose requirements equal (ignoring order and formatting) those of their fallback: the enclosing " +
        "namespace scope (docker-style transports), the transport default, or the global default. Scopes that have more " +
        "specific scopes below them are left alone (they group them).",
      why: "The scope changes no verdict; it reads like an exception that is not one, and drifts when only one copy is edited.",
      example: '{ "default": [{ "type": "insecureAcceptAnything" }], "transports": { "docker-daemon": { "": [{ "type": "insecureAcceptAnything" }] } } }',
      instead: '{ "default": [{ "type": "insecureAcceptAnything" }] }',
    },
    messages: {
      same: "{what} has the same requirements as {fallback}, which decides without it: it changes nothing.",
    },
  },
  create(ctx) {
    const indexed = new Map<TransportPolicy, TransportScopes>();
    const scopesOf = (t: TransportPolicy) => indexed.get(t) ?? indexed.set(t, indexScopes(t)).get(t)!;
    return {
      scope(entry, transport) {
        // A scope with scopes below it groups them (a .trust block, a documented namespace): not reported.
        if (entry.scope !== "" && DOCKER_STYLE.has(transport.name) && scopesOf(transport).parents.has(entry.scope)) return;
        let fallback: { name: string; reqs: Requirement[]; span?: Span } | undefined;
        if (entry.scope !== "" && DOCKER_STYLE.has(transport.name)) {
          for (const a of dockerScopeAncestors(entry.scope).slice(1)) {
            const p = scopesOf(transport).first.get(a);
            if (p) {
              fallback = { name: `scope '${a}'`, reqs: p.requirements, span: p.keyOrigin ?? p.origin };
              break;
            }
          }
        }
        if (!fallback && entry.scope !== "") {
          const d = scopesOf(transport).first.get("");
          if (d) fallback = { name: `the default of transport '${transport.name}'`, reqs: d.requirements, span: d.keyOrigin ?? d.origin };
        }
        if (!fallback && ctx.policy) fallback = { name: "the global default", reqs: ctx.policy.default, span: ctx.policy.defaultOrigin };
        if (!fallback || !same(entry.requirements, fallback.reqs)) return;
        const span = entry.keyOrigin ?? entry.origin;
        ctx.report({
          messageId: "same",
          data: { what: entry.scope === "" ? `The default of transport '${transport.name}'` : `Scope '${entry.scope}'`, fallback: fallback.name },
          span,
          file: span ? undefined : ctx.file,
          related: fallback.span ? [{ message: `${fallback.name}`, span: fallback.span }] : undefined,
        });
      },
    };
  },
};
