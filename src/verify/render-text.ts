/** Text for `imagetrust verify`: the verdict, the deciding scope, the evidence read and each signature's check. */
import { artifactLines, listLines } from "../simulate/render-artifacts.js";
import { renderFindingLines } from "../simulate/signature-findings.js";
import type { VerifyImageResult } from "./verify-image.js";

/** Colouring hooks (identity when absent). */
export interface VerifyTextStyle {
  allow?: (s: string) => string;
  deny?: (s: string) => string;
  bold?: (s: string) => string;
}

const plain = (s: string) => s;

/** The text report of one verification. Upstream's message is said once: not repeated under the requirement or signature it came from. */
export function renderVerifyText(r: VerifyImageResult, style: VerifyTextStyle = {}): string {
  const allow = style.allow ?? plain;
  const deny = style.deny ?? plain;
  const bold = style.bold ?? plain;
  const lines: string[] = [];
  lines.push(`${bold(r.ref)}: ${r.verdict === "allow" ? allow("ALLOW") : deny("DENY")}`);
  if (r.error) lines.push(`  ${r.error}`);
  const sc = r.simulation.scope;
  lines.push(`  decided by: ${sc === null ? "the global default" : `${sc.transport}: ${sc.scope === "" ? '"" (transport default)' : sc.scope}`}`);
  lines.push(`  signatures: ${r.evidence.source}${r.evidence.locations.length ? ` (${r.evidence.locations.join(", ")})` : ""}`);
  if (r.evidence.manifestDigest) lines.push(`  manifest digest: ${r.evidence.manifestDigest}`);
  if (r.evidence.manifestError) lines.push(`  manifest: ${r.evidence.manifestError}`);
  if (r.evidence.readError) lines.push(`  reading signatures: ${r.evidence.readError}`);
  if (r.evidence.notRead) lines.push(`  signatures not read: ${r.evidence.notRead}`);
  for (const q of r.requirements) {
    const qMsg = q.message && q.message !== r.error ? `: ${q.message}` : "";
    lines.push(`  requirement ${q.index + 1} (${q.type}): ${q.allowed ? "accepted" : `denied${qMsg}`}`);
    for (const c of q.signatures) {
      const who = [c.claimedIdentity ? `claims ${c.claimedIdentity}` : "", c.signer ? `signed by ${c.signer}` : ""].filter(Boolean).join(", ");
      const reason = c.explanation ? `: ${c.explanation}` : c.reason && c.reason !== q.message ? `: ${c.reason}` : "";
      lines.push(`    signature ${c.index + 1}: ${c.accepted ? "accepted" : `rejected${reason}`}${who ? ` (${who})` : ""}`);
      if (c.finding) lines.push(...renderFindingLines(c.finding, "      "));
      if (!c.accepted && c.code) lines.push(`      see: imagetrust explain ${c.code}`);
    }
  }
  for (const l of artifactLines(r.evidence)) lines.push(`  ${l}`);
  for (const i of r.instances ?? []) {
    lines.push(`  instance ${i.digest}${i.platform ? ` (${i.platform})` : ""}: ${i.verdict === "allow" ? "ALLOW" : `DENY: ${i.error ?? ""}`}`);
    for (const l of artifactLines(i.evidence)) lines.push(`    ${l}`);
  }
  for (const l of listLines(r.list, r.pull)) lines.push(`  ${l}`);
  if (r.list) for (const l of artifactLines(r.list.evidence)) lines.push(`    ${l}`);
  return lines.join("\n") + "\n";
}
