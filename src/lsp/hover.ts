/**
 * Hovers: a diagnostic code → its catalogue page; a keyword or policy.json key → its meaning; a key, identity or
 * level name → its declaration; a scope → the references it decides and what they need (scope-explain.ts).
 */
import type { Hover } from "vscode-languageserver";
import { catalogueEntry } from "../diagnostics/catalogue/index.js";
import { renderEntryMarkdown } from "../diagnostics/catalogue/render.js";
import type { Host } from "../host/host.js";
import type { SourceFile } from "../source/source-file.js";
import { KEYWORDS } from "../syntax/tokens.js";
import type { Analysis } from "./analyze.js";
import { spanRange } from "./convert.js";
import { locate, readJsonOutline } from "./json-outline.js";
import { KEYWORD_DOCS } from "./keyword-docs.js";
import { POLICY_JSON_DOCS, roleOf } from "./policy-json-keys.js";
import { explainScope, scopeAt } from "./scope-explain.js";
import { declarationOf, nameAt, type TrustIndex } from "./trust-index.js";

/** The word (letters, digits, `-`, `_`) around `offset`, with its span. */
export function wordAt(text: string, offset: number): { word: string; start: number; end: number } | undefined {
  const isWord = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_-]/.test(c);
  let start = offset;
  while (start > 0 && isWord(text[start - 1])) start--;
  let end = offset;
  while (isWord(text[end])) end++;
  if (start === end) return undefined;
  return { word: text.slice(start, end), start, end };
}

/** A code's catalogue page as hover Markdown (without the HTML anchor docs/codes.md has). */
export function codeHoverMarkdown(code: string): string | undefined {
  const e = catalogueEntry(code);
  if (!e) return undefined;
  return renderEntryMarkdown(e, 3).split("\n").slice(1).join("\n").trim() + `\n\n\`imagetrust explain ${code}\``;
}

function markdown(value: string, source: SourceFile, span?: { start: number; end: number }): Hover {
  const h: Hover = { contents: { kind: "markdown", value } };
  if (span) h.range = spanRange(source, span);
  return h;
}

/** Everything a hover may need about the document. */
export interface HoverInput {
  source: SourceFile;
  analysis?: Analysis;
  /** For .trust sources. */
  index?: TrustIndex;
  host?: Pick<Host, "euid" | "home">;
}

function scopeHover(input: HoverInput, offset: number): Hover | undefined {
  const model = input.analysis?.model;
  const policy = model?.policy;
  if (!policy) return undefined;
  const hit = scopeAt(policy, input.source.path, offset);
  if (!hit) return undefined;
  const md = explainScope(policy, hit.transport, hit.entry, { registriesD: model.registriesD, host: input.host });
  return markdown(md, input.source, hit.entry.keyOrigin);
}

/** The hover of a .trust source at `offset`. */
export function trustHover(input: HoverInput, offset: number): Hover | undefined {
  const { source, index } = input;
  const w = wordAt(source.text, offset);
  if (w && /^IT\d{4}$/.test(w.word)) {
    const md = codeHoverMarkdown(w.word);
    if (md) return markdown(md, source, w);
  }
  const name = index ? nameAt(index, offset) : undefined;
  if (name && index) {
    const decl = declarationOf(index, name.name);
    if (!decl) return markdown(`\`${name.name}\`: no ${name.kind} of this name is declared in this file.`, source, name.span);
    const text = source.text.slice(decl.statement.span.start, decl.statement.span.end);
    const line = source.position(decl.span.start).line;
    return markdown(`**${decl.kind} \`${decl.name}\`** (line ${line})\n\n\`\`\`trust\n${text}\n\`\`\``, source, name.span);
  }
  const scope = scopeHover(input, offset);
  if (scope) return scope;
  const block = index?.ast?.statements.find((s) => s.type === "transport" && s.name.span.start <= offset && offset <= s.name.span.end);
  if (block?.type === "transport") {
    const name = "name" in block.name ? block.name.name : block.name.value;
    const hasDefault = block.entries.some((e) => e.scope === undefined);
    const md =
      `**transport \`${name}\`** — \`transports.${name}\` in policy.json: for a \`${name}:\` reference the most specific matching scope decides ` +
      `(containers/image \`requirementsForImageRef\`: the identity, then its namespaces), ` +
      (hasDefault ? "else this block's `default`." : "else, with no `default` in this block, the global default.");
    return markdown(md, source, block.name.span);
  }
  if (w && KEYWORDS.includes(w.word) && KEYWORD_DOCS[w.word]) return markdown(KEYWORD_DOCS[w.word], source, w);
  return undefined;
}

/** The hover of a policy.json at `offset`. */
export function policyJsonHover(input: HoverInput, offset: number): Hover | undefined {
  const { source } = input;
  const loc = locate(readJsonOutline(source.text), offset);
  const role = roleOf(loc.path);
  if (loc.key) {
    const span = { start: loc.key.keyStart, end: loc.key.keyEnd };
    if (role === "scopes") return scopeHover(input, offset) ?? markdown(`Scope \`${loc.key.key}\` of transport \`${loc.path[1]}\`.`, source, span);
    if (role === "transports") return markdown(`\`${loc.key.key}\` — the scopes of the \`${loc.key.key}\` transport; the most specific matching scope decides.`, source, span);
    const doc = role ? POLICY_JSON_DOCS[loc.key.key] : undefined;
    if (doc) return markdown(doc, source, span);
  }
  if (loc.inValue?.value?.type === "string") {
    const v = loc.inValue.value;
    const doc = POLICY_JSON_DOCS[v.value];
    if (doc && (loc.inValue.key === "type" || loc.inValue.key === "keyType")) return markdown(doc, source, v);
  }
  return undefined;
}

/** The hover of any other document (registries.d, registries.conf): codes in comments only. */
export function plainHover(source: SourceFile, offset: number): Hover | undefined {
  const w = wordAt(source.text, offset);
  if (w && /^IT\d{4}$/.test(w.word)) {
    const md = codeHoverMarkdown(w.word);
    if (md) return markdown(md, source, w);
  }
  return undefined;
}
