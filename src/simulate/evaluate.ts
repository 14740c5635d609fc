/**
 * The whole-image decision for one requirement list: containers/image `signature/policy_eval.go`
 * `(*PolicyContext).IsRunningImageAllowed` and each requirement's `isRunningImageAllowed`
 * (`policy_eval_simple.go`, `policy_eval_baselayer.go`, `policy_eval_signedby.go`, `policy_eval_sigstore.go`);
 * spec containers-policy.md §4.1.
 *
 * Requirements are evaluated in order and the first denial wins (later ones are not evaluated). Signature
 * requirements are decided by a `SignatureEvidence`: the default, `NO_SIGNATURE_EVIDENCE`, has no signatures
 * at hand and denies as the runtime denies an unsigned image; a signature verification module plugs in here.
 */
import type { Requirement, SignedBy, SigstoreSigned } from "../ir/types.js";
import type { DockerReference } from "../reference/docker-reference.js";
import type { SignatureFinding } from "./signature-findings.js";

/** What evaluation knows about the image being pulled. */
export interface EvaluatedImage {
  /** The transport name, e.g. "docker". */
  transport: string;
  /** Upstream `transports.ImageName(ref)`, e.g. "docker://busybox:latest" (used in the reject message). */
  imageName: string;
  /** The image's Docker reference (`ImageReference.DockerReference()`), if the transport has one. */
  dockerReference?: DockerReference;
  /** The manifest digest ("sha256:…"), when known (from the reference or a given manifest). */
  manifestDigest?: string;
  /** The manifest bytes, when given. */
  manifest?: Uint8Array;
}

/** The outcome of checking one signature against one signature requirement. */
export interface SignatureCheck {
  /** 0-based position of the signature among those considered. */
  index: number;
  accepted: boolean;
  /** Upstream's rejection text when rejected. */
  reason?: string;
  /** The identity the signature claims (`critical.identity.docker-reference`), when it could be read. */
  claimedIdentity?: string;
  /** The key / certificate identity that made it, when known. */
  signer?: string;
  /** A coded explanation of the rejection (IT5800 certificate identity, IT5801/IT5802 tag moved after signing). */
  finding?: SignatureFinding;
  /** The rejection in plain words when upstream's reason is not (which key signed, why it is refused, what is trusted). */
  explanation?: string;
  /** The coded kind of a GPG rejection (signature-findings.ts `SIGNATURE_REJECTION_CODES`, IT5803–IT5806). */
  code?: string;
}

/** A signature requirement's decision as a `SignatureEvidence` reports it. */
export interface SignatureVerdict {
  allowed: boolean;
  /** When denied: exactly the error upstream returns (see `summarizeSignatureRejections`). */
  message?: string;
  /** Per-signature details, for the explanation. */
  signatures?: SignatureCheck[];
}

/**
 * The seam for signature evidence: decide a `signedBy` / `sigstoreSigned` requirement for an image
 * (upstream `prSignedBy.isRunningImageAllowed` / `prSigstoreSigned.isRunningImageAllowed`).
 */
export interface SignatureEvidence {
  evaluate(requirement: SignedBy | SigstoreSigned, image: EvaluatedImage): SignatureVerdict;
}

/** Upstream's message when a signature requirement finds no candidate signature. */
export const NO_SIGNATURE_MESSAGE = "A signature was required, but no signature exists";

/** Evidence with no signatures at all: every signature requirement denies, as for an unsigned image. */
export const NO_SIGNATURE_EVIDENCE: SignatureEvidence = {
  evaluate: () => ({ allowed: false, message: NO_SIGNATURE_MESSAGE, signatures: [] }),
};

/**
 * Upstream's summary of a signature requirement that accepted nothing: no candidates →
 * "A signature was required, but no signature exists" (for sigstoreSigned with other kinds present, the
 * counted variant); one rejection → its text; several → "None of the signatures were accepted, reasons: a; b".
 */
export function summarizeSignatureRejections(
  rejections: readonly string[],
  sigstoreCounts?: { nonSigstoreSignatures: number; nonSignatureAttachments: number },
): string {
  if (rejections.length === 0) {
    if (sigstoreCounts && (sigstoreCounts.nonSigstoreSignatures > 0 || sigstoreCounts.nonSignatureAttachments > 0))
      return `${NO_SIGNATURE_MESSAGE} (${sigstoreCounts.nonSigstoreSignatures} non-sigstore signatures, ${sigstoreCounts.nonSignatureAttachments} sigstore non-signature attachments)`;
    return NO_SIGNATURE_MESSAGE;
  }
  if (rejections.length === 1) return rejections[0];
  return `None of the signatures were accepted, reasons: ${rejections.join("; ")}`;
}

/** How one requirement of the list fared. "skipped": an earlier requirement denied, so upstream never ran it. */
export interface RequirementOutcome {
  index: number;
  requirement: Requirement;
  status: "allow" | "deny" | "skipped";
  /** The denial text (upstream's error) when denied. */
  message?: string;
  signatures?: SignatureCheck[];
}

/** The decision for a whole image. */
export interface Evaluation {
  allowed: boolean;
  /** Upstream's error for a denial (the first denying requirement's), null when allowed. */
  error: string | null;
  outcomes: RequirementOutcome[];
}

/** Upstream's message for an empty requirement list (only possible for a programmatically built policy). */
export const EMPTY_REQUIREMENTS_MESSAGE = "List of verification policy requirements must not be empty";

/**
 * The requirements a `SignatureEvidence` answers: upstream `prSignedBy` / `prSigstoreSigned`. The other requirement
 * types decide without looking at the image's signatures.
 */
