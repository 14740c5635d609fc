/** Diagnostic codes of registries.d loading (IT13xx), and the size beyond which a file is not parsed. */

/** registries.d files longer than this (UTF-16 units) are refused with IT1319 instead of parsed. */
export const MAX_REGISTRIES_D_LENGTH = 16 * 1024 * 1024;

/** Diagnostic codes of registries.d loading (IT13xx). */
export const REGISTRIES_D_CODES = {
  yamlSyntax: "IT1300",
  typeError: "IT1301",
  duplicateKey: "IT1302",
  unknownKey: "IT1303",
  caseFoldedKey: "IT1304",
  deprecatedKey: "IT1305",
  defaultDockerTwice: "IT1306",
  namespaceTwice: "IT1307",
  ignoredFile: "IT1308",
  extraDocuments: "IT1309",
  unreadable: "IT1310",
  coercedScalar: "IT1311",
  featureTooNew: "IT1312",
  nullDefaultDocker: "IT1313",
  invalidUrl: "IT1314",
  schemelessUrl: "IT1315",
  unsupportedScheme: "IT1316",
  stagingNotFile: "IT1317",
  trailingSlash: "IT1318",
  tooLarge: "IT1319",
  excessiveAliasing: "IT1320",
} as const;
