/**
 * How lint rules reach the file system (key files, symlinked path scopes). Synchronous, because rules are; injectable
 * so tests can describe files without touching the disk. The default reads the real file system.
 */
import * as fs from "node:fs";

/** What a rule may learn about a path. */
export interface LintFileInfo {
  isFile: boolean;
  /** POSIX permission bits (`mode & 0o7777`). */
  mode: number;
}

/** File-system access for lint rules. */
export interface LintFileAccess {
  /** Information about `path` (following symlinks), or undefined when it does not exist. */
  stat(path: string): LintFileInfo | undefined;
  /** The file's bytes, or undefined when it cannot be read. */
  readFile(path: string): Uint8Array | undefined;
  /** The path with every symlink resolved, or undefined when it does not exist. */
  realpath(path: string): string | undefined;
}

/** The real file system. */
export const nodeLintFileAccess: LintFileAccess = {
  stat(p) {
    try {
      const s = fs.statSync(p);
      return { isFile: s.isFile(), mode: s.mode & 0o7777 };
    } catch {
      return undefined;
    }
  },
  readFile(p) {
    try {
      const s = fs.statSync(p);
      if (!s.isFile() || s.size > 16 * 1024 * 1024) return undefined;
      return fs.readFileSync(p);
    } catch {
      return undefined;
    }
  },
  realpath(p) {
    try {
      return fs.realpathSync.native(p);
    } catch {
      return undefined;
    }
  },
};

/** A file access backed by a table (for tests): path → contents and mode; `links` maps a path prefix to its target. */
export function memoryLintFileAccess(
  files: Record<string, { data?: string | Uint8Array; mode?: number; unreadable?: boolean }>,
  links: Record<string, string> = {},
): LintFileAccess {
  const resolve = (p: string): string => {
    for (const [from, to] of Object.entries(links)) if (p === from || p.startsWith(from + "/")) return resolve(to + p.slice(from.length));
    return p;
  };
  const dirs = new Set<string>();
  for (const f of Object.keys(files)) for (let d = f; d.includes("/"); ) ((d = d.slice(0, d.lastIndexOf("/")) || "/"), dirs.add(d), d === "/" && (d = ""));
  return {
    stat(p) {
      const r = resolve(p);
      const f = files[r];
      if (f) return { isFile: true, mode: f.mode ?? 0o644 };
      return dirs.has(r) ? { isFile: false, mode: 0o755 } : undefined;
    },
    readFile(p) {
      const f = files[resolve(p)];
      if (!f || f.unreadable || f.data === undefined) return undefined;
      return typeof f.data === "string" ? new TextEncoder().encode(f.data) : f.data;
    },
    realpath(p) {
      const r = resolve(p);
      return files[r] || dirs.has(r) ? r : undefined;
    },
  };
}
