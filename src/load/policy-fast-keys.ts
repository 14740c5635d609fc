/**
 * The keys the policy.json fast path (policy-fast.ts) knows, per object kind, and the record one requirement's
 * members are read into. Keys are upstream's JSON names, matched exactly (`ParanoidUnmarshalJSONObject`).
 */
import { bytesState, listState, stringState, type FieldState, type SigstoreFacts } from "../ir/constraints.js";
import { IDENTITY_MATCH_TYPES, REQUIREMENT_TYPES, SIGNED_BY_KEY_TYPES, type FulcioConfig, type IdentityMatch, type PkiConfig } from "../ir/types.js";
import { nameSet } from "./json-fast-reader.js";

// Key bits of one requirement / identity / fulcio / pki object (a repeated key gives up).
export const K_TYPE = 1 << 0;
export const K_KEY_TYPE = 1 << 1;
export const K_KEY_PATH = 1 << 2;
export const K_KEY_PATHS = 1 << 3;
export const K_KEY_DATA = 1 << 4;
export const K_KEY_DATAS = 1 << 5;
export const K_IDENTITY = 1 << 6;
export const K_BASE_LAYER = 1 << 7;
export const K_FULCIO = 1 << 8;
export const K_PKI = 1 << 9;
export const K_REKOR_PATH = 1 << 10;
export const K_REKOR_PATHS = 1 << 11;
export const K_REKOR_DATA = 1 << 12;
export const K_REKOR_DATAS = 1 << 13;
/** The keys of requirement objects, in the order of their bits above. */
export const REQUIREMENT_KEYS = [
  "type",
  "keyType",
  "keyPath",
  "keyPaths",
  "keyData",
  "keyDatas",
  "signedIdentity",
  "baseLayerIdentity",
  "fulcio",
  "pki",
  "rekorPublicKeyPath",
  "rekorPublicKeyPaths",
  "rekorPublicKeyData",
  "rekorPublicKeyDatas",
] as const;
export const FULCIO_KEYS = ["caPath", "caData", "oidcIssuer", "subjectEmail"] as const;
export const PKI_KEYS = ["caRootsPath", "caRootsData", "caIntermediatesPath", "caIntermediatesData", "subjectEmail", "subjectHostname"] as const;
export const IDENTITY_KEYS = ["type", "dockerReference", "dockerRepository", "prefix", "signedPrefix"] as const;

/** The key and type-value sets above, as the reader's knownKey/knownValue take them. */
export const REQUIREMENT_KEY_SET = nameSet(REQUIREMENT_KEYS);
export const FULCIO_KEY_SET = nameSet(FULCIO_KEYS);
export const PKI_KEY_SET = nameSet(PKI_KEYS);
export const IDENTITY_KEY_SET = nameSet(IDENTITY_KEYS);
export const REQUIREMENT_TYPE_SET = nameSet(REQUIREMENT_TYPES);
export const SIGNED_BY_KEY_TYPE_SET = nameSet(SIGNED_BY_KEY_TYPES);
export const IDENTITY_MATCH_TYPE_SET = nameSet(IDENTITY_MATCH_TYPES);

/** A requirement object's members, as read (strings and lists without nulls: anything else gave up). */
export interface RequirementFields {
  seen: number;
  type: string;
  keyType: string;
  /** The index of keyType in SIGNED_BY_KEY_TYPES (meaningful with the keyType bit only). */
  keyTypeIndex: number;
  keyPath: string;
  keyPaths?: string[];
  keyData: string;
  keyDatas?: string[];
  identity?: IdentityMatch;
  baseLayerIdentity?: IdentityMatch;
  fulcio?: FulcioConfig;
  pki?: PkiConfig;
  rekorPath: string;
  rekorPaths?: string[];
  rekorData: string;
  rekorDatas?: string[];
}

/**
 * Puts the members a requirement set (its `seen` bits) back to their reset values, so that one record serves every
 * requirement: a member is set only together with its bit, so the others are still reset. (Typically two or three
 * stores instead of fourteen, in code that runs once per requirement, unoptimised.)
 */
export function resetFields(f: RequirementFields): void {
  const s = f.seen;
  f.seen = 0;
  if (s & K_TYPE) f.type = "";
  if (s & K_KEY_TYPE) f.keyType = "";
  if (s & K_KEY_PATH) f.keyPath = "";
  if (s & K_KEY_PATHS) f.keyPaths = undefined;
  if (s & K_KEY_DATA) f.keyData = "";
  if (s & K_KEY_DATAS) f.keyDatas = undefined;
  if (s & K_IDENTITY) f.identity = undefined;
  if (s & K_BASE_LAYER) f.baseLayerIdentity = undefined;
  if (s & K_FULCIO) f.fulcio = undefined;
  if (s & K_PKI) f.pki = undefined;
  if (s & K_REKOR_PATH) f.rekorPath = "";
  if (s & K_REKOR_PATHS) f.rekorPaths = undefined;
  if (s & K_REKOR_DATA) f.rekorData = "";
  if (s & K_REKOR_DATAS) f.rekorDatas = undefined;
}

