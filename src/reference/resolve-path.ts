/**
 * Path resolution for the path-based transports (dir, oci, oci-archive, sif), following
 * containers/image `directory/explicitfilepath.ResolvePathToFullyExplicit`.
 */
import * as fs from "node:fs";
import * as nodePath from "node:path";
import { cleanPath } from "./clean-path.js";

/** Go's syscall error texts for the errno codes a path lookup can meet. */
const ERRNO_TEXT: Record<string, string> = {
  ENOENT: "no such file or directory",
  ENOTDIR: "not a directory",
  EACCES: "permission denied",
  ELOOP: "too many levels of symbolic links",
  ENAMETOOLONG: "file name too long",
  EISDIR: "is a directory",
};

/** Go-style text for a Node fs error code (`no such file or directory`, …). */
export function errnoText(e: unknown): string {
  const code = (e as { code?: string } | null)?.code;
  if (code !== undefined && Object.prototype.hasOwnProperty.call(ERRNO_TEXT, code)) return ERRNO_TEXT[code];
  return e instanceof Error ? e.message : String(e);
}

/** Go's `filepath.Abs` on Unix: join with the working directory, then Clean. */
export function absPath(p: string): string {
  return p.startsWith("/") ? cleanPath(p) : cleanPath(process.cwd() + "/" + p);
}

function realpathOrUndefined(p: string): string | undefined {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return undefined;
  }
}

/**
 * The default resolver: absolute, symlink-free, clean. Where upstream requires every component but
 * the last to exist (and fails otherwise), this resolves the longest existing prefix and appends the
 * rest lexically, so references to images that do not exist on this machine can still be simulated.
 * For existing paths, and for paths whose only missing component is the last, the result equals upstream's.
 */
export function resolvePathLeniently(p: string): string {
  const abs = absPath(p);
  const direct = realpathOrUndefined(abs);
  if (direct !== undefined) return direct;
  let head = abs;
  let tail = "";
  while (head !== "/") {
    const slash = head.lastIndexOf("/");
    tail = tail === "" ? head.slice(slash + 1) : head.slice(slash + 1) + "/" + tail;
    head = slash <= 0 ? "/" : head.slice(0, slash);
    const resolved = realpathOrUndefined(head);
    if (resolved !== undefined) return cleanPath(resolved + "/" + tail);
  }
  return abs;
}

/** Upstream `resolveExistingPathToFullyExplicit`: Abs, EvalSymlinks, Clean. */
function resolveExisting(p: string): { ok: true; path: string } | { ok: false; error: string } {
  const abs = absPath(p);
  const resolved = realpathOrUndefined(abs);
  if (resolved !== undefined) return { ok: true, path: cleanPath(resolved) };
  // Name the first component that cannot be resolved, as Go's EvalSymlinks does (`lstat <path>: …`).
  let prefix = "";
  for (const part of abs.split("/").slice(1)) {
    prefix += "/" + part;
    try {
      fs.statSync(prefix);
    } catch (e) {
      return { ok: false, error: `lstat ${prefix}: ${errnoText(e)}` };
    }
  }
  return { ok: false, error: `lstat ${abs}: ${ERRNO_TEXT.ENOENT}` };
}

/**
 * Upstream's exact rule (`explicitfilepath.ResolvePathToFullyExplicit`): every component except the
 * last must exist; errors carry Go's `lstat <path>: <errno text>` form (the path named is our best
 * reconstruction of the one Go names).
 */
export function resolvePathToFullyExplicit(p: string): { ok: true; path: string } | { ok: false; error: string } {
  let lstatError: unknown = p === "" ? { code: "ENOENT" } : undefined;
  if (p !== "") {
    try {
      fs.lstatSync(p);
    } catch (e) {
      lstatError = e;
    }
  }
  if (lstatError === undefined) return resolveExisting(p);
  if ((lstatError as { code?: string }).code !== "ENOENT") return { ok: false, error: `lstat ${p}: ${errnoText(lstatError)}` };
  const slash = p.lastIndexOf("/");
  const parent = p.slice(0, slash + 1);
  const file = p.slice(slash + 1);
  const resolvedParent = resolveExisting(parent);
  if (!resolvedParent.ok) return resolvedParent;
  if (file === "." || file === "..") {
    return { ok: false, error: `Unexpectedly missing special filename component in ${p}` };
  }
  return { ok: true, path: cleanPath(nodePath.posix.join(resolvedParent.path, file)) };
}
