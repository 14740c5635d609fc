/**
 * never-matching-scope (IT4002): a docker-style scope that no image reference can ever produce.
 *
 * Upstream: `signature.(*PolicyContext).requirementsForImageRef` looks scopes up by exact string equality with
 * `PolicyConfigurationIdentity()` and `PolicyConfigurationNamespaces()` of the reference (docker/policyconfiguration
 * `DockerReferenceIdentity` / `DockerReferenceNamespaces`), which are always fully normalized
 * (`reference.ParseNormalizedNamed`). The docker transport's `ValidatePolicyConfigurationScope` accepts any string,
 * so a short or malformed scope loads fine and is silently never used (spec containers-policy.md §8).
 */
import {
  isValidDomain,
  parseNormalizedNamed,
  referenceString,
  type DockerReference,
} from "../../reference/docker-reference.js";
import { replaceStringFix, type Rule } from "../rule.js";
import { OFFICIAL_IMAGES } from "../official-images.js";

/** Transports whose scopes are docker references / namespaces. */
const DOCKER_STYLE_TRANSPORTS = new Set(["docker", "atomic", "docker-daemon"]);

/** Why a scope never matches, and what to write instead (if we can tell). */
export interface ScopeProblem {
  reason: string;
  suggestion?: string;
  /** True when the scope can match something, but not what it seems to say (e.g. `docker.io/busybox`). */
  partial?: boolean;
  /**
   * For partial problems: true when the name is not a Docker Official Image, so the scope is most likely meant as a
   * namespace (`docker.io/grafana` for docker.io/grafana/…), which it correctly is.
   */
  likelyNamespace?: boolean;
}

function isDomainLike(s: string): boolean {
  return s.includes(".") || s.includes(":") || s === "localhost";
}

function normalizedSuggestion(scope: string): string | undefined {
  const r = parseNormalizedNamed(scope);
  if (r.ok) return referenceString(dropTagIfDigest(r.ref));
  const lower = parseNormalizedNamed(scope.toLowerCase());
  return lower.ok ? referenceString(dropTagIfDigest(lower.ref)) : undefined;
}

function dropTagIfDigest(ref: DockerReference): DockerReference {
  return ref.tag !== undefined && ref.digest !== undefined ? { domain: ref.domain, path: ref.path, digest: ref.digest } : ref;
}

/**
 * Decide whether a docker-style scope can ever equal a reference's identity or one of its namespaces
 * (spec §3.3: identity, repository, parent namespaces, host[:port], `*.`-wildcards of the port-less host).
 * Returns undefined when it can.
 */
export function dockerScopeProblem(scope: string): ScopeProblem | undefined {
  if (scope === "") return undefined;
  if (scope.includes("*")) {
    if (!scope.startsWith("*.")) {
      return { reason: "a wildcard is only honoured as a whole leading '*.' label (like *.example.com)" };
    }
    const rest = scope.slice(2);
    if (rest.includes("*")) return { reason: "only one leading '*.' wildcard is honoured" };
    if (rest.includes("/")) {
      return { reason: "wildcard scopes match hosts only, never repositories below them", suggestion: scope.slice(0, scope.indexOf("/")) };
    }
    if (rest.includes(":")) {
      return {
        reason: "wildcard scopes are compared with the port-less host name, so a port never matches",
        suggestion: scope.slice(0, scope.indexOf(":")),
      };
    }
    if (!isValidDomain(rest)) return { reason: `'${rest}' is not a valid host name` };
    return undefined;
  }
  if (scope.endsWith("/")) {
    const trimmed = scope.replace(/\/+$/, "");
    return { reason: "a scope never ends with '/'", suggestion: trimmed && dockerScopeProblem(trimmed) === undefined ? trimmed : normalizedSuggestion(trimmed) };
  }
  const slash = scope.indexOf("/");
  const head = slash < 0 ? scope : scope.slice(0, slash);
  if (slash < 0 && isValidDomain(scope) && isDomainLike(scope)) {
    if (scope === "index.docker.io") return { reason: "references to index.docker.io are normalized to docker.io", suggestion: "docker.io" };
    return undefined; // a host[:port] namespace
  }
  if (slash < 0 || !isDomainLike(head)) {
    // Short names: the runtime normalizes the reference to docker.io/…; the scope is compared as written.
    const suggestion = normalizedSuggestion(scope);
    return {
      reason: "scopes are compared with fully qualified names (references are normalized, scopes are not)",
      suggestion,
    };
  }
  if (head === "index.docker.io") {
    return { reason: "references to index.docker.io are normalized to docker.io", suggestion: normalizedSuggestion(scope) };
  }
  const parsed = parseNormalizedNamed(scope);
  if (!parsed.ok) {
    const suggestion = normalizedSuggestion(scope);
    return { reason: `it is not a valid image reference (${parsed.error})`, suggestion: suggestion !== scope ? suggestion : undefined };
  }
  const ref = parsed.ref;
  if (ref.tag !== undefined && ref.digest !== undefined) {
    return {
      reason: "docker references with both a tag and a digest are refused, so no identity has both",
      suggestion: referenceString(dropTagIfDigest(ref)),
    };
  }
  const canonical = referenceString(ref);
  if (canonical !== scope) {
    if (scope === "docker.io/library") return undefined; // the namespace of every official image
    if (ref.tag === undefined && ref.digest === undefined && scope.split("/").length === 2 && ref.domain === "docker.io") {
      return {
        reason: `'${scope}' as an image normalizes to '${canonical}'; the scope only matches images below it (${scope}/…)`,
        suggestion: canonical,
        partial: true,
        likelyNamespace: !OFFICIAL_IMAGES.has(scope.slice(scope.indexOf("/") + 1)),
      };
    }
    return { reason: `the image it names normalizes to '${canonical}'`, suggestion: canonical };
  }
  return undefined;
}

