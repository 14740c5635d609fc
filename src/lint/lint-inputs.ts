/**
 * `lint`: validate, then run the lint rules (src/lint/) over the IR of every accepted input. With no inputs, lint
 * what the runtime itself reads (spec containers-policy.md §5.1, §6: `signature.DefaultPolicy`,
 * `docker.registriesDirPath`). Nothing here prints or exits.
 */
import type { Diagnostic, Severity } from "../diagnostics/diagnostic.js";
import type { Host } from "../host/host.js";
import { runLint } from "./run.js";
import type { Rule } from "./rule.js";
import { goQuote } from "../util/go-quote.js";
import type { SourceFile } from "../source/source-file.js";
import { FILE_CODES, findRuntimeLocations, invalidUtf8Diagnostic, readTextFile, type RuntimeEnvironment, type RuntimeLocations } from "../input/files.js";
import { validateFile, validateInput, validateRegistriesDDir, type FileReport, type ValidateOptions } from "../input/validate.js";
import { emptyRegistriesD, type RegistriesDConfig } from "../ir/types.js";
import type { RegistriesConf } from "../registries/types.js";
import { settleFindings } from "./suppressions.js";
import { RULES } from "./registry.js";

/** Options of {@link lintInputs}. */
export interface LintOptions extends ValidateOptions {
  /** Rules to run (default: all registered). */
  rules?: readonly Rule[];
  /** Per rule name or code: another severity, or "off". */
  severities?: Record<string, Severity | "off">;
  /** Check key files and path scopes on this machine (default: only for the runtime's own configuration). */
  checkHostFiles?: boolean;
  /** The registries.d directory used with every policy linted (`--registries-d`); also linted itself. */
  registriesDPath?: string;
  /** The registries.conf used with every policy linted (`--registries-conf`); its load findings are reported. */
  registriesConfPath?: string;
  /** Its drop-in directory (`--registries-conf-d`, as registries.conf.d): `*.conf` merged in lexical order. */
  registriesConfDirPath?: string;
}

/**
 * Lint findings added to validation reports. `storage`: for a policy report, the registries.d configuration the
 * runtime would use with it (configuration directories and the runtime's own files).
 */
function addLint(reports: FileReport[], options: LintOptions, storage?: RegistriesDConfig, registriesConf?: RegistriesConf, checkHostFiles = false): FileReport[] {
  const knownCodes = new Set(RULES.map((x) => x.meta.code));
  for (const r of reports) {
    if (!r.model) {
      // Not linted (the runtime would refuse it): configured severities still apply to its warnings.
      r.diagnostics = settleFindings(r.diagnostics, [], { severities: options.severities, knownCodes }).front;
      continue;
    }
    let findings = runLint(
      {
        file: r.file,
        policy: r.model.policy,
        registriesD: r.model.registriesD,
        target: options.target,
        getSource: (f) => r.sources.get(f),
        // .trust sources get this check from their own checker (IT2150 / IT2151, which owns it).
        signatureStorage: r.kind === "policy-json" ? storage : undefined,
        registriesConf: r.kind === "policy-json" ? registriesConf : undefined,
        checkHostFiles: options.checkHostFiles ?? checkHostFiles,
        frontEnd: r.kind === "trust" ? "trust" : r.kind === "policy-json" ? "policy-json" : undefined,
        host: options.host,
        keyHost: options.keys || undefined,
      },
      { rules: options.rules, severities: options.severities },
    );
    addDeprecatedKeyFixes(r);
    // Configured severities and inline ignores apply to the front end's warnings too (e.g. IT2120=off).
    const front = r.diagnostics;
    const settled = settleFindings(front, findings, { severities: options.severities, source: r.kind === "trust" ? r.sources.get(r.file) : undefined, knownCodes });
    r.diagnostics = settled.front;
    findings = settled.findings;
    if (settled.raised) r.valid = false;
    // Each finding has one owner (the .trust checker's own findings are not repeated by rules: RuleContext.frontEnd).
    r.diagnostics.push(...findings);
    r.valid = r.valid && !findings.some((d) => d.severity === "error");
  }
  return reports;
}

/** The replacement names of registries.d's deprecated keys (docker/registries_d.go `registryNamespace`). */
const DEPRECATED_KEYS: Record<string, { to: string; field: "lookaside" | "lookasideStaging" }> = {
  sigstore: { to: "lookaside", field: "lookaside" },
  "sigstore-staging": { to: "lookaside-staging", field: "lookasideStaging" },
};

