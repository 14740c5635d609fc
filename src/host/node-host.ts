/**
 * The Node host adapter: the one place outside src/cli/ that touches node:fs, node:os, node:http(s) and `process`.
 * The CLI makes it once ({@link nodeHost}) and passes it down; the library only sees the {@link Host} interface.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as nodePath from "node:path";
import { DEFAULT_READ_LIMIT, FILE_TOO_LARGE, HostError, NOT_REGULAR_FILE, READ_REFUSAL_TEXT, type Host, type HostHttp, type HostPlatform, type HostStat } from "./host.js";

// node:fs/promises, node:http and node:https are loaded on first use: most commands never write or fetch, and
// loading them costs every start-up (fs/promises alone ~10 ms of validate's time, measured earlier).
let fspModule: Promise<typeof import("node:fs/promises")> | undefined;
const fsp = (): Promise<typeof import("node:fs/promises")> => (fspModule ??= import("node:fs/promises"));

/**
 * Chevrotain from the single-file ESM build the package ships (lib/chevrotain.mjs) rather than from its entry point,
 * which imports lodash-es as ~640 separate modules (0.5–0.8 s of every start). src/syntax/chevrotain.ts asks for this
 * loader by symbol; registering it loads nothing.
 */
(globalThis as Record<symbol, unknown>)[Symbol.for("imagetrust.loadChevrotain")] ??= async (): Promise<unknown> => {
  // "chevrotain" resolves to <package>/lib/src/api.js; the bundle sits in <package>/lib/.
  const entry = createRequire(import.meta.url).resolve("chevrotain");
  const bundle = nodePath.join(nodePath.dirname(nodePath.dirname(entry)), "chevrotain.mjs");
  if (!fs.existsSync(bundle)) throw new Error(`no Chevrotain bundle at ${bundle}`);
  const { pathToFileURL } = await import("node:url");
  return await import(pathToFileURL(bundle).href);
};

function statOf(s: fs.Stats): HostStat {
  return {
    kind: s.isFile() ? "file" : s.isDirectory() ? "directory" : s.isSymbolicLink() ? "symlink" : "other",
    size: s.size,
    mode: s.mode & 0o7777,
    uid: s.uid,
    gid: s.gid,
    mtimeMs: s.mtimeMs,
    dev: s.dev,
    ino: s.ino,
  };
}

/** Entry names in directory (getdents) order, as Go's `Readdirnames` returns them. */
function readDirInDirectoryOrder(dir: string): string[] {
  const d = fs.opendirSync(dir);
  const names: string[] = [];
  try {
    for (let e = d.readSync(); e !== null; e = d.readSync()) names.push(e.name);
  } finally {
    d.closeSync();
  }
  return names;
}

/**
 * Open `path` for reading without blocking (O_NONBLOCK: opening a FIFO with no writer returns at once instead of
 * waiting for one) and make sure it is a regular file before a byte is read (fstat on the open descriptor, so a
 * path swapped after a stat cannot slip a device in). Returns the descriptor and its size.
 */
function openRegularFile(path: string): { fd: number; size: number } {
  const fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) throw new HostError("EISDIR", path, "EISDIR: illegal operation on a directory, read");
    if (!st.isFile()) throw new HostError(NOT_REGULAR_FILE, path, READ_REFUSAL_TEXT.notRegular);
    return { fd, size: st.size };
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
}

/**
 * The whole of a regular file, at most `max` bytes. The size from fstat is only a hint (files in /proc say 0, a file
 * may grow while it is read): the read stops at `max + 1` bytes, and reaching that is EFBIG.
 */
