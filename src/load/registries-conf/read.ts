/**
 * Reading registries.conf and its drop-in directories through the Host, as containers/image's `tryUpdatingCache`
 * and `dropInConfigs` do (pkg/sysregistriesv2/system_registries_v2.go): the main file (v1 or v2), then every
 * `*.conf` entry of each drop-in directory in lexical order (`filepath.WalkDir`, no recursion; v2 only).
 */
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { errorCode, type Host } from "../../host/host.js";
import { join } from "../../host/path.js";
import type { Version } from "../../ir/versions.js";
import type { RegistriesConf, RegistriesConfFile } from "../../registries/types.js";
import { SourceFile } from "../../source/source-file.js";
import { goQuote } from "../../util/go-quote.js";
import { REGISTRIES_CONF_CODES } from "./codes.js";
import { confMode } from "./decoded.js";
import { loadRegistriesConfFile } from "./load-file.js";
import { mergeRegistriesConf } from "./merge.js";

/** Where registries.conf is read from (upstream `configWrapper`, with SystemContext paths set), and the machine. */
export interface RegistriesConfPaths {
  /** The machine the files are read from. */
  host: Host;
  /** The main file. */
  confPath: string;
  /** Drop-in directories in order (upstream: the system dir, then the user dir). */
  confDirs?: string[];
  /**
   * True when the main file was named explicitly (SystemRegistriesConfPath): then a missing file is an error;
   * otherwise an empty configuration.
   */
  explicit?: boolean;
  target?: Version;
}

/** What Node's readFileSync(…, "utf8") gives: U+FFFD for invalid bytes, a byte order mark kept. */
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Load registries.conf and its drop-ins as containers/image does (`tryUpdatingCache`): the main file (v1 or
 * v2), then every `*.conf` of each drop-in directory in lexical order (v2 only, no recursion).
 */
export function loadRegistriesConf(paths: RegistriesConfPaths): { value?: RegistriesConf; files: string[]; diagnostics: Diagnostic[] } {
  const files = paths.host.files;
  const readFile = (f: string): string => utf8.decode(files.readFile(f));
  const diagnostics: Diagnostic[] = [];
  const read: string[] = [];
  let main: RegistriesConfFile | undefined;
  let failed = false;
  try {
    const text = readFile(paths.confPath);
    read.push(paths.confPath);
    const r = loadRegistriesConfFile(new SourceFile(paths.confPath, text), { target: paths.target });
    for (const d of r.diagnostics) {
      if (d.upstreamMessage) d.upstreamMessage = `loading registries configuration ${goQuote(paths.confPath)}: ${d.upstreamMessage}`;
      diagnostics.push(d);
    }
    if (r.value) main = r.value;
    else failed = true;
  } catch (e) {
    const code = errorCode(e);
    if (!(code === "ENOENT" && !paths.explicit)) {
      diagnostics.push({
        code: REGISTRIES_CONF_CODES.unreadable,
        severity: "error",
        message: `Cannot read ${paths.confPath}: ${(e as Error).message}`,
        file: paths.confPath,
        upstreamMessage: code === "ENOENT" ? `loading registries configuration ${goQuote(paths.confPath)}: open ${paths.confPath}: no such file or directory` : undefined,
      });
      failed = true;
    }
  }
  const dropIns: RegistriesConfFile[] = [];
  if (!failed) {
    for (const dir of paths.confDirs ?? []) {
      const r = readDropInDir(paths, dir, readFile, read, diagnostics);
      if (!r) {
        failed = true;
        break;
      }
      dropIns.push(...r);
    }
  }
  if (failed) return { files: read, diagnostics };
  const merged = mergeRegistriesConf(main, dropIns, { configPath: paths.confPath, configDirPath: paths.confDirs?.[paths.confDirs.length - 1] ?? "" });
  diagnostics.push(...merged.diagnostics);
  return { value: merged.value, files: read, diagnostics };
}

/**
 * One drop-in directory (upstream `dropInConfigs`): its `*.conf` entries that are not directories, sorted; a
 * missing directory is skipped. Undefined when a file cannot be read or is refused (the reason is in `diagnostics`).
 */
function readDropInDir(
  paths: RegistriesConfPaths,
  dir: string,
  readFile: (f: string) => string,
  read: string[],
  diagnostics: Diagnostic[],
): RegistriesConfFile[] | undefined {
  let names: string[];
  try {
    names = paths.host.files.readDir(dir);
  } catch (e) {
    if (errorCode(e) === "ENOENT") return [];
    diagnostics.push({ code: REGISTRIES_CONF_CODES.unreadable, severity: "error", message: `Cannot read ${dir}: ${(e as Error).message}`, file: dir });
    return undefined;
  }
  // WalkDir's DirEntry does not follow symlinks: a symlink to a directory counts as a file (and fails to read).
  names = names.filter((name) => name.endsWith(".conf") && !isDirectoryEntry(paths.host, join(dir, name)));
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: RegistriesConfFile[] = [];
  for (const name of names) {
    const full = join(dir, name);
    let text: string;
    try {
      text = readFile(full);
    } catch (e) {
      // Newer releases skip a drop-in that vanished between listing and reading.
      if (errorCode(e) === "ENOENT" && confMode(paths.target) === "newest") continue;
      diagnostics.push({ code: REGISTRIES_CONF_CODES.unreadable, severity: "error", message: `Cannot read ${full}: ${(e as Error).message}`, file: full });
      return undefined;
    }
    read.push(full);
    const r = loadRegistriesConfFile(new SourceFile(full, text), { forceV2: true, target: paths.target });
    for (const d of r.diagnostics) {
      if (d.upstreamMessage) d.upstreamMessage = `loading drop-in registries configuration ${goQuote(full)}: ${d.upstreamMessage}`;
      diagnostics.push(d);
    }
    if (!r.value) return undefined;
    out.push(r.value);
  }
  return out;
}

/** Whether a directory entry is itself a directory (lstat: a symlink is not); a vanished entry is not. */
function isDirectoryEntry(host: Host, path: string): boolean {
  try {
    return host.files.lstat(path).kind === "directory";
  } catch {
    return false;
  }
}
