import { describe, expect, it } from "vitest";
import { goQuote } from "../../src/util/go-quote.js";
import { goUnquote, parseLogrusLine } from "./go-unquote.js";

describe("goUnquote", () => {
  it("undoes Go escapes", () => {
    expect(goUnquote('"a\\"b\\\\c\\n\\t"')).toBe('a"b\\c\n\t');
    expect(goUnquote('"\\x41\\u00e9\\U0001F600\\101"')).toBe("Aé😀A");
    expect(goUnquote('"\\xc3\\xa9"')).toBe("é");
    expect(goUnquote('"héllo"')).toBe("héllo");
  });

  it("rejects malformed literals", () => {
    expect(() => goUnquote("abc")).toThrow();
    expect(() => goUnquote('"a"b"')).toThrow();
    expect(() => goUnquote('"\\q"')).toThrow();
    expect(() => goUnquote('"\\x4"')).toThrow();
  });

  it("round-trips the project's goQuote", () => {
    for (const s of ["", "plain", 'q"uo\\te', "tab\tnl\n", "\u0000\u007f", "é😀", "\u2028"]) {
      expect(goUnquote(goQuote(s))).toBe(s);
    }
  });
});

describe("parseLogrusLine", () => {
  it("reads bare and quoted fields", () => {
    const line =
      'time="2026-01-01T00:00:00Z" level=fatal msg="Error loading trust policy: invalid policy in \\"/p\\": Unknown key \\"x\\""';
    expect(parseLogrusLine(line)).toEqual({
      time: "2026-01-01T00:00:00Z",
      level: "fatal",
      msg: 'Error loading trust policy: invalid policy in "/p": Unknown key "x"',
    });
    expect(parseLogrusLine("level=info msg=done")).toEqual({ level: "info", msg: "done" });
    expect(parseLogrusLine("not a log line")).toBeUndefined();
  });
});
