/**
 * signedIdentity / baseLayerIdentity objects (upstream `PolicyReferenceMatch`): the two-pass dispatch of
 * `newPolicyReferenceMatchFromJSON` and the strict `prm*.UnmarshalJSON` + `newPRM*` constructors in
 * signature/policy_config.go.
 */
import { IDENTITY_MATCH_TYPES, type IdentityMatch } from "../ir/types.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { goQuote } from "../util/go-quote.js";
import { isNameOnly, parseNormalizedNamed, validateRemapPrefix } from "../reference/docker-reference.js";
import type { JsonObject, JsonValue } from "./json-tree.js";
import { type LoadContext, type StringField, decodeString, fieldMap, readStrictObject } from "./policy-decode.js";
import { POLICY_CODES } from "./policy-codes.js";
import { readTypeField } from "./policy-type-field.js";

/** Reads a signedIdentity value (any JSON, as upstream keeps it as json.RawMessage); undefined on error. */
export function readIdentity(ctx: LoadContext, node: JsonValue, what: string): IdentityMatch | undefined {
  const t = readTypeField(ctx, node, what, "prmCommon", "prmTypeIdentifier");
  if (!t) return undefined;
  const known = (IDENTITY_MATCH_TYPES as readonly string[]).includes(t.type);
  if (!known || (t.type === "remapIdentity" && !ctx.has("remapIdentity"))) {
    const span = ctx.nodeSpan(t.node ?? node);
    if (known) {
      ctx.report(
        POLICY_CODES.identityTypeNewerThanTarget,
        span,
        `remapIdentity needs containers/image 5.9 or newer (target ${ctx.targetText()})`,
        `Unknown policy reference match type ${ctx.q(t.type)}`,
      );
    } else {
      const available = IDENTITY_MATCH_TYPES.filter((x) => x !== "remapIdentity" || ctx.has("remapIdentity"));
      ctx.report(
        POLICY_CODES.unknownIdentityType,
        span,
        t.type === ""
          ? `${what} has no "type"`
          : `Unknown signedIdentity type ${goQuote(t.type)} in ${what}.${didYouMean(t.type, available)}`,
        `Unknown policy reference match type ${ctx.q(t.type)}`,
        { hint: `signedIdentity types: ${available.join(", ")}` },
      );
    }
    return undefined;
  }
  // node is an object here: readTypeField returns a known type only for objects (null gives "").
  const obj = node as JsonObject;
  const origin = ctx.nodeSpan(obj);
  const typeField = { read: () => undefined };
  switch (t.type) {
    case "matchExact":
    case "matchRepoDigestOrExact":
    case "matchRepository": {
      const seen = readStrictObject(ctx, obj, `a ${t.type} signedIdentity`, fieldMap({ type: typeField }), ["type"]);
      return seen ? { type: t.type, origin } : undefined;
    }
    case "exactReference":
    case "exactRepository": {
      const field = t.type === "exactReference" ? "dockerReference" : "dockerRepository";
      let value: StringField | undefined;
      const before = ctx.diagnostics.length;
      readStrictObject(
        ctx,
        obj,
        `an ${t.type} signedIdentity`,
        fieldMap({ type: typeField, [field]: (m) => (value = decodeString(ctx, m.value, field)) }),
        ["type", field],
      );
      if (!value || value.bad) return undefined;
      const valueNode = obj.members.find((m) => m.key === field)!.value;
      const parsed = parseNormalizedNamed(value.value);
      // 5.23.1 printed the value with a bare %s (no quotes) in these two messages.
      const shown = ctx.goQuoted ? goQuote(value.value) : value.value;
      if (!parsed.ok) {
        ctx.report(
          POLICY_CODES.invalidDockerReference,
          ctx.nodeSpan(valueNode),
          `${field} ${goQuote(value.value)} is not a valid docker reference: ${parsed.error}`,
          `Invalid format of ${field} ${shown}: ${parsed.error}`,
        );
        return undefined;
      }
      if (t.type === "exactReference" && isNameOnly(parsed.ref)) {
        ctx.report(
          POLICY_CODES.dockerReferenceNameOnly,
          ctx.nodeSpan(valueNode),
          `dockerReference ${goQuote(value.value)} must name a tag or a digest`,
          `dockerReference ${shown} contains neither a tag nor digest`,
          { hint: `e.g. ${goQuote(value.value + ":latest")}; to accept any tag use exactRepository` },
        );
        return undefined;
      }
      if (ctx.diagnostics.length !== before) return undefined;
      return t.type === "exactReference"
        ? { type: "exactReference", dockerReference: value.value, origin }
        : { type: "exactRepository", dockerRepository: value.value, origin };
    }
    case "remapIdentity": {
      let prefix: StringField | undefined;
      let signedPrefix: StringField | undefined;
      const before = ctx.diagnostics.length;
      readStrictObject(
        ctx,
        obj,
        "a remapIdentity signedIdentity",
        fieldMap({
          type: typeField,
          prefix: (m) => (prefix = decodeString(ctx, m.value, "prefix")),
          signedPrefix: (m) => (signedPrefix = decodeString(ctx, m.value, "signedPrefix")),
        }),
        ["type", "prefix", "signedPrefix"],
      );
      if (!prefix || !signedPrefix || prefix.bad || signedPrefix.bad) return undefined;
      for (const [key, f] of [
        ["prefix", prefix],
        ["signedPrefix", signedPrefix],
      ] as const) {
        if (!validateRemapPrefix(f.value)) {
          const valueNode = obj.members.find((m) => m.key === key)!.value;
          ctx.report(
            POLICY_CODES.invalidRemapPrefix,
            ctx.nodeSpan(valueNode),
            `${key} ${goQuote(f.value)} is not a valid remapIdentity prefix: it must be a host[:port] or a repository namespace starting with one (no tag, digest or trailing "/")`,
            `prefix ${goQuote(f.value)} is not valid`,
          );
        }
      }
      if (ctx.diagnostics.length !== before) return undefined;
      return { type: "remapIdentity", prefix: prefix.value, signedPrefix: signedPrefix.value, origin };
    }
  }
  return undefined;
}
