/** Differential test of the net/url port: generated URL strings through Go 1.19's url.Parse and String. */
import { describe, expect, it } from "vitest";
import { fromBytes, goParseURL, goURLString } from "../../src/registries/go-url.js";
import { runUpstream, shouldSkipUpstream } from "./upstream.js";
import { prng } from "../support/prng.js";


const PARTS = {
  scheme: ["", "https:", "HTTP:", "file:", "s3:", "1x:", ":", "a+b-c.d:"],
  slashes: ["", "/", "//", "///"],
  user: ["", "u@", "u:p@", "u%20x:p@", "a b@", "u:p:q@"],
  host: ["", "h.example", "H.Example:8080", "[::1]", "[::1]:80", "h:port", "bad host", "h%41", "[fe80::1%25en0]", "ü.example"],
  path: ["", "/", "/a/b", "/a/../b/./c", "/a b", "/%41%2F", "/ü", "/p%zz", "rel/x", "a:b", "/x/", "/*"],
  query: ["", "?", "?q=1", "?a=b&c=d e", "??"],
  frag: ["", "#", "#f", "#a b", "#%zz", "#ü"],
};

describe.skipIf(shouldSkipUpstream())("net/url port agrees with Go 1.19", () => {
  it("600 generated URLs: parse errors, String(), Path and Opaque", () => {
    const rnd = prng(42);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
    const inputs = new Set<string>();
    while (inputs.size < 600) {
      inputs.add(pick(PARTS.scheme) + pick(PARTS.slashes) + pick(PARTS.user) + pick(PARTS.host) + pick(PARTS.path) + pick(PARTS.query) + pick(PARTS.frag));
    }
    const list = [...inputs];
    const [go] = runUpstream<Array<{ in: string; out?: string; error?: string; path: string; opaque: string }>>([{ op: "url", urls: list }]);
    const mismatches: string[] = [];
    for (const g of go) {
      const r = goParseURL(g.in);
      const ours = r.ok ? { out: goURLString(r.url), path: fromBytes(r.url.path), opaque: fromBytes(r.url.opaque) } : { error: r.error };
      const want = g.error !== undefined ? { error: g.error } : { out: g.out, path: g.path, opaque: g.opaque };
      if (JSON.stringify(ours) !== JSON.stringify(want)) mismatches.push(`${JSON.stringify(g.in)}\n  go:  ${JSON.stringify(want)}\n  our: ${JSON.stringify(ours)}`);
    }
    expect(mismatches).toEqual([]);
    expect(go.filter((g) => g.error !== undefined).length).toBeGreaterThan(50);
  });
});