/** A field state as two bits of a verdict key. */
export const STATE_CODE: Record<FieldState, number> = { absent: 0, zero: 1, empty: 2, set: 3 };

/** The facts of newPRSigstoreSigned, in a fixed order (two bits each of {@link sigstoreFactsKey}). */
const SIGSTORE_FACTS = [
  "keyPath",
  "keyPaths",
  "keyData",
  "keyDatas",
  "fulcio",
  "pki",
  "rekorPublicKeyPath",
  "rekorPublicKeyPaths",
  "rekorPublicKeyData",
  "rekorPublicKeyDatas",
] as const satisfies readonly (keyof SigstoreFacts)[];

/** The state of fact `i` (of {@link SIGSTORE_FACTS}) of a sigstoreSigned requirement's members. */
function sigstoreFact(f: RequirementFields, i: number): FieldState {
  const s = f.seen;
  switch (i) {
    case 0:
      return s & K_KEY_PATH ? stringState(f.keyPath) : "absent";
    case 1:
      return listState(f.keyPaths);
    case 2:
      return s & K_KEY_DATA ? bytesState(f.keyData) : "absent";
    case 3:
      return listState(f.keyDatas);
    case 4:
      return s & K_FULCIO ? "set" : "absent";
    case 5:
      return s & K_PKI ? "set" : "absent";
    case 6:
      return s & K_REKOR_PATH ? stringState(f.rekorPath) : "absent";
    case 7:
      return listState(f.rekorPaths);
    case 8:
      return s & K_REKOR_DATA ? bytesState(f.rekorData) : "absent";
    default:
      return listState(f.rekorDatas);
  }
}

/**
 * The facts newPRSigstoreSigned decides on as one number (policies repeat a few combinations: the verdict is asked
 * once per number): two bits a fact, {@link STATE_CODE} of {@link sigstoreFact} in {@link SIGSTORE_FACTS}' order,
 * written out without a call, an object or a string per fact (it runs once per requirement, unoptimised).
 */
export function sigstoreFactsKey(f: RequirementFields): number {
  const s = f.seen;
  // absent 0, zero 1, empty 2, set 3 (STATE_CODE); a []byte member read from a string is always "set".
  let key = stringCode(s & K_KEY_PATH, f.keyPath);
  key = key * 4 + listCode(f.keyPaths);
  key = key * 4 + (s & K_KEY_DATA ? 3 : 0);
  key = key * 4 + listCode(f.keyDatas);
  key = key * 4 + (s & K_FULCIO ? 3 : 0);
  key = key * 4 + (s & K_PKI ? 3 : 0);
  key = key * 4 + stringCode(s & K_REKOR_PATH, f.rekorPath);
  key = key * 4 + listCode(f.rekorPaths);
  key = key * 4 + (s & K_REKOR_DATA ? 3 : 0);
  return key * 4 + listCode(f.rekorDatas);
}

/** {@link STATE_CODE} of a string member (`present`: its bit of `seen`): absent, {@link stringState} else. */
export function stringCode(present: number, v: string): number {
  return present === 0 ? 0 : v === "" ? 1 : 3;
}

/** {@link STATE_CODE} of {@link listState}. */
export function listCode(v: readonly unknown[] | undefined): number {
  return v === undefined ? 0 : v.length === 0 ? 2 : 3;
}

/** {@link sigstoreFactsKey} as the facts spell it (the tests hold the two equal). */
export function sigstoreFactsKeyOf(f: RequirementFields): number {
  let key = 0;
  for (let i = 0; i < SIGSTORE_FACTS.length; i++) key = key * 4 + STATE_CODE[sigstoreFact(f, i)];
  return key;
}

/** The facts of {@link sigstoreFactsKey} as newPRSigstoreSigned takes them. */
export function sigstoreFacts(f: RequirementFields): SigstoreFacts {
  const facts: Partial<Record<(typeof SIGSTORE_FACTS)[number], FieldState>> = {};
  for (let i = 0; i < SIGSTORE_FACTS.length; i++) facts[SIGSTORE_FACTS[i]] = sigstoreFact(f, i);
  return facts as SigstoreFacts;
}
