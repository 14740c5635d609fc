/**
 * Completion. For .trust sources the parser itself says what may come next (Chevrotain's syntactic content assist
 * over the statement being typed), so keywords follow the token set and grammar as they grow; where a name may
 * come, the names declared in the file of the kind the grammar wants there (levels, keys, identity rules) or the
 * transports. For policy.json, the members and `type` values valid in the object under the cursor.
 */
import type { CompletionItem, CompletionItemKind } from "vscode-languageserver";
import type { IToken, TokenType } from "chevrotain";
import { KNOWN_TARGETS } from "../ir/versions.js";
import { SIGNED_BY_KEY_TYPES } from "../ir/types.js";
import { KNOWN_TRANSPORTS } from "../reference/scopes.js";
import { SourceFile } from "../source/source-file.js";
import { lexTrust } from "../syntax/lexer.js";
import { trustParser } from "../syntax/parser.js";
import { Identifier, KEYWORD_TOKENS, LCurly, Name, RCurly, STATEMENT_KEYWORDS, StringLiteral } from "../syntax/tokens.js";
import { locate, readJsonOutline } from "./json-outline.js";
import { KEYWORD_DOCS } from "./keyword-docs.js";
import { POLICY_JSON_DOCS, allowedMembers, allowedValues, roleOf } from "./policy-json-keys.js";
import type { NameKind, TrustIndex } from "./trust-index.js";

const KIND: Record<string, CompletionItemKind> = { keyword: 14, level: 21, key: 20, identity: 6, transport: 9, value: 12, property: 10 };

function item(label: string, kind: keyof typeof KIND, detail?: string, doc?: string): CompletionItem {
  const c: CompletionItem = { label, kind: KIND[kind] };
  if (detail) c.detail = detail;
  if (doc) c.documentation = { kind: "markdown", value: doc };
  return c;
}

const keywordOf = new Map<TokenType, string>(KEYWORD_TOKENS.map((t) => [t, String(t.LABEL).slice(1, -1)]));

/** Where the statement being typed starts: the last token at brace depth 0 that begins a line and can start one. */
function statementStart(tokens: readonly IToken[], source: SourceFile): number {
  let depth = 0;
  let start = 0;
  let prevLine = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const line = source.position(t.startOffset).line;
    const first = line !== prevLine;
    prevLine = line;
    if (depth === 0 && first) {
      const kw = keywordOf.get(t.tokenType);
      if ((kw !== undefined && STATEMENT_KEYWORDS.includes(kw)) || tokens[i + 1]?.tokenType === LCurly) start = i;
    }
    if (t.tokenType === LCurly) depth++;
    else if (t.tokenType === RCurly) depth = Math.max(0, depth - 1);
  }
  return start;
}

/** The kind of name the grammar wants, from the rule it is in and the token before. */
function nameKindWanted(ruleStack: readonly string[], previous: IToken | undefined): NameKind | "transport" | "rekor" | "keytype" | undefined {
  const rule = ruleStack[ruleStack.length - 1];
  const prev = previous?.image;
  if (rule === "levelTerm" || rule === "levelBody") return "level";
  if (rule === "signedRequirement") return prev === "with" ? "rekor" : prev === "by" ? "key" : undefined;
  if (rule === "identitySpec") return "identity";
  if (rule === "transportBlock" || rule === "statement") return "transport";
  if (rule === "gpgKey") return prev === "keytype" ? "keytype" : undefined;
  return undefined;
}

