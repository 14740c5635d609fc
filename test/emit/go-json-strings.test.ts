import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonString } from "../../src/emit/json-writer.js";
import { buildGoProgram, runGoTests } from "./go-build.js";

describe.runIf(runGoTests)("string escaping agrees with Go's encoding/json", () => {
  it("Go decodes every emitted string to the same UTF-8 bytes", () => {
    const samples = fc.sample(fc.string({ unit: "binary", maxLength: 24 }), { numRuns: 2000, seed: 42 });
    const fixed = ["", '"', "\\", "\u0000\u0001\u001f\u007f", "\b\f\n\r\t", "\u2028\u2029", "é☃😀", "\u0085\u00a0\ufeff", "</script>&<>", "\udbff\udfff"];
    const everyLowChar = Array.from({ length: 0xa1 }, (_, i) => `a${String.fromCharCode(i)}b`);
    const all = [...fixed, ...everyLowChar, ...samples];
    const doc = "[" + all.map(jsonString).join(",") + "]";
    const bin = buildGoProgram("decode-strings");
    const out = JSON.parse(execFileSync(bin, { input: doc }).toString()) as string[];
    expect(out.length).toBe(all.length);
    all.forEach((s, i) => expect(out[i], JSON.stringify(s)).toBe(Buffer.from(s, "utf8").toString("hex")));
  });
});
