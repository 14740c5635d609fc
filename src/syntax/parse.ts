/**
 * Text → AST in one call: lexing, parsing with recovery, CST → AST. Lexer and parser errors become
 * diagnostics IT2000–IT2099 with spans; a partial AST is returned even when there are errors.
 */
import type { CstNode, IRecognitionException, IToken, TokenType } from "chevrotain";
import { EOF } from "./chevrotain.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { suggestionList } from "../diagnostics/did-you-mean.js";
import type { SourceFile } from "../source/source-file.js";
import type { TrustFile } from "./ast.js";
import { cstToAst } from "./cst-to-ast.js";
import { lexTrust } from "./lexer.js";
import { parseTokens } from "./parser.js";
import { KEYWORDS, SOFT_KEYWORDS, STATEMENT_KEYWORDS } from "./tokens.js";
import { ALL_TOKENS, Identifier, Name, LCurly, RCurly, StringLiteral, UnterminatedString } from "./tokens.js";
import type { DiagnosticCode } from "../diagnostics/catalogue/index.js";

/** Diagnostic codes of the parser. */
export const PARSE_CODES = {
  mismatchedToken: "IT2010",
  noViableAlternative: "IT2011",
  expectedAtLeastOne: "IT2012",
  unexpectedInput: "IT2013",
  nestingTooDeep: "IT2014",
  tooManyErrors: "IT2015",
  tooLarge: "IT2016",
  /** A reserved keyword where a name is expected (issue 16; band src/diagnostics/catalogue/modules.ts). */
  reservedWord: "IT2260",
} as const;

/** What each rule names when it wants a name, for IT2260 ("cannot name a level"). */
const NAMED_THING: Record<string, string> = {
  keyDecl: "a key",
  identityDecl: "an identity rule",
  levelDecl: "a level",
  profileBlock: "a profile",
};

/** Larger sources are refused (a real trust description is a few kilobytes; 10,000 scopes are about 600 KB). */
export const MAX_SOURCE_LENGTH = 5 * 1024 * 1024;

/** Deeper brace nesting than this is refused before parsing (the parser is recursive). */
export const MAX_NESTING = 100;
/** At most this many syntax errors are reported per file. */
export const MAX_SYNTAX_ERRORS = 50;

/** What parsing a .trust file gives. */
export interface ParseResult {
  /** The AST, possibly partial; absent only for binary or absurdly nested input. */
  ast?: TrustFile;
  cst?: CstNode;
  tokens: IToken[];
  comments: IToken[];
  diagnostics: Diagnostic[];
}

/** What people call each grammar rule in messages. */
const RULE_WORDS: Record<string, string> = {
  file: "a statement",
  statement: "a statement (target, key, identity, level, default, a transport block, approve, expect or signatures)",
  keySpec: "a key kind (gpg, sigstore, fulcio, pki or rekor)",
  keySource: "where the key is (file, files, data or datas)",
  fulcioClause: "a fulcio clause (ca, issuer or email)",
  pkiClause: "a pki clause (roots, intermediates, email or hostname)",
  identitySpec: "an identity rule (exact, repo-digest-or-exact, repository, exact-reference, exact-repository, remap or a name)",
  levelBody: "a requirement (accept, reject, signed …) or a level name",
  levelTerm: "a requirement (accept, reject, signed …) or a level name",
  requirement: "a requirement (accept, reject or signed …)",
  signedRequirement: "'by' or 'base layer'",
  transportBlock: "a transport name",
  scopeEntry: "a scope string or 'default'",
  storageEntry: "a scope string or 'default'",
  storageSetting: "a storage setting (lookaside, staging, sigstore, sigstore-staging, attachments or no attachments)",
  expectDecl: "'allow' or 'deny'",
};

function label(t: TokenType): string {
  if (t === StringLiteral || t === UnterminatedString) return "a string";
  if (t === Identifier || t === Name) return "a name";
  if (t === EOF) return "the end of the file";
  return String(t.LABEL ?? t.name);
}

function describe(t: IToken): string {
  if (t.tokenType === EOF) return "the end of the file";
  if (t.tokenType === StringLiteral || t.tokenType === UnterminatedString) {
    const s = t.image.length > 40 ? t.image.slice(0, 37) + "…" : t.image;
    return `the string ${s}`;
  }
  if (t.tokenType === Identifier) return `the name '${t.image}'`;
  if (SOFT_KEYWORDS.includes(t.image)) return `'${t.image}'`;
  if (t.tokenType === LCurly || t.tokenType === RCurly) return `'${t.image}'`;
  return `the keyword '${t.image}'`;
}

function firstTokensOf(paths: TokenType[][][]): TokenType[] {
  const seen = new Set<TokenType>();
  for (const alt of paths) for (const path of alt) if (path[0]) seen.add(path[0]);
  return [...seen];
}

