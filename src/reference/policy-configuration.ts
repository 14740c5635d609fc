/**
 * Policy identity and namespaces of docker references, following containers/image
 * `docker/policyconfiguration/naming.go` (DockerReferenceIdentity, DockerReferenceNamespaces).
 * Used by the docker, atomic and docker-daemon transports, and by registries.d lookup.
 */
import { familiarString, referenceName, type DockerReference } from "./docker-reference.js";

/**
 * `name:tag` or `name@digest` (upstream DockerReferenceIdentity). A reference with both tag and digest,
 * or neither, is an invariant violation upstream (it panics in the transports); this throws.
 */
export function dockerIdentity(ref: DockerReference): string {
  const name = referenceName(ref);
  if (ref.tag !== undefined && ref.digest !== undefined) {
    throw new Error(`Unexpected Docker reference ${familiarString(ref)} with both a name and a digest`);
  }
  if (ref.tag !== undefined) return name + ":" + ref.tag;
  if (ref.digest !== undefined) return name + "@" + ref.digest;
  throw new Error(`Internal inconsistency: Docker reference ${familiarString(ref)} with neither a tag nor a digest`);
}

/**
 * The parent namespaces searched after the identity (upstream DockerReferenceNamespaces): the repository,
 * each parent path down to host[:port], then `*.` + each dot-suffix of the port-less host
 * (`a.b.quay.io:443/x` → …, `a.b.quay.io:443`, `*.b.quay.io`, `*.quay.io`, `*.io`).
 */
export function dockerNamespaces(ref: DockerReference): string[] {
  const res: string[] = [];
  let name = referenceName(ref);
  for (;;) {
    res.push(name);
    const lastSlash = name.lastIndexOf("/");
    if (lastSlash === -1) break;
    name = name.slice(0, lastSlash);
  }
  const colon = name.indexOf(":");
  if (colon !== -1) name = name.slice(0, colon);
  for (;;) {
    const firstDot = name.indexOf(".");
    if (firstDot === -1) break;
    name = name.slice(firstDot + 1);
    res.push("*." + name);
  }
  return res;
}

/** The identity followed by the namespaces: every docker scope that can select `ref`, most specific first. */
export function dockerPolicyScopes(ref: DockerReference): string[] {
  return [dockerIdentity(ref), ...dockerNamespaces(ref)];
}
