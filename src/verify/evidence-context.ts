/**
 * What gathering signature evidence shares: its options, the run's context, and the verifier that answers the
 * simulator for one image (`prSignedBy` / `prSigstoreSigned` `isRunningImageAllowed`: signed-by.ts, sigstore.ts).
 */
import type { Host } from "../host/host.js";
import type { RegistriesDConfig } from "../ir/types.js";
import type { Version } from "../ir/versions.js";
import type { AsyncSignatureEvidence, SignatureRequirement, SignatureVerdict } from "../simulate/evaluate.js";
import type { EvidenceReport } from "../simulate/evidence-source.js";
import type { SimulationEnv } from "../simulate/types.js";
import type { DockerSignatureOptions } from "./docker-signatures.js";
import type { ImageUnderTest } from "./image-under-test.js";
import type { RegistryClientOptions } from "./registry-client.js";
import { evaluateSignedBy } from "./signed-by.js";
import { evaluateSigstoreSigned, type SigstoreContext } from "./sigstore.js";
import type { HttpLimits, SignatureReadResult } from "./sources.js";
import type { StoredSignature } from "./stored-signature.js";
import { readBounded } from "../host/read-limits.js";

/** Options of `signatureEvidence` (evidence.ts). */
export interface SignatureEvidenceOptions {
  host: Host;
  /**
   * The machine the keys that verify signatures are read on: a `keysHost` (src/input/key-files.ts) for `--keys
   * DIR`, which reads "/etc/pki/containers/acme.gpg" from DIR/acme.gpg. Default: `host`.
   */
  keys?: Host;
  registriesD?: RegistriesDConfig;
  /** The manifest (`--manifest FILE`); default: read from a `dir:` image. */
  manifest?: Uint8Array;
  /** Stored signature blobs (as files `signature-1`, … hold them), as if served for every reference. */
  signatures?: Uint8Array[];
  /** A directory with `signature-1`, `signature-2`, … (`--signatures DIR`), as if served for every reference. */
  signaturesDir?: string;
  /** `--no-signatures`: read nothing at all. */
  none?: boolean;
  /** Read the registries.d lookaside of `docker://` references (`imagetrust verify` always; `simulate --lookaside`). */
  lookaside: boolean;
  /**
   * `--online`: read the manifest and signatures of a `docker://` reference from the live registry (lookaside per
   * registries.d, sigstore attachments when enabled). Manifest lists are decided per instance (or only the
   * `platform` instance).
   */
  online?: Omit<RegistryClientOptions, "host"> & { platform?: string };
  /**
   * References whose signatures the runtime does not read (nothing given, no lookaside asked for): "unsigned" gathers
   * an empty signature set for them (`imagetrust verify`), "skip" gathers nothing (`simulate` decides them as
   * unsigned images without verification).
   */
  otherTransports: "unsigned" | "skip";
  /** The containers/image version whose behaviour and messages to reproduce ("5.23", …); default newest. */
  target?: string;
  /** Reproduce Debian 12's build, which rejects every sigstore signature. */
  debianSigstoreDisabled?: boolean;
  /** "Now" for expiry checks (default: the host's clock). */
  now?: Date;
  /** Who the runtime runs as (built-in lookaside); the host's when not given. */
  env?: SimulationEnv;
  /** Bounds for http(s) lookaside reads. */
  http?: HttpLimits;
  /** The working directory a `dir:` image's path is read from (default: the host's). */
  cwd?: string;
}

/** The signatures read, or why reading them failed (then every signature requirement denies with it). */
export type SignatureSet = { ok: true; signatures: StoredSignature[] } | { ok: false; error: string };

/** What the verifiers and readers share for one run. */
export interface EvidenceContext {
  options: SignatureEvidenceOptions;
  target: Version | undefined;
  /** Reading docker signatures (lookaside; attachments online). */
  docker: DockerSignatureOptions;
}

/**
 * A verifier of signature requirements against one image's signatures (key material is read once per requirement).
 * `set` may be a reader: then the signatures are read when the first signature requirement is evaluated, as
 * upstream's `prSignedBy` / `prSigstoreSigned` call `GetSignaturesWithFormat` only when they decide.
 */
export function verifier(c: EvidenceContext, image: ImageUnderTest, set: SignatureSet | (() => Promise<SignatureSet>)): AsyncSignatureEvidence {
  const host = c.options.host;
  const ctx: SigstoreContext = {
    now: c.options.now ?? host.now(),
    debianSigstoreDisabled: c.options.debianSigstoreDisabled,
    keyringCache: new Map(),
    trustRootCache: new Map(),
    readFile: (p) => readBounded(c.options.keys ?? host, p, "key"),
  };
  const verdicts = new Map<SignatureRequirement, Promise<SignatureVerdict>>();
  const verify = async (requirement: SignatureRequirement): Promise<SignatureVerdict> => {
    const read = typeof set === "function" ? await set() : set;
    if (!read.ok) return { allowed: false, message: read.error, signatures: [] };
    if (requirement.type === "signedBy") return evaluateSignedBy(requirement, image, read.signatures, ctx);
    return evaluateSigstoreSigned(requirement, image, read.signatures, ctx);
  };
  return {
    evaluate(requirement) {
      let v = verdicts.get(requirement);
      if (v === undefined) verdicts.set(requirement, (v = verify(requirement)));
      return v;
    },
  };
}

/** The formats of the signatures read, for the report. */
export function formatsOf(signatures: readonly StoredSignature[]): string[] {
  return signatures.map((s) => (s.format === "sigstore-json" ? `sigstore-json (${s.mimeType})` : s.format));
}

/** Fill the report from what reading the signatures gave; the signature set the verifier checks. */
export function recordRead(report: EvidenceReport, read: SignatureReadResult): SignatureSet {
  report.locations = read.locations;
  if (read.ok) report.formats = formatsOf(read.signatures);
  else report.readError = read.error;
  return read.ok ? { ok: true, signatures: read.signatures } : { ok: false, error: read.error };
}

