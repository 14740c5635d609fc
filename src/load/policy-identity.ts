/**
 * signedIdentity / baseLayerIdentity objects (upstream `PolicyReferenceMatch`): the two-pass dispatch of
 * `newPolicyReferenceMatchFromJSON` and the strict `prm*.UnmarshalJSON` + `newPRM*` constructors in
 * signature/policy_config.go.
 */
import { IDENTITY_MATCH_TYPES, type IdentityMatch } from "../ir/types.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { goQuote } from "../util/go-quote.js";
import { parseNormalizedNamed, validateRemapPrefix } from "../reference/docker-reference.js";
import { newPRMExactReference, newPRMExactRepository, newPRMRemapIdentity } from "../ir/constraints.js";
import type { JsonMember, JsonObject, JsonValue } from "./json-tree.js";
import { type LoadContext, type StringField, decodeString, fieldTable, readStrictObject } from "./policy-decode.js";
import { POLICY_CODES } from "./policy-codes.js";
import { readTypeField, typeFieldNode } from "./policy-type-field.js";

interface DecodedString {
  member: JsonMember;
  field: StringField;
}
interface ValueState {
  value?: DecodedString;
}
interface RemapState {
  prefix?: DecodedString;
  signedPrefix?: DecodedString;
}

const TYPE_FIELD = { read: (): void => undefined };
const TYPE_ONLY = fieldTable<undefined>({ type: TYPE_FIELD });
const EXACT_REFERENCE_FIELDS = fieldTable<ValueState>({
  type: TYPE_FIELD,
  dockerReference: (ctx, m, st) => {
    st.value = { member: m, field: decodeString(ctx, m.value, "dockerReference") };
  },
});
const EXACT_REPOSITORY_FIELDS = fieldTable<ValueState>({
  type: TYPE_FIELD,
  dockerRepository: (ctx, m, st) => {
    st.value = { member: m, field: decodeString(ctx, m.value, "dockerRepository") };
  },
});
const REMAP_FIELDS = fieldTable<RemapState>({
  type: TYPE_FIELD,
  prefix: (ctx, m, st) => {
    st.prefix = { member: m, field: decodeString(ctx, m.value, "prefix") };
  },
  signedPrefix: (ctx, m, st) => {
    st.signedPrefix = { member: m, field: decodeString(ctx, m.value, "signedPrefix") };
  },
});

/** Reads a signedIdentity value (any JSON, as upstream keeps it as json.RawMessage); undefined on error. */
export function readIdentity(ctx: LoadContext, node: JsonValue, what: string): IdentityMatch | undefined {
  const type = readTypeField(ctx, node, what, "prmCommon", "prmTypeIdentifier");
  if (type === undefined) return undefined;
  const known = (IDENTITY_MATCH_TYPES as readonly string[]).includes(type);
  if (!known || (type === "remapIdentity" && !ctx.has("remapIdentity"))) {
    const span = ctx.nodeSpan(typeFieldNode(node));
    if (known) {
      ctx.report(
        POLICY_CODES.identityTypeNewerThanTarget,
        span,
        `remapIdentity needs containers/image 5.9 or newer (target ${ctx.targetText()})`,
        `Unknown policy reference match type ${ctx.q(type)}`,
      );
    } else {
      const available = IDENTITY_MATCH_TYPES.filter((x) => x !== "remapIdentity" || ctx.has("remapIdentity"));
      ctx.report(
        POLICY_CODES.unknownIdentityType,
        span,
        type === ""
          ? `${what} has no "type"`
          : `Unknown signedIdentity type ${goQuote(type)} in ${what}.${didYouMean(type, available)}`,
        `Unknown policy reference match type ${ctx.q(type)}`,
        { hint: `signedIdentity types: ${available.join(", ")}` },
      );
    }
    return undefined;
  }
  // node is an object here: readTypeField returns a known type only for objects (null gives "").
  const obj = node as JsonObject;
  const origin = ctx.nodeSpan(obj);
  switch (type) {
    case "matchExact":
    case "matchRepoDigestOrExact":
    case "matchRepository": {
      const before = ctx.diagnostics.length;
      readStrictObject(ctx, obj, () => `a ${type} signedIdentity`, TYPE_ONLY, undefined, ["type"]);
      return ctx.diagnostics.length === before ? { type: type, origin } : undefined;
    }
    case "exactReference":
    case "exactRepository": {
      const isReference = type === "exactReference";
      const field = isReference ? "dockerReference" : "dockerRepository";
      const st: ValueState = {};
      const before = ctx.diagnostics.length;
      readStrictObject(
        ctx,
        obj,
        isReference ? "an exactReference signedIdentity" : "an exactRepository signedIdentity",
        isReference ? EXACT_REFERENCE_FIELDS : EXACT_REPOSITORY_FIELDS,
        st,
        ["type", field],
      );
      const value = st.value;
      if (!value || value.field.bad) return undefined;
      const valueNode = value.member.value;
      const text = value.field.value;
      const parse = (t: string) => ctx.memo("ref", t, parseNormalizedNamed);
      const broken = isReference ? newPRMExactReference(text, parse) : newPRMExactRepository(text, parse);
      // 5.23.1 printed the value with a bare %s (no quotes) in these two messages.
      const shown = ctx.goQuoted ? goQuote(text) : text;
      for (const v of broken) {
        if (v.rule === "invalidReference") {
          ctx.report(
            POLICY_CODES.invalidDockerReference,
            ctx.nodeSpan(valueNode),
            `${field} ${goQuote(text)} is not a valid docker reference: ${v.error}`,
            `Invalid format of ${field} ${shown}: ${v.error}`,
          );
        } else {
          ctx.report(
            POLICY_CODES.dockerReferenceNameOnly,
            ctx.nodeSpan(valueNode),
            `dockerReference ${goQuote(text)} must name a tag or a digest`,
            `dockerReference ${shown} contains neither a tag nor digest`,
            { hint: `e.g. ${goQuote(text + ":latest")}; to accept any tag use exactRepository` },
          );
        }
        return undefined;
      }
      if (ctx.diagnostics.length !== before) return undefined;
      return isReference
        ? { type: "exactReference", dockerReference: text, origin }
        : { type: "exactRepository", dockerRepository: text, origin };
    }
    case "remapIdentity": {
      const st: RemapState = {};
      const before = ctx.diagnostics.length;
      readStrictObject(ctx, obj, "a remapIdentity signedIdentity", REMAP_FIELDS, st, ["type", "prefix", "signedPrefix"]);
      const { prefix, signedPrefix } = st;
      if (!prefix || !signedPrefix || prefix.field.bad || signedPrefix.field.bad) return undefined;
      const valid = (t: string) => ctx.memo("remap", t, validateRemapPrefix);
      for (const v of newPRMRemapIdentity(prefix.field.value, signedPrefix.field.value, valid)) {
        const f = v.field === "prefix" ? prefix : signedPrefix;
        ctx.report(
          POLICY_CODES.invalidRemapPrefix,
          ctx.nodeSpan(f.member.value),
          `${v.field} ${goQuote(f.field.value)} is not a valid remapIdentity prefix: it must be a host[:port] or a repository namespace starting with one (no tag, digest or trailing "/")`,
          `prefix ${goQuote(f.field.value)} is not valid`,
        );
      }
      if (ctx.diagnostics.length !== before) return undefined;
      return { type: "remapIdentity", prefix: prefix.field.value, signedPrefix: signedPrefix.field.value, origin };
    }
  }
  return undefined;
}
