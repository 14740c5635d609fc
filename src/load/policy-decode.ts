/**
 * The strict ("paranoid") reading layer of the policy.json loader: the loader context that collects every
 * diagnostic, the strict object reader (signature/internal/json.go `ParanoidUnmarshalJSONObject` and
 * `ParanoidUnmarshalJSONObjectExactFields`), and Go encoding/json's typed decoding of leaf fields
 * (`string`, `[]string`, `[]byte`, `[][]byte`) with Go's exact `json: cannot unmarshal …` texts.
 *
 * Upstream stops at its first error; we report every problem, and the first one reported (in upstream's
 * order, which the readers follow step by step) carries `upstreamMessage`.
 */
import type { Diagnostic, RelatedLocation } from "../diagnostics/diagnostic.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import type { Span } from "../source/source-file.js";
import type { Feature, Version } from "../ir/versions.js";
import { FEATURES, formatVersion, hasFeature } from "../ir/versions.js";
import { goQuote } from "../util/go-quote.js";
import { formatTokenPercentS, formatTokenSharpV, goFloatOverflows } from "./json-go-format.js";
import type { JsonMember, JsonObject, JsonValue } from "./json-tree.js";
import { goKindName } from "./json-tree.js";
import { encodeBase64, goBase64Decode } from "../util/go-base64.js";
import { POLICY_CODES, type PolicyCode } from "./policy-codes.js";

/** State shared by the readers of one document. */
export class LoadContext {
  readonly diagnostics: Diagnostic[] = [];
  private upstreamGiven = false;
  /** Whether messages quote with Go `%q` (v5.31+) rather than `"%s"`. */
  readonly goQuoted: boolean;

  constructor(
    readonly file: string,
    readonly text: string,
    readonly target: Version | undefined,
  ) {
    this.goQuoted = hasFeature(target, "goQuotedErrors");
  }

  private readonly featureCache = new Map<Feature, boolean>();
  private readonly memos = new Map<string, Map<string, unknown>>();

  /**
   * `fn(arg)`, computed once per document for each distinct `arg` (policies repeat the same references and
   * prefixes many times; reference parsing is the costliest part of a load).
   */
  memo<T>(kind: string, arg: string, fn: (arg: string) => T): T {
    let m = this.memos.get(kind);
    if (m === undefined) {
      m = new Map();
      this.memos.set(kind, m);
    }
    if (m.has(arg)) return m.get(arg) as T;
    const v = fn(arg);
    m.set(arg, v);
    return v;
  }

  /** Whether the target has `feature` (undefined target = newest). */
  has(feature: Feature): boolean {
    let v = this.featureCache.get(feature);
    if (v === undefined) {
      v = hasFeature(this.target, feature);
      this.featureCache.set(feature, v);
    }
    return v;
  }

  /** True when the target version is older than `version` ("5.24"). */
  before(major: number, minor: number): boolean {
    const t = this.target;
    if (!t) return false;
    return t[0] < major || (t[0] === major && t[1] < minor);
  }

  /** `s` quoted as the target's containers/image quotes it in messages: `%q` or `"%s"`. */
  q(s: string): string {
    return this.goQuoted ? goQuote(s) : `"${s}"`;
  }

  /** The target as text, for messages. */
  targetText(): string {
    return this.target ? formatVersion(this.target) : "newest";
  }

  span(start: number, end: number): Span {
    return { file: this.file, start, end };
  }

  /** True once any error was reported. */
  get failed(): boolean {
    return this.diagnostics.length > 0;
  }

  /**
   * Records an error. `upstream` is what containers/image would say at this point; it is kept only on the
   * first error of the document (upstream stops there).
   */
  report(
    code: PolicyCode,
    span: Span,
    message: string,
    upstream: string,
    extra?: { hint?: string; related?: RelatedLocation[] },
  ): void {
    const d: Diagnostic = { code, severity: "error", message, span };
    if (extra?.hint) d.hint = extra.hint;
    if (extra?.related && extra.related.length > 0) d.related = extra.related;
    if (!this.upstreamGiven) {
      d.upstreamMessage = upstream;
      this.upstreamGiven = true;
    }
    this.diagnostics.push(d);
  }

