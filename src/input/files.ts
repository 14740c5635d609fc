/**
 * Reading inputs safely: file kinds, size caps, binary detection, UTF-8 decoding, and the locations
 * containers/image itself reads its configuration from (spec containers-policy.md §5.1 and §6).
 *
 * Nothing here throws for a bad input: every problem is a coded IT9xxx diagnostic.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { errorCode, FILE_TOO_LARGE, NOT_REGULAR_FILE, type Host } from "../host/host.js";
import { readLimit } from "../host/read-limits.js";
import { join } from "../host/path.js";
import { SourceFile } from "../source/source-file.js";
import type { DiagnosticCode } from "../diagnostics/catalogue/index.js";

/** Codes of file-level problems (band IT9xxx: files, CLI, configuration, internal). */
export const FILE_CODES = {
  notFound: "IT9001",
  permissionDenied: "IT9002",
  isDirectory: "IT9003",
  binary: "IT9004",
  tooLarge: "IT9005",
  readError: "IT9006",
  notDirectory: "IT9007",
  unknownKind: "IT9008",
  unsupportedKind: "IT9009",
  runtimeFileRead: "IT9010",
  noRuntimePolicy: "IT9011",
  invalidUtf8: "IT9012",
  notRegularFile: "IT9013",
  internal: "IT9900",
} as const;

/** What a file is, as decided from its name (or `--kind`). */
export type InputKind = "policy-json" | "registries-d-file" | "registries-d-dir" | "config-dir" | "trust" | "registries-conf";

/** Every input kind, for `--kind` validation and messages. */
export const INPUT_KINDS: readonly InputKind[] = [
  "policy-json",
  "registries-d-file",
  "registries-d-dir",
  "config-dir",
  "trust",
  "registries-conf",
];

/** The largest file imagetrust reads (containers/image has no cap; 256 MiB guards memory, 50 MB policies are fine). */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/**
 * The kind of a path from its name: `.json` → policy.json, `.yaml`/`.yml` → one registries.d file,
 * `.trust` → the language, `.conf` → registries.conf; undefined when the name does not say.
 * Directories are classified by {@link classifyDirectory}.
 */
export function classifyFileName(path: string): InputKind | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".json")) return "policy-json";
  if (lower.endsWith(".yaml") || lower.endsWith(".yml")) return "registries-d-file";
  if (lower.endsWith(".trust")) return "trust";
  if (lower.endsWith(".conf")) return "registries-conf";
  return undefined;
}

/**
 * A directory argument is a configuration root (like /etc/containers) when it holds a `policy.json` file or a
 * `registries.d` directory; otherwise it is itself a registries.d directory.
 */
export async function classifyDirectory(dir: string, host: Host): Promise<"config-dir" | "registries-d-dir"> {
  const policy = statKind(host, join(dir, "policy.json"));
  const regD = statKind(host, join(dir, "registries.d"));
  return policy === "file" || regD === "directory" ? "config-dir" : "registries-d-dir";
}

/** "file", "directory", "other", or undefined when the path does not exist or cannot be examined. */
export function statKind(host: Host, path: string): "file" | "directory" | "other" | undefined {
  try {
    const s = host.files.stat(path);
    return s.kind === "directory" ? "directory" : s.kind === "file" ? "file" : "other";
  } catch {
    return undefined;
  }
}

/** Options of {@link readTextFile}. */
export interface ReadOptions {
  /** The machine read from (`host.files`). */
  host: Host;
  /** Files larger than this are refused with IT9005 (default {@link DEFAULT_MAX_BYTES}). */
  maxBytes?: number;
  /**
   * Bytes → text; default {@link decodeUtf8} (Go-compatible U+FFFD replacement). A decoder marks every invalid
   * byte with U+FFFD or a lone surrogate U+DC80–U+DCFF (decodePolicyBytes' convention): readTextFile relies on it
   * to skip the byte scan for invalid UTF-8 when the text has neither.
   */
  decode?: (bytes: Uint8Array) => string;
}

