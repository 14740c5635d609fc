/**
 * `validate`: would containers/image accept these files? Per input, the loader of its kind runs on text read
 * safely (src/input/files.ts) through the caller's Host, and every problem comes back as a diagnostic. Nothing here
 * prints or exits.
 *
 * Upstream: `signature.NewPolicyFromFile` (policy.json), `docker.loadAndMergeConfig` (registries.d).
 */
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Policy, RegistriesDConfig, TrustModel } from "../ir/types.js";
import type { Version } from "../ir/versions.js";
import type { Host } from "../host/host.js";
import { join } from "../host/path.js";
import { readLimit } from "../host/read-limits.js";
import type { LoadResult } from "../load/result.js";
import { SourceFile } from "../source/source-file.js";
import { runRules } from "../lint/run-rules.js";
import { subjectEmailNotAnEmail } from "../lint/rules/subject-email-not-an-email.js";
import {
  DEFAULT_MAX_BYTES,
  FILE_CODES,
  INPUT_KINDS,
  classifyDirectory,
  decodeUtf8,
  formatBytes,
  classifyFileName,
  ioErrorDiagnostic,
  readTextFile,
  type InputKind,
} from "./files.js";

// ---------------------------------------------------------------------------------------------------------
// Front ends

/**
 * The loaders of each input kind: `loadPolicyJson` (src/load/policy-json.ts), `loadRegistriesDFile` /
 * `loadRegistriesDDir` (src/load/registries-d/), `compileTrustSource` (src/check/compile-source.ts),
 * `loadRegistriesConfFile` (src/load/registries-conf/). `CheckLoaders` below keeps these signatures honest.
 */
export interface Loaders {
  loadPolicyJson(source: SourceFile, options?: { target?: Version; skeleton?: boolean }): LoadResult<Policy>;
  decodePolicyBytes?(bytes: Uint8Array): string;
  loadRegistriesDFile(source: SourceFile, options?: { target?: Version }): LoadResult<unknown>;
  loadRegistriesDDir(
    dir: string,
    options: { host: Host; target?: Version; decode?: (bytes: Uint8Array, file: string) => string },
  ): { value?: RegistriesDConfig; files?: string[]; diagnostics: Diagnostic[] };
  compileTrustSource(source: SourceFile, options?: { target?: Version; host?: Host; readInclude?: (path: string) => string; profile?: string }): LoadResult<TrustModel>;
  loadRegistriesConf?(source: SourceFile, options?: { target?: Version }): LoadResult<unknown>;
}

// Compile-time check (erased at run time) that the real modules fit the interface above.
type CheckLoaders = [
  Assignable<typeof import("../load/policy-json.js").loadPolicyJson, Loaders["loadPolicyJson"]>,
  Assignable<typeof import("../load/json-decode-bytes.js").decodePolicyBytes, NonNullable<Loaders["decodePolicyBytes"]>>,
  Assignable<typeof import("../load/registries-d/index.js").loadRegistriesDFile, Loaders["loadRegistriesDFile"]>,
  Assignable<typeof import("../load/registries-d/index.js").loadRegistriesDDir, Loaders["loadRegistriesDDir"]>,
  Assignable<typeof import("../check/compile-source.js").compileTrustSource, Loaders["compileTrustSource"]>,
  Assignable<typeof import("../load/registries-conf/index.js").loadRegistriesConfFile, NonNullable<Loaders["loadRegistriesConf"]>>,
];
type Assignable<A extends B, B> = A;

/** Thrown by a placeholder loader (and turned into IT9009) when a front end is not available in this build. */
export class LoaderUnavailableError extends Error {
  /** What is missing, e.g. "The registries.conf loader". */
  readonly what: string;
  constructor(what: string) {
    super(`${what} is not available in this build of imagetrust.`);
    this.what = what;
  }
}

// The front ends are loaded on first use (and a failure to load one is caught), so validate/lint (and the CLI's
// --help) keep working when one of them fails to load.
const POLICY_JSON_MODULE = "../load/policy-json.js";
const REGISTRIES_D_MODULE = "../load/registries-d/index.js";
const REGISTRIES_CONF_MODULE = "../load/registries-conf/index.js";
const TRUST_MODULE = "../check/compile-source.js";
const DECODE_BYTES_MODULE = "../load/json-decode-bytes.js";