/** Completion items for a .trust source at `offset`. */
export function trustCompletion(source: SourceFile, offset: number, index: TrustIndex | undefined): CompletionItem[] {
  // The word being typed is replaced by the item: complete from the tokens before it.
  let cut = offset;
  while (cut > 0 && /[A-Za-z0-9_-]/.test(source.text[cut - 1])) cut--;
  const before = new SourceFile(source.path, source.text.slice(0, cut));
  const tokens = lexTrust(before).tokens;
  // Inside a string or a comment nothing is offered.
  const lineText = before.lineText(before.lineCount);
  if (/#/.test(lineText.replace(/"(?:[^"\\]|\\.)*"/g, "")) || (lineText.match(/"/g)?.length ?? 0) % 2 === 1) return [];
  const start = statementStart(tokens, before);
  const statement = tokens.slice(start);
  const out = new Map<string, CompletionItem>();
  const add = (c: CompletionItem) => {
    if (!out.has(c.label)) out.set(c.label, c);
  };
  // The name being declared by this statement is no answer (a level or identity rule naming itself is a cycle).
  const declaring = statement.length > 1 && ["level", "identity"].includes(statement[0].image) ? statement[1].image : undefined;
  const names = (kind: NameKind, filter?: (statementKind: string) => boolean) => {
    for (const d of index?.declarations ?? []) {
      if (d.kind !== kind || d.name === declaring) continue;
      if (filter && d.statement.type === "key" && !filter(d.statement.spec.kind)) continue;
      add(item(d.name, kind, d.kind === "key" && d.statement.type === "key" ? `key (${d.statement.spec.kind})` : kind, "```trust\n" + source.text.slice(d.statement.span.start, d.statement.span.end) + "\n```"));
    }
  };
  let suggestions: ReturnType<typeof trustParser.computeContentAssist>;
  try {
    suggestions = statement.length ? trustParser.computeContentAssist("statement", statement) : [];
  } catch {
    suggestions = [];
  }
  // After a complete statement (or at the start of a file) the next statement may begin too.
  const atTop = statement.length === 0 || suggestions.length === 0 || tokens[tokens.length - 1]?.tokenType === RCurly || lineText.trim() === "";
  if (atTop && depthAt(tokens) === 0) {
    for (const k of STATEMENT_KEYWORDS) add(item(k, "keyword", "statement", KEYWORD_DOCS[k]));
    for (const t of KNOWN_TRANSPORTS) add(item(t, "transport", "transport block", `\`${t} { "scope" LEVEL }\``));
  }
  for (const s of suggestions) {
    const t = s.nextTokenType;
    const kw = keywordOf.get(t);
    if (kw !== undefined) {
      add(item(kw, "keyword", "keyword", KEYWORD_DOCS[kw]));
      continue;
    }
    if (t === Name || t === Identifier) {
      const want = nameKindWanted(s.ruleStack, statement[statement.length - 1]);
      if (want === "level") names("level");
      else if (want === "key") names("key", (k) => k !== "rekor");
      else if (want === "rekor") names("key", (k) => k === "rekor");
      else if (want === "identity") names("identity");
      else if (want === "transport") for (const tr of KNOWN_TRANSPORTS) add(item(tr, "transport", "transport"));
      else if (want === "keytype") for (const k of SIGNED_BY_KEY_TYPES) add(item(k, "value", "keyType"));
      continue;
    }
    if (t === StringLiteral && s.ruleStack[s.ruleStack.length - 1] === "targetDecl") {
      for (const v of KNOWN_TARGETS) add({ ...item(`"${v}"`, "value", "containers/image version"), sortText: v.padStart(6, "0") });
    }
  }
  return [...out.values()];
}

function depthAt(tokens: readonly IToken[]): number {
  let depth = 0;
  for (const t of tokens) {
    if (t.tokenType === LCurly) depth++;
    else if (t.tokenType === RCurly) depth = Math.max(0, depth - 1);
  }
  return depth;
}

/** Completion items for a policy.json at `offset`: member names, or values of `type` / `keyType`. */
export function policyJsonCompletion(source: SourceFile, offset: number): CompletionItem[] {
  const loc = locate(readJsonOutline(source.text), offset);
  const role = roleOf(loc.path);
  if (!role) return [];
  if (loc.inValue) {
    return allowedValues(role, loc.inValue.key).map((v) => item(v, "value", loc.inValue!.key, POLICY_JSON_DOCS[v]));
  }
  if (loc.container?.type !== "object") return [];
  const present = new Set(loc.container.members.filter((m) => m !== loc.key).map((m) => m.key));
  const kind = role === "transports" ? "transport" : "property";
  // Between members (not inside a key's quotes) the item brings its own quotes and colon.
  const bare = loc.key === undefined;
  return allowedMembers(role, loc.container)
    .filter((k) => !present.has(k))
    .map((k) => ({ ...item(k, kind, role, POLICY_JSON_DOCS[k]), ...(bare ? { insertText: `"${k}": ` } : {}) }));
}
