/**
 * Key files in CI (issue 13 §2): `--keys DIR` on every command that reads key files, `keys:` in .imagetrust.yaml
 * (a directory or a map), `checkFiles: false` for .trust sources, a missing --keys directory (IT9050, exit 2), and
 * the configured severities and inline ignores of warning codes (IT2120) in validate, test and compile — all
 * through the CLI. The policies name keys by an install path that does not exist on any machine.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli } from "./helpers.js";

/** An install directory no machine has. */
const INSTALL = "/etc/pki/imagetrust-absent-keys";
const REAL_KEY = path.join(REPO, "examples/keys/acme-release.gpg");
const REAL_SIGSTORE_KEY = path.join(REPO, "examples/keys/acme-ci.pub");

const TRUST = `key acme gpg file "${INSTALL}/acme.gpg"
key ci sigstore file "${INSTALL}/ci.pub"

default reject

docker {
  "registry.acme.example/app"  signed by acme identity repository
  "registry.acme.example/ci"   signed by ci identity repository
}

signatures "site.yaml" {
  "registry.acme.example/ci"  attachments
}

expect deny "docker://registry.acme.example/app:1"
expect deny "docker://docker.io/library/busybox:latest"
`;

const POLICY_JSON = JSON.stringify({
  default: [{ type: "reject" }],
  transports: { docker: { "registry.acme.example/app": [{ type: "signedBy", keyType: "GPGKeys", keyPath: `${INSTALL}/acme.gpg` }] } },
});

