import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { memoryHost } from "../../src/host/memory-host.js";
import type { Host } from "../../src/host/host.js";
import { REPO, expectGolden, runCli } from "./helpers.js";

const FIX = "test/fixtures/cli";
const EX = "examples/hand-written";
const ESC = "\u001b[";
const tmp = () => mkdtempSync(path.join(os.tmpdir(), "imagetrust-cli-"));
const VERSION = (JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string }).version;

/** Output must never carry a JavaScript stack trace. */
function noStack(r: { stdout: string; stderr: string }) {
  expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
}

describe("usage", () => {
  it("--version prints the package version", async () => {
    const r = await runCli(["--version"]);
    expect([r.code, r.stdout]).toEqual([0, `${VERSION}\n`]);
  });
  it("--help lists the commands with examples", async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    for (const s of ["validate", "lint", "rules", "Examples:", "NO_COLOR"]) expect(r.stdout).toContain(s);
  });
  it("each command's --help has examples", async () => {
    for (const cmd of ["validate", "lint", "rules"]) {
      const r = await runCli([cmd, "--help"]);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout).toContain(`$ imagetrust ${cmd}`);
    }
  });
  it.each([
    [[], /Usage: imagetrust/],
    [["frobnicate"], /unknown command 'frobnicate'/],
    [["validate"], /missing required argument 'files'/],
    [["validate", "--bogus", "x.json"], /unknown option '--bogus'/],
    [["validate", "--format", "xml", "x.json"], /Allowed choices are text, json, github/],
    [["validate", "--target", "banana", "x.json"], /invalid --target 'banana'.*5\.23/],
    [["validate", "--target", "6.0", "x.json"], /invalid --target '6\.0'/],
    [["validate", "--target", "5.99", "x.json"], /up to 5\.39/],
    [["validate", "--kind", "yaml", "x.json"], /invalid --kind 'yaml'/],
    [["lint", "--max-warnings", "-1", "x.json"], /invalid --max-warnings/],
    [["lint", "--rule", "no-such-rule=off", "x.json"], /unknown rule 'no-such-rule'/],
    [["lint", "--rule", "insecure-global-default", "x.json"], /expected NAME=off\|info\|warning\|error/],
  ])("%j is a usage error (exit 2)", async (args, message) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
    noStack(r);
  });
  it("--target accepts 5.23.1, v5.23 and latest", async () => {
    for (const t of ["5.23.1", "v5.23", "latest"]) {
      const r = await runCli(["validate", "--target", t, `${EX}/registries.d`]);
      expect(r.code, t).toBe(0);
    }
  });
});

