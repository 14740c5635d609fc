import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { emitPolicyJson } from "../../src/emit/policy-json.js";
import { checkPolicyJsonSchema, checkRegistriesDSchema } from "./schema-check.js";
import { parseVersion } from "../../src/ir/versions.js";
import { IDENTITY_MATCH_TYPES, REQUIREMENT_TYPES, SIGNED_BY_KEY_TYPES } from "../../src/ir/types.js";
import { KNOWN_TRANSPORTS } from "../../src/reference/scopes.js";
import { debianPolicy, minimalPolicy, newestPolicy, shippedDefaultPolicy } from "./ir-fixtures.js";
import { CORPUS, POLICY_PARSE_VECTORS, skipWithoutShared } from "../support/shared.js";

const VECTORS = POLICY_PARSE_VECTORS;
const NO_CORPUS = skipWithoutShared("the real-world corpus checks");

describe("policy.schema.json", () => {
  it("every emitted fixture conforms", () => {
    for (const [p, t] of [[debianPolicy(), "5.23"], [newestPolicy(), undefined], [minimalPolicy(), "5.9"], [shippedDefaultPolicy(), undefined]] as const) {
      const text = emitPolicyJson(p, { target: t ? parseVersion(t) : undefined }).text!;
      expect(checkPolicyJsonSchema(JSON.parse(text))).toEqual([]);
    }
  });

  const base = () => ({ default: [{ type: "reject" }], transports: { docker: { "quay.io/a": [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/k" }] } } }) as any;
  const broken: Array<[string, (d: any) => void]> = [
    ["no default", (d) => delete d.default],
    ["extra top-level key", (d) => (d.x = 1)],
    ["empty default", (d) => (d.default = [])],
    ["unknown requirement type", (d) => (d.default = [{ type: "signedby" }])],
    ["reject with extra key", (d) => (d.default = [{ type: "reject", x: 1 }])],
    ["signedBy two key sources", (d) => (d.transports.docker["quay.io/a"][0].keyData = "")],
    ["signedBy no keyType", (d) => delete d.transports.docker["quay.io/a"][0].keyType],
    ["signedBy empty keyPath", (d) => (d.transports.docker["quay.io/a"][0].keyPath = "")],
    ["bad base64", (d) => (d.default = [{ type: "signedBy", keyType: "GPGKeys", keyData: "abc" }])],
    ["sigstore no source", (d) => (d.default = [{ type: "sigstoreSigned" }])],
    ["sigstore fulcio without rekor", (d) => (d.default = [{ type: "sigstoreSigned", fulcio: { caPath: "/c", oidcIssuer: "i", subjectEmail: "e" } }])],
    ["sigstore pki with rekor", (d) => (d.default = [{ type: "sigstoreSigned", pki: { caRootsPath: "/c", subjectEmail: "e" }, rekorPublicKeyPath: "/r" }])],
    ["sigstore two rekor", (d) => (d.default = [{ type: "sigstoreSigned", keyPath: "/k", rekorPublicKeyPath: "/r", rekorPublicKeyData: "" }])],
    ["identity unknown", (d) => (d.transports.docker["quay.io/a"][0].signedIdentity = { type: "matchexact" })],
    ["exactReference without tag", (d) => (d.transports.docker["quay.io/a"][0].signedIdentity = { type: "exactReference", dockerReference: "quay.io/a" })],
    ["dir relative scope", (d) => (d.transports.dir = { "a/b": [{ type: "reject" }] })],
    ["dir unclean scope", (d) => (d.transports.dir = { "/a/../b": [{ type: "reject" }] })],
    ["docker-archive named scope", (d) => (d.transports["docker-archive"] = { "/x": [{ type: "reject" }] })],
    ["docker-daemon digest scope", (d) => (d.transports["docker-daemon"] = { ["sha256:" + "a".repeat(64)]: [{ type: "reject" }] })],
  ];
  it.each(broken)("rejects: %s", (_n, breakIt) => {
    const d = base();
    expect(checkPolicyJsonSchema(d)).toEqual([]);
    breakIt(d);
    expect(checkPolicyJsonSchema(d).length).toBeGreaterThan(0);
  });

  it("agrees with the newest upstream parser on the vectors, except duplicate keys (invisible after JSON.parse)", () => {
    const rows = readFileSync(VECTORS, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { name: string; input: string; ok: boolean; error?: string });
    const disagreements: string[] = [];
    let agree = 0;
    for (const v of rows) {
      let schemaOk: boolean;
      try {
        schemaOk = checkPolicyJsonSchema(JSON.parse(v.input)).length === 0;
      } catch {
        schemaOk = false; // not JSON: the schema is never consulted
      }
      if (schemaOk === v.ok) agree++;
      else disagreements.push(v.name);
    }
    expect(rows.length).toBe(179);
    expect(agree).toBe(171);
    expect(disagreements.every((n) => /duplicate/i.test(n))).toBe(true);
  });

  it.skipIf(NO_CORPUS)("agrees with the newest upstream verdicts on every real-world policy", () => {
    const rows = readFileSync(`${CORPUS}/policy-verdicts.jsonl`, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    let agree = 0;
    for (const r of rows) {
      const expected = (r.newerFields ? r.newerExpected : r.containersImage523) === "OK";
      let ok: boolean;
      try {
        ok = checkPolicyJsonSchema(JSON.parse(readFileSync(`${CORPUS}/${r.file}`, "utf8"))).length === 0;
      } catch {
        ok = false;
      }
      if (ok === expected) agree++;
    }
    expect(agree).toBe(rows.length);
    expect(rows.length).toBeGreaterThanOrEqual(44);
  });
});

describe("schemas stay in step with the IR", () => {
  const schema = JSON.parse(readFileSync(new URL("../../schemas/policy.schema.json", import.meta.url), "utf8"));
  it("lists every requirement type, identity type, keyType and known transport", () => {
    expect(schema.$defs.requirement.properties.type.enum).toEqual([...REQUIREMENT_TYPES]);
    expect(schema.$defs.identity.properties.type.enum).toEqual([...IDENTITY_MATCH_TYPES]);
    expect(schema.$defs.signedBy.properties.keyType.enum).toEqual([...SIGNED_BY_KEY_TYPES]);
    expect(Object.keys(schema.properties.transports.properties).sort()).toEqual([...KNOWN_TRANSPORTS].sort());
    for (const t of [...REQUIREMENT_TYPES, ...IDENTITY_MATCH_TYPES]) expect(schema.$defs[t], t).toBeDefined();
  });
});

describe("registries-d.schema.json", () => {
  it("accepts the documented shape and rejects wrong types and unknown keys", () => {
    expect(checkRegistriesDSchema(null)).toEqual([]);
    expect(checkRegistriesDSchema({ "default-docker": { lookaside: "file:///x", "use-sigstore-attachments": true }, docker: { "quay.io": { sigstore: "https://s" }, "e.example": null } })).toEqual([]);
    expect(checkRegistriesDSchema({ docker: { "quay.io": { lookaside: ["x"] } } }).length).toBeGreaterThan(0);
    expect(checkRegistriesDSchema({ docker: { "quay.io": { "use-sigstore-attachments": "yes" } } }).length).toBeGreaterThan(0);
    expect(checkRegistriesDSchema({ docker: { "quay.io": { lookasid: "x" } } }).length).toBeGreaterThan(0);
    expect(checkRegistriesDSchema({ dockr: {} }).length).toBeGreaterThan(0);
  });
});
