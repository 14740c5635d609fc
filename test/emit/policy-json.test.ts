import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { emitPolicyJson, policyJsonValue } from "../../src/emit/policy-json.js";
import { writeJson } from "../../src/emit/json-writer.js";
import { checkPolicyJsonSchema } from "./schema-check.js";
import type { Policy } from "../../src/ir/types.js";
import { parseVersion, type Version } from "../../src/ir/versions.js";
import { expectGolden } from "./golden.js";
import { debianPolicy, minimalPolicy, newestPolicy, shippedDefaultPolicy } from "./ir-fixtures.js";

const v = (s: string): Version => parseVersion(s)!;

function emitOk(p: Policy, target?: Version): string {
  const r = emitPolicyJson(p, { target });
  expect(r.diagnostics).toEqual([]);
  expect(r.text).toBeDefined();
  return r.text!;
}

describe("emitPolicyJson golden files", () => {
  it.each([
    ["debian-5.23.policy.json", debianPolicy, v("5.23")],
    ["newest.policy.json", newestPolicy, undefined],
    ["minimal.policy.json", minimalPolicy, v("5.9")],
    ["shipped-default.policy.json", shippedDefaultPolicy, v("5.9")],
  ] as const)("%s", (name, make, target) => {
    expectGolden(name, emitOk(make(), target));
  });

  it("writes upstream's member order, keeps keyPaths: [] and keyData: \"\", ends with one newline", () => {
    const text = emitOk(debianPolicy(), v("5.23"));
    expect(text.endsWith("}\n")).toBe(true);
    expect(text.endsWith("\n\n")).toBe(false);
    expect(text).toContain('"keyPaths": []');
    expect(text).toContain('"keyData": ""');
    const newest = emitOk(newestPolicy());
    const keys = [...newest.matchAll(/^\s+"(\w+)":/gm)].map((m) => m[1]);
    const order = ["type", "keyType", "keyPath", "keyPaths", "keyData", "keyDatas", "fulcio", "rekorPublicKeyPath", "rekorPublicKeyPaths", "rekorPublicKeyData", "rekorPublicKeyDatas", "pki", "signedIdentity"];
    // Within each requirement object the keys that appear follow `order`.
    const parsed = JSON.parse(newest);
    for (const list of Object.values(parsed.transports.docker) as Array<Array<Record<string, unknown>>>) {
      for (const req of list) {
        const ks = Object.keys(req).filter((k) => order.includes(k));
        expect(ks).toEqual([...ks].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
      }
    }
    expect(keys[0]).toBe("default");
  });

  it("keeps IR order of transports and scopes, including integer-like scope names", () => {
    const text = emitOk(debianPolicy(), v("5.23"));
    expect(text.indexOf('"zzz"')).toBeLessThan(text.indexOf('"123"'));
    expect(text.indexOf('"docker"')).toBeLessThan(text.indexOf('"dir"'));
  });

  it("writes an empty transports object only when the IR says the key was present", () => {
    expect(emitOk(minimalPolicy())).toBe('{\n  "default": [\n    {\n      "type": "insecureAcceptAnything"\n    }\n  ]\n}\n');
    expect(emitOk({ default: [{ type: "reject" }], transports: [] })).not.toContain("transports");
    expect(emitOk({ default: [{ type: "reject" }], transports: [], transportsPresent: true })).toContain('"transports": {}');
  });
});

describe("determinism", () => {
  it("emits the same bytes twice and for differently constructed but equal IRs", () => {
    const a = emitOk(newestPolicy());
    expect(emitOk(newestPolicy())).toBe(a);
    // Rebuild every object with its keys in reverse insertion order.
    const reverse = (x: unknown): unknown => {
      if (Array.isArray(x)) return x.map(reverse);
      if (x && typeof x === "object") return Object.fromEntries(Object.entries(x).reverse().map(([k, val]) => [k, reverse(val)]));
      return x;
    };
    expect(emitOk(reverse(newestPolicy()) as Policy)).toBe(a);
    expect(emitOk(reverse(debianPolicy()) as Policy, v("5.23"))).toBe(emitOk(debianPolicy(), v("5.23")));
  });

  it("round-trips arbitrary scope strings through JSON.parse (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ unit: "binary" }), fc.constantFrom("reject", "insecureAcceptAnything")), { maxLength: 6 }), (entries) => {
        const seen = new Set<string>();
        const scopes = entries.filter(([s]) => !seen.has(s) && seen.add(s)).map(([scope, type]) => ({ scope, requirements: [{ type } as const] }));
        const p: Policy = { default: [{ type: "reject" }], transports: [{ name: "unknown-transport", scopes }] };
        const r = emitPolicyJson(p);
        expect(r.diagnostics).toEqual([]);
        const parsed = JSON.parse(r.text!);
        expect(checkPolicyJsonSchema(parsed)).toEqual([]);
        expect(Object.keys(parsed.transports["unknown-transport"]).sort()).toEqual(scopes.map((s) => s.scope).sort());
        expect(r.text).toBe(emitPolicyJson(p).text);
      }),
      { numRuns: 300 },
    );
  });

  it("the value model and the text agree", () => {
    expect(JSON.parse(writeJson(policyJsonValue(newestPolicy())))).toEqual(JSON.parse(emitOk(newestPolicy())));
  });
});
