/**
 * The TextMate grammar of the trust language (syntaxes/trust.tmLanguage.json), generated from the Chevrotain token
 * set (src/syntax/tokens.ts): every keyword the lexer knows is in it, in one of a few scope classes, so the grammar
 * follows the language as it grows. `npm run vsix` writes it; test/editors/ checks that the file is current and
 * that its scopes agree with the lexer on the examples.
 */
import { KNOWN_TRANSPORTS } from "../../../src/reference/scopes.js";
import { KEYWORDS, STATEMENT_KEYWORDS } from "../../../src/syntax/tokens.js";

/** Keywords that are whole requirements (`accept`, `reject`) or start one (`signed`). */
const REQUIREMENT_WORDS = ["accept", "reject", "signed"];
/** Keywords that join terms. */
const OPERATOR_WORDS = ["and", "plus"];
/** signedIdentity rules. */
const IDENTITY_WORDS = ["exact", "repo-digest-or-exact", "repository", "exact-reference", "exact-repository", "remap"];

/** The scope class of each keyword (every keyword of the token set has one). */
export function keywordScopes(): Map<string, string> {
  const out = new Map<string, string>();
  for (const k of KEYWORDS) {
    const scope = STATEMENT_KEYWORDS.includes(k)
      ? "keyword.control.statement.trust"
      : REQUIREMENT_WORDS.includes(k)
        ? "keyword.other.requirement.trust"
        : OPERATOR_WORDS.includes(k)
          ? "keyword.operator.word.trust"
          : IDENTITY_WORDS.includes(k)
            ? "keyword.other.identity.trust"
            : "keyword.other.trust";
    out.set(k, scope);
  }
  return out;
}

const escape = (w: string) => w.replace(/[-]/g, "\\-");
/** Longest first, so that no word is cut short by one of its prefixes. */
const alternation = (words: readonly string[]) => [...words].sort((a, b) => b.length - a.length || a.localeCompare(b)).map(escape).join("|");
/** A whole word of the language: names may contain `-`, so `-` is a word character here. */
const word = (words: readonly string[]) => `(?<![A-Za-z0-9_-])(?:${alternation(words)})(?![A-Za-z0-9_-])`;

/** The grammar as a JSON value. */
export function trustGrammar(): Record<string, unknown> {
  const byScope = new Map<string, string[]>();
  for (const [k, scope] of keywordScopes()) byScope.set(scope, [...(byScope.get(scope) ?? []), k]);
  const keywordPatterns = [...byScope].map(([scope, words]) => ({ name: scope, match: word(words) }));
  return {
    $schema: "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
    name: "imagetrust",
    scopeName: "source.trust",
    fileTypes: ["trust"],
    comment: "Generated from src/syntax/tokens.ts by editors/vscode/build/grammar.mts (npm run vsix); do not edit.",
    patterns: [
      { include: "#comment" },
      { include: "#string" },
      { include: "#declaration" },
      { include: "#transport" },
      { include: "#keyword" },
      { include: "#punctuation" },
      { include: "#name" },
    ],
    repository: {
      comment: {
        name: "comment.line.number-sign.trust",
        begin: "#",
        end: "$",
        patterns: [
          { name: "keyword.other.directive.suppression.trust", match: "(?<![A-Za-z0-9_-])imagetrust-ignore(?![A-Za-z0-9_-])" },
          { name: "constant.other.diagnostic-code.trust", match: "\\bIT[0-9]{4}\\b" },
        ],
      },
      string: {
        name: "string.quoted.double.trust",
        begin: '"',
        end: '"|$',
        patterns: [{ name: "constant.character.escape.trust", match: "\\\\." }],
      },
      declaration: {
        comment: "key NAME, identity NAME =, level NAME = at the start of a statement",
        match: "^\\s*(key|identity|level)\\s+([A-Za-z_][A-Za-z0-9_-]*)",
        captures: { 1: { name: "keyword.control.statement.trust" }, 2: { name: "entity.name.type.$1.trust" } },
      },
      transport: {
        comment: "a transport block: NAME { at the start of a line (a level name before { opens child scopes instead)",
        match: `^\\s*(?!(?:${alternation(KEYWORDS)})(?![A-Za-z0-9_-]))(${alternation(KNOWN_TRANSPORTS)}|[A-Za-z_][A-Za-z0-9_-]*)(?=\\s*\\{)`,
        captures: { 1: { name: "entity.name.namespace.transport.trust" } },
      },
      keyword: { patterns: keywordPatterns },
      punctuation: {
        patterns: [
          { name: "punctuation.section.block.begin.trust", match: "\\{" },
          { name: "punctuation.section.block.end.trust", match: "\\}" },
          { name: "keyword.operator.assignment.trust", match: "=" },
        ],
      },
      name: { name: "variable.other.name.trust", match: "[A-Za-z_][A-Za-z0-9_-]*" },
    },
  };
}

/** The grammar file's text. */
export function trustGrammarText(): string {
  return JSON.stringify(trustGrammar(), null, 2) + "\n";
}
