/**
 * What the architecture tests read from src/: every .ts file, its module references (static and dynamic imports,
 * re-exports, require calls) and its reads of Node globals, found by TypeScript's own parser so that comments,
 * strings and `import type` are told apart exactly.
 */
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** The repository root (absolute, no trailing slash). */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** src/ (absolute). */
export const SRC = path.join(REPO, "src");

/** How a module is referenced. */
export type ReferenceKind = "import" | "export-from" | "dynamic-import" | "require";

/** One module reference of a source file. */
export interface ModuleReference {
  specifier: string;
  kind: ReferenceKind;
  /** `import type` / `export type` (or every named binding marked `type`): erased, no runtime edge. */
  typeOnly: boolean;
  /** 1-based line of the statement or call. */
  line: number;
}

/** A read of a Node global (`process`, `Buffer`, `__dirname`, …) outside comments and strings. */
export interface GlobalRead {
  name: string;
  line: number;
}

/** One parsed source file. */
export interface SourceInfo {
  /** Path relative to the repository, with forward slashes (e.g. `src/load/policy-json.ts`). */
  file: string;
  lines: number;
  references: ModuleReference[];
  globals: GlobalRead[];
}

/** Globals that exist in Node only (a browser has none of them). */
export const NODE_GLOBALS = new Set(["process", "Buffer", "global", "__dirname", "__filename", "require", "module", "setImmediate"]);

/** Every src/**\/*.ts file (declaration files excluded), relative to the repository, sorted. */
export function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(path.relative(REPO, p).split(path.sep).join("/"));
    }
  };
  walk(SRC);
  return out.sort();
}

/** True when `specifier` names a Node built-in module (`node:…`, or a bare name such as `fs` or `fs/promises`). */
export function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith("node:") || builtinModules.includes(specifier);
}

/** The built-in's name without the `node:` prefix (`node:fs/promises` → `fs/promises`). */
export function builtinName(specifier: string): string {
  return specifier.replace(/^node:/, "");
}

/** Whether an Identifier named like a global is a read of that global (not a property name or a declaration). */
function isGlobalRead(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p) || ts.isMethodDeclaration(p) || ts.isMethodSignature(p)) && p.name === id) return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isClassDeclaration(p) || ts.isBindingElement(p)) && p.name === id) return false;
  if (ts.isImportSpecifier(p) || ts.isExportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p)) return false;
  if (ts.isQualifiedName(p) || ts.isTypeReferenceNode(p) || ts.isLabeledStatement(p) || ts.isEnumMember(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p)) return false;
  return true;
}

/** Parse one file (path relative to the repository). */
export function readSource(file: string): SourceInfo {
  const text = readFileSync(path.join(REPO, file), "utf8");
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const references: ModuleReference[] = [];
  const globals: GlobalRead[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const c = n.importClause;
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings : undefined;
      const typeOnly = !!c && (c.isTypeOnly || (!c.name && !!named && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly)));
      references.push({ specifier: n.moduleSpecifier.text, kind: "import", typeOnly, line: lineOf(n) });
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      const ec = n.exportClause;
      const typeOnly = n.isTypeOnly || (!!ec && ts.isNamedExports(ec) && ec.elements.length > 0 && ec.elements.every((e) => e.isTypeOnly));
      references.push({ specifier: n.moduleSpecifier.text, kind: "export-from", typeOnly, line: lineOf(n) });
    } else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference) && ts.isStringLiteral(n.moduleReference.expression)) {
      references.push({ specifier: n.moduleReference.expression.text, kind: "require", typeOnly: n.isTypeOnly, line: lineOf(n) });
    } else if (ts.isCallExpression(n) && n.arguments.length > 0 && ts.isStringLiteralLike(n.arguments[0])) {
      const arg = n.arguments[0].text;
      if (n.expression.kind === ts.SyntaxKind.ImportKeyword) references.push({ specifier: arg, kind: "dynamic-import", typeOnly: false, line: lineOf(n) });
      else if (ts.isIdentifier(n.expression) && n.expression.text === "require") references.push({ specifier: arg, kind: "require", typeOnly: false, line: lineOf(n) });
    }
    if (ts.isIdentifier(n) && NODE_GLOBALS.has(n.text) && isGlobalRead(n)) globals.push({ name: n.text, line: lineOf(n) });
    // `globalThis.process`, `globalThis["Buffer"]`
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === "globalThis" && NODE_GLOBALS.has(n.name.text)) {
      globals.push({ name: n.name.text, line: lineOf(n) });
    }
    // Types (`NodeJS.ProcessEnv`, `typeof import("node:fs")`) are erased: nothing in them runs.
    if (ts.isTypeNode(n) && !ts.isExpressionWithTypeArguments(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const lines = text.length === 0 ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  return { file, lines, references, globals };
}

/** Every source file, parsed. */
export function readAllSources(): SourceInfo[] {
  return sourceFiles().map(readSource);
}

/** The file a relative specifier of `from` names (`./x.js` → `src/…/x.ts`), or undefined when it is no source file. */
export function resolveRelative(from: string, specifier: string, known: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const stem = base.replace(/\.(js|mjs|ts)$/, "");
  for (const c of [stem + ".ts", base, stem + "/index.ts"]) if (known.has(c)) return c;
  return undefined;
}
