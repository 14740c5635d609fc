/**
 * `imagetrust lsp` over stdio, the editor features: hover, completion, definition, references, symbols,
 * formatting and code actions, asserted on their content and positions.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../cli/helpers.js";
import { LspClient, REPO, uri } from "./lsp-client.js";

interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}
interface Hover {
  contents: { kind: string; value: string };
  range?: Range;
}
interface CompletionItem {
  label: string;
  kind?: number;
}
interface TextEdit {
  range: Range;
  newText: string;
}
interface CodeAction {
  title: string;
  kind?: string;
  edit?: { changes: Record<string, TextEdit[]> };
}
interface DocumentSymbol {
  name: string;
  detail?: string;
  kind: number;
  selectionRange: Range;
  children?: DocumentSymbol[];
}

const ENTERPRISE = path.join(REPO, "examples/enterprise.trust");
const enterprise = readFileSync(ENTERPRISE, "utf8");
/** The 0-based position of the `n`th occurrence (0-based) of `needle` in `text`, plus `delta` characters. */
function pos(text: string, needle: string, delta = 0, n = 0): { line: number; character: number } {
  let at = -1;
  for (let i = 0; i <= n; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`${needle} not found`);
  const before = text.slice(0, at + delta);
  const line = before.split("\n").length - 1;
  return { line, character: before.length - before.lastIndexOf("\n") - 1 };
}

/** Apply LSP edits to a text. */
function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split("\n");
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

let client: LspClient;
let tmp: string;
const at = (file: string, position: { line: number; character: number }) => ({ textDocument: { uri: uri(file) }, position });

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), "imagetrust-lsp-features-"));
  client = new LspClient();
  await client.initialize();
  client.open(ENTERPRISE, enterprise);
  await client.diagnostics(ENTERPRISE, 1);
}, 60_000);

