/**
 * The target-neutral model of a container image trust policy: the hub of imagetrust.
 *
 * Every front end (policy.json, registries.d YAML, .trust sources) lowers into these types and every back
 * end (emitters, the .trust printer, lint rules, the simulator) reads only them. Field names follow
 * containers/image's policy.json spelling (`signature/policy_types.go`). Every node keeps `origin`: the span
 * it came from, in whichever file that was.
 */
import type { Span } from "../source/source-file.js";

/** Where an IR node came from (absent for nodes made by a program, e.g. defaults filled in). */
export interface Origin {
  origin?: Span;
}

/** Byte data as it appears in policy.json: standard base64 with padding (e.g. `keyData`). */
export type Base64 = string;

// ---------------------------------------------------------------------------------------------------------
// signedIdentity (upstream: PolicyReferenceMatch, `prm*` types)

/** `matchExact`: the signature's reference must equal the image's (both tagged or digested). */
export interface MatchExact extends Origin {
  type: "matchExact";
}
/** `matchRepoDigestOrExact` (the default): exact for tagged refs, same repository for digest refs. */
export interface MatchRepoDigestOrExact extends Origin {
  type: "matchRepoDigestOrExact";
}
/** `matchRepository`: same repository, tag and digest ignored. */
export interface MatchRepository extends Origin {
  type: "matchRepository";
}
/** `exactReference`: the signature must claim exactly `dockerReference`. */
export interface ExactReference extends Origin {
  type: "exactReference";
  dockerReference: string;
}
/** `exactRepository`: the signature must claim the repository `dockerRepository`. */
export interface ExactRepository extends Origin {
  type: "exactRepository";
  dockerRepository: string;
}
/** `remapIdentity` (5.9+): rewrite `prefix` to `signedPrefix` in the image ref, then matchRepoDigestOrExact. */
export interface RemapIdentity extends Origin {
  type: "remapIdentity";
  prefix: string;
  signedPrefix: string;
}

/** Any signedIdentity rule. */
export type IdentityMatch =
  | MatchExact
  | MatchRepoDigestOrExact
  | MatchRepository
  | ExactReference
  | ExactRepository
  | RemapIdentity;

/** The `type` values of signedIdentity objects, in upstream's documentation order. */
export const IDENTITY_MATCH_TYPES = [
  "matchExact",
  "matchRepoDigestOrExact",
  "matchRepository",
  "exactReference",
  "exactRepository",
  "remapIdentity",
] as const;

// ---------------------------------------------------------------------------------------------------------
// Requirements (upstream: PolicyRequirement, `pr*` types)

/** `insecureAcceptAnything`: allow, checking nothing. */
export interface InsecureAcceptAnything extends Origin {
  type: "insecureAcceptAnything";
}
/** `reject`: deny. */
export interface Reject extends Origin {
  type: "reject";
}

/** The `keyType` values signedBy accepts at parse time; only GPGKeys is implemented at evaluation. */
export const SIGNED_BY_KEY_TYPES = ["GPGKeys", "signedByGPGKeys", "X509Certificates", "signedByX509CAs"] as const;
/** A signedBy keyType. */
export type SignedByKeyType = (typeof SIGNED_BY_KEY_TYPES)[number];

/**
 * `signedBy`: GPG simple signing. Exactly one of keyPath / keyPaths / keyData is set (a loaded policy.json
 * guarantees it). `keyPaths: []` and `keyData: ""` are valid (they deny at run time), so emitters keep them.
 */
export interface SignedBy extends Origin {
  type: "signedBy";
  keyType: SignedByKeyType;
  keyPath?: string;
  keyPaths?: string[];
  keyData?: Base64;
  /** Absent: the default, matchRepoDigestOrExact (emitters leave it out). */
  signedIdentity?: IdentityMatch;
}

/**
 * A CI workflow identity: a URI Subject Alternative Name such as
 * `https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main`, matched exactly, by prefix or by a
 * regular expression. No released containers/image can match one (`fulcio_cert.go` compares `subjectEmail` with the
 * certificate's e-mail SANs only), so only admission targets emit it; a .trust source is its only front end.
 */
export interface SubjectURI extends Origin {
  match: "exact" | "prefix" | "regexp";
  value: string;
}

/** `sigstoreSigned.fulcio` (5.24+). */
export interface FulcioConfig extends Origin {
  caPath?: string;
  caData?: Base64;
  oidcIssuer: string;
  /** Always set in a policy.json (upstream requires it); absent only when `subjectURI` names the signer instead. */
  subjectEmail?: string;
  /** A workflow identity instead of an e-mail (from a .trust `workflow` clause; admission targets only). */
  subjectURI?: SubjectURI;
}

/** `sigstoreSigned.pki` (5.35+). */
export interface PkiConfig extends Origin {
  caRootsPath?: string;
  caRootsData?: Base64;
  caIntermediatesPath?: string;
  caIntermediatesData?: Base64;
  subjectEmail?: string;
  subjectHostname?: string;
}

/** `sigstoreSigned`: sigstore (cosign) signatures, 5.22+; fields newer than that are marked in versions.ts. */
export interface SigstoreSigned extends Origin {
  type: "sigstoreSigned";
  keyPath?: string;
  keyPaths?: string[];
  keyData?: Base64;
  keyDatas?: Base64[];
  fulcio?: FulcioConfig;
  rekorPublicKeyPath?: string;
  rekorPublicKeyPaths?: string[];
  rekorPublicKeyData?: Base64;
  rekorPublicKeyDatas?: Base64[];
  pki?: PkiConfig;
  signedIdentity?: IdentityMatch;
}

