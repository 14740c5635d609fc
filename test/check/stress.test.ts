import { describe, expect, it } from "vitest";
import { compileTrustSource } from "../../src/check/compile-source.js";
import { SourceFile } from "../../src/source/source-file.js";

function compile(text: string) {
  const t0 = Date.now();
  const r = compileTrustSource(new SourceFile("s.trust", text), { checkKeyFiles: false });
  return { ...r, ms: Date.now() - t0, codes: [...new Set(r.diagnostics.map((d) => d.code))] };
}

describe("checker: hostile level structures", () => {
  it("a chain of 20,000 levels compiles (no recursion limit)", () => {
    const lines = ["level l0 = accept"];
    for (let i = 1; i < 20_000; i++) lines.push(`level l${i} = l${i - 1}`);
    lines.push("default l19999");
    const r = compile(lines.join("\n"));
    expect(r.diagnostics).toEqual([]);
    expect(r.value!.policy.default).toHaveLength(1);
    expect(r.value!.policy.defaultLabels).toEqual({ level: "l19999" });
    expect(r.ms).toBeLessThan(20_000);
  });

  it("a ring of 5,000 levels is one cycle diagnostic", () => {
    const lines: string[] = [];
    for (let i = 0; i < 5_000; i++) lines.push(`level l${i} = l${(i + 1) % 5_000} and accept`);
    lines.push("default l0");
    const r = compile(lines.join("\n"));
    expect(r.diagnostics.filter((d) => d.code === "IT2103")).toHaveLength(1);
    expect(r.value).toBeUndefined();
    expect(r.ms).toBeLessThan(20_000);
  });

  it("levels that double each other are stopped, not expanded", () => {
    const lines = ["level d0 = accept"];
    for (let i = 1; i <= 60; i++) lines.push(`level d${i} = d${i - 1} and d${i - 1}`);
    lines.push("default d60");
    const r = compile(lines.join("\n"));
    expect(r.codes).toContain("IT2104");
    expect(r.value).toBeUndefined();
    expect(r.ms).toBeLessThan(20_000);
  });

  it("thousands of scopes nested 90 deep compile", () => {
    let text = "default reject\ndocker {\n";
    for (let i = 0; i < 90; i++) text += `"n${i}" accept {\n`;
    text += "}\n".repeat(90) + "}\n";
    const r = compile(text);
    expect(r.diagnostics).toEqual([]);
    const scopes = r.value!.policy.transports[0].scopes;
    expect(scopes).toHaveLength(90);
    expect(scopes[89].scope).toBe(Array.from({ length: 90 }, (_, i) => `n${i}`).join("/"));
  });
});
