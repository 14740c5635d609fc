// The executable's `validate` runs from a module pack with V8's code cache (src/cli/module-pack.ts,
// scripts/validate-pack.mjs): the cache the build ships is accepted under the executable's own Node flags, a missing or
// corrupt cache changes nothing but speed, the pack's output is the in-process CLI's, modules outside the pack (the
// .trust compiler with Chevrotain, registries.d) load on demand, and a stack trace from the pack names src/…ts lines.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { executableNodeFlags, REPO, runCli } from "./helpers.js";

const CLI = path.join(REPO, "dist/cli");
/** The Node flags the executable runs with (its launcher's exec line). */
const FLAGS = executableNodeFlags();

function node(args: string[], cwd = REPO) {
  return spawnSync(process.execPath, [...FLAGS, ...args], { cwd, encoding: "utf8", env: { ...process.env, HOME: "/nonexistent-home", NO_COLOR: "1" } });
}

const scratch = mkdtempSync(path.join(tmpdir(), "imagetrust-pack-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * A copy of what a validate of dist/cli reads (main.js, the pack directory; the loader's unbundled copy for
 * cacheAccepted), in an ES module package as in the repository, with `cache` as the pack's cache (undefined: none).
 */
function copyOfCli(name: string, cache: Buffer | undefined): string {
  const dir = path.join(scratch, name);
  for (const f of ["main.js", "main.js.map", "run-validate-packed.js", "module-pack.js", "validate"]) {
    cpSync(path.join(CLI, f), path.join(dir, "cli", f), { recursive: true });
  }
  writeFileSync(path.join(dir, "package.json"), '{"type":"module"}\n');
  const file = path.join(dir, "cli/validate/pack.cjs.cache");
  rmSync(file, { force: true });
  if (cache !== undefined) writeFileSync(file, cache);
  return path.join(dir, "cli");
}

function cacheAccepted(cli: string): unknown {
  const r = node(["--input-type=module", "-e", `const m = await import(${JSON.stringify(path.join(cli, "run-validate-packed.js"))}); process.stdout.write(JSON.stringify(m.validatePack().cacheAccepted));`]);
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout);
}

const INPUTS: string[][] = [
  ["validate", "examples/hand-written/broken-policy.json"],
  ["validate", "--format", "json", "examples/hand-written/broken-policy.json"],
  ["validate", "--target", "5.23", "examples/air-gapped.trust"],
  ["validate", "examples/company"],
  ["validate", "no-such-file.json"],
];

describe("validate's module pack", () => {
  it("ships a code cache that V8 accepts under the executable's flags", () => {
    expect(existsSync(path.join(CLI, "validate/pack.cjs.cache"))).toBe(true);
    expect(cacheAccepted(CLI)).toBe(true);
    // The pack holds validate's modules, not every lazily imported one (the .trust compiler stays a file of its own).
    const pack = readFileSync(path.join(CLI, "validate/pack.cjs"), "utf8");
    expect(pack).toContain('"run-validate.js": function (');
    expect(pack).not.toMatch(/"[^"]*compile-source-[^"]*": function/);
  });

  it("prints what the in-process CLI prints, with its cache, without one and with a corrupt one", async () => {
    const shipped = readFileSync(path.join(CLI, "validate/pack.cjs.cache"));
    const variants = {
      shipped: CLI,
      missing: copyOfCli("missing", undefined),
      corrupt: copyOfCli("corrupt", Buffer.from(shipped.subarray(0, 64)).fill(7, 16)),
      truncated: copyOfCli("truncated", shipped.subarray(0, shipped.length >> 1)),
    };
    expect(cacheAccepted(variants.missing)).toBe(false);
    expect(cacheAccepted(variants.corrupt)).toBe(false);
    expect(cacheAccepted(variants.truncated)).toBe(false);
    for (const argv of INPUTS) {
      const expected = await runCli(argv, { env: { HOME: "/nonexistent-home", NO_COLOR: "1" } });
      for (const [name, cli] of Object.entries(variants)) {
        const r = node([path.join(cli, "main.js"), ...argv]);
        expect({ name, argv, status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
          name,
          argv,
          status: expected.code,
          stdout: expected.stdout,
          stderr: expected.stderr,
        });
      }
    }
  });

  it("maps a stack trace from inside the pack to src/…ts", () => {
    const script = `
      const { mapStackTracesLazily } = await import(${JSON.stringify(path.join(CLI, "stack-traces.js"))});
      mapStackTracesLazily();
      const m = await import(${JSON.stringify(path.join(CLI, "run-validate-packed.js"))});
      try { await m.runValidate(["validate", "x.json"], null); } catch (err) { process.stdout.write(err.stack); }`;
    const r = node(["--input-type=module", "-e", script]);
    expect(r.stderr).toBe("");
    const frames = r.stdout.split("\n").filter((l) => l.includes("(") && l.includes("validate/pack.cjs") === false && /\.ts:\d+:\d+\)$/.test(l));
    expect(frames.length).toBeGreaterThan(0);
    expect(r.stdout).not.toContain("pack.cjs:");
    // The frame that threw: the CommandContext constructor reading the (null) io's host.
    expect(r.stdout).toMatch(new RegExp(`at new CommandContext \\(${path.join(REPO, "src/cli/context.ts").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+\\)`));
    // Each mapped frame names a line of its source file that exists and holds code.
    for (const frame of frames) {
      const [, file, line] = /\((\/[^():]+\.ts):(\d+):\d+\)$/.exec(frame)!;
      expect(file!.startsWith(path.join(REPO, "src") + path.sep)).toBe(true);
      const text = readFileSync(file!, "utf8").split("\n")[Number(line) - 1];
      expect(text?.trim()).not.toBe("");
    }
  });
});
