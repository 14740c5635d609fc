/**
 * `transport:reference` strings as skopeo and podman take them, parsed into the pieces policy evaluation
 * needs. Follows containers/image `transports/alltransports.ParseImageName` and each transport's
 * ParseReference / PolicyConfigurationIdentity / PolicyConfigurationNamespaces / StringWithinTransport /
 * DockerReference.
 *
 * Differences from upstream, all on purpose and documented where they live:
 *  - path transports resolve paths leniently by default (resolve-path.ts); `strictPaths` restores upstream's rule;
 *  - containers-storage opens no store (transports/containers-storage.ts);
 *  - tarball checks files through `options.openFile` and never reads stdin for `-`;
 *  - `ostree` is the stub transport (as in default builds of every version).
 */
import { hasFeature } from "../ir/versions.js";
import { goQuote } from "../util/go-quote.js";
import type { ImageReferenceResult, ParseImageReferenceOptions, TransportParser } from "./image-reference-types.js";
import { parseAtomicTransport } from "./transports/atomic.js";
import { parseContainersStorageTransport } from "./transports/containers-storage.js";
import { parseDockerArchiveTransport } from "./transports/docker-archive.js";
import { parseDockerDaemonTransport } from "./transports/docker-daemon.js";
import { parseDockerTransport } from "./transports/docker.js";
import { parseDirTransport, parseOciArchiveTransport, parseOciTransport, parseSifTransport } from "./transports/path-transports.js";
import { parseTarballTransport } from "./transports/tarball.js";

export type {
  ImageReference,
  ImageReferenceResult,
  ParseImageReferenceOptions,
  StorageDefaults,
} from "./image-reference-types.js";
export { dockerIdentity, dockerNamespaces, dockerPolicyScopes } from "./policy-configuration.js";
export { dockerImageReference, UNKNOWN_DIGEST_SUFFIX } from "./transports/docker.js";
export { DEFAULT_STORAGE } from "./transports/containers-storage.js";
export { resolvePathLeniently, resolvePathToFullyExplicit } from "./resolve-path.js";

const NO_OPTIONS: ParseImageReferenceOptions = {};

/** `transports.NewStubTransport(name).ParseReference`. */
function stub(name: string): TransportParser {
  return () => ({ ok: false, error: `The transport "${name}:" is not supported in this build` });
}

const PARSERS: ReadonlyMap<string, TransportParser> = new Map<string, TransportParser>([
  ["docker", parseDockerTransport],
  ["atomic", (s) => parseAtomicTransport(s)],
  ["containers-storage", parseContainersStorageTransport],
  ["dir", parseDirTransport],
  ["docker-archive", (s) => parseDockerArchiveTransport(s)],
  ["docker-daemon", (s) => parseDockerDaemonTransport(s)],
  ["oci", parseOciTransport],
  ["oci-archive", parseOciArchiveTransport],
  ["sif", parseSifTransport],
  ["tarball", parseTarballTransport],
  ["ostree", stub("ostree")],
]);

/** The parser of one transport (undefined for names upstream does not register, or `atomic` on Debian's build). */
export function transportParser(name: string, options: ParseImageReferenceOptions = NO_OPTIONS): TransportParser | undefined {
  if (name === "atomic" && options.debian === true) return undefined;
  return PARSERS.get(name);
}

/**
 * Parses `transport:reference` as `alltransports.ParseImageName` does, with upstream's error texts
 * (alltransports quotes with `%q` from v5.31, plain `"%s"` before; transport errors are returned unwrapped).
 */
export function parseImageReference(input: string, options: ParseImageReferenceOptions = NO_OPTIONS): ImageReferenceResult {
  const colon = input.indexOf(":");
  const quote = hasFeature(options.target, "goQuotedErrors") ? goQuote : (s: string) => `"${s}"`;
  if (colon === -1) {
    return { ok: false, error: `Invalid image name ${quote(input)}, expected colon-separated transport:reference` };
  }
  const name = input.slice(0, colon);
  const parser = transportParser(name, options);
  if (parser === undefined) {
    return { ok: false, error: `Invalid image name ${quote(input)}, unknown transport ${quote(name)}` };
  }
  return parser(input.slice(colon + 1), options);
}
