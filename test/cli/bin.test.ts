// End to end: build with `npm run build` and run the real executable.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO } from "./helpers.js";

const BIN = path.join(REPO, "dist/cli/main.js");

function node(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: "utf8", env: { ...process.env, ...env }, timeout: 60_000 });
}

describe("the built imagetrust executable", () => {
  beforeAll(() => {
    // Other modules' type errors must not hide ours: tsc still emits; we require the output to exist and run.
    const b = spawnSync("npm", ["run", "build"], { cwd: REPO, encoding: "utf8", timeout: 300_000 });
    if (!existsSync(BIN)) throw new Error(`npm run build produced no ${BIN}:\n${b.stdout}\n${b.stderr}`);
  }, 300_000);

  it("starts with a node shebang (with the GC flags the benchmarks measured)", () => {
    expect(readFileSync(BIN, "utf8")).toMatch(/^#!\/usr\/bin\/env (-S )?node( [^\n]*)?\n/);
  });
  it("runs as `npx imagetrust` from the project, through its shebang", () => {
    const r = spawnSync("npx", ["--no-install", "imagetrust", "--version"], { cwd: REPO, encoding: "utf8", timeout: 120_000 });
    expect(r.stderr).toBe("");
    expect([r.status, r.stdout.trim()]).toEqual([0, (JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string }).version]);
  });
  it("--help and --version", () => {
    const h = node(["--help"]);
    expect(h.status).toBe(0);
    expect(h.stdout).toContain("Usage: imagetrust");
    expect(h.stdout).toContain("validate");
    const v = node(["--version"]);
    expect(v.stdout.trim()).toBe((JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string }).version);
  });
  it("validate sets the exit code and prints the results (no colour when piped)", () => {
    const ok = node(["validate", "examples/hand-written/good-policy.json", "examples/hand-written/registries.d"]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("examples/hand-written/good-policy.json: accepted");
    const bad = node(["validate", "--format", "json", "examples/hand-written/broken-policy.json"]);
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout)[0].valid).toBe(false);
    const usage = node(["validate", "--target", "nope", "x.json"]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("invalid --target");
    expect(ok.stdout + bad.stdout).not.toContain("\u001b[");
  });
});
