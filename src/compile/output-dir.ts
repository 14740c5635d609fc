/**
 * Guards around writing an output directory (issue 17): refuse a directory on a kernel pseudo file system (/proc,
 * /sys, …: Node's recursive mkdir loops forever under /proc, and nothing written there is a configuration), and an
 * advisory lock file held by one compile from reading the directory's old state to its last rename, so two compiles
 * into one directory cannot leave a mix of both (containers/image refuses a registries.d where a scope is "defined
 * both in" two files, and every pull fails).
 *
 * The lock is `DIR/.imagetrust.lock`, created with O_EXCL and holding the writer's pid and start time. A lock whose
 * pid no longer runs (host.processAlive) was left by a killed compile and is taken over; the take-over itself is
 * guarded by a second O_EXCL file (`.imagetrust.lock.break`), so two compiles finding the same stale lock cannot both
 * remove it and both go on. Readers (`compile --check`, the runtime) take no lock.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { errorCode, type Host } from "../host/host.js";
import { dirname, join } from "../host/path.js";

/** The lock file's name inside the output directory. */
export const OUTPUT_LOCK_NAME = ".imagetrust.lock";
const BREAK_NAME = ".imagetrust.lock.break";
/** A take-over guard older than this was left by a process killed in the middle of a take-over. */
const BREAK_STALE_MS = 10_000;

/** Linux statfs magic numbers of kernel pseudo file systems (linux/magic.h): nothing there is a configuration file. */
const SPECIAL_FILE_SYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, "proc"],
  [0x62656572, "sysfs"],
  [0x1cd1, "devpts"],
  [0x27e0eb, "cgroup"],
  [0x63677270, "cgroup2"],
  [0x64626720, "debugfs"],
  [0x74726163, "tracefs"],
  [0x73636673, "securityfs"],
  [0xcafe4a11, "bpf"],
  [0x62656570, "configfs"],
  [0x6165676c, "pstore"],
  [0xde5e81e4, "efivarfs"],
  [0xf97cff8c, "selinuxfs"],
  [0x42494e4d, "binfmt_misc"],
  [0x65735543, "fusectl"],
]);

/** The name of the pseudo file system `dir` (or its nearest existing ancestor) is on, or undefined. */
export function specialFileSystem(host: Host, dir: string): string | undefined {
  const type = host.files.fileSystemType;
  if (!type) return undefined;
  for (let d = dir; ; d = dirname(d)) {
    try {
      host.files.stat(d);
      return SPECIAL_FILE_SYSTEMS.get(type(d));
    } catch {
      if (dirname(d) === d) return undefined;
    }
  }
}

/** IT9014 for an output directory on a pseudo file system, or undefined. */
export function specialOutputDiagnostic(host: Host, outDir: string): Diagnostic | undefined {
  const fsName = specialFileSystem(host, outDir);
  if (fsName === undefined) return undefined;
  return {
    code: "IT9014",
    severity: "error",
    file: outDir,
    message: `${outDir} is on the kernel's ${fsName} file system, which holds no configuration files; nothing was written.`,
    hint: "Write to a directory on a real file system (e.g. --out /etc/containers, or a build directory).",
  };
}

/** A held lock. */
export interface OutputLock {
  release(): Promise<void>;
}

/** Who holds a lock, as its file says. */
interface LockHolder {
  pid?: number;
  started?: string;
  text: string;
}

function parseHolder(text: string): LockHolder {
  const m = /^pid (\d+)\n(?:started (.*)\n)?/.exec(text);
  return m ? { pid: Number(m[1]), started: m[2], text } : { text };
}

function readHolder(host: Host, path: string): LockHolder | undefined {
  try {
    return parseHolder(new TextDecoder().decode(host.files.readFile(path, { maxBytes: 4096 })));
  } catch {
    return undefined;
  }
}

/**
 * The holder of the lock at `path`, waiting briefly while the file is empty: the holder creates it with O_EXCL and
 * writes its pid right after, so a reader can come between the two.
 */
async function settledHolder(host: Host, path: string): Promise<LockHolder | undefined> {
  let holder = readHolder(host, path);
  for (let i = 0; i < 50 && holder !== undefined && holder.pid === undefined && holder.text === ""; i++) {
    await new Promise((r) => setTimeout(r, 10));
    holder = readHolder(host, path);
  }
  return holder;
}

async function createExclusive(host: Host, path: string, text: string): Promise<boolean> {
  let fh;
  try {
    fh = await host.writes.open(path, "wx", 0o644);
  } catch (e) {
    if (errorCode(e) === "EEXIST") return false;
    throw e;
  }
  try {
    await fh.writeFile(text);
    await fh.close();
  } catch (e) {
    // A lock we could not write (ENOSPC, EIO) must not stay behind, empty and looking held.
    await fh.close().catch(() => undefined);
    await host.writes.unlink(path).catch(() => undefined);
    throw e;
  }
  return true;
}

/**
 * Take the lock of `outDir` (which must exist). Resolves to the lock, or to IT9015 naming the holder when another
 * live process holds it. Rejects with the host's error when the lock file cannot be created (EACCES, EROFS, …).
 */
export async function acquireOutputLock(host: Host, outDir: string): Promise<{ lock: OutputLock } | { diagnostic: Diagnostic }> {
  const path = join(outDir, OUTPUT_LOCK_NAME);
  const mine = `pid ${host.pid}\nstarted ${host.now().toISOString()}\n`;
  const lock: OutputLock = {
    async release() {
      // Only our own lock: a lock that is no longer ours (taken over as stale by mistake) is left to its owner.
      if (readHolder(host, path)?.text === mine) await host.writes.unlink(path).catch(() => undefined);
    },
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createExclusive(host, path, mine)) return { lock };
    const holder = await settledHolder(host, path);
    if (holder === undefined) continue; // released between our two steps: try again
    if (holder.pid === undefined || host.processAlive(holder.pid)) return { diagnostic: lockedDiagnostic(outDir, path, holder) };
    // A stale lock (its compile was killed): take it over under the break guard.
    await takeOverStale(host, outDir, path, holder);
  }
  const holder = readHolder(host, path) ?? { text: "" };
  return { diagnostic: lockedDiagnostic(outDir, path, holder) };
}

async function takeOverStale(host: Host, outDir: string, path: string, stale: LockHolder): Promise<void> {
  const guard = join(outDir, BREAK_NAME);
  if (!(await createExclusive(host, guard, `pid ${host.pid}\n`))) {
    // Someone else is taking it over; a guard left by a killed process is removed once it is old.
    try {
      if (host.now().getTime() - host.files.stat(guard).mtimeMs > BREAK_STALE_MS) await host.writes.unlink(guard);
    } catch {
      // gone already
    }
    return;
  }
  try {
    // Still the same stale lock (not one a live compile created since we read it)?
    if (readHolder(host, path)?.text === stale.text) await host.writes.unlink(path).catch(() => undefined);
  } finally {
    await host.writes.unlink(guard).catch(() => undefined);
  }
}

function lockedDiagnostic(outDir: string, path: string, holder: LockHolder): Diagnostic {
  const who = holder.pid !== undefined ? `process ${holder.pid}${holder.started ? `, started ${holder.started}` : ""}` : "a process that left no pid";
  return {
    code: "IT9015",
    severity: "error",
    file: outDir,
    message: `another imagetrust compile (${who}) is writing to ${outDir}; nothing was written.`,
    hint: `Run the compiles one after the other. If no compile is running, remove ${path}.`,
  };
}
