/**
 * A chain of levels (`l2 = l1 plus reject`, 2,000 levels, one scope each) used to turn a 115 KB source into a 96 MB
 * policy.json using 2.6 GB (issue 17): the total output is bounded, and the refusal says why (IT9019), before anything
 * is expanded or written.
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

function chain(levels: number): string {
  const lines = ['key k gpg file "/etc/pki/containers/k.gpg"', "level l1 = signed by k"];
  for (let i = 2; i <= levels; i++) lines.push(`level l${i} = l${i - 1} plus reject`);
  lines.push("default reject", "docker {");
  for (let i = 1; i <= levels; i++) lines.push(`  "registry.example/r${i}" l${i}`);
  lines.push("}");
  return lines.join("\n") + "\n";
}

describe("the total size of a compiled policy", () => {
  it("2,000 chained levels, one scope each: IT9019, nothing written", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "imagetrust-chain-"));
    const source = chain(2000);
    expect(source.length).toBeGreaterThan(90_000);
    writeFileSync(path.join(dir, "chain.trust"), source);
    const r = await runCli(["compile", "chain.trust", "--out", "out", "--rule", "IT2120=off"], { cwd: dir });
    expect(r.stdout).toMatch(/error IT9019 The compiled policy would hold 2,001,001 requirements, more than the 200,000 imagetrust writes/);
    expect(r.stdout).toContain("The largest list here has 2,000 requirements");
    expect(r.code).toBe(1);
    expect(existsSync(path.join(dir, "out"))).toBe(false);
  });

  it("a chain within the bound compiles", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "imagetrust-chain-"));
    writeFileSync(path.join(dir, "chain.trust"), chain(300)); // 45,150 requirements
    const r = await runCli(["compile", "chain.trust", "--out", "out", "--rule", "IT2120=off"], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(existsSync(path.join(dir, "out", "policy.json"))).toBe(true);
  });
});