/** Each front end's import, spelled out so that a bundler (the shipped executable, esbuild) can follow it. */
const IMPORTS: Record<string, () => Promise<unknown>> = {
  [POLICY_JSON_MODULE]: () => import("../load/policy-json.js"),
  [REGISTRIES_D_MODULE]: () => import("../load/registries-d/index.js"),
  [REGISTRIES_CONF_MODULE]: () => import("../load/registries-conf/index.js"),
  [TRUST_MODULE]: () => import("../check/compile-source.js"),
  [DECODE_BYTES_MODULE]: () => import("../load/json-decode-bytes.js"),
};

async function tryImport(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await IMPORTS[path]!()) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

const moduleCache = new Map<string, Promise<Record<string, unknown> | undefined>>();

function importOnce(path: string): Promise<Record<string, unknown> | undefined> {
  let p = moduleCache.get(path);
  if (!p) {
    p = tryImport(path);
    moduleCache.set(path, p);
  }
  return p;
}

/** The modules each input kind needs (only those are loaded: the .trust compiler alone pulls in Chevrotain). */
function modulesFor(kinds: readonly InputKind[]): string[] {
  const out = new Set<string>();
  for (const k of kinds) {
    if (k === "policy-json" || k === "config-dir") out.add(POLICY_JSON_MODULE).add(DECODE_BYTES_MODULE);
    if (k === "registries-d-file" || k === "registries-d-dir" || k === "config-dir") out.add(REGISTRIES_D_MODULE);
    if (k === "trust") out.add(TRUST_MODULE);
    if (k === "registries-conf") out.add(REGISTRIES_CONF_MODULE);
  }
  return [...out];
}

/**
 * The package's own loaders, importing only the front ends `kinds` need (default: all). A loader whose module
 * was not imported, or failed to load, throws LoaderUnavailableError (reported as IT9009).
 */
export async function defaultLoaders(kinds: readonly InputKind[] = INPUT_KINDS): Promise<Loaders> {
  const wanted = modulesFor(kinds);
  const mods = new Map<string, Record<string, unknown> | undefined>();
  await Promise.all(wanted.map(async (m) => mods.set(m, await importOnce(m))));
  const fn = <F>(path: string, name: string): F | undefined => {
    const mod = mods.get(path);
    return typeof mod?.[name] === "function" ? (mod[name] as F) : undefined;
  };
  const missing = (what: string) => () => {
    throw new LoaderUnavailableError(what);
  };
  return {
    loadPolicyJson: fn(POLICY_JSON_MODULE, "loadPolicyJson") ?? missing("The policy.json loader"),
    decodePolicyBytes: fn(POLICY_JSON_MODULE, "decodePolicyBytes") ?? fn(DECODE_BYTES_MODULE, "decodePolicyBytes"),
    loadRegistriesDFile: fn(REGISTRIES_D_MODULE, "loadRegistriesDFile") ?? missing("The registries.d loader"),
    loadRegistriesDDir: fn(REGISTRIES_D_MODULE, "loadRegistriesDDir") ?? missing("The registries.d loader"),
    compileTrustSource: fn(TRUST_MODULE, "compileTrustSource") ?? missing("The .trust compiler"),
    loadRegistriesConf: fn(REGISTRIES_CONF_MODULE, "loadRegistriesConfFile"),
  } satisfies Loaders;
}

// ---------------------------------------------------------------------------------------------------------
// Results

/** The IR an input produced (when it was accepted). */
export interface LoadedModel {
  policy?: Policy;
  registriesD?: RegistriesDConfig;
  trust?: TrustModel;
}

/** One validated input (a file, or a registries.d directory). */
export interface FileReport {
  /** The path as given (or derived: `<dir>/policy.json` for a configuration directory). */
  file: string;
  kind: InputKind;
  /** True when the runtime would accept it (no error diagnostics). */
  valid: boolean;
  /**
   * True when the input could not be judged at all (missing, unreadable, too large, unknown kind, a front end
   * failed): the CLI exits 2 for these.
   */
  fatal: boolean;
  diagnostics: Diagnostic[];
  /** Texts read, by path, so renderers can show code frames. */
  sources: Map<string, SourceFile>;
  /** For directories: the files the runtime reads, in order. */
  files?: string[];
  model?: LoadedModel;
}

