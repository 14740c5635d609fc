/**
 * How lint rules look at the machine's files (key files, symlinked path scopes): through the run's
 * `host.files` (src/host/host.ts), synchronously because rules are. These helpers give the rules the answers
 * they need ("no such file" as undefined rather than a thrown HostError) and keep the limits in one place.
 */
import { HostError, type HostFiles } from "../host/host.js";

/** What a rule may learn about a path. */
export interface LintFileInfo {
  isFile: boolean;
  /** POSIX permission bits (`mode & 0o7777`). */
  mode: number;
}

/** Key files above this size are not read (a key is a few KiB; a huge "key" is the wrong path). */
export const MAX_KEY_FILE_BYTES = 16 * 1024 * 1024;

/** Information about `path` (following symlinks), or undefined when it does not exist or cannot be examined. */
export function statPath(files: HostFiles, path: string): LintFileInfo | undefined {
  try {
    const s = files.stat(path);
    return { isFile: s.kind === "file", mode: s.mode & 0o7777 };
  } catch {
    return undefined;
  }
}

/** The bytes of a regular file of at most {@link MAX_KEY_FILE_BYTES}, or undefined when it cannot be read. */
export function readSmallFile(files: HostFiles, path: string): Uint8Array | undefined {
  try {
    const s = files.stat(path);
    if (s.kind !== "file" || s.size > MAX_KEY_FILE_BYTES) return undefined;
    return files.readFile(path, { maxBytes: MAX_KEY_FILE_BYTES });
  } catch {
    return undefined;
  }
}

/** The path with every symlink resolved, or undefined when it does not exist. */
export function resolvedPath(files: HostFiles, path: string): string | undefined {
  try {
    return files.realpath(path);
  } catch {
    return undefined;
  }
}

/** A machine without files (lint runs that were given no host: every path is missing). */
export const NO_FILES: HostFiles = {
  stat: missing,
  lstat: missing,
  readFile: missing,
  readDir: missing,
  realpath: missing,
};

function missing(path: string): never {
  throw new HostError("ENOENT", path, `ENOENT: no such file or directory, '${path}'`);
}
