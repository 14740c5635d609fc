import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { CstParser, Lexer, VERSION } from "../../src/syntax/chevrotain.js";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

describe("Chevrotain loading", () => {
  it("is the installed release", () => {
    const entry = createRequire(import.meta.url).resolve("chevrotain"); // <package>/lib/src/api.js
    const pkg = JSON.parse(readFileSync(join(dirname(dirname(dirname(entry))), "package.json"), "utf8")) as { version: string };
    expect(VERSION).toBe(pkg.version);
    expect(typeof Lexer.NA).toBe("object");
    expect(typeof CstParser).toBe("function");
  });

  it("comes from the one-file bundle, not the entry point that pulls in lodash-es module by module", async () => {
    const entry = await import("chevrotain");
    // Two different copies: the classes differ. (If this fails, the fallback path was taken.)
    expect(Lexer).not.toBe(entry.Lexer);
  });

  it("no source module takes Chevrotain values from the package directly (one copy only)", () => {
    const valueImport = /^import\s+(?!type\b)[^;]*from\s+"chevrotain"/m;
    const offenders = sources("src").filter((f) => !f.endsWith(join("syntax", "chevrotain.ts")) && valueImport.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });
});

describe("definitions validated here, skipped at run time", () => {
  it("the grammar passes Chevrotain's validations", async () => {
    const { TrustParser } = await import("../../src/syntax/parser.js");
    // performSelfAnalysis throws on definition errors; the list is Chevrotain's (not in its typings).
    const p = new TrustParser({ validateGrammar: true }) as unknown as { definitionErrors: unknown[] };
    expect(p.definitionErrors).toEqual([]);
  });

  it("the tokens pass Chevrotain's lexer validations", async () => {
    const { TRUST_LEXER_VALIDATING_OPTIONS } = await import("../../src/syntax/lexer.js");
    const { ALL_TOKENS } = await import("../../src/syntax/tokens.js");
    const lexer = new Lexer(ALL_TOKENS, { ...TRUST_LEXER_VALIDATING_OPTIONS, deferDefinitionErrorsHandling: true });
    expect(lexer.lexerDefinitionErrors).toEqual([]);
  });
});
