/**
 * The host seam: everything the library needs from the machine it runs on, in one interface made once by the
 * caller (the CLI makes a Node host in src/host/node-host.ts; tests, the language server and the browser make a
 * memory host) and passed down. Outside src/cli/ and src/host/node-host.ts nothing in src/ imports node:fs,
 * node:os, node:child_process or reads `process` (test/architecture/ enforces it).
 *
 * File reads are synchronous: the CLI reads a handful of files, the browser host is in memory, and lint rules are
 * synchronous visitors. Errors are thrown as {@link HostError} with the POSIX code (ENOENT, EACCES, EISDIR, …), so
 * callers turn them into coded diagnostics exactly as they did with node:fs errors.
 */

/** What a path is (after following symlinks, unless from lstat). */
export interface HostStat {
  kind: "file" | "directory" | "symlink" | "other";
  /** Size in bytes (files). */
  size: number;
  /** POSIX permission bits (`mode & 0o7777`). */
  mode: number;
  /** Owner and group (0 where the host has none). */
  uid: number;
  gid: number;
  /** Modification time in milliseconds since the epoch. */
  mtimeMs: number;
  /** Device/inode identity where the host has one (for cycle detection); 0 otherwise. */
  dev: number;
  ino: number;
}

/** An error from the host, shaped like a Node system error (`code`, `path`). */
export class HostError extends Error {
  constructor(
    readonly code: string,
    readonly path: string,
    message?: string,
  ) {
    super(message ?? `${code}: ${path}`);
    this.name = "HostError";
  }
  /** `errno`-style alias some callers read. */
  get syscall(): string {
    return "";
  }
}

/** The code of an error thrown by a host call (or by node:fs), or undefined. */
export function errorCode(err: unknown): string | undefined {
  if (err && typeof err === "object" && "code" in err && typeof (err as { code: unknown }).code === "string") return (err as { code: string }).code;
  return undefined;
}

/**
 * The largest file {@link HostFiles.readFile} reads when the caller names no cap (256 MiB: containers/image has no
 * cap, but no configuration is that large, and reading a device such as /dev/zero must end). Callers pass a
 * tighter cap per kind of input (src/host/read-limits.ts).
 */
export const DEFAULT_READ_LIMIT = 256 * 1024 * 1024;

/** Options of {@link HostFiles.readFile}. */
export interface ReadFileOptions {
  /** More bytes than this is HostError `EFBIG` (default {@link DEFAULT_READ_LIMIT}). */
  maxBytes?: number;
}

/** The HostError code of a path that is not a regular file (a device, FIFO or socket): such files are never read. */
export const NOT_REGULAR_FILE = "ENOTREG";
/** The HostError code of a file larger than the cap of a read. */
export const FILE_TOO_LARGE = "EFBIG";

/** Messages of the two read refusals, the same on every host. */
export const READ_REFUSAL_TEXT = {
  notRegular: "not a regular file (a device, FIFO or socket; imagetrust reads only regular files)",
  tooLarge: (max: number) => `file too large (more than ${max} bytes, imagetrust's limit for this input)`,
} as const;

/** An open file for writing (atomic writes: write, fsync, chmod, close). node:fs/promises' FileHandle fits. */
export interface HostFileHandle {
  writeFile(data: string | Uint8Array): Promise<void>;
  sync(): Promise<void>;
  chmod(mode: number): Promise<void>;
  /** Change the owner (root keeping a rewritten file's owner); absent where the host has no owners. */
  chown?(uid: number, gid: number): Promise<void>;
  close(): Promise<void>;
}

