/**
 * Path resolution for the path-based transports (dir, oci, oci-archive, sif), following
 * containers/image `directory/explicitfilepath.ResolvePathToFullyExplicit`.
 */
import type { HostFiles } from "../host/host.js";
import { cleanPath } from "./clean-path.js";

/**
 * The file-system reads path resolution needs (the host's). Absent (a browser, a caller without a host), paths
 * resolve lexically: nothing exists, so the lenient rule returns the cleaned absolute path.
 */
export type PathFiles = Pick<HostFiles, "realpath" | "lstat"> & Partial<Pick<HostFiles, "readLink" | "lstatIfExists">>;

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

/** Go's `filepath.Abs` on Unix: join with the working directory (default "/", the caller passes the host's), then Clean. */
export function absPath(p: string, cwd?: string): string {
  return p.startsWith("/") ? cleanPath(p) : cleanPath((cwd ?? "/") + "/" + p);
}

/**
 * realpath of `p`, or undefined where it does not resolve; a path lstat cannot find is answered without calling realpath.
 * The probe changes no answer: `p` is absolute and clean, and where lstat(p) fails realpath(p) fails too (glibc's
 * realpath walks the same components and fails on any readlink error but EINVAL, "not a symlink"; lstat and readlink
 * of a path meet the same errors: ENOENT, ENOTDIR, EACCES, ELOOP, ENAMETOOLONG). So {@link realpathOfExisting} gives
 * the same answer for any path, with one system call fewer where the path exists and a thrown error where it does not.
 */
function realpathOrUndefined(files: PathFiles | undefined, p: string): string | undefined {
  try {
    // A path lstat cannot find does not resolve either: asked without an error thrown, where the host can.
    if (files?.lstatIfExists !== undefined && files.lstatIfExists(p) === undefined) return undefined;
  } catch {
    return undefined;
  }
  return realpathOfExisting(files, p);
}

/**
 * The default resolver: absolute, symlink-free, clean. Where upstream requires every component but
 * the last to exist (and fails otherwise), this resolves the longest existing prefix and appends the
 * rest lexically, so references to images that do not exist on this machine can still be simulated.
 * For existing paths, and for paths whose only missing component is the last, the result equals upstream's.
 */
export function resolvePathLeniently(p: string, cwd?: string, files?: PathFiles): string {
  const abs = absPath(p, cwd);
  const direct = realpathOrUndefined(files, abs);
  if (direct !== undefined) return direct;
  let head = abs;
  let tail = "";
  // The parent is asked directly (realpath, no lstat first): a missing image in a directory that exists is the common
  // case (as upstream's ResolvePathToFullyExplicit, which lstats the path and then EvalSymlinks its parent). Further up,
  // where misses are common, each head is probed first (a failed realpath throws, which costs more than an lstat).
  let probe = false;
  while (head !== "/") {
    const slash = head.lastIndexOf("/");
    tail = tail === "" ? head.slice(slash + 1) : head.slice(slash + 1) + "/" + tail;
    head = slash <= 0 ? "/" : head.slice(0, slash);
    const resolved = probe ? realpathOrUndefined(files, head) : realpathOfExisting(files, head);
    probe = true;
    if (resolved !== undefined) return cleanPath(resolved + "/" + tail);
  }
  return abs;
}

/**
 * realpath of a path expected to exist (asked directly: one call to the file system fewer than
 * {@link realpathOrUndefined}, whose lstat probe pays off only where misses are common).
 */
function realpathOfExisting(files: PathFiles | undefined, p: string): string | undefined {
  if (!files) return undefined;
  try {
    return files.realpath(p);
  } catch {
    return undefined;
  }
}

/** Upstream `resolveExistingPathToFullyExplicit`: Abs, EvalSymlinks, Clean. */
function resolveExisting(p: string, cwd: string | undefined, files: PathFiles | undefined): { ok: true; path: string } | { ok: false; error: string } {
  const abs = absPath(p, cwd);
  // The path (or, for a missing last component, its parent) exists where upstream's rule succeeds at all.
  const resolved = realpathOfExisting(files, abs);
  if (resolved !== undefined) return { ok: true, path: cleanPath(resolved) };
  return evalSymlinksError(abs, files);
}

/**
 * The error Go's `filepath.EvalSymlinks` (walkSymlinks, Unix) reports for an absolute path that does not
 * resolve: a port of its component walk, used only once realpath has failed.
 */
