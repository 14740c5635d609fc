/**
 * containers/image's policy constructor rules, each written once: one function per upstream constructor of
 * signature/policy_config.go and policy_config_sigstore.go (`newPRSignedBy`, `newPRSigstoreSigned` and its
 * option functions, `newPRSigstoreSignedFulcio`, `newPRSigstoreSignedPKI`, `newPRMExactReference`,
 * `newPRMExactRepository`, `newPRMRemapIdentity`; spec containers-policy.md §2–3).
 *
 * Each function takes the facts it decides on (which fields are given, and how) and returns the rules broken,
 * as data: which rule, which field. The policy.json loader (src/load/policy-*.ts), the .trust checker
 * (src/check/) and the emitter's validity check (src/emit/policy-validity.ts) each turn them into their own
 * coded diagnostics, with their own spans and wording; none of them restates a rule.
 *
 * `newPRMMatchExact`, `newPRMMatchRepoDigestOrExact` and `newPRMMatchRepository` take no parameters and have
 * no rules; `newPRInsecureAcceptAnything`, `newPRReject` neither.
 */
import { isNameOnly, parseNormalizedNamed, validateRemapPrefix, type DockerReferenceResult } from "../reference/docker-reference.js";
import { SIGNED_BY_KEY_TYPES } from "./types.js";

/**
 * How a field of a policy object is given, in Go's terms: `absent` (no such key), `zero` (the key is there but
 * Go holds its zero value: `""` for a string, nil for `[]byte` or a list, i.e. JSON null), `empty` (a list given
 * as `[]`: non-nil, no entries) or `set`. A value that failed to decode counts as `set` (its own error is
 * reported where it was decoded).
 */
export type FieldState = "absent" | "zero" | "empty" | "set";

/** The state of an optional string field as it sits in the IR (or any front end that drops JSON null). */
export function stringState(v: string | undefined): FieldState {
  return v === undefined ? "absent" : v === "" ? "zero" : "set";
}

/** The state of an optional `[]byte` field in the IR: base64 text, `""` being empty but non-nil bytes. */
export function bytesState(v: string | undefined): FieldState {
  return v === undefined ? "absent" : "set";
}

/** The state of an optional list field in the IR. */
export function listState(v: readonly unknown[] | undefined): FieldState {
  return v === undefined ? "absent" : v.length === 0 ? "empty" : "set";
}

/** Whether a `string` / `[]byte` field counts in a constructor's "how many are specified" (`!= ""`, `!= nil`). */
function scalarSet(s: FieldState | undefined): boolean {
  return s === "set" || s === "empty";
}

/** Whether a list field counts (non-nil): an empty list counts, and fails its option function on its own. */
function listSet(s: FieldState | undefined): boolean {
  return s !== undefined && s !== "absent";
}

// ---------------------------------------------------------------------------------------------------------
// signedBy

/** The key sources of signedBy, in upstream's order. */
export const SIGNED_BY_KEY_SOURCES = ["keyPath", "keyPaths", "keyData"] as const;
/** One signedBy key source. */
export type SignedByKeySource = (typeof SIGNED_BY_KEY_SOURCES)[number];

/** `sbKeyType.IsValid`. */
export function isValidSignedByKeyType(keyType: string): boolean {
  return (SIGNED_BY_KEY_TYPES as readonly string[]).includes(keyType);
}

/** A broken rule of `prSignedBy.UnmarshalJSON`'s key-source presence count. */
export type SignedByPresenceViolation = { rule: "noKeySource" } | { rule: "severalKeySources"; fields: SignedByKeySource[] };

/**
 * `prSignedBy.UnmarshalJSON`: exactly one of keyPath, keyPaths and keyData must be *present* (before the
 * constructor looks at values): "none of them present" / "more than one present".
 */
export function prSignedByKeySourcesPresent(present: readonly SignedByKeySource[]): SignedByPresenceViolation[] {
  if (present.length === 0) return [{ rule: "noKeySource" }];
  if (present.length > 1) return [{ rule: "severalKeySources", fields: [...present] }];
  return [];
}

/** The facts `newPRSignedBy` decides on. */
export interface SignedByFacts {
  keyType: string;
  keyPath: FieldState;
  keyPaths: FieldState;
  keyData: FieldState;
}

/** A broken rule of `newPRSignedBy`. */
export type SignedByViolation = { rule: "invalidKeyType"; field: "keyType" } | { rule: "keySourceCount"; count: number };