afterAll(async () => {
  await client.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe("hover", () => {
  it("a level name shows its definition", async () => {
    const h = await client.request<Hover>("textDocument/hover", at(ENTERPRISE, pos(enterprise, "internal {", 2)));
    expect(h.contents.value).toContain("**level `internal`** (line 13)");
    expect(h.contents.value).toContain("level internal = signed by acme-release identity repository");
    expect(h.range).toEqual({ start: pos(enterprise, "internal {"), end: pos(enterprise, "internal {", 8) });
  });

  it("a key name in a requirement shows the key's declaration", async () => {
    const h = await client.request<Hover>("textDocument/hover", at(ENTERPRISE, pos(enterprise, "signed by vendor-acme", 12)));
    expect(h.contents.value).toContain('key vendor-acme  gpg file "/etc/pki/containers/vendor-acme.asc"');
  });

  it("a transport block's name says how its scopes decide", async () => {
    const h = await client.request<Hover>("textDocument/hover", at(ENTERPRISE, pos(enterprise, "docker {", 2)));
    expect(h.contents.value).toContain("**transport `docker`** — `transports.docker` in policy.json");
    expect(h.contents.value).toContain("else, with no `default` in this block, the global default.");
  });

  it("a keyword shows its meaning", async () => {
    const h = await client.request<Hover>("textDocument/hover", at(ENTERPRISE, pos(enterprise, "remap", 1)));
    expect(h.contents.value).toContain("`remapIdentity`");
  });

  it("a scope says which references it decides and what they need (the simulator's explanation)", async () => {
    const h = await client.request<Hover>("textDocument/hover", at(ENTERPRISE, pos(enterprise, '"registry.acme.example" ', 3)));
    const v = h.contents.value;
    expect(v).toContain('**docker scope "registry.acme.example"** — level `internal`');
    expect(v).toContain("More specific scopes decide their own images: `registry.acme.example/vendor`, `registry.acme.example/base/ubi-hardened`");
    expect(v).toContain("Requires: `signedBy`");
    expect(v).toContain("docker://registry.acme.example/imagetrust-region:latest: DENY");
    expect(v).toContain("decided by: docker: registry.acme.example");
    expect(v).toContain("lookaside: https://sigstore.acme.example/signatures");
  });

  it("a diagnostic code shows its catalogue page", async () => {
    const file = path.join(tmp, "ignore.trust");
    const text = "default reject\ndocker {\n  default accept  # imagetrust-ignore IT4007: CI runners only\n}\n";
    client.open(file, text);
    await client.diagnostics(file, 1);
    const h = await client.request<Hover>("textDocument/hover", at(file, pos(text, "IT4007", 2)));
    expect(h.contents.value).toMatch(/^### IT4007 /);
    expect(h.contents.value).toContain("imagetrust explain IT4007");
  });

  it("policy.json: a key and a type value show their meaning; a scope its explanation", async () => {
    const file = path.join(tmp, "policy.json");
    const text = '{\n  "default": [{ "type": "reject" }],\n  "transports": { "docker": { "quay.io/acme": [{ "type": "signedBy", "keyType": "GPGKeys", "keyPath": "/k.gpg" }] } }\n}\n';
    client.open(file, text, "json");
    await client.diagnostics(file, 1);
    const k = await client.request<Hover>("textDocument/hover", at(file, pos(text, '"keyPath"', 3)));
    expect(k.contents.value).toContain("`keyPath` — a public key file");
    const t = await client.request<Hover>("textDocument/hover", at(file, pos(text, '"signedBy"', 3)));
    expect(t.contents.value).toContain("`signedBy` — a simple-signing (GPG) signature");
    const s = await client.request<Hover>("textDocument/hover", at(file, pos(text, '"quay.io/acme"', 3)));
    expect(s.contents.value).toContain('**docker scope "quay.io/acme"**');
    expect(s.contents.value).toContain("docker://quay.io/acme: DENY");
    expect(s.contents.value).toContain("runtime says: A signature was required, but no signature exists");
  });
});

describe("completion", () => {
  const complete = async (file: string, text: string, languageId = "trust") => {
    client.open(file, text.replace("|", ""), languageId);
    const items = await client.request<CompletionItem[]>("textDocument/completion", at(file, pos(text, "|")));
    return items.map((i) => i.label);
  };
  it("after 'signed by': the keys (not the Rekor keys); after 'with': the Rekor keys", async () => {
    const head = 'key a gpg file "/a"\nkey log rekor file "/r"\nkey c sigstore file "/c"\n';
    expect((await complete(path.join(tmp, "c1.trust"), `${head}level x = signed by |`)).sort()).toEqual(["a", "c"]);
    expect(await complete(path.join(tmp, "c2.trust"), `${head}level x = signed by c with |`)).toEqual(["log"]);
  });
  it("in a level body: requirements and level names; at a statement start: statement keywords and transports", async () => {
    const items = await complete(path.join(tmp, "c3.trust"), "level a = accept\nlevel b = |");
    expect(items).toEqual(expect.arrayContaining(["accept", "reject", "signed", "a"]));
    expect(items).not.toContain("docker");
    expect(items).not.toContain("b"); // the level being declared
    const top = await complete(path.join(tmp, "c4.trust"), "level a = accept\n|");
    expect(top).toEqual(expect.arrayContaining(["key", "level", "default", "signatures", "docker", "containers-storage", "and", "plus"]));
  });
  it("identity rules after 'identity', storage settings in a signatures block, versions after 'target'", async () => {
    expect(await complete(path.join(tmp, "c5.trust"), 'key k gpg file "/k"\nidentity m = exact\nlevel a = signed by k identity |')).toEqual(
      expect.arrayContaining(["exact", "repository", "remap", "exact-reference", "m"]),
    );
    expect(await complete(path.join(tmp, "c6.trust"), 'signatures {\n  "quay.io" |\n}\n')).toEqual(expect.arrayContaining(["lookaside", "staging", "attachments", "no"]));
    expect(await complete(path.join(tmp, "c7.trust"), "target |")).toContain('"5.23"');
  });
  it("policy.json: the members a signedBy requirement may have, and the requirement types", async () => {
    const members = await complete(path.join(tmp, "p1.json"), '{ "default": [{ "type": "signedBy", "keyType": "GPGKeys", | }] }', "json");
    expect(members).toEqual(["keyPath", "keyPaths", "keyData", "signedIdentity"]);
    const types = await complete(path.join(tmp, "p2.json"), '{ "default": [{ "type": "|" }] }', "json");
    expect(types).toEqual(["insecureAcceptAnything", "reject", "signedBy", "sigstoreSigned", "signedBaseLayer"]);
    const root = await complete(path.join(tmp, "p3.json"), '{ "default": [], | }', "json");
    expect(root).toEqual(["transports"]);
  });
  it("policy.json: between members an item brings its quotes; inside a key's quotes it is the bare name", async () => {
    const bare = '{ "default": [{ "type": "signedBy", "keyType": "GPGKeys", "keyPath": "/k", | }] }';
    const quoted = '{ "default": [{ "type": "signedBy", "keyType": "GPGKeys", "keyPath": "/k", "sig|" }] }';
    const items = async (file: string, text: string) => {
      client.open(file, text.replace("|", ""), "json");
      return client.request<Array<CompletionItem & { insertText?: string }>>("textDocument/completion", at(file, pos(text, "|")));
    };
    expect((await items(path.join(tmp, "p4.json"), bare)).find((i) => i.label === "signedIdentity")?.insertText).toBe('"signedIdentity": ');
    const inside = await items(path.join(tmp, "p5.json"), quoted);
    expect(inside.map((i) => i.label)).toContain("signedIdentity");
    expect(inside.find((i) => i.label === "signedIdentity")?.insertText).toBeUndefined();
  });
});

describe("registries.d", () => {
  it("hover on a key says what it does; completion offers the keys of a section, or the top-level ones", async () => {
    const file = path.join(tmp, "registries.d", "acme.yaml");
    const text = "docker:\n  quay.io/acme:\n    use-sigstore-attachments: true\n    |\n";
    client.open(file, text.replace("|", ""), "yaml");
    await client.diagnostics(file, 1);
    const h = await client.request<Hover>("textDocument/hover", at(file, pos(text, "use-sigstore", 4)));
    expect(h.contents.value).toContain("`use-sigstore-attachments` — read (and write) sigstore signatures attached in the registry");
    expect(h.range).toEqual({ start: { line: 2, character: 4 }, end: { line: 2, character: 28 } });
    const items = await client.request<CompletionItem[]>("textDocument/completion", at(file, pos(text, "|")));
    expect(items.map((i) => i.label)).toEqual(["lookaside", "lookaside-staging", "sigstore", "sigstore-staging", "use-sigstore-attachments"]);
    const top = await client.request<CompletionItem[]>("textDocument/completion", at(file, { line: 4, character: 0 }));
    expect(top.map((i) => i.label)).toEqual(["docker", "default-docker"]);
  });
});

describe("definition, references, symbols", () => {
  it("go to definition of a level and of a key", async () => {
    const d = await client.request<{ uri: string; range: Range }>("textDocument/definition", at(ENTERPRISE, pos(enterprise, "audited  # OPS-12", 1)));
    expect(d).toEqual({ uri: uri(ENTERPRISE), range: { start: pos(enterprise, "audited  ="), end: pos(enterprise, "audited  =", 7) } });
    const k = await client.request<{ range: Range }>("textDocument/definition", at(ENTERPRISE, pos(enterprise, "signed by acme-release", 12)));
    expect(k.range.start).toEqual(pos(enterprise, "acme-release gpg"));
  });

  it("find references of a key, with and without its declaration", async () => {
    const refs = await client.request<Array<{ range: Range }>>("textDocument/references", { ...at(ENTERPRISE, pos(enterprise, "vendor-acme  gpg", 1)), context: { includeDeclaration: true } });
    expect(refs.map((r) => r.range.start)).toEqual([
      pos(enterprise, "vendor-acme  gpg"),
      pos(enterprise, "signed by vendor-acme", 10, 0),
      pos(enterprise, "signed by vendor-acme", 10, 1),
      pos(enterprise, "signed by vendor-acme", 10, 2),
    ]);
    const without = await client.request<unknown[]>("textDocument/references", { ...at(ENTERPRISE, pos(enterprise, "vendor-acme  gpg", 1)), context: { includeDeclaration: false } });
    expect(without).toHaveLength(3);
  });

  it("document symbols: statements, transport blocks with their nested scopes", async () => {
    const symbols = await client.request<DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri: uri(ENTERPRISE) } });
    expect(symbols.map((s) => s.name)).toEqual([
      "target", "acme-release", "vendor-acme", "vendor-mirror", "internal", "vendor", "mirrored", "audited", "default", "docker",
      "containers-storage", "docker-daemon", expect.stringContaining("docker.io/library/busybox@sha256:"), 'signatures "acme.yaml"',
      ...symbols.slice(14).map((s) => s.name),
    ]);
    const docker = symbols.find((s) => s.name === "docker")!;
    expect(docker.children?.map((c) => c.name)).toEqual(['"registry.acme.example"', '"registry.vendor-acme.example"']);
    expect(docker.children?.[0].children?.map((c) => `${c.name} ${c.detail}`)).toEqual(['"vendor" mirrored', '"base/ubi-hardened" audited']);
    const level = symbols.find((s) => s.name === "audited")!;
    expect(level).toMatchObject({ kind: 14, detail: "internal plus signed by vendor-acme", selectionRange: { start: pos(enterprise, "audited  =") } });
  });
});

