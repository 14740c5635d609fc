/** Diagnostic codes of expectation files (simulator band IT5xxx; IT56xx = `imagetrust test`). */
export const EXPECTATION_CODES = {
  yamlSyntax: "IT5601",
  badStructure: "IT5602",
  badCase: "IT5603",
  policyUnloadable: "IT5604",
  unreadable: "IT5605",
  unknownKind: "IT5606",
  failed: "IT5610",
} as const;

