/** `imagetrust compile --target-k8s kyverno-ivp`: manifests written, valid for the CRD, --check and --mode warn. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli/helpers.js";
import { expectValidManifests } from "./manifests.js";

const tmp = () => mkdtempSync(path.join(os.tmpdir(), "imagetrust-ivp-cli-"));
const args = (out: string, ...more: string[]) => ["compile", "examples/keyless-ci.trust", "--keys", "examples/keys", "--target-k8s", "kyverno-ivp", "--out", out, ...more];

describe("compile --target-k8s kyverno-ivp", () => {
  it("writes ImageValidatingPolicies identical to the golden files, and --check sees edits", async () => {
    const out = tmp();
    const r = await runCli(args(out));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toEqual(["imagetrust-ci-built.yaml", "imagetrust-default.yaml", "imagetrust-released.yaml"]);
    const emitted = files.map((name) => ({ name, text: readFileSync(path.join(out, name), "utf8") }));
    for (const f of emitted) expect(f.text).toBe(readFileSync(`test/fixtures/k8s/keyless-ci/kyverno-ivp/${f.name}`, "utf8"));
    expect(expectValidManifests(emitted)).toBe(3);
    const same = await runCli(args(out, "--check"));
    expect([same.code, same.stdout]).toEqual([0, expect.stringContaining("is up to date")]);
    writeFileSync(path.join(out, files[1]), "edited: true\n");
    const stale = await runCli(args(out, "--check"));
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain(`${files[1]} differs`);
  });

  it("--mode warn writes Audit+Warn validation actions", async () => {
    const out = tmp();
    const r = await runCli(args(out, "--mode", "warn"));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/IT7061/);
    for (const f of readdirSync(out)) expect(readFileSync(path.join(out, f), "utf8")).toContain("validationActions:\n    - Audit\n    - Warn\n");
  });

  it("GPG-signed levels are refused for this engine too, nothing written", async () => {
    const out = tmp();
    const r = await runCli(["compile", "examples/enterprise.trust", "--keys", "examples/keys", "--target-k8s", "kyverno-ivp", "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/IT7000/);
    expect(readdirSync(out)).toEqual([]);
  });
});
