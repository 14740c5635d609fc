/** Catalogue band IT5800–IT5829 and IT2200–IT2219: signer identities (keyless CI URIs, e-mail) and a tag that moved after signing (issue 12). */
// import { page } from "./entry.js";

/** Entries of this band (code → page). */
export const EVIDENCE_IDENTITY_ENTRIES = {
} as const;
