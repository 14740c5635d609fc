/** Catalogue band IT9060–IT9079: streaming output, the language server, the playground and show (issues 14, 15). */
// import { page } from "./entry.js";

/** Entries of this band (code → page). */
export const TOOLING_ENTRIES = {
} as const;