/** Synchronous reads of the file system. */
export interface HostFiles {
  /** Follows symlinks; throws HostError (ENOENT, EACCES, ENOTDIR, …). */
  stat(path: string): HostStat;
  /** Does not follow a final symlink. */
  lstat(path: string): HostStat;
  /**
   * `lstat`, but undefined when the path does not exist (ENOENT) instead of throwing: bulk path resolution asks about
   * many paths that do not exist, and a thrown error costs far more than the lookup. Other errors are thrown.
   */
  lstatIfExists?(path: string): HostStat | undefined;
  /**
   * The whole file, if it is a regular file of at most `maxBytes` (default {@link DEFAULT_READ_LIMIT}); throws
   * HostError: EISDIR for a directory, {@link NOT_REGULAR_FILE} for a device, FIFO or socket (checked on the open
   * file, without blocking, so a FIFO never hangs and /dev/zero is never read), {@link FILE_TOO_LARGE} above the cap
   * (also when the file grows while it is read).
   */
  readFile(path: string, options?: ReadFileOptions): Uint8Array;
  /** At most `maxBytes` bytes from the start of the file (bounded reads of untrusted or special files). */
  readFilePrefix?(path: string, maxBytes: number): Uint8Array;
  /**
   * Entry names (not sorted). `{ order: "directory" }` asks for the file system's own order (getdents: what Go's
   * `Readdirnames` returns, and the order registries.d's merge errors name files in); hosts without one ignore it.
   */
  readDir(path: string, options?: { order?: "directory" }): string[];
  /** Every symlink resolved; throws HostError when the path does not exist. */
  realpath(path: string): string;
  /** The target of a symlink. */
  readLink?(path: string): string;
  /** The file system's type (Linux statfs `f_type`, e.g. 0x9fa0 for /proc), where the host can tell. */
  fileSystemType?(path: string): number;
}

/** Asynchronous writes, the operations crash-safe writes are made of (tests wrap them to inject ENOSPC and friends). */
export interface HostWrites {
  open(path: string, flags: string, mode?: number): Promise<HostFileHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  /** Follows symlinks; `uid`/`gid` where the host has owners. */
  stat(path: string): Promise<{ mode: number; uid?: number; gid?: number }>;
  readdir?(path: string): Promise<string[]>;
  rmdir?(path: string): Promise<void>;
}

/** One HTTP request. */
export interface HostHttpRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  /** Deadline for the whole exchange. */
  timeoutMs: number;
  /** Largest body read; more is an error. */
  maxBodyBytes: number;
  /** Default true. */
  tlsVerify?: boolean;
}

/** One HTTP response (no redirects followed: the caller follows them, as Go's client does, within its limit). */
export interface HostHttpResponse {
  status: number;
  /** Header names in lower case; repeated headers joined as Node joins them. */
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

/** HTTP(S) transport; errors are thrown with a message (the caller names the URL as Go does). */
export interface HostHttp {
  request(req: HostHttpRequest): Promise<HostHttpResponse>;
}

/** Everything the library asks of the machine. */
export interface Host {
  files: HostFiles;
  writes: HostWrites;
  /** The process environment (read-only view). */
  env: Readonly<Record<string, string | undefined>>;
  /** The user's home directory as containers/image's homedir.Get finds it ($HOME, else the passwd entry). */
  home(): string;
  /** Effective user id (0 for root; 0 where the host has no users). */
  euid(): number;
  /** Working directory that relative paths are resolved against. */
  cwd(): string;
  /** The clock. */
  now(): Date;
  /** This process's id (temp-file names) and whether another process is alive (stale temp files). */
  pid: number;
  processAlive(pid: number): boolean;
  /** `n` random bytes (temp-file names; not for keys). */
  randomBytes(n: number): Uint8Array;
  /** HTTP; absent where the host has no network (the browser playground, memory hosts). */
  http?: HostHttp;
  /**
   * This machine's platform as Go names it (`runtime.GOOS`/`GOARCH`, the CPU variant containers/image detects on
   * arm): the instance of a manifest list a pull picks by default. Absent where the host cannot tell.
   */
  platform?(): HostPlatform;
}

/** A platform as an OCI image index names it (`os`, `architecture`, `variant`). */
export interface HostPlatform {
  os: string;
  architecture: string;
  /** "" when none (amd64), `v8` on arm64, `v7`/`v6`/… on arm. */
  variant: string;
}
