/** Catalogue band IT5700–IT5749: registries and lookaside servers are untrusted: caps, deadlines, digests (issue 17). */
// import { page } from "./entry.js";

/** Entries of this band (code → page). */
export const LIMITS_NETWORK_ENTRIES = {
} as const;
