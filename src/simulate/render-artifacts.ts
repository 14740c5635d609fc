/** Text for the artifacts found, the coded findings and a list's extras (issue 12), shared by `verify` and `simulate`. */
import type { EvidenceFinding, FoundArtifact, PullChoice } from "./evidence-artifacts.js";
import type { EvidenceReport, InstanceResult } from "./evidence-source.js";

const PLACE: Record<FoundArtifact["place"], string> = {
  lookaside: "lookaside",
  "sig-tag": ".sig tag",
  "att-tag": ".att tag",
  "referrers-api": "referrers API",
  "referrers-tag": "referrers tag",
};

/** One line per artifact (and per bundle check), then one per finding with its hint; [] when there are none. */
export function artifactLines(r: Pick<EvidenceReport, "artifacts" | "findings">): string[] {
  const lines: string[] = [];
  if (r.artifacts && r.artifacts.length > 0) {
    lines.push("artifacts found:");
    for (const a of r.artifacts) {
      const kind = `${a.kind}${a.predicateType ? ` (${a.predicateType})` : ""}`;
      lines.push(`  ${PLACE[a.place]} ${a.location}: ${kind}, ${a.readByRuntime ? "read by the runtime" : "not read by the runtime"}${a.readByRuntime ? "" : ` (${a.why})`}`);
      if (a.bundleCheck) {
        lines.push(`    if it were read: ${a.bundleCheck.wouldSatisfy ? "would satisfy the policy" : "would NOT satisfy the policy"}`);
        for (const c of a.bundleCheck.checks) lines.push(`      ${c.passed === null ? "?" : c.passed ? "ok" : "FAIL"} ${c.check}: ${c.detail}`);
      }
    }
  }
  lines.push(...findingLines(r.findings));
  return lines;
}

/** `CODE severity: message` and its hint (IT5842 is the "pull on …" line of {@link listLines}). */
export function findingLines(findings: readonly EvidenceFinding[] | undefined): string[] {
  const lines: string[] = [];
  for (const f of findings ?? []) {
    if (f.code === "IT5842") continue; // the pull line says it (listLines)
    lines.push(`${f.code} ${f.severity}: ${f.message}`);
    if (f.hint) lines.push(`  hint: ${f.hint}`);
  }
  return lines;
}

/** The list's own verdict and the pull's instance. */
export function listLines(list: InstanceResult | undefined, pull: PullChoice | undefined): string[] {
  const lines: string[] = [];
  if (list) lines.push(`list ${list.digest}: ${list.verdict === "allow" ? "ALLOW" : `DENY: ${list.error ?? ""}`} (the policy on the list's own digest; no pull checks it)`);
  if (pull)
    lines.push(
      pull.digest === null
        ? `pull on ${pull.platform} (${pull.from}): fails: ${pull.error ?? ""}`
        : `pull on ${pull.platform} (${pull.from}): instance ${pull.digest}${pull.verdict ? `: ${pull.verdict === "allow" ? "ALLOW" : "DENY"}` : ""}`,
    );
  return lines;
}
