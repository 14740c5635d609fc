/**
 * Key files where they are not installed at their final paths (CI, a laptop). A policy names its keys by install
 * path ("/etc/pki/containers/acme.gpg"), which the machine checking it lacks; `--keys DIR` (or `keys:` in
 * .imagetrust.yaml) says where the real files are: by file name in a directory, or by an explicit map from install
 * path to file. Every command reads key files through one Host made here (`keysHost`), so the checker, the lint
 * rules and the signature verifiers all see the same files; the policy and its output keep the install paths.
 */
import { errorCode, FILE_TOO_LARGE, HostError, NOT_REGULAR_FILE, type Host, type HostFiles, type HostStat } from "../host/host.js";
import { basename, join } from "../host/path.js";

/** Where key files are read from instead of their install paths. */
export interface KeyLocations {
  /** Every key file by its file name in this directory (`--keys DIR`, config `keys: DIR`). */
  dir?: string;
  /** Install path → the file holding that key (config `keys: {"/etc/pki/…": keys/acme.gpg}`); other paths are read where they are. */
  files?: Readonly<Record<string, string>>;
  /** Where the locations were given, for messages ("--keys", or the configuration file). */
  origin?: string;
}

/** The file a key named by `path` is read from under `keys` (the path itself without them). */
export function keyFileLocation(keys: KeyLocations | undefined, path: string): string {
  if (!keys) return path;
  const mapped = keys.files?.[path];
  if (mapped !== undefined) return mapped;
  // Every path asked for is taken as an install path (the checker resolves a relative one against the source first).
  if (keys.dir !== undefined) return join(keys.dir, basename(path));
  return path;
}

/**
 * `host` with its files seen through `keys`: every path is read from where `keyFileLocation` puts it, so a
 * reader that asks for "/etc/pki/containers/acme.gpg" gets DIR/acme.gpg. Give it only to code that reads key
 * files (the checker, lint's key rules, the verifiers): images, signatures and policies are read through `host`.
 * Without `keys` it is `host` itself.
 */
export function keysHost(host: Host, keys: KeyLocations | undefined): Host {
  if (!keys || (keys.dir === undefined && keys.files === undefined)) return host;
  const at = (p: string) => keyFileLocation(keys, p);
  const files = host.files;
  // Errors name the install path, as the runtime reading the deployed file would.
  const named = <T>(p: string, f: (q: string) => T): T => {
    try {
      return f(at(p));
    } catch (e) {
      const code = errorCode(e);
      // Keep the reason of the refusals that are not errno codes (not a regular file, too large).
      if (code !== undefined) throw new HostError(code, p, code === NOT_REGULAR_FILE || code === FILE_TOO_LARGE ? (e as Error).message : `${code}: ${p}`);
      throw e;
    }
  };
  const mapped: HostFiles = {
    stat: (p) => named(p, (q) => files.stat(q)),
    lstat: (p) => named(p, (q) => files.lstat(q)),
    readFile: (p, o) => named(p, (q) => files.readFile(q, o)),
    readDir: (p, o) => named(p, (q) => files.readDir(q, o)),
    realpath: (p) => named(p, (q) => files.realpath(q)),
  };
  if (files.readFilePrefix) mapped.readFilePrefix = (p, n) => named(p, (q) => files.readFilePrefix!(q, n));
  if (files.readLink) mapped.readLink = (p) => named(p, (q) => files.readLink!(q));
  return { ...host, files: mapped };
}

/** One problem with key locations: what is wrong, and the path given. */
export interface KeyLocationProblem {
  path: string;
  message: string;
}

/**
 * What is wrong with `keys` on `host`: the directory must exist and be a directory, every mapped file must exist
 * (a missing one is a typo in the configuration, not a missing key of the policy).
 */
export function keyLocationProblems(keys: KeyLocations, host: Host): KeyLocationProblem[] {
  const out: KeyLocationProblem[] = [];
  const kindOf = (p: string): HostStat["kind"] | undefined => {
    try {
      return host.files.stat(p).kind;
    } catch {
      return undefined;
    }
  };
  if (keys.dir !== undefined) {
    const k = kindOf(keys.dir);
    if (k === undefined) out.push({ path: keys.dir, message: "no such directory" });
    else if (k !== "directory") out.push({ path: keys.dir, message: "not a directory" });
  }
  for (const [install, file] of Object.entries(keys.files ?? {})) {
    const k = kindOf(file);
    if (k === undefined) out.push({ path: file, message: `no such file (the key for ${install})` });
    else if (k !== "file") out.push({ path: file, message: `not a regular file (the key for ${install})` });
  }
  return out;
}