/**
 * `--fix` for the registries.d loader's deprecated-key warnings (IT1305): rename the key in place (unless the loader
 * offers that fix itself), and never when the section also has the new key: renaming would make a duplicate key (a
 * warning the re-validation does not stop; the two URLs disagree and the user must choose).
 */
function addDeprecatedKeyFixes(r: FileReport): void {
  const config = r.model?.registriesD;
  if (!config) return;
  for (const d of r.diagnostics) {
    if (d.code !== "IT1305" || !d.span) continue;
    const text = r.sources.get(d.span.file)?.text.slice(d.span.start, d.span.end);
    const bare = text?.replace(/^(["'])(.*)\1$/, "$2");
    const target = bare !== undefined ? DEPRECATED_KEYS[bare] : undefined;
    if (!target || text === undefined) continue;
    // The section the key belongs to: the last section key before it in the same file.
    const sections = [
      ...(config.defaultDocker?.keyOrigin ? [{ span: config.defaultDocker.keyOrigin, storage: config.defaultDocker.storage }] : []),
      ...config.docker.filter((e) => e.keyOrigin).map((e) => ({ span: e.keyOrigin!, storage: e.storage })),
    ].filter((x) => x.span.file === d.span!.file && x.span.start < d.span!.start);
    const section = sections.sort((a, b) => b.span.start - a.span.start)[0];
    if (!section || section.storage[target.field] !== undefined) {
      delete d.fix; // the loader's own rename (if it offers one) would make a duplicate key
      continue;
    }
    if (d.fix) continue; // the loader offers the rename itself
    d.fix = { description: `Rename '${bare}' to '${target.to}'`, edits: [{ span: d.span, text: text.replace(bare!, target.to) }] };
  }
}

/** Validate and lint each path (files, registries.d directories, configuration directories). */
export async function lintInputs(paths: readonly string[], options: LintOptions): Promise<FileReport[]> {
  const out: FileReport[] = [];
  let explicitStorage: RegistriesDConfig | undefined;
  if (options.registriesDPath !== undefined) {
    const r = await validateRegistriesDDir(options.registriesDPath, options);
    explicitStorage = r.model?.registriesD ?? emptyRegistriesD();
    out.push(...addLint([r], options));
  }
  let conf: RegistriesConf | undefined;
  if (options.registriesConfPath !== undefined) {
    const { report, value } = await loadRegistriesConfReport(options.registriesConfPath, options);
    conf = value;
    out.push(report);
  }
  for (const p of paths) {
    const reports = await validateInput(p, options);
    // A configuration directory: its policy.json is used with its registries.d/ (or with none at all).
    const policy = reports.find((r) => r.kind === "policy-json");
    const regD = reports.find((r) => r.kind === "registries-d-dir");
    const paired = policy && reports.length <= 2 && (await isConfigDir(p, options));
    const storage = explicitStorage ?? (paired ? (regD ? regD.model?.registriesD : emptyRegistriesD()) : undefined);
    out.push(...addLint(reports, options, storage, conf));
  }
  return out;
}

/** Load a registries.conf (and its drop-ins, when a directory was named) for cross-file rules; its load diagnostics become a report. */
async function loadRegistriesConfReport(path: string, options: LintOptions): Promise<{ report: FileReport; value?: RegistriesConf }> {
  const { loadRegistriesConf } = await import("../load/registries-conf/index.js");
  const { SourceFile: SF } = await import("../source/source-file.js");
  const sources = new Map<string, SourceFile>();
  let text: string | undefined;
  try {
    text = new TextDecoder().decode(options.host.files.readFile(path));
  } catch {
    text = undefined;
  }
  if (text !== undefined) sources.set(path, new SF(path, text));
  const dropInDir = options.registriesConfDirPath;
  const inDropInDir = (f: string) => dropInDir !== undefined && f.startsWith(dropInDir.endsWith("/") ? dropInDir : `${dropInDir}/`);
  const r = loadRegistriesConf({
    confPath: path,
    confDirs: dropInDir !== undefined ? [dropInDir] : [],
    explicit: true,
    target: options.target,
    // The text read above (BOM already stripped), and nothing else.
    host: {
      ...options.host,
      files: {
        ...options.host.files,
        readFile: (f) => {
          if (f === path && text !== undefined) return new TextEncoder().encode(text);
          if (inDropInDir(f)) return options.host.files.readFile(f);
          throw Object.assign(new Error(`cannot read ${f}`), { code: "ENOENT" });
        },
        // Only the named drop-in directory (upstream `dropInConfigs` over SystemRegistriesConfDirPath).
        readDir: (d) => (d === dropInDir ? options.host.files.readDir(d) : []),
      },
    },
  });
  const valid = !r.diagnostics.some((d) => d.severity === "error");
  return { report: { file: path, kind: "registries-conf", valid, fatal: text === undefined, diagnostics: r.diagnostics, sources }, value: r.value };
}

async function isConfigDir(p: string, options: LintOptions): Promise<boolean> {
  if (options.kind === "config-dir") return true;
  if (options.kind !== undefined) return false;
  try {
    return options.host.files.stat(p).kind === "directory";
  } catch {
    return false;
  }
}

/** The result of linting the runtime's own configuration. */
export interface RuntimeLintResult {
  locations: RuntimeLocations;
  reports: FileReport[];
}

/**
 * Lint the configuration containers/image would read for this user: the policy.json of §6 and the registries.d
 * directory of §5.1. Each report starts with an IT9010 note saying why that file is the one read (and what it shadows).
 */
export async function lintRuntimeConfiguration(runtime: RuntimeEnvironment, options: Omit<LintOptions, "host">): Promise<RuntimeLintResult> {
  const locations = await findRuntimeLocations(runtime);
  const reports: FileReport[] = [];
  const vopts: LintOptions = { ...options, host: runtime.host };
  if (locations.policy) {
    const p = locations.policy;
    const r = await validateFile(p.path, "policy-json", vopts);
    const other = locations.policyCandidates.find((c) => c !== p);
    const note =
      p.scope === "user"
        ? `containers/image reads this policy (the per-user file is used when it exists)${other?.exists ? `; ${other.path} is shadowed and not read` : ""}.`
        : `containers/image reads this policy (the system file; no ${locations.policyCandidates[0].path} exists).`;
    r.diagnostics.unshift({ code: FILE_CODES.runtimeFileRead, severity: "info", file: p.path, message: note });
    reports.push(r);
  } else {
    const paths = locations.policyCandidates.map((c) => c.path);
    const file = paths[paths.length - 1];
    const d: Diagnostic = {
      code: FILE_CODES.noRuntimePolicy,
      severity: "error",
      file,
      message: `No policy.json found (looked for ${paths.join(" and ")}); every pull fails.`,
      upstreamMessage: `no policy.json file found at any of the following: ${paths.map(goQuote).join(", ")}`,
      hint: "Create /etc/containers/policy.json (e.g. with `imagetrust compile`).",
    };
    reports.push({ file, kind: "policy-json", valid: false, fatal: false, diagnostics: [d], sources: new Map() });
  }
  const regD = locations.registriesD;
  if (regD.exists) {
    const r = await validateRegistriesDDir(regD.path, vopts);
    const other = locations.registriesDCandidates.find((c) => c !== regD);
    const note =
      regD.scope === "user"
        ? `containers/image reads this registries.d directory (the per-user one is used when it exists)${other?.exists ? `; ${other.path} is shadowed and not read at all` : ""}.`
        : `containers/image reads this registries.d directory (the system one; no ${locations.registriesDCandidates[0].path} exists).`;
    r.diagnostics.unshift({ code: FILE_CODES.runtimeFileRead, severity: "info", file: regD.path, message: note });
    reports.push(r);
  } else {
    reports.push({
      file: regD.path,
      kind: "registries-d-dir",
      valid: true,
      fatal: false,
      diagnostics: [
        {
          code: FILE_CODES.runtimeFileRead,
          severity: "info",
          file: regD.path,
          message: "No registries.d directory: signatures are looked up only in the built-in default local directory.",
        },
      ],
      sources: new Map(),
    });
  }
  const regDReport = reports.find((r) => r.kind === "registries-d-dir");
  addLint(reports, vopts, regD.exists ? regDReport?.model?.registriesD : emptyRegistriesD(), undefined, true);
  return { locations, reports };
}

/** The new text of a file after applying fixes. */
export interface FixedFile {
  file: string;
  text: string;
  /** The fixes applied, by description. */
  applied: string[];
}

/**
 * Apply the fixes of lint findings to the texts they were computed on (ESLint's `--fix`): per file, edits in
 * reverse order, skipping any that overlaps one already applied. Returns only files that change.
 */
export function applyLintFixes(reports: readonly FileReport[]): FixedFile[] {
  const sources = new Map<string, SourceFile>();
  for (const r of reports) for (const [k, v] of r.sources) sources.set(k, v);
  const byFile = new Map<string, Array<{ start: number; end: number; text: string; description: string }>>();
  for (const r of reports) {
    for (const d of r.diagnostics) {
      if (!d.fix) continue;
      for (const e of d.fix.edits) {
        const list = byFile.get(e.span.file) ?? [];
        list.push({ start: e.span.start, end: e.span.end, text: e.text, description: d.fix.description });
        byFile.set(e.span.file, list);
      }
    }
  }
  const out: FixedFile[] = [];
  for (const [file, edits] of byFile) {
    const source = sources.get(file);
    if (!source) continue;
    edits.sort((a, b) => b.start - a.start || b.end - a.end);
    let text = source.text;
    let limit = Infinity;
    const applied: string[] = [];
    for (const e of edits) {
      if (e.end > limit) continue; // overlaps an edit already applied
      text = text.slice(0, e.start) + e.text + text.slice(e.end);
      limit = e.start;
      applied.push(e.description);
    }
    if (text !== source.text) out.push({ file, text, applied: applied.reverse() });
  }
  return out;
}

/** A fix that was not applied because the loader would reject the result (or the file is not valid UTF-8). */
export interface RejectedFix {
  file: string;
  /** The first error the loader reports on the fixed text. */
  reason: string;
  /** Set when the file is not valid UTF-8 (IT9017): nothing was checked, nothing written. */
  notUtf8?: boolean;
}

/** IT9017's message for a file that is not valid UTF-8 (undefined when it is, or cannot be read). */
async function notUtf8Reason(file: string, host: Host): Promise<string | undefined> {
  const read = await readTextFile(file, { host });
  return invalidUtf8Diagnostic(read, "IT9017", "IT9017 the file is not valid UTF-8, and rewriting it would change bytes no fix asked for")?.message;
}

/**
 * Re-validate fixed texts before anything is written (never write what the loader rejects): each input whose
 * sources include a fixed file is validated again against an overlay of the fixed texts. Returns the fixes that
 * keep every input accepted, and those that do not.
 */
export async function verifyLintFixes(
  fixed: readonly FixedFile[],
  reports: readonly FileReport[],
  options: LintOptions,
): Promise<{ accepted: FixedFile[]; rejected: RejectedFix[] }> {
  const base = options.host;
  const accepted: FixedFile[] = [];
  const rejected: RejectedFix[] = [];
  for (const f of fixed) {
    // Edits touch only their spans: a file that is not valid UTF-8 would have every invalid byte re-encoded as U+FFFD.
    const notUtf8 = await notUtf8Reason(f.file, base);
    if (notUtf8 !== undefined) {
      rejected.push({ file: f.file, reason: notUtf8, notUtf8: true });
      continue;
    }
    const bytes = new TextEncoder().encode(f.text);
    // The fixed text overlaid on the host's files (the registries.d loader reads through the host too).
    const overlay: Host = {
      ...base,
      files: {
        ...base.files,
        stat: (p) => (p === f.file ? { kind: "file", size: bytes.length, mode: 0o644, uid: 0, gid: 0, mtimeMs: 0, dev: 0, ino: 0 } : base.files.stat(p)),
        readFile: (p, o) => (p === f.file ? bytes : base.files.readFile(p, o)),
      },
    };
    const owners = reports.filter((r) => r.sources.has(f.file) && r.valid);
    let reason: string | undefined;
    for (const r of owners) {
      const again =
        r.kind === "registries-d-dir"
          ? await validateRegistriesDDir(r.file, { ...options, host: overlay })
          : r.kind === "config-dir"
            ? undefined
            : await validateFile(r.file, r.kind, { ...options, host: overlay });
      if (!again) continue;
      const error = again.diagnostics.find((d) => d.severity === "error");
      if (!again.valid || error) {
        reason = error ? `${error.code} ${error.message}` : "not accepted";
        break;
      }
    }
    if (reason === undefined) accepted.push(f);
    else rejected.push({ file: f.file, reason });
  }
  return { accepted, rejected };
}
