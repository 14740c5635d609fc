/**
 * Every document of test/fixtures/spec-vectors/policy-parse.jsonl (run through the newest upstream parser):
 * accept/reject must agree, upstreamMessage must equal upstream's error, and accepted documents must
 * re-serialise (Go-style) to upstream's `normalized`.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadPolicyJson } from "../../src/load/policy-json.js";
import { SourceFile } from "../../src/source/source-file.js";
import { goNormalizePolicy } from "./policy-normalize.js";
import { POLICY_PARSE_VECTORS } from "../support/shared.js";

interface Vector {
  name: string;
  input: string;
  ok: boolean;
  error?: string;
  normalized?: unknown;
}

const VECTORS_PATH = POLICY_PARSE_VECTORS;
const vectors: Vector[] = readFileSync(VECTORS_PATH, "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as Vector);

/** Go marshals a nil []byte inside [][]byte as null; the IR keeps "" for it (both are "no key"). */
function nullEntriesToEmpty(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (x === null ? "" : nullEntriesToEmpty(x)));
  if (v && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, nullEntriesToEmpty(x)]));
  }
  return v;
}

describe("policy-parse.jsonl vectors (newest upstream)", () => {
  it("has the expected number of vectors", () => {
    expect(vectors.length).toBe(179);
  });

  for (const v of vectors) {
    it(v.name, () => {
      const r = loadPolicyJson(new SourceFile("policy.json", v.input));
      if (v.ok) {
        expect(r.diagnostics).toEqual([]);
        expect(r.value).toBeDefined();
        expect(goNormalizePolicy(r.value!)).toEqual(nullEntriesToEmpty(v.normalized));
      } else {
        expect(r.value).toBeUndefined();
        expect(r.diagnostics.length).toBeGreaterThan(0);
        for (const d of r.diagnostics) {
          expect(d.code).toMatch(/^IT1[012]\d\d$/);
          expect(d.severity).toBe("error");
          expect(d.span).toBeDefined();
        }
        const withUpstream = r.diagnostics.filter((d) => d.upstreamMessage !== undefined);
        expect(withUpstream).toHaveLength(1);
        expect(r.diagnostics[0].upstreamMessage).toBe(v.error);
      }
    });
  }
});
