import { describe, expect, it } from "vitest";
import { loadPolicyJson } from "../../src/load/policy-json.js";
import { redundantRequirement } from "../../src/lint/rules/redundant-requirement.js";
import { runLint } from "../../src/lint/run.js";
import { SourceFile } from "../../src/source/source-file.js";
import { goEvaluate, goHarnessAvailable } from "../harness/go-harness.js";

const A = { type: "insecureAcceptAnything" };
const R = { type: "reject" };
const S = { type: "signedBy", keyType: "GPGKeys", keyPath: "/nonexistent.gpg" };

/** list, expected messageIds (in order). */
const TABLE: Array<[string, unknown[], string[]]> = [
  ["accept alone", [A], []],
  ["reject alone", [R], []],
  ["signed alone", [S], []],
  ["accept + signed", [A, S], ["accept"]],
  ["signed + accept + accept", [S, A, A], ["accept", "accept"]],
  ["reject + accept", [R, A], ["reject"]],
  ["signed + reject", [S, R], ["reject"]],
  ["accept + accept", [A, A], ["accept", "accept"]],
];

const policyText = (list: unknown[]) => JSON.stringify({ default: [R], transports: { docker: { "quay.io/acme": list } } });

describe("redundant-requirement", () => {
  for (const [name, list, expected] of TABLE) {
    it(`${name} → ${expected.join(", ") || "clean"}`, () => {
      const text = policyText(list);
      const loaded = loadPolicyJson(new SourceFile("p.json", text));
      const ds = runLint({ file: "p.json", policy: loaded.value }, { rules: [redundantRequirement] });
      expect(ds.map((d) => d.code)).toEqual(expected.map(() => "IT4005"));
      expected.forEach((id, i) => {
        expect(ds[i].message).toMatch(id === "reject" ? /^Scope 'quay.io\/acme' of transport 'docker' contains reject and \d other/ : /^insecureAcceptAnything in scope 'quay.io\/acme' of transport 'docker' adds nothing/);
        expect(text.slice(ds[i].span!.start, ds[i].span!.end)).toBe(JSON.stringify(id === "reject" ? R : A));
      });
      if (expected[0] === "reject") expect(ds[0].related).toHaveLength(list.length - 1);
    });
  }
  it("checks the global default too", () => {
    const loaded = loadPolicyJson(new SourceFile("p.json", JSON.stringify({ default: [A, S] })));
    expect(runLint({ file: "p.json", policy: loaded.value }, { rules: [redundantRequirement] })[0].message).toMatch(/^insecureAcceptAnything in the global default adds nothing/);
  });
});

// The claims, against containers/image: a list with reject denies everything; accept next to others changes nothing.
const skip = !goHarnessAvailable() && process.env.CI !== "true";
describe.skipIf(skip)("redundant-requirement agrees with containers/image 5.23.1", () => {
  it("reject in a list denies; removing insecureAcceptAnything from a list never changes the verdict or message", async () => {
    const ref = [{ reference: "docker://quay.io/acme/app:1" }];
    for (const [name, list, expected] of TABLE) {
      const r = await goEvaluate(policyText(list), ref);
      if (expected.includes("reject")) expect(r.cases[0].allowed, name).toBe(false);
      if (expected.includes("accept")) {
        const without = list.filter((x) => x !== A);
        const w = await goEvaluate(policyText(without.length ? without : [A]), ref);
        expect([r.cases[0].allowed, r.cases[0].error], name).toEqual([w.cases[0].allowed, w.cases[0].error]);
      }
    }
  });
});
