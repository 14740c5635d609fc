/** `imagetrust lsp`: the language server, over stdio (src/lsp/server.ts has the protocol; this file the process). */
import { Command } from "commander";
import { CommandContext } from "../context.js";
import { packageVersion } from "../shared.js";

const LSP_HELP = `
Speaks the Language Server Protocol on stdin/stdout, for .trust sources, policy.json (by name, or any JSON whose
content is a policy), registries.d/*.yaml and registries.conf: diagnostics as you type (the codes, positions,
related locations and hints of 'imagetrust lint', with .imagetrust.yaml applied), hovers, completion, go to
definition, references, outline, formatting (fmt) and quick fixes. Editors start it; you do not run it by hand.

Examples:
  $ imagetrust lsp            # what an editor runs (VS Code: the extension in editors/vscode, see the README)
  Neovim:  vim.lsp.start({ name = "imagetrust", cmd = { "imagetrust", "lsp" } })
  Helix:   [language-server.imagetrust] command = "imagetrust", args = ["lsp"]
`;

/** Register `imagetrust lsp` on `program`. */
export function registerLspCommand(program: Command, ctx: CommandContext): void {
  program
    .command("lsp")
    .description("run the language server (LSP over stdio) for editors")
    .option("--stdio", "talk over stdin/stdout (the default and only transport; accepted because clients pass it)")
    .addHelpText("after", LSP_HELP)
    .action(async () => {
      // A CommonJS package: its exports are the namespace's own under Node, or its `default` inside a bundle.
      const imported = (await import("vscode-languageserver/node.js")) as typeof import("vscode-languageserver/node.js") & { default?: typeof import("vscode-languageserver/node.js") };
      const { createConnection, StreamMessageReader, StreamMessageWriter } = imported.StreamMessageReader ? imported : imported.default!;
      const { startLanguageServer } = await import("../../lsp/server.js");
      const connection = createConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
      const closed = new Promise<void>((resolve) => {
        connection.onExit(() => resolve());
        process.stdin.on("end", () => resolve());
      });
      startLanguageServer(connection, { host: ctx.host, version: packageVersion() });
      await closed;
    });
}