  /** Span of a whole node. */
  nodeSpan(node: JsonValue): Span {
    return this.span(node.start, node.end);
  }

  /** Span of a member's key. */
  keySpan(m: JsonMember): Span {
    return this.span(m.keyStart, m.keyEnd);
  }

  /** Span of a whole member (key through value). */
  memberSpan(m: JsonMember): Span {
    return this.span(m.keyStart, m.value.end);
  }
}

/** "a number", "an object", … for messages. */
export function describeKind(node: JsonValue): string {
  switch (node.kind) {
    case "object":
      return "an object";
    case "array":
      return "an array";
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "null":
      return "null";
    default:
      return "a boolean";
  }
}

/**
 * Reports that `node` should have been a JSON object (`JSON object expected, got …`, or Go's float64 range
 * error when the first token is an out-of-range number). Follows ParanoidUnmarshalJSONObject's first Token().
 */
export function reportObjectExpected(ctx: LoadContext, node: JsonValue, what: string): void {
  if (node.kind === "number" && goFloatOverflows(node.raw)) {
    ctx.report(
      POLICY_CODES.numberOutOfRange,
      ctx.nodeSpan(node),
      `${what} must be a JSON object; ${node.raw} is not even a representable number`,
      `json: cannot unmarshal number ${node.raw} into Go value of type float64`,
    );
    return;
  }
  const token = ctx.goQuoted ? formatTokenSharpV(node) : formatTokenPercentS(node);
  ctx.report(
    POLICY_CODES.objectExpected,
    ctx.nodeSpan(node),
    `${what} must be a JSON object, not ${describeKind(node)}`,
    `JSON object expected, got ${token}`,
  );
}

/**
 * How one allowed key of a strict object is read: `read` gets the loader context, the member and the
 * caller's state object (tables are static, so nothing is allocated per object but the state).
 */
export interface FieldSpec<S> {
  /** Reads the member's value (called in document order, at the moment upstream decodes it). */
  read: (ctx: LoadContext, m: JsonMember, state: S) => void;
  /** The feature that introduced this key; on older targets the key is unknown. */
  since?: Feature;
}

/** The allowed keys of a strict object: a static table or, like Go's fieldResolver, a function. */
export type FieldTable<S> = ReadonlyMap<string, FieldSpec<S>> | ((key: string) => FieldSpec<S> | undefined);

/** Builds a static FieldTable (declaration order is the order suggestions are listed in). */
export function fieldTable<S>(spec: Record<string, FieldSpec<S> | FieldSpec<S>["read"]>): ReadonlyMap<string, FieldSpec<S>> {
  const m = new Map<string, FieldSpec<S>>();
  for (const [k, v] of Object.entries(spec)) m.set(k, typeof v === "function" ? { read: v } : v);
  return m;
}

/** Where keys that are unknown in one object do belong, for a better message than an edit-distance guess. */
const KEY_HOMES: Readonly<Record<string, string>> = {
  keyType: "signedBy requirements",
  keyDatas: "sigstoreSigned requirements",
  fulcio: "sigstoreSigned requirements",
  pki: "sigstoreSigned requirements",
  rekorPublicKeyPath: "sigstoreSigned requirements",
  rekorPublicKeyPaths: "sigstoreSigned requirements",
  rekorPublicKeyData: "sigstoreSigned requirements",
  rekorPublicKeyDatas: "sigstoreSigned requirements",
  baseLayerIdentity: "signedBaseLayer requirements",
  signedIdentity: "signedBy and sigstoreSigned requirements",
  dockerReference: "exactReference identities",
  dockerRepository: "exactRepository identities",
  prefix: "remapIdentity identities",
  signedPrefix: "remapIdentity identities",
  caPath: "fulcio",
  caData: "fulcio",
  oidcIssuer: "fulcio",
  caRootsPath: "pki",
  caRootsData: "pki",
  caIntermediatesPath: "pki",
  caIntermediatesData: "pki",
  subjectHostname: "pki",
};

/** A description of the object for messages; a function so that it is only built when needed. */
export type What = string | (() => string);

/** The text of a What. */
export function whatText(what: What): string {
  return typeof what === "string" ? what : what();
}

