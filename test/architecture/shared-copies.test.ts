/**
 * The repository carries copies of the team's spec vectors and CRDs (test/fixtures/spec-vectors/, test/fixtures/crds/)
 * so that a clone alone passes `npm test`. Where ../shared is beside the clone (always in CI), the copies must equal
 * their masters, so that neither drifts unnoticed.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { CRD_FIXTURES, POLICY_PARSE_VECTORS, SHARED, skipWithoutShared } from "../support/shared.js";

const SKIP = skipWithoutShared("the comparison of test/fixtures/{spec-vectors,crds} with their masters");

describe.skipIf(SKIP)("in-repository copies equal ../shared", () => {
  it("test/fixtures/spec-vectors/policy-parse.jsonl = ../shared/spec/vectors/policy-parse.jsonl", () => {
    expect(readFileSync(POLICY_PARSE_VECTORS, "utf8")).toBe(readFileSync(path.join(SHARED, "spec/vectors/policy-parse.jsonl"), "utf8"));
  });

  it("test/fixtures/crds/*.yaml = ../shared/crds/*.yaml", () => {
    const masters = readdirSync(path.join(SHARED, "crds")).filter((f) => f.endsWith(".yaml")).sort();
    expect(readdirSync(CRD_FIXTURES).filter((f) => f.endsWith(".yaml")).sort()).toEqual(masters);
    for (const f of masters) expect(readFileSync(CRD_FIXTURES + f, "utf8"), f).toBe(readFileSync(path.join(SHARED, "crds", f), "utf8"));
  });
});