describe("inputs that cannot be read (exit 2, coded, no stack trace)", () => {
  it("a missing file", async () => {
    const r = await runCli(["validate", "no/such/policy.json"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("no/such/policy.json error IT9001 No such file");
    noStack(r);
  });
  it("an empty argument is named as one, not as the working directory", async () => {
    const r = await runCli(["validate", "", "--format", "json"]);
    expect(r.code).toBe(2);
    const [report] = JSON.parse(r.stdout) as { file: string; diagnostics: { code: string; message: string }[] }[];
    expect(report.file).toBe('""');
    expect(report.diagnostics.map((d) => [d.code, d.message])).toEqual([["IT9001", 'No such file: "".']]);
    const text = await runCli(["validate", ""]);
    expect(text.stdout).not.toMatch(/^\. /m);
  });
  it("an unreadable file (EACCES)", async () => {
    const host = memoryHost({ files: { "/etc/containers/policy.json": { data: "{}", unreadable: true } } });
    const r = await runCli(["validate", "--format", "json", "/etc/containers/policy.json"], { host });
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout);
    expect(j).toEqual([
      {
        file: "/etc/containers/policy.json",
        valid: false,
        diagnostics: [
          expect.objectContaining({ code: "IT9002", severity: "error", line: null, column: null, endLine: null, endColumn: null }),
        ],
      },
    ]);
  });
  it("a directory where a file was expected", async () => {
    const d = tmp();
    mkdirSync(path.join(d, "policy.json"));
    const r = await runCli(["validate", "policy.json"], { cwd: d });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("policy.json error IT9003 ");
    const k = await runCli(["validate", "--kind", "policy-json", "."], { cwd: d });
    expect(k.code).toBe(2);
    expect(k.stdout).toContain("IT9003");
  });
  it("a file whose kind cannot be told from its name", async () => {
    const d = tmp();
    writeFileSync(path.join(d, "README"), "hello");
    const r = await runCli(["validate", "README"], { cwd: d });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("IT9008");
    expect(r.stdout).toContain("--kind");
  });
  it("devices and FIFOs are refused instead of read (no hang, no endless read)", async () => {
    for (const dev of ["/dev/zero", "/dev/urandom"]) {
      const r = await runCli(["validate", "--kind", "policy-json", dev]);
      expect(r.code, dev).toBe(2);
      expect(r.stdout).toContain("IT9013");
    }
    const d = tmp();
    const fifo = path.join(d, "policy.json");
    const { spawnSync } = await import("node:child_process");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const r = await runCli(["validate", fifo]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("is not a regular file");
    // Inside a registries.d directory too.
    const rd = path.join(d, "registries.d");
    mkdirSync(rd);
    expect(spawnSync("mkfifo", [path.join(rd, "a.yaml")]).status).toBe(0);
    const dr = await runCli(["validate", rd]);
    expect(dr.code).toBe(1);
    expect(dr.stdout).toContain("not a regular file");
  });
  it("a file above the size cap is refused before reading", async () => {
    const base = memoryHost({ files: { "/big/policy.json": "{}" } });
    const host: Host = {
      ...base,
      files: {
        ...base.files,
        stat: (p) => ({ ...base.files.stat(p), size: 512 * 1024 * 1024 }),
        readFile: () => {
          throw new Error("must not be read");
        },
      },
    };
    const r = await runCli(["validate", "/big/policy.json"], { host });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("IT9005");
    expect(r.stdout).toContain("512 MiB");
  });
});

describe("registries.d", () => {
  it("the hand-written example directory is accepted", async () => {
    const r = await runCli(["validate", `${EX}/registries.d`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${EX}/registries.d: accepted\n`);
  });
  it("a scope defined in two files is rejected, pointing at both", async () => {
    // Which file is "first" follows the directory listing order, as upstream: no golden file here.
    const r = await runCli(["validate", `${FIX}/regd-conflict`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^test\/fixtures\/cli\/regd-conflict\/[ab]\.yaml:\d+:3 error IT1307 /);
    expect(r.stdout).toContain("  related: test/fixtures/cli/regd-conflict/");
    expect(r.stdout).toContain('containers/image: Error parsing signature storage configuration: "docker" namespace "quay.io/acme" defined both in');
    expect(r.stdout.match(/\|   \^{12}/g)).toHaveLength(2); // a code frame for each definition
    const j = await runCli(["validate", "--format", "json", `${FIX}/regd-conflict`]);
    expect(j.code).toBe(1);
    const [entry] = JSON.parse(j.stdout) as Array<{ file: string; valid: boolean; diagnostics: Array<Record<string, unknown>> }>;
    expect(entry).toMatchObject({ file: `${FIX}/regd-conflict`, valid: false });
    expect(entry.diagnostics).toHaveLength(1);
    expect(entry.diagnostics[0]).toMatchObject({ code: "IT1307", line: expect.any(Number), column: 3, file: expect.stringMatching(/[ab]\.yaml$/) });
    expect(entry.diagnostics[0].related).toEqual([expect.objectContaining({ column: 3, file: expect.stringMatching(/[ab]\.yaml$/) })]);
  });
  it("a type error in one file (golden)", async () => {
    const r = await runCli(["validate", `${FIX}/bad-type.yaml`]);
    expect(r.code).toBe(1);
    expectGolden("cli/bad-type.txt", r.stdout);
  });
});

describe("registries.conf", () => {
  it("*.conf files are judged as registries.conf (also with --kind)", async () => {
    const r = await runCli(["validate", `${FIX}/registries.conf`, `${FIX}/broken-registries.conf`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${FIX}/registries.conf: accepted`);
    expect(r.stdout).toMatch(/broken-registries\.conf:5:11 error IT14\d\d /);
    const d = tmp();
    writeFileSync(path.join(d, "mirrors"), readFileSync(path.join(REPO, FIX, "registries.conf")));
    expect((await runCli(["validate", "--kind", "registries-conf", "mirrors"], { cwd: d })).code).toBe(0);
  });
});

describe("colour", () => {
  const args = ["validate", `${FIX}/bad-type.yaml`];
  it("is used on a TTY", async () => {
    const r = await runCli(args, { isTTY: true, env: { HOME: "/x" } });
    expect(r.stdout).toContain(ESC);
  });
  it("is never used under NO_COLOR, even on a TTY or with --color always", async () => {
    for (const extra of [[], ["--color", "always"]]) {
      const r = await runCli([...args, ...extra], { isTTY: true, env: { HOME: "/x", NO_COLOR: "1" } });
      expect(r.stdout).not.toContain(ESC);
      expect(r.code).toBe(1);
    }
  });
  it("is not used when stdout is not a terminal, unless --color always", async () => {
    expect((await runCli(args, { isTTY: false })).stdout).not.toContain(ESC);
    expect((await runCli([...args, "--color", "always"], { isTTY: false })).stdout).toContain(ESC);
    expect((await runCli([...args, "--color", "never"], { isTTY: true })).stdout).not.toContain(ESC);
  });
  it("is never used in JSON output", async () => {
    const r = await runCli([...args, "--format", "json"], { isTTY: true });
    expect(r.stdout).not.toContain(ESC);
    JSON.parse(r.stdout);
  });
});

describe("policy.json", () => {
  it("the good example is accepted, the broken one rejected (golden text and JSON)", async () => {
    const ok = await runCli(["validate", `${EX}/good-policy.json`]);
    expect(ok.stdout).toBe(`${EX}/good-policy.json: accepted\n`);
    expect(ok.code).toBe(0);
    const bad = await runCli(["validate", `${EX}/good-policy.json`, `${EX}/broken-policy.json`]);
    expect(bad.code).toBe(1);
    expectGolden("cli/validate-broken.txt", bad.stdout);
    const j = await runCli(["validate", "--format", "json", `${EX}/good-policy.json`, `${EX}/broken-policy.json`]);
    expect(j.code).toBe(1);
    expectGolden("cli/validate-broken.json", j.stdout);
    const parsed = JSON.parse(j.stdout) as Array<{ file: string; valid: boolean; diagnostics: Array<Record<string, unknown>> }>;
    expect(parsed.map((e) => [e.file, e.valid])).toEqual([
      [`${EX}/good-policy.json`, true],
      [`${EX}/broken-policy.json`, false],
    ]);
    const upstream = parsed[1].diagnostics.filter((d) => d.upstreamMessage !== undefined);
    expect(upstream).toEqual([expect.objectContaining({ severity: "error", line: 9, column: 11, upstreamMessage: 'Unknown key "keypath"' })]);
  });
  it("--format github", async () => {
    const r = await runCli(["validate", "--format", "github", `${EX}/broken-policy.json`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=examples\/hand-written\/broken-policy.json,line=\d+,col=\d+,/);
    expect(r.stdout).toContain("::error file=examples/hand-written/broken-policy.json,line=9,col=11,endLine=9,endColumn=20,title=IT1012::Unknown key");
  });

  /** Bad input written to a temp file: [name, bytes, expected code, upstream message or diagnostic code]. */
  const BAD: Array<[string, () => Uint8Array | string, RegExp]> = [
    ["empty file", () => "", /unexpected end of JSON input/],
    ["whitespace only", () => " \n\t ", /unexpected end of JSON input/],
    ["not JSON", () => "default = reject\n", /invalid character 'd' looking for beginning of value/],
    ["a BOM", () => new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"default":[{"type":"reject"}]}')]), /invalid character 'ï' looking for beginning of value/],
    ["binary", () => new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff, 0xfe]), /IT9004/],
    ["10,000-deep nesting", () => '{"default":' + "[".repeat(10000) + "]".repeat(10000) + "}", /error/],
    ["100,000-deep nesting", () => "[".repeat(100000), /error/],
    ["trailing garbage", () => '{"default":[{"type":"reject"}]} x', /invalid character 'x' after top-level value/],
  ];
  for (const [name, content, expected] of BAD) {
    it(`${name}: rejected with a coded diagnostic (exit 1), no stack trace`, async () => {
      const d = tmp();
      writeFileSync(path.join(d, "policy.json"), content());
      const started = Date.now();
      const r = await runCli(["validate", "policy.json"], { cwd: d });
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.stdout).toMatch(/^policy\.json(:\d+:\d+)? error IT\d{4} /);
      expect(r.stdout).toMatch(expected);
      noStack(r);
      const j = await runCli(["validate", "--format", "json", "policy.json"], { cwd: d });
      expect(JSON.parse(j.stdout)[0].valid).toBe(false);
    });
  }
  it("invalid UTF-8 inside a string is accepted like Go (U+FFFD), with a warning", async () => {
    const d = tmp();
    const head = new TextEncoder().encode('{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io/');
    const tail = new TextEncoder().encode('":[{"type":"reject"}]}}}');
    writeFileSync(path.join(d, "policy.json"), new Uint8Array([...head, 0xff, ...tail]));
    const r = await runCli(["validate", "policy.json"], { cwd: d });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("warning IT9012 Invalid UTF-8");
  });
  it("a 50 MB policy is validated", async () => {
    const d = tmp();
    const scopes: string[] = [];
    const entry = (i: number) => `"registry.example.com/team-${i}/app": [{"type": "signedBy", "keyType": "GPGKeys", "keyPath": "/etc/pki/keys/team-${i}.gpg"}]`;
    let size = 0;
    for (let i = 0; size < 50 * 1000 * 1000; i++) {
      const e = entry(i);
      scopes.push(e);
      size += e.length + 2;
    }
    writeFileSync(path.join(d, "policy.json"), `{"default": [{"type": "reject"}], "transports": {"docker": {\n${scopes.join(",\n")}\n}}}`);
    const r = await runCli(["validate", "policy.json"], { cwd: d });
    expect(r.stdout).toBe("policy.json: accepted\n");
    expect(r.code).toBe(0);
  }, 120_000);
});

describe("lint", () => {
  it("reports rule findings with code frames (golden text, JSON with rule names)", async () => {
    const r = await runCli(["lint", `${EX}/lint-findings.json`]);
    expect(r.code).toBe(0); // warnings only
    expectGolden("cli/lint-findings.txt", r.stdout);
    const j = await runCli(["lint", "--format", "json", `${EX}/lint-findings.json`]);
    expectGolden("cli/lint-findings.json", j.stdout);
    const rules = (JSON.parse(j.stdout)[0].diagnostics as Array<{ rule?: string }>).map((d) => d.rule);
    expect(rules).toEqual(expect.arrayContaining(["insecure-global-default", "never-matching-scope", "unknown-transport"]));
  });
  it("rules apply to .trust sources alike, with spans in the .trust file; no duplicate of the checker's own warning", async () => {
    const r = await runCli(["lint", "--format", "json", `${FIX}/lint-findings.trust`]);
    expect(r.code).toBe(0);
    const ds = JSON.parse(r.stdout)[0].diagnostics as Array<{ code: string; line: number; column: number; rule?: string }>;
    expect(ds.filter((d) => d.code === "IT4002").map((d) => [d.line, d.column, d.rule])).toEqual([
      [4, 3, "never-matching-scope"],
      [5, 3, "never-matching-scope"],
    ]);
    expect(ds.filter((d) => d.line === 8 && d.column === 1)).toHaveLength(1); // unknown transport 'Docker', reported once
  });
  it("--max-warnings and --rule change the exit code", async () => {
    expect((await runCli(["lint", "--max-warnings", "0", `${EX}/lint-findings.json`])).code).toBe(1);
    expect((await runCli(["lint", "--max-warnings", "100", `${EX}/lint-findings.json`])).code).toBe(0);
    const e = await runCli(["lint", "--rule", "insecure-global-default=error", `${EX}/lint-findings.json`]);
    expect(e.code).toBe(1);
    expect(e.stdout).toContain("error IT4001");
    const off = await runCli(["lint", "--rule", "IT4001=off", "--rule", "never-matching-scope=off", "--rule", "unknown-transport=off", `${EX}/lint-findings.json`]);
    expect(off.stdout).toBe(`${EX}/lint-findings.json: ok\n`);
  });
  it("a good policy is clean; a rejected one exits 1", async () => {
    const r = await runCli(["lint", `${EX}/good-policy.json`]);
    expect([r.code, r.stdout]).toEqual([0, `${EX}/good-policy.json: ok\n`]);
    expect((await runCli(["lint", `${EX}/broken-policy.json`])).code).toBe(1);
  });
  it("a configuration directory: policy.json and registries.d/ inside it", async () => {
    const r = await runCli(["lint", "--format", "json", `${FIX}/root/etc/containers`]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Array<{ file: string }>).map((e) => e.file)).toEqual([
      `${FIX}/root/etc/containers/policy.json`,
      `${FIX}/root/etc/containers/registries.d`,
    ]);
  });
  it("with no arguments lints what the runtime reads: user files shadow system ones (fake HOME and root)", async () => {
    const home = path.join(REPO, FIX, "home");
    const root = path.join(REPO, FIX, "root");
    const r = await runCli(["lint"], { env: { HOME: home }, systemRoot: root });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`policy.json:  ${home}/.config/containers/policy.json`);
    expect(r.stdout).toContain(`registries.d: ${home}/.config/containers/registries.d`);
    expect(r.stdout).toContain(`shadows ${root}/etc/containers/policy.json`);
    expect(r.stdout).toContain("IT4001");
    expect(r.stdout).toContain("IT4002");
    const j = await runCli(["lint", "--format", "json"], { env: { HOME: home }, systemRoot: root });
    const entries = JSON.parse(j.stdout) as Array<{ file: string; diagnostics: Array<{ code: string; message: string }> }>;
    expect(entries.map((e) => e.file)).toEqual([
      path.relative(REPO, path.join(home, ".config/containers/policy.json")),
      path.relative(REPO, path.join(home, ".config/containers/registries.d")),
    ]);
    expect(entries[0].diagnostics[0]).toMatchObject({ code: "IT9010" });
    expect(entries[0].diagnostics[0].message).toContain("shadowed");
  });
  it("with no arguments and nothing installed: the runtime's own error", async () => {
    const d = tmp();
    const r = await runCli(["lint", "--format", "json"], { env: { HOME: path.join(d, "home") }, systemRoot: d });
    expect(r.code).toBe(1);
    const entries = JSON.parse(r.stdout);
    expect(entries[0].diagnostics[0]).toMatchObject({
      code: "IT9011",
      upstreamMessage: `no policy.json file found at any of the following: "${d}/home/.config/containers/policy.json", "${d}/etc/containers/policy.json"`,
    });
    expect(entries[1].diagnostics[0].message).toContain("No registries.d directory");
  });
});

