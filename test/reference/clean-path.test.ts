/**
 * cleanPath (Go's `filepath.Clean`) returns an already clean path as it is and cleans every other one: over random
 * paths of names, `.`, `..`, `...` and slashes, it equals Node's `path.posix.normalize` without a trailing slash (the
 * two differ only there).
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cleanPath } from "../../src/reference/clean-path.js";
import { prng } from "../support/prng.js";

describe("cleanPath", () => {
  it("equals normalize without a trailing slash", () => {
    const atoms = ["a", "bc", ".", "..", "/", "/", "...", ".a", "a.", "..b"];
    const r = prng(15);
    const bad: string[] = [];
    for (let k = 0; k < 50_000; k++) {
      let p = "";
      const n = Math.floor(r() * 9);
      for (let i = 0; i < n; i++) p += atoms[Math.floor(r() * atoms.length)];
      let want = path.posix.normalize(p);
      if (want.length > 1 && want.endsWith("/")) want = want.slice(0, -1);
      if (cleanPath(p) !== want && bad.length < 10) bad.push(`${JSON.stringify(p)}: ${cleanPath(p)} (want ${want})`);
    }
    expect(bad).toEqual([]);
  });

  it("keeps clean paths as they are and cleans the others", () => {
    for (const p of ["/", ".", "a", "/a/b", "a/b", "../a", "../../a", "/a...", "/.a/b."]) expect(cleanPath(p), p).toBe(p);
    const cases: [string, string][] = [["", "."], ["/a/", "/a"], ["//a", "/a"], ["/a/./b", "/a/b"], ["/a/../b", "/b"], ["a/..", "."], ["/..", "/"], ["./a", "a"], ["a//b/", "a/b"]];
    for (const [p, want] of cases) expect(cleanPath(p), p).toBe(want);
  });
});
