import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { attachmentsPossible, sigstoreWithoutAttachments } from "../../src/lint/rules/sigstore-without-attachments.js";
import { runLint } from "../../src/lint/run.js";
import type { Policy, RegistriesDConfig } from "../../src/ir/types.js";
import { goHarnessAvailable, goLookaside } from "../harness/go-harness.js";
import { runCli } from "../cli/helpers.js";

/** policy scope, registries.d YAML (one file), expected: attachments possible for some image under the scope. */
const TABLE: Array<[string, string, boolean]> = [
  ["quay.io/acme", "{}", false],
  ["quay.io/acme", "docker: {quay.io/acme: {use-sigstore-attachments: true}}", true],
  ["quay.io/acme", "docker: {quay.io: {use-sigstore-attachments: true}}", true],
  ["quay.io/acme", "docker: {quay.io/acme/app: {use-sigstore-attachments: true}}", true],
  ["quay.io/acme", "docker: {quay.io/other: {use-sigstore-attachments: true}}", false],
  ["quay.io/acme", "docker: {quay.io/acmefoo: {use-sigstore-attachments: true}}", false],
  ["quay.io/acme", "docker: {'*.io': {use-sigstore-attachments: true}}", true],
  ["quay.io/acme", "docker: {'*.quay.io': {use-sigstore-attachments: true}}", false],
  ["quay.io/acme", "default-docker: {use-sigstore-attachments: true}", true],
  ["quay.io/acme", "default-docker: {lookaside: 'https://x.example/s'}", false],
  ["quay.io/acme", "docker: {quay.io/acme: {lookaside: 'https://x.example/s'}}", false],
  ["example.com:5000/x", "docker: {example.com: {use-sigstore-attachments: true}}", false],
  ["example.com:5000/x", "docker: {example.com:5000: {use-sigstore-attachments: true}}", true],
  ["example.com:5000/x", "docker: {'*.com': {use-sigstore-attachments: true}}", true],
  ["quay.io/acme/app:v1", "docker: {quay.io/acme/app: {use-sigstore-attachments: true}}", true],
  ["quay.io/acme/app:v1", "docker: {quay.io/acme/app:v2: {use-sigstore-attachments: true}}", false],
];

async function loadConfig(yaml: string): Promise<{ dir: string; config: RegistriesDConfig }> {
  const { loadRegistriesDDir } = await import("../../src/load/registries-d/index.js");
  const dir = mkdtempSync(path.join(os.tmpdir(), "imagetrust-swa-"));
  writeFileSync(path.join(dir, "a.yaml"), yaml + "\n");
  const r = loadRegistriesDDir(dir, { host: (await import("../../src/host/node-host.js")).nodeHost() });
  if (!r.value) throw new Error(JSON.stringify(r.diagnostics));
  return { dir, config: r.value };
}

const policyFor = (scope: string): Policy => ({
  default: [{ type: "reject" }],
  transports: [{ name: "docker", scopes: [{ scope, requirements: [{ type: "sigstoreSigned", keyPath: "/k.pub" }] }] }],
});

describe("sigstore-without-attachments", () => {
  for (const [scope, yaml, possible] of TABLE) {
    it(`${scope} with ${yaml} → ${possible ? "clean" : "reported"}`, async () => {
      const { config } = await loadConfig(yaml);
      expect(attachmentsPossible(scope, config)).toBe(possible);
      const ds = runLint({ file: "p.json", policy: policyFor(scope), signatureStorage: config }, { rules: [sigstoreWithoutAttachments] });
      expect(ds.map((d) => d.code)).toEqual(possible ? [] : ["IT4006"]);
    });
  }
  it("does nothing when the registries.d configuration is unknown (a lone policy.json)", () => {
    expect(runLint({ file: "p.json", policy: policyFor("quay.io/acme") }, { rules: [sigstoreWithoutAttachments] })).toEqual([]);
  });
  it("runs for a configuration directory through the CLI", async () => {
    const d = mkdtempSync(path.join(os.tmpdir(), "imagetrust-swa-cli-"));
    writeFileSync(path.join(d, "policy.json"), JSON.stringify({ default: [{ type: "reject" }], transports: { docker: { "quay.io/acme": [{ type: "sigstoreSigned", keyPath: "/k.pub" }] } } }));
    const alone = await runCli(["lint", "--format", "json", path.join(d, "policy.json")]);
    expect(alone.stdout).not.toContain("IT4006");
    const asDir = await runCli(["lint", "--format", "json", d]);
    expect(asDir.stdout).toContain("IT4006");
    mkdirSync(path.join(d, "registries.d"));
    writeFileSync(path.join(d, "registries.d/acme.yaml"), "docker:\n  quay.io/acme:\n    use-sigstore-attachments: true\n");
    const fixed = await runCli(["lint", "--format", "json", d]);
    expect(fixed.stdout).not.toContain("IT4006");
  });
});

const skip = !goHarnessAvailable() && process.env.CI !== "true";
describe.skipIf(skip)("sigstore-without-attachments agrees with containers/image's useSigstoreAttachments", () => {
  it("reported ⇔ no sample image under the scope gets attachments", async () => {
    for (const [scope, yaml, possible] of TABLE) {
      const { dir, config } = await loadConfig(yaml);
      const repo = scope.replace(/(@[^/]*|:[^:/]*)$/, "");
      const samples = new Set<string>([scope.includes(":") && !/:\d+\//.test(scope) && scope.split("/").length > 1 ? scope : `${scope}:latest`, `${repo}/x:latest`, `${repo}/x/y:1`]);
      for (const e of config.docker) if (e.scope.startsWith(repo + "/") || e.scope === repo) samples.add(/[:@][^/]*$/.test(e.scope.split("/").slice(1).join("/")) ? e.scope : `${e.scope}:latest`);
      const results = await goLookaside(dir, [...samples].map((s) => `docker://${s}`));
      const any = results.some((r) => r.useSigstoreAttachments === true);
      expect(any, `${scope} with ${yaml}: ${JSON.stringify(results.map((r) => [r.reference, r.useSigstoreAttachments, r.parseError]))}`).toBe(possible);
    }
  });
});
