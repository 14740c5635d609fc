import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { emitPolicyJson } from "../../src/emit/policy-json.js";
import type { IdentityMatch, Policy, Requirement } from "../../src/ir/types.js";
import { parseVersion } from "../../src/ir/versions.js";
import { checkPolicyJsonSchema } from "./schema-check.js";
import { debianPolicy, minimalPolicy, newestPolicy, shippedDefaultPolicy } from "./ir-fixtures.js";
import { runSkopeoTests, skopeoLoadsPolicy } from "./skopeo-judge.js";

const T523 = parseVersion("5.23")!;

describe.runIf(runSkopeoTests)("skopeo 1.9.3 accepts every emitted 5.23 policy.json", () => {
  it.each([
    ["debian fixture", debianPolicy],
    ["minimal", minimalPolicy],
    ["shipped default", shippedDefaultPolicy],
  ] as const)("%s", async (_n, make) => {
    const r = emitPolicyJson(make(), { target: T523 });
    expect(r.diagnostics).toEqual([]);
    const verdict = await skopeoLoadsPolicy(r.text!);
    expect(verdict.message).not.toMatch(/Error loading trust policy/);
    expect(verdict.loaded).toBe(true);
  });

  it("the judge can fail: the newest-format fixture is refused by 5.23.1 (and by our 5.23 target)", async () => {
    const text = emitPolicyJson(newestPolicy()).text!;
    const verdict = await skopeoLoadsPolicy(text);
    expect(verdict.loaded).toBe(false);
    expect(verdict.message).toMatch(/Unknown key/);
    expect(emitPolicyJson(newestPolicy(), { target: T523 }).text).toBeUndefined();
  });

  it("random 5.23-feature policies (property, 25 runs)", async () => {
    const path = fc.constantFrom("/etc/pki/a.gpg", "/k \"quoted\" \\ back.gpg", "/ünï/☃.gpg");
    const identity: fc.Arbitrary<IdentityMatch | undefined> = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom<IdentityMatch>(
        { type: "matchExact" },
        { type: "matchRepoDigestOrExact" },
        { type: "matchRepository" },
        { type: "exactReference", dockerReference: "quay.io/a/b:1" },
        { type: "exactRepository", dockerRepository: "quay.io/a/b" },
        { type: "remapIdentity", prefix: "mirror.example/ns", signedPrefix: "docker.io" },
      ),
    );
    const requirement: fc.Arbitrary<Requirement> = fc.oneof(
      fc.constantFrom<Requirement>({ type: "insecureAcceptAnything" }, { type: "reject" }),
      fc.record({ type: fc.constant("signedBy" as const), keyType: fc.constantFrom("GPGKeys" as const, "signedByGPGKeys" as const, "X509Certificates" as const, "signedByX509CAs" as const), keyPath: path, signedIdentity: identity }, { requiredKeys: ["type", "keyType", "keyPath"] }),
      fc.record({ type: fc.constant("signedBy" as const), keyType: fc.constant("GPGKeys" as const), keyPaths: fc.array(path, { maxLength: 3 }) }),
      fc.record({ type: fc.constant("signedBy" as const), keyType: fc.constant("GPGKeys" as const), keyData: fc.base64String() }),
      fc.record({ type: fc.constant("sigstoreSigned" as const), keyPath: path, signedIdentity: identity }, { requiredKeys: ["type", "keyPath"] }),
      fc.record({ type: fc.constant("sigstoreSigned" as const), keyData: fc.base64String() }),
      identity.map((id): Requirement => ({ type: "signedBaseLayer", baseLayerIdentity: id ?? { type: "matchExact" } })),
    );
    const scope = fc.oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }), fc.constantFrom("*.example.com", "quay.io/ns/repo", "localhost:5000"));
    const policy: fc.Arbitrary<Policy> = fc.record({
      default: fc.array(requirement, { minLength: 1, maxLength: 3 }),
      transports: fc.uniqueArray(scope, { maxLength: 5 }).chain((scopes) =>
        fc.tuple(...scopes.map((s) => fc.array(requirement, { minLength: 1, maxLength: 3 }).map((reqs) => ({ scope: s, requirements: reqs })))),
      ).map((scopes) => [{ name: "docker", scopes }]),
    });
    await fc.assert(
      fc.asyncProperty(policy, async (p) => {
        const r = emitPolicyJson(p, { target: T523 });
        expect(r.diagnostics).toEqual([]);
        expect(checkPolicyJsonSchema(JSON.parse(r.text!))).toEqual([]);
        const verdict = await skopeoLoadsPolicy(r.text!);
        expect(verdict.message).not.toMatch(/Error loading trust policy/);
      }),
      { numRuns: 25 },
    );
  });
});
