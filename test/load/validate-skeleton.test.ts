/**
 * `validateInputs(…, { keepModel: false })` — the `validate` command's call, which loads a policy.json as a skeleton
 * (src/load/policy-fast.ts) — reports exactly what a full load reports (verdict, diagnostics with their spans, IT4028
 * findings of the sigstore subjects it keeps), only without the model.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { validateInputs } from "../../src/input/validate.js";
import { nodeHost } from "../../src/host/node-host.js";
import { parseVersion } from "../../src/ir/versions.js";
import { generatePolicy } from "../../bench/gen-policy.mjs";

const dir = mkdtempSync(join(tmpdir(), "imagetrust-skeleton-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fulcio = (subjectEmail: string) => ({ caPath: "/ca", oidcIssuer: "https://o", subjectEmail });
const POLICIES: Record<string, unknown> = {
  "subjects.json": {
    default: [{ type: "sigstoreSigned", fulcio: fulcio("https://github.com/a/b/.github/workflows/r.yml@refs/heads/main"), rekorPublicKeyPath: "/r" }],
    transports: {
      docker: {
        "quay.io/a": [{ type: "reject" }, { type: "sigstoreSigned", pki: { caRootsPath: "/roots", subjectEmail: "not-an-email" } }],
        "quay.io/b": [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/k", signedIdentity: { type: "matchRepository" } }],
        "quay.io/c": [{ type: "sigstoreSigned", fulcio: fulcio("a@b.c"), rekorPublicKeyPath: "/r" }],
      },
      dir: { "/srv": [{ type: "sigstoreSigned", fulcio: fulcio("nobody"), rekorPublicKeyPath: "/r" }] },
    },
  },
  "plain.json": generatePolicy(500),
  "broken.json": { default: [{ type: "signedBy", keyType: "GPGKeys" }], transports: { docker: { "quay.io/a": [{ type: "rejct" }] } } },
};
for (const [name, p] of Object.entries(POLICIES)) writeFileSync(join(dir, name), JSON.stringify(p, null, 2));

describe("validate's skeleton load", () => {
  it.each(Object.keys(POLICIES))("%s: the same report as a full load, without the model", async (name) => {
    const host = nodeHost();
    for (const target of [undefined, parseVersion("5.23")]) {
      const [full] = await validateInputs([join(dir, name)], { host, target });
      const [lean] = await validateInputs([join(dir, name)], { host, target, keepModel: false });
      expect(lean!.model).toBeUndefined();
      expect(lean!.valid).toBe(full!.valid);
      expect(JSON.stringify(lean!.diagnostics)).toBe(JSON.stringify(full!.diagnostics));
      if (name === "subjects.json" && target === undefined) expect(lean!.diagnostics.map((d) => d.code)).toEqual(["IT4028", "IT4028", "IT4028"]);
    }
  });

  it("wrote its inputs", () => {
    expect(readdirSync(dir).sort()).toEqual(Object.keys(POLICIES).sort());
  });
});
