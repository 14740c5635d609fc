// The executable's `validate`, `simulate`, `compile` and `lint` run from module packs with V8's code cache (src/cli/module-pack.ts,
// src/cli/run-packed.ts, scripts/module-pack.mjs): the cache the build ships is accepted under the executable's own
// Node flags, a missing or corrupt cache changes nothing but speed, the pack's output is the in-process CLI's, modules
// outside the pack (the .trust compiler with Chevrotain, registries.d) load on demand, and a stack trace from the pack
// names src/…ts lines.
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

const REFS_FILE = path.join(scratch, "refs.txt");
writeFileSync(
  REFS_FILE,
  ["docker://busybox", "docker://quay.io/acme/app:1", "# a comment", "docker://ghcr.io/x/y@sha256:" + "ab".repeat(32), "dir:/nonexistent-pack-test/x", "docker:bad", "docker-daemon:quay.io/a/b:1"].join("\n") + "\n",
);

/** Where the compile runs write (each run writes the same files, so each prints the same). */
const COMPILE_OUT = path.join(scratch, "compiled");

/** Per command: its pack's program module, and argv lists whose output the pack must print as the in-process CLI does. */
const COMMANDS = {
  validate: {
    program: "run-validate.js",
    inputs: [
      ["validate", "examples/hand-written/broken-policy.json"],
      ["validate", "--format", "json", "examples/hand-written/broken-policy.json"],
      ["validate", "--target", "5.23", "examples/air-gapped.trust"],
      ["validate", "examples/company"],
      ["validate", "no-such-file.json"],
    ],
  },
  simulate: {
    program: "run-simulate.js",
    inputs: [
      ["simulate", "--policy", "examples/hand-written/good-policy.json", "docker://busybox", "docker://quay.io/acme/app:1"],
      ["simulate", "--policy", "examples/hand-written/good-policy.json", "--refs", REFS_FILE, "--format", "jsonl"],
      ["simulate", "--policy", "examples/hand-written/good-policy.json", "--refs", REFS_FILE, "--format", "json", "--explain"],
      ["simulate", "--policy", "examples/enterprise.trust", "--keys", "examples/keys", "docker://quay.io/acme/app:1"],
      ["simulate", "--policy", "examples/hand-written/good-policy.json", "--registries-d", "examples/hand-written/registries.d", "docker://quay.io/acme/app:1"],
      ["simulate", "--polcy", "x.json", "docker://busybox"],
      ["simulate", "--policy", "no-such-file.json", "docker://busybox"],
    ],
  },
  compile: {
    program: "run-compile.js",
    inputs: [
      ["compile", "examples/laptop.trust", "--out", COMPILE_OUT],
      ["compile", "examples/enterprise.trust", "--keys", "examples/keys", "--out", COMPILE_OUT, "--check"],
      ["compile", "examples/keyless-ci.trust", "--keys", "examples/keys", "--target-k8s", "kyverno", "--out", path.join(COMPILE_OUT, "k8s")],
      ["compile", "examples/hand-written/broken-policy.json", "--out", COMPILE_OUT],
      ["compile", "examples/laptop.trust"],
    ],
  },
  lint: {
    program: "run-lint.js",
    inputs: [
      ["lint", "examples/hand-written/lint-findings.json"],
      ["lint", "--format", "json", "examples/hand-written"],
      ["lint", "--format", "sarif", "examples/hand-written/broken-policy.json"],
      ["lint", "--format", "github", "examples/company"],
      ["lint", "examples/laptop.trust", "--max-warnings", "0"],
      ["lint", "--fromat", "json", "x.json"],
    ],
  },
} as const;
type Command = keyof typeof COMMANDS;

/**
 * A copy of what a run of `command` from dist/cli reads (the executable, the command's pack directory; the loader's
 * unbundled copy for cacheAccepted), in an ES module package as in the repository, with `cache` as the pack's cache
 * (undefined: none).
 */
