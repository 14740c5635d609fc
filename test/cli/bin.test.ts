// End to end: build with `npm run build` and run the real executable.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO } from "./helpers.js";

const BIN = path.join(REPO, "dist/cli/imagetrust.cjs");
const VERSION = (JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string }).version;

function node(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: "utf8", env: { ...process.env, ...env }, timeout: 60_000 });
}

describe("the built imagetrust executable", () => {
  beforeAll(() => {
    // Other modules' type errors must not hide ours: tsc still emits; we require the output to exist and run.
    const b = spawnSync("npm", ["run", "build"], { cwd: REPO, encoding: "utf8", timeout: 300_000 });
    if (!existsSync(BIN)) throw new Error(`npm run build produced no ${BIN}:\n${b.stdout}\n${b.stderr}`);
  }, 300_000);

  it("starts with the launcher: /bin/sh that execs node with the GC flags the benchmarks measured", () => {
    const lines = readFileSync(BIN, "utf8").split("\n", 6);
    expect(lines[0]).toBe("#!/bin/sh");
    // Each shell line is a no-op string and a comment to JavaScript; the last one hands over to node.
    const shell = lines.slice(1).filter((l) => l.startsWith("':' //; "));
    expect(shell.length).toBeGreaterThan(0);
    expect(shell.at(-1)).toBe(`':' //; exec node --max-semi-space-size=2 "$0" "$@"`);
  });
  it("answers a lone --version or -V from the shell, without starting node", () => {
    // No node on PATH: the launcher still answers (and nothing else could).
    for (const flag of ["--version", "-V"]) {
      const r = spawnSync(BIN, [flag], { encoding: "utf8", env: { PATH: "/nonexistent" } });
      expect([r.status, r.stdout, r.stderr]).toEqual([0, `${VERSION}\n`, ""]);
    }
    // Anything else is node's to answer: with no node, the shell says so.
    const other = spawnSync(BIN, ["--help"], { encoding: "utf8", env: { PATH: "/nonexistent" } });
    expect(other.status).not.toBe(0);
    expect(other.stdout).toBe("");
  });
  it("hands every other argument list to node untouched, and node's exit status back", () => {
    // Spaces, quotes, $, globs, a backslash, an empty argument and a newline reach the program as given.
    const odd = "a b'c\"$HOME*?[x]\\ end\nnext";
    const r = spawnSync(BIN, ["validate", "--format", "json", odd, "", "x y"], { cwd: REPO, encoding: "utf8" });
    expect(r.status).toBe(2);
    const files = (JSON.parse(r.stdout) as { file: string }[]).map((f) => f.file);
    expect(files).toHaveLength(3);
    expect([files[0], files[2]]).toEqual([odd, "x y"]);
    // `--version` with another argument is the program's (commander's) business, and gives the same answer.
    const v = spawnSync(BIN, ["--version", "--no-color"], { cwd: REPO, encoding: "utf8" });
    expect([v.status, v.stdout]).toEqual([0, `${VERSION}\n`]);
  });
  it("is JavaScript too: node runs the same file (the shell line is a string and a comment to it)", () => {
    const r = node(["--version"]);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, `${VERSION}\n`, ""]);
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
