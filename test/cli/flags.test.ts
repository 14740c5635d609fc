/**
 * Flags and output a pipeline can rely on, through the CLI in-process: one output flag (-o/--out) everywhere,
 * `compile --out -` refused, did-you-mean for unknown options, `fmt --check` as a unified diff, and `imagetrust test`
 * pointing at file:line:column with the same directory handling as every other command.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectGolden, runCli } from "./helpers.js";

const made: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "flags-"));
  made.push(d);
  return d;
}
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const POLICY = "examples/hand-written/good-policy.json";

describe("unknown options get a did-you-mean naming the closest flag", () => {
  it.each([
    [["simulate", "--polcy", POLICY, "docker://busybox"], "--polcy", "--policy"],
    [["simulate", "--policy", POLICY, "--explian", "docker://busybox"], "--explian", "--explain"],
    [["compile", "x.trust", "--ot", "out"], "--ot", "--out"],
    [["lint", "--max-warning", "0", POLICY], "--max-warning", "--max-warnings"],
    [["import", POLICY, "--outt", "x.trust"], "--outt", "--out"],
  ])("%j", async (args, unknown, suggestion) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    // Before "required option … not specified": the typo is the problem, not the option it was meant to be.
    expect(r.stderr).toContain(`error: unknown option '${unknown}'`);
    expect(r.stderr).toContain(`(Did you mean ${suggestion}?)`);
    expect(r.stderr).not.toContain("required option");
  });

  it("a missing required option is still reported when nothing is unknown", async () => {
    const r = await runCli(["simulate", "docker://busybox"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("required option '--policy <file>' not specified");
  });
});

describe("-o/--out on import (the old --output kept)", () => {
  it("writes the same .trust source with -o, --out and --output; --out - prints it", async () => {
    const d = tmp();
    const printed = await runCli(["import", POLICY]);
    expect(printed.code, printed.stderr).toBe(0);
    for (const flag of ["-o", "--out", "--output"]) {
      const file = path.join(d, `${flag.replace(/-/g, "")}.trust`);
      const r = await runCli(["import", POLICY, flag, file]);
      expect(r.code, r.stderr).toBe(0);
      expect(fs.readFileSync(file, "utf8")).toBe(printed.stdout);
    }
    const dash = await runCli(["import", POLICY, "--out", "-"]);
    expect(dash.stdout).toBe(printed.stdout);
    expect(fs.existsSync(path.join(process.cwd(), "-"))).toBe(false);
  });

  it("import --help shows -o, --out", async () => {
    const r = await runCli(["import", "--help"]);
    expect(r.stdout).toContain("-o, --out <file>");
    expect(r.stdout).not.toContain("--output");
  });
});

describe("compile --out -", () => {
  it("is refused with a usage error (the output is a directory tree) and writes nothing", async () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, "site.trust"), 'default reject\n');
    const r = await runCli(["compile", "site.trust", "--out", "-"], { cwd: d });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'--out -' is not supported");
    expect(fs.readdirSync(d)).toEqual(["site.trust"]);
  });
});

describe("fmt --check shows a unified diff", () => {
  const UNFORMATTED = 'default   reject\n\ndocker {\n"quay.io/acme" accept\n  "docker.io"   reject\n}\n';

  it("prints what --write would change, and the diff applies with patch(1) to give the formatted text", async () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, "site.trust"), UNFORMATTED);
    const check = await runCli(["fmt", "--check", "site.trust"], { cwd: d });
    expect(check.code).toBe(1);
    expectGolden("cli/fmt-check.diff", check.stdout);
    const formatted = await runCli(["fmt", "site.trust"], { cwd: d });
    expect(formatted.code).toBe(0);
    expect(formatted.stdout).not.toBe(UNFORMATTED);
    const diff = check.stdout.slice(0, check.stdout.lastIndexOf("site.trust: not formatted"));
    const p = spawnSync("patch", ["-s", "-o", "-", "site.trust"], { cwd: d, input: diff, encoding: "utf8" });
    expect(p.status, p.stderr).toBe(0);
    expect(p.stdout).toBe(formatted.stdout);
    // --check writes nothing.
    expect(fs.readFileSync(path.join(d, "site.trust"), "utf8")).toBe(UNFORMATTED);
  });

  it("prints nothing but exits 0 for a formatted file", async () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, "x.trust"), UNFORMATTED);
    const text = (await runCli(["fmt", "x.trust"], { cwd: d })).stdout;
    fs.writeFileSync(path.join(d, "x.trust"), text);
    const r = await runCli(["fmt", "--check", "x.trust"], { cwd: d });
    expect(r).toEqual({ code: 0, stdout: "", stderr: "" });
  });
});

describe("imagetrust test points at file:line:column", () => {
  it("a failing expect line of a .trust file", async () => {
    const r = await runCli(["test", "test/fixtures/cli/failing-expectation.trust"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("FAIL test/fixtures/cli/failing-expectation.trust:7:1: expect allow docker://docker.io/library/busybox:latest");
    const j = JSON.parse((await runCli(["test", "--format", "json", "test/fixtures/cli/failing-expectation.trust"])).stdout);
    expect(j[0].results[0].location).toEqual({ file: "test/fixtures/cli/failing-expectation.trust", line: 7, column: 1 });
  });

  it("a failing YAML case, and a malformed one as a diagnostic with its location and code frame", async () => {
    const d = tmp();
    fs.copyFileSync(POLICY, path.join(d, "policy.json"));
    fs.writeFileSync(
      path.join(d, "cases.yaml"),
      "policy: policy.json\ncases:\n  - ref: docker://docker.io/library/busybox:1\n    expect: allow\n  - ref: docker://quay.io/other/app:1\n    expect: allow\n",
    );
    const r = await runCli(["test", "cases.yaml"], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("FAIL cases.yaml:5:5: expect allow docker://quay.io/other/app:1");
    fs.writeFileSync(path.join(d, "broken.yaml"), "policy: policy.json\ncases:\n  - ref: docker://busybox\n    expect: maybe\n");
    const b = await runCli(["test", "broken.yaml"], { cwd: d });
    expect(b.code).toBe(1);
    expect(b.stdout).toContain("broken.yaml:4:13 error IT5603 `expect` must be allow or deny");
    expect(b.stdout).toContain("4 |     expect: maybe");
  });

  it("a .trust file's warnings carry their file:line:column and code frame", async () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, "k.trust"), 'key k gpg file "/nonexistent-13/k.gpg"\ndefault reject\nexpect deny "docker://busybox"\n');
    const r = await runCli(["test", "k.trust"], { cwd: d });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('k.trust:1:16 warning IT2120 The GPG key file "/nonexistent-13/k.gpg" does not exist here.');
    expect(r.stdout).toContain('1 | key k gpg file "/nonexistent-13/k.gpg"');
  });

  it("a YAML `policy:` naming a configuration directory uses its policy.json", async () => {
    const d = tmp();
    fs.mkdirSync(path.join(d, "etc"));
    fs.copyFileSync(POLICY, path.join(d, "etc", "policy.json"));
    fs.writeFileSync(path.join(d, "cases.yaml"), "policy: etc\ncases:\n  - ref: docker://docker.io/library/busybox:1\n    expect: allow\n");
    const r = await runCli(["test", "cases.yaml"], { cwd: d });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain("1 passed, 0 failed");
  });

  it("a directory argument is IT9003 with exit 2, as for fmt and compile", async () => {
    const d = tmp();
    const t = await runCli(["test", d]);
    const f = await runCli(["fmt", d]);
    expect(f.code).toBe(2);
    expect(t.code).toBe(f.code);
    expect(f.stderr).toContain("IT9003");
    expect(t.stdout).toContain(`${d} error IT9003 ${d} is a directory, but a file was expected.`);
  });
});