/** The outcome of reading one text input. */
export interface ReadTextResult {
  /** The decoded text, absent when the file could not be read at all. */
  source?: SourceFile;
  bytes?: Uint8Array;
  /** File-level problems (IT9xxx). `fatal` ones mean there is nothing to judge. */
  diagnostics: Diagnostic[];
  /** True when the file could not be read (missing, unreadable, a directory, too large). */
  fatal: boolean;
  /** Offset (in bytes) of the first NUL byte, when the content looks binary. */
  binaryAt?: number;
  /** Whether the content starts with a UTF-8 byte order mark. */
  bom: boolean;
  /** Byte offset of the first invalid UTF-8 sequence, if any. */
  invalidUtf8At?: number;
}

function fileDiagnostic(code: DiagnosticCode, file: string, message: string, hint?: string): Diagnostic {
  return hint ? { code, severity: "error", file, message, hint } : { code, severity: "error", file, message };
}

const READ_LIMIT_HINT = "Check the file name; IMAGETRUST_MAX_READ_BYTES raises the limit (README, Limits).";

/** A diagnostic for a failed fs call (ENOENT, EACCES, EISDIR, …). */
export function ioErrorDiagnostic(file: string, err: unknown, expecting: "file" | "directory" = "file"): Diagnostic {
  switch (errorCode(err)) {
    case "ENOENT":
      // An empty argument is named as one ("No such file: ." read as the working directory).
      return fileDiagnostic(FILE_CODES.notFound, file, `No such ${expecting}: ${file === "" ? '""' : file}.`);
    case "EACCES":
    case "EPERM":
      return fileDiagnostic(
        FILE_CODES.permissionDenied,
        file,
        `Permission denied reading ${file}.`,
        "The runtime reads this file as the user running podman/skopeo/CRI-O; check its owner and mode.",
      );
    case "EISDIR":
      return fileDiagnostic(FILE_CODES.isDirectory, file, `${file} is a directory, but a file was expected.`);
    case "ENOTDIR":
      return fileDiagnostic(FILE_CODES.notDirectory, file, `${file} is not a directory.`);
    case NOT_REGULAR_FILE:
      return fileDiagnostic(FILE_CODES.notRegularFile, file, `${file} is not a regular file (a device, FIFO or socket).`);
    case FILE_TOO_LARGE:
      return fileDiagnostic(FILE_CODES.tooLarge, file, `${file} is too large: ${err instanceof Error ? err.message : String(err)}.`, READ_LIMIT_HINT);
    default: {
      const msg = err instanceof Error ? err.message : String(err);
      return fileDiagnostic(FILE_CODES.readError, file, `Cannot read ${file}: ${msg}`);
    }
  }
}

/**
 * IT9016 for a failed write of `file` (lint --fix, fmt --write): permission denied on the file or its directory, a
 * read-only file system, no space. The message names the file and the system's reason.
 */
export function writeErrorDiagnostic(file: string, err: unknown): Diagnostic {
  const code = errorCode(err);
  const reason =
    code === "EACCES" || code === "EPERM"
      ? "permission denied (the file is replaced by renaming a new file over it, so its directory must be writable too)"
      : code === "EROFS"
        ? "the file system is read-only"
        : code === "ENOSPC" || code === "EDQUOT"
          ? "no space left on the device"
          : err instanceof Error
            ? err.message
            : String(err);
  return fileDiagnostic("IT9016", file, `Cannot write ${file}: ${reason}. The file is unchanged.`);
}

/**
 * Read a file as text without ever throwing: missing/unreadable files, directories and files above the size cap
 * become diagnostics. The text is decoded like Go does (invalid UTF-8 → U+FFFD per byte); a BOM is kept (the
 * loaders decide: Go's JSON decoder rejects it). Binary content is reported, not refused: the caller decides.
 */
