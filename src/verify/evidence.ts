/**
 * The adapter between asynchronous signature verification and the simulator's synchronous
 * `SignatureEvidence` seam (src/simulate/evaluate.ts): a first evaluation pass records which signature
 * requirements the runtime would evaluate, their verdicts are computed (OpenPGP / sigstore, async), and a
 * second pass reads them from this cache.
 */
import type { SignedBy, SigstoreSigned } from "../ir/types.js";
import type { EvaluatedImage, SignatureEvidence, SignatureVerdict } from "../simulate/evaluate.js";
import type { ImageUnderTest } from "./image-under-test.js";
import { evaluateSignedBy } from "./signed-by.js";
import { evaluateSigstoreSigned, type SigstoreContext } from "./sigstore.js";
import type { StoredSignature } from "./stored-signature.js";

/** Evidence that allows everything while recording the requirements asked (the first pass). */
export class RecordingEvidence implements SignatureEvidence {
  readonly asked: { requirement: SignedBy | SigstoreSigned; image: EvaluatedImage }[] = [];
  evaluate(requirement: SignedBy | SigstoreSigned, image: EvaluatedImage): SignatureVerdict {
    if (!this.asked.some((a) => a.requirement === requirement)) this.asked.push({ requirement, image });
    return { allowed: true, signatures: [] };
  }
}

/** Where the signatures of the image came from, or why reading them failed (then every signature requirement denies with it). */
export type SignatureSet = { ok: true; signatures: StoredSignature[] } | { ok: false; error: string };

/** Evidence backed by verdicts computed beforehand (the second pass). Unknown requirements deny. */
export class PrecomputedEvidence implements SignatureEvidence {
  readonly verdicts = new Map<SignedBy | SigstoreSigned, SignatureVerdict>();
  /** Verdicts in the order the simulator asked for them in the last pass. */
  readonly order: { requirement: SignedBy | SigstoreSigned; verdict: SignatureVerdict }[] = [];
  evaluate(requirement: SignedBy | SigstoreSigned): SignatureVerdict {
    const v = this.verdicts.get(requirement) ?? { allowed: false, message: "internal error: signature requirement was not verified" };
    this.order.push({ requirement, verdict: v });
    return v;
  }
}

/** Verify every requirement asked in the recording pass against the signature set. */
export async function computeVerdicts(
  recording: RecordingEvidence,
  image: ImageUnderTest,
  set: SignatureSet,
  ctx: SigstoreContext,
): Promise<PrecomputedEvidence> {
  const out = new PrecomputedEvidence();
  for (const { requirement } of recording.asked) {
    let v: SignatureVerdict;
    if (!set.ok) v = { allowed: false, message: set.error, signatures: [] };
    else if (requirement.type === "signedBy") v = await evaluateSignedBy(requirement, image, set.signatures, ctx);
    else v = await evaluateSigstoreSigned(requirement, image, set.signatures, ctx);
    out.verdicts.set(requirement, v);
  }
  return out;
}
