/** Catalogue band IT2220–IT2299: .trust includes, profiles, enforcement placement, approvals (issue 16). */
// import { page } from "./entry.js";

/** Entries of this band (code → page). */
export const MODULES_ENTRIES = {
} as const;
