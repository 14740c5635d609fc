/**
 * `imagetrust playground`: serve the static playground (`playground/dist/`, built by `npm run playground`) on
 * 127.0.0.1 and print its URL. The page runs the core in the browser; this server only hands out its files (GET and
 * HEAD, nothing outside the folder) and receives nothing. Built on first use when the build script is at hand.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import * as nodePath from "node:path";
import { fileURLToPath } from "node:url";
import { Command, Option } from "commander";
import { CommandContext, UsageError } from "../context.js";

/** The options of `imagetrust playground` as commander parses them. */
interface PlaygroundCliOptions {
  port: string;
  open: boolean;
  /** Serve this folder instead of the package's playground/dist (tests, a build elsewhere). */
  dir?: string;
}

const NOT_BUILT = "IT9075";
const CANNOT_LISTEN = "IT9076";
/** The default port (unassigned by IANA, rarely taken). */
export const DEFAULT_PLAYGROUND_PORT = 8737;

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
};

/** The package root: the nearest directory above this file whose package.json names imagetrust (works from src/, dist/ or a bundle). */
function packageRoot(): string | undefined {
  let dir = nodePath.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = nodePath.join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "imagetrust") return dir;
      } catch {
        /* keep looking */
      }
    }
    const up = nodePath.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The folder to serve: built now if it is missing and the build script is there (a clone); else IT9075. */
function playgroundDir(ctx: CommandContext, explicit: string | undefined): string {
  if (explicit !== undefined) {
    const dir = nodePath.resolve(ctx.io.cwd, explicit);
    if (!existsSync(nodePath.join(dir, "index.html"))) throw new UsageError(`${explicit} holds no index.html (see 'imagetrust explain ${NOT_BUILT}')`);
    return dir;
  }
  const root = packageRoot();
  const dir = root && nodePath.join(root, "playground", "dist");
  if (dir && existsSync(nodePath.join(dir, "index.html"))) return dir;
  const script = root && nodePath.join(root, "scripts", "build-playground.mjs");
  if (dir && script && existsSync(script)) {
    ctx.err("imagetrust playground: building the playground (npm run playground) …\n");
    const r = spawnSync(process.execPath, [script], { cwd: root, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
    ctx.err((r.stdout ?? "") + (r.stderr ?? ""));
    if (r.status === 0 && existsSync(nodePath.join(dir, "index.html"))) return dir;
  }
  throw new UsageError(`the playground is not built and cannot be built here: run 'npm run playground' in a clone of imagetrust (see 'imagetrust explain ${NOT_BUILT}')`);
}

/** A request handler serving `dir` read-only. */
function serveDir(dir: string) {
  return (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse): void => {
    const send = (status: number, body: string) => {
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed\n");
    let rel: string;
    try {
      rel = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    } catch {
      return send(400, "bad request\n");
    }
    if (rel.endsWith("/")) rel += "index.html";
    const file = nodePath.join(dir, nodePath.posix.normalize(rel));
    if (!file.startsWith(dir + nodePath.sep) || rel.includes("\0")) return send(404, "not found\n");
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) return send(404, "not found\n");
      size = st.size;
    } catch {
      return send(404, "not found\n");
    }
    res.writeHead(200, {
      "content-type": TYPES[nodePath.extname(file)] ?? "application/octet-stream",
      "content-length": String(size),
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
    });
    res.end(req.method === "HEAD" ? undefined : readFileSync(file));
  };
}

/** Open `url` in the desktop's browser, ignoring every failure (a server, a container, no desktop). */
function openBrowser(url: string): void {
  const [cmd, args] = process.platform === "darwin" ? ["open", [url]] : process.platform === "win32" ? ["cmd", ["/c", "start", "", url]] : ["xdg-open", [url]];
  try {
    const child = spawn(cmd, args, { stdio: "ignore", detached: true });
    child.on("error", () => undefined);
    child.unref();
  } catch {
    /* no browser to open: the URL is printed */
  }
}

/** Register `imagetrust playground` on `program`. */
export function registerPlaygroundCommand(program: Command, ctx: CommandContext): void {
  program
    .command("playground")
    .description("serve the playground (the core in a web page) on 127.0.0.1 and print its URL")
    .option("--port <n>", "port to listen on (0: any free port)", String(DEFAULT_PLAYGROUND_PORT))
    .option("--no-open", "do not open a browser")
    .addOption(new Option("--dir <dir>", "serve this built playground folder instead of the package's").hideHelp())
    .addHelpText(
      "after",
      `
The playground is a static page: a CodeMirror editor for a .trust program or a policy.json (and a registries.d
file), the diagnostics of the same core as the CLI, the compiled output, a simulate panel and the show picture.
It runs entirely in the browser and sends nothing anywhere; its state lives in the URL fragment (share the link).
The files come from playground/dist/ (npm run playground), built on first use in a clone. Stop with Ctrl-C.

Examples:
  $ imagetrust playground
  $ imagetrust playground --port 0 --no-open
`,
    )
    .action(async (opts: PlaygroundCliOptions) => {
      if (!/^\d+$/.test(opts.port) || Number(opts.port) > 65535) throw new UsageError(`invalid --port '${opts.port}': expected a number from 0 to 65535`);
      const dir = playgroundDir(ctx, opts.dir);
      const server: Server = createServer(serveDir(dir));
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(Number(opts.port), "127.0.0.1", () => resolve());
      }).catch((e: NodeJS.ErrnoException) => {
        throw new UsageError(`cannot listen on 127.0.0.1:${opts.port}: ${e.code ?? e.message} (see 'imagetrust explain ${CANNOT_LISTEN}')`);
      });
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : Number(opts.port);
      const url = `http://127.0.0.1:${port}/`;
      ctx.out(`imagetrust playground: ${url}\n(serving ${ctx.display(dir)}; Ctrl-C to stop)\n`);
      if (opts.open) openBrowser(url);
      await new Promise<void>((resolve) => {
        const stop = () => server.close(() => resolve());
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
    });
}
