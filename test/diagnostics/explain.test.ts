/** `imagetrust explain CODE` through the CLI (in-process): every catalogue code answers with its page. */
import { describe, expect, it } from "vitest";
import { catalogue } from "../../src/diagnostics/catalogue/index.js";
import { runCli } from "../cli/helpers.js";

describe("imagetrust explain", () => {
  it("prints the page of every code in the catalogue", async () => {
    for (const e of catalogue()) {
      const r = await runCli(["explain", e.code]);
      expect([r.code, r.stderr], e.code).toEqual([0, ""]);
      expect(r.stdout, e.code).toContain(e.title);
      expect(r.stdout, e.code).toContain(e.code);
    }
  });

  it("shows a lint rule's own docs (example and replacement), also by name", async () => {
    const r = await runCli(["explain", "insecure-registry-scope"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^IT4008 insecure-registry-scope \(/);
    for (const s of ["What it means", "Why", "Example", "Instead", "Configurable"]) expect(r.stdout).toContain(s);
  });

  it("says which codes cannot be turned off", async () => {
    expect((await runCli(["explain", "IT1012"])).stdout).toContain("Cannot be turned off");
    expect((await runCli(["explain", "it2120"])).stdout).toContain("Configurable: `--rule IT2120=off");
  });

  it("--format json and markdown", async () => {
    const j = await runCli(["explain", "IT7000", "--format", "json"]);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({ code: "IT7000", severity: "error", configurable: false });
    const m = await runCli(["explain", "IT2120", "--format", "markdown"]);
    expect(m.stdout).toContain("# IT2120 A key file does not exist here");
  });

  it("an unknown code exits 2 with a suggestion", async () => {
    const r = await runCli(["explain", "IT21200"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown diagnostic code 'IT21200'\. Did you mean .*'IT2120'/);
  });

  it("`rules` points non-lint codes to explain", async () => {
    const r = await runCli(["rules", "IT7000"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("IT7000 is not a lint rule: run 'imagetrust explain IT7000'");
  });
});
