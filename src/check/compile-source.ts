/**
 * The one entry point for .trust sources: parse, check and lower in a single run. Syntax and semantic
 * diagnostics are reported together; the model is returned only when there is no error (noEmitOnError).
 */
import { elideDiagnosticMessages } from "../diagnostics/elide.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import type { Host } from "../host/host.js";
import { dirname } from "../host/path.js";
import type { TrustModel } from "../ir/types.js";
import type { Version } from "../ir/versions.js";
import type { LoadResult } from "../load/result.js";
import type { SourceFile } from "../source/source-file.js";
import { parseTrust } from "../syntax/parse.js";
import { checkTrustFile } from "./checker.js";
import { CHECK_CODES } from "./codes.js";
import { hostKeyFiles, type FileAccess } from "./key-files.js";
import { lowerTrustFile } from "./lower.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { byFileThenPosition, hasIncludes, hostIncludeReader, resolveIncludes, type IncludeReader } from "./check-includes.js";
import { leaveOutClusterOnly } from "./enforcement.js";

/** Options of `compileTrustSource`. */
export interface CompileTrustOptions {
  /** The containers/image version to compile for; overrides the file's `target`. */
  target?: Version;
  /** The machine key files are looked at on (through `host.files`); without it (and without `fileExists`), they are not. */
  host?: Host;
  /** Whether a key file exists (overrides `host`; tests). */
  fileExists?: (path: string) => boolean;
  /** A key file's bytes, or undefined when unreadable (overrides `host`; tests). */
  readFile?: (path: string) => Uint8Array | undefined;
  /** Skip looking at key files altogether. */
  checkKeyFiles?: boolean;
  /** Reads `include`d files (overrides `host`; tests). Without it and without `host`, an include is an error. */
  readInclude?: IncludeReader;
  /** The profile to compile (`profile NAME { … }`); absent: the base. An unknown name is IT2230. */
  profile?: string;
  /** The clock approvals' `until` dates are judged by (the CLI: `host.now()`, `--now`, SOURCE_DATE_EPOCH); absent: nothing expires. */
  now?: Date;
  /** An expired approval is dropped with a warning (default) or refused with an error. */
  expiredApprovals?: "drop" | "refuse";
  /**
   * Who enforces the model: the nodes (default; scopes marked `enforced-by cluster` are left out, IT2241) or the
   * cluster (every scope kept; the Kubernetes emitters pass `enforced-by nodes` scopes through admission).
   */
  enforcement?: "nodes" | "cluster";
  /** Check for an admission controller (compile --target-k8s) rather than for nodes (see CheckOptions.admission). */
  admission?: boolean;
}

/** The checker's key-file access: the caller's functions, else the host's files, else none. */
function keyFileAccess(options: CompileTrustOptions): FileAccess | undefined {
  if (options.checkKeyFiles === false) return undefined;
  const fromHost = options.host ? hostKeyFiles(options.host) : undefined;
  if (options.fileExists) return { fileExists: options.fileExists, readFile: options.readFile ?? (() => undefined) };
  if (options.readFile) return { fileExists: fromHost?.fileExists ?? (() => false), readFile: options.readFile };
  return fromHost;
}

/** Compile a .trust source to the IR: `value` is present exactly when there are no error diagnostics. */
export function compileTrustSource(source: SourceFile, options: CompileTrustOptions = {}): LoadResult<TrustModel> {
  // Only the AST and the diagnostics are kept: the tokens and the CST become garbage before checking starts
  // (fewer survivors for the GC to copy in a large compile).
  const parsed = parseTrust(source);
  const syntax = parsed.diagnostics;
  let ast = parsed.ast;
  if (!ast) return { diagnostics: elideDiagnosticMessages(syntax) };
  let order = (a: Diagnostic, b: Diagnostic) => (a.span?.start ?? 0) - (b.span?.start ?? 0);
  if (hasIncludes(ast)) {
    const read = options.readInclude ?? (options.host ? hostIncludeReader(options.host) : undefined);
    const joined = resolveIncludes(source, ast, read);
    ast = { ...ast, statements: joined.statements };
    syntax.push(...joined.diagnostics);
    order = byFileThenPosition(joined.files);
  }
  const files = keyFileAccess(options);
  const checked = checkTrustFile(source, ast, {
    target: options.target,
    files,
    ...(options.admission ? { admission: true } : {}),
    baseDir: source.path.startsWith("<") ? undefined : dirname(source.path),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.expiredApprovals ? { expiredApprovals: options.expiredApprovals } : {}),
  });
  // After syntax errors, semantic findings about recovered statements are noise; keep those on intact ones.
  const recovered = ast.statements.filter((s) => s.recovered).map((s) => s.span);
  // With syntax errors, "no default" and "never used" are likely about the part that did not parse.
  const syntaxErrors = hasErrors(syntax);
  const semantic = checked.diagnostics.filter(
    (d) =>
      !(syntaxErrors && (d.code === CHECK_CODES.missingDefault || d.code === CHECK_CODES.unusedName)) &&
      (!d.span || !recovered.some((r) => d.span!.file === r.file && d.span!.start >= r.start && d.span!.start <= r.end)),
  );
  const diagnostics = elideDiagnosticMessages([...syntax, ...semantic].sort(order));
  if (hasErrors(diagnostics)) return { diagnostics };
  const model = lowerTrustFile(source, ast, checked);
  if ((options.enforcement ?? "nodes") === "nodes") diagnostics.push(...leaveOutClusterOnly(model));
  return { value: model, diagnostics };
}