/**
 * Reads `node` as a strict object: keys in document order, a duplicate (after unescaping) or a key
 * without a FieldSpec is an error; each allowed value is read as soon as it is reached. With `exact`, every
 * listed key must be present (checked after the object, as ExactFields does; several missing keys are all
 * reported, upstream names one of them at random). Returns false when `node` is not an object.
 */
export function readStrictObject<S>(
  ctx: LoadContext,
  node: JsonValue,
  what: What,
  fields: FieldTable<S>,
  state: S,
  exact?: readonly string[],
): node is JsonObject {
  if (node.kind !== "object") {
    reportObjectExpected(ctx, node, whatText(what));
    return false;
  }
  const members = node.members;
  // Duplicate detection: a linear scan for the small objects of the schema, a Set for scope maps.
  const keySet = members.length > 8 ? new Set<string>() : undefined;
  for (let i = 0; i < members.length; i++) {
    const m = members[i];
    let isDuplicate = false;
    if (keySet) {
      if (keySet.has(m.key)) isDuplicate = true;
      else keySet.add(m.key);
    } else {
      for (let j = 0; j < i; j++) {
        if (members[j].key === m.key) {
          isDuplicate = true;
          break;
        }
      }
    }
    if (isDuplicate) {
      const first = members.find((x) => x.key === m.key)!;
      ctx.report(
        POLICY_CODES.duplicateKey,
        ctx.keySpan(m),
        `Duplicate key ${goQuote(m.key)} in ${whatText(what)}`,
        `Duplicate key ${ctx.q(m.key)}`,
        { related: [{ message: "first defined here", span: ctx.keySpan(first) }] },
      );
      continue;
    }
    const spec = typeof fields === "function" ? fields(m.key) : fields.get(m.key);
    if (spec === undefined) {
      const available =
        typeof fields === "function" ? [] : [...fields].filter(([, f]) => !f.since || ctx.has(f.since)).map(([k]) => k);
      const home = Object.prototype.hasOwnProperty.call(KEY_HOMES, m.key) ? KEY_HOMES[m.key] : undefined;
      ctx.report(
        POLICY_CODES.unknownKey,
        ctx.keySpan(m),
        `Unknown key ${goQuote(m.key)} in ${whatText(what)}.` +
          (home ? ` (${goQuote(m.key)} belongs in ${home}.)` : didYouMean(m.key, available)),
        `Unknown key ${ctx.q(m.key)}`,
        { hint: available.length > 0 ? `allowed keys: ${available.join(", ")}` : undefined },
      );
      continue;
    }
    if (spec.since && !ctx.has(spec.since)) {
      const f = FEATURES[spec.since];
      ctx.report(
        POLICY_CODES.keyNewerThanTarget,
        ctx.keySpan(m),
        `${m.key} needs containers/image ${f.since} or newer (target ${ctx.targetText()})`,
        `Unknown key ${ctx.q(m.key)}`,
        { hint: `${f.what} was introduced in containers/image ${f.since}` },
      );
      continue;
    }
    spec.read(ctx, m, state);
  }
  if (exact) {
    for (const k of exact) {
      let present = false;
      for (let i = 0; i < members.length && !present; i++) present = members[i].key === k;
      if (present) continue;
      // A case variant ("Type") was already reported as an unknown key with a suggestion.
      if (members.some((m) => m.key.toLowerCase() === k.toLowerCase())) continue;
      ctx.report(
        POLICY_CODES.missingKey,
        ctx.span(node.start, node.end),
        `${whatText(what)} is missing the required key ${goQuote(k)}`,
        `Key ${ctx.q(k)} missing in a JSON object`,
      );
    }
  }
  return true;
}

function reportWrongType(ctx: LoadContext, node: JsonValue, field: string, expected: string, goType: string, goValue?: string): void {
  ctx.report(
    POLICY_CODES.wrongType,
    ctx.nodeSpan(node),
    `${field} must be ${expected}, not ${describeKind(node)}`,
    `json: cannot unmarshal ${goValue ?? goKindName(node)} into Go value of type ${goType}`,
  );
}

/** A decoded string field: `value` ("" for null), or `bad` when the JSON type was wrong (already reported). */
export interface StringField {
  value: string;
  isNull: boolean;
  bad: boolean;
}

