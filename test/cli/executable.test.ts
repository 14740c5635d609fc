// The shipped executable (scripts/build-bundle.mjs): the package's `bin` is one CommonJS script, dist/cli/imagetrust.cjs,
// so that Node starts it without its ESM loader; `validate`, `simulate`, `compile` and `lint` run from their module
// packs and never load that loader; the other commands import the ES module program dist/cli/run.js. Checked as npm installs it: a copy of
// the package in a project's node_modules (the project itself an ES module package) and npm's relative symlink in
// node_modules/.bin. Which of Node's own modules a run loaded is read from `process.moduleLoadList`, written at exit by a
// preload (test/fixtures/cli/module-load-list.cjs, through NODE_OPTIONS=--require, which the launcher passes on).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO, runCli } from "./helpers.js";

const PKG = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string; type: string; bin: Record<string, string> };
const BIN = path.join(REPO, "dist/cli/imagetrust.cjs");
const PROBE = path.join(REPO, "test/fixtures/cli/module-load-list.cjs");
/** Modules of Node's ESM loader that load only when an ES module is (Node 20 loads esm/loader itself at every start). */
const ESM_LOADER = ["internal/modules/esm/module_job", "internal/modules/esm/translators"];

const scratch = mkdtempSync(path.join(tmpdir(), "imagetrust-executable-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A project that installed the package as npm does: node_modules/imagetrust (a copy) and node_modules/.bin/imagetrust. */
function installed(): string {
  const project = path.join(scratch, "project");
  if (existsSync(project)) return path.join(project, "node_modules/.bin/imagetrust");
  const pkgDir = path.join(project, "node_modules/imagetrust");
  mkdirSync(path.join(project, "node_modules/.bin"), { recursive: true });
  writeFileSync(path.join(project, "package.json"), '{"name":"user-project","type":"module"}\n');
  cpSync(path.join(REPO, "package.json"), path.join(pkgDir, "package.json"));
  cpSync(path.join(REPO, "dist/cli"), path.join(pkgDir, "dist/cli"), { recursive: true });
  const link = path.join(project, "node_modules/.bin/imagetrust");
  symlinkSync(path.join("..", "imagetrust", PKG.bin.imagetrust), link);
  return link;
}

/** Run `file` with `args` from the repository, the Node running the tests first on PATH; the modules Node loaded. */
function run(file: string, args: string[]) {
  const list = path.join(scratch, `modules-${Math.random().toString(36).slice(2)}.txt`);
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: "/nonexistent-home", NO_COLOR: "1", PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ""}` };
  env.NODE_OPTIONS = `--require ${PROBE}`;
  env.IMAGETRUST_TEST_MODULE_LIST = list;
  const r = spawnSync(file, args, { cwd: REPO, encoding: "utf8", env, timeout: 60_000 });
  const modules = existsSync(list) ? readFileSync(list, "utf8").split("\n").filter(Boolean) : [];
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, modules };
}

const usesEsmLoader = (modules: string[]) => ESM_LOADER.some((m) => modules.includes(`NativeModule ${m}`));

const REFS = path.join(scratch, "refs.txt");
writeFileSync(REFS, "docker://busybox\ndocker://quay.io/acme/app:1\ndir:/nonexistent-executable-test/x\ndocker:bad\n");

describe.skipIf(!existsSync(BIN))("the executable", () => {
  it("is the package's bin: one CommonJS script with the launcher, and no second copy beside it", () => {
    expect(PKG.type).toBe("module");
    expect(PKG.bin).toEqual({ imagetrust: "dist/cli/imagetrust.cjs" });
    // .cjs: CommonJS whatever the package's (or an installing project's) "type" says.
    expect(readFileSync(BIN, "utf8").split("\n", 1)[0]).toBe("#!/bin/sh");
    expect(lstatSync(BIN).mode & 0o111).not.toBe(0);
    // tsc's unbundled ES module copy of src/cli/main.ts is removed by the build: it would run the same program slowly.
    expect(existsSync(path.join(REPO, "dist/cli/main.js"))).toBe(false);
  });

  it("runs through npm's bin symlink from an ES module project", async () => {
    const link = installed();
    expect(readlinkSync(link)).toBe("../imagetrust/dist/cli/imagetrust.cjs");
    const version = run(link, ["--version"]);
    expect([version.status, version.stdout, version.stderr]).toEqual([0, `${PKG.version}\n`, ""]);
    // Through node (an argument after --version: the launcher hands it over to the program).
    const viaNode = run(link, ["--version", "--no-color"]);
    expect([viaNode.status, viaNode.stdout]).toEqual([0, `${PKG.version}\n`]);
    expect(viaNode.modules.length).toBeGreaterThan(0);
    for (const argv of [
      ["validate", "examples/hand-written/broken-policy.json"],
      ["simulate", "--policy", "examples/hand-written/good-policy.json", "--refs", REFS, "--format", "jsonl"],
      ["lint", "examples/hand-written/lint-findings.json"],
    ]) {
      const expected = await runCli(argv, { env: { HOME: "/nonexistent-home", NO_COLOR: "1" } });
      const r = run(link, argv);
      expect({ argv, status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ argv, status: expected.code, stdout: expected.stdout, stderr: expected.stderr });
    }
  }, 60_000);

  it("validate, simulate, compile and lint load no ES module (their packs), the other commands the ES module program run.js", () => {
    const link = installed();
    const cases: [string[], boolean][] = [
      [["validate", "examples/hand-written/good-policy.json"], false],
      [["validate", "--target", "5.23", "examples/air-gapped.trust"], false],
      [["simulate", "--policy", "examples/hand-written/good-policy.json", "docker://busybox"], false],
      [["simulate", "--policy", "examples/hand-written/good-policy.json", "--refs", REFS, "--format", "jsonl"], false],
      [["simulate", "--help"], false],
      [["compile", "examples/laptop.trust", "--out", path.join(scratch, "compiled")], false],
      [["lint", "examples/hand-written/lint-findings.json"], false],
      // The probe does see the loader when a command uses it.
      [["rules"], true],
      [["explain", "IT1012"], true],
    ];
    for (const [argv, esm] of cases) {
      for (const file of [BIN, link]) {
        const r = run(file, argv);
        expect(r.modules.length, `${argv.join(" ")}: no module list (${r.stderr})`).toBeGreaterThan(0);
        expect({ argv, esm: usesEsmLoader(r.modules) }).toEqual({ argv, esm });
      }
    }
  }, 60_000);

  it("simulate reads no evidence module (verifiers, node:crypto, node:zlib) when no reference needs evidence", () => {
    // docker:// references without --signatures, --lookaside or --online are decided from their text: the evidence
    // module (src/verify/lazy-evidence.ts) is imported when the first image's evidence is gathered, never here.
    const docker = path.join(scratch, "docker-refs.txt");
    writeFileSync(docker, "docker://busybox\ndocker://quay.io/acme/app:1\n");
    const verifiers = (modules: string[]) => modules.filter((m) => m === "NativeModule zlib" || m === "NativeModule crypto");
    const r = run(BIN, ["simulate", "--policy", "examples/hand-written/good-policy.json", "--refs", docker, "--format", "jsonl"]);
    expect(r.modules.length, r.stderr).toBeGreaterThan(0);
    expect(verifiers(r.modules)).toEqual([]);
    // A dir: image's record reports what was read of the directory: the evidence module is loaded then.
    const withDir = run(BIN, ["simulate", "--policy", "examples/hand-written/good-policy.json", "--refs", REFS, "--format", "jsonl"]);
    expect(verifiers(withDir.modules)).toEqual(["NativeModule zlib", "NativeModule crypto"]);
  }, 60_000);
});
