/**
 * Simulation with signature evidence in one pass: the evidence source is asked once per reference, the gathered
 * evidence once per signature requirement the runtime evaluates (never for one after a denial), and the decision
 * is made on those answers; bare names and pulls that registries.conf makes fail first read nothing.
 */
import { describe, expect, it } from "vitest";
import type { SignatureRequirement, SignatureVerdict } from "../../src/simulate/evaluate.js";
import type { EvidenceSource, GatheredEvidence } from "../../src/simulate/evidence-source.js";
import { simulateAllWithEvidence } from "../../src/simulate/simulate-evidence.js";
import { policyIR, R } from "./policy-builder.js";

/** A source whose every image has the same verdict per requirement key path; records what was asked. */
function fakeSource(verdicts: Record<string, SignatureVerdict>): EvidenceSource & { gathered: string[]; asked: string[] } {
  const gathered: string[] = [];
  const asked: string[] = [];
  return {
    requested: true,
    gathered,
    asked,
    async gather(ref): Promise<GatheredEvidence> {
      gathered.push(ref.imageName);
      return {
        kind: "image",
        evidence: {
          report: { source: "given", locations: ["signature-1"], formats: ["simple-signing"], manifestDigest: null },
          signatures: {
            async evaluate(requirement: SignatureRequirement) {
              const key = String((requirement as { keyPath?: string }).keyPath);
              asked.push(key);
              return verdicts[key] ?? { allowed: false, message: "no verdict", signatures: [] };
            },
          },
        },
      };
    },
  };
}

describe("simulateAllWithEvidence", () => {
  it("asks for each evaluated signature requirement once, in order, and none after a denial", async () => {
    const policy = policyIR({
      default: [R.reject],
      transports: { docker: { "quay.io/acme": [{ ...R.signedBy, keyPath: "/a" }, { ...R.signedBy, keyPath: "/b" }, { ...R.signedBy, keyPath: "/c" }] } },
    });
    const source = fakeSource({
      "/a": { allowed: true, signatures: [{ index: 0, accepted: true, signer: "A" }] },
      "/b": { allowed: false, message: "b says no", signatures: [{ index: 0, accepted: false, reason: "b says no" }] },
    });
    const [r] = await simulateAllWithEvidence({ policy, refs: ["docker://quay.io/acme/app:1"], evidenceSource: source, env: { euid: 0 } });
    expect(source.gathered).toEqual(["docker://quay.io/acme/app:1"]);
    expect(source.asked).toEqual(["/a", "/b"]);
    expect([r.verdict, r.upstreamError]).toEqual(["deny", "b says no"]);
    expect(r.requirements.map((q) => q.status)).toEqual(["allow", "deny", "skipped"]);
    expect(r.signatures?.requirements.map((q) => [q.index, q.allowed, q.signatures.length])).toEqual([
      [0, true, 1],
      [1, false, 1],
    ]);
  });

  it("reads nothing for bare names (and says so) nor for references that do not parse", async () => {
    const source = fakeSource({});
    const results = await simulateAllWithEvidence({ policy: policyIR({ default: [R.accept] }), refs: ["busybox", "docker://UPPER/x"], evidenceSource: source, env: { euid: 0 } });
    expect(source.gathered).toEqual([]);
    expect(results.map((r) => r.signatures)).toEqual([null, null]);
    expect(results[0].warnings.some((w) => w.startsWith("signatures are read only for transport:reference inputs"))).toBe(true);
    expect(results[1].error).not.toBeNull();
  });

  it("decides an image whose signatures could not be read as the pull does: denied even when the policy accepts", async () => {
    const source: EvidenceSource = {
      requested: false,
      async gather() {
        return {
          kind: "image",
          evidence: {
            report: { source: "lookaside", locations: [], formats: [], manifestDigest: null, readError: "boom" },
            signatures: { evaluate: async () => ({ allowed: false, message: "boom", signatures: [] }) },
          },
        };
      },
    };
    const [r] = await simulateAllWithEvidence({ policy: policyIR({ default: [R.accept] }), refs: ["docker://quay.io/a/b:1"], evidenceSource: source, env: { euid: 0 } });
    expect([r.verdict, r.upstreamError]).toEqual(["deny", "reading signatures: boom"]);
    expect(r.reasons.at(-1)).toBe("the requirements accepted the image, but the pull fails: reading signatures: boom");
  });
});
