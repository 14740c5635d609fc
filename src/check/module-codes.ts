/** Diagnostic codes of includes, profiles, enforcement placement and dated approvals (IT2220–IT2299, issue 16). */
export const MODULE_CODES = {
  includeCycle: "IT2220",
  includeUnreadable: "IT2221",
  includeNotAllowedHere: "IT2222",
  includeTooDeep: "IT2223",

  unknownProfile: "IT2230",
  notAllowedInProfile: "IT2231",
  profileOverrides: "IT2232",

  nodesOnlyPassedThrough: "IT2240",
  clusterOnlyLeftOut: "IT2241",

  approvalExpired: "IT2250",
  approvalExpiredRefused: "IT2251",
  invalidDate: "IT2252",
  importLosesApprovalFacts: "IT2253",

  becauseOnAllow: "IT2261",
  becauseUnknownCode: "IT2262",
  becauseNotADenialCode: "IT2263",
  evidenceUnreadable: "IT2264",
} as const;
