/**
 * Chevrotain, taken from the single-file ESM build the package ships (lib/chevrotain.mjs) rather than from its
 * entry point (lib/src/api.js). The entry point imports lodash-es, which Node loads as ~640 separate modules:
 * 0.5–0.8 s of every process start (measured: importing api.js 769 ms, chevrotain.mjs 20 ms). The bundle is the
 * same release built into one file. Every module takes Chevrotain's values from here, never from "chevrotain"
 * directly: token type indexes are counted per copy, so tokens of one copy must not meet a lexer of another.
 * Types may still be imported from "chevrotain" with `import type` (they describe both copies).
 */
import type * as Chevrotain from "chevrotain";

/**
 * The bundle's URL where the host resolves modules to files (Node: `import.meta.resolve`, no node: import needed);
 * undefined elsewhere (a browser bundle, a test runner without it), where the entry point is used.
 */
function bundleUrl(): string | undefined {
  try {
    const entry = import.meta.resolve?.("chevrotain");
    // "chevrotain" resolves to <package>/lib/src/api.js; the bundle sits in <package>/lib/.
    return entry !== undefined && entry.startsWith("file:") ? new URL("../chevrotain.mjs", entry).href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A host may register a loader under this symbol (the Node host registers one that finds the bundle through
 * node:module, which also works where `import.meta.resolve` is missing, as in the test runner). A symbol on
 * globalThis rather than an import, so that the core does not import the host and the host does not load Chevrotain.
 */
const HOST_LOADER = Symbol.for("imagetrust.loadChevrotain");

async function loadChevrotain(): Promise<typeof Chevrotain> {
  const registered = (globalThis as Record<symbol, unknown>)[HOST_LOADER];
  if (typeof registered === "function") {
    try {
      return (await (registered as () => Promise<unknown>)()) as typeof Chevrotain;
    } catch {
      // The host could not find the bundle: try the other ways.
    }
  }
  const url = bundleUrl();
  if (url !== undefined) {
    try {
      return (await import(/* @vite-ignore */ url)) as typeof Chevrotain;
    } catch {
      // An unusual install layout: fall back to the entry point (slower start, same behaviour).
    }
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
