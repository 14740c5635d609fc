/** The Go net/url port (Go 1.19): Parse → String round trips and errors as Go prints them. */
import { describe, expect, it } from "vitest";
import { goNilResolveReference, goParseURL, goResolvePath, goURLString } from "../../src/registries/go-url.js";

describe("goParseURL + goURLString", () => {
  const roundTrip: Array<[string, string]> = [
    ["https://example.com/a/b", "https://example.com/a/b"],
    ["HTTPS://Example.com/A", "https://Example.com/A"],
    ["file:///var/lib/sigs", "file:///var/lib/sigs"],
    ["file:relative/path", "file:relative/path"],
    ["https://u:p@h.example:8443/p?q=1#frag", "https://u:p@h.example:8443/p?q=1#frag"],
    ["https://h.example/a b", "https://h.example/a%20b"],
    ["https://h.example/%41", "https://h.example/%41"],
    ["https://h.example/ü", "https://h.example/%C3%BC"],
    ["https://h.example/p?", "https://h.example/p?"],
    ["http://[::1]:80/p", "http://[::1]:80/p"],
    ["/just/a/path", "/just/a/path"],
    ["//host/path", "//host/path"],
  ];
  for (const [input, out] of roundTrip) {
    it(`${input} → ${out}`, () => {
      const r = goParseURL(input);
      expect(r.ok && goURLString(r.url)).toBe(out);
    });
  }
  const errors: Array<[string, string]> = [
    [":emptyscheme", 'parse ":emptyscheme": missing protocol scheme'],
    ["http://bad host/", 'parse "http://bad host/": invalid character " " in host name'],
    ["https://h:port/", 'parse "https://h:port/": invalid port ":port" after host'],
    ["http://h.example/p%zz", 'parse "http://h.example/p%zz": invalid URL escape "%zz"'],
    ["a:b/c:d", ""],
    ["x/y:z", ""],
    ["ab:c/d", ""],
    ["1a:b", 'parse "1a:b": first path segment in URL cannot contain colon'],
    ["http://h\n/", 'parse "http://h\\n/": net/url: invalid control character in URL'],
  ];
  for (const [input, error] of errors) {
    it(`${JSON.stringify(input)} → ${error || "parses"}`, () => {
      const r = goParseURL(input);
      if (error) expect(r).toEqual({ ok: false, error });
      else expect(r.ok).toBe(true);
    });
  }
});

describe("5.23.1's nil-receiver resolution", () => {
  it("resolves dot segments of absolute URLs", () => {
    const r = goParseURL("https://h/a/../b/./c/");
    const n = r.ok ? goNilResolveReference(r.url) : undefined;
    expect(n && !n.panics && goURLString(n.url)).toBe("https://h/b/c/");
  });
  it("panics without a scheme", () => {
    const r = goParseURL("/var/lib");
    expect(r.ok && goNilResolveReference(r.url)).toEqual({ panics: true });
  });
  it("resolvePath", () => {
    expect(goResolvePath("/a/b/..", "")).toBe("/a/");
    expect(goResolvePath("/a/./b", "")).toBe("/a/b");
    expect(goResolvePath("/..", "")).toBe("/");
    expect(goResolvePath("", "")).toBe("");
  });
});
