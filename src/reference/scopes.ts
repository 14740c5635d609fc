/**
 * Policy scope validation per transport: each transport's `ValidatePolicyConfigurationScope` in
 * containers/image (docker/docker_transport.go, openshift/openshift_transport.go,
 * docker/daemon/daemon_transport.go, docker/archive/transport.go, tarball/tarball_transport.go,
 * directory/directory_transport.go, sif/transport.go, oci/internal/oci_util.go ValidateScope,
 * storage/storage_transport.go, transports/stub.go for ostree).
 *
 * Upstream's policy loader reports a rejected scope only as `Unknown key "<scope>"`; the messages
 * returned here are the validators' own texts (Unix builds), which a linter can show as the reason.
 */
import { cleanPath } from "./clean-path.js";
import { validateDigest } from "./docker-reference.js";

export { cleanPath } from "./clean-path.js";

/** Transport names registered by `transports/alltransports` in the newest upstream (ostree is a stub there). */
export const KNOWN_TRANSPORTS = [
  "docker",
  "atomic",
  "containers-storage",
  "dir",
  "docker-archive",
  "docker-daemon",
  "oci",
  "oci-archive",
  "sif",
  "tarball",
  "ostree",
] as const;

/** A transport name known to upstream. */
export type KnownTransport = (typeof KNOWN_TRANSPORTS)[number];

/**
 * Transports that exist as a name but accept every scope (stub transports). `ostree` is a stub in
 * default builds of every version (it needs the `containers_image_ostree` build tag) and a stub
 * everywhere from v5.36.0.
 */
export const STUB_TRANSPORTS: readonly string[] = ["ostree"];

/**
 * Per-target differences in the transport set: Debian 12's 5.23.1 build does not register `atomic`
 * (a Debian patch disables the openshift transport), so there `atomic` is an unknown transport whose
 * scopes are not validated. The loader decides by target; this is only the fact.
 */
export const TRANSPORTS_MISSING_IN_DEBIAN_5_23: readonly string[] = ["atomic"];

const KNOWN_SET: ReadonlySet<string> = new Set(KNOWN_TRANSPORTS);

/** The transport names a build registers: all of KNOWN_TRANSPORTS, minus `atomic` for Debian 12's 5.23.1 build. */
export function registeredTransports(options: { debian?: boolean } = {}): readonly string[] {
  return options.debian === true ? KNOWN_TRANSPORTS.filter((t) => !TRANSPORTS_MISSING_IN_DEBIAN_5_23.includes(t)) : KNOWN_TRANSPORTS;
}

/** True when `name` is a transport name upstream registers (including the ostree stub). */
export function isKnownTransport(name: string): name is KnownTransport {
  return KNOWN_SET.has(name);
}

/** Outcome of validating one scope: `known` false for unknown transports; `error` the validator's message if rejected. */
export interface ScopeValidation {
  known: boolean;
  error?: string;
}

/** upstream openshift `scopeRegexp` (atomic transport). */
const ATOMIC_SCOPE_RE = /^[^/]*(\/[^:/]*(\/[^:/]*(:[^:/]*)?)?)?$/;

const OK_KNOWN: ScopeValidation = Object.freeze({ known: true }) as ScopeValidation;
const OK_UNKNOWN: ScopeValidation = Object.freeze({ known: false }) as ScopeValidation;

function fail(error: string): ScopeValidation {
  return { known: true, error };
}

/** dir and sif: `dirTransport.ValidatePolicyConfigurationScope` / `sifTransport.ValidatePolicyConfigurationScope`. */
function validateDirLikeScope(scope: string): string | undefined {
  if (!scope.startsWith("/")) return `Invalid scope ${scope}: Must be an absolute path`;
  if (scope === "/") return `Invalid scope "/": Use the generic default scope ""`;
  const cleaned = cleanPath(scope);
  if (cleaned !== scope) return `Invalid scope ${scope}: Uses non-canonical format, perhaps try ${cleaned}`;
  return undefined;
}

