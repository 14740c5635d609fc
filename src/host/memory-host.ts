/**
 * A host whose files live in memory: for tests, the language server's unsaved buffers and the browser playground.
 * Paths are absolute POSIX paths; relative ones are resolved against `cwd`. Writes land in the same table, so a
 * compile into a memory host can be read back.
 */
import { DEFAULT_READ_LIMIT, FILE_TOO_LARGE, HostError, READ_REFUSAL_TEXT, type Host, type HostFileHandle, type HostStat, type ReadFileOptions } from "./host.js";
import { dirname, resolve } from "./path.js";

/** One file of a memory host: its contents, or a directory, a symlink or an unreadable entry. */
export type MemoryEntry =
  | string
  | Uint8Array
  | { data: string | Uint8Array; mode?: number; unreadable?: boolean; uid?: number; gid?: number }
  | { directory: true; mode?: number }
  | { symlink: string };

/** Options of {@link memoryHost}. */
export interface MemoryHostOptions {
  /** path → entry; parent directories are implied. */
  files?: Record<string, MemoryEntry>;
  env?: Record<string, string | undefined>;
  home?: string;
  euid?: number;
  cwd?: string;
  now?: () => Date;
  http?: Host["http"];
}

interface Node {
  kind: "file" | "directory" | "symlink";
  data?: Uint8Array;
  target?: string;
  mode: number;
  unreadable?: boolean;
  uid: number;
  gid: number;
  ino: number;
}

const encoder = new TextEncoder();