/** Lex and parse a .trust file into an AST plus syntax diagnostics. */
export function parseTrust(source: SourceFile): ParseResult {
  if (source.text.length > MAX_SOURCE_LENGTH) {
    return {
      tokens: [],
      comments: [],
      diagnostics: [
        {
          code: PARSE_CODES.tooLarge,
          severity: "error",
          message: `This file is ${(source.text.length / 1048576).toFixed(1)} MB; .trust files larger than ${MAX_SOURCE_LENGTH / 1048576} MB are not read.`,
          span: source.span(0, 0),
          hint: "Split the description, or generate policy.json directly for policies this large.",
        },
      ],
    };
  }
  const lexed = lexTrust(source);
  if (lexed.binary) return { tokens: [], comments: [], diagnostics: lexed.diagnostics };
  const diagnostics = [...lexed.diagnostics];

  let depth = 0;
  for (const t of lexed.tokens) {
    if (t.tokenType === LCurly && ++depth > MAX_NESTING) {
      diagnostics.push({
        code: PARSE_CODES.nestingTooDeep,
        severity: "error",
        message: `Braces are nested more than ${MAX_NESTING} deep; this file is not parsed further.`,
        span: source.span(t.startOffset, t.startOffset + 1),
      });
      return { tokens: lexed.tokens, comments: lexed.comments, diagnostics };
    }
    if (t.tokenType === RCurly) depth = Math.max(0, depth - 1);
  }

  const { cst, errors, aborted } = parseTokens(lexed.tokens);
  const junk: Junk[] = [];
  const reserved: Junk[] = [];
  if (cst) blockJunk(cst, junk, reserved);
  diagnostics.push(...syntaxDiagnostics(source, lexed.tokens, [...errors, ...strayErrors(lexed.tokens, cst, junk)]));
  diagnostics.push(...reserved.map(({ token: t, rule }) => reservedNameDiagnostic(source, t, rule)));
  if (aborted || !cst) {
    const last = diagnostics[diagnostics.length - 1]?.span ?? source.span(0, 0);
    diagnostics.push({
      code: PARSE_CODES.tooManyErrors,
      severity: "error",
      message: `More than ${MAX_SYNTAX_ERRORS} syntax errors; parsing stopped here.`,
      span: last,
    });
    return { tokens: lexed.tokens, comments: lexed.comments, diagnostics };
  }
  const built = cstToAst(source, cst);
  diagnostics.push(...built.diagnostics);
  return { ast: built.ast, cst, tokens: lexed.tokens, comments: lexed.comments, diagnostics };
}

/** Syntax errors fewer than this many tokens after a reported one are not reported. */
const ECHO_DISTANCE = 4;

/** Index of the first token starting at or after `offset`. */
function tokenIndex(tokens: IToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].startOffset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A token of a CST with the rule it was consumed in. */
interface Junk {
  token: IToken;
  rule: string;
}

/**
 * Misplaced words consumed inside `{ … }` blocks (T.BlockJunk), and reserved keywords taken as names, with the rule
 * of the block: one walk of the CST for both (a 10,000-scope program has ~100,000 CST nodes).
 */
function blockJunk(node: CstNode, out: Junk[], reserved: Junk[]): void {
  const children = node.children;
  for (const key in children) {
    const list = children[key];
    if (key === "BlockJunk" || key === "Reserved") {
      for (const c of list) if (!("children" in c)) (key === "BlockJunk" ? out : reserved).push({ token: c, rule: node.name });
    } else if (list.length > 0 && "children" in list[0]) {
      for (const c of list) if ("children" in c) blockJunk(c, out, reserved);
    }
  }
}

/** IT2260 for a reserved keyword the parser took as the name of a key, identity, level or profile. */

function reservedNameDiagnostic(source: SourceFile, t: IToken, rule: string): Diagnostic {
  const thing = NAMED_THING[rule];
  return {
    code: PARSE_CODES.reservedWord,
    severity: "error",
    message: thing ? `'${t.image}' is a reserved keyword and cannot name ${thing}.` : `'${t.image}' is a reserved keyword and cannot be a name here.`,
    span: source.span(t.startOffset, t.endOffset! + 1),
    hint: `Rename it, for instance '${t.image}-${thing ? thing.split(" ").pop()!.replace("rule", "identity") : "name"}'; the README lists the reserved keywords.`,
  };
}

/**
 * Tokens the `file` rule consumed as strays, and words consumed as misplaced inside blocks: one pseudo-error
 * per run of adjacent ones. A run inside a block is reported as the block's parser reported it before such
 * words were consumed ("Expected '}' but found …"), with the same did-you-mean.
 */
function strayErrors(tokens: IToken[], cst: CstNode | undefined, junk: Junk[]): IRecognitionException[] {
  const found: Junk[] = [...((cst?.children.Stray ?? []) as IToken[]).map((token) => ({ token, rule: "file" })), ...junk];
  const strays = found.filter((s) => Number.isFinite(s.token.startOffset)).sort((a, b) => a.token.startOffset - b.token.startOffset);
  const out: IRecognitionException[] = [];
  let prev = -2;
  for (const { token: t, rule } of strays) {
    const i = tokenIndex(tokens, t.startOffset);
    if (i !== prev + 1) {
      out.push(
        rule === "file"
          ? { name: "StrayToken", message: "", token: t, resyncedTokens: [], context: { ruleStack: ["file"], ruleOccurrenceStack: [] } }
          : { name: "MismatchedTokenException", message: "Expecting token of type --> RCurly <-- but found", token: t, resyncedTokens: [], context: { ruleStack: [rule], ruleOccurrenceStack: [] } },
      );
    }
    prev = i;
  }
  return out;
}

