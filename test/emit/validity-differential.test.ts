/**
 * The emitter's verdict (text or errors) against the real parsers, on random IRs that are often invalid:
 * - containers/image 5.23.1 (Go harness, `signature.NewPolicyFromBytes`) for target 5.23: we must emit exactly
 *   the documents it accepts (never a rejected one, and never refuse an accepted one);
 * - our newest-format loader (which agrees with the newest upstream parser on all 179 vectors) for no target.
 * The raw document is written without any checks (policyJsonValue + writeJson).
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { writeJson } from "../../src/emit/json-writer.js";
import { emitPolicyJson, policyJsonValue } from "../../src/emit/policy-json.js";
import type { IdentityMatch, Policy, Requirement } from "../../src/ir/types.js";
import { parseVersion } from "../../src/ir/versions.js";
import { loadPolicyJson } from "../../src/load/policy-json.js";
import { SourceFile } from "../../src/source/source-file.js";
import { checkPolicyJsonSchema } from "./schema-check.js";
import { buildGoHarness, goHarnessAvailable, goParsePolicies, GO_BUILD_TIMEOUT_MS } from "../harness/go-harness.js";

/** Absent three times out of four: most generated objects are then close to valid. */
const opt = <T>(a: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: a, weight: 1 });
const path = fc.constantFrom("", "/k.gpg", "/a b/ü.pub");
const b64 = fc.constantFrom("", "YQ==", "bm9uc2Vuc2U=", "abc", "YW-j");
const identity: fc.Arbitrary<IdentityMatch> = fc.oneof(
  fc.constantFrom<IdentityMatch>({ type: "matchExact" }, { type: "matchRepoDigestOrExact" }, { type: "matchRepository" }),
  fc.constantFrom("busybox:latest", "quay.io/a/b", "INVALIDUPPERCASE:latest", "", "quay.io/a/b@sha256:" + "0".repeat(64), "a//b:1").map((r): IdentityMatch => ({ type: "exactReference", dockerReference: r })),
  fc.constantFrom("quay.io/a/b", "UPPER", "", "busybox:tag").map((r): IdentityMatch => ({ type: "exactRepository", dockerRepository: r })),
  fc.tuple(fc.constantFrom("example.com", "shortname", "example.com/repo:tag", "example.com/", "docker.io/library"), fc.constantFrom("vendor.example", "UPPER", "")).map(([p, s]): IdentityMatch => ({ type: "remapIdentity", prefix: p, signedPrefix: s })),
);
const requirement: fc.Arbitrary<Requirement> = fc.oneof(
  fc.constantFrom<Requirement>({ type: "insecureAcceptAnything" }, { type: "reject" }),
  fc.record({
    type: fc.constant("signedBy" as const),
    keyType: fc.constantFrom("GPGKeys", "signedByGPGKeys", "X509Certificates", "signedByX509CAs", "gpgkeys" as never),
    keyPath: opt(path),
    keyPaths: opt(fc.array(path, { maxLength: 2 })),
    keyData: opt(b64),
    signedIdentity: opt(identity),
  }),
  fc.record({
    type: fc.constant("sigstoreSigned" as const),
    keyPath: opt(path),
    keyPaths: opt(fc.array(path, { maxLength: 2 })),
    keyData: opt(b64),
    keyDatas: opt(fc.array(b64, { maxLength: 2 })),
    fulcio: opt(fc.record({ caPath: opt(path), caData: opt(b64), oidcIssuer: fc.constantFrom("", "https://i"), subjectEmail: fc.constantFrom("", "a@b") })),
    rekorPublicKeyPath: opt(path),
    rekorPublicKeyPaths: opt(fc.array(path, { maxLength: 2 })),
    rekorPublicKeyData: opt(b64),
    rekorPublicKeyDatas: opt(fc.array(b64, { maxLength: 2 })),
    pki: opt(fc.record({ caRootsPath: opt(path), caRootsData: opt(b64), caIntermediatesPath: opt(path), caIntermediatesData: opt(b64), subjectEmail: opt(fc.constantFrom("", "a@b")), subjectHostname: opt(fc.constantFrom("", "h")) })),
    signedIdentity: opt(identity),
  }),
  identity.map((id): Requirement => ({ type: "signedBaseLayer", baseLayerIdentity: id })),
);
/** Mostly one requirement per policy so that each document tests one thing. */
const scopeFor: Record<string, fc.Arbitrary<string>> = {
  docker: fc.constantFrom("quay.io/a", "*.example.com", "anything goes"),
  dir: fc.constantFrom("/srv/img", "relative", "/a//b", "/"),
  "docker-archive": fc.constantFrom("/x"),
  "docker-daemon": fc.constantFrom("busybox:latest", "sha256:" + "a".repeat(64)),
  oci: fc.constantFrom("/srv/oci:tag", "/srv/../x"),
  "containers-storage": fc.constantFrom("[overlay@/var/lib/containers/storage]", "[overlay@relative]", "[/a]x@badid"),
  unknowntransport: fc.constantFrom("whatever"),
};
const policy: fc.Arbitrary<Policy> = fc.record({
  default: fc.oneof({ arbitrary: fc.array(requirement, { minLength: 1, maxLength: 2 }), weight: 9 }, { arbitrary: fc.constant<Requirement[]>([]), weight: 1 }),
  transports: fc.option(
    fc.constantFrom(...Object.keys(scopeFor)).chain((t) =>
      fc.tuple(scopeFor[t], fc.oneof({ arbitrary: fc.array(requirement, { minLength: 1, maxLength: 2 }), weight: 9 }, { arbitrary: fc.constant<Requirement[]>([]), weight: 1 }), fc.constantFrom(false, false, false, true)).map(([scope, reqs, dup]) => [
        { name: t, scopes: dup ? [{ scope, requirements: [{ type: "reject" } as Requirement] }, { scope, requirements: reqs }] : [{ scope, requirements: reqs }] },
      ]),
    ),
    { nil: [], freq: 3 },
  ),
});

