import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parserRuleNames, railroadHtml } from "../../src/syntax/railroad.js";
import { KEYWORDS } from "../../src/syntax/tokens.js";

const grammarDir = fileURLToPath(new URL("../../grammar/", import.meta.url));

describe("grammar files", () => {
  it("railroad.html is regenerated from the parser", () => {
    const file = grammarDir + "railroad.html";
    const fresh = railroadHtml();
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(file, fresh);
    expect(readFileSync(file, "utf8")).toBe(fresh);
  });

  it("trust.ebnf defines every parser rule and no rule the parser lacks", () => {
    const ebnf = readFileSync(grammarDir + "trust.ebnf", "utf8").replace(/\(\*[\s\S]*?\*\)/g, "");
    const defined = [...ebnf.matchAll(/^([a-zA-Z]+)\s*=/gm)].map((m) => m[1]);
    expect(new Set(defined)).toEqual(new Set(parserRuleNames()));
  });

  it("trust.ebnf lists every keyword", () => {
    const ebnf = readFileSync(grammarDir + "trust.ebnf", "utf8");
    const listed = /Keywords:([\s\S]*?)\n\n/.exec(ebnf)![1].split(/\s+/).filter(Boolean);
    expect(new Set(listed)).toEqual(new Set(KEYWORDS));
  });
});

describe("grammar/README.md", () => {
  it("lists exactly the keywords that cannot be names", async () => {
    const { SOFT_KEYWORDS } = await import("../../src/syntax/tokens.js");
    const readme = readFileSync(grammarDir + "README.md", "utf8");
    const m = /words that start statements or requirements \(`([^)]*)`\)/.exec(readme.replace(/\n/g, " "))!;
    expect(new Set(m[1].split(/\s+/))).toEqual(new Set(KEYWORDS.filter((k) => !SOFT_KEYWORDS.includes(k))));
  });

  it("its example compiles (key files aside)", async () => {
    const { compileTrustSource } = await import("../../src/check/compile-source.js");
    const { SourceFile } = await import("../../src/source/source-file.js");
    const readme = readFileSync(grammarDir + "README.md", "utf8");
    const example = /```\n([\s\S]*?)```/.exec(readme)![1].replace("sha256:…", "sha256:" + "0".repeat(64));
    const r = compileTrustSource(new SourceFile("readme.trust", example), { checkKeyFiles: false });
    expect(r.diagnostics).toEqual([]);
  });
});
