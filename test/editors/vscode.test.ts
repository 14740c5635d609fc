/**
 * The VS Code extension (editors/vscode/): its TextMate grammar is generated from the token set and current (a
 * keyword missing from it fails here), its scopes agree with the Chevrotain lexer on every shipped example (tokenized
 * by vscode-textmate with the Oniguruma engine VS Code uses), the manifest registers the language, and `npm run vsix`
 * makes a well-formed .vsix.
 */
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import * as path from "node:path";
import { unzipSync } from "fflate";
import * as oniguruma from "vscode-oniguruma";
import * as vsctm from "vscode-textmate";
import { beforeAll, describe, expect, it } from "vitest";
import { trustGrammar, trustGrammarText, keywordScopes } from "../../editors/vscode/build/grammar.mjs";
import { buildVsix, EXTENSION_DIR } from "../../editors/vscode/build/vsix.mjs";
import { SourceFile } from "../../src/source/source-file.js";
import { lexTrust } from "../../src/syntax/lexer.js";
import { Comment, Identifier, KEYWORD_TOKENS, KEYWORDS, StringLiteral } from "../../src/syntax/tokens.js";

const REPO = path.resolve(import.meta.dirname, "../..");
const GRAMMAR_FILE = path.join(EXTENSION_DIR, "syntaxes/trust.tmLanguage.json");
const require = createRequire(import.meta.url);

describe("the TextMate grammar", () => {
  it("is current: syntaxes/trust.tmLanguage.json is what the token set generates (npm run vsix writes it)", () => {
    expect(readFileSync(GRAMMAR_FILE, "utf8")).toBe(trustGrammarText());
  });

  it("has every keyword of the token set, each matched as a whole word by exactly one keyword pattern", () => {
    const grammar = JSON.parse(readFileSync(GRAMMAR_FILE, "utf8")) as { repository: { keyword: { patterns: Array<{ name: string; match: string }> } } };
    const patterns = grammar.repository.keyword.patterns.map((p) => ({ name: p.name, re: new RegExp(`^${p.match}$`) }));
    const missing = KEYWORDS.filter((k) => !patterns.some((p) => p.re.test(k)));
    expect(missing, "keywords the grammar does not highlight (run npm run vsix)").toEqual([]);
    for (const k of KEYWORDS) {
      expect(patterns.filter((p) => p.re.test(k)).map((p) => p.name)).toEqual([keywordScopes().get(k)]);
      // A keyword inside a longer name is not a keyword (`keyring`, `level-2`).
      expect(patterns.some((p) => new RegExp(p.re.source.slice(1, -1)).test(`x${k}`) && new RegExp(p.re.source.slice(1, -1)).exec(`x${k}`)?.index === 1)).toBe(false);
    }
    expect(trustGrammar().scopeName).toBe("source.trust");
  });
});

describe("the grammar's scopes on the shipped examples (vscode-textmate + vscode-oniguruma)", () => {
  let grammar: vsctm.IGrammar;
  beforeAll(async () => {
    const wasm = readFileSync(path.join(path.dirname(require.resolve("vscode-oniguruma")), "onig.wasm"));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
      loadGrammar: async (scope) => (scope === "source.trust" ? vsctm.parseRawGrammar(readFileSync(GRAMMAR_FILE, "utf8"), GRAMMAR_FILE) : null),
    });
    grammar = (await registry.loadGrammar("source.trust"))!;
  });

  const examples = readdirSync(path.join(REPO, "examples")).filter((f) => f.endsWith(".trust"));
  it("there are examples to check", () => expect(examples.length).toBeGreaterThanOrEqual(5));

  for (const name of examples) {
    it(`${name}: comments, strings, keywords, declared names and transports get their scopes`, () => {
      const text = readFileSync(path.join(REPO, "examples", name), "utf8");
      const source = new SourceFile(name, text);
      const lines = text.split("\n");
      // The scopes of each character, line by line, as VS Code would colour them.
      const scopesAt: string[][][] = [];
      let stack = vsctm.INITIAL;
      for (const line of lines) {
        const r = grammar.tokenizeLine(line, stack);
        const row: string[][] = [];
        for (const t of r.tokens) for (let i = t.startIndex; i < t.endIndex; i++) row[i] = t.scopes;
        scopesAt.push(row);
        stack = r.ruleStack;
      }
      const lexed = lexTrust(source);
      const problems: string[] = [];
      const check = (offset: number, image: string, want: (scopes: string[]) => boolean, what: string) => {
        const p = source.position(offset);
        const scopes = scopesAt[p.line - 1][p.column - 1] ?? [];
        if (!want(scopes)) problems.push(`${name}:${p.line}:${p.column} ${image}: expected ${what}, got ${scopes.join(" ")}`);
      };
      const has = (prefix: string) => (s: string[]) => s.some((x) => x.startsWith(prefix));
      for (const c of lexed.comments) check(c.startOffset, c.image, has("comment.line.number-sign.trust"), "a comment");
      const keywordTypes = new Set(KEYWORD_TOKENS);
      lexed.tokens.forEach((t, i) => {
        const prev = lexed.tokens[i - 1];
        const declared = prev !== undefined && ["key", "identity", "level"].includes(prev.image) && source.position(prev.startOffset).column === 1;
        if (t.tokenType === StringLiteral) check(t.startOffset, t.image, has("string.quoted.double.trust"), "a string");
        else if (declared) check(t.startOffset, t.image, has(`entity.name.type.${prev.image}.trust`), `the declared ${prev.image} name`);
        else if (keywordTypes.has(t.tokenType)) check(t.startOffset, t.image, has("keyword."), "a keyword scope");
        else if (t.tokenType === Identifier) {
          const transport = lexed.tokens[i + 1]?.image === "{" && source.position(t.startOffset).column === 1;
          check(t.startOffset, t.image, transport ? has("entity.name.namespace.transport.trust") : (s) => !has("keyword.")(s), transport ? "a transport" : "no keyword scope");
        }
      });
      expect(problems).toEqual([]);
      expect(lexed.comments.length + lexed.tokens.length).toBeGreaterThan(20);
      expect(Comment).toBeDefined();
    });
  }
});