const raw = (p: Policy) => writeJson(policyJsonValue(p)) + "\n";
const samples = fc.sample(policy, { numRuns: 3000, seed: 20261125 });

describe("emitter verdicts agree with the real parsers on random, often invalid, IRs", () => {
  it("newest format: our loader accepts exactly what the emitter emits", () => {
    let accepted = 0;
    const mismatches: string[] = [];
    for (const p of samples) {
      const emitted = emitPolicyJson(p).text !== undefined;
      const loaded = loadPolicyJson(new SourceFile("p.json", raw(p))).value !== undefined;
      if (emitted !== loaded) mismatches.push(`${emitted ? "emitted" : "refused"} / loader ${loaded ? "accepts" : "rejects"}: ${JSON.stringify(JSON.parse(raw(p)))}`);
      if (loaded) accepted++;
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(accepted).toBeGreaterThan(400); // both outcomes are well represented
    expect(samples.length - accepted).toBeGreaterThan(1000);
  });

  it("schemas/policy.schema.json gives the newest-format verdict on every sample without duplicate keys", () => {
    const mismatches: string[] = [];
    let compared = 0;
    for (const p of samples) {
      if (p.transports.some((t) => new Set(t.scopes.map((x) => x.scope)).size !== t.scopes.length)) continue; // invisible after JSON.parse
      compared++;
      const text = raw(p);
      const loaded = loadPolicyJson(new SourceFile("p.json", text)).value !== undefined;
      const schemaOk = checkPolicyJsonSchema(JSON.parse(text)).length === 0;
      if (loaded !== schemaOk) mismatches.push(`schema ${schemaOk ? "accepts" : "rejects"} / loader ${loaded ? "accepts" : "rejects"}: ${text.replace(/\s+/g, " ")}`);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(compared).toBeGreaterThan(2000);
  });

  describe.runIf(goHarnessAvailable() || process.env.CI === "true")("containers/image 5.23.1", () => {
    beforeAll(() => buildGoHarness(), GO_BUILD_TIMEOUT_MS);

    it("target 5.23: the emitter emits exactly the documents 5.23.1 accepts", async () => {
      const verdicts = await goParsePolicies(samples.map(raw));
      const t = parseVersion("5.23");
      const mismatches: string[] = [];
      let accepted = 0;
      samples.forEach((p, i) => {
        const r = emitPolicyJson(p, { target: t });
        if ((r.text !== undefined) !== verdicts[i].ok) {
          mismatches.push(`${r.text !== undefined ? "emitted" : "refused (" + r.diagnostics.map((d) => d.code).join(",") + ")"} / 5.23.1 ${verdicts[i].ok ? "accepts" : "rejects: " + verdicts[i].error}: ${raw(p).replace(/\s+/g, " ")}`);
        }
        if (verdicts[i].ok) accepted++;
      });
      expect(mismatches.slice(0, 5)).toEqual([]);
      expect(accepted).toBeGreaterThan(400);
      expect(samples.length - accepted).toBeGreaterThan(1000);
    });
  });
});
