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
} as const;
