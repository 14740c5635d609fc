/**
 * CEL predicates over the image strings an ImageValidatingPolicy sees, selecting exactly the references a
 * containers/image docker scope selects.
 *
 * Kyverno's ImageValidatingPolicy matches `matchImageReferences` against the image string *as written in the
 * pod* (`pkg/cel/matching/image.go` MatchImage; globs are gobwas/glob without separators, CEL expressions see
 * the string as `ref`), with no normalisation: `alpine:3` is not `docker.io/library/alpine:3` there. The node
 * normalises first (docker/distribution `reference.ParseNormalizedNamed` / `splitDockerDomain`: a first
 * component without `.` or `:` that is not `localhost` and is lower case is a Docker Hub path,
 * `index.docker.io` is `docker.io`, a single Docker Hub component gets `library/`) and then picks the scope
 * (containers/image `docker/policyconfiguration` PolicyConfigurationNamespaces). So instead of globs the
 * emitted policy uses CEL `matches()` (RE2) on the raw string, with one alternative per spelling that
 * normalises under the scope. Only `matches`, `startsWith`, `!`, `&&`, `||` are used, which read the same in
 * CEL and in JavaScript (the tests evaluate them that way).
 */
import { scopeShape } from "./patterns.js";

/** RE2 / JavaScript regular expression escape of a literal. */
function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A CEL single-quoted string literal. */
export function celString(s: string): string {
  return "'" + s.replace(/\\/g, "\\\\").replace(/'/g, "\\'") + "'";
}

const HUB_PREFIX = "(?:docker\\.io/|index\\.docker\\.io/)";

/** Whether a first path component is read as a registry host (splitDockerDomain). */
function domainLike(component: string): boolean {
  return /[.:]/.test(component) || component === "localhost" || component.toLowerCase() !== component;
}

/**
 * Regular expressions (any of which) over raw image strings whose normalised repository name is `name`
 * (`host/path`), followed by `tail` (a regex fragment anchored at the end by the caller).
 * `tail` starts right after the repository name.
 */
function nameRegexes(name: string, tail: string): string[] {
  const slash = name.indexOf("/");
  const host = slash < 0 ? name : name.slice(0, slash);
  const path = slash < 0 ? "" : name.slice(slash + 1);
  if (host === "index.docker.io") return []; // never a normalised host (IT7023 reports these scopes)
  if (host !== "docker.io") return domainLike(host) ? [`^${esc(name)}${tail}$`] : [];
  const first = path.split("/")[0];
  if (!path.includes("/")) {
    // `docker.io/P` and `P` normalise to `docker.io/library/P`: only deeper paths (`P/x`) stay under `docker.io/P`.
    if (!tail.startsWith("(?:[/")) return [];
    return [`^${HUB_PREFIX}${domainLike(first) ? "" : "?"}${esc(path)}/.+$`];
  }
  const out = [`^${HUB_PREFIX}${esc(path)}${tail}$`];
  if (!domainLike(first)) out.push(`^${esc(path)}${tail}$`);
  // Official images: `docker.io/library/X` is also written `X` or `docker.io/X`, with no deeper path.
  const official = /^library\/([^/]+)$/.exec(path);
  if (official && !tail.startsWith("(?:[/")) out.push(`^${HUB_PREFIX}?${esc(official[1])}${tail}$`);
  else if (official) out.push(`^${HUB_PREFIX}?${esc(official[1])}(?:[:@].*)?$`);
  return out;
}

/** CEL boolean: raw image string `v` is a reference under docker scope `scope` on the node. */
export function scopePredicate(scope: string, v: string): string {
  const s = scopeShape(scope);
  const any = (res: string[]) => (res.length === 0 ? "false" : res.map((re) => `${v}.matches(${celString(re)})`).join(" || "));
  switch (s.kind) {
    case "wildcardHost":
      return any([`^[^/]+\\.${esc(s.suffix)}(?::[0-9]*)?/.+$`]);
    case "host": {
      if (s.host === "docker.io") {
        // explicit Docker Hub host, or a first component that is not a host (and not `localhost/…`).
        return `(${v}.matches(${celString(`^${HUB_PREFIX}.+$`)}) || ${v}.matches(${celString("^[^/]+$")}) || (${v}.matches(${celString("^[^/.:A-Z]+/")}) && !${v}.startsWith('localhost/')))`;
      }
      return any(domainLike(s.host) ? [`^${esc(s.host)}/.+$`] : []);
    }
    case "repository": {
      const res = nameRegexes(s.name, "(?:[/:@].*)?");
      // `docker.io/library` as a namespace: every single-component Docker Hub name is under it.
      if (s.name === "docker.io/library") res.push(`^${HUB_PREFIX}?[^/]+$`);
      return any(res);
    }
    case "tag": {
      const res = nameRegexes(s.name, `:${esc(s.tag)}(?:@.+)?`);
      if (s.tag === "latest") res.push(...nameRegexes(s.name, ""));
      return any(res);
    }
    case "digest":
      return any(nameRegexes(s.name, `(?::[^/@:]+)?@${esc(s.digest)}`));
  }
}
