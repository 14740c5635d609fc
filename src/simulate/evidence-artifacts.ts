/**
 * Report types for issue 12: the signature artifacts found in every place a signature can be stored (and whether the
 * runtime reads each), Sigstore bundle checks, coded findings, and how a manifest list is decided (the instance a
 * pull takes on a platform). Part of `simulate --format json` `signatures` and `verify --format json` (stable names).
 * Filled by src/verify/ (artifacts.ts, bundle.ts, artifact-findings.ts, online-evidence.ts, manifest-list.ts).
 */

/** The kinds of artifact told apart. */
export type ArtifactKind = "cosign-simple-signing" | "sigstore-bundle" | "attestation" | "simple-signing" | "other";

/** Where an artifact was found. */
export type ArtifactPlace = "lookaside" | "sig-tag" | "att-tag" | "referrers-api" | "referrers-tag";

/** What a bundle check found (bundle.ts). */
export interface BundleCheckReport {
  /** true: every check the policy allows passed (the signed identity aside); false: one failed. */
  wouldSatisfy: boolean;
  /** The checks made, in order: name, passed (null: could not be checked), detail. */
  checks: { check: string; passed: boolean | null; detail: string }[];
}

/** One artifact found for an image digest. */
export interface FoundArtifact {
  place: ArtifactPlace;
  /** The tag, the referrer manifest's digest, or the lookaside URL. */
  location: string;
  kind: ArtifactKind;
  /** The layer's media type (for the lookaside: the signature's format). */
  mediaType: string;
  /** For bundles and attestations, the in-toto predicate type when known. */
  predicateType?: string;
  /** Whether containers/image reads it at all. */
  readByRuntime: boolean;
  /** Whether it is a signature of the image (not an attestation or another artifact). */
  signature: boolean;
  /** Why it is (not) read, in a sentence. */
  why: string;
  /** For a Sigstore bundle, once checked against a sigstoreSigned requirement of the policy. */
  bundleCheck?: BundleCheckReport;
}

/** A coded finding about where signatures are, or about a manifest list (catalogue band IT5830–IT5869). */
export interface EvidenceFinding {
  code: string;
  severity: "error" | "warning" | "info";
  message: string;
  /** What to do. */
  hint?: string;
}

/** The instance of a manifest list a pull takes (`podman pull`: `ChooseInstance` for the platform). */
export interface PullChoice {
  /** `os/arch[/variant]` wanted. */
  platform: string;
  /** "--platform" when the user named it, "this machine" otherwise. */
  from: "--platform" | "this machine";
  /** The instance's digest, or null when none fits (the pull fails with `error`). */
  digest: string | null;
  error?: string;
  /** The verdict on that instance, when it was decided. */
  verdict?: "allow" | "deny";
}