/** `signedBaseLayer`: parses, but always denies at evaluation ("not implemented yet"). */
export interface SignedBaseLayer extends Origin {
  type: "signedBaseLayer";
  baseLayerIdentity: IdentityMatch;
}

/** Any policy requirement. */
export type Requirement = InsecureAcceptAnything | Reject | SignedBy | SigstoreSigned | SignedBaseLayer;

/** The requirement `type` values, in upstream's documentation order. */
export const REQUIREMENT_TYPES = [
  "insecureAcceptAnything",
  "reject",
  "signedBy",
  "sigstoreSigned",
  "signedBaseLayer",
] as const;

// ---------------------------------------------------------------------------------------------------------
// Policy

/** Optional labels carried from a .trust source (or inferred by import), for explanations and printing. */
export interface Labels {
  /** The trust level the requirements came from, e.g. "strict". */
  level?: string;
  /** For approvals: the reason / ticket given in the source. */
  approval?: string;
  /** For approvals: who approved (`by "alice"`). */
  approvedBy?: string;
  /** For approvals: the last day (UTC, YYYY-MM-DD) the approval holds (`until …`). */
  approvalUntil?: string;
  /** The profile that gave this scope (absent: the base). */
  profile?: string;
  /** `enforced-by nodes|cluster`: only the nodes (policy.json) or only admission enforce this scope. */
  enforcedBy?: "nodes" | "cluster";
}

/** One scope of a transport with its requirement list (AND of all requirements). */
export interface ScopeEntry extends Origin {
  /** The scope string exactly as written ("" is the transport default). */
  scope: string;
  /** Span of the scope key itself (origin spans the whole entry). */
  keyOrigin?: Span;
  requirements: Requirement[];
  labels?: Labels;
}

/** A transport section: `transports.<name>`. Scopes keep document order. */
export interface TransportPolicy extends Origin {
  /** The transport name exactly as written (names are case-sensitive; unknown names are allowed). */
  name: string;
  keyOrigin?: Span;
  scopes: ScopeEntry[];
}

/** A whole policy.json. */
export interface Policy extends Origin {
  /** The global default requirement list (never empty in a valid policy). */
  default: Requirement[];
  defaultOrigin?: Span;
  defaultLabels?: Labels;
  /**
   * Transport sections in document order. `transportsPresent` records whether the `transports` key was
   * written at all (emitters write `"transports": {}` only when it was, or always — their choice).
   */
  transports: TransportPolicy[];
  transportsPresent?: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// registries.d (upstream: docker/registries_d.go registryConfiguration / registryNamespace)

/** One registries.d section (`default-docker` or a `docker.<scope>` entry). */
export interface SignatureStorage extends Origin {
  lookaside?: string;
  lookasideStaging?: string;
  /** Deprecated alias of lookaside. */
  sigstore?: string;
  /** Deprecated alias of lookasideStaging. */
  sigstoreStaging?: string;
  useSigstoreAttachments?: boolean;
}

/** A `docker:` entry of a registries.d file. */
export interface RegistriesDEntry {
  scope: string;
  keyOrigin?: Span;
  /** The file that defined it. */
  file: string;
  storage: SignatureStorage;
}

/** The merged configuration of a registries.d directory. */
export interface RegistriesDConfig {
  defaultDocker?: { file: string; storage: SignatureStorage; keyOrigin?: Span };
  /** Entries in the order they were read. Scopes are unique across files in a valid configuration. */
  docker: RegistriesDEntry[];
}

// ---------------------------------------------------------------------------------------------------------
// A whole trust description (what a .trust source compiles to)

/** An inline expectation of a .trust source (`expect allow "docker://…"`). */
export interface Expectation extends Origin {
  verdict: "allow" | "deny";
  /** A transport:reference string as skopeo takes it (e.g. "docker://quay.io/a/b:1"). */
  reference: string;
  /** Optionally, the scope expected to decide. */
  scope?: string;
  /**
   * The signature evidence the pull is decided on (`with signatures "DIR" [manifest "FILE"]`): paths as written,
   * relative to the file the expectation is written in (`origin.file`). Never emitted.
   */
  evidence?: { signatures: string; manifest?: string };
  /** What the denial must carry (`because CODE` / `because "text"`). */
  because?: { code: string } | { text: string };
}

/** Everything one trust description says: node policy, signature storage, expectations. */
export interface TrustModel {
  policy: Policy;
  registriesD: RegistriesDConfig;
  expectations: Expectation[];
  /** The containers/image version the description must load on, if it names one. */
  target?: string;
  /** The profile this model was compiled for, and what it replaces of the base (.trust sources with profiles). */
  profile?: ProfileInfo;
  /** Every profile the source defines (.trust sources with profiles). */
  profiles?: string[];
}

/** A compiled profile: its name and the scopes and defaults it replaces. */
export interface ProfileInfo {
  name: string;
  overrides: Array<{ transport?: string; scope?: string; base: Span; profile: Span }>;
}

/** A fresh empty registries.d configuration. */
export function emptyRegistriesD(): RegistriesDConfig {
  return { docker: [] };
}
