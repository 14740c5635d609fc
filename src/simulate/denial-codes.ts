/**
 * What a denial carries, for `expect deny … because CODE | "text"` (issue 16): the codes of the findings attached to
 * a decision — each rejected signature's coded kind (IT5803–IT5806, GPG) and its finding (IT5800–IT5802), the
 * evidence findings (IT5830–IT5843, list instances included) — and the texts a reason may be looked for in (the
 * runtime's error, the reasons, each rejected signature's reason, explanation and finding).
 */
import { catalogueEntry, catalogue } from "../diagnostics/catalogue/index.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import type { EvidenceReport, SimulationWithEvidence, VerifiedRequirement } from "./evidence-source.js";
import { SIGNATURE_REJECTION_CODES } from "./signature-findings.js";
import type { SimulationResult } from "./types.js";

/** Whether a decision can carry `code` (a code of a signature rejection or of the evidence: IT57xx, IT58xx, IT5803–IT5806). */
export function isDenialCode(code: string): boolean {
  return /^IT5[78]\d\d$/.test(code) || (Object.values(SIGNATURE_REJECTION_CODES) as string[]).includes(code);
}

/**
 * Whether `because CODE` names a code a denial can carry: undefined when it does, else what is wrong ("unknown" with a
 * did-you-mean among the codes a denial can carry, or "not a denial code" with the code's title).
 */
export function becauseCodeProblem(code: string): { kind: "unknown" | "not-denial"; message: string; hint?: string } | undefined {
  const entry = catalogueEntry(code);
  if (entry === undefined) {
    const hint = didYouMean(code, catalogue().map((e) => e.code).filter(isDenialCode)).trim();
    return { kind: "unknown", message: `'${code}' is not a diagnostic code imagetrust emits.`, ...(hint ? { hint } : {}) };
  }
  if (!isDenialCode(code))
    return {
      kind: "not-denial",
      message: `${code} (${entry.title}) is not a code a denial carries: a denial carries the codes of signature rejections and evidence findings (IT5803–IT5806, IT57xx, IT58xx).`,
      hint: 'Name the code `imagetrust simulate --signatures DIR` shows under the rejected signature, or write `because "text"` to match the reason.',
    };
  return undefined;
}

function requirementsOf(reqs: readonly VerifiedRequirement[], codes: string[], texts: string[]): void {
  for (const q of reqs) {
    if (q.message) texts.push(q.message);
    for (const c of q.signatures) {
      if (c.accepted) continue;
      if (c.code) codes.push(c.code);
      if (c.finding) {
        codes.push(c.finding.code);
        texts.push(c.finding.message);
      }
      if (c.reason) texts.push(c.reason);
      if (c.explanation) texts.push(c.explanation);
    }
  }
}

function findingsOf(report: EvidenceReport | undefined, codes: string[], texts: string[]): void {
  for (const f of report?.findings ?? []) {
    codes.push(f.code);
    texts.push(f.message);
  }
  if (report?.readError) texts.push(report.readError);
  if (report?.manifestError) texts.push(report.manifestError);
}

/** The codes (unique, in order of appearance) and the texts of a decision, for `because`. */
export function denialFacts(result: SimulationResult | SimulationWithEvidence): { codes: string[]; texts: string[] } {
  const codes: string[] = [];
  const texts: string[] = [];
  if (result.error) texts.push(result.error);
  if (result.upstreamError) texts.push(result.upstreamError);
  texts.push(...result.reasons);
  const s = "signatures" in result ? result.signatures : null;
  if (s) {
    requirementsOf(s.requirements, codes, texts);
    findingsOf(s, codes, texts);
    for (const i of s.instances ?? []) {
      if (i.error) texts.push(i.error);
      requirementsOf(i.requirements, codes, texts);
      findingsOf(i.evidence, codes, texts);
    }
  }
  return { codes: [...new Set(codes)], texts };
}
