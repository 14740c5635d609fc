/** The shipped CI integrations (action.yml, .pre-commit-hooks.yaml) parse and call the CLI the way it works. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli, REPO } from "../cli/helpers.js";

describe("action.yml", () => {
  const action = parse(readFileSync(path.join(REPO, "action.yml"), "utf8")) as {
    runs: { using: string; steps: Array<{ uses?: string; run?: string; with?: Record<string, string> }> };
  };
  it("is a composite action: setup-node, install, lint to SARIF, upload-sarif", () => {
    expect(action.runs.using).toBe("composite");
    const uses = action.runs.steps.map((s) => s.uses).filter(Boolean);
    expect(uses).toEqual(["actions/setup-node@v4", "github/codeql-action/upload-sarif@v3"]);
    const lint = action.runs.steps.find((s) => s.run?.includes("--format sarif"));
    expect(lint?.run).toContain('"${paths[@]}" > "$IT_SARIF"');
    expect(lint?.run).toContain('args+=(--keys "$IT_KEYS")');
    expect(Object.keys((action as unknown as { inputs: Record<string, unknown> }).inputs)).toContain("keys");
  });
  it("with keys: the .trust examples lint clean against the repository's key copies", async () => {
    const r = await runCli(["lint", "--format", "sarif", "--keys", "examples/keys", "--max-warnings", "0", "--", "examples/enterprise.trust"], { cwd: REPO });
    expect(r.code, r.stderr).toBe(0);
    const sarif = JSON.parse(r.stdout) as { runs: { results: { level: string }[] }[] };
    // Infos (SARIF "note") may remain; no warning and no error.
    expect(sarif.runs[0].results.filter((x) => x.level !== "note")).toEqual([]);
    const without = await runCli(["lint", "--format", "sarif", "--max-warnings", "0", "--", "examples/enterprise.trust"], { cwd: REPO });
    expect(without.code).toBe(1);
  });
  it("the command line it builds works (options, then -- and the paths)", async () => {
    const d = mkdtempSync(path.join(tmpdir(), "imagetrust-action-"));
    writeFileSync(path.join(d, "policy.json"), '{"default":[{"type":"insecureAcceptAnything"}]}');
    const r = await runCli(["lint", "--format", "sarif", "--max-warnings", "5", "--", "policy.json"], { cwd: d });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { version: string }).version).toBe("2.1.0");
  });
});

describe(".pre-commit-hooks.yaml", () => {
  const hooks = parse(readFileSync(path.join(REPO, ".pre-commit-hooks.yaml"), "utf8")) as Array<{ id: string; entry: string; files: string; language: string }>;
  it("hooks run imagetrust on the files it reads", () => {
    expect(hooks.map((h) => h.id)).toEqual(["imagetrust-lint", "imagetrust-lint-fix", "imagetrust-fmt"]);
    const re = new RegExp(hooks[0].files);
    for (const f of ["etc/containers/policy.json", "etc/containers/registries.d/a.yaml", "site.trust"]) expect(re.test(f), f).toBe(true);
    for (const f of ["package.json", "README.md"]) expect(re.test(f), f).toBe(false);
    for (const h of hooks) expect(h.entry.startsWith("imagetrust ")).toBe(true);
  });
});
