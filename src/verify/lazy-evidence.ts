/**
 * {@link signatureEvidence} loaded on first use. Most simulate runs read no evidence at all (a fleet's docker://
 * references decided from their text, dir: images that are not on this machine), and the evidence module brings the
 * verifiers with it (sigstore, GPG, node:crypto, node:zlib: ~15 ms of a simulate's start-up on the development
 * machine). `requested` is known without it; the module is imported when the first image's evidence is gathered.
 */
import type { ImageReference } from "../reference/image-reference.js";
import type { EvidenceSource, GatheredEvidence } from "../simulate/evidence-source.js";
import type { SignatureEvidenceOptions } from "./evidence-context.js";

/** Whether evidence was asked for beyond the runtime's default (EvidenceSource `requested`). */
export function evidenceRequested(options: SignatureEvidenceOptions): boolean {
  return options.signatures !== undefined || options.signaturesDir !== undefined || options.lookaside === true || options.online !== undefined;
}

/** The evidence source of `options`, its module imported when evidence is first gathered. */
export function lazySignatureEvidence(options: SignatureEvidenceOptions): EvidenceSource {
  let source: Promise<EvidenceSource> | undefined;
  return {
    requested: evidenceRequested(options),
    async gather(ref: ImageReference): Promise<GatheredEvidence | null> {
      source ??= import("./evidence.js").then((m) => m.signatureEvidence(options));
      return (await source).gather(ref);
    },
  };
}
