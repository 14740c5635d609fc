/** Findings on manifest lists decided per instance (issue 12 §3; catalogue band IT5830–IT5869). */
import type { EvidenceFinding } from "./evidence-artifacts.js";
import type { EvidenceReport } from "./evidence-source.js";

/** IT5841: the list is signed, the instance is not (a pull checks the instance). */
export function listSignedInstanceNot(list: EvidenceReport, instance: EvidenceReport, instanceDigest: string, listDigest: string): EvidenceFinding | undefined {
  const signed = (r: EvidenceReport) => r.formats.length > 0 || (r.artifacts ?? []).some((a) => a.signature);
  if (!signed(list) || signed(instance)) return undefined;
  return {
    code: "IT5841",
    severity: "warning",
    message: `the list ${listDigest} is signed, this instance ${instanceDigest} is not: a pull checks the policy against the instance for its platform, never the list`,
    hint: "sign every instance too: `cosign sign --recursive IMAGE@LIST_DIGEST` (with --new-bundle-format=false --use-signing-config=false so that the runtime reads them)",
  };
}