/** A {@link Host} over an in-memory file table. */
export function memoryHost(options: MemoryHostOptions = {}): Host & { table: Map<string, Node> } {
  const cwd = options.cwd ?? "/";
  const table = new Map<string, Node>();
  let ino = 1;
  const ensureDir = (p: string): void => {
    if (p === "/" || table.has(p)) {
      if (!table.has("/")) table.set("/", { kind: "directory", mode: 0o755, uid: 0, gid: 0, ino: ino++ });
      return;
    }
    ensureDir(dirname(p));
    table.set(p, { kind: "directory", mode: 0o755, uid: 0, gid: 0, ino: ino++ });
  };
  ensureDir("/");
  for (const [rawPath, entry] of Object.entries(options.files ?? {})) {
    const p = resolve(cwd, rawPath);
    ensureDir(dirname(p));
    if (typeof entry === "string" || entry instanceof Uint8Array) {
      table.set(p, { kind: "file", data: typeof entry === "string" ? encoder.encode(entry) : entry, mode: 0o644, uid: 0, gid: 0, ino: ino++ });
    } else if ("symlink" in entry) {
      table.set(p, { kind: "symlink", target: entry.symlink, mode: 0o777, uid: 0, gid: 0, ino: ino++ });
    } else if ("directory" in entry) {
      table.set(p, { kind: "directory", mode: entry.mode ?? 0o755, uid: 0, gid: 0, ino: ino++ });
    } else {
      const data = typeof entry.data === "string" ? encoder.encode(entry.data) : entry.data;
      table.set(p, { kind: "file", data, mode: entry.mode ?? 0o644, unreadable: entry.unreadable, uid: entry.uid ?? 0, gid: entry.gid ?? 0, ino: ino++ });
    }
  }

  /** Resolve symlinks in every component (and the last one when `followLast`). */
  const lookup = (raw: string, followLast: boolean, depth = 0): { path: string; node?: Node } => {
    if (depth > 40) throw new HostError("ELOOP", raw);
    const abs = resolve(cwd, raw);
    const parts = abs.split("/").filter((s) => s !== "");
    let current = "/";
    for (let i = 0; i < parts.length; i++) {
      const next = current === "/" ? `/${parts[i]}` : `${current}/${parts[i]}`;
      const node = table.get(next);
      const last = i === parts.length - 1;
      if (!node) return { path: next + (last ? "" : "/" + parts.slice(i + 1).join("/")) };
      if (node.kind === "symlink" && (!last || followLast)) {
        const target = resolve(current, node.target!);
        const rest = parts.slice(i + 1).join("/");
        return lookup(rest ? `${target}/${rest}` : target, followLast, depth + 1);
      }
      if (!last && node.kind !== "directory") throw new HostError("ENOTDIR", raw);
      current = next;
    }
    return { path: current, node: table.get(current) };
  };
  const statOf = (n: Node): HostStat => ({
    kind: n.kind,
    size: n.data?.length ?? (n.kind === "directory" ? 4096 : n.target?.length ?? 0),
    mode: n.mode,
    uid: n.uid,
    gid: n.gid,
    mtimeMs: 0,
    dev: 1,
    ino: n.ino,
  });
  const must = (raw: string, followLast = true): { path: string; node: Node } => {
    const r = lookup(raw, followLast);
    if (!r.node) throw new HostError("ENOENT", raw, `ENOENT: no such file or directory, '${raw}'`);
    return r as { path: string; node: Node };
  };
  const readFile = (raw: string, o?: ReadFileOptions): Uint8Array => {
    const { node } = must(raw);
    if (node.kind === "directory") throw new HostError("EISDIR", raw, `EISDIR: illegal operation on a directory, read`);
    if (node.unreadable) throw new HostError("EACCES", raw, `EACCES: permission denied, open '${raw}'`);
    const data = node.data ?? new Uint8Array();
    const max = o?.maxBytes ?? DEFAULT_READ_LIMIT;
    if (data.length > max) throw new HostError(FILE_TOO_LARGE, raw, READ_REFUSAL_TEXT.tooLarge(max));
    return data;
  };

  const host: Host & { table: Map<string, Node> } = {
    table,
    files: {
      stat: (p) => statOf(must(p).node),
      lstat: (p) => statOf(must(p, false).node),
      readFile,
      readFilePrefix: (p, max) => readFile(p, { maxBytes: Infinity }).subarray(0, max),
      readDir(raw) {
        const { path, node } = must(raw);
        if (node.kind !== "directory") throw new HostError("ENOTDIR", raw, `ENOTDIR: not a directory, scandir '${raw}'`);
        const prefix = path === "/" ? "/" : path + "/";
        const names: string[] = [];
        for (const k of table.keys()) if (k !== path && k.startsWith(prefix) && !k.slice(prefix.length).includes("/")) names.push(k.slice(prefix.length));
        return names;
      },
      realpath: (p) => must(p).path,
      readLink(raw) {
        const { node } = must(raw, false);
        if (node.kind !== "symlink") throw new HostError("EINVAL", raw);
        return node.target!;
      },
    },
    writes: {
      async open(raw, flags, mode) {
        const p = resolve(cwd, raw);
        const parent = table.get(dirname(p));
        if (!parent || parent.kind !== "directory") throw new HostError("ENOENT", raw);
        if (flags.includes("x") && table.has(p)) throw new HostError("EEXIST", raw, `EEXIST: file already exists, open '${raw}'`);
        const chunks: Uint8Array[] = [];
        let fileMode = mode ?? 0o644;
        const handle: HostFileHandle = {
          async writeFile(data) {
            chunks.push(typeof data === "string" ? encoder.encode(data) : data);
          },
          async sync() {},
          async chmod(m) {
            fileMode = m;
          },
          async close() {
            const size = chunks.reduce((n, c) => n + c.length, 0);
            const data = new Uint8Array(size);
            let o = 0;
            for (const c of chunks) {
              data.set(c, o);
              o += c.length;
            }
            table.set(p, { kind: "file", data, mode: fileMode, uid: 0, gid: 0, ino: ino++ });
          },
        };
        table.set(p, { kind: "file", data: new Uint8Array(), mode: fileMode, uid: 0, gid: 0, ino: ino++ });
        return handle;
      },
      async rename(from, to) {
        const a = resolve(cwd, from);
        const node = table.get(a);
        if (!node) throw new HostError("ENOENT", from);
        table.delete(a);
        table.set(resolve(cwd, to), node);
      },
      async unlink(raw) {
        const p = resolve(cwd, raw);
        if (!table.has(p)) throw new HostError("ENOENT", raw);
        table.delete(p);
      },
      async mkdir(raw) {
        ensureDir(resolve(cwd, raw));
      },
      async stat(raw) {
        return { mode: must(raw).node.mode };
      },
      async readdir(raw) {
        return host.files.readDir(raw);
      },
      async rmdir(raw) {
        table.delete(resolve(cwd, raw));
      },
    },
    env: options.env ?? {},
    home: () => options.home ?? options.env?.HOME ?? "/root",
    euid: () => options.euid ?? 0,
    cwd: () => cwd,
    now: options.now ?? (() => new Date()),
    pid: 1,
    processAlive: (pid) => pid === 1,
    randomBytes(n) {
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = Math.floor(Math.random() * 256);
      return b;
    },
    http: options.http,
  };
  return host;
}
