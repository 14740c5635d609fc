/**
 * Image patterns per admission controller, for a containers/image docker policy scope, and the controllers'
 * own matching so that tests (and explanations) can check what a pattern selects.
 *
 * - policy-controller (sigstore/policy-controller `pkg/apis/glob/glob.go` Compile/Match): `*` is `[^/]*`,
 *   `**` is `.*`, matched against go-containerregistry's `ref.Name()` — Docker Hub spelled
 *   `index.docker.io/library/…`, `:latest` added when there is no tag, and `repo@digest` (tag dropped) for
 *   digested references; the original string is tried too when it differs.
 * - Kyverno (`pkg/utils/wildcard`, `pkg/utils/image/infos.go` GetImageInfo/String): `*` is any sequence
 *   (slashes included), `?` one character, matched against `registry/path:tag` or `registry/path@digest`,
 *   where a registry-less name gets `docker.io/` but no `library/`.
 */
import { parseNormalizedNamed } from "../reference/docker-reference.js";

/** The shape of a docker scope. */
export type ScopeShape =
  | { kind: "host"; host: string }
  | { kind: "wildcardHost"; suffix: string }
  | { kind: "repository"; name: string }
  | { kind: "tag"; name: string; tag: string }
  | { kind: "digest"; name: string; digest: string };

/** Classify a docker scope string (containers/image `docker/policyconfiguration`'s scope forms). */
export function scopeShape(scope: string): ScopeShape {
  if (scope.startsWith("*.")) return { kind: "wildcardHost", suffix: scope.slice(2) };
  const at = scope.indexOf("@");
  if (at >= 0) return { kind: "digest", name: scope.slice(0, at), digest: scope.slice(at + 1) };
  const slash = scope.indexOf("/");
  if (slash < 0) return { kind: "host", host: scope };
  const colon = scope.lastIndexOf(":");
  if (colon > scope.lastIndexOf("/")) return { kind: "tag", name: scope.slice(0, colon), tag: scope.slice(colon + 1) };
  return { kind: "repository", name: scope };
}

const DOCKER_HUB = "docker.io";
const DOCKER_HUB_GGCR = "index.docker.io";

function splitHost(name: string): { host: string; path: string } {
  const slash = name.indexOf("/");
  return slash < 0 ? { host: name, path: "" } : { host: name.slice(0, slash), path: name.slice(slash + 1) };
}

/** policy-controller globs selecting the references the scope selects (empty: nothing can be selected). */
export function policyControllerGlobs(scope: string): string[] {
  const s = scopeShape(scope);
  const canon = (name: string) => {
    const { host, path } = splitHost(name);
    return (host === DOCKER_HUB ? DOCKER_HUB_GGCR : host) + (path ? "/" + path : "");
  };
  switch (s.kind) {
    case "host":
      return [`${canon(s.host)}/**`];
    case "wildcardHost":
      return [`*.${s.suffix}/**`, `*.${s.suffix}:*/**`];
    case "repository":
      return [`${canon(s.name)}/**`, `${canon(s.name)}:*`, `${canon(s.name)}@*`];
    case "digest":
      return [`${canon(s.name)}@${s.digest}`];
    case "tag":
      return [];
  }
}

/** The spellings of one docker name that Kyverno's image info may have (Docker Hub has several). */
function kyvernoNames(name: string): string[] {
  const { host, path } = splitHost(name);
  if (host !== DOCKER_HUB) return [name];
  if (!path) return [DOCKER_HUB, DOCKER_HUB_GGCR];
  const out = [`${DOCKER_HUB}/${path}`, `${DOCKER_HUB_GGCR}/${path}`];
  const official = path.startsWith("library/") && !path.slice(8).includes("/") ? path.slice(8) : undefined;
  if (official) out.push(`${DOCKER_HUB}/${official}`, `${DOCKER_HUB_GGCR}/${official}`);
  return out;
}

/**
 * Kyverno patterns selecting, among `GetImageInfo(image).String()` values (what verifyImages matches and
 * what the `image_normalize()` JMESPath function returns), the references the scope selects.
 */