describe("formatting and code actions", () => {
  it("formatting gives exactly what `imagetrust fmt` prints", async () => {
    const file = path.join(tmp, "messy.trust");
    const text = 'key k gpg file "/k"\nlevel   a=signed by k\ndefault    reject\ndocker{\n"quay.io" a\n}\n';
    client.open(file, text);
    const edits = await client.request<TextEdit[]>("textDocument/formatting", { textDocument: { uri: uri(file) }, options: { tabSize: 2, insertSpaces: true } });
    const { writeFileSync } = await import("node:fs");
    writeFileSync(file, text);
    const fmt = await runCli(["fmt", file]);
    expect(fmt.code).toBe(0);
    expect(applyEdits(text, edits)).toBe(fmt.stdout);
    expect(fmt.stdout).toContain("level a = signed by k");
  });

  it("a lint fix and a did-you-mean become quick fixes with their edits", async () => {
    const file = path.join(tmp, "fixes.json");
    const text = '{\n  "default": [{ "type": "reject" }],\n  "transports": { "docker": { "busybox": [{ "type": "signedBy", "keyType": "GPGKeys", "keypath": "/k.gpg" }] } }\n}\n';
    client.open(file, text, "json");
    await client.diagnostics(file, 1);
    const keyActions = await client.request<CodeAction[]>("textDocument/codeAction", {
      textDocument: { uri: uri(file) },
      range: { start: pos(text, '"keypath"'), end: pos(text, '"keypath"', 9) },
      context: { diagnostics: [] },
    });
    const titles = keyActions.map((a) => a.title);
    expect(titles).toEqual(["Change 'keypath' to 'keyPath'", "Change 'keypath' to 'keyPaths'", "Change 'keypath' to 'keyData'"]);
    expect(applyEdits(text, keyActions[0].edit!.changes[uri(file)])).toContain('"keyPath": "/k.gpg"');

    const fixed = text.replace('"keypath"', '"keyPath"');
    client.change(file, fixed, 2);
    const d = await client.diagnostics(file, 2);
    const never = d.diagnostics.find((x) => x.code === "IT4002")!;
    const actions = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri: uri(file) }, range: never.range, context: { diagnostics: [never] } });
    expect(actions[0]).toMatchObject({ title: "Replace 'busybox' with 'docker.io/library/busybox'", kind: "quickfix" });
    expect(applyEdits(fixed, actions[0].edit!.changes[uri(file)])).toContain('"docker.io/library/busybox": [');
  });

  it("a misspelt keyword in a .trust source gets the keyword; a warning can be suppressed inline", async () => {
    const file = path.join(tmp, "typo.trust");
    const text = "default rejct\n";
    client.open(file, text);
    const d = await client.diagnostics(file, 1);
    const err = d.diagnostics.find((x) => x.severity === 1)!;
    expect(err.message).toContain("Did you mean 'reject'?");
    const actions = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri: uri(file) }, range: err.range, context: { diagnostics: [err] } });
    const change = actions.find((a) => a.title === "Change 'rejct' to 'reject'")!;
    expect(applyEdits(text, change.edit!.changes[uri(file)])).toBe("default reject\n");

    const warnFile = path.join(tmp, "warn.trust");
    const warnText = "default reject\ndocker {\n  default accept\n}\n";
    client.open(warnFile, warnText);
    const w = (await client.diagnostics(warnFile, 1)).diagnostics.find((x) => x.code === "IT4007")!;
    const suppress = (await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri: uri(warnFile) }, range: w.range, context: { diagnostics: [w] } })).find((a) =>
      a.title.startsWith("Suppress IT4007"),
    )!;
    const after = applyEdits(warnText, suppress.edit!.changes[uri(warnFile)]);
    expect(after).toBe("default reject\ndocker {\n  # imagetrust-ignore IT4007: reviewed\n  default accept\n}\n");
    client.change(warnFile, after, 2);
    expect((await client.diagnostics(warnFile, 2)).diagnostics.map((x) => x.code)).not.toContain("IT4007");
  });
});
