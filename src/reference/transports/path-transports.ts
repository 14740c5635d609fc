/**
 * The path-based transports: `dir:` (directory/directory_transport.go), `sif:` (sif/transport.go),
 * `oci:` (oci/layout/oci_transport.go) and `oci-archive:` (oci/archive/oci_transport.go), with the
 * helpers of oci/internal/oci_util.go.
 */
import type { ImageReference, ImageReferenceResult, ParseImageReferenceOptions } from "../image-reference-types.js";
import { resolvePathLeniently, resolvePathToFullyExplicit } from "../resolve-path.js";
import { goAtoi, goIntText } from "./go-atoi.js";
import { compareVersions, type Version } from "../../ir/versions.js";

/** oci `:@index` source-index syntax exists from v5.34.0 (oci/internal ParseReferenceIntoElements). */
const OCI_SOURCE_INDEX_SINCE: Version = [5, 34, 0];

/** The OCI image-name grammar (oci/internal `refRegexp`). */
const OCI_REF_RE = /^[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*(?:\/[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*)*$/;

/** Resolves a user path with the configured resolver (default: lenient; strict upstream rule on request). */
export function resolveUserPath(p: string, options: ParseImageReferenceOptions): { ok: true; path: string } | { ok: false; error: string } {
  if (options.resolvePath !== undefined) {
    try {
      return { ok: true, path: options.resolvePath(p) };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }
  const cwd = options.cwd ?? options.host?.cwd();
  // Upstream's strict rule asks the file system; without a host there is none to ask, so paths resolve lexically.
  if (options.strictPaths === true && options.host !== undefined) return resolvePathToFullyExplicit(p, cwd, options.host.files);
  return { ok: true, path: resolvePathLeniently(p, cwd, options.host?.files) };
}

/** Parent directories, nearest first, excluding the path itself and `/` (dir and sif namespaces). */
export function parentNamespaces(resolved: string): string[] {
  const res: string[] = [];
  let path = resolved;
  for (;;) {
    const lastSlash = path.lastIndexOf("/");
    if (lastSlash === -1 || lastSlash === 0) break;
    path = path.slice(0, lastSlash);
    res.push(path);
  }
  return res;
}

/** The path itself, then its parents, excluding `/` (oci and oci-archive namespaces). */
export function selfAndParentNamespaces(resolved: string): string[] {
  const res: string[] = [];
  let path = resolved;
  for (;;) {
    const lastSlash = path.lastIndexOf("/");
    if (lastSlash === -1 || path === "/") break;
    res.push(path);
    path = path.slice(0, lastSlash);
  }
  return res;
}

function pathReference(transport: string, withinTransport: string, identity: string, namespaces: string[]): ImageReference {
  return { transport, identity, namespaces, imageName: transport + ":" + withinTransport, withinTransport };
}

/** `dir:` — identity is the resolved directory, namespaces its parents. */
export function parseDirTransport(s: string, options: ParseImageReferenceOptions): ImageReferenceResult {
  const resolved = resolveUserPath(s, options);
  if (!resolved.ok) return resolved;
  return { ok: true, ref: pathReference("dir", s, resolved.path, parentNamespaces(resolved.path)) };
}

/** `sif:` — as dir, for a file. */
export function parseSifTransport(s: string, options: ParseImageReferenceOptions): ImageReferenceResult {
  const resolved = resolveUserPath(s, options);
  if (!resolved.ok) return resolved;
  return { ok: true, ref: pathReference("sif", s, resolved.path, parentNamespaces(resolved.path)) };
}

/** oci/internal `ValidateImageName`. */
function validateOciImageName(image: string): string | undefined {
  if (image.length === 0) return undefined;
  return OCI_REF_RE.test(image) ? undefined : `Invalid image ${image}`;
}

/** `oci:` — `dir[:image|:@index]`; identity is the resolved directory, namespaces the directory and its parents. */
export function parseOciTransport(s: string, options: ParseImageReferenceOptions): ImageReferenceResult {
  const colon = s.indexOf(":");
  const dir = colon === -1 ? s : s.slice(0, colon);
  let image = colon === -1 ? "" : s.slice(colon + 1);
  let sourceIndex: string | undefined;
  const indexSyntax = options.target === undefined || compareVersions(options.target, OCI_SOURCE_INDEX_SINCE) >= 0;
  if (indexSyntax && image.startsWith("@")) {
    const n = goAtoi(image.slice(1));
    if (!n.ok) return { ok: false, error: `Invalid source index @${image.slice(1)}: not an integer: ${n.error}` };
    const text = goIntText(image.slice(1));
    if (n.value < 0) return { ok: false, error: `Invalid source index @${text}: must not be negative` };
    sourceIndex = text;
    image = "";
  }
  const resolved = resolveUserPath(dir, options);
  if (!resolved.ok) return resolved;
  const imageError = validateOciImageName(image);
  if (imageError !== undefined) return { ok: false, error: imageError };
  const withinTransport = sourceIndex === undefined ? `${dir}:${image}` : `${dir}:@${sourceIndex}`;
  return { ok: true, ref: pathReference("oci", withinTransport, resolved.path, selfAndParentNamespaces(resolved.path)) };
}

/** `oci-archive:` — `file[:image]`; identity is the resolved file, namespaces the file and its parents. */
export function parseOciArchiveTransport(s: string, options: ParseImageReferenceOptions): ImageReferenceResult {
  const colon = s.indexOf(":");
  const file = colon === -1 ? s : s.slice(0, colon);
  const image = colon === -1 ? "" : s.slice(colon + 1);
  const resolved = resolveUserPath(file, options);
  if (!resolved.ok) return resolved;
  const imageError = validateOciImageName(image);
  if (imageError !== undefined) return { ok: false, error: imageError };
  return {
    ok: true,
    ref: pathReference("oci-archive", `${file}:${image}`, resolved.path, selfAndParentNamespaces(resolved.path)),
  };
}
