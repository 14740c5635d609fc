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
import { didYouMean, suggestionList } from "../diagnostics/did-you-mean.js";
import { goQuote } from "../util/go-quote.js";
import { isValidSignedByKeyType, newPRSignedBy, prSignedByKeySourcesPresent, SIGNED_BY_KEY_SOURCES } from "../ir/constraints.js";
import { bytesFieldState, listFieldState, stringFieldState } from "./policy-field-state.js";
import { goKindName, type JsonMember, type JsonObject, type JsonValue } from "./json-tree.js";
import {
  type BytesField,
  type LoadContext,
  type StringField,
  type StringListField,
  type What,
  decodeBytes,
  decodeString,
  decodeStringList,
  describeKind,
  fieldTable,
  readStrictObject,
  whatText,
} from "./policy-decode.js";
import { POLICY_CODES } from "./policy-codes.js";
import { readIdentity } from "./policy-identity.js";
import { readSigstoreSigned } from "./policy-sigstore.js";
import { readTypeField, typeFieldNode } from "./policy-type-field.js";

/**
 * Reads a requirement list (`default` or a scope's value). Follows `PolicyRequirements.UnmarshalJSON`:
 * `null` and `[]` are "must not be empty", other non-arrays a Go type error; elements in order.
 */
export function readRequirementList(ctx: LoadContext, node: JsonValue, what: What): Requirement[] | undefined {
  if (node.kind !== "array" && node.kind !== "null") {
    ctx.report(
      POLICY_CODES.wrongType,
      ctx.nodeSpan(node),
      `${whatText(what)} must be an array of requirements, not ${describeKind(node)}`,
      `json: cannot unmarshal ${goKindName(node)} into Go value of type []json.RawMessage`,
    );
    return undefined;
  }
  if (node.kind !== "array" || node.elements.length === 0) {
    ctx.report(
      POLICY_CODES.emptyRequirements,
      ctx.nodeSpan(node),
      `${whatText(what)} must list at least one requirement`,
      "List of verification policy requirements must not be empty",
      { hint: 'e.g. [{"type": "reject"}] or [{"type": "insecureAcceptAnything"}]' },
    );
    return undefined;
  }
  const out: Requirement[] = [];
  let ok = true;
  const elements = node.elements;
  for (let i = 0; i < elements.length; i++) {
    const el = elements[i];
    const r = readRequirement(ctx, el);
    if (r) out.push(r);
    else ok = false;
  }
  return ok ? out : undefined;
}

const SINCE_BY_TYPE: Partial<Record<string, "sigstoreSigned">> = { sigstoreSigned: "sigstoreSigned" };

