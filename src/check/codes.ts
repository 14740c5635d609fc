/** Diagnostic codes of the trust-language checker (IT2100–IT2499). A code is never reused. */
export const CHECK_CODES = {
  duplicateName: "IT2100",
  undefinedName: "IT2101",
  wrongKindOfName: "IT2102",
  levelCycle: "IT2103",
  levelTooLarge: "IT2104",
  duplicateTarget: "IT2105",
  invalidTarget: "IT2106",
  missingDefault: "IT2107",
  duplicateDefault: "IT2108",
  unusedName: "IT2109",

  invalidScope: "IT2110",
  unknownTransport: "IT2111",
  duplicateScope: "IT2112",
  emptyChildScope: "IT2113",
  nestedDefault: "IT2114",
  duplicateTransportDefault: "IT2115",

  keyFileMissing: "IT2120",
  keyFileHoldsNoKey: "IT2121",
  invalidBase64: "IT2122",
  keyClauseMissing: "IT2123",
  invalidKeyType: "IT2124",
  keySourceNotAllowed: "IT2125",
  rekorRequired: "IT2126",
  rekorNotAllowed: "IT2127",
  relativeKeyPath: "IT2128",
  duplicateKeyClause: "IT2129",
  keyClauseConflict: "IT2130",
  emptyKeyValue: "IT2131",

  invalidIdentityReference: "IT2140",
  invalidRemapPrefix: "IT2141",
  identityCycle: "IT2142",

  sigstoreWithoutAttachments: "IT2150",
  sigstoreAttachmentsUnknown: "IT2151",

  approvalNotDigest: "IT2160",
  approvalInvalidReference: "IT2161",

  expectationInvalid: "IT2170",
  expectationTagVersusApproval: "IT2171",
  expectationUnknownScope: "IT2172",

  featureTooNew: "IT2180",

  duplicateStorageScope: "IT2190",
  duplicateStorageSetting: "IT2191",
  duplicateStorageDefault: "IT2192",
  invalidStorageUrl: "IT2193",
} as const;
