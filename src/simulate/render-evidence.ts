/** Text for the signature evidence of a simulated reference (`imagetrust simulate` with signatures). */
import { artifactLines, listLines } from "./render-artifacts.js";
import type { SimulationSignatures, VerifiedRequirement } from "./evidence-source.js";
import { renderFindingLines } from "./signature-findings.js";

/** Text for the evidence of one reference: where signatures were read, and what became of each; "" for none. */
export function renderEvidenceText(s: SimulationSignatures | null, indent: string): string {
  if (s === null) return "";
  const lines: string[] = [];
  lines.push(`signatures read: ${s.source}${s.locations.length ? ` (${s.locations.join(", ")})` : ""}`);
  if (s.manifestDigest) lines.push(`manifest digest: ${s.manifestDigest}`);
  if (s.manifestError) lines.push(`manifest: ${s.manifestError}`);
  if (s.readError) lines.push(`reading signatures failed: ${s.readError}`);
  if (s.notRead) lines.push(`signatures not read: ${s.notRead}`);
  const requirementLines = (reqs: readonly VerifiedRequirement[], pad: string) => {
    if (reqs.length === 0) lines.push(`${pad}no signature requirement was evaluated`);
    for (const q of reqs) {
      const noneChecked = q.signatures.length === 0 && !q.allowed && q.message;
      lines.push(`${pad}requirement ${q.index + 1} (${q.type}): ${q.allowed ? "accepted" : "denied"}${noneChecked ? `: ${q.message}` : ""}`);
      for (const c of q.signatures) {
        const who = [c.claimedIdentity ? `claims ${c.claimedIdentity}` : "", c.signer ? `signed by ${c.signer}` : ""].filter(Boolean).join(", ");
        lines.push(`${pad}  signature ${c.index + 1}: ${c.accepted ? "accepted" : `rejected: ${c.reason ?? "(no reason given)"}`}${who ? ` (${who})` : ""}`);
        if (c.finding) lines.push(...renderFindingLines(c.finding, `${pad}    `));
        // Upstream's reason can be a Go dump of gpgme's result: say it in plain words too.
        if (!c.accepted && c.explanation) lines.push(`${pad}    why: ${c.explanation}`);
        if (!c.accepted && c.code) lines.push(`${pad}    see: imagetrust explain ${c.code}`);
      }
    }
  };
  lines.push(...artifactLines(s));
  if (s.instances) {
    for (const i of s.instances) {
      lines.push(`instance ${i.digest}${i.platform ? ` (${i.platform})` : ""}: ${i.verdict === "allow" ? "ALLOW" : `DENY: ${i.error ?? ""}`}`);
      requirementLines(i.requirements, "  ");
      for (const l of artifactLines(i.evidence)) lines.push(`  ${l}`);
    }
    lines.push(...listLines(s.list, s.pull));
    if (s.list) for (const l of artifactLines(s.list.evidence)) lines.push(`  ${l}`);
  } else requirementLines(s.requirements, "");
  return lines.map((l) => indent + l).join("\n") + "\n";
}