describe("the extension manifest and the .vsix", () => {
  const pkg = JSON.parse(readFileSync(path.join(EXTENSION_DIR, "package.json"), "utf8")) as {
    name: string;
    version: string;
    main: string;
    engines: { vscode: string };
    contributes: { languages: Array<{ id: string; extensions: string[]; configuration: string }>; grammars: Array<{ language: string; scopeName: string; path: string }> };
  };

  it("registers the trust language for .trust files, with its configuration and grammar", () => {
    expect(pkg.contributes.languages).toEqual([expect.objectContaining({ id: "trust", extensions: [".trust"], configuration: "./language-configuration.json" })]);
    expect(pkg.contributes.grammars).toEqual([{ language: "trust", scopeName: "source.trust", path: "./syntaxes/trust.tmLanguage.json" }]);
    const conf = JSON.parse(readFileSync(path.join(EXTENSION_DIR, "language-configuration.json"), "utf8")) as { comments: { lineComment: string } };
    expect(conf.comments.lineComment).toBe("#");
    // The extension's version follows the package's.
    expect(pkg.version).toBe((JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string }).version);
  });

  it("the extension's source typechecks against the VS Code API (@types/vscode) and vscode-languageclient", async () => {
    // Asynchronously: a synchronous child would block this worker (and vitest's heartbeat) for the whole compile.
    const r = await new Promise<{ status: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, [path.join(REPO, "node_modules/typescript/bin/tsc"), "-p", path.join(EXTENSION_DIR, "tsconfig.json")]);
      let output = "";
      child.stdout.on("data", (d: Buffer) => (output += d.toString()));
      child.stderr.on("data", (d: Buffer) => (output += d.toString()));
      child.on("close", (status) => resolve({ status, output }));
    });
    expect(r.output).toBe("");
    expect(r.status).toBe(0);
  }, 120_000);

  it("npm run vsix: a reproducible OPC zip with the manifest, the bundled client and the grammar", async () => {
    const { file } = await buildVsix();
    expect(path.basename(file)).toBe(`imagetrust-${pkg.version}.vsix`);
    const bytes = readFileSync(file);
    const entries = unzipSync(new Uint8Array(bytes));
    expect(Object.keys(entries)).toEqual([
      "[Content_Types].xml",
      "extension.vsixmanifest",
      "extension/README.md",
      "extension/dist/extension.js",
      "extension/language-configuration.json",
      "extension/package.json",
      "extension/syntaxes/trust.tmLanguage.json",
    ]);
    const text = (n: string) => new TextDecoder().decode(entries[n]);
    expect(text("extension.vsixmanifest")).toContain(`<Identity Language="en-US" Id="imagetrust" Version="${pkg.version}" Publisher="imagetrust" />`);
    expect(text("extension.vsixmanifest")).toContain(`<Property Id="Microsoft.VisualStudio.Code.Engine" Value="${pkg.engines.vscode}" />`);
    expect(text("[Content_Types].xml")).toContain('<Default Extension=".js" ContentType="application/javascript" />');
    expect(text("extension/package.json")).toBe(readFileSync(path.join(EXTENSION_DIR, "package.json"), "utf8"));
    expect(`extension/${pkg.main.replace(/^\.\//, "")}`).toBe("extension/dist/extension.js");
    expect(text("extension/syntaxes/trust.tmLanguage.json")).toBe(trustGrammarText());
    // The bundle needs nothing but the editor's `vscode` module and Node's own.
    const js = text("extension/dist/extension.js");
    const required = [...js.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    const foreign = [...new Set(required)].filter((m) => m !== "vscode" && !builtinModules.includes(m.replace(/^node:/, "")));
    expect(foreign).toEqual([]);
    expect(required).toContain("vscode");
    expect(js).toContain("imagetrust.restartServer");
    // Reproducible: the same inputs give the same bytes.
    const again = await buildVsix();
    expect(readFileSync(again.file).equals(bytes)).toBe(true);
  }, 120_000);
});
