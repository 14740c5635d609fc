/**
 * Crash-safe file writes: a temp file in the same directory, written and fsynced, then renamed over the
 * target (rename is atomic within a file system), so readers see either the old or the new file, never a
 * missing, empty or half-written one. The writes go through `host.writes` (src/host/host.ts), so tests wrap
 * them to simulate ENOSPC and friends; temp-file names use the host's pid and random bytes.
 *
 * These functions reject with the underlying error (like node:fs); callers that report diagnostics
 * (compile/compile-files.ts) turn it into one.
 */
import { errorCode, type Host } from "../host/host.js";
import { basename, dirname, isAbsolute, join, normalize, sep } from "../host/path.js";

/** Options of the atomic writers. */
export interface AtomicWriteOptions {
  /** The machine written to: `host.writes` for the operations, `host.pid`/`randomBytes`/`processAlive` for temp names. */
  host: Host;
  /** Mode of a newly created file (default 0o644); an existing file keeps its mode. */
  mode?: number;
}

/** The temp-file name used for `path`: hidden, in the same directory, unique per attempt. */
export function tempPathFor(path: string, host: Pick<Host, "pid" | "randomBytes">): string {
  const hex = Array.from(host.randomBytes(4), (b) => b.toString(16).padStart(2, "0")).join("");
  return join(dirname(path), `.${basename(path)}.${host.pid}.${hex}.tmp`);
}

/** True when `name` looks like one of our temp files (left behind only by a killed process). */
export function isAtomicTempName(name: string): boolean {
  return /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/.test(name);
}

/**
 * Remove temp files for `targets` (absolute paths) that writers killed mid-write left in their directories:
 * `.<name>.<pid>.<hex>.tmp` whose pid no longer runs. Best effort; returns the paths removed.
 */
export async function removeStaleTemps(targets: string[], host: Host): Promise<string[]> {
  const fs = host.writes;
  if (!fs.readdir) return [];
  const removed: string[] = [];
  const byDir = new Map<string, Set<string>>();
  for (const t of targets) {
    const set = byDir.get(dirname(t)) ?? new Set<string>();
    set.add(basename(t));
    byDir.set(dirname(t), set);
  }
  for (const [dir, bases] of byDir) {
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch {
      continue;
    }
    for (const n of names) {
      const m = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(n);
      if (!m || !bases.has(m[1]) || host.processAlive(Number(m[2]))) continue;
      try {
        await fs.unlink(join(dir, n));
        removed.push(join(dir, n));
      } catch {
        // someone else removed it
      }
    }
  }
  return removed;
}

async function ignore(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch {
    // best effort
  }
}

/** Write `data` to a fresh temp file beside `path` (fsynced), returning the temp path. */
async function writeTemp(path: string, data: string | Uint8Array, host: Host, defaultMode: number): Promise<string> {
  const fs = host.writes;
  let mode = defaultMode;
  let existing: { mode: number; uid?: number; gid?: number } | undefined;
  try {
    existing = await fs.stat(path);
    mode = existing.mode & 0o7777;
  } catch {
    // new file
  }
  const tmp = tempPathFor(path, host);
  const fh = await fs.open(tmp, "wx", mode);
  try {
    await fh.writeFile(data);
    // open() applies the umask; give an existing file's replacement exactly the old mode, and (as root, the only
    // user who can) its owner: a root-run fix of a user's file must not hand the file to root.
    if (existing) {
      if (host.euid() === 0 && fh.chown && existing.uid !== undefined && existing.gid !== undefined) await fh.chown(existing.uid, existing.gid);
      await fh.chmod(mode);
    }
    await fh.sync();
  } catch (e) {
    await ignore(fh.close());
    await ignore(fs.unlink(tmp));
    throw e;
  }
  try {
    await fh.close();
  } catch (e) {
    await ignore(fs.unlink(tmp));
    throw e;
  }
  return tmp;
}

/** fsync a directory so the renames in it are durable (best effort: not every platform allows it). */
async function syncDir(dir: string, fs: Host["writes"]): Promise<void> {
  try {
    const fh = await fs.open(dir, "r");
    try {
      await fh.sync();
    } finally {
      await ignore(fh.close());
    }
  } catch {
    // EISDIR/EINVAL/EPERM on some platforms: durability is then up to the file system.
  }
}

/**
 * The file a write of `path` should replace: a symlink is followed to its target, as editors do (the link stays a
 * link, and the file it names gets the new content); a path that does not exist yet is itself.
 */
