/** CI outputs and CLI flags of `imagetrust lint`: SARIF 2.1.0 (validated against the official schema), --config, --max-warnings, --fix. */
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli/helpers.js";
import { RULES } from "../../src/lint/registry.js";

// The official schema, as shipped by @microsoft/jest-sarif (draft-04, so validated with the ajv 6 it depends on).
const JEST_SARIF = createRequire(import.meta.url).resolve("@microsoft/jest-sarif/package.json");
const require = createRequire(JEST_SARIF); // resolves the package's own ajv 6
const SCHEMA = JSON.parse(readFileSync(path.join(path.dirname(JEST_SARIF), "lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8")) as Record<string, unknown>;
type Ajv6 = new (o: object) => { addMetaSchema(s: object): void; compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } };
const Ajv = require("ajv") as Ajv6;
const ajv = new Ajv({ schemaId: "auto", allErrors: true, jsonPointers: true });
ajv.addMetaSchema(require("ajv/lib/refs/json-schema-draft-04.json") as object);
const validateSarif = ajv.compile(SCHEMA);

const tmp = () => mkdtempSync(path.join(tmpdir(), "imagetrust-lint-"));
const POLICY = `{
  "default": [ { "type": "insecureAcceptAnything" } ],
  "transports": {
    "docker": {
      "busybox": [ { "type": "reject" } ],
      "quay.io":   [ { "type": "insecureAcceptAnything" } ]
    }
  }
}
`;

