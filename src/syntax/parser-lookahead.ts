/** The parser's gates that look ahead beyond one rule (parser.ts): where a statement starts, where a block goes on. */
import type { IToken } from "chevrotain";
import { EOF, tokenMatcher } from "./chevrotain.js";
import * as T from "./tokens.js";

/** The token `i` places ahead (1 = the next one), as the parser's `LA`. */
export type LookAhead = (i: number) => IToken;

/** Whether a statement starts at the token ahead: a statement keyword, or a name followed by `{` / `enforced-by`. */
export function startsStatement(la: LookAhead): boolean {
  const t = la(1).tokenType;
  if (T.STATEMENT_KEYWORDS.includes(String(t.LABEL).slice(1, -1)) && t !== T.Name && t !== T.Identifier) return true;
  return (la(2).tokenType === T.LCurly || la(2).tokenType === T.EnforcedBy) && tokenMatcher(la(1), T.Name);
}

/**
 * Whether the block goes on at the word ahead (an entry, or a misplaced word inside it) rather than ending at
 * a statement after a block that lacks its `}`: any word but a statement keyword goes on; a statement keyword
 * (other than `default`) does when a later `}` (braces in between balanced) closes the block before the end
 * of the file.
 */
export function staysInBlock(la: LookAhead): boolean {
  const first = la(1).tokenType;
  const word = String(first.LABEL ?? "").slice(1, -1);
  if (!T.STATEMENT_KEYWORDS.includes(word) || word === "default" || first === T.Identifier) return true;
  let depth = 0;
  for (let i = 2; i < 100_000; i++) {
    const t = la(i).tokenType;
    if (t === T.LCurly) depth++;
    else if (t === T.RCurly && --depth < 0) return true;
    else if (t === EOF) return false;
  }
  return false;
}