export function writeTarget(path: string, host: Host): string {
  try {
    if (host.files.lstat(path).kind !== "symlink") return path;
    return host.files.realpath(path);
  } catch {
    return path;
  }
}

/**
 * Replace `path` by `data` atomically (temp file in the same directory, fsync, rename). A symlink is written
 * through: the temp file goes beside the link's target and replaces the target; the link is kept. The replaced
 * file keeps its mode (and, when run as root, its owner).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions): Promise<void> {
  const fs = options.host.writes;
  path = writeTarget(path, options.host);
  const tmp = await writeTemp(path, data, options.host, options.mode ?? 0o644);
  try {
    await fs.rename(tmp, path);
  } catch (e) {
    await ignore(fs.unlink(tmp));
    throw e;
  }
  await syncDir(dirname(path), fs);
}

/** A file of a tree write: `path` relative to the output directory. */
export interface TreeFile {
  path: string;
  text: string;
}

/** Options of writeTreeAtomic. */
export interface WriteTreeOptions extends AtomicWriteOptions {
  /** Relative paths to delete after every file was renamed into place (e.g. stale generated files). */
  remove?: string[];
}

/** What writeTreeAtomic did. */
export interface WriteTreeResult {
  /** Absolute paths written, in rename order. */
  written: string[];
  /** Absolute paths removed. */
  removed: string[];
  /** Removals that failed (the new files are in place regardless). */
  notRemoved: Array<{ path: string; error: unknown }>;
}

/** A failure part-way through the rename phase: `renamed` files are new, the others untouched. */
export class TreeRenameError extends Error {
  constructor(
    cause: unknown,
    readonly renamed: string[],
  ) {
    super(`renamed ${renamed.length} file(s) before failing: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

function resolveInside(outDir: string, rel: string): string {
  const n = normalize(rel);
  if (isAbsolute(rel) || n === ".." || n.startsWith(".." + sep) || n === "." || n === "") {
    throw new Error(`writeTreeAtomic: path ${JSON.stringify(rel)} is not a file inside the output directory`);
  }
  return join(outDir, n);
}

/**
 * Write several files under `outDir` so that a failure leaves the previous files intact: every temp file is
 * written and fsynced first (any failure → all temps removed, nothing changed), then each is renamed into
 * place in the given order (put the file that others depend on — policy.json — last), then the directories
 * are fsynced and only then the `remove` paths deleted (a failed removal is reported in `notRemoved`, not
 * thrown: the new files are in place by then). Temp files of these targets left by killed writers are removed.
 */
export async function writeTreeAtomic(outDir: string, files: TreeFile[], options: WriteTreeOptions): Promise<WriteTreeResult> {
  const fs = options.host.writes;
  const targets = files.map((f) => ({ abs: resolveInside(outDir, f.path), text: f.text }));
  const removals = (options.remove ?? []).map((r) => resolveInside(outDir, r));
  const dirs = [...new Set(targets.map((t) => dirname(t.abs)))];
  for (const d of dirs) await fs.mkdir(d, { recursive: true });

  const temps: string[] = [];
  try {
    for (const t of targets) temps.push(await writeTemp(t.abs, t.text, options.host, options.mode ?? 0o644));
  } catch (e) {
    for (const tmp of temps) await ignore(fs.unlink(tmp));
    throw e;
  }

  const renamed: string[] = [];
  for (let i = 0; i < targets.length; i++) {
    try {
      await fs.rename(temps[i], targets[i].abs);
      renamed.push(targets[i].abs);
    } catch (e) {
      for (const tmp of temps.slice(i)) await ignore(fs.unlink(tmp));
      throw new TreeRenameError(e, renamed);
    }
  }
  for (const d of dirs) await syncDir(d, fs);

  const removed: string[] = [];
  const notRemoved: Array<{ path: string; error: unknown }> = [];
  for (const r of removals) {
    if (targets.some((t) => t.abs === r)) continue;
    try {
      await fs.unlink(r);
      removed.push(r);
    } catch (e) {
      if (errorCode(e) !== "ENOENT") notRemoved.push({ path: r, error: e });
    }
  }
  if (removed.length > 0) for (const d of new Set(removed.map((r) => dirname(r)))) await syncDir(d, fs);
  await removeStaleTemps(targets.map((t) => t.abs), options.host);
  return { written: renamed, removed, notRemoved };
}
