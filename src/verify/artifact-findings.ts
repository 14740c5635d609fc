/**
 * Coded findings (IT5830–IT5843) from the artifacts found for an image and the runtime's decision on it: which
 * signatures the runtime does not read and why, whether a Sigstore bundle would satisfy the policy, and, for manifest
 * lists, "the list is signed, this instance is not". The decision itself is never changed here: the runtime's verdict
 * stands, the findings explain it.
 */
import type { EvidenceFinding, FoundArtifact } from "../simulate/evidence-artifacts.js";
import type { EvidenceReport } from "../simulate/evidence-source.js";

const OLD_FORMAT_HINT =
  "sign in cosign's old format, into the .sig tag: `cosign sign --new-bundle-format=false --use-signing-config=false IMAGE@DIGEST` (cosign 3), and set `use-sigstore-attachments: true` in registries.d for this namespace";

const PLACE_TEXT: Record<FoundArtifact["place"], string> = {
  lookaside: "the lookaside",
  "sig-tag": "the .sig tag",
  "att-tag": "the .att tag",
  "referrers-api": "the referrers API",
  "referrers-tag": "the referrers tag",
};

function kindText(a: FoundArtifact): string {
  switch (a.kind) {
    case "sigstore-bundle":
      return "a Sigstore bundle";
    case "cosign-simple-signing":
      return "a cosign simple-signing signature";
    case "simple-signing":
      return "a simple-signing signature";
    case "attestation":
      return `an attestation${a.predicateType ? ` (${a.predicateType})` : ""}`;
    default:
      return `an artifact of type ${a.mediaType || "(none)"}`;
  }
}

/** Signatures that exist but that the runtime does not read (or reads but cannot use). */
export function unseenSignatures(artifacts: readonly FoundArtifact[]): FoundArtifact[] {
  return artifacts.filter((a) => a.signature && (!a.readByRuntime || a.kind === "sigstore-bundle"));
}

/** The findings for one image's evidence, given the runtime's decision on it. */
export function artifactFindings(report: EvidenceReport, decision: { verdict: "allow" | "deny"; error: string | null }): EvidenceFinding[] {
  const artifacts = report.artifacts ?? [];
  const out: EvidenceFinding[] = [];
  for (const a of artifacts) {
    const at = `${kindText(a)} in ${PLACE_TEXT[a.place]} (${a.location})`;
    if (a.kind === "attestation") out.push({ code: "IT5833", severity: "info", message: `${at}: an attestation, not a signature; no containers/image policy reads it` });
    else if (a.kind === "other") out.push({ code: "IT5834", severity: "info", message: `${at}: not a signature` });
    else if (a.place === "referrers-api")
      out.push({ code: "IT5830", severity: "warning", message: `${at}: stored as an OCI 1.1 referrer, which containers/image does not read`, hint: OLD_FORMAT_HINT });
    else if (a.place === "referrers-tag")
      out.push({ code: "IT5831", severity: "warning", message: `${at}: stored under the referrers tag, which containers/image does not read`, hint: OLD_FORMAT_HINT });
    else if (a.place === "sig-tag" && !a.readByRuntime)
      out.push({ code: "IT5832", severity: "warning", message: `${at}: ${a.why}`, hint: "set `use-sigstore-attachments: true` in registries.d for this namespace (or default-docker)" });
    else if (a.place === "sig-tag" && a.kind === "sigstore-bundle")
      out.push({ code: "IT5838", severity: "warning", message: `${at}: read, but only ${"application/vnd.dev.cosign.simplesigning.v1+json"} layers are signatures to the runtime`, hint: OLD_FORMAT_HINT });
    if (a.bundleCheck) {
      const failed = a.bundleCheck.checks.filter((c) => c.passed === false);
      if (a.bundleCheck.wouldSatisfy)
        out.push({
          code: "IT5836",
          severity: "info",
          message: `${at} would satisfy the policy if it were read (${a.bundleCheck.checks.filter((c) => c.passed).map((c) => c.check).join(", ")} checked; the signed identity cannot be: a bundle names no docker-reference)`,
        });
      else out.push({ code: "IT5837", severity: "info", message: `${at} would not satisfy the policy even if it were read: ${failed.map((c) => `${c.check}: ${c.detail}`).join("; ")}` });
    }
  }
  for (const n of report.artifactNotes ?? []) if (!/not available \(status 404\)/.test(n)) out.push({ code: "IT5839", severity: "info", message: `could not search ${n}` });
  const unseen = unseenSignatures(artifacts);
  if (decision.verdict === "deny" && unseen.length > 0 && /no signature exists/.test(decision.error ?? "")) {
    const where = [...new Set(unseen.map((a) => PLACE_TEXT[a.place]))].join(", ");
    out.unshift({
      code: "IT5835",
      severity: "error",
      message: `the image is signed (${unseen.length} signature${unseen.length === 1 ? "" : "s"} in ${where}), but not where containers/image reads signatures: the registries.d lookaside, and the sha256-<hex>.sig tag with use-sigstore-attachments: true`,
      hint: unseen.every((a) => a.place === "sig-tag" && a.kind === "cosign-simple-signing") ? "set `use-sigstore-attachments: true` in registries.d for this namespace" : OLD_FORMAT_HINT,
    });
  }
  return out;
}