/** Options of {@link validateInputs}. */
export interface ValidateOptions {
  /** The containers/image version to judge by (undefined = newest). */
  target?: Version;
  /** Force the kind instead of deciding from the name. */
  kind?: InputKind;
  /** The machine the inputs are read from. */
  host: Host;
  maxBytes?: number;
  loaders?: Loaders;
  /**
   * Where the key files a .trust source names are looked at (a `keysHost` from src/input/key-files.ts for
   * `--keys`); `false`: not at all (`checkFiles: false`). Default: `host`.
   */
  keys?: Host | false;
  /** For .trust sources: the profile to compile (`FILE#NAME` in diff); absent: the base. */
  profile?: string;
  /**
   * `false`: a policy.json's report carries no `model` (the `validate` command shows verdicts and diagnostics only),
   * so the policy is loaded as a skeleton (loadPolicyJson's `skeleton`: same verdict and diagnostics, a fraction of
   * the objects). Default: the model is kept.
   */
  keepModel?: boolean;
}

function report(file: string, kind: InputKind, diagnostics: Diagnostic[], fatal: boolean, extra: Partial<FileReport> = {}): FileReport {
  return { file, kind, valid: !fatal && !hasErrors(diagnostics), fatal, diagnostics, sources: new Map(), ...extra };
}

function internalError(file: string, err: unknown): Diagnostic {
  if (err instanceof LoaderUnavailableError) {
    return { code: FILE_CODES.unsupportedKind, severity: "error", file, message: err.message };
  }
  const detail = err instanceof RangeError ? "input nested too deeply or too large to process" : err instanceof Error ? err.message : String(err);
  return {
    code: FILE_CODES.internal,
    severity: "error",
    file,
    message: `Internal error while reading ${file}: ${detail}.`,
    hint: "This is a bug in imagetrust; please report it with the input file.",
  };
}

/** Validate many inputs, in order. A configuration directory yields one report per file it holds. */
export async function validateInputs(paths: readonly string[], options: ValidateOptions): Promise<FileReport[]> {
  const out: FileReport[] = [];
  for (const p of paths) out.push(...(await validateInput(p, options)));
  return out;
}

/**
 * Validate one path: a file (kind from its name or `options.kind`) or a directory (a registries.d directory, or a
 * configuration directory holding policy.json and/or registries.d/, like /etc/containers).
 */
export async function validateInput(path: string, options: ValidateOptions): Promise<FileReport[]> {
  const files = options.host.files;
  let isDir: boolean;
  try {
    isDir = files.stat(path).kind === "directory";
  } catch (err) {
    return [report(path, options.kind ?? classifyFileName(path) ?? "policy-json", [ioErrorDiagnostic(path, err)], true)];
  }
  if (isDir) {
    const named = classifyFileName(path);
    if (options.kind === undefined && named !== undefined) {
      // e.g. "policy.json" that is a directory: the runtime would fail to read it as a file.
      return [report(path, named, [ioErrorDiagnostic(path, { code: "EISDIR" })], true)];
    }
    const kind = options.kind === "registries-d-dir" || options.kind === "config-dir" ? options.kind : await classifyDirectory(path, options.host);
    if (options.kind !== undefined && options.kind !== kind) {
      return [report(path, options.kind, [ioErrorDiagnostic(path, { code: "EISDIR" })], true)];
    }
    if (kind === "registries-d-dir") return [await validateRegistriesDDir(path, options)];
    const reports: FileReport[] = [];
    const policyPath = join(path, "policy.json");
    const regDPath = join(path, "registries.d");
    try {
      if (files.stat(policyPath).kind === "file") reports.push(await validateFile(policyPath, "policy-json", options));
    } catch {
      // no policy.json in this configuration directory
    }
    try {
      if (files.stat(regDPath).kind === "directory") reports.push(await validateRegistriesDDir(regDPath, options));
    } catch {
      // no registries.d
    }
    return reports;
  }
  const kind = options.kind ?? classifyFileName(path);
  if (kind === undefined) {
    return [
      report(
        path,
        "policy-json",
        [
          {
            code: FILE_CODES.unknownKind,
            severity: "error",
            file: path,
            message: `Cannot tell what kind of file ${path} is from its name.`,
            hint: "Name it *.json (policy.json), *.yaml (registries.d), *.trust or *.conf (registries.conf), or pass --kind.",
          },
        ],
        true,
      ),
    ];
  }
  if (kind === "registries-d-dir" || kind === "config-dir") {
    return [report(path, kind, [ioErrorDiagnostic(path, { code: "ENOTDIR" }, "directory")], true)];
  }
  return [await validateFile(path, kind, options)];
}

