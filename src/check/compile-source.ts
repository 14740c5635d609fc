/**
 * The one entry point for .trust sources: parse, check and lower in a single run. Syntax and semantic
 * diagnostics are reported together; the model is returned only when there is no error (noEmitOnError).
 */
import { elideDiagnosticMessages } from "../diagnostics/elide.js";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { hasErrors } from "../diagnostics/diagnostic.js";
import type { TrustModel } from "../ir/types.js";
import type { Version } from "../ir/versions.js";
import type { LoadResult } from "../load/result.js";
import type { SourceFile } from "../source/source-file.js";
import { parseTrust } from "../syntax/parse.js";
import { checkTrustFile } from "./checker.js";
import { CHECK_CODES } from "./codes.js";
import type { FileAccess } from "./key-files.js";
import { lowerTrustFile } from "./lower.js";

/** Options of `compileTrustSource`. */
export interface CompileTrustOptions {
  /** The containers/image version to compile for; overrides the file's `target`. */
  target?: Version;
  /** Whether a key file exists (default: the real file system). */
  fileExists?: (path: string) => boolean;
  /** A key file's bytes, or undefined when unreadable (default: the real file system). */
  readFile?: (path: string) => Uint8Array | undefined;
  /** Skip looking at key files altogether. */
  checkKeyFiles?: boolean;
}

/** The real file system, for key checks. */
export const nodeFileAccess: FileAccess = {
  fileExists: (p) => {
    try {
      return existsSync(p) && statSync(p).isFile();
    } catch {
      return false;
    }
  },
  readFile: (p) => {
    try {
      return readFileSync(p);
    } catch {
      return undefined;
    }
  },
};

/** Compile a .trust source to the IR: `value` is present exactly when there are no error diagnostics. */
export function compileTrustSource(source: SourceFile, options: CompileTrustOptions = {}): LoadResult<TrustModel> {
  // Only the AST and the diagnostics are kept: the tokens and the CST become garbage before checking starts
  // (fewer survivors for the GC to copy in a large compile).
  const { ast, diagnostics: syntax } = parseTrust(source);
  if (!ast) return { diagnostics: elideDiagnosticMessages(syntax) };
  const files: FileAccess | undefined =
    options.checkKeyFiles === false
      ? undefined
      : {
          fileExists: options.fileExists ?? nodeFileAccess.fileExists,
          readFile: options.readFile ?? (options.fileExists ? () => undefined : nodeFileAccess.readFile),
        };
  const checked = checkTrustFile(source, ast, {
    target: options.target,
    files,
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
