/** The `docker-daemon:` transport, following containers/image docker/daemon/daemon_transport.go. */
import { familiarName, familiarString, isNameOnly, parseNormalizedNamed, validateDigest } from "../docker-reference.js";
import type { ImageReferenceResult } from "../image-reference-types.js";
import { dockerIdentity, dockerNamespaces } from "../policy-configuration.js";

/** `daemon.ParseReference`: `sha256:<id>` or a named reference with a tag or digest (no `latest` default). */
export function parseDockerDaemonTransport(s: string): ImageReferenceResult {
  if (validateDigest(s) === undefined) {
    if (!s.startsWith("sha256:")) {
      return { ok: false, error: `Invalid docker-daemon: reference ${s}: only digest algorithm sha256 accepted` };
    }
    return {
      ok: true,
      ref: { transport: "docker-daemon", identity: "", namespaces: [], imageName: "docker-daemon:" + s, withinTransport: s },
    };
  }
  const parsed = parseNormalizedNamed(s);
  if (!parsed.ok) return parsed;
  const ref = parsed.ref;
  if (familiarName(ref) === "sha256") {
    return {
      ok: false,
      error: `Invalid docker-daemon: reference ${s}: The sha256 repository name is reserved for (non-shortened) digest references`,
    };
  }
  if (isNameOnly(ref)) {
    return { ok: false, error: `docker-daemon: reference ${familiarString(ref)} has neither a tag nor a digest` };
  }
  if (ref.tag !== undefined && ref.digest !== undefined) {
    return { ok: false, error: "docker-daemon: references with both a tag and digest are currently not supported" };
  }
  const withinTransport = familiarString(ref);
  const out = {
    transport: "docker-daemon",
    identity: dockerIdentity(ref),
    namespaces: dockerNamespaces(ref),
    dockerReference: ref,
    imageName: "docker-daemon:" + withinTransport,
    withinTransport,
  } as const;
  return { ok: true, ref: ref.digest !== undefined ? { ...out, digest: ref.digest } : out };
}
