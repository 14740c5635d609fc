/** Catalogue band IT9014–IT9039 and IT9045–IT9049: bounded reads of local files, safe writes, the lint configuration's limits (issue 17). */
// import { page } from "./entry.js";

/** Entries of this band (code → page). */
export const LIMITS_FILES_ENTRIES = {
} as const;
