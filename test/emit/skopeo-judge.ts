/**
 * skopeo 1.9.3 (containers/image 5.23.1) as the judge of emitted policy.json files, through the shared
 * harness (test/harness/skopeo.ts: `skopeo --policy F copy --quiet dir:SRC dir:DST`).
 */
import { skopeoAvailable, skopeoParsePolicy } from "../harness/skopeo.js";

/** Whether skopeo tests must run: skopeo present, or CI=true (then a missing skopeo fails the tests). */
export const runSkopeoTests = skopeoAvailable() || process.env.CI === "true";

/** The verdict on a policy text: `loaded` false with upstream's message when skopeo refused to load it. */
export interface SkopeoPolicyVerdict {
  loaded: boolean;
  message: string;
}

/** Whether skopeo loads `policyText` (a denial of the copy itself still counts as loaded). */
export async function skopeoLoadsPolicy(policyText: string): Promise<SkopeoPolicyVerdict> {
  const v = await skopeoParsePolicy(policyText);
  return v.ok ? { loaded: true, message: "loaded" } : { loaded: false, message: `Error loading trust policy: ${v.message ?? ""}` };
}