function evalSymlinksError(p: string, files: PathFiles | undefined): { ok: false; error: string } {
  let path = p;
  let dest = "/";
  let linksWalked = 0;
  for (let start = 1, end = 1; start < path.length; start = end) {
    while (start < path.length && path.charCodeAt(start) === 0x2f) start++;
    end = start;
    while (end < path.length && path.charCodeAt(end) !== 0x2f) end++;
    if (end === start) break;
    const part = path.slice(start, end);
    if (part === ".") continue;
    if (part === "..") {
      let r = dest.length - 1;
      while (r >= 1 && dest.charCodeAt(r) !== 0x2f) r--;
      if (r < 1 || dest.slice(r + 1) === "..") {
        if (dest.length > 1) dest += "/";
        dest += "..";
      } else {
        dest = dest.slice(0, r);
      }
      continue;
    }
    if (dest.length > 0 && dest.charCodeAt(dest.length - 1) !== 0x2f) dest += "/";
    dest += part;
    let kind: string;
    try {
      if (!files) throw Object.assign(new Error("no file system"), { code: "ENOENT" });
      kind = files.lstat(dest).kind;
    } catch (e) {
      return { ok: false, error: `lstat ${dest}: ${errnoText(e)}` };
    }
    if (kind !== "symlink") {
      if (kind !== "directory" && end < path.length) return { ok: false, error: ERRNO_TEXT.ENOTDIR };
      continue;
    }
    if (++linksWalked > 255) return { ok: false, error: "EvalSymlinks: too many links" };
    let link: string;
    try {
      if (!files?.readLink) throw Object.assign(new Error("no file system"), { code: "EINVAL" });
      link = files.readLink(dest);
    } catch (e) {
      return { ok: false, error: `readlink ${dest}: ${errnoText(e)}` };
    }
    path = link + path.slice(end);
    if (link.startsWith("/")) {
      dest = "/";
      end = 1;
    } else {
      let r = dest.length - 1;
      while (r >= 1 && dest.charCodeAt(r) !== 0x2f) r--;
      dest = r < 1 ? "/" : dest.slice(0, r);
      end = 0;
    }
  }
  // Everything resolved after all (a race with the filesystem): report it as Go's Lstat would.
  return { ok: false, error: `lstat ${p}: ${ERRNO_TEXT.ENOENT}` };
}

/** What a missing path's lstat says (no error object made per reference). */
const MISSING = Object.freeze({ code: "ENOENT" });

/**
 * Upstream's exact rule (`explicitfilepath.ResolvePathToFullyExplicit`): every component except the
 * last must exist; errors carry Go's `lstat <path>: <errno text>` form (the path named is our best
 * reconstruction of the one Go names).
 */
export function resolvePathToFullyExplicit(p: string, cwd?: string, files?: PathFiles): { ok: true; path: string } | { ok: false; error: string } {
  let lstatError: unknown = p === "" ? MISSING : undefined;
  if (p !== "") {
    try {
      if (!files) throw Object.assign(new Error("no file system"), { code: "ENOENT" });
      const full = cwd === undefined || p.startsWith("/") ? p : cwd + "/" + p;
      if (files.lstatIfExists !== undefined) {
        if (files.lstatIfExists(full) === undefined) lstatError = MISSING;
      } else files.lstat(full);
    } catch (e) {
      lstatError = e;
    }
  }
  if (lstatError === undefined) return resolveExisting(p, cwd, files);
  if ((lstatError as { code?: string }).code !== "ENOENT") return { ok: false, error: `lstat ${p}: ${errnoText(lstatError)}` };
  const slash = p.lastIndexOf("/");
  // filepath.Split's parent keeps its trailing slash, which Abs (Clean) drops: dropped here first (the same path, and
  // a clean one that cleanPath returns as it is).
  const parent = slash > 0 ? p.slice(0, slash) : p.slice(0, slash + 1);
  const file = p.slice(slash + 1);
  const resolvedParent = resolveExisting(parent, cwd, files);
  if (!resolvedParent.ok) return resolvedParent;
  if (file === "." || file === "..") {
    return { ok: false, error: `Unexpectedly missing special filename component in ${p}` };
  }
  // filepath.Join(parent, file): Clean of the two joined by a slash (the parent is absolute, so no empty join).
  return { ok: true, path: cleanPath(resolvedParent.path + "/" + file) };
}