function syntaxDiagnostics(source: SourceFile, tokens: IToken[], unsorted: IRecognitionException[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const offsetOf = (e: IRecognitionException) => (Number.isFinite(e.token.startOffset) ? e.token.startOffset : Infinity);
  const errors = [...unsorted].sort((a, b) => offsetOf(a) - offsetOf(b));
  const lastEnd = tokens.length ? tokens[tokens.length - 1].endOffset! + 1 : source.text.length;
  const seen = new Set<number>();
  let lastLine = -1;
  let lastIndex = -Infinity;
  for (const e of errors) {
    const t = e.token;
    const real = Number.isFinite(t.startOffset) && t.tokenType !== EOF;
    const start = real ? t.startOffset : lastEnd;
    const end = real ? t.endOffset! + 1 : lastEnd;
    if (seen.has(start)) continue; // one error per position: recovery often reports the same spot twice
    seen.add(start);
    // Errors right after another (same line, or within a few tokens) are nearly always its echo while
    // the parser resynchronises.
    const line = source.position(start).line;
    const index = tokenIndex(tokens, start);
    if (line === lastLine || index - lastIndex < ECHO_DISTANCE) continue;
    lastLine = line;
    lastIndex = index;
    if (out.length >= MAX_SYNTAX_ERRORS) {
      out.push({
        code: PARSE_CODES.tooManyErrors,
        severity: "error",
        message: `More than ${MAX_SYNTAX_ERRORS} syntax errors; the rest are not reported.`,
        span: source.span(start, end),
      });
      break;
    }
    const rule = e.context?.ruleStack?.[e.context.ruleStack.length - 1] ?? "file";
    const found = describe(t);
    let code: DiagnosticCode = PARSE_CODES.mismatchedToken;
    let message: string;
    let hint: string | undefined;
    const expectedTypes: TokenType[] = [];
    switch (e.name) {
      case "MismatchedTokenException": {
        // Chevrotain's message names the expected token; rebuild it in our words.
        const m = /-->\s*(.+?)\s*<--/.exec(e.message);
        const byName = ALL_TOKENS.find((x) => x.name === m?.[1] || x.LABEL === m?.[1]);
        const want = byName ? label(byName) : (m?.[1] ?? "something else");
        message = `Expected ${want} but found ${found}.`;
        // A reserved keyword where a name belongs (`signed by exact`): say so, with a rename hint.
        if (byName === Name && t.tokenType !== Identifier && KEYWORDS.includes(t.image) && !SOFT_KEYWORDS.includes(t.image)) {
          const d = reservedNameDiagnostic(source, t, rule);
          code = d.code;
          message = d.message;
          hint = d.hint;
        }
        break;
      }
      case "NoViableAltException":
        if (NAMED_THING[rule]) {
          // The name of a key, identity, level or profile (a name, or a reserved keyword taken to report it once).
          message = `Expected a name but found ${found}.`;
          break;
        }
        code = PARSE_CODES.noViableAlternative;
        message = `Expected ${RULE_WORDS[rule] ?? rule} but found ${found}.`;
        break;
      case "EarlyExitException":
        code = PARSE_CODES.expectedAtLeastOne;
        message = `Expected ${RULE_WORDS[rule] ?? "at least one more item"} but found ${found}.`;
        break;
      default:
        code = PARSE_CODES.unexpectedInput;
        message = `Expected ${RULE_WORDS.statement} but found ${found}.`;
    }
    const ctx = e.context as unknown as { expectedPathsPerAlt?: TokenType[][][] } | undefined;
    if (ctx?.expectedPathsPerAlt) expectedTypes.push(...firstTokensOf(ctx.expectedPathsPerAlt));
    if (t.tokenType === Identifier) {
      // A misspelt keyword is a name to the lexer: suggest the keyword the parser wanted, or any keyword.
      const words = expectedTypes.length
        ? expectedTypes.map((x) => String(x.LABEL ?? "")).filter((l) => l.startsWith("'")).map((l) => l.slice(1, -1))
        : rule === "file" || rule === "statement"
          ? [...STATEMENT_KEYWORDS]
          : ((RULE_WORDS[rule] ?? "").match(/[a-z][a-z-]+/g) ?? []);
      const s = suggestionList(t.image, words);
      if (s.length) hint = `Did you mean '${s[0]}'?`;
      // A misspelt keyword where the grammar could only close a block (`"a.example" lookasid "…"`): the parser
      // wanted '}', but the word is plainly a keyword; say which, so the typo is reported first for what it is.
      else if (words.length === 0 || words.every((w) => !/^[a-z]/.test(w))) {
        const k = suggestionList(t.image, KEYWORDS.filter((w) => w.length > 3));
        if (k.length) hint = `Did you mean '${k[0]}'?`;
      }
    }
    out.push({ code, severity: "error", message, span: source.span(start, end), ...(hint ? { hint } : {}) });
  }
  return out;
}
