// writeJson takes V8's JSON.stringify when it writes the same text; these tests hold it to the hand-written
// writer (writeJsonByHand) byte for byte, over generated documents and the cases where the two would differ.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonObject, writeJson, writeJsonByHand, type JsonValue } from "../../src/emit/json-writer.js";
import { policyJsonValue } from "../../src/emit/policy-json.js";
import { generatePolicy } from "../../bench/gen-policy.mjs";
import { loadPolicyJson } from "../../src/load/policy-json.js";
import { SourceFile } from "../../src/source/source-file.js";

/** Plain generated JSON → JsonValue with the generated member order. */
function toValue(x: unknown): JsonValue {
  if (Array.isArray(x)) return x.map(toValue);
  if (x !== null && typeof x === "object") {
    const o = new JsonObject();
    for (const [k, v] of x as Array<[string, unknown]>) o.set(k, toValue(v));
    return o;
  }
  return x as JsonValue;
}

const key = fc.oneof(
  fc.string({ unit: "binary-ascii", maxLength: 8 }),
  fc.constantFrom("0", "1", "12", "01", "4294967295", "-1", "1.5", "__proto__", "constructor", "toString", "", "\u2028", "é"),
);
const str = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.constantFrom("\u2028", "a\u2029b", "\ud800", "x\udfff", "\\ud800", '"\\', "\u0000\u001f\u007f", "😀"),
);
const leaf = fc.oneof(str, fc.boolean(), fc.constant(null), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
const doc = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, leaf, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.array(fc.tuple(key, tie("value")), { maxLength: 4 }),
})).value;

describe("writeJson's JSON.stringify path", () => {
  it("writes exactly what the hand-written writer writes, on 3,000 generated documents", () => {
    for (const x of fc.sample(doc, { numRuns: 3000, seed: 15 })) {
      const v = toValue(x);
      expect(writeJson(v)).toBe(writeJsonByHand(v));
    }
  });

  it("falls back where JSON.stringify would differ: digit keys, repeated keys, U+2028, surrogates", () => {
    const cases: JsonValue[] = [
      new JsonObject().set("b", 1).set("1", 2),
      new JsonObject().set("a", 1).set("a", 2),
      new JsonObject().set("__proto__", "x").set("a", [new JsonObject()]),
      ["a\u2028b", "c\u2029"],
      new JsonObject().set("k\u2028", "v"),
      ["\ud800", "ok"],
      [[], new JsonObject(), [[]]],
    ];
    for (const v of cases) expect(writeJson(v)).toBe(writeJsonByHand(v));
    expect(writeJson(new JsonObject().set("b", 1).set("1", 2))).toBe('{\n  "b": 1,\n  "1": 2\n}');
    expect(writeJson(["a\u2028"])).toBe('[\n  "a\\u2028"\n]');
    expect(() => writeJson([Number.POSITIVE_INFINITY])).toThrow(/non-finite/);
  });

  it("writes a 2,000-scope policy as the hand-written writer does", () => {
    const text = JSON.stringify(generatePolicy(2000), null, 2);
    const r = loadPolicyJson(new SourceFile("policy.json", text));
    const v = policyJsonValue(r.value!);
    expect(writeJson(v)).toBe(writeJsonByHand(v));
    expect(writeJson(v)).toBe(text);
  });
});