export async function readTextFile(path: string, options: ReadOptions): Promise<ReadTextResult> {
  const files = options.host.files;
  const maxBytes = options.maxBytes ?? readLimit(options.host, "source");
  let size: number;
  try {
    const s = files.stat(path);
    if (s.kind === "directory") {
      return { diagnostics: [ioErrorDiagnostic(path, { code: "EISDIR" })], fatal: true, bom: false };
    }
    if (s.kind !== "file") {
      // A FIFO would block and /dev/zero never ends: only regular files are read.
      return {
        diagnostics: [fileDiagnostic(FILE_CODES.notRegularFile, path, `${path} is not a regular file (a device, FIFO or socket).`)],
        fatal: true,
        bom: false,
      };
    }
    size = s.size;
  } catch (err) {
    return { diagnostics: [ioErrorDiagnostic(path, err)], fatal: true, bom: false };
  }
  if (size > maxBytes) {
    return {
      diagnostics: [
        fileDiagnostic(
          FILE_CODES.tooLarge,
          path,
          `${path} is ${formatBytes(size)}, more than the ${formatBytes(maxBytes)} imagetrust reads.`,
          "A trust policy this large is almost certainly not one; check the file name.",
        ),
      ],
      fatal: true,
      bom: false,
    };
  }
  let bytes: Uint8Array;
  try {
    bytes = files.readFile(path, { maxBytes });
  } catch (err) {
    return { diagnostics: [ioErrorDiagnostic(path, err)], fatal: true, bom: false };
  }
  if (bytes.length > maxBytes) {
    // The file grew between stat and read.
    return {
      diagnostics: [fileDiagnostic(FILE_CODES.tooLarge, path, `${path} is larger than ${formatBytes(maxBytes)}.`)],
      fatal: true,
      bom: false,
    };
  }
  const decode = options.decode ?? decodeUtf8;
  const text = decode(bytes);
  const nul = bytes.indexOf(0);
  // The decoders mark invalid bytes (see ReadOptions.decode): a text without marks needs no byte scan, and
  // V8 answers this test at once for one-byte (Latin-1) strings, i.e. almost every policy.
  const invalid = /[\uFFFD\uDC80-\uDCFF]/.test(text) ? firstInvalidUtf8(bytes) : undefined;
  const result: ReadTextResult = {
    source: new SourceFile(path, text),
    bytes,
    diagnostics: [],
    fatal: false,
    bom: bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf,
  };
  if (nul >= 0) result.binaryAt = nul;
  if (invalid !== undefined) result.invalidUtf8At = invalid;
  return result;
}

/**
 * A diagnostic at the first invalid UTF-8 byte of a read file (undefined when the file is valid UTF-8): IT9012 when
 * `compile` refuses the source, IT9017 when fmt --write / lint --fix refuse to rewrite it (a rewrite would turn every
 * invalid byte into U+FFFD, comments included).
 */
export function invalidUtf8Diagnostic(read: ReadTextResult, code: "IT9012" | "IT9017", message: string): Diagnostic | undefined {
  if (read.invalidUtf8At === undefined || !read.source || !read.bytes) return undefined;
  const offset = new TextDecoder("utf-8", { ignoreBOM: true }).decode(read.bytes.subarray(0, read.invalidUtf8At)).length;
  const pos = read.source.position(offset);
  return {
    code,
    severity: "error",
    file: read.source.path,
    span: read.source.span(offset, offset + 1),
    message: `${message} (byte 0x${read.bytes[read.invalidUtf8At].toString(16).padStart(2, "0")} at line ${pos.line}, column ${pos.column}).`,
    hint: "Save the file as UTF-8.",
  };
}

/** "12.5 MiB"-style size. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let u = -1;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}

/**
 * Decode UTF-8 as Go's encoding/json does: every byte of an invalid sequence becomes one U+FFFD
 * (Go `utf8.DecodeRune` returns width 1 on error). Fast path for valid input.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    // fall through to the byte-wise decoder
  }
  const parts: string[] = [];
  let start = 0;
  let i = 0;
  const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  while (i < bytes.length) {
    const w = validSequenceLength(bytes, i);
    if (w > 0) {
      i += w;
      continue;
    }
    if (i > start) parts.push(strict.decode(bytes.subarray(start, i)));
    parts.push("\uFFFD");
    i += 1;
    start = i;
  }
  if (start < bytes.length) parts.push(strict.decode(bytes.subarray(start)));
  return parts.join("");
}

/** Byte offset of the first invalid UTF-8 sequence, or undefined when the bytes are valid UTF-8. */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i] < 0x80) {
      i++;
      continue;
    }
    const w = validSequenceLength(bytes, i);
    if (w === 0) return i;
    i += w;
  }
  return undefined;
}