export type SignatureRequirement = SignedBy | SigstoreSigned;

/**
 * Signature evidence that must be gathered and verified first (reading files or the network, verifying
 * OpenPGP / sigstore signatures): src/verify/ answers through this seam, and the simulator asks only for the
 * requirements it evaluates, in order, once each.
 */
export interface AsyncSignatureEvidence {
  evaluate(requirement: SignatureRequirement, image: EvaluatedImage): Promise<SignatureVerdict>;
}

/** A requirement that needs no signature evidence: its `isRunningImageAllowed`. */
function decideWithoutSignatures(requirement: Exclude<Requirement, SignatureRequirement>, image: EvaluatedImage): { allowed: boolean; message?: string } {
  switch (requirement.type) {
    case "insecureAcceptAnything":
      return { allowed: true };
    case "reject":
      return { allowed: false, message: `Running image ${image.imageName} is rejected by policy.` };
    case "signedBaseLayer":
      return { allowed: false, message: "signedBaseLayer not implemented yet!" };
  }
}

/** A signature requirement's result from the evidence's verdict. */
function fromVerdict(v: SignatureVerdict): { allowed: boolean; message?: string; signatures?: SignatureCheck[] } {
  return v.allowed
    ? { allowed: true, signatures: v.signatures }
    : { allowed: false, message: v.message ?? NO_SIGNATURE_MESSAGE, signatures: v.signatures };
}

/** One requirement's `isRunningImageAllowed`. */
export function evaluateRequirement(
  requirement: Requirement,
  image: EvaluatedImage,
  evidence: SignatureEvidence = NO_SIGNATURE_EVIDENCE,
): { allowed: boolean; message?: string; signatures?: SignatureCheck[] } {
  if (requirement.type === "signedBy" || requirement.type === "sigstoreSigned") return fromVerdict(evidence.evaluate(requirement, image));
  return decideWithoutSignatures(requirement, image);
}

/**
 * `IsRunningImageAllowed` for an already selected requirement list, written once for both kinds of evidence: it
 * yields each signature requirement it reaches and is resumed with that requirement's verdict. In order, first
 * denial wins (later requirements are not evaluated, so their evidence is never asked for).
 */
function* evaluationSteps(requirements: readonly Requirement[], image: EvaluatedImage): Generator<SignatureRequirement, Evaluation, SignatureVerdict> {
  if (requirements.length === 0) return { allowed: false, error: EMPTY_REQUIREMENTS_MESSAGE, outcomes: [] };
  const outcomes: RequirementOutcome[] = [];
  let error: string | null = null;
  for (let i = 0; i < requirements.length; i++) {
    const requirement = requirements[i];
    if (error !== null) {
      outcomes.push({ index: i, requirement, status: "skipped" });
      continue;
    }
    const r: { allowed: boolean; message?: string; signatures?: SignatureCheck[] } =
      requirement.type === "signedBy" || requirement.type === "sigstoreSigned" ? fromVerdict(yield requirement) : decideWithoutSignatures(requirement, image);
    const outcome: RequirementOutcome = { index: i, requirement, status: r.allowed ? "allow" : "deny" };
    if (r.message !== undefined) outcome.message = r.message;
    if (r.signatures !== undefined) outcome.signatures = r.signatures;
    outcomes.push(outcome);
    if (!r.allowed) error = r.message ?? "denied";
  }
  return { allowed: error === null, error, outcomes };
}

/** `IsRunningImageAllowed` for an already selected requirement list, with evidence at hand. */
export function evaluateRequirements(
  requirements: readonly Requirement[],
  image: EvaluatedImage,
  evidence: SignatureEvidence = NO_SIGNATURE_EVIDENCE,
): Evaluation {
  const steps = evaluationSteps(requirements, image);
  let step = steps.next();
  while (!step.done) step = steps.next(evidence.evaluate(step.value, image));
  return step.value;
}

/** `IsRunningImageAllowed` for an already selected requirement list, with evidence that is verified on demand. */
export async function evaluateRequirementsAsync(
  requirements: readonly Requirement[],
  image: EvaluatedImage,
  evidence: AsyncSignatureEvidence,
): Promise<Evaluation> {
  const steps = evaluationSteps(requirements, image);
  let step = steps.next();
  while (!step.done) step = steps.next(await evidence.evaluate(step.value, image));
  return step.value;
}

/**
 * A fast verdict with no explanation and no signatures: true iff the list is non-empty and every element is
 * insecureAcceptAnything (any other requirement denies an image without signature evidence).
 */
export function allowedWithoutSignatures(requirements: readonly Requirement[]): boolean {
  if (requirements.length === 0) return false;
  for (let i = 0; i < requirements.length; i++) if (requirements[i].type !== "insecureAcceptAnything") return false;
  return true;
}

/**
 * `IsRunningImageAllowed`'s verdict and error without per-requirement outcomes (no allocation beyond the
 * message): the bulk path. Same result as `evaluateRequirements(...).allowed / .error`.
 */
export function decideRequirements(
  requirements: readonly Requirement[],
  image: EvaluatedImage,
  evidence: SignatureEvidence = NO_SIGNATURE_EVIDENCE,
): { allowed: boolean; error: string | null } {
  if (requirements.length === 0) return { allowed: false, error: EMPTY_REQUIREMENTS_MESSAGE };
  for (let i = 0; i < requirements.length; i++) {
    const r = requirements[i];
    if (r.type === "insecureAcceptAnything") continue;
    const v = evaluateRequirement(r, image, evidence);
    if (!v.allowed) return { allowed: false, error: v.message ?? "denied" };
  }
  return { allowed: true, error: null };
}