function readRegularFile(path: string, max: number): Buffer {
  const { fd, size } = openRegularFile(path);
  try {
    if (size > max) throw new HostError(FILE_TOO_LARGE, path, READ_REFUSAL_TEXT.tooLarge(max));
    let buf = Buffer.allocUnsafe(Math.min(max + 1, Math.max(size + 1, 8192)));
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        if (n > max) throw new HostError(FILE_TOO_LARGE, path, READ_REFUSAL_TEXT.tooLarge(max));
        const bigger = Buffer.allocUnsafe(Math.min(max + 1, buf.length * 2));
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      const got = fs.readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    if (n > max) throw new HostError(FILE_TOO_LARGE, path, READ_REFUSAL_TEXT.tooLarge(max));
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** $HOME, else the passwd entry (containers/image's homedir.Get). */
function homeDirectory(env: Record<string, string | undefined>): string {
  const h = env.HOME;
  if (h !== undefined && h !== "") return h;
  try {
    return os.userInfo().homedir;
  } catch {
    return os.homedir();
  }
}

/** The variable the executable's launcher moves `NODE_EXTRA_CA_CERTS` to (scripts/build-bundle.mjs `launcher`). */
export const DEFERRED_CA_CERTS_VAR = "IMAGETRUST_DEFERRED_CA_CERTS";

let deferredCa: Promise<string[] | undefined> | undefined;

/**
 * The certificate authorities Node would have trusted had it read `NODE_EXTRA_CA_CERTS` at start, when the launcher
 * moved it aside: Node's own roots plus every certificate in the file (Node 20's `NewRootCertStore` +
 * `AddCertsFromFile`). Undefined without a deferred file: Node's default store, as for any Node program. A file that
 * cannot be read is ignored with Node's own warning, as Node ignores it at start.
 */
function deferredCertificateAuthorities(): Promise<string[] | undefined> {
  return (deferredCa ??= (async () => {
    const file = process.env[DEFERRED_CA_CERTS_VAR];
    if (!file) return undefined;
    let pem: string;
    try {
      pem = fs.readFileSync(file, "latin1");
    } catch (e) {
      process.emitWarning(`Ignoring extra certs from \`${file}\`, load failed: ${(e as Error).message}`);
      return undefined;
    }
    const { rootCertificates } = await import("node:tls");
    return [...rootCertificates, ...(pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [])];
  })());
}

/** One HTTP(S) exchange over node:http / node:https, bounded in time and size; redirects are not followed. */
export const nodeHttp: HostHttp = {
  async request(req) {
    const url = new URL(req.url);
    const tls = url.protocol === "https:";
    const mod = tls ? await import("node:https") : await import("node:http");
    const ca = tls ? await deferredCertificateAuthorities() : undefined;
    return await new Promise((resolve, reject) => {
      let settled = false;
      const options = { method: req.method ?? "GET", headers: req.headers, rejectUnauthorized: req.tlsVerify !== false, ...(ca ? { ca } : {}) };
      const r = mod.request(url, options, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > req.maxBodyBytes) {
            r.destroy(new Error(`exceeded maximum allowed size of ${req.maxBodyBytes} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on("end", () => {
          clearTimeout(timer);
          settled = true;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
        res.on("error", (e) => {
          clearTimeout(timer);
          if (!settled) reject(e);
        });
      });
      const timer = setTimeout(() => r.destroy(new Error(`timeout after ${req.timeoutMs} ms`)), Math.max(0, req.timeoutMs));
      r.on("error", (e) => {
        clearTimeout(timer);
        if (!settled) reject(e);
      });
      r.end();
    });
  },
};

/** Options of {@link nodeHost}: overrides for tests (environment, working directory). */
export interface NodeHostOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** The real machine. */
export function nodeHost(options: NodeHostOptions = {}): Host {
  const env = options.env ?? process.env;
  return {
    files: {
      stat: (p) => statOf(fs.statSync(p)),
      lstat: (p) => statOf(fs.lstatSync(p)),
      lstatIfExists(p) {
        const st = fs.lstatSync(p, { throwIfNoEntry: false });
        return st === undefined ? undefined : statOf(st);
      },
      readFile: (p, o) => readRegularFile(p, o?.maxBytes ?? DEFAULT_READ_LIMIT),
      readFilePrefix(p, max) {
        // Without blocking on a FIFO; a special file yields nothing (the callers ask whether it opens, or sniff a prefix).
        const fd = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
        try {
          if (!fs.fstatSync(fd).isFile()) return new Uint8Array();
          const buf = Buffer.alloc(max);
          let n = 0;
          while (n < max) {
            const got = fs.readSync(fd, buf, n, max - n, null);
            if (got === 0) break;
            n += got;
          }
          return buf.subarray(0, n);
        } finally {
          fs.closeSync(fd);
        }
      },
      // readdirSync sorts (libuv's scandir); opendir reads entries in the file system's order.
      readDir: (p, o) => (o?.order === "directory" ? readDirInDirectoryOrder(p) : fs.readdirSync(p)),
      realpath: (p) => fs.realpathSync.native(p),
      readLink: (p) => fs.readlinkSync(p),
      fileSystemType: (p) => Number(fs.statfsSync(p).type),
    },
    writes: {
      open: (p, flags, mode) => fsp().then((m) => m.open(p, flags, mode)),
      rename: (a, b) => fsp().then((m) => m.rename(a, b)),
      unlink: (p) => fsp().then((m) => m.unlink(p)),
      mkdir: (p, o) => fsp().then((m) => m.mkdir(p, o)),
      stat: (p) => fsp().then((m) => m.stat(p)),
      readdir: (p) => fsp().then((m) => m.readdir(p)),
      rmdir: (p) => fsp().then((m) => m.rmdir(p)),
    },
    env,
    home: () => homeDirectory(env),
    euid: () => (typeof process.geteuid === "function" ? process.geteuid() : 0),
    platform: () => goPlatform(),
    cwd: () => options.cwd ?? process.cwd(),
    now: () => new Date(),
    pid: process.pid,
    processAlive(pid) {
      if (pid === process.pid) return true;
      try {
        process.kill(pid, 0); // signal 0: only asks whether the process exists
        return true;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === "EPERM";
      }
    },
    randomBytes: (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)),
    http: nodeHttp,
  };
}

/** Node's names → Go's (`runtime.GOOS`, `runtime.GOARCH`), with the CPU variant containers/image detects (`platform_matcher.go` `getCPUVariant`). */
function goPlatform(): HostPlatform {
  const goos = process.platform === "win32" ? "windows" : process.platform === "sunos" ? "solaris" : process.platform;
  const arches: Record<string, string> = { x64: "amd64", ia32: "386", arm: "arm", arm64: "arm64", ppc64: "ppc64le", s390x: "s390x", riscv64: "riscv64", mips: "mips", mipsel: "mipsle", loong64: "loong64" };
  const architecture = arches[process.arch] ?? process.arch;
  let variant = "";
  if (architecture === "arm64") variant = "v8";
  else if (architecture === "arm") {
    // getCPUVariantArm: the "Cpu architecture" line of /proc/cpuinfo (on Linux).
    try {
      const m = /^cpu architecture\s*:\s*(\S+)/im.exec(fs.readFileSync("/proc/cpuinfo", "utf8"));
      const v = (m?.[1] ?? "").toLowerCase();
      variant = { "8": "v8", aarch64: "v8", "7": "v7", "7m": "v7", "?(12)": "v7", "?(13)": "v7", "?(14)": "v7", "?(15)": "v7", "?(16)": "v7", "?(17)": "v7", "6": "v6", "6tej": "v6", "5": "v5", "5t": "v5", "5te": "v5", "5tej": "v5", "4": "v4", "4t": "v4", "3": "v3" }[v] ?? "";
    } catch {
      variant = "";
    }
  }
  return { os: goos, architecture, variant };
}