/** A scratch project: site.trust, policy.json, keys/ with the real keys under their file names, and extra files. */
function project(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "imagetrust-keys-"));
  writeFileSync(path.join(dir, "site.trust"), TRUST);
  writeFileSync(path.join(dir, "policy.json"), POLICY_JSON);
  mkdirSync(path.join(dir, "keys"));
  copyFileSync(REAL_KEY, path.join(dir, "keys/acme.gpg"));
  copyFileSync(REAL_SIGSTORE_KEY, path.join(dir, "keys/ci.pub"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const IT2120 = /IT2120 The GPG key file "\/etc\/pki\/imagetrust-absent-keys\/acme\.gpg" does not exist here/;

describe("--keys DIR on every command that reads key files", () => {
  it("validate: without --keys the install paths are missing (IT2120); with --keys they are read from DIR", async () => {
    const cwd = project();
    const without = await runCli(["validate", "site.trust"], { cwd });
    expect(without.code).toBe(0);
    expect(without.stdout).toMatch(IT2120);
    const withKeys = await runCli(["validate", "site.trust", "--keys", "keys"], { cwd });
    expect([withKeys.code, withKeys.stdout.trim()]).toEqual([0, "site.trust: accepted"]);
  });

  it("validate --keys still reads the files: a DIR lacking one, or holding a non-key, is reported", async () => {
    const cwd = project({ "bad/acme.gpg": "not a key\n" });
    const r = await runCli(["validate", "site.trust", "--keys", "bad", "--format", "json"], { cwd });
    const codes = (JSON.parse(r.stdout) as Array<{ diagnostics: Array<{ code: string; message: string }> }>)[0].diagnostics.map((d) => `${d.code} ${d.message}`);
    expect(codes).toEqual([
      `IT2121 The GPG key file "${INSTALL}/acme.gpg" does not hold an OpenPGP public key.`,
      `IT2120 The sigstore public key file "${INSTALL}/ci.pub" does not exist here.`,
    ]);
  });

  it("lint: --max-warnings 0 passes with --keys and fails without", async () => {
    const cwd = project();
    const without = await runCli(["lint", "site.trust", "--max-warnings", "0"], { cwd });
    expect(without.code).toBe(1);
    expect(without.stdout).toMatch(IT2120);
    const withKeys = await runCli(["lint", "site.trust", "--keys", "keys", "--max-warnings", "0"], { cwd });
    expect(withKeys.code, withKeys.stdout).toBe(0);
  });

  it("lint of a policy.json: --keys checks its key files there (key-file-problem) without --check-files", async () => {
    const cwd = project({ "bad/acme.gpg": "not a key\n" });
    const plain = await runCli(["lint", "policy.json"], { cwd });
    expect(plain.stdout).not.toContain("IT4015");
    const bad = await runCli(["lint", "policy.json", "--keys", "bad"], { cwd });
    expect(bad.stdout).toContain(`IT4015 keyPath '${INSTALL}/acme.gpg' does not hold an OpenPGP public key`);
    const good = await runCli(["lint", "policy.json", "--keys", "keys"], { cwd });
    expect(good.stdout).not.toContain("IT4015");
  });

  it("test: expectations run without key warnings when --keys is given", async () => {
    const cwd = project();
    const without = await runCli(["test", "site.trust"], { cwd });
    expect(without.stdout).toMatch(IT2120);
    const withKeys = await runCli(["test", "site.trust", "--keys", "keys"], { cwd });
    expect(withKeys.code).toBe(0);
    expect(withKeys.stdout).not.toContain("IT2120");
    expect(withKeys.stdout).toContain("2 passed, 0 failed");
  });

  it("compile: the output keeps the install paths", async () => {
    const cwd = project();
    const r = await runCli(["compile", "site.trust", "--keys", "keys", "--out", "out"], { cwd });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).not.toContain("IT2120");
    const check = await runCli(["validate", "out/policy.json"], { cwd });
    expect(check.code).toBe(0);
    expect(readFileSync(path.join(cwd, "out/policy.json"), "utf8")).toContain(`"keyPath": "${INSTALL}/acme.gpg"`);
    const policy = await runCli(["lint", "out/policy.json", "--keys", "keys", "--format", "json"], { cwd });
    expect(policy.stdout).not.toContain("IT4015");
  });
});

describe("--keys naming something that is not a directory", () => {
  for (const [what, make] of [
    ["a missing directory", () => "nope"],
    ["a file", () => "site.trust"],
  ] as const) {
    for (const command of [["validate", "site.trust"], ["lint", "site.trust"], ["test", "site.trust"], ["compile", "site.trust", "--out", "out"], ["simulate", "--policy", "site.trust", "docker://busybox"], ["verify", "--policy", "site.trust", "docker://busybox"]]) {
      it(`${command[0]}: ${what} is IT9050, exit 2`, async () => {
        const cwd = project();
        const r = await runCli([...command, "--keys", make()], { cwd });
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(`error: --keys '${make()}': IT9050 ${what === "a file" ? "not a directory" : "no such directory"}`);
        expect(r.stdout).toBe("");
      });
    }
  }
});

describe(".imagetrust.yaml keys:", () => {
  it("a directory, relative to the configuration file (found from a subdirectory)", async () => {
    const cwd = project({ ".imagetrust.yaml": "keys: keys\n" });
    mkdirSync(path.join(cwd, "sub"));
    copyFileSync(path.join(cwd, "site.trust"), path.join(cwd, "sub/site.trust"));
    for (const command of ["validate", "lint", "test"]) {
      const r = await runCli([command, "site.trust"], { cwd: path.join(cwd, "sub") });
      expect(r.stdout, command).not.toContain("IT2120");
      expect(r.code, command).toBe(0);
    }
  });

  it("a map from install path to a file in the repository; unmapped paths are read where they are", async () => {
    const cwd = project({ ".imagetrust.yaml": `keys:\n  ${INSTALL}/acme.gpg: keys/acme.gpg\n` });
    const r = await runCli(["lint", "site.trust", "--format", "json"], { cwd });
    const messages = (JSON.parse(r.stdout) as Array<{ diagnostics: Array<{ code: string; message: string }> }>)[0].diagnostics.map((d) => `${d.code} ${d.message}`);
    expect(messages).toEqual([`IT2120 The sigstore public key file "${INSTALL}/ci.pub" does not exist here.`]);
  });

  it("a map entry naming a missing file is IT9050 (exit 2)", async () => {
    const cwd = project({ ".imagetrust.yaml": `keys:\n  ${INSTALL}/acme.gpg: keys/typo.gpg\n` });
    const r = await runCli(["validate", "site.trust"], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`keys: in .imagetrust.yaml 'keys/typo.gpg': IT9050 no such file (the key for ${INSTALL}/acme.gpg)`);
  });

  it("a map key that is not an install path is a schema error (IT9041)", async () => {
    const cwd = project({ ".imagetrust.yaml": "keys:\n  acme.gpg: keys/acme.gpg\n" });
    const r = await runCli(["lint", "site.trust"], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("IT9041");
  });

  it("--keys on the command line wins over the configuration", async () => {
    const cwd = project({ ".imagetrust.yaml": "keys: missing-dir\n" });
    expect((await runCli(["lint", "site.trust"], { cwd })).code).toBe(2);
    const r = await runCli(["lint", "site.trust", "--keys", "keys", "--max-warnings", "0"], { cwd });
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
});

describe("checkFiles: false and code settings for .trust sources", () => {
  it("checkFiles: false looks at no key file of a .trust source (lint, validate, test, compile)", async () => {
    const cwd = project({ ".imagetrust.yaml": "checkFiles: false\n" });
    for (const args of [["lint", "site.trust", "--max-warnings", "0"], ["validate", "site.trust"], ["test", "site.trust"], ["compile", "site.trust", "--out", "out"]]) {
      const r = await runCli(args, { cwd });
      expect(r.stdout, args[0]).not.toContain("IT2120");
      expect(r.code, args[0]).toBe(0);
    }
  });

  it("rules: {IT2120: off} silences it in validate, test and compile too; error makes validate fail", async () => {
    const off = project({ ".imagetrust.yaml": "rules:\n  IT2120: off\n" });
    for (const args of [["validate", "site.trust"], ["test", "site.trust"], ["compile", "site.trust", "--out", "out"]]) {
      const r = await runCli(args, { cwd: off });
      expect(r.stdout, args[0]).not.toContain("IT2120");
      expect(r.code, args[0]).toBe(0);
    }
    const error = project({ ".imagetrust.yaml": "rules:\n  IT2120: error\n" });
    const v = await runCli(["validate", "site.trust"], { cwd: error });
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/error IT2120/);
  });

  it("an inline imagetrust-ignore IT2120 silences it in validate (and names no unused lint code there)", async () => {
    const cwd = project();
    const text = TRUST.replace(`key ci sigstore`, `# imagetrust-ignore IT2120: installed by the provisioning role\nkey ci sigstore`).replace(
      `key acme gpg file "${INSTALL}/acme.gpg"`,
      `key acme gpg file "${INSTALL}/acme.gpg"  # imagetrust-ignore IT2120 IT4001: installed by the provisioning role`,
    );
    writeFileSync(path.join(cwd, "site.trust"), text);
    const v = await runCli(["validate", "site.trust"], { cwd });
    expect([v.code, v.stdout.trim()]).toEqual([0, "site.trust: accepted"]);
    const lint = await runCli(["lint", "site.trust"], { cwd });
    expect(lint.stdout).toContain("IT4025"); // IT4001 suppresses nothing: lint says so, validate does not
  });
});

describe("--rule CODE=SEVERITY on validate, test and compile", () => {
  it("IT2120=off silences it, over the configuration; an error code is IT9044 (exit 2)", async () => {
    const cwd = project({ ".imagetrust.yaml": "rules:\n  IT2120: error\n" });
    for (const args of [["validate", "site.trust"], ["test", "site.trust"], ["compile", "site.trust", "--out", "out"]]) {
      const r = await runCli([...args, "--rule", "IT2120=off"], { cwd });
      expect(r.stdout, args[0]).not.toContain("IT2120");
      expect(r.code, args[0]).toBe(0);
    }
    const compileError = await runCli(["compile", "site.trust", "--out", "out2"], { cwd });
    expect(compileError.code).toBe(1);
    const refused = await runCli(["validate", "site.trust", "--rule", "IT1012=off"], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--rule IT1012: IT9044");
  });
});

describe("the README's CI gate on the shipped examples", () => {
  it("lint examples/*.trust --keys examples/keys --max-warnings 0 passes (and fails without --keys)", async () => {
    const files = readdirSync(path.join(REPO, "examples")).filter((f) => f.endsWith(".trust")).map((f) => `examples/${f}`);
    const r = await runCli(["lint", ...files, "--keys", "examples/keys", "--max-warnings", "0"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const without = await runCli(["lint", ...files, "--max-warnings", "0"]);
    expect(without.code).toBe(1);
    expect(without.stdout).toContain("IT2120");
  });
});