describe("--format sarif", () => {
  it("is a valid SARIF 2.1.0 log with stable rule ids, help links and precise regions", async () => {
    const d = tmp();
    writeFileSync(path.join(d, "policy.json"), POLICY);
    const r = await runCli(["lint", "--format", "sarif", "policy.json"], { cwd: d });
    expect(r.code).toBe(0);
    const log = JSON.parse(r.stdout) as {
      runs: Array<{ tool: { driver: { rules: Array<{ id: string; name: string; helpUri: string }> } }; results: Array<Record<string, any>> }>;
    };
    const ok = validateSarif(log);
    expect(validateSarif.errors ?? null, JSON.stringify(validateSarif.errors)).toBeNull();
    expect(ok).toBe(true);
    const run = log.runs[0];
    expect(run.results.map((x) => x.ruleId)).toEqual(["IT4001", "IT4002", "IT4008", "IT4027"]);
    const busybox = run.results[1];
    expect(busybox.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "policy.json" }, region: { startLine: 5, startColumn: 7, endLine: 5, endColumn: 16 } });
    expect(busybox.fixes[0].artifactChanges[0].replacements[0].insertedContent.text).toBe('"docker.io/library/busybox"');
    const rule = run.tool.driver.rules[busybox.ruleIndex];
    expect(rule).toMatchObject({ id: "IT4002", name: "never-matching-scope", helpUri: expect.stringMatching(/docs\/rules\.md#it4002-never-matching-scope$/) });
  });
});

describe("--format github", () => {
  it("one workflow command per finding", async () => {
    const d = tmp();
    writeFileSync(path.join(d, "policy.json"), POLICY);
    const r = await runCli(["lint", "--format", "github", "policy.json"], { cwd: d });
    expect(r.stdout.split("\n").filter(Boolean).map((l) => /^::(\w+) file=policy.json,line=(\d+),col=(\d+),.*title=(IT\d+)::/.exec(l)?.slice(1).join(" "))).toEqual([
      "warning 2 16 IT4001",
      "warning 5 7 IT4002",
      "warning 6 7 IT4008",
      "notice 6 7 IT4027",
    ]);
  });
});

describe("configuration and limits", () => {
  it(".imagetrust.yaml found above the cwd turns rules off and sets --max-warnings", async () => {
    const d = tmp();
    mkdirSync(path.join(d, "sub"));
    writeFileSync(path.join(d, "sub/policy.json"), POLICY);
    writeFileSync(path.join(d, ".imagetrust.yaml"), "rules:\n  IT4001: off\n  insecure-registry-scope: error\nmaxWarnings: 0\n");
    const r = await runCli(["lint", "--format", "json", "policy.json"], { cwd: path.join(d, "sub") });
    const codes = (JSON.parse(r.stdout) as Array<{ diagnostics: Array<{ code: string; severity: string }> }>)[0].diagnostics.map((x) => `${x.code}:${x.severity}`);
    expect(codes).toEqual(["IT4002:warning", "IT4008:error", "IT4027:info"]);
    expect(r.code).toBe(1);
  });
  it("--config names the file; a broken one is a usage error with its position", async () => {
    const d = tmp();
    writeFileSync(path.join(d, "policy.json"), POLICY);
    writeFileSync(path.join(d, "lint.yaml"), "rules:\n  IT4008: loud\n");
    const r = await runCli(["lint", "--config", "lint.yaml", "policy.json"], { cwd: d });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/lint.yaml:2:11 error IT9041/);
  });
  it("ignore patterns skip inputs", async () => {
    const d = tmp();
    mkdirSync(path.join(d, "vendor"));
    writeFileSync(path.join(d, "vendor/policy.json"), POLICY);
    writeFileSync(path.join(d, ".imagetrust.yaml"), "ignore: ['vendor/**']\n");
    const r = await runCli(["lint", "--format", "json", "vendor/policy.json"], { cwd: d });
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
  it("--max-warnings N exits 1 only above N", async () => {
    const d = tmp();
    writeFileSync(path.join(d, "policy.json"), POLICY);
    expect((await runCli(["lint", "--max-warnings", "3", "policy.json"], { cwd: d })).code).toBe(0);
    expect((await runCli(["lint", "--max-warnings", "2", "policy.json"], { cwd: d })).code).toBe(1);
  });
});

describe("--fix", () => {
  it("rewrites only the scope text, keeping the user's formatting", async () => {
    const d = tmp();
    writeFileSync(path.join(d, "policy.json"), POLICY);
    const r = await runCli(["lint", "--fix", "policy.json"], { cwd: d });
    expect(r.stdout).toContain("fixed: Replace 'busybox' with 'docker.io/library/busybox'");
    expect(readFileSync(path.join(d, "policy.json"), "utf8")).toBe(POLICY.replace('"busybox"', '"docker.io/library/busybox"'));
  });
  it("--check-files: symlinked path scopes are fixed to the resolved path", async () => {
    const d = tmp();
    mkdirSync(path.join(d, "real"));
    symlinkSync(path.join(d, "real"), path.join(d, "link"));
    const text = `{"default": [{"type": "reject"}], "transports": {"dir": {"${d}/link": [{"type": "insecureAcceptAnything"}]}}}\n`;
    writeFileSync(path.join(d, "policy.json"), text);
    await runCli(["lint", "--check-files", "--fix", "policy.json"], { cwd: d });
    expect(readFileSync(path.join(d, "policy.json"), "utf8")).toBe(text.replace(`${d}/link`, `${d}/real`));
  });
});

describe("--registries-d", () => {
  it("enables the cross-file rules for a policy file and lints the directory too", async () => {
    const d = tmp();
    mkdirSync(path.join(d, "registries.d"));
    writeFileSync(path.join(d, "registries.d/a.yaml"), "docker:\n  quay.io/acme:\n    lookaside-staging: file:///s\n");
    writeFileSync(path.join(d, "p.json"), '{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io/acme":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k"}]}}}');
    const r = await runCli(["lint", "--format", "json", "--registries-d", "registries.d", "p.json"], { cwd: d });
    const codes = (JSON.parse(r.stdout) as Array<{ diagnostics: Array<{ code: string }> }>).flatMap((x) => x.diagnostics.map((y) => y.code));
    expect(codes).toEqual(["IT4024", "IT4017"]);
  });
});

it("every rule is documented in the SARIF help", async () => {
  const { sarifRuleInfo } = await import("../../src/lint/docs.js");
  for (const r of RULES) expect(sarifRuleInfo(r.meta.code)?.help).toContain(r.meta.docs.why);
});

describe("--fix on registries.d", () => {
  it("renames deprecated keys in place (loader warning IT1305), keeping everything else", async () => {
    const d = tmp();
    mkdirSync(path.join(d, "registries.d"));
    const text = "# Red Hat\ndocker:\n     registry.access.redhat.com:\n         sigstore: https://access.redhat.com/sigstore   # keep\n         sigstore-staging: file:///s\n";
    writeFileSync(path.join(d, "registries.d/rh.yaml"), text);
    const r = await runCli(["lint", "--fix", "registries.d"], { cwd: d });
    expect(r.stdout).toMatch(/fixed: Rename .*'lookaside'/);
    expect(readFileSync(path.join(d, "registries.d/rh.yaml"), "utf8")).toBe(text.replace("sigstore:", "lookaside:").replace("sigstore-staging:", "lookaside-staging:"));
    expect(r.stdout).not.toContain("IT1305");
  });
  it("leaves a deprecated key alone when the section has the new one too", async () => {
    const d = tmp();
    mkdirSync(path.join(d, "registries.d"));
    const text = "docker:\n  quay.io:\n    lookaside: https://a\n    sigstore: https://b\n";
    writeFileSync(path.join(d, "registries.d/q.yaml"), text);
    await runCli(["lint", "--fix", "registries.d"], { cwd: d });
    expect(readFileSync(path.join(d, "registries.d/q.yaml"), "utf8")).toBe(text);
  });
});