function copyOfCli(command: Command, name: string, cache: Buffer | undefined): string {
  const dir = path.join(scratch, `${command}-${name}`);
  for (const f of ["imagetrust.cjs", "imagetrust.cjs.map", "run-packed.js", "module-pack.js", command]) {
    cpSync(path.join(CLI, f), path.join(dir, "cli", f), { recursive: true });
  }
  writeFileSync(path.join(dir, "package.json"), '{"type":"module"}\n');
  const file = path.join(dir, `cli/${command}/pack.cjs.cache`);
  rmSync(file, { force: true });
  if (cache !== undefined) writeFileSync(file, cache);
  return path.join(dir, "cli");
}

function cacheAccepted(cli: string, command: Command): unknown {
  const r = node(["--input-type=module", "-e", `const m = await import(${JSON.stringify(path.join(cli, "run-packed.js"))}); process.stdout.write(JSON.stringify(m.commandPack(${JSON.stringify(command)}).cacheAccepted));`]);
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout);
}

for (const [command, { program, inputs }] of Object.entries(COMMANDS) as [Command, (typeof COMMANDS)[Command]][]) {
  describe(`${command}'s module pack`, () => {
    it("ships a code cache that V8 accepts under the executable's flags", () => {
      expect(existsSync(path.join(CLI, `${command}/pack.cjs.cache`))).toBe(true);
      expect(cacheAccepted(CLI, command)).toBe(true);
      // The pack holds the command's modules, not every lazily imported one (validate's and simulate's leave the .trust
      // compiler, a chunk of its own, a file; compile's holds the parser, Chevrotain included; lint's, trained on a .trust
      // source too, holds it as a chunk).
      const pack = readFileSync(path.join(CLI, `${command}/pack.cjs`), "utf8");
      expect(pack).toContain(`"${program}": function (`);
      if (command === "compile") {
        expect(pack).toMatch(/TrustParser=class extends/);
        expect(pack).toContain("performSelfAnalysis");
      } else if (command === "lint") expect(pack).toMatch(/"[^"]*compile-source-[^"]*": function/);
      else expect(pack).not.toMatch(/"[^"]*compile-source-[^"]*": function/);
    });

    it("prints what the in-process CLI prints, with its cache, without one and with a corrupt one", async () => {
      const shipped = readFileSync(path.join(CLI, `${command}/pack.cjs.cache`));
      const variants = {
        shipped: CLI,
        missing: copyOfCli(command, "missing", undefined),
        corrupt: copyOfCli(command, "corrupt", Buffer.from(shipped.subarray(0, 64)).fill(7, 16)),
        truncated: copyOfCli(command, "truncated", shipped.subarray(0, shipped.length >> 1)),
      };
      expect(cacheAccepted(variants.missing, command)).toBe(false);
      expect(cacheAccepted(variants.corrupt, command)).toBe(false);
      expect(cacheAccepted(variants.truncated, command)).toBe(false);
      for (const argv of inputs) {
        const expected = await runCli([...argv], { env: { HOME: "/nonexistent-home", NO_COLOR: "1" } });
        for (const [name, cli] of Object.entries(variants)) {
          const r = node([path.join(cli, "imagetrust.cjs"), ...argv]);
          expect({ name, argv, status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
            name,
            argv,
            status: expected.code,
            stdout: expected.stdout,
            stderr: expected.stderr,
          });
        }
      }
    }, 60_000);

    it("maps a stack trace from inside the pack to src/…ts", () => {
      const script = `
        const { mapStackTracesLazily } = await import(${JSON.stringify(path.join(CLI, "stack-traces.js"))});
        mapStackTracesLazily();
        const m = await import(${JSON.stringify(path.join(CLI, "run-packed.js"))});
        try { await m.runPacked(${JSON.stringify(command)}, [${JSON.stringify(command)}, "x.json"], null); } catch (err) { process.stdout.write(err.stack); }`;
      const r = node(["--input-type=module", "-e", script]);
      expect(r.stderr).toBe("");
      const frames = r.stdout.split("\n").filter((l) => l.includes("(") && l.includes(`${command}/pack.cjs`) === false && /\.ts:\d+:\d+\)$/.test(l));
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
}
