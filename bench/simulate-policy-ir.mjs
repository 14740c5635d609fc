// policy.json (already JSON.parse'd, valid) → imagetrust IR, for the simulate benchmark only: the IR uses
// policy.json's own field names, so this is a reshaping of `transports` into ordered sections. (The real
// loader, src/load/policy-json.ts, also keeps positions and validates; the benchmark measures decisions.)
export function policyFromJson(json) {
  return {
    default: json.default,
    transports: Object.entries(json.transports ?? {}).map(([name, scopes]) => ({
      name,
      scopes: Object.entries(scopes).map(([scope, requirements]) => ({ scope, requirements })),
    })),
    transportsPresent: json.transports !== undefined,
  };
}
