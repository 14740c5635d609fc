/** Catalogue band IT9060–IT9079: streaming output, the language server, the playground and show (issues 14, 15). */
import { page } from "./entry.js";

/** Entries of this band (code → page). */
export const TOOLING_ENTRIES = {
  // IT9070–IT9074: the language server (imagetrust lsp).
  IT9070: page(
    "error",
    "The language server could not check this document",
    "Checking the document failed inside imagetrust (a bug), so the editor shows no findings for it; the message names the failure.",
    "The language server runs the same checks as `imagetrust lint`; an exception there would be an internal error (exit 2) on the command line too.",
    "Run `imagetrust lint FILE` on the saved file to see the same failure, and report it with the file.",
  ),
  IT9075: page("error", "The playground is not built and cannot be built here",
    "`imagetrust playground` serves the static files of `playground/dist/`, and they are missing; this installation has no build script (`scripts/build-playground.mjs`) or the build failed.",
    "The playground is a folder of static files bundled by esbuild from the core and CodeMirror; a package without them has nothing to serve.",
    "In a clone of the repository run `npm run playground` (it needs the devDependencies: `npm ci`), then `imagetrust playground` again; or serve `playground/dist/` with any static file server."),
  IT9076: page("error", "The playground cannot listen on that port",
    "`imagetrust playground` could not open its local HTTP server on 127.0.0.1 at the port asked for (`--port`, default 8737): another program uses it, or the port is not allowed.",
    "The server listens on the loopback interface only, on one port; it does not pick another one silently, so the printed URL is always the one asked for.",
    "Stop the other program, or choose another port: `imagetrust playground --port 8738`, or `--port 0` for any free one."),
} as const;
