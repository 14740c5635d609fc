/**
 * The lenient first pass of requirement and signedIdentity dispatch: upstream decodes the object into
 * `prCommon` / `prmCommon` with Go's ordinary decoder to learn `type` (newPolicyRequirementFromJSON /
 * newPolicyReferenceMatchFromJSON in signature/policy_config.go): keys match `type` case-insensitively,
 * the last one wins, `null` leaves "", other keys are ignored.
 */
import { goKindName, type JsonValue } from "./json-tree.js";
import { type LoadContext, describeKind } from "./policy-decode.js";
import { POLICY_CODES } from "./policy-codes.js";

/** The type learned by the first pass, with the node that set it (for spans); undefined after an error. */
export interface TypeFieldResult {
  type: string;
  /** The string node that gave the type (absent when none did). */
  node?: JsonValue;
}

/** ASCII case-insensitive equality with "type" (Go's field-name folding; "type" has no special-fold letters). */
function isTypeKey(key: string): boolean {
  if (key === "type") return true;
  if (key.length !== 4) return false;
  // ASCII letters only: OR-ing 0x20 lower-cases them.
  return (
    (key.charCodeAt(0) | 0x20) === 0x74 &&
    (key.charCodeAt(1) | 0x20) === 0x79 &&
    (key.charCodeAt(2) | 0x20) === 0x70 &&
    (key.charCodeAt(3) | 0x20) === 0x65
  );
}

/**
 * Runs the first pass over `node`. `goStruct` is "prCommon" or "prmCommon"; `goTypeName` the type field's
 * Go type ("prTypeIdentifier" / "prmTypeIdentifier"). Reports Go's unmarshal errors and returns undefined
 * on error.
 */
export function readTypeField(
  ctx: LoadContext,
  node: JsonValue,
  what: string,
  goStruct: "prCommon" | "prmCommon",
  goTypeName: string,
): TypeFieldResult | undefined {
  if (node.kind === "null") return { type: "" };
  if (node.kind !== "object") {
    ctx.report(
      POLICY_CODES.wrongType,
      ctx.nodeSpan(node),
      `${what} must be a JSON object with a "type", not ${describeKind(node)}`,
      `json: cannot unmarshal ${goKindName(node)} into Go value of type signature.${goStruct}`,
    );
    return undefined;
  }
  let result: TypeFieldResult = { type: "" };
  let failed = false;
  for (const m of node.members) {
    if (!isTypeKey(m.key)) continue;
    const v = m.value;
    if (v.kind === "string") result = { type: v.value, node: v };
    else if (v.kind !== "null" && !failed) {
      failed = true;
      ctx.report(
        POLICY_CODES.wrongType,
        ctx.nodeSpan(v),
        `the "type" of ${what} must be a string, not ${describeKind(v)}`,
        `json: cannot unmarshal ${goKindName(v)} into Go struct field ${goStruct}.type of type signature.${goTypeName}`,
      );
    }
  }
  return failed ? undefined : result;
}
