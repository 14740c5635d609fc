/**
 * The imagetrust extension: starts `imagetrust lsp` (the language server of the imagetrust package) for .trust
 * sources, policy.json files (by name, or any JSON whose content is a policy: the server decides), registries.d
 * YAML and registries.conf, and tells it when key files and neighbouring configuration change on disk.
 *
 * Which executable: the `imagetrust.path` setting; else the workspace's own `node_modules/.bin/imagetrust`; else
 * `imagetrust` on PATH.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { commands, window, workspace, type ExtensionContext } from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

/** The imagetrust executable to run. */
function serverCommand(): string {
  const configured = workspace.getConfiguration("imagetrust").get<string>("path", "").trim();
  if (configured !== "") return configured;
  for (const folder of workspace.workspaceFolders ?? []) {
    const local = path.join(folder.uri.fsPath, "node_modules", ".bin", process.platform === "win32" ? "imagetrust.cmd" : "imagetrust");
    if (fs.existsSync(local)) return local;
  }
  return "imagetrust";
}

function createClient(): LanguageClient {
  const command = serverCommand();
  const args = ["lsp", ...workspace.getConfiguration("imagetrust").get<string[]>("args", [])];
  // TransportKind.stdio: the client adds `--stdio`, which `imagetrust lsp` accepts.
  const serverOptions: ServerOptions = { command, args, transport: TransportKind.stdio, options: { shell: process.platform === "win32" } };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "trust" },
      { scheme: "untitled", language: "trust" },
      { scheme: "file", language: "json" },
      { scheme: "file", language: "jsonc", pattern: "**/policy.json" },
      { scheme: "file", pattern: "**/registries.d/*.{yaml,yml}" },
      { scheme: "file", pattern: "**/{registries.conf,registries.conf.d/*.conf}" },
    ],
    synchronize: {
      // Key files a .trust source names, and the files a policy is judged with (registries.d beside it).
      fileEvents: workspace.createFileSystemWatcher("**/*.{trust,json,yaml,yml,conf,gpg,asc,pub,pem,crt,key}"),
    },
    outputChannelName: "imagetrust",
  };
  return new LanguageClient("imagetrust", "imagetrust", serverOptions, clientOptions);
}

async function start(): Promise<void> {
  client = createClient();
  try {
    await client.start();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    void window.showErrorMessage(
      `imagetrust: could not start '${serverCommand()} lsp' (${message}). Install imagetrust (npm install -g imagetrust) or set "imagetrust.path".`,
    );
  }
}

/** Called by VS Code when a .trust, policy.json or registries.d file is opened. */
export async function activate(context: ExtensionContext): Promise<void> {
  context.subscriptions.push(
    commands.registerCommand("imagetrust.restartServer", async () => {
      await client?.stop();
      await start();
    }),
    workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("imagetrust.path") || e.affectsConfiguration("imagetrust.args")) await commands.executeCommand("imagetrust.restartServer");
    }),
  );
  await start();
}

/** Called by VS Code on shutdown. */
export async function deactivate(): Promise<void> {
  await client?.stop();
}