/** Reads one requirement: the lenient `type` pass, then the strict reader of that type. */
export function readRequirement(ctx: LoadContext, node: JsonValue): Requirement | undefined {
  const type = readTypeField(ctx, node, "a requirement", "prCommon", "prTypeIdentifier");
  if (type === undefined) return undefined;
  const known = (REQUIREMENT_TYPES as readonly string[]).includes(type);
  const gate = SINCE_BY_TYPE[type];
  if (!known || (gate && !ctx.has(gate))) {
    const span = ctx.nodeSpan(typeFieldNode(node));
    const available = REQUIREMENT_TYPES.filter((x) => !SINCE_BY_TYPE[x] || ctx.has(SINCE_BY_TYPE[x]!));
    if (known) {
      ctx.report(
        POLICY_CODES.requirementTypeNewerThanTarget,
        span,
        `${type} needs containers/image 5.22 or newer (target ${ctx.targetText()})`,
        `Unknown policy requirement type ${ctx.q(type)}`,
      );
    } else {
      ctx.report(
        POLICY_CODES.unknownRequirementType,
        span,
        type === ""
          ? `the requirement has no "type"`
          : `Unknown requirement type ${goQuote(type)}.${didYouMean(type, available)}`,
        `Unknown policy requirement type ${ctx.q(type)}`,
        { hint: `requirement types: ${available.join(", ")}` },
      );
    }
    return undefined;
  }
  const obj = node as JsonObject;
  switch (type) {
    case "insecureAcceptAnything":
    case "reject": {
      const before = ctx.diagnostics.length;
      readStrictObject(ctx, obj, type === "reject" ? "a reject requirement" : "an insecureAcceptAnything requirement", TYPE_ONLY_FIELDS, undefined, ["type"]);
      return ctx.diagnostics.length === before ? { type: type, origin: ctx.nodeSpan(obj) } : undefined;
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

/** The `type` key of a strict requirement / identity object: already known from the first pass. */
const TYPE_FIELD = { read: (): void => undefined };
const TYPE_ONLY_FIELDS = fieldTable<undefined>({ type: TYPE_FIELD });

const SIGNED_BASE_LAYER_FIELDS = fieldTable<{ identity?: JsonMember }>({
  type: TYPE_FIELD,
  baseLayerIdentity: (_ctx, m, st) => {
    st.identity = m;
  },
});

/** `prSignedBaseLayer.UnmarshalJSON`: exactly `type` and `baseLayerIdentity`. */
function readSignedBaseLayer(ctx: LoadContext, obj: JsonObject): Requirement | undefined {
  const before = ctx.diagnostics.length;
  const st: { identity?: JsonMember } = {};
  readStrictObject(ctx, obj, "a signedBaseLayer requirement", SIGNED_BASE_LAYER_FIELDS, st, ["type", "baseLayerIdentity"]);
  if (!st.identity) return undefined;
  const identity = readIdentity(ctx, st.identity.value, "baseLayerIdentity");
  if (!identity || ctx.diagnostics.length !== before) return undefined;
  return { type: "signedBaseLayer", baseLayerIdentity: identity, origin: ctx.nodeSpan(obj) };
}

interface SignedByState {
  keyTypeMember?: JsonMember;
  keyType?: SignedByKeyType;
  keyTypeBad: boolean;
  sources: { key: "keyPath" | "keyPaths" | "keyData"; member: JsonMember }[];
  keyPath?: StringField;
  keyPaths?: StringListField;
  keyData?: BytesField;
  identityMember?: JsonMember;
}

const SIGNED_BY_FIELDS = fieldTable<SignedByState>({
  type: TYPE_FIELD,
  keyType: (ctx, m, st) => {
    st.keyTypeMember = m;
    // sbKeyType.UnmarshalJSON: decode a string, then check the value.
    const s = decodeString(ctx, m.value, "keyType");
    if (s.bad) {
      st.keyTypeBad = true;
      return;
    }
    if (!isValidSignedByKeyType(s.value)) {
      st.keyTypeBad = true;
      ctx.report(
        POLICY_CODES.invalidKeyType,
        ctx.nodeSpan(m.value),
        `${s.isNull ? "keyType is null; it must be" : `keyType ${goQuote(s.value)} is not`} one of ${SIGNED_BY_KEY_TYPES.join(", ")}.${didYouMean(s.value, SIGNED_BY_KEY_TYPES)}`,
        `Unrecognized keyType value ${ctx.q(s.value)}`,
        { hint: "only GPGKeys is implemented when signatures are checked" },
      );
      return;
    }
    st.keyType = s.value as SignedByKeyType;
  },
  keyPath: (ctx, m, st) => {
    st.sources.push({ key: "keyPath", member: m });
    st.keyPath = decodeString(ctx, m.value, "keyPath");
  },
  keyPaths: {
    since: "signedByKeyPaths",
    read: (ctx, m, st) => {
      st.sources.push({ key: "keyPaths", member: m });
      st.keyPaths = decodeStringList(ctx, m.value, "keyPaths");
    },
  },
  keyData: (ctx, m, st) => {
    st.sources.push({ key: "keyData", member: m });
    st.keyData = decodeBytes(ctx, m.value, "keyData");
  },
  signedIdentity: (_ctx, m, st) => {
    st.identityMember = m;
  },
});

/** `prSignedBy.UnmarshalJSON` + `newPRSignedBy`. */
function readSignedBy(ctx: LoadContext, obj: JsonObject): SignedBy | undefined {
  const before = ctx.diagnostics.length;
  const st: SignedByState = { keyTypeBad: false, sources: [] };
  readStrictObject(ctx, obj, "a signedBy requirement", SIGNED_BY_FIELDS, st);
  const sources = st.sources;
  // After the object: signedIdentity (explicit null is not the default), then the key sources.
  let identity: IdentityMatch | undefined;
  if (st.identityMember) identity = readIdentity(ctx, st.identityMember.value, "signedIdentity");

  const sourceNames = ctx.has("signedByKeyPaths") ? "keyPath, keyPaths and keyData" : "keyPath and keyData";
  for (const v of prSignedByKeySourcesPresent(sources.map((x) => x.key))) {
    if (v.rule === "noKeySource") {
      // A misspelt key source ("keypath") was already reported as an unknown key with a suggestion.
      const misspelt = obj.members.some((m) => !SIGNED_BY_FIELDS.has(m.key) && suggestionList(m.key, SIGNED_BY_KEY_SOURCES).length > 0);
      if (!misspelt) {
        ctx.report(
          POLICY_CODES.signedByKeySourceCount,
          ctx.nodeSpan(obj),
          `a signedBy requirement needs exactly one of ${sourceNames}; none is given`,
          `Exactly one of keyPath, keyPaths and keyData must be specified, none of them present`,
        );
      }
    } else {
      const names = v.fields;
      ctx.report(
        POLICY_CODES.signedByKeySourceCount,
        ctx.keySpan(sources[1].member),
        `a signedBy requirement needs exactly one of ${sourceNames}, but ${names.slice(0, -1).join(", ")} and ${names[names.length - 1]} are given`,
        `Exactly one of keyPath, keyPaths and keyData must be specified, more than one present`,
        { related: sources.filter((_, i) => i !== 1).map((x) => ({ message: `${x.key} given here`, span: ctx.keySpan(x.member) })) },
      );
    }
  }
  if (!st.keyTypeMember) {
    ctx.report(
      POLICY_CODES.missingKeyType,
      ctx.nodeSpan(obj),
      `a signedBy requirement needs "keyType" (usually "GPGKeys")`,
      `invalid keyType ${ctx.q("")}`,
    );
  }
  const { keyPath: kp, keyPaths: kps, keyData: kd } = st;
  if (sources.length === 1 && !st.keyTypeBad) {
    // newPRSignedBy counts the non-empty sources: the one given may be "" or null (its keyType is checked above).
    const facts = { keyType: st.keyType ?? "", keyPath: stringFieldState(kp), keyPaths: listFieldState(kps), keyData: bytesFieldState(kd) };
    if (newPRSignedBy(facts).some((v) => v.rule === "keySourceCount")) {
      const x = sources[0];
      ctx.report(
        POLICY_CODES.signedByKeySourceUnset,
        ctx.nodeSpan(x.member.value),
        `${x.key} is ${x.member.value.kind === "null" ? "null" : "empty"}: a signedBy requirement needs a key`,
        `exactly one of keyPath, keyPaths and keyData must be specified`,
      );
    }
  }
  if (ctx.diagnostics.length !== before || !st.keyType) return undefined;
  const out: SignedBy = { type: "signedBy", keyType: st.keyType, origin: ctx.nodeSpan(obj) };
  if (kp) out.keyPath = kp.value;
  if (kps) out.keyPaths = kps.values ?? [];
  if (kd) out.keyData = kd.base64 ?? "";
  if (identity) out.signedIdentity = identity;
  return out;
}
