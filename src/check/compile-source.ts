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
  const { ast, diagnostics: syntax } = parseTrust(source);
  if (!ast) return { diagnostics: elideDiagnosticMessages(syntax) };
  const files = keyFileAccess(options);
  const checked = checkTrustFile(source, ast, {
    target: options.target,
    files,
    ...(options.admission ? { admission: true } : {}),
    baseDir: source.path.startsWith("<") ? undefined : dirname(source.path),
  });
  // After syntax errors, semantic findings about recovered statements are noise; keep those on intact ones.
  const recovered = ast.statements.filter((s) => s.recovered).map((s) => s.span);
  // With syntax errors, "no default" and "never used" are likely about the part that did not parse.
  const syntaxErrors = hasErrors(syntax);
  const semantic = checked.diagnostics.filter(
    (d) =>
      !(syntaxErrors && (d.code === CHECK_CODES.missingDefault || d.code === CHECK_CODES.unusedName)) &&
      (!d.span || !recovered.some((r) => d.span!.start >= r.start && d.span!.start <= r.end)),
  );
  const diagnostics = elideDiagnosticMessages([...syntax, ...semantic].sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0)));
  if (hasErrors(diagnostics)) return { diagnostics };
  return { value: lowerTrustFile(source, ast, checked), diagnostics };
}
