/** Meta-tests: the generated rule documentation is current, and every rule is exercised by some test. */
import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { RULES } from "../../src/lint/registry.js";
import { renderRulesDocument, renderRuleTable, ruleAnchor } from "../../src/lint/docs.js";

const REPO = path.resolve(import.meta.dirname, "../..");

describe("rule documentation", () => {
  it("docs/rules.md is generated from the rules (npm run docs:rules)", () => {
    expect(readFileSync(path.join(REPO, "docs/rules.md"), "utf8")).toBe(renderRulesDocument());
  });
  it("the README block between the markers is the generated table", () => {
    const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
    expect(/<!-- rules:start -->\n([\s\S]*?)<!-- rules:end -->/.exec(readme)?.[1]).toBe(renderRuleTable());
  });
  it("every rule has a section with an anchor the table links to", () => {
    const doc = renderRulesDocument();
    for (const r of RULES) {
      expect(doc).toContain(`<a id="${ruleAnchor(r)}"></a>`);
      expect(doc).toContain(`](#${ruleAnchor(r)})`);
    }
  });
  it("there are at least 25 rules, in code order", () => {
    expect(RULES.length).toBeGreaterThanOrEqual(25);
    const codes = RULES.map((r) => r.meta.code);
    expect(codes).toEqual([...codes].sort());
  });
  it("every rule code is asserted by some lint test", () => {
    const dir = path.join(REPO, "test/lint");
    const text = readdirSync(dir)
      .filter((f) => f.endsWith(".test.ts") && f !== "docs.test.ts")
      .map((f) => readFileSync(path.join(dir, f), "utf8"))
      .join("\n");
    const missing = RULES.filter((r) => !text.includes(r.meta.code)).map((r) => r.meta.code);
    expect(missing).toEqual([]);
  });
});
