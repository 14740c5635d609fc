/**
 * The ignore-glob matcher (src/lint/glob.ts): the same answers as the regular expression it replaced, on generated
 * globs and paths, and linear work on the pattern that made the expression backtrack for minutes (issue 17).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileGlob } from "../../src/lint/glob.js";

/** The former implementation (a backtracking RegExp), kept here as the reference for small inputs. */
function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*") {
      re += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re.replace(/\/$/, "")}(?:/.*)?$`);
}

describe("ignore globs", () => {
  it("agree with the regular expression they replace", () => {
    const glob = fc.array(fc.constantFrom("a", "b", "/", "*", "**", "?", ".", "**/"), { maxLength: 8 }).map((a) => a.join(""));
    const path = fc.array(fc.constantFrom("a", "b", "/", "."), { maxLength: 10 }).map((a) => a.join(""));
    fc.assert(
      fc.property(glob, path, (g, p) => {
        expect(compileGlob(g).test(p), `${g} on ${p}`).toBe(globToRegExp(g).test(p));
      }),
      { numRuns: 5000, seed: 17 },
    );
  });

  it.each([
    ["vendor/**", "vendor/a/policy.json", true],
    ["vendor/", "vendor/a/policy.json", true],
    ["**/test/*.json", "a/b/test/p.json", true],
    ["**/test/*.json", "test/p.json", true],
    ["*.json", "a/p.json", false],
    ["a?c", "abc", true],
    ["a?c", "a/c", false],
  ])("%s on %s: %s", (g, p, want) => {
    expect(compileGlob(g).test(p)).toBe(want);
  });

  it("does linear work on a pathological pattern (40 × 'a*' then 'b' against 10,000 'a's)", () => {
    const glob = "a*".repeat(40) + "b";
    const path = "a".repeat(10_000);
    const stats = { steps: 0 };
    expect(compileGlob(glob).test(path, stats)).toBe(false);
    // At most one step per (path character, pattern position): the bound that makes it linear in the path.
    expect(stats.steps).toBeLessThanOrEqual((path.length + 1) * (glob.length + 1));
    expect(compileGlob("**/" + "a*".repeat(40) + "**b").test(path + "/x", stats)).toBe(false);
  });
});
