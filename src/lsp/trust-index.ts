/**
 * What the editor features need to know about a .trust source, read off its AST (src/syntax/parse.ts, recovered
 * trees included): every name declared (keys, identity rules, levels) and every place one is used, and the
 * statements as an outline.
 */
import type { DocumentSymbol, SymbolKind } from "vscode-languageserver";
import type { SourceFile, Span } from "../source/source-file.js";
import type * as A from "../syntax/ast.js";
import { parseTrust } from "../syntax/parse.js";
import { spanRange } from "./convert.js";

/** What a name names. */
export type NameKind = "key" | "identity" | "level";

/** A declaration: `key NAME …`, `identity NAME = …`, `level NAME = …`. */
export interface NameDeclaration {
  kind: NameKind;
  name: string;
  /** The name as written in the declaration. */
  span: Span;
  statement: A.KeyDecl | A.IdentityDecl | A.LevelDecl;
}

/** A use of a name, and what the grammar says it must be. */
export interface NameReference {
  kind: NameKind;
  name: string;
  span: Span;
}

/** The names of one .trust text. */
export interface TrustIndex {
  source: SourceFile;
  ast?: A.TrustFile;
  declarations: NameDeclaration[];
  references: NameReference[];
}

function identityRefs(spec: A.IdentitySpec | undefined, out: NameReference[]): void {
  if (spec?.kind === "named" && !spec.name.recovered) out.push({ kind: "identity", name: spec.name.name, span: spec.name.span });
}

function bodyRefs(body: A.LevelBody | undefined, out: NameReference[]): void {
  for (const t of body?.terms ?? []) {
    if (t.kind === "levelRef") {
      if (!t.name.recovered) out.push({ kind: "level", name: t.name.name, span: t.name.span });
      continue;
    }
    const r = t.requirement;
    if (r.kind === "signedBy") {
      if (!r.key.recovered) out.push({ kind: "key", name: r.key.name, span: r.key.span });
      if (r.rekor && !r.rekor.recovered) out.push({ kind: "key", name: r.rekor.name, span: r.rekor.span });
      identityRefs(r.identity, out);
    } else if (r.kind === "signedBaseLayer") identityRefs(r.identity, out);
  }
}

function entryRefs(entries: readonly A.ScopeEntry[], out: NameReference[]): void {
  for (const e of entries) {
    bodyRefs(e.body, out);
    entryRefs(e.children, out);
  }
}

/** Index a .trust source: parse it (with recovery) and collect declarations and references. */
export function indexTrust(source: SourceFile): TrustIndex {
  const { ast } = parseTrust(source);
  const declarations: NameDeclaration[] = [];
  const references: NameReference[] = [];
  for (const s of ast?.statements ?? []) {
    switch (s.type) {
      case "key":
      case "identity":
      case "level":
        if (!s.name.recovered) declarations.push({ kind: s.type, name: s.name.name, span: s.name.span, statement: s });
        if (s.type === "identity") identityRefs(s.spec, references);
        if (s.type === "level") bodyRefs(s.body, references);
        break;
      case "default":
        bodyRefs(s.body, references);
        break;
      case "transport":
        entryRefs(s.entries, references);
        break;
      case "approve":
        bodyRefs(s.body, references);
        break;
      default:
        break;
    }
  }
  return { source, ast, declarations, references };
}

/** The declaration or reference under `offset`. */
export function nameAt(index: TrustIndex, offset: number): { kind: NameKind; name: string; span: Span } | undefined {
  const inside = (s: Span) => s.start <= offset && offset <= s.end && s.end > s.start;
  return index.declarations.find((d) => inside(d.span)) ?? index.references.find((r) => inside(r.span));
}

/** The declaration of a name (the first, when it is declared twice). */
export function declarationOf(index: TrustIndex, name: string): NameDeclaration | undefined {
  return index.declarations.find((d) => d.name === name);
}

const SYMBOL: Record<string, SymbolKind> = { key: 20, identity: 13, level: 14, target: 7, default: 7, transport: 3, scope: 15, approve: 24, expect: 24, signatures: 2 };

function symbol(source: SourceFile, name: string, detail: string, kind: SymbolKind, span: Span, selection: Span, children?: DocumentSymbol[]): DocumentSymbol {
  const out: DocumentSymbol = { name: name === "" ? " " : name, detail, kind, range: spanRange(source, span), selectionRange: spanRange(source, selection) };
  if (children?.length) out.children = children;
  return out;
}

function scopeSymbols(source: SourceFile, entries: readonly A.ScopeEntry[]): DocumentSymbol[] {
  return entries.map((e) => {
    const sel = e.scope?.span ?? e.defaultSpan ?? e.span;
    const name = e.scope ? JSON.stringify(e.scope.value) : "default";
    const detail = source.text.slice(e.body.span.start, e.body.span.end);
    return symbol(source, name, detail, SYMBOL.scope, e.span, sel, scopeSymbols(source, e.children));
  });
}

/** The outline of a .trust source: one symbol per statement, scopes nested in their transport blocks. */
export function trustSymbols(index: TrustIndex): DocumentSymbol[] {
  const source = index.source;
  const out: DocumentSymbol[] = [];
  const body = (b: A.LevelBody | undefined) => (b ? source.text.slice(b.span.start, b.span.end) : "");
  for (const s of index.ast?.statements ?? []) {
    if (s.span.end <= s.span.start) continue;
    switch (s.type) {
      case "key":
        out.push(symbol(source, s.name.name, `key ${s.spec.kind}`, SYMBOL.key, s.span, s.name.span));
        break;
      case "identity":
        out.push(symbol(source, s.name.name, "identity", SYMBOL.identity, s.span, s.name.span));
        break;
      case "level":
        out.push(symbol(source, s.name.name, body(s.body), SYMBOL.level, s.span, s.name.span));
        break;
      case "target":
        out.push(symbol(source, "target", s.version.value, SYMBOL.target, s.span, s.span));
        break;
      case "default":
        out.push(symbol(source, "default", body(s.body), SYMBOL.default, s.span, s.span));
        break;
      case "transport": {
        const name = "name" in s.name ? s.name.name : s.name.value;
        out.push(symbol(source, name, "transport", SYMBOL.transport, s.span, s.name.span, scopeSymbols(source, s.entries)));
        break;
      }
      case "approve":
        out.push(symbol(source, s.reference.value, `approve: ${s.reason.value}`, SYMBOL.approve, s.span, s.reference.span));
        break;
      case "expect":
        out.push(symbol(source, s.reference.value, `expect ${s.verdict}`, SYMBOL.expect, s.span, s.reference.span));
        break;
      case "signatures": {
        const children = s.entries.map((e) =>
          symbol(source, e.scope ? JSON.stringify(e.scope.value) : "default", e.settings.map((x) => x.kind).join(", "), SYMBOL.scope, e.span, e.scope?.span ?? e.span),
        );
        out.push(symbol(source, s.file ? `signatures ${JSON.stringify(s.file.value)}` : "signatures", "registries.d", SYMBOL.signatures, s.span, s.span, children));
        break;
      }
    }
  }
  return out;
}
