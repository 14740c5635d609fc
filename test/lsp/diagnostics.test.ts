/**
 * `imagetrust lsp` over stdio, diagnostics: what the editor shows is what `imagetrust lint --format json` prints for
 * the same text (codes, positions, messages, hints, related locations), as the user types, and findings across
 * files are refreshed when the other file changes (unsaved buffers included).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../cli/helpers.js";
import { LspClient, REPO, uri, type LspDiagnostic } from "./lsp-client.js";

interface CliDiagnostic {
  code: string;
  severity: string;
  message: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  hint?: string;
  upstreamMessage?: string;
}

/** The CLI's diagnostics for `file` as the LSP would show them: positions 0-based, hint and upstream text appended. */
async function cliDiagnostics(args: string[], file: string, cwd = REPO): Promise<Array<{ code: string; range: string; message: string }>> {
  const r = await runCli(["lint", "--format", "json", ...args, file], { cwd });
  const reports = JSON.parse(r.stdout) as Array<{ file: string; diagnostics: CliDiagnostic[] }>;
  const report = reports.find((x) => path.resolve(cwd, x.file) === path.resolve(cwd, file))!;
  return report.diagnostics.map((d) => ({
    code: d.code,
    range: d.line === undefined ? "0:0-0:0" : `${d.line - 1}:${d.column! - 1}-${d.endLine! - 1}:${d.endColumn! - 1}`,
    message: [d.message, d.hint ? `hint: ${d.hint}` : "", d.upstreamMessage ? `containers/image: ${d.upstreamMessage}` : ""].filter(Boolean).join("\n"),
  }));
}

const shape = (ds: LspDiagnostic[]) =>
  ds.map((d) => ({ code: d.code, range: `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`, message: d.message }));

let client: LspClient;
let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), "imagetrust-lsp-"));
  client = new LspClient();
  const init = await client.initialize();
  expect(init.serverInfo?.name).toBe("imagetrust");
}, 60_000);

afterAll(async () => {
  expect(await client.stop()).toBe(0);
  rmSync(tmp, { recursive: true, force: true });
});

