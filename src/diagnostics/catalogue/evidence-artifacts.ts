/** Catalogue band IT5830–IT5869: where signatures are stored and which the runtime reads (cosign bundles, referrers), per-instance verdicts of multi-arch images (issue 12). */
// import { page } from "./entry.js";

/** Entries of this band (code → page). */
export const EVIDENCE_ARTIFACTS_ENTRIES = {
} as const;
