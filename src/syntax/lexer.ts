/** Lexing .trust text into tokens, turning lexer errors into diagnostics (IT2000–IT2009). */
import type { IToken } from "chevrotain";
import { Lexer } from "./chevrotain.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../source/source-file.js";
import { ALL_TOKENS, UnterminatedString } from "./tokens.js";

/** Options of the lexer; `skipValidations` is off in TRUST_LEXER_VALIDATING_OPTIONS, which the tests use. */
export const TRUST_LEXER_OPTIONS = { positionTracking: "full", ensureOptimizations: false, skipValidations: true } as const;

/** The same lexer options with Chevrotain's token-definition validations on (for the tests). */
export const TRUST_LEXER_VALIDATING_OPTIONS = { ...TRUST_LEXER_OPTIONS, skipValidations: false } as const;

/**
 * The shared lexer instance (Chevrotain lexers are stateless between calls). Token-definition validations are
 * skipped (Chevrotain's production setting, ~20 ms of every process start); the tests run them.
 */
export const trustLexer = new Lexer(ALL_TOKENS, TRUST_LEXER_OPTIONS);

/** The tokens of a file plus its comments (for the formatter) and lexical diagnostics. */
export interface LexResult {
  tokens: IToken[];
  comments: IToken[];
  diagnostics: Diagnostic[];
  /** True when the input is not text at all (NUL bytes): nothing further should be done with it. */
  binary: boolean;
}

/** Diagnostic codes of the lexer. */
export const LEX_CODES = {
  binary: "IT2000",
  unterminatedString: "IT2001",
  unexpectedCharacter: "IT2002",
  invalidEscape: "IT2003",
} as const;

/** At most this many lexical errors are reported per file. */
export const MAX_LEX_ERRORS = 50;

/** Lex a whole file. Binary input (a NUL byte) gives one diagnostic and no tokens. */
export function lexTrust(source: SourceFile): LexResult {
  const text = source.text;
  const nul = text.indexOf("\0");
  if (nul >= 0) {
    return {
      tokens: [],
      comments: [],
      binary: true,
      diagnostics: [
        {
          code: LEX_CODES.binary,
          severity: "error",
          message: "This is not a text file (it contains NUL bytes); a .trust file is UTF-8 text.",
          span: source.span(nul, nul + 1),
        },
      ],
    };
  }
  const result = trustLexer.tokenize(text);
  const diagnostics: Diagnostic[] = [];
  // Merge runs of adjacent stray characters into one diagnostic.
  let last: Diagnostic | undefined;
  for (const e of result.errors) {
    const start = e.offset;
    const end = e.offset + Math.max(1, e.length);
    if (last && last.span && last.span.end === start) {
      last.span = source.span(last.span.start, end);
      continue;
    }
    const ch = text.slice(start, start + 1);
    const shown = /[\x00-\x1f\x7f]/.test(ch) ? `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}` : `'${ch}'`;
    last = {
      code: LEX_CODES.unexpectedCharacter,
      severity: "error",
      message: `Unexpected character ${shown}.`,
      span: source.span(start, end),
      hint: "Names are letters, digits, '_' and '-'; everything else (scopes, paths, URLs) goes in double quotes.",
    };
    diagnostics.push(last);
  }
  for (const t of result.tokens) {
    if (t.tokenType === UnterminatedString) {
      diagnostics.push({
        code: LEX_CODES.unterminatedString,
        severity: "error",
        message: "Unterminated string: a string must end with '\"' on the same line.",
        span: source.span(t.startOffset, t.endOffset! + 1),
        hint: "Close the string with '\"'; write a line break inside a string as \\n.",
      });
    }
  }
  diagnostics.sort((a, b) => a.span!.start - b.span!.start);
  if (diagnostics.length > MAX_LEX_ERRORS) diagnostics.length = MAX_LEX_ERRORS;
  return { tokens: result.tokens, comments: result.groups.comments ?? [], diagnostics, binary: false };
}
