/**
 * Requirement lists and requirement objects: `PolicyRequirements.UnmarshalJSON`, the two-pass
 * `newPolicyRequirementFromJSON`, and the strict `pr*.UnmarshalJSON` + `newPR*` constructors of
 * insecureAcceptAnything, reject, signedBy and signedBaseLayer (signature/policy_config.go).
 * sigstoreSigned lives in policy-sigstore.ts.
 */
import {
  REQUIREMENT_TYPES,
  SIGNED_BY_KEY_TYPES,
  type IdentityMatch,
  type Requirement,
  type SignedBy,
  type SignedByKeyType,
} from "../ir/types.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { goQuote } from "../util/go-quote.js";
import { goKindName, type JsonMember, type JsonObject, type JsonValue } from "./json-tree.js";
import {
  type BytesField,
  type LoadContext,
  type StringField,
  type StringListField,
  decodeBytes,
  decodeString,
  decodeStringList,
  describeKind,
  fieldMap,
  readStrictObject,
} from "./policy-decode.js";
import { POLICY_CODES } from "./policy-codes.js";
import { readIdentity } from "./policy-identity.js";
import { readSigstoreSigned } from "./policy-sigstore.js";
import { readTypeField } from "./policy-type-field.js";

/**
 * Reads a requirement list (`default` or a scope's value). Follows `PolicyRequirements.UnmarshalJSON`:
 * `null` and `[]` are "must not be empty", other non-arrays a Go type error; elements in order.
 */
export function readRequirementList(ctx: LoadContext, node: JsonValue, what: string): Requirement[] | undefined {
  if (node.kind !== "array" && node.kind !== "null") {
    ctx.report(
      POLICY_CODES.wrongType,
      ctx.nodeSpan(node),
      `${what} must be an array of requirements, not ${describeKind(node)}`,
      `json: cannot unmarshal ${goKindName(node)} into Go value of type []json.RawMessage`,
    );
    return undefined;
  }
  if (node.kind !== "array" || node.elements.length === 0) {
    ctx.report(
      POLICY_CODES.emptyRequirements,
      ctx.nodeSpan(node),
      `${what} must list at least one requirement`,
      "List of verification policy requirements must not be empty",
      { hint: 'e.g. [{"type": "reject"}] or [{"type": "insecureAcceptAnything"}]' },
    );
    return undefined;
  }
  const out: Requirement[] = [];
  let ok = true;
  for (const el of node.elements) {
    const r = readRequirement(ctx, el);
    if (r) out.push(r);
    else ok = false;
  }
  return ok ? out : undefined;
}

const SINCE_BY_TYPE: Partial<Record<string, "sigstoreSigned">> = { sigstoreSigned: "sigstoreSigned" };

/** Reads one requirement: the lenient `type` pass, then the strict reader of that type. */
export function readRequirement(ctx: LoadContext, node: JsonValue): Requirement | undefined {
  const t = readTypeField(ctx, node, "a requirement", "prCommon", "prTypeIdentifier");
  if (!t) return undefined;
  const known = (REQUIREMENT_TYPES as readonly string[]).includes(t.type);
  const gate = SINCE_BY_TYPE[t.type];
  if (!known || (gate && !ctx.has(gate))) {
    const span = ctx.nodeSpan(t.node ?? node);
    const available = REQUIREMENT_TYPES.filter((x) => !SINCE_BY_TYPE[x] || ctx.has(SINCE_BY_TYPE[x]!));
    if (known) {
      ctx.report(
        POLICY_CODES.requirementTypeNewerThanTarget,
        span,
        `${t.type} needs containers/image 5.22 or newer (target ${ctx.targetText()})`,
        `Unknown policy requirement type ${ctx.q(t.type)}`,
      );
    } else {
      ctx.report(
        POLICY_CODES.unknownRequirementType,
        span,
        t.type === ""
          ? `the requirement has no "type"`
          : `Unknown requirement type ${goQuote(t.type)}.${didYouMean(t.type, available)}`,
        `Unknown policy requirement type ${ctx.q(t.type)}`,
        { hint: `requirement types: ${available.join(", ")}` },
      );
    }
    return undefined;
  }
  const obj = node as JsonObject;
  switch (t.type) {
    case "insecureAcceptAnything":
    case "reject": {
      const before = ctx.diagnostics.length;
      readStrictObject(ctx, obj, `a ${t.type} requirement`, fieldMap({ type: () => undefined }), ["type"]);
      return ctx.diagnostics.length === before ? { type: t.type, origin: ctx.nodeSpan(obj) } : undefined;
    }
    case "signedBy":
      return readSignedBy(ctx, obj);
    case "sigstoreSigned":
      return readSigstoreSigned(ctx, obj);
    case "signedBaseLayer":
      return readSignedBaseLayer(ctx, obj);
  }
  return undefined;
}

/** `prSignedBaseLayer.UnmarshalJSON`: exactly `type` and `baseLayerIdentity`. */
function readSignedBaseLayer(ctx: LoadContext, obj: JsonObject): Requirement | undefined {
  const before = ctx.diagnostics.length;
  let identityMember: JsonMember | undefined;
  readStrictObject(
    ctx,
    obj,
    "a signedBaseLayer requirement",
    fieldMap({ type: () => undefined, baseLayerIdentity: (m) => (identityMember = m) }),
    ["type", "baseLayerIdentity"],
  );
  const found = identityMember as JsonMember | undefined;
  if (!found) return undefined;
  const identity = readIdentity(ctx, found.value, "baseLayerIdentity");
  if (!identity || ctx.diagnostics.length !== before) return undefined;
  return { type: "signedBaseLayer", baseLayerIdentity: identity, origin: ctx.nodeSpan(obj) };
}

