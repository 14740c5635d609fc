/**
 * Chevrotain, taken from the single-file ESM build the package ships (lib/chevrotain.mjs) rather than from its
 * entry point (lib/src/api.js). The entry point imports lodash-es, which Node loads as ~640 separate modules:
 * 0.5–0.8 s of every process start (measured: importing api.js 769 ms, chevrotain.mjs 20 ms). The bundle is the
 * same release built into one file. Every module takes Chevrotain's values from here, never from "chevrotain"
 * directly: token type indexes are counted per copy, so tokens of one copy must not meet a lexer of another.
 * Types may still be imported from "chevrotain" with `import type` (they describe both copies).
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type * as Chevrotain from "chevrotain";

async function loadChevrotain(): Promise<typeof Chevrotain> {
  try {
    // "chevrotain" resolves to <package>/lib/src/api.js; the bundle sits in <package>/lib/.
    const entry = createRequire(import.meta.url).resolve("chevrotain");
    const bundle = join(dirname(dirname(entry)), "chevrotain.mjs");
    if (existsSync(bundle)) return (await import(pathToFileURL(bundle).href)) as typeof Chevrotain;
  } catch {
    // An unusual install layout: fall back to the entry point (slower start, same behaviour).
  }
  return await import("chevrotain");
}

const chevrotain = await loadChevrotain();

/** Chevrotain's `createToken`. */
export const createToken = chevrotain.createToken;
/** Chevrotain's `Lexer` class. */
export const Lexer = chevrotain.Lexer;
/** Chevrotain's `Lexer` instance type. */
export type Lexer = Chevrotain.Lexer;
/** Chevrotain's `CstParser` base class. */
export const CstParser = chevrotain.CstParser;
/** Chevrotain's `CstParser` instance type. */
export type CstParser = Chevrotain.CstParser;
/** Chevrotain's `tokenMatcher` (token categories included). */
export const tokenMatcher = chevrotain.tokenMatcher;
/** Chevrotain's end-of-input token type. */
export const EOF = chevrotain.EOF;
/** Chevrotain's railroad-diagram HTML generator. */
export const createSyntaxDiagramsCode = chevrotain.createSyntaxDiagramsCode;
/** Chevrotain's release, for diagnostics of the toolchain itself. */
export const VERSION = chevrotain.VERSION;