/** Validate one file of a known kind. */
export async function validateFile(
  path: string,
  kind: Exclude<InputKind, "registries-d-dir" | "config-dir">,
  options: ValidateOptions,
): Promise<FileReport> {
  const loaders = options.loaders ?? (await defaultLoaders([kind]));
  const decode = kind === "policy-json" ? loaders.decodePolicyBytes : undefined;
  const read = await readTextFile(path, { host: options.host, maxBytes: options.maxBytes, decode });
  if (read.fatal || !read.source) return report(path, kind, read.diagnostics, true);
  const source = read.source;
  const sources = new Map([[path, source]]);
  const diagnostics: Diagnostic[] = [...read.diagnostics];
  const target = options.target;
  // A caller that keeps no model (the `validate` command): a policy.json is read as a skeleton (see keepModel).
  const skeleton = options.keepModel === false;
  let model: LoadedModel | undefined;
  let loaded: LoadResult<unknown>;
  try {
    switch (kind) {
      case "policy-json": {
        const r = loaders.loadPolicyJson(source, skeleton ? { target, skeleton } : { target });
        loaded = r;
        if (r.value) model = { policy: r.value };
        break;
      }
      case "registries-d-file": {
        const r = loaders.loadRegistriesDFile(source, { target });
        loaded = r;
        const reg = asRegistriesDConfig(r.value);
        if (r.value !== undefined) model = reg ? { registriesD: reg } : {};
        break;
      }
      case "trust": {
        const keys = options.keys ?? options.host;
        const readInclude = trustIncludeReader(options.host);
        const profile = options.profile !== undefined ? { profile: options.profile } : {};
        const r = loaders.compileTrustSource(source, keys === false ? { target, readInclude, ...profile } : { target, host: keys, readInclude, ...profile });
        loaded = r;
        if (r.value) model = { policy: r.value.policy, registriesD: r.value.registriesD, trust: r.value };
        break;
      }
      case "registries-conf": {
        if (!loaders.loadRegistriesConf) {
          return report(path, kind, [internalError(path, new LoaderUnavailableError("The registries.conf loader"))], true, { sources });
        }
        loaded = loaders.loadRegistriesConf(source, { target });
        if (loaded.value !== undefined) model = {};
        break;
      }
    }
  } catch (err) {
    return report(path, kind, [...diagnostics, internalError(path, err)], true, { sources });
  }

  if (read.binaryAt !== undefined) {
    // Binary content: one clear diagnostic instead of whatever the parser makes of it, keeping upstream's words.
    const pos = source.position(Math.min(read.binaryAt, source.text.length));
    const upstream = loaded.diagnostics.find((d) => d.upstreamMessage !== undefined)?.upstreamMessage;
    const d: Diagnostic = {
      code: FILE_CODES.binary,
      severity: "error",
      span: source.span(0, 0),
      message: `${path} looks like a binary file (NUL byte at line ${pos.line}, column ${pos.column}), not ${describeKind(kind)}.`,
      hint: "Check that the path names the right file.",
    };
    if (upstream !== undefined) d.upstreamMessage = upstream;
    return report(path, kind, [...diagnostics, d], false, { sources });
  }
  if (read.invalidUtf8At !== undefined) {
    const offset = utf16OffsetOfByte(read.bytes!, read.invalidUtf8At);
    diagnostics.push({
      code: FILE_CODES.invalidUtf8,
      severity: kind === "policy-json" ? "warning" : "error",
      span: source.span(offset, offset + 1),
      message:
        kind === "policy-json"
          ? "Invalid UTF-8: containers/image replaces each invalid byte with U+FFFD, so this text is not what it seems."
          : "Invalid UTF-8: the runtime's parser rejects it.",
      hint: "Save the file as UTF-8.",
    });
  }
  diagnostics.push(...loaded.diagnostics);
  if (kind === "policy-json" && model?.policy && !hasErrors(diagnostics)) diagnostics.push(...acceptedButNeverMatching(path, source, model.policy));
  const keep = !hasErrors(diagnostics) && !(kind === "policy-json" && skeleton);
  return report(path, kind, diagnostics, false, { sources, model: keep ? model : undefined });
}

