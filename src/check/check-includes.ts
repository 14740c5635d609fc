/**
 * Includes: `include "common.trust"` joins another file's statements to the including one, at the place of the
 * include. Paths are relative to the including file and read through the Host (no Node built-ins here). A file
 * reached twice through different includes (a diamond) joins once; a file that includes itself, directly or not,
 * is an error at the include that closes the cycle, naming the include that opened it. Every included statement
 * keeps spans into its own file, so every later diagnostic (duplicate names and scopes across files included)
 * points into the right file with `related` locations in the other.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Host } from "../host/host.js";
import { errorCode } from "../host/host.js";
import { dirname, isAbsolute, join, normalize } from "../host/path.js";
import { SourceFile } from "../source/source-file.js";
import type * as A from "../syntax/ast.js";
import { parseTrust } from "../syntax/parse.js";
import { MODULE_CODES as M } from "./module-codes.js";

/** Includes nested deeper than this are refused (a cycle is caught earlier; this bounds honest chains). */
export const MAX_INCLUDE_DEPTH = 32;

/** Reads an included file's text; throws (HostError) when it cannot. */
export type IncludeReader = (path: string) => string;

/** What resolving the includes of one root file gives. */
export interface IncludeResult {
  /** The root's statements with every include replaced by the included file's statements (recursively). */
  statements: A.Statement[];
  /** Syntax and include diagnostics of the included files (the root's own syntax diagnostics are the caller's). */
  diagnostics: Diagnostic[];
  /** Every file read, root first, in the order they joined (for ordering diagnostics). */
  files: string[];
}

/** Whether a parsed file has any include (only then is anything read, so other sources behave as before). */
export function hasIncludes(file: A.TrustFile): boolean {
  return file.statements.some((s) => s.type === "include" || (s.type === "profile" && s.statements.some((x) => x.type === "include")));
}

/** An IncludeReader over the host's files (UTF-8, fatal on invalid bytes). */
export function hostIncludeReader(host: Host): IncludeReader {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  return (path) => {
    const bytes = host.files.readFile(path);
    return decoder.decode(bytes).replace(/^\uFEFF/, "");
  };
}

/** The path an include names, relative to the including file. */
export function includePath(from: string, written: string): string {
  return normalize(isAbsolute(written) ? written : join(dirname(from), written));
}

/** Replace includes by the included statements; report cycles, unreadable files and includes in profiles. */
export function resolveIncludes(root: SourceFile, rootAst: A.TrustFile, read: IncludeReader | undefined): IncludeResult {
  const diagnostics: Diagnostic[] = [];
  const files = [normalize(root.path)];
  const joined = new Set<string>([normalize(root.path)]);
  // The include chain from the root to the file being expanded: the include statements that led here.
  const chain: Array<{ file: string; via?: A.IncludeDecl }> = [{ file: normalize(root.path) }];

  const expand = (statements: A.Statement[], from: string): A.Statement[] => {
    const out: A.Statement[] = [];
    for (const s of statements) {
      if (s.type === "profile") {
        for (const inner of s.statements) {
          if (inner.type === "include") {
            diagnostics.push({ code: M.includeNotAllowedHere, severity: "error", message: "'include' belongs at the top level of a file, not inside a profile.", span: inner.span });
          }
        }
        out.push({ ...s, statements: s.statements.filter((x) => x.type !== "include") });
        continue;
      }
      if (s.type !== "include") {
        out.push(s);
        continue;
      }
      if (s.recovered || s.path.recovered) continue;
      const path = includePath(from, s.path.value);
      const open = chain.findIndex((c) => c.file === path);
      if (open >= 0) {
        const opener = chain[open].via;
        const cycle = [...chain.slice(open).map((c) => c.file), path];
        diagnostics.push({
          code: M.includeCycle,
          severity: "error",
          message: `Include cycle: ${cycle.map((f) => `"${baseName(f)}"`).join(" → ")}.`,
          span: s.path.span,
          ...(opener ? { related: [{ message: `"${baseName(path)}" is first included here`, span: opener.path.span }] } : {}),
          hint: "Move what both files need into a third file that both include.",
        });
        continue;
      }
      if (joined.has(path)) continue; // a diamond: the file already joined once
      if (chain.length > MAX_INCLUDE_DEPTH) {
        diagnostics.push({ code: M.includeTooDeep, severity: "error", message: `Includes are nested more than ${MAX_INCLUDE_DEPTH} files deep.`, span: s.span });
        continue;
      }
      let text: string;
      try {
        if (!read) throw new Error("no file system to read includes from");
        text = read(path);
      } catch (err) {
        const code = errorCode(err);
        const why =
          code === "ENOENT"
            ? "no such file"
            : code === "EISDIR"
              ? "it is a directory"
              : code === "EACCES"
                ? "permission denied"
                : err instanceof TypeError
                  ? "it is not UTF-8 text"
                  : err instanceof Error
                    ? err.message
                    : String(err);
        diagnostics.push({
          code: M.includeUnreadable,
          severity: "error",
          message: `Cannot read the included file "${s.path.value}": ${why}.`,
          span: s.path.span,
          hint: `Includes are relative to the including file: this one is read from ${path}.`,
        });
        continue;
      }
      joined.add(path);
      files.push(path);
      const parsed = parseTrust(new SourceFile(path, text));
      diagnostics.push(...parsed.diagnostics);
      if (!parsed.ast) continue;
      chain.push({ file: path, via: s });
      out.push(...expand(parsed.ast.statements, path));
      chain.pop();
    }
    return out;
  };

  const statements = expand(rootAst.statements, normalize(root.path));
  return { statements, diagnostics, files };
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** Order diagnostics by file (root first, then files in the order they joined), then by position. */
export function byFileThenPosition(files: readonly string[]): (a: Diagnostic, b: Diagnostic) => number {
  const rank = new Map(files.map((f, i) => [f, i]));
  const r = (d: Diagnostic) => (d.span ? (rank.get(normalize(d.span.file)) ?? files.length) : -1);
  return (a, b) => r(a) - r(b) || (a.span?.start ?? 0) - (b.span?.start ?? 0);
}
