/**
 * The lenient first pass of requirement and signedIdentity dispatch: upstream decodes the object into
 * `prCommon` / `prmCommon` with Go's ordinary decoder to learn `type` (newPolicyRequirementFromJSON /
 * newPolicyReferenceMatchFromJSON in signature/policy_config.go): keys match `type` case-insensitively,
 * the last one wins, `null` leaves "", other keys are ignored.
 */
import { goKindName, type JsonValue } from "./json-tree.js";
import { type LoadContext, describeKind } from "./policy-decode.js";
import { POLICY_CODES } from "./policy-codes.js";

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
 * Go type ("prTypeIdentifier" / "prmTypeIdentifier"). Returns the type ("" when absent or null), or
 * undefined after reporting Go's unmarshal error.
 */
export function readTypeField(
  ctx: LoadContext,
  node: JsonValue,
  what: string,
  goStruct: "prCommon" | "prmCommon",
  goTypeName: string,
): string | undefined {
  if (node.kind === "null") return "";
  if (node.kind !== "object") {
    ctx.report(
      POLICY_CODES.wrongType,
      ctx.nodeSpan(node),
      `${what} must be a JSON object with a "type", not ${describeKind(node)}`,
      `json: cannot unmarshal ${goKindName(node)} into Go value of type signature.${goStruct}`,
    );
    return undefined;
  }
  let type = "";
  let failed = false;
  const members = node.members;
  for (let i = 0; i < members.length; i++) {
    const m = members[i];
    if (!isTypeKey(m.key)) continue;
    const v = m.value;
    if (v.kind === "string") type = v.value;
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
  return failed ? undefined : type;
}

/** The string value that gave the first pass its type (the last one), for pointing at it; else `node`. */
export function typeFieldNode(node: JsonValue): JsonValue {
  if (node.kind !== "object") return node;
  let found: JsonValue = node;
  for (const m of node.members) if (isTypeKey(m.key) && m.value.kind === "string") found = m.value;
  return found;
}
