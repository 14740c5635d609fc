/**
 * The language server's view of the machine: the editor's open documents first, then the files underneath (the
 * CLI's Node host). Every library call the server makes goes through one of these, so diagnostics on an unsaved
 * buffer are exactly the CLI's on the same text, and a policy.json beside an edited (unsaved) registries.d file is
 * judged against the edited text. Each analysis records the paths it looked at (`reads`), so the server knows which
 * open documents to analyse again when a file changes.
 */
import { HostError, type Host, type HostFiles, type HostStat } from "../host/host.js";
import { dirname } from "../host/path.js";

/** Where the overlay's texts come from: absolute path → current text of an open document. */
export type OverlayTexts = ReadonlyMap<string, string>;

const encoder = new TextEncoder();

function fileStat(bytes: number, base?: HostStat): HostStat {
  return { kind: "file", size: bytes, mode: base?.mode ?? 0o644, uid: base?.uid ?? 0, gid: base?.gid ?? 0, mtimeMs: base?.mtimeMs ?? 0, dev: base?.dev ?? 0, ino: base?.ino ?? 0 };
}

function dirStat(): HostStat {
  return { kind: "directory", size: 0, mode: 0o755, uid: 0, gid: 0, mtimeMs: 0, dev: 0, ino: 0 };
}

/**
 * A Host whose file reads see `texts` (open documents, by absolute path) before `base`'s files. Directories holding
 * an open document exist even when nothing is on disk (an untitled buffer saved nowhere yet), and list it. Paths
 * read, stat-ed or listed are added to `reads`.
 */
export function overlayHost(base: Host, texts: OverlayTexts, reads?: Set<string>): Host {
  const files = base.files;
  const bytes = new Map<string, Uint8Array>();
  const encoded = (path: string): Uint8Array | undefined => {
    const t = texts.get(path);
    if (t === undefined) return undefined;
    let b = bytes.get(path);
    if (!b) bytes.set(path, (b = encoder.encode(t)));
    return b;
  };
  const note = (path: string) => reads?.add(path);
  /** Directories that hold an open document (so they exist even where the disk has nothing). */
  const openDirs = (): Set<string> => {
    const out = new Set<string>();
    for (const p of texts.keys()) for (let d = dirname(p); !out.has(d); d = dirname(d)) {
      out.add(d);
      if (dirname(d) === d) break;
    }
    return out;
  };
  const stat = (path: string, follow: boolean): HostStat => {
    note(path);
    const b = encoded(path);
    if (b) {
      let under: HostStat | undefined;
      try {
        under = follow ? files.stat(path) : files.lstat(path);
      } catch {
        under = undefined;
      }
      return fileStat(b.length, under?.kind === "file" ? under : undefined);
    }
    try {
      return follow ? files.stat(path) : files.lstat(path);
    } catch (err) {
      if (openDirs().has(path)) return dirStat();
      throw err;
    }
  };
  const overlaid: HostFiles = {
    stat: (p) => stat(p, true),
    lstat: (p) => stat(p, false),
    readFile(path) {
      note(path);
      return encoded(path) ?? files.readFile(path);
    },
    readFilePrefix(path, maxBytes) {
      note(path);
      const b = encoded(path);
      if (b) return b.subarray(0, maxBytes);
      return files.readFilePrefix ? files.readFilePrefix(path, maxBytes) : files.readFile(path).subarray(0, maxBytes);
    },
    readDir(path, options) {
      note(path);
      let names: string[] = [];
      let found = false;
      try {
        names = files.readDir(path, options);
        found = true;
      } catch (err) {
        if (!openDirs().has(path)) throw err;
      }
      const prefix = path.endsWith("/") ? path : `${path}/`;
      for (const p of texts.keys()) {
        if (!p.startsWith(prefix)) continue;
        const rest = p.slice(prefix.length);
        const name = rest.split("/")[0];
        if (name !== "" && !names.includes(name)) names.push(name);
        found = true;
      }
      if (!found) throw new HostError("ENOENT", path);
      return names;
    },
    realpath(path) {
      note(path);
      try {
        return files.realpath(path);
      } catch (err) {
        if (texts.has(path) || openDirs().has(path)) return path;
        throw err;
      }
    },
  };
  if (files.readLink) overlaid.readLink = (p) => files.readLink!(p);
  return { ...base, files: overlaid };
}