/** Length of the valid UTF-8 sequence at `i` (1–4), or 0 when invalid (overlongs and surrogates are invalid, as in Go). */
function validSequenceLength(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

// ---------------------------------------------------------------------------------------------------------
// Runtime locations (containers/image `signature.DefaultPolicy` / `docker.registriesDirPath`)

/** Where the runtime's files are; `root` prefixes the system paths only (a test seam, like upstream's RootForImplicitAbsolutePaths). */
export interface RuntimeEnvironment {
  /** The machine: its files, and `home()` ($HOME, else the passwd entry, as upstream's homedir.Get). */
  host: Host;
  /** Prefix for system paths such as /etc/containers (default: none). */
  root?: string;
}

/** One configuration location the runtime consults. */
export interface RuntimeLocation {
  /** The path (with `root` applied). */
  path: string;
  /** "user" ($HOME/.config/containers/…) or "system" (/etc/containers/…). */
  scope: "user" | "system";
  exists: boolean;
}

/** Which files containers/image reads, and which it ignores because another one shadows them. */
export interface RuntimeLocations {
  /** The policy.json the runtime would read, or undefined when there is none (an error for the runtime). */
  policy?: RuntimeLocation;
  /** Every policy.json candidate in lookup order. */
  policyCandidates: RuntimeLocation[];
  /** The registries.d directory the runtime reads (it may not exist: then the configuration is empty). */
  registriesD: RuntimeLocation;
  /** Every registries.d candidate in lookup order. */
  registriesDCandidates: RuntimeLocation[];
  /** Human-readable notes: what shadows what. */
  notes: string[];
}

/** The system configuration directory (Linux build of containers/image). */
export const SYSTEM_CONTAINERS_DIR = "/etc/containers";

/**
 * The locations of §6 (policy.json: `$HOME/.config/containers/policy.json` if it exists, else
 * `/etc/containers/policy.json`) and §5.1 (registries.d: `$HOME/.config/containers/registries.d` if that directory
 * exists — then the system one is not read at all — else `/etc/containers/registries.d`). `$XDG_CONFIG_HOME` is not
 * used by containers/image (Podman's rootless policy path does use it; see notes).
 */
export async function findRuntimeLocations(runtime: RuntimeEnvironment): Promise<RuntimeLocations> {
  const host = runtime.host;
  const root = runtime.root ?? "";
  const home = host.home();
  const userDir = join(home, ".config", "containers");
  const systemDir = join(root, SYSTEM_CONTAINERS_DIR);

  const userPolicy: RuntimeLocation = {
    path: join(userDir, "policy.json"),
    scope: "user",
    exists: statKind(host, join(userDir, "policy.json")) !== undefined,
  };
  const systemPolicy: RuntimeLocation = {
    path: join(systemDir, "policy.json"),
    scope: "system",
    exists: statKind(host, join(systemDir, "policy.json")) !== undefined,
  };
  const userRegD: RuntimeLocation = {
    path: join(userDir, "registries.d"),
    scope: "user",
    exists: statKind(host, join(userDir, "registries.d")) === "directory",
  };
  const systemRegD: RuntimeLocation = {
    path: join(systemDir, "registries.d"),
    scope: "system",
    exists: statKind(host, join(systemDir, "registries.d")) === "directory",
  };

  const notes: string[] = [];
  let policy: RuntimeLocation | undefined;
  if (userPolicy.exists) {
    policy = userPolicy;
    if (systemPolicy.exists) notes.push(`${userPolicy.path} shadows ${systemPolicy.path}, which is not read.`);
  } else if (systemPolicy.exists) {
    policy = systemPolicy;
  }
  const registriesD = userRegD.exists ? userRegD : systemRegD;
  if (userRegD.exists && systemRegD.exists) {
    notes.push(`${userRegD.path} shadows ${systemRegD.path}, which is not read at all.`);
  }
  return {
    policy,
    policyCandidates: [userPolicy, systemPolicy],
    registriesD,
    registriesDCandidates: [userRegD, systemRegD],
    notes,
  };
}