/** oci and oci-archive: `oci/internal.ValidateScope` (non-Windows). */
function validateOciScope(scope: string): string | undefined {
  if (!scope.startsWith("/")) return `Invalid scope ${scope}: must be an absolute path`;
  if (scope === "/") return `Invalid scope "/": Use the generic default scope ""`;
  const cleaned = cleanPath(scope);
  if (cleaned !== scope) return `Invalid scope ${scope}: Uses non-canonical path format, perhaps try with path ${cleaned}`;
  return undefined;
}

/** `storage.validateImageID`: a 64-hex image ID, checked as the digest `sha256:<id>`. */
function validateImageID(id: string): string | undefined {
  return validateDigest("sha256:" + id);
}

/** `storageTransport.ValidatePolicyConfigurationScope`. */
export function validateStorageScope(scope: string): string | undefined {
  if (scope.charCodeAt(0) !== 0x5b /* [ */) return "invalid reference";
  const closeIndex = scope.indexOf("]");
  if (closeIndex < 1) return "invalid reference";
  const storeSpec = scope.slice(1, closeIndex);
  const rest = scope.slice(closeIndex + 1);
  const at = storeSpec.indexOf("@");
  if (at === -1 && storeSpec !== "") {
    if (!storeSpec.startsWith("/")) return "path name is not absolute";
  } else if (at !== -1 && at > 0 && at < storeSpec.length - 1) {
    if (storeSpec.charCodeAt(at + 1) !== 0x2f) return "path name is not absolute";
  } else {
    return "invalid reference";
  }
  if (rest === "") return undefined;
  const first = rest.indexOf("@");
  if (first === -1) return undefined;
  const second = rest.indexOf("@", first + 1);
  if (second === -1) {
    const field = rest.slice(first + 1);
    const idErr = validateImageID(field);
    if (idErr !== undefined) {
      const digestErr = validateDigest(field);
      if (digestErr !== undefined) return `${field} is neither a valid digest(${digestErr}) nor a valid ID(${idErr})`;
    }
    return undefined;
  }
  const digestErr = validateDigest(rest.slice(first + 1, second));
  if (digestErr !== undefined) return digestErr;
  return validateImageID(rest.slice(second + 1));
}

/**
 * The reason the transport named `transport` rejects `scope`, or undefined when accepted.
 * Unknown and stub transports accept everything; `""` is always accepted (upstream never asks the
 * transport about it).
 */
export function scopeRejection(transport: string, scope: string): string | undefined {
  if (scope === "") return undefined;
  switch (transport) {
    case "docker":
      return undefined;
    case "atomic":
      return ATOMIC_SCOPE_RE.test(scope) ? undefined : `Invalid scope name ${scope}`;
    case "docker-daemon":
      return validateDigest(scope) === undefined
        ? `docker-daemon: can not use algo:digest value ${scope} as a namespace`
        : undefined;
    case "docker-archive":
      return `docker-archive: does not support any scopes except the default "" one`;
    case "tarball":
      return `tarball: does not support any scopes except the default "" one`;
    case "dir":
    case "sif":
      return validateDirLikeScope(scope);
    case "oci":
    case "oci-archive":
      return validateOciScope(scope);
    case "containers-storage":
      return validateStorageScope(scope);
    default:
      return undefined; // ostree stub and unknown transports
  }
}

/**
 * Validates a policy scope for a transport as upstream's `policyTransportScopesWithTransport.UnmarshalJSON`
 * would (newest upstream transport set): `known` is false for transport names upstream does not
 * register (then every scope is accepted); `error` is the transport validator's own message.
 */
export function validatePolicyScope(transport: string, scope: string): ScopeValidation {
  if (!KNOWN_SET.has(transport)) return OK_UNKNOWN;
  const error = scopeRejection(transport, scope);
  return error === undefined ? OK_KNOWN : fail(error);
}
