import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runCli } from "./helpers.js";

const tmp = () => mkdtempSync(path.join(os.tmpdir(), "imagetrust-k8s-cli-"));

describe("compile --target-k8s", () => {
  it("writes Kyverno ClusterPolicies for the keyless example, with keys read from --keys", async () => {
    const out = tmp();
    const r = await runCli(["compile", "examples/keyless-ci.trust", "--keys", "examples/keys", "--target-k8s", "kyverno", "--out", out]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const files = readdirSync(out).filter((f) => f.endsWith(".yaml")).sort();
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const doc = parseYaml(readFileSync(path.join(out, f), "utf8")) as { kind: string; apiVersion: string };
      expect(doc.kind).toBe("ClusterPolicy");
      expect(doc.apiVersion).toBe("kyverno.io/v1");
    }
    // The Rekor key of examples/keys is inlined, not its install path.
    const all = files.map((f) => readFileSync(path.join(out, f), "utf8")).join("\n");
    expect(all).toContain(readFileSync("examples/keys/rekor.pub", "utf8").trim().split("\n")[1]);
    // --check: up to date now, out of date after a hand edit.
    const same = await runCli(["compile", "examples/keyless-ci.trust", "--keys", "examples/keys", "--target-k8s", "kyverno", "--out", out, "--check"]);
    expect([same.code, same.stdout]).toEqual([0, expect.stringContaining("is up to date")]);
    writeFileSync(path.join(out, files[0]), "edited: true\n");
    const stale = await runCli(["compile", "examples/keyless-ci.trust", "--keys", "examples/keys", "--target-k8s", "kyverno", "--out", out, "--check"]);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain(`${files[0]} differs`);
  });

  it("writes policy-controller ClusterImagePolicies in warn mode", async () => {
    const out = tmp();
    const r = await runCli(["compile", "examples/keyless-ci.trust", "--keys", "examples/keys", "--target-k8s", "policy-controller", "--mode", "warn", "--out", out]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const docs = readdirSync(out).map((f) => parseYaml(readFileSync(path.join(out, f), "utf8")) as { kind: string; spec?: { mode?: string } });
    const policies = docs.filter((d) => d.kind === "ClusterImagePolicy");
    expect(policies.length).toBeGreaterThan(0);
    for (const p of policies) expect(p.spec?.mode).toBe("warn");
  });

  it("refuses GPG-signed levels (no admission equivalent) and writes nothing", async () => {
    const out = tmp();
    const r = await runCli(["compile", "examples/enterprise.trust", "--keys", "examples/keys", "--target-k8s", "policy-controller", "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/IT7000/);
    expect(r.stdout).toContain("not compiled for policy-controller");
    expect(readdirSync(out)).toEqual([]);
  });

  it("without --keys, missing key files are an error for admission output (the key itself is inlined)", async () => {
    const out = tmp();
    const r = await runCli(["compile", "examples/keyless-ci.trust", "--target-k8s", "kyverno", "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/IT7040/);
    expect(readdirSync(out)).toEqual([]);
  });

  it("rejects an unknown engine as a usage error", async () => {
    const r = await runCli(["compile", "examples/keyless-ci.trust", "--target-k8s", "gatekeeper", "--out", tmp()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Allowed choices are policy-controller, kyverno/);
  });
});
