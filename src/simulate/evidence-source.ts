/**
 * The seam between the simulator and signature verification: the simulator asks an {@link EvidenceSource} what the
 * runtime would read for an image (src/verify/ gathers it: a `dir:` image's files, `--signatures` files, a
 * registries.d lookaside over file:// and http(s)://, the registry `--online`), then asks the gathered evidence to
 * verify each signature requirement it evaluates, and decides once. The report types are the `signatures` object
 * of `imagetrust simulate --format json` and the fields of `imagetrust verify --format json` (names are stable).
 */
import type { ImageReference } from "../reference/image-reference.js";
import type { EvidenceFinding, FoundArtifact, PullChoice } from "./evidence-artifacts.js";
import type { AsyncSignatureEvidence, SignatureCheck } from "./evaluate.js";
import type { SimulationResult } from "./types.js";

/** What was read as evidence. */
export interface EvidenceReport {
  /** Where signatures were read: "given", "dir:<path>", "lookaside", "registry", or "none" (transport without signatures). */
  source: string;
  /** Files / URLs of the signatures read, in order. */
  locations: string[];
  /** The formats of the signatures read, in order. */
  formats: string[];
  manifestDigest: string | null;
  /** Why the manifest could not be read, if it could not. */
  manifestError?: string;
  /** Why the signatures could not be read (every signature requirement then denies with it). */
  readError?: string;
  /**
   * Set when the signatures were never read: the policy denied before any requirement read them, so neither the
   * policy nor the copy (`copy.go` reads signatures only after `IsRunningImageAllowed`) looked at them.
   */
  notRead?: string;
  /** `--online`: every signature artifact found for this digest, wherever stored, and whether the runtime reads it. */
  artifacts?: FoundArtifact[];
  /** Places that could not be searched for artifacts (the runtime does not read them either). */
  artifactNotes?: string[];
  /** Coded findings explaining the evidence (IT5830–IT5869). */
  findings?: EvidenceFinding[];
}

/** One signature requirement's result with the per-signature reasons. */
export interface VerifiedRequirement {
  /** Position in the deciding requirement list. */
  index: number;
  type: "signedBy" | "sigstoreSigned";
  allowed: boolean;
  /** Upstream's error when denied. */
  message: string | null;
  signatures: SignatureCheck[];
}

/** The decision for one instance of a manifest list (`--online`). */
export interface InstanceResult {
  digest: string;
  platform?: string;
  verdict: "allow" | "deny";
  error: string | null;
  requirements: VerifiedRequirement[];
  evidence: EvidenceReport;
}

/** The evidence of one image (or one instance of a manifest list). */
export interface ImageEvidence {
  /** What was read. */
  report: EvidenceReport;
  /** The manifest the pull sees, when it could be read (its digest names the signatures when the reference has none). */
  manifest?: Uint8Array;
  /** Verifies a signature requirement against the signatures read; asked only for the requirements evaluated. */
  signatures: AsyncSignatureEvidence;
  /** The identity `requireSignatures` names in its denial (default: the reference's policy identity). */
  identity?: string;
  /**
   * After the policy allowed: the copy reads the signatures (`copy.go` `copyOneImage`, "reading signatures: …"),
   * whether or not a requirement did. Resolves to the read error the pull fails with, or undefined; absent when the
   * evidence was read eagerly (then `report.readError` is that error).
   */
  readForCopy?: () => Promise<string | undefined>;
  /** After the policy denied: note in the report that signatures no requirement read were never read. */
  markUnread?: () => void;
  /** Findings on this evidence once the runtime decided (artifact-findings.ts); stored in `report.findings`. */
  findings?: (decision: { verdict: "allow" | "deny"; error: string | null }) => EvidenceFinding[];
}

/** One instance of a manifest list: its evidence, or why its manifest could not be read. */
export type InstanceEvidence =
  | { digest: string; platform?: string; evidence: ImageEvidence }
  | { digest: string; error: string; report: EvidenceReport };

/** Everything read for one reference. */
export type GatheredEvidence =
  | { kind: "image"; evidence: ImageEvidence }
  /**
   * A manifest list: each instance is decided on its own evidence; `list` is the list's own (the policy is never
   * evaluated on it by the runtime, shown for comparison), `pull` the instance a pull takes on a platform.
   */
  | { kind: "list"; report: EvidenceReport; instances: InstanceEvidence[]; list?: ImageEvidence; pull?: PullChoice }
  /** The pull fails before any requirement is evaluated (the registry did not serve the manifest). */
  | { kind: "unreadable"; report: EvidenceReport; error: string };

/** Where signature evidence comes from (implemented by src/verify/evidence.ts). */
export interface EvidenceSource {
  /** Whether evidence was asked for beyond the runtime's default (a bare name, decided without it, is then warned about). */
  readonly requested: boolean;
  /** What the runtime reads for this image; null when it reads nothing (then it is decided as an unsigned image). */
  gather(ref: ImageReference): Promise<GatheredEvidence | null>;
}

/** A pull decided on gathered evidence. */
export interface EvidenceDecision {
  verdict: "allow" | "deny";
  /** Upstream's error for a denial (skopeo prints `Source image rejected: <this>`). */
  error: string | null;
  requirements: VerifiedRequirement[];
  /** The full simulation (scope lookup, trail, explanation) with the signature verdicts in it. */
  simulation: SimulationResult;
  evidence: EvidenceReport;
  /** For a manifest list: each instance decided (the verdict is allow only if all allow). */
  instances?: InstanceResult[];
  /** For a manifest list: the policy on the list's own digest (informational: no pull checks it). */
  list?: InstanceResult;
  /** For a manifest list: the instance a pull takes on the platform, and its verdict. */
  pull?: PullChoice;
}

/** The signature evidence behind one simulated reference: what was read and each evaluated signature requirement. */
export interface SimulationSignatures extends EvidenceReport {
  requirements: VerifiedRequirement[];
  /** `--online` with a manifest list: each instance decided. */
  instances?: InstanceResult[];
  /** A manifest list: the policy on the list's own digest (informational). */
  list?: InstanceResult;
  /** A manifest list: the instance a pull takes on the platform. */
  pull?: PullChoice;
}

/** One element of `imagetrust simulate --format json`: the simulation plus `signatures` (null: no evidence read). */
export type SimulationWithEvidence = SimulationResult & { signatures: SimulationSignatures | null };
