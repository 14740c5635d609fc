import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { loadPolicyJson } from "../../src/load/policy-json.js";
import { normalizePolicy } from "../../src/print/normalize-model.js";
import { SourceFile } from "../../src/source/source-file.js";
import { REPO, runCli } from "./helpers.js";

const FIX = "test/fixtures/cli";
const EX = "examples/hand-written";
const tmp = () => mkdtempSync(path.join(os.tmpdir(), "imagetrust-cmd-"));
const policyOf = (file: string) => {
  const r = loadPolicyJson(new SourceFile(file, readFileSync(file, "utf8")));
  if (!r.value) throw new Error(`${file}: ${JSON.stringify(r.diagnostics)}`);
  return normalizePolicy(r.value);
};

describe("compile", () => {
  it("writes policy.json and registries.d/, then --check is clean until the output changes", async () => {
    const out = tmp();
    const r = await runCli(["compile", `${FIX}/site.trust`, "--out", out]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`wrote ${out}/policy.json`);
    expect(readdirSync(path.join(out, "registries.d"))).toEqual(["site.yaml"]);
    expect((await runCli(["validate", path.join(out, "policy.json"), path.join(out, "registries.d")])).code).toBe(0);
    const check = await runCli(["compile", `${FIX}/site.trust`, "--out", out, "--check"]);
    expect([check.code, check.stdout.trim().split("\n").pop()]).toEqual([0, `${out} is up to date`]);
    writeFileSync(path.join(out, "policy.json"), '{"default":[{"type":"insecureAcceptAnything"}]}\n');
    const stale = await runCli(["compile", `${FIX}/site.trust`, "--out", out, "--check"]);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain("policy.json differs");
  });
  it("writes nothing when the source has errors (exit 1)", async () => {
    const out = tmp();
    const r = await runCli(["compile", `${FIX}/broken.trust`, "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/broken\.trust:1:\d+ error IT2\d{3} /);
    expect(readdirSync(out)).toEqual([]);
  });
  it("needs --out; a missing source is exit 2", async () => {
    expect((await runCli(["compile", `${FIX}/site.trust`])).code).toBe(2);
    const r = await runCli(["compile", "nope.trust", "--out", tmp()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("IT9001");
  });
});

describe("fmt", () => {
  it("prints, checks and rewrites", async () => {
    const p = await runCli(["fmt", `${FIX}/unformatted.trust`]);
    expect(p.code).toBe(0);
    expect(p.stdout).toContain("default reject");
    expect((await runCli(["fmt", "--check", `${FIX}/unformatted.trust`])).code).toBe(1);
    expect((await runCli(["fmt", "--check", `${FIX}/site.trust`])).code).toBe(0);
    const d = tmp();
    cpSync(path.join(REPO, FIX, "unformatted.trust"), path.join(d, "u.trust"));
    const w = await runCli(["fmt", "--write", "u.trust"], { cwd: d });
    expect(w.code).toBe(0);
    expect(readFileSync(path.join(d, "u.trust"), "utf8")).toBe(p.stdout);
    expect((await runCli(["fmt", "--check", "u.trust"], { cwd: d })).code).toBe(0);
  });
  it("a file that does not parse: diagnostics, exit 1", async () => {
    const r = await runCli(["fmt", `${FIX}/unparsable.trust`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("error IT2");
  });
});

describe("import", () => {
  it("round-trips: import a policy.json, compile the result, get the same policy", async () => {
    const d = tmp();
    const imp = await runCli(["import", `${EX}/good-policy.json`, "-o", path.join(d, "site.trust")]);
    expect(imp.code, imp.stderr).toBe(0);
    const c = await runCli(["compile", path.join(d, "site.trust"), "--out", path.join(d, "out")]);
    expect(c.code, c.stdout).toBe(0);
    expect(policyOf(path.join(d, "out/policy.json"))).toEqual(policyOf(path.join(REPO, EX, "good-policy.json")));
  });
  it("an invalid policy is not imported (exit 2, diagnostics on stderr)", async () => {
    const r = await runCli(["import", `${EX}/broken-policy.json`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('Unknown key "keypath"');
  });
});

describe("simulate", () => {
  const args = ["simulate", "--policy", `${EX}/good-policy.json`, "--registries-d", `${EX}/registries.d`];
  it("exit 0 when every reference is allowed, 1 when one is denied", async () => {
    expect((await runCli([...args, "docker://busybox"])).code).toBe(0);
    const r = await runCli([...args, "docker://busybox", "docker://quay.io/acme/app:1"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/DENY\s+docker:\/\/quay.io\/acme\/app:1/);
  });
  it("JSON: one object per reference with the deciding scope and signature lookup", async () => {
    const r = await runCli([...args, "--format", "json", "docker://quay.io/acme/app:1", "docker://ghcr.io/x/y:1"]);
    const j = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(j).toHaveLength(2);
    expect(j[0]).toMatchObject({ ref: "docker://quay.io/acme/app:1", verdict: "deny", scope: { transport: "docker", scope: "quay.io/acme" } });
    expect(j[0].signatureLookup).toMatchObject({ sigstoreAttachments: true });
    expect(j[1]).toMatchObject({ verdict: "deny", scope: null });
  });
  it("usage: no references, or an unusable policy, is exit 2", async () => {
    expect((await runCli(["simulate", "--policy", `${EX}/good-policy.json`])).code).toBe(2);
    expect((await runCli(["simulate", "docker://busybox"])).code).toBe(2);
    expect((await runCli(["simulate", "--policy", `${EX}/broken-policy.json`, "docker://busybox"])).code).toBe(2);
  });
  it("a .trust policy and --refs FILE", async () => {
    const d = tmp();
    writeFileSync(path.join(d, "refs.txt"), "# images\ndocker://quay.io/acme/app:1\n\ndocker://busybox\n");
    const r = await runCli(["simulate", "--policy", path.join(REPO, FIX, "site.trust"), "--refs", "refs.txt"], { cwd: d });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("2 allowed");
  });
});

describe("test", () => {
  it("passes and fails expectations", async () => {
    const ok = await runCli(["test", `${FIX}/site.trust`]);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toContain("3 passed, 0 failed");
    const bad = await runCli(["test", `${FIX}/failing-expectation.trust`]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("0 passed, 1 failed");
  });
});

describe("diff", () => {
  it("reports loosening and fails on it when asked", async () => {
    const same = await runCli(["diff", `${EX}/good-policy.json`, `${EX}/good-policy.json`]);
    expect(same.code).toBe(0);
    const looser = await runCli(["diff", "--fail-on-loosen", `${EX}/good-policy.json`, `${EX}/lint-findings.json`]);
    expect(looser.code).toBe(1);
    expect(looser.stdout).toContain("more permissive");
    expect((await runCli(["diff", `${EX}/good-policy.json`, `${EX}/lint-findings.json`])).code).toBe(0);
    const j = JSON.parse((await runCli(["diff", "--format", "json", `${EX}/good-policy.json`, `${EX}/lint-findings.json`])).stdout);
    expect(j.loosened).toBe(true);
  });
});

const FIXTURES = "/usr/share/gocode/src/github.com/containers/image/signature/fixtures";
describe.skipIf(!existsSync(FIXTURES) && process.env.CI !== "true")("verify (upstream's signed dir: fixture)", () => {
  const policyWith = (keyFile: string) => {
    const d = tmp();
    const p = path.join(d, "policy.json");
    writeFileSync(
      p,
      JSON.stringify({
        default: [{ type: "reject" }],
        transports: { dir: { "": [{ type: "signedBy", keyType: "GPGKeys", keyPath: `${FIXTURES}/${keyFile}`, signedIdentity: { type: "exactRepository", dockerRepository: "testing/manifest" } }] } },
      }),
    );
    return p;
  };
  it("allows a validly signed image, denies with another key (exit 0 / 1)", async () => {
    const ok = await runCli(["verify", "--policy", policyWith("public-key.gpg"), `dir:${FIXTURES}/dir-img-valid`]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/: ALLOW\n/);
    expect(ok.stdout).toContain("signature 1: accepted");
    const bad = await runCli(["verify", "--policy", policyWith("public-key-2.gpg"), "--format", "json", `dir:${FIXTURES}/dir-img-valid`]);
    expect(bad.code).toBe(1);
    const j = JSON.parse(bad.stdout);
    expect(j.verdict).toBe("deny");
    expect(j.requirements[0].signatures[0].accepted).toBe(false);
  });
  it("usage: no policy is exit 2", async () => {
    expect((await runCli(["verify", `dir:${FIXTURES}/dir-img-valid`])).code).toBe(2);
  });
});