/** `newPRSignedBy`: a valid keyType, and exactly one of keyPath (non-empty), keyPaths, keyData (non-nil). */
export function newPRSignedBy(f: SignedByFacts): SignedByViolation[] {
  const out: SignedByViolation[] = [];
  if (!isValidSignedByKeyType(f.keyType)) out.push({ rule: "invalidKeyType", field: "keyType" });
  const count = [f.keyPath === "set", listSet(f.keyPaths) && f.keyPaths !== "zero", scalarSet(f.keyData)].filter(Boolean).length;
  if (count !== 1) out.push({ rule: "keySourceCount", count });
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// sigstoreSigned

/** The list fields of sigstoreSigned, in the order `prSigstoreSigned.UnmarshalJSON` applies their options. */
export const SIGSTORE_LIST_FIELDS = ["keyPaths", "keyDatas", "rekorPublicKeyPaths", "rekorPublicKeyDatas"] as const;
/** One list field of sigstoreSigned. */
export type SigstoreListField = (typeof SIGSTORE_LIST_FIELDS)[number];

/**
 * `PRSigstoreSignedWithKeyPaths` / `…WithKeyDatas` / `…WithRekorPublicKeyPaths` / `…WithRekorPublicKeyDatas`:
 * a list given must have entries (`"keyPaths" contains no entries`). True when `entries` breaks that rule.
 */
export function sigstoreListOptionEmpty(entries: number): boolean {
  return entries === 0;
}

/**
 * Which generation of sigstoreSigned rules applies: `5.23` (5.23.1: keyPath / keyData presence only),
 * `5.24` (5.24–5.32: keyPath, keyData, fulcio, one Rekor key) or `newest` (5.33+: the key lists, pki).
 */
export type SigstoreGeneration = "5.23" | "5.24" | "newest";

/** The facts `newPRSigstoreSigned` decides on: the state of each key source (missing = absent). */
export type SigstoreFacts = Partial<
  Record<"keyPath" | "keyData" | "rekorPublicKeyPath" | "rekorPublicKeyData" | SigstoreListField | "fulcio" | "pki", FieldState>
>;

/** A broken rule of `newPRSigstoreSigned` (and, in the newest generation, of its list options). */
export type SigstoreViolation =
  | { rule: "legacyKeyPathAndKeyData" }
  | { rule: "legacyNoKey" }
  | { rule: "emptyList"; field: SigstoreListField }
  | { rule: "keySourceCount"; count: number }
  | { rule: "rekorSourceCount"; count: number }
  | { rule: "fulcioNeedsRekor"; field: "fulcio" }
  | { rule: "pkiWithRekor"; field: "pki" };

/**
 * `newPRSigstoreSigned` (with `prSigstoreSigned.UnmarshalJSON`'s option order) for one generation:
 *  - 5.23: keyPath and keyData must not both be present, and one must be;
 *  - 5.24: exactly one of keyPath, keyData, fulcio; not both Rekor fields; fulcio needs a Rekor key;
 *  - newest: lists must have entries; exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio, pki; at most
 *    one Rekor source; fulcio needs one; pki takes none.
 */
export function newPRSigstoreSigned(f: SigstoreFacts, generation: SigstoreGeneration): SigstoreViolation[] {
  const present = (s: FieldState | undefined) => s !== undefined && s !== "absent";
  if (generation === "5.23") {
    if (present(f.keyPath) && present(f.keyData)) return [{ rule: "legacyKeyPathAndKeyData" }];
    if (!present(f.keyPath) && !present(f.keyData)) return [{ rule: "legacyNoKey" }];
    return [];
  }
  const out: SigstoreViolation[] = [];
  const str = (s: FieldState | undefined) => s === "set";
  const fulcio = present(f.fulcio);
  const pki = present(f.pki);
  if (generation === "5.24") {
    const keys = [str(f.keyPath), scalarSet(f.keyData), fulcio].filter(Boolean).length;
    if (keys !== 1) out.push({ rule: "keySourceCount", count: keys });
    const rekor = [str(f.rekorPublicKeyPath), scalarSet(f.rekorPublicKeyData)].filter(Boolean).length;
    if (rekor > 1) out.push({ rule: "rekorSourceCount", count: rekor });
    if (fulcio && rekor === 0) out.push({ rule: "fulcioNeedsRekor", field: "fulcio" });
    return out;
  }
  for (const field of SIGSTORE_LIST_FIELDS) {
    const s = f[field];
    if (s === "zero" || s === "empty") out.push({ rule: "emptyList", field });
  }
  const keys = [str(f.keyPath), listSet(f.keyPaths), scalarSet(f.keyData), listSet(f.keyDatas), fulcio, pki].filter(Boolean).length;
  if (keys !== 1) out.push({ rule: "keySourceCount", count: keys });
  const rekor = [str(f.rekorPublicKeyPath), listSet(f.rekorPublicKeyPaths), scalarSet(f.rekorPublicKeyData), listSet(f.rekorPublicKeyDatas)].filter(Boolean).length;
  if (rekor > 1) out.push({ rule: "rekorSourceCount", count: rekor });
  if (fulcio && rekor === 0) out.push({ rule: "fulcioNeedsRekor", field: "fulcio" });
  if (pki && rekor > 0) out.push({ rule: "pkiWithRekor", field: "pki" });
  return out;
}

/** The facts `newPRSigstoreSignedFulcio` decides on. */
export interface FulcioFacts {
  caPath: FieldState;
  caData: FieldState;
  oidcIssuer: FieldState;
  subjectEmail: FieldState;
}

/** A broken rule of `newPRSigstoreSignedFulcio`. */
export type FulcioViolation =
  | { rule: "caPathAndCaData" }
  | { rule: "noCa" }
  | { rule: "missing"; field: "oidcIssuer" | "subjectEmail" };

/** `newPRSigstoreSignedFulcio`: caPath or caData (not both), a non-empty oidcIssuer and subjectEmail. */
export function newPRSigstoreSignedFulcio(f: FulcioFacts): FulcioViolation[] {
  const out: FulcioViolation[] = [];
  const path = f.caPath === "set";
  const data = scalarSet(f.caData);
  if (path && data) out.push({ rule: "caPathAndCaData" });
  else if (!path && !data) out.push({ rule: "noCa" });
  if (f.oidcIssuer !== "set") out.push({ rule: "missing", field: "oidcIssuer" });
  if (f.subjectEmail !== "set") out.push({ rule: "missing", field: "subjectEmail" });
  return out;
}

/** The facts `newPRSigstoreSignedPKI` decides on. */
export interface PkiFacts {
  caRootsPath: FieldState;
  caRootsData: FieldState;
  caIntermediatesPath: FieldState;
  caIntermediatesData: FieldState;
  subjectEmail: FieldState;
  subjectHostname: FieldState;
}

/** A broken rule of `newPRSigstoreSignedPKI`. */
export type PkiViolation = { rule: "rootsPathAndData" } | { rule: "noRoots" } | { rule: "intermediatesPathAndData" } | { rule: "noSubject" };

/** `newPRSigstoreSignedPKI`: caRootsPath or caRootsData (not both), not both intermediates, a subject. */
export function newPRSigstoreSignedPKI(f: PkiFacts): PkiViolation[] {
  const out: PkiViolation[] = [];
  const rootsPath = f.caRootsPath === "set";
  const rootsData = scalarSet(f.caRootsData);
  if (rootsPath && rootsData) out.push({ rule: "rootsPathAndData" });
  else if (!rootsPath && !rootsData) out.push({ rule: "noRoots" });
  if (f.caIntermediatesPath === "set" && scalarSet(f.caIntermediatesData)) out.push({ rule: "intermediatesPathAndData" });
  if (f.subjectEmail !== "set" && f.subjectHostname !== "set") out.push({ rule: "noSubject" });
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// signedIdentity (PolicyReferenceMatch)

/** How a constructor parses a docker reference (callers may pass a memoizing wrapper of parseNormalizedNamed). */
export type ReferenceParser = (s: string) => DockerReferenceResult;

/** A broken rule of `newPRMExactReference` / `newPRMExactRepository`. */
export type ReferenceViolation = { rule: "invalidReference"; error: string } | { rule: "nameOnly" };

/** `newPRMExactReference`: `reference.ParseNormalizedNamed` must accept it, and it must carry a tag or digest. */
export function newPRMExactReference(dockerReference: string, parse: ReferenceParser = parseNormalizedNamed): ReferenceViolation[] {
  const r = parse(dockerReference);
  if (!r.ok) return [{ rule: "invalidReference", error: r.error }];
  if (isNameOnly(r.ref)) return [{ rule: "nameOnly" }];
  return [];
}

/** `newPRMExactRepository`: `reference.ParseNormalizedNamed` must accept it (any tag or digest is allowed). */
export function newPRMExactRepository(dockerRepository: string, parse: ReferenceParser = parseNormalizedNamed): ReferenceViolation[] {
  const r = parse(dockerRepository);
  return r.ok ? [] : [{ rule: "invalidReference", error: r.error }];
}

/** A broken rule of `newPRMRemapIdentity`. */
export type RemapViolation = { rule: "invalidPrefix"; field: "prefix" | "signedPrefix" };

/** `newPRMRemapIdentity`: both prefixes must pass `validateIdentityRemappingPrefix`. */
export function newPRMRemapIdentity(
  prefix: string,
  signedPrefix: string,
  validate: (s: string) => boolean = validateRemapPrefix,
): RemapViolation[] {
  const out: RemapViolation[] = [];
  if (!validate(prefix)) out.push({ rule: "invalidPrefix", field: "prefix" });
  if (!validate(signedPrefix)) out.push({ rule: "invalidPrefix", field: "signedPrefix" });
  return out;
}