describe("rules", () => {
  it("lists every rule; markdown for the README", async () => {
    const t = await runCli(["rules"]);
    expect(t.code).toBe(0);
    for (const n of ["IT4001", "insecure-global-default", "never-matching-scope", "unknown-transport"]) expect(t.stdout).toContain(n);
    const m = await runCli(["rules", "--format", "markdown"]);
    expect(m.stdout.split("\n")[0]).toBe("| Code | Name | Category | Severity | What it catches |");
    // The README's rule table is generated from the rules: it must be current.
    const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
    const table = /<!-- rules:start -->\n([\s\S]*?)<!-- rules:end -->/.exec(readme)?.[1];
    expect(table, "README.md has no <!-- rules:start --> … <!-- rules:end --> block").toBeDefined();
    expect(table).toBe(m.stdout);
    const j = JSON.parse((await runCli(["rules", "--format", "json"])).stdout) as Array<{ code: string }>;
    expect(j.length).toBeGreaterThanOrEqual(3);
  });
  it("explains one rule by name or code; unknown names get a suggestion", async () => {
    const r = await runCli(["rules", "IT4002"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(/^never-matching-scope \(IT4002\): /);
    for (const h of ["What it does", "Why it matters", "Example", "Instead"]) expect(r.stdout).toContain(`\n${h}\n`);
    const u = await runCli(["rules", "never-matching-scopes"]);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain("Did you mean 'never-matching-scope'?");
  });
});

describe("lint --fix", () => {
  it("renames never-matching scopes and mis-cased transports in policy.json, then lints again", async () => {
    const d = tmp();
    writeFileSync(path.join(d, "policy.json"), readFileSync(path.join(REPO, EX, "lint-findings.json")));
    const r = await runCli(["lint", "--fix", "policy.json"], { cwd: d });
    expect(r.stdout).toContain("policy.json: fixed: Replace 'busybox' with 'docker.io/library/busybox'");
    // "Docker" → "docker" would duplicate the existing "docker" section: not offered.
    expect(r.stdout).not.toContain("Rename transport");
    const fixed = JSON.parse(readFileSync(path.join(d, "policy.json"), "utf8"));
    expect(Object.keys(fixed.transports)).toEqual(["docker", "Docker"]);
    expect(Object.keys(fixed.transports.docker)).toEqual(["docker.io/library/busybox", "docker.io/library/nginx", "*.example.com", "quay.io/acme"]);
    // Still accepted by the runtime; the insecure default and the unknown transport are left.
    const again = await runCli(["lint", "--format", "json", "policy.json"], { cwd: d });
    const left = (JSON.parse(again.stdout)[0].diagnostics as Array<{ code: string }>).map((x) => x.code);
    expect(left).toEqual(["IT4001", "IT4003"]);
  });
  it("renames a mis-cased transport when that does not collide", async () => {
    const d = tmp();
    writeFileSync(path.join(d, "policy.json"), '{"default":[{"type":"reject"}],"transports":{"Docker":{"quay.io":[{"type":"reject"}]}}}');
    const r = await runCli(["lint", "--fix", "policy.json"], { cwd: d });
    expect(r.stdout).toContain("policy.json: fixed: Rename transport 'Docker' to 'docker'");
    expect(r.stdout).toContain("policy.json: ok\n");
    expect(Object.keys(JSON.parse(readFileSync(path.join(d, "policy.json"), "utf8")).transports)).toEqual(["docker"]);
  });
  it("offers no fix that would create a duplicate scope", async () => {
    const d = tmp();
    writeFileSync(
      path.join(d, "policy.json"),
      '{"default":[{"type":"reject"}],"transports":{"docker":{"busybox":[{"type":"reject"}],"docker.io/library/busybox":[{"type":"reject"}]}}}',
    );
    const r = await runCli(["lint", "--fix", "policy.json"], { cwd: d });
    expect(r.stdout).not.toContain("fixed:");
    expect(r.stdout).toContain("IT4002");
  });
  it("fixes .trust sources and registries.d YAML keys too", async () => {
    const d = tmp();
    writeFileSync(path.join(d, "site.trust"), readFileSync(path.join(REPO, FIX, "lint-findings.trust")));
    mkdirSync(path.join(d, "registries.d"));
    writeFileSync(path.join(d, "registries.d/a.yaml"), "docker:\n  busybox:\n    lookaside: https://x.example/s\n  '*.example.com:5000':\n    use-sigstore-attachments: true\n");
    const r = await runCli(["lint", "--fix", "site.trust", "registries.d"], { cwd: d });
    expect(r.code).toBe(0);
    const trust = readFileSync(path.join(d, "site.trust"), "utf8");
    expect(trust).toContain('"docker.io/library/busybox"');
    expect(trust).toContain('"docker.io/library/nginx"');
    expect(readFileSync(path.join(d, "registries.d/a.yaml"), "utf8")).toBe(
      "docker:\n  docker.io/library/busybox:\n    lookaside: https://x.example/s\n  '*.example.com':\n    use-sigstore-attachments: true\n",
    );
    const again = await runCli(["lint", "--format", "json", "site.trust", "registries.d"], { cwd: d });
    const codes = (JSON.parse(again.stdout) as Array<{ diagnostics: Array<{ code: string }> }>).flatMap((e) => e.diagnostics.map((x) => x.code));
    expect(codes.filter((c) => c === "IT4002")).toEqual([]);
  });
});
