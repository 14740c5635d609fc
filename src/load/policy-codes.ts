/**
 * Diagnostic codes of the policy.json loader (band IT1000–IT1299). A code is never reused.
 * IT10xx: JSON syntax and structure; IT11xx: semantics; IT12xx: valid in newer containers/image than the target.
 */
export const POLICY_CODES = {
  /** A JSON syntax error (Go encoding/json message). */
  syntax: "IT1001",
  /** Empty or whitespace-only input. */
  emptyInput: "IT1002",
  /** A UTF-8 byte order mark before the document. */
  byteOrderMark: "IT1003",
  /** Nesting deeper than Go's limit of 10000. */
  maxDepth: "IT1004",
  /** A JSON object was required but something else was written. */
  objectExpected: "IT1010",
  /** A key appears twice in one object. */
  duplicateKey: "IT1011",
  /** A key the object does not allow. */
  unknownKey: "IT1012",
  /** A required key is missing. */
  missingKey: "IT1013",
  /** A value of the wrong JSON type (Go `json: cannot unmarshal …`). */
  wrongType: "IT1014",
  /** A number outside the float64 range where Go converts it. */
  numberOutOfRange: "IT1015",
  /** Invalid standard base64 in a byte field. */
  invalidBase64: "IT1016",

  /** `default` is missing. */
  defaultMissing: "IT1101",
  /** An empty (or null) requirement list. */
  emptyRequirements: "IT1102",
  /** An unknown requirement `type`. */
  unknownRequirementType: "IT1103",
  /** An unknown signedIdentity `type`. */
  unknownIdentityType: "IT1104",
  /** A scope the transport rejects. */
  invalidScope: "IT1105",
  /** signedBy: an unrecognized keyType value. */
  invalidKeyType: "IT1106",
  /** signedBy: keyType missing. */
  missingKeyType: "IT1107",
  /** signedBy: not exactly one of keyPath / keyPaths / keyData present. */
  signedByKeySourceCount: "IT1108",
  /** signedBy: the one key source present is empty / null. */
  signedByKeySourceUnset: "IT1109",
  /** exactReference / exactRepository: not a valid docker reference. */
  invalidDockerReference: "IT1110",
  /** exactReference: neither tag nor digest. */
  dockerReferenceNameOnly: "IT1111",
  /** remapIdentity: invalid prefix / signedPrefix. */
  invalidRemapPrefix: "IT1112",
  /** sigstoreSigned: not exactly one key source. */
  sigstoreKeySourceCount: "IT1113",
  /** sigstoreSigned: a key list that contains no entries. */
  sigstoreEmptyList: "IT1114",
  /** sigstoreSigned: more than one Rekor key source. */
  sigstoreRekorCount: "IT1115",
  /** sigstoreSigned: fulcio without a Rekor key. */
  sigstoreFulcioNeedsRekor: "IT1116",
  /** sigstoreSigned: pki with a Rekor key. */
  sigstorePkiWithRekor: "IT1117",
  /** fulcio: caPath / caData conflict or absence. */
  fulcioCA: "IT1118",
  /** fulcio: oidcIssuer or subjectEmail missing. */
  fulcioSubject: "IT1119",
  /** pki: caRootsPath / caRootsData conflict or absence. */
  pkiRoots: "IT1120",
  /** pki: caIntermediatesPath and caIntermediatesData together. */
  pkiIntermediates: "IT1121",
  /** pki: neither subjectEmail nor subjectHostname. */
  pkiSubject: "IT1122",
  /** sigstoreSigned (before 5.24): keyPath and keyData together. */
  sigstoreLegacyBoth: "IT1123",
  /** sigstoreSigned (before 5.24): neither keyPath nor keyData. */
  sigstoreLegacyNone: "IT1124",

  /** A key the target version does not know yet. */
  keyNewerThanTarget: "IT1201",
  /** A requirement type the target version does not know yet. */
  requirementTypeNewerThanTarget: "IT1202",
  /** A signedIdentity type the target version does not know yet. */
  identityTypeNewerThanTarget: "IT1203",
} as const;

/** A policy loader diagnostic code. */
export type PolicyCode = (typeof POLICY_CODES)[keyof typeof POLICY_CODES];
