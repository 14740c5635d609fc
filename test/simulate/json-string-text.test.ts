/**
 * src/simulate/record-template.ts `jsonStringText`: a scope's text as JSON spells it between its quotes, the same as
 * `JSON.stringify(s).slice(1, -1)` for every string (the fast answer, `s` itself, only where nothing is escaped).
 */
import { describe, expect, it } from "vitest";
import { jsonStringText } from "../../src/simulate/record-template.js";

describe("jsonStringText", () => {
  it("is JSON.stringify's text for strings that need escaping and for those that do not", () => {
    const samples = [
      "",
      "quay.io/acme/app",
      "*.example.com",
      'a"b',
      "a\\b",
      "tab\there",
      "nl\n",
      "\u0000\u001f",
      "\u007f del is not escaped",
      "\u2028\u2029 line separators are not escaped",
      "é ü 日本",
      "pair \ud83d\ude00",
      "lone \ud800 high",
      "lone \udc00 low",
      "\udc00\ud800 reversed",
    ];
    for (const s of samples) expect({ s, text: jsonStringText(s) }).toEqual({ s, text: JSON.stringify(s).slice(1, -1) });
  });

  it("agrees with JSON.stringify on every single code unit", () => {
    for (let c = 0; c < 0x10000; c++) {
      const s = "x" + String.fromCharCode(c) + "y";
      if (jsonStringText(s) !== JSON.stringify(s).slice(1, -1)) expect.fail(`code unit ${c.toString(16)}`);
    }
  });
});
