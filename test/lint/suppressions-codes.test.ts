/**
 * Any warning/info code, not only lint rules, can be turned off or changed: `--rule IT2120=off`, `.imagetrust.yaml`
 * `rules:` and `# imagetrust-ignore IT2120` in a .trust file. Errors that mean containers/image refuses the input
 * cannot (IT9044).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parseLintConfig } from "../../src/lint/config.js";
import { SourceFile } from "../../src/source/source-file.js";
import { runCli } from "../cli/helpers.js";

const TRUST = 'key k gpg file "/nonexistent/k.gpg"\n\ndefault reject\n\ndocker {\n  "quay.io/acme" signed by k\n}\n';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(path.join(tmpdir(), "imagetrust-codes-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(d, name), text);
  return d;
}

async function codes(args: string[], cwd: string): Promise<{ code: number; found: string[]; stderr: string }> {
  const r = await runCli(["lint", "--format", "json", ...args], { cwd });
  const reports = r.stdout ? (JSON.parse(r.stdout) as Array<{ diagnostics: Array<{ code: string; severity: string }> }>) : [];
  return { code: r.code, found: reports.flatMap((x) => x.diagnostics.map((d) => `${d.code}:${d.severity}`)), stderr: r.stderr };
}

describe("configuring codes that are not lint rules", () => {
  it("IT2120 is reported by default", async () => {
    expect((await codes(["p.trust"], dir({ "p.trust": TRUST }))).found).toEqual(["IT2120:warning"]);
  });
  it("--rule IT2120=off silences it, --rule IT2120=error raises it", async () => {
    const d = dir({ "p.trust": TRUST });
    expect(await codes(["--rule", "IT2120=off", "p.trust"], d)).toMatchObject({ code: 0, found: [] });
    expect(await codes(["--rule", "IT2120=error", "p.trust"], d)).toMatchObject({ code: 1, found: ["IT2120:error"] });
  });
  it(".imagetrust.yaml rules: silences it", async () => {
    const d = dir({ "p.trust": TRUST, ".imagetrust.yaml": "rules:\n  IT2120: off\n" });
    expect(await codes(["p.trust"], d)).toMatchObject({ code: 0, found: [] });
  });
  it("an inline imagetrust-ignore silences it, and is reported when it covers nothing", async () => {
    const ignored = TRUST.replace('key k gpg file "/nonexistent/k.gpg"', 'key k gpg file "/nonexistent/k.gpg"  # imagetrust-ignore IT2120: deployed by ansible');
    expect((await codes(["p.trust"], dir({ "p.trust": ignored }))).found).toEqual([]);
    const unused = TRUST.replace("default reject", "# imagetrust-ignore IT2120\ndefault reject");
    expect((await codes(["p.trust"], dir({ "p.trust": unused }))).found).toEqual(["IT2120:warning", "IT4025:warning"]);
  });
  it("an error containers/image refuses cannot be configured", async () => {
    const d = dir({ "p.trust": TRUST });
    const cli = await runCli(["lint", "--rule", "IT2112=off", "p.trust"], { cwd: d });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/--rule IT2112: IT9044 IT2112 .* containers\/image refuses the input/);

    const r = parseLintConfig(new SourceFile("/r/.imagetrust.yaml", "rules:\n  IT1012: warning\n  IT7000: off\n"));
    expect(r.config).toBeUndefined();
    expect(r.diagnostics.map((x) => x.code)).toEqual(["IT9044", "IT9044"]);
    expect(r.diagnostics[0].message).toMatch(/^IT1012 \(.*\) means containers\/image refuses the input; it cannot be turned off or changed\.$/);

    const inline = TRUST.replace('"quay.io/acme" signed by k', '"quay.io/acme" signed by k  # imagetrust-ignore IT2101');
    expect((await codes(["p.trust"], dir({ "p.trust": inline }))).found).toEqual(["IT2120:warning", "IT9044:error"]);
  });
  it("a config file accepts warning codes by code and still refuses unknown names", () => {
    const r = parseLintConfig(new SourceFile("/r/.imagetrust.yaml", "rules:\n  IT2120: off\n  IT1305: info\n"));
    expect(r.config?.severities).toEqual({ IT2120: "off", IT1305: "info" });
    expect(parseLintConfig(new SourceFile("/r/.imagetrust.yaml", "rules:\n  IT8888: off\n")).diagnostics[0].code).toBe("IT9042");
  });
});