describe("diagnostics over stdio", () => {
  it("a .trust source: the CLI's codes, positions, messages and hints; then as the user types", async () => {
    const file = path.join(REPO, "examples/enterprise.trust");
    const text = readFileSync(file, "utf8");
    client.open(file, text);
    const first = await client.diagnostics(file, 1);
    expect(shape(first.diagnostics)).toEqual(await cliDiagnostics([], "examples/enterprise.trust"));
    expect(first.diagnostics.map((d) => d.code)).toContain("IT2120"); // the key files are not installed here
    const d0 = first.diagnostics[0];
    expect(d0.source).toBe("imagetrust");
    expect(d0.codeDescription?.href).toBe(`https://github.com/imagetrust/imagetrust/blob/main/docs/codes.md#${d0.code.toLowerCase()}`);
    const related = first.diagnostics.find((d) => d.code === "IT4027")!;
    expect(related.relatedInformation?.[0]).toMatchObject({ location: { uri: uri(file), range: { start: { line: 17, character: 0 } } }, message: "the global default" });

    // A typo: an error at the name, with the did-you-mean as hint.
    const typo = text.replace("level vendor   = signed by vendor-acme", "level vendor   = signed by vendor-acm");
    client.change(file, typo, 2);
    const second = await client.diagnostics(file, 2);
    const err = second.diagnostics.find((d) => d.severity === 1)!;
    expect(err).toMatchObject({ code: "IT2101", range: { start: { line: 13, character: 27 }, end: { line: 13, character: 37 } } });
    expect(err.message).toBe("Key 'vendor-acm' is not defined.\nhint: Did you mean 'vendor-acme'?");
    writeFileSync(path.join(tmp, "typo.trust"), typo);
    expect(shape(second.diagnostics)).toEqual(await cliDiagnostics([], path.join(tmp, "typo.trust")).then((ds) => ds));

    client.change(file, text, 3);
    expect((await client.diagnostics(file, 3)).diagnostics.some((d) => d.severity === 1)).toBe(false);
  });

  it("a policy.json: the loader's message at its line and column, with containers/image's words", async () => {
    const file = path.join(REPO, "examples/hand-written/broken-policy.json");
    client.open(file, readFileSync(file, "utf8"), "json");
    const got = await client.diagnostics(file, 1);
    expect(shape(got.diagnostics)).toEqual(await cliDiagnostics(["--registries-d", "examples/hand-written/registries.d"], "examples/hand-written/broken-policy.json"));
    const d = got.diagnostics.find((x) => x.code === "IT1012")!;
    expect(d.range.start).toEqual({ line: 8, character: 10 });
    expect(d.message).toContain("containers/image: Unknown key \"keypath\"");
  });

  it("any JSON whose content is a policy, by content; registries.conf by name", async () => {
    const policy = path.join(tmp, "site-policy.json");
    client.open(policy, '{ "default": [{ "type": "rejct" }] }\n', "json");
    const p = await client.diagnostics(policy, 1);
    expect(p.diagnostics.map((d) => d.code)).toEqual(["IT1103"]);
    expect(p.diagnostics[0].message).toContain("Did you mean 'reject'?");

    const conf = path.join(tmp, "registries.conf");
    client.open(conf, 'unqualified-search-registries = ["docker.io"]\nshort-name-mode = "enforcng"\n', "toml");
    const c = await client.diagnostics(conf, 1);
    expect(c.diagnostics.length).toBeGreaterThan(0);
    expect(c.diagnostics[0].range.start.line).toBe(1);
    expect(c.diagnostics[0].message).toContain("Did you mean 'enforcing'?");
  });

  it("a policy.json beside registries.d: an unsaved edit of the YAML refreshes the policy's findings", async () => {
    const dir = path.join(tmp, "etc");
    mkdirSync(path.join(dir, "registries.d"), { recursive: true });
    const policyText = JSON.stringify(
      { default: [{ type: "reject" }], transports: { docker: { "quay.io/acme": [{ type: "sigstoreSigned", keyPath: "/etc/pki/cosign.pub", signedIdentity: { type: "matchRepository" } }] } } },
      null,
      2,
    );
    const policy = path.join(dir, "policy.json");
    const yaml = path.join(dir, "registries.d", "acme.yaml");
    writeFileSync(policy, policyText);
    writeFileSync(yaml, "docker:\n  quay.io/acme:\n    lookaside: https://sigs.example/acme\n");
    const since = client.notifications.length;
    client.open(policy, policyText, "json");
    const before = await client.diagnostics(policy, 1, since);
    expect(before.diagnostics.map((d) => d.code)).toContain("IT4006"); // sigstore without attachments
    expect(shape(before.diagnostics)).toEqual(await cliDiagnostics(["--registries-d", path.join(dir, "registries.d")], policy));

    // The user turns attachments on in the YAML, without saving: the policy's finding goes away.
    const mark = client.notifications.length;
    client.open(yaml, "docker:\n  quay.io/acme:\n    lookaside: https://sigs.example/acme\n    use-sigstore-attachments: true\n", "yaml");
    const after = await client.diagnostics(policy, 1, mark);
    expect(after.diagnostics.map((d) => d.code)).not.toContain("IT4006");

    // A YAML mistake is shown in the YAML, at its line.
    client.change(yaml, "docker:\n  quay.io/acme:\n    lookasid: https://sigs.example/acme\n", 2);
    const y = await client.diagnostics(yaml, 2);
    const unknown = y.diagnostics.find((d) => d.message.includes("lookasid"))!;
    expect(unknown.range.start.line).toBe(2);
    expect(unknown.message).toContain("Did you mean 'lookaside'");
  });

  it("a .trust source's key file: appearing on disk (a watched-file event) clears the missing-key warning", async () => {
    const dir = path.join(tmp, "keys-case");
    mkdirSync(dir, { recursive: true });
    const key = path.join(dir, "acme-release.gpg");
    const file = path.join(dir, "site.trust");
    const text = `key acme gpg file "${key}"\nlevel trusted = signed by acme\ndefault reject\ndocker {\n  "quay.io/acme" trusted\n}\n`;
    client.open(file, text);
    const before = await client.diagnostics(file, 1);
    expect(before.diagnostics.map((d) => d.code)).toContain("IT2120");
    writeFileSync(file, text);
    expect(shape(before.diagnostics)).toEqual(await cliDiagnostics([], file));
    copyFileSync(path.join(REPO, "examples/keys/acme-release.gpg"), key);
    const mark = client.notifications.length;
    client.notify("workspace/didChangeWatchedFiles", { changes: [{ uri: uri(key), type: 1 }] });
    const after = await client.diagnostics(file, 1, mark);
    expect(after.diagnostics.map((d) => d.code)).not.toContain("IT2120");
    expect(shape(after.diagnostics)).toEqual(await cliDiagnostics([], file));
  });

  it(".imagetrust.yaml applies: keys: reads key files by install path from the repository; rules: turns codes off", async () => {
    const dir = path.join(tmp, "configured");
    mkdirSync(path.join(dir, "keys"), { recursive: true });
    copyFileSync(path.join(REPO, "examples/keys/acme-release.gpg"), path.join(dir, "keys/acme-release.gpg"));
    const file = path.join(dir, "site.trust");
    const text = 'key acme gpg file "/etc/pki/containers/acme-release.gpg"\nlevel trusted = signed by acme\ndefault reject\ndocker {\n  "quay.io/acme" trusted\n  default reject\n}\n';
    client.open(file, text);
    const bare = await client.diagnostics(file, 1);
    expect(bare.diagnostics.map((d) => d.code).sort()).toEqual(["IT2120", "IT4027"]);
    // The configuration, typed in the editor (unsaved): the open .trust source is checked again with it.
    const config = path.join(dir, ".imagetrust.yaml");
    const mark = client.notifications.length;
    client.open(config, "keys: keys/\nrules:\n  IT4027: off\n", "yaml");
    const configured = await client.diagnostics(file, 1, mark);
    expect(configured.diagnostics).toEqual([]);
    // As the CLI says, run where the configuration is found.
    writeFileSync(file, text);
    writeFileSync(config, "keys: keys/\nrules:\n  IT4027: off\n");
    expect(await cliDiagnostics([], "site.trust", dir)).toEqual([]);
  });

  it("closing a document clears its diagnostics", async () => {
    const file = path.join(tmp, "closing.trust");
    client.open(file, "level x = acept\n");
    expect((await client.diagnostics(file, 1)).diagnostics.length).toBeGreaterThan(0);
    const mark = client.notifications.length;
    client.notify("textDocument/didClose", { textDocument: { uri: uri(file) } });
    expect((await client.diagnostics(file, undefined, mark)).diagnostics).toEqual([]);
  });
});