export function kyvernoPatterns(scope: string): string[] {
  const s = scopeShape(scope);
  const out: string[] = [];
  switch (s.kind) {
    case "host":
      for (const n of kyvernoNames(s.host)) out.push(`${n}/*`);
      break;
    case "wildcardHost":
      out.push(`*.${s.suffix}/*`, `*.${s.suffix}:*`);
      break;
    case "repository":
      for (const n of kyvernoNames(s.name)) out.push(`${n}/*`, `${n}:*`, `${n}@*`);
      break;
    case "digest":
      for (const n of kyvernoNames(s.name)) out.push(`${n}@${s.digest}`);
      break;
    case "tag":
      for (const n of kyvernoNames(s.name)) out.push(`${n}:${s.tag}`);
      break;
  }
  return [...new Set(out)];
}

/**
 * How a scope's Kyverno patterns differ from the scope: "wider" when they also select references of other
 * scopes (a wildcard host: Kyverno's `*` crosses `/`), "narrower" when they miss some of the scope's own
 * (`docker.io/library`: Kyverno sees official images as `docker.io/alpine`, which no pattern can single out
 * from deeper paths; those fall to the enclosing scope's rule).
 */
export function kyvernoApproximation(scope: string): { kind: "wider" | "narrower"; why: string } | undefined {
  const s = scopeShape(scope);
  if (s.kind === "wildcardHost") {
    return { kind: "wider", why: `Kyverno's '*' also crosses '/', so the verifyImages pattern '*.${s.suffix}/*' also selects references whose path (not host) contains '.${s.suffix}/'` };
  }
  if (s.kind === "repository" && s.name === `${DOCKER_HUB}/library`) {
    return { kind: "narrower", why: "Kyverno sees Docker Hub's official images as 'docker.io/NAME' (no 'library/'), which a pattern cannot single out from deeper paths; they fall to the enclosing scope" };
  }
  return undefined;
}

/** policy-controller `glob.Compile`: the regular expression a glob stands for. */
export function compilePolicyControllerGlob(glob: string): RegExp | undefined {
  let g = glob;
  if (g === "*/*") g = "index.docker.io/*/*";
  if (g === "*") g = "index.docker.io/library/*";
  // upstream validGlob is `^[a-zA-Z0-9-_:\/\*\.@]+$`, where `9-_` is a range (0x39–0x5F).
  if (!/^[a-zA-Z0-9-_:/*.@]+$/.test(g)) return undefined;
  g = g.replaceAll(".", "\\.").replaceAll("**", "#").replaceAll("*", "[^/]*").replaceAll("#", ".*");
  return new RegExp(`^${g}$`);
}

/** go-containerregistry `name.ParseReference(image, WeakValidation).Name()`, or undefined when unparsable. */
export function policyControllerImageName(image: string): string | undefined {
  const parsed = parseNormalizedNamed(image);
  if (!parsed.ok) return undefined;
  const r = parsed.ref;
  const repo = `${r.domain === DOCKER_HUB ? DOCKER_HUB_GGCR : r.domain}/${r.path}`;
  if (r.digest !== undefined) return `${repo}@${r.digest}`;
  return `${repo}:${r.tag ?? "latest"}`;
}

/** policy-controller `glob.Match(glob, image)`. */
export function policyControllerGlobMatch(glob: string, image: string): boolean {
  const re = compilePolicyControllerGlob(glob);
  const name = policyControllerImageName(image);
  if (!re || name === undefined) return false;
  return re.test(name) || (name !== image && re.test(image));
}

/** Kyverno `GetImageInfo(image).String()` with the default configuration (default registry docker.io). */
export function kyvernoImageString(image: string): string | undefined {
  let full = image;
  const i = image.indexOf("/");
  if (i === -1 || (!/[.:]/.test(image.slice(0, i)) && image.slice(0, i) !== "localhost" && image.slice(0, i).toLowerCase() === image.slice(0, i))) {
    full = `${DOCKER_HUB}/${image}`;
  }
  const m = /^([^/]+)\/([^:@]+(?:\/[^:@]+)*)(?::([^@]+))?(?:@(.+))?$/.exec(full);
  if (!m) return undefined;
  const [, registry, path, tag, digest] = m;
  if (digest !== undefined) return `${registry}/${path}@${digest}`;
  return `${registry}/${path}:${tag ?? "latest"}`;
}

/** Kyverno `wildcard.Match(pattern, name)`: `*` any sequence, `?` exactly one character. */
export function kyvernoWildcardMatch(pattern: string, name: string): boolean {
  const re = new RegExp("^" + pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".") + "$", "s");
  return re.test(name);
}
