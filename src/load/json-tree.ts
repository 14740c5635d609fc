/**
 * The position-keeping JSON tree the policy.json loader reads.
 *
 * Unlike `JSON.parse`, it keeps every object member in document order (duplicates included, as Go's
 * streaming `json.Decoder.Token` sees them), the UTF-16 offsets of every value and key, and numbers as their
 * raw text (Go formats them itself, see json-go-format.ts). Offsets index the SourceFile text.
 */

/** Fields every node has: the half-open range [start, end) of its text. */
export interface JsonNodeBase {
  start: number;
  end: number;
}

/** `{…}`: members in document order; duplicate keys are kept. */
export interface JsonObject extends JsonNodeBase {
  kind: "object";
  members: JsonMember[];
}

/** One `"key": value` pair of an object. `key` is unescaped; keyStart/keyEnd cover the quoted key. */
export interface JsonMember {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: JsonValue;
}

/** `[…]`. */
export interface JsonArray extends JsonNodeBase {
  kind: "array";
  elements: JsonValue[];
}

/** A string; `value` is unescaped the way Go's decoder does (bad surrogates become U+FFFD). */
export interface JsonString extends JsonNodeBase {
  kind: "string";
  value: string;
}

/** A number, kept as its raw text (always valid JSON number syntax). */
export interface JsonNumber extends JsonNodeBase {
  kind: "number";
  raw: string;
}

/** `true`, `false` or `null`. */
export interface JsonLiteral extends JsonNodeBase {
  kind: "true" | "false" | "null";
}

/** Any JSON value. */
export type JsonValue = JsonObject | JsonArray | JsonString | JsonNumber | JsonLiteral;

/** The kind names Go's `UnmarshalTypeError` uses for a value ("object", "array", "string", "number", "bool"). */
export function goKindName(node: JsonValue): string {
  switch (node.kind) {
    case "true":
    case "false":
      return "bool";
    case "null":
      return "null";
    default:
      return node.kind;
  }
}