/** The rule. */
export const neverMatchingScope: Rule = {
  meta: {
    code: "IT4002",
    name: "never-matching-scope",
    category: "correctness",
    defaultSeverity: "warning",
    description: "A docker scope (policy.json or registries.d) that no image reference can match.",
    docs: {
      what:
        "Reports scopes of the docker, atomic and docker-daemon transports, and registries.d `docker:` keys, that can never " +
        "equal the identity or a namespace of a reference, because containers/image compares scopes as written with fully " +
        "normalized references.",
      why:
        "The docker transport accepts any scope string, so `busybox` or `docker.io/busybox` load without error, but " +
        "`docker://busybox` is looked up as `docker.io/library/busybox:latest` and its namespaces; the entry is silently never " +
        "used and the image falls through to a less specific scope or the global default.",
      example: '"docker": { "busybox": [{ "type": "insecureAcceptAnything" }], "docker.io/busybox": [ … ] }',
      instead: '"docker": { "docker.io/library/busybox": [{ "type": "insecureAcceptAnything" }] }',
    },
    messages: {
      neverMatches: "Scope '{scope}' of transport '{transport}' can never match an image: {reason}.",
      partial: "Scope '{scope}' of transport '{transport}' does not match the image it seems to name: {reason}.",
      namespace:
        "Scope '{scope}' matches only repositories below it ({scope}/…), never the image '{image}'; right for a namespace allow-list, wrong if you meant that image.",
      registriesD: "registries.d scope '{scope}' can never match an image, so its signature storage is never used: {reason}.",
      registriesDPartial: "registries.d scope '{scope}' does not match the image it seems to name: {reason}.",
    },
  },
  create(ctx) {
    return {
      scope(entry, transport) {
        if (!DOCKER_STYLE_TRANSPORTS.has(transport.name)) return;
        const problem = dockerScopeProblem(entry.scope);
        if (!problem) return;
        const span = entry.keyOrigin ?? entry.origin;
        const sug = problem.suggestion;
        // Renaming onto a scope that already exists would make a duplicate key: no fix then.
        const namespace = problem.partial && problem.likelyNamespace;
        const fix =
          sug !== undefined && !namespace && !transport.scopes.some((o) => o.scope === sug)
            ? replaceStringFix(ctx, entry.keyOrigin, entry.scope, sug, `Replace '${entry.scope}' with '${sug}'`)
            : undefined;
        ctx.report({
          severity: namespace ? "info" : undefined,
          messageId: namespace ? "namespace" : problem.partial ? "partial" : "neverMatches",
          data: { scope: entry.scope, transport: transport.name, reason: problem.reason, image: sug ?? "" },
          span,
          file: span ? undefined : ctx.file,
          hint: sug !== undefined && !namespace ? `Write '${sug}'.` : undefined,
          fix,
        });
      },
      // registries.d `docker:` keys are looked up with the same identity and namespaces
      // (docker/registries_d.go `(*registryConfiguration).signatureTopLevel`).
      registriesDEntry(entry) {
        const problem = dockerScopeProblem(entry.scope);
        if (!problem) return;
        const sug = problem.suggestion;
        const namespace = problem.partial && problem.likelyNamespace;
        const fix =
          sug !== undefined && !namespace && !ctx.registriesD?.docker.some((o) => o.scope === sug)
            ? replaceStringFix(ctx, entry.keyOrigin, entry.scope, sug, `Replace '${entry.scope}' with '${sug}'`)
            : undefined;
        ctx.report({
          severity: namespace ? "info" : undefined,
          messageId: namespace ? "namespace" : problem.partial ? "registriesDPartial" : "registriesD",
          data: { scope: entry.scope, reason: problem.reason, image: sug ?? "" },
          span: entry.keyOrigin,
          file: entry.keyOrigin ? undefined : entry.file,
          hint: sug !== undefined && !namespace ? `Write '${sug}'.` : undefined,
          fix,
        });
      },
    };
  },
};