/** `prSignedBy.UnmarshalJSON` + `newPRSignedBy`. */
function readSignedBy(ctx: LoadContext, obj: JsonObject): SignedBy | undefined {
  const before = ctx.diagnostics.length;
  let keyTypeMember: JsonMember | undefined;
  let keyType: SignedByKeyType | undefined;
  let keyTypeBad = false;
  const sources: { key: "keyPath" | "keyPaths" | "keyData"; member: JsonMember }[] = [];
  let keyPath: StringField | undefined;
  let keyPaths: StringListField | undefined;
  let keyData: BytesField | undefined;
  let identityMember: JsonMember | undefined;
  readStrictObject(
    ctx,
    obj,
    "a signedBy requirement",
    fieldMap({
      type: () => undefined,
      keyType: (m) => {
        keyTypeMember = m;
        // sbKeyType.UnmarshalJSON: decode a string, then check the value.
        const s = decodeString(ctx, m.value, "keyType");
        if (s.bad) {
          keyTypeBad = true;
          return;
        }
        if (!(SIGNED_BY_KEY_TYPES as readonly string[]).includes(s.value)) {
          keyTypeBad = true;
          ctx.report(
            POLICY_CODES.invalidKeyType,
            ctx.nodeSpan(m.value),
            `keyType ${goQuote(s.value)} is not one of ${SIGNED_BY_KEY_TYPES.join(", ")}.${didYouMean(s.value, SIGNED_BY_KEY_TYPES)}`,
            `Unrecognized keyType value ${ctx.q(s.value)}`,
            { hint: "only GPGKeys is implemented when signatures are checked" },
          );
          return;
        }
        keyType = s.value as SignedByKeyType;
      },
      keyPath: (m) => {
        sources.push({ key: "keyPath", member: m });
        keyPath = decodeString(ctx, m.value, "keyPath");
      },
      keyPaths: {
        since: "signedByKeyPaths",
        read: (m) => {
          sources.push({ key: "keyPaths", member: m });
          keyPaths = decodeStringList(ctx, m.value, "keyPaths");
        },
      },
      keyData: (m) => {
        sources.push({ key: "keyData", member: m });
        keyData = decodeBytes(ctx, m.value, "keyData");
      },
      signedIdentity: (m) => (identityMember = m),
    }),
  );
  // After the object: signedIdentity (explicit null is not the default), then the key sources.
  let identity: IdentityMatch | undefined;
  const idm = identityMember as JsonMember | undefined;
  if (idm) identity = readIdentity(ctx, idm.value, "signedIdentity");

  const hasKeyPaths = ctx.has("signedByKeyPaths");
  const sourceNames = hasKeyPaths ? "keyPath, keyPaths and keyData" : "keyPath and keyData";
  if (sources.length === 0) {
    ctx.report(
      POLICY_CODES.signedByKeySourceCount,
      ctx.nodeSpan(obj),
      `a signedBy requirement needs exactly one of ${sourceNames}; none is given`,
      `Exactly one of keyPath, keyPaths and keyData must be specified, none of them present`,
    );
  } else if (sources.length > 1) {
    ctx.report(
      POLICY_CODES.signedByKeySourceCount,
      ctx.keySpan(sources[1].member),
      `a signedBy requirement needs exactly one of ${sourceNames}; ${sources.map((s) => s.key).join(" and ")} are all given`,
      `Exactly one of keyPath, keyPaths and keyData must be specified, more than one present`,
      { related: sources.filter((_, i) => i !== 1).map((s) => ({ message: `${s.key} given here`, span: ctx.keySpan(s.member) })) },
    );
  }
  if (!keyTypeMember) {
    ctx.report(
      POLICY_CODES.missingKeyType,
      ctx.nodeSpan(obj),
      `a signedBy requirement needs "keyType" (usually "GPGKeys")`,
      `invalid keyType ${ctx.q("")}`,
    );
  }
  if (sources.length === 1 && !keyTypeBad) {
    const kp = keyPath as StringField | undefined;
    const kps = keyPaths as StringListField | undefined;
    const kd = keyData as BytesField | undefined;
    const unset =
      (kp !== undefined && !kp.bad && kp.value === "") ||
      (kps !== undefined && !kps.bad && kps.values === undefined) ||
      (kd !== undefined && !kd.bad && kd.base64 === undefined);
    if (unset) {
      const s = sources[0];
      ctx.report(
        POLICY_CODES.signedByKeySourceUnset,
        ctx.nodeSpan(s.member.value),
        `${s.key} is ${s.member.value.kind === "null" ? "null" : "empty"}: a signedBy requirement needs a key`,
        `exactly one of keyPath, keyPaths and keyData must be specified`,
      );
    }
  }
  if (ctx.diagnostics.length !== before || !keyType) return undefined;
  const out: SignedBy = { type: "signedBy", keyType, origin: ctx.nodeSpan(obj) };
  const kp = keyPath as StringField | undefined;
  const kps = keyPaths as StringListField | undefined;
  const kd = keyData as BytesField | undefined;
  if (kp) out.keyPath = kp.value;
  if (kps) out.keyPaths = kps.values ?? [];
  if (kd) out.keyData = kd.base64 ?? "";
  if (identity) out.signedIdentity = identity;
  return out;
}