/** Decodes a Go `string` field: strings as is, `null` leaves "" (Go leaves the zero value), others are errors. */
export function decodeString(ctx: LoadContext, node: JsonValue, field: string, goType = "string"): StringField {
  if (node.kind === "string") return { value: node.value, isNull: false, bad: false };
  if (node.kind === "null") return { value: "", isNull: true, bad: false };
  reportWrongType(ctx, node, field, "a string", goType);
  return { value: "", isNull: false, bad: true };
}

/** A decoded `[]string` field: `values` undefined for null (Go nil). */
export interface StringListField {
  values?: string[];
  bad: boolean;
}

/** Decodes a Go `[]string` field (a `null` element becomes ""). */
export function decodeStringList(ctx: LoadContext, node: JsonValue, field: string): StringListField {
  if (node.kind === "null") return { bad: false };
  if (node.kind !== "array") {
    reportWrongType(ctx, node, field, "an array of strings", "[]string");
    return { bad: true };
  }
  const values: string[] = [];
  let bad = false;
  for (let i = 0; i < node.elements.length; i++) {
    const el = node.elements[i];
    if (el.kind === "string") values.push(el.value);
    else if (el.kind === "null") values.push("");
    else {
      reportWrongType(ctx, el, `each entry of ${field}`, "a string", "string");
      bad = true;
    }
  }
  return { values, bad };
}

/** A decoded `[]byte` field: canonical base64 in `base64`, undefined for null (Go nil). */
export interface BytesField {
  base64?: string;
  bad: boolean;
}

/**
 * Decodes a Go `[]byte` field: a JSON string is standard base64; a JSON array is decoded element by element
 * as uint8 numbers (Go accepts `[1,2,3]` for a []byte); `null` is nil.
 */
export function decodeBytes(ctx: LoadContext, node: JsonValue, field: string, goType = "[]uint8"): BytesField {
  if (node.kind === "null") return { bad: false };
  if (node.kind === "string") {
    const r = goBase64Decode(node.value);
    if (r.ok) return { base64: encodeBase64(r.bytes), bad: false };
    // Point at the offending character when the string has no escapes (raw text == value).
    const raw = ctx.text.slice(node.start + 1, node.end - 1);
    const span =
      raw === node.value
        ? ctx.span(node.start + 1 + r.offset, Math.min(node.start + 2 + r.offset, node.end - 1))
        : ctx.nodeSpan(node);
    ctx.report(
      POLICY_CODES.invalidBase64,
      span,
      `${field} is not valid standard base64 (with = padding): bad data at byte ${r.offset}`,
      r.message,
    );
    return { bad: true };
  }
  if (node.kind === "array") {
    const bytes: number[] = [];
    let bad = false;
    for (let i = 0; i < node.elements.length; i++) {
    const el = node.elements[i];
      if (el.kind === "null") bytes.push(0);
      else if (el.kind === "number" && /^[0-9]+$/.test(el.raw) && Number(el.raw) <= 255) bytes.push(Number(el.raw));
      else {
        reportWrongType(
          ctx,
          el,
          `each entry of ${field} (as a byte array)`,
          "a number from 0 to 255",
          "uint8",
          el.kind === "number" ? `number ${el.raw}` : undefined,
        );
        bad = true;
      }
    }
    return bad ? { bad } : { base64: encodeBase64(Uint8Array.from(bytes)), bad };
  }
  reportWrongType(ctx, node, field, "a base64 string", goType);
  return { bad: true };
}

/** A decoded `[][]byte` field: undefined for null (Go nil); a null entry becomes "". */
export interface BytesListField {
  values?: string[];
  bad: boolean;
}

/** Decodes a Go `[][]byte` field. */
export function decodeBytesList(ctx: LoadContext, node: JsonValue, field: string): BytesListField {
  if (node.kind === "null") return { bad: false };
  if (node.kind !== "array") {
    reportWrongType(ctx, node, field, "an array of base64 strings", "[][]uint8");
    return { bad: true };
  }
  const values: string[] = [];
  let bad = false;
  for (let i = 0; i < node.elements.length; i++) {
    const el = node.elements[i];
    const r = decodeBytes(ctx, el, `each entry of ${field}`);
    if (r.bad) bad = true;
    else values.push(r.base64 ?? "");
  }
  return { values, bad };
}