/** Validate a registries.d directory as the runtime merges it (every `*.yaml` file). */
export async function validateRegistriesDDir(dir: string, options: ValidateOptions): Promise<FileReport> {
  const loaders = options.loaders ?? (await defaultLoaders(["registries-d-dir"]));
  const sources = new Map<string, SourceFile>();
  const maxBytes = options.maxBytes ?? readLimit(options.host, "source");
  // The loader reads synchronously; read each file with the same guards as single files and keep its text.
  const files = options.host.files;
  const readFile = (file: string): Uint8Array => {
    const st = files.stat(file);
    if (st.kind !== "file") throw new Error("not a regular file (a directory, device, FIFO or socket)");
    const size = st.size;
    if (size > maxBytes) throw new Error(`file is ${formatBytes(size)}, more than the ${formatBytes(maxBytes)} imagetrust reads`);
    return files.readFile(file, { maxBytes });
  };
  const decode = (bytes: Uint8Array, file: string): string => {
    const text = decodeUtf8(bytes);
    sources.set(file, new SourceFile(file, text));
    return text;
  };
  try {
    const host: Host = { ...options.host, files: { ...files, readFile } };
    const r = loaders.loadRegistriesDDir(dir, { target: options.target, host, decode });
    const extra: Partial<FileReport> = { sources };
    if (r.files) extra.files = r.files;
    if (r.value) extra.model = { registriesD: r.value };
    return report(dir, "registries-d-dir", r.diagnostics, false, extra);
  } catch (err) {
    return report(dir, "registries-d-dir", [internalError(dir, err)], true);
  }
}

/** The IR of a registries.d file result, when it has the merged-config shape. */
function asRegistriesDConfig(v: unknown): RegistriesDConfig | undefined {
  if (v && typeof v === "object" && Array.isArray((v as RegistriesDConfig).docker)) return v as RegistriesDConfig;
  return undefined;
}

function describeKind(kind: InputKind): string {
  switch (kind) {
    case "policy-json":
      return "a policy.json (JSON text)";
    case "registries-d-file":
      return "a registries.d YAML file";
    case "trust":
      return "a .trust source";
    case "registries-conf":
      return "a registries.conf (TOML) file";
    default:
      return "a text file";
  }
}

/** The UTF-16 offset in the decoded text of byte `byteOffset` (valid UTF-8 before it). */
function utf16OffsetOfByte(bytes: Uint8Array, byteOffset: number): number {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes.subarray(0, byteOffset)).length;
}

/** A SourceFile for a path, read through the host (for code frames of files loaded by a directory loader). */
export async function readSourceForDisplay(path: string, host: Host): Promise<SourceFile | undefined> {
  const r = await readTextFile(path, { host, maxBytes: 64 * 1024 * 1024 });
  return r.source;
}


/** Reads a .trust source's `include`d files through the real host (never the `--keys` host, which maps every path to DIR). */
function trustIncludeReader(host: Host): (path: string) => string {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  return (path) => decoder.decode(host.files.readFile(path)).replace(/^\uFEFF/, "");
}

/**
 * What the runtime loads but can never match, said by `validate` too (the lint rule owns the finding; validate runs
 * it as a warning, since containers/image accepts the file): a subjectEmail that is not an e-mail address (IT4028).
 */
function acceptedButNeverMatching(path: string, source: SourceFile, policy: Policy): Diagnostic[] {
  return runRules({ file: path, policy, frontEnd: "policy-json", getSource: (f) => (f === path ? source : undefined) }, [subjectEmailNotAnEmail], {
    severities: { [subjectEmailNotAnEmail.meta.code]: "warning" },
  });
}
