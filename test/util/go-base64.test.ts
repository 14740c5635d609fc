/**
 * The project's one base64 decoder (src/util/go-base64.ts) as its four former copies used it: the boolean and
 * bytes forms agree with the full decoder on Go's documented cases, and the encoder is StdEncoding's. The
 * differential test against Go itself is test/load/policy-base64.test.ts.
 */
import { describe, expect, it } from "vitest";
import { decodeGoBase64, encodeBase64, goBase64Decode, isGoStdBase64 } from "../../src/util/go-base64.js";

describe("go-base64", () => {
  // encoding/base64 StdEncoding: padding required, \r and \n skipped anywhere, trailing bits not checked.
  const accepted: [string, number[]][] = [
    ["", []],
    ["YQ==", [0x61]],
    ["YWI=", [0x61, 0x62]],
    ["YWJj", [0x61, 0x62, 0x63]],
    ["YW\r\nJj", [0x61, 0x62, 0x63]],
    ["YQ=\n=", [0x61]],
    ["YQ==\r\n", [0x61]],
    ["YR==", [0x61]],
    ["+/+/", [0xfb, 0xff, 0xbf]],
  ];
  const rejected = ["Y", "YQ", "YQ=", "YQ===", "Y===", "YW-j", "YW_j", "YWJj\t", "=YQ=", "YQ==YQ==", " YQ==", "é"];

  it.each(accepted)("accepts %j", (s, bytes) => {
    expect(isGoStdBase64(s)).toBe(true);
    expect([...decodeGoBase64(s)!]).toEqual(bytes);
    expect(goBase64Decode(s).ok).toBe(true);
  });

  it.each(rejected)("rejects %j", (s) => {
    expect(isGoStdBase64(s)).toBe(false);
    expect(decodeGoBase64(s)).toBeUndefined();
  });

  it("encodes as StdEncoding (Buffer's base64) for every length", () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 89 + n * 7) & 0xff);
      const text = encodeBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString("base64"));
      expect([...decodeGoBase64(text)!]).toEqual([...bytes]);
    }
  });
});
