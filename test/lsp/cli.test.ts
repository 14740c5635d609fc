/** `imagetrust lsp` as a command: help, start-up and end of the process, and the keyword documentation it serves. */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { KEYWORD_DOCS } from "../../src/lsp/keyword-docs.js";
import { KEYWORDS } from "../../src/syntax/tokens.js";
import { runCli } from "../cli/helpers.js";
import { binPath, LspClient, REPO } from "./lsp-client.js";

describe("imagetrust lsp", () => {
  it("--help says what it serves and how editors start it; the main help lists it", async () => {
    const r = await runCli(["lsp", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Language Server Protocol on stdin/stdout");
    expect(r.stdout).toContain("$ imagetrust lsp");
    expect((await runCli(["--help"])).stdout).toMatch(/lsp \[options\] +run the language server/);
  });

  it("exits 0 after shutdown and exit, and ends when the editor closes its stdin", async () => {
    const c = new LspClient();
    const init = await c.initialize();
    expect(init.capabilities).toMatchObject({ hoverProvider: true, definitionProvider: true, documentFormattingProvider: true, codeActionProvider: { codeActionKinds: ["quickfix"] } });
    expect(await c.stop()).toBe(0);

    const child = spawn(process.execPath, [binPath(), "lsp"], { cwd: REPO, stdio: "pipe" });
    const code = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.stdin.end();
    expect(await code).not.toBeNull();
  }, 30_000);

  it("a client that registers dynamically gets formatting for .trust sources only (not offered as a JSON formatter)", async () => {
    const c = new LspClient();
    const init = await c.initialize(REPO, { formatting: { dynamicRegistration: true } });
    expect(init.capabilities.documentFormattingProvider).toBe(false);
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const poll = () => (c.serverRequests.length > 0 ? resolve() : Date.now() - started > 20_000 ? reject(new Error("no registration")) : setTimeout(poll, 20));
      poll();
    });
    expect(c.serverRequests[0]).toMatchObject({
      method: "client/registerCapability",
      params: { registrations: [{ method: "textDocument/formatting", registerOptions: { documentSelector: [{ language: "trust" }, { pattern: "**/*.trust" }] } }] },
    });
    expect(await c.stop()).toBe(0);
  }, 30_000);

  it("every keyword of the token set has a hover text", () => {
    expect(KEYWORDS.filter((k) => !KEYWORD_DOCS[k])).toEqual([]);
  });
});
