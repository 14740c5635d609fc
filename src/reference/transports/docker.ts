/** The `docker:` transport, following containers/image docker/docker_transport.go (ParseReference, newReference). */
import { hasFeature } from "../../ir/versions.js";
import {
  familiarString,
  isNameOnly,
  parseNormalizedNamed,
  referenceName,
  referenceString,
  tagNameOnly,
  type DockerReference,
} from "../docker-reference.js";
import type { ImageReference, ImageReferenceResult, ParseImageReferenceOptions } from "../image-reference-types.js";
import { dockerIdentity, dockerNamespaces } from "../policy-configuration.js";

/** Suffix marking a push destination without tag or digest (upstream `UnknownDigestSuffix`, v5.30). */
export const UNKNOWN_DIGEST_SUFFIX = "@@unknown-digest@@";

/** Builds the ImageReference of a docker transport reference (tag or digest present, not both). */
export function dockerImageReference(ref: DockerReference): ImageReference {
  const withinTransport = "//" + familiarString(ref);
  const out: ImageReference = {
    transport: "docker",
    identity: dockerIdentity(ref),
    namespaces: dockerNamespaces(ref),
    dockerReference: ref,
    imageName: "docker:" + withinTransport,
    withinTransport,
  };
  if (ref.digest !== undefined) out.digest = ref.digest;
  return out;
}

/** `docker.ParseReference`: `//name[:tag|@digest]`, `latest` added when neither is given. */
export function parseDockerTransport(s: string, options: ParseImageReferenceOptions): ImageReferenceResult {
  if (!s.startsWith("//")) return { ok: false, error: `docker: image reference ${s} does not start with //` };
  let rest = s.slice(2);
  const unknownDigest = hasFeature(options.target, "unknownDigest") && rest.endsWith(UNKNOWN_DIGEST_SUFFIX);
  if (unknownDigest) rest = rest.slice(0, rest.length - UNKNOWN_DIGEST_SUFFIX.length);
  const parsed = parseNormalizedNamed(rest);
  if (!parsed.ok) return parsed;
  if (unknownDigest) {
    const ref = parsed.ref;
    if (!isNameOnly(ref)) {
      return {
        ok: false,
        error: `docker: image reference "${referenceString(ref)}${UNKNOWN_DIGEST_SUFFIX}" has unknown digest set but it contains either a tag or digest`,
      };
    }
    const name = referenceName(ref);
    const namespaces = dockerNamespaces(ref);
    if (namespaces.length !== 0 && namespaces[0] === name) namespaces.shift();
    const withinTransport = "//" + familiarString(ref) + UNKNOWN_DIGEST_SUFFIX;
    return {
      ok: true,
      ref: {
        transport: "docker",
        identity: name,
        namespaces,
        dockerReference: ref,
        imageName: "docker:" + withinTransport,
        withinTransport,
        unknownDigest: true,
      },
    };
  }
  const ref = tagNameOnly(parsed.ref);
  if (ref.tag !== undefined && ref.digest !== undefined) {
    return { ok: false, error: "Docker references with both a tag and digest are currently not supported" };
  }
  return { ok: true, ref: dockerImageReference(ref) };
}
