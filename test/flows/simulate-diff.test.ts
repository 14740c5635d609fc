/** `imagetrust diff`: scope changes, verdict flips on sample references, --fail-on-loosen. */
import { describe, expect, it } from "vitest";
import { diffPolicies, isLoosening, sampleReferencesFor, strengthOf } from "../../src/diff/analyse.js";
import { renderDiffText } from "../../src/diff/render-text.js";
import { diffExitCode } from "../../src/cli/exit-codes.js";
import type { Requirement } from "../../src/ir/types.js";
import { policyIR, R, type PolicySpec } from "../simulate/policy-builder.js";

const before: PolicySpec = {
  default: [R.reject],
  transports: {
    docker: { "quay.io/acme": [R.signedBy], "ghcr.io/acme": [R.accept], "registry.example/app:1": [R.signedBy] },
    dir: { "/srv/images": [R.accept] },
  },
};

describe("diffPolicies", () => {
  it("reports scope changes and verdict flips, and flags loosening", () => {
    const after: PolicySpec = {
      default: [R.reject],
      transports: {
        docker: { "quay.io/acme": [R.accept], "docker.io/library": [R.accept], "registry.example/app:1": [R.signedBy] },
        dir: { "/srv/images": [R.accept] },
      },
    };
    const d = diffPolicies(policyIR(before), policyIR(after), { refs: ["docker://quay.io/acme/tool:2"] });
    expect(d.scopeChanges.map((c) => `${c.change} ${c.transport} ${c.scope}`).sort()).toEqual(
      ["added docker docker.io/library", "changed docker quay.io/acme", "removed docker ghcr.io/acme"].sort(),
    );
    const flip = (ref: string) => d.samples.find((s) => s.ref === ref)!;
    expect(flip("docker://quay.io/acme/tool:2")).toMatchObject({ flipped: true, loosened: true, before: { verdict: "deny", strength: "signed" }, after: { verdict: "allow", strength: "anything" } });
    expect(flip("docker://ghcr.io/acme/sample:latest")).toMatchObject({ flipped: true, loosened: false, tightened: true });
    expect(flip("docker://docker.io/library/sample:latest")).toMatchObject({ flipped: true, loosened: true, after: { scope: { transport: "docker", scope: "docker.io/library" } } });
    // Unchanged scopes keep their decision.
    expect(flip("docker://registry.example/app:1")).toMatchObject({ flipped: false, changed: false });
    expect(d.loosened).toBe(true);
    expect(diffExitCode(d, { failOnLoosen: true })).toBe(1);
    expect(diffExitCode(d)).toBe(0);
    const text = renderDiffText(d);
    expect(text).toContain("~ docker \"quay.io/acme\": [signedBy] → [insecureAcceptAnything]  (looser)");
    expect(text).toContain("LOOSER: docker://quay.io/acme/tool:2: deny (docker quay.io/acme, signed) → allow (docker quay.io/acme, anything)");
  });

  it("does not flag a policy that only gets stricter", () => {
    const after: PolicySpec = { default: [R.reject], transports: { docker: { "quay.io/acme": [R.signedBy, R.sigstore], "registry.example/app:1": [R.reject] }, dir: { "/srv/images": [R.signedBy] } } };
    const d = diffPolicies(policyIR(before), policyIR(after));
    expect(d.loosened).toBe(false);
    expect(diffExitCode(d, { failOnLoosen: true })).toBe(0);
    expect(d.samples.some((s) => s.tightened)).toBe(true);
  });

  it("classifies every region, so a change no sample reaches still loosens (issue 13)", () => {
    const after: PolicySpec = { ...before, transports: { ...before.transports, "containers-storage": { "": [R.accept] } } };
    const d = diffPolicies(policyIR(before), policyIR(after), { noDerivedSamples: true });
    expect(d.samples).toEqual([]);
    expect(d.regions.filter((r) => r.classification !== "equal").map((r) => [r.transport, r.scope, r.classification])).toEqual([["containers-storage", "", "looser"]]);
    expect(d.loosened).toBe(true);
    expect(renderDiffText(d)).toMatch(/looser +containers-storage "" +\[reject\] \(global default\)/);
  });

  it("sees a changed global default", () => {
    const d = diffPolicies(policyIR({ default: [R.reject] }), policyIR({ default: [R.accept] }));
    expect(d.scopeChanges).toMatchObject([{ transport: null, change: "changed", beforeSummary: "reject", afterSummary: "insecureAcceptAnything" }]);
    expect(d.flips.map((f) => f.ref)).toContain("docker://imagetrust-sample.invalid/sample:latest");
    expect(d.loosened).toBe(true);
  });
});

describe("strength and loosening", () => {
  const sb = R.signedBy as unknown as Requirement;
  const ss = R.sigstore as unknown as Requirement;
  const acc = R.accept as unknown as Requirement;
  const rej = R.reject as unknown as Requirement;
  it("ranks requirement lists", () => {
    expect(strengthOf([acc])).toBe("anything");
    expect(strengthOf([acc, sb])).toBe("signed");
    expect(strengthOf([sb, rej])).toBe("never");
    expect(strengthOf([])).toBe("never");
  });
  it("dropping one of two signature requirements loosens; swapping keys does not count as loosening", () => {
    expect(isLoosening([sb, ss], [sb])).toBe(true);
    expect(isLoosening([sb], [ss])).toBe(false);
    expect(isLoosening([rej], [sb])).toBe(true);
    expect(isLoosening([sb], [rej])).toBe(false);
  });
  it("derives sample references from scopes", () => {
    const refs = sampleReferencesFor(policyIR({ default: [R.reject], transports: { docker: { "*.example.com": [R.accept], "quay.io": [R.accept], "": [R.accept] }, oci: { "/l": [R.accept] } } }));
    expect(refs).toEqual([
      "docker://sample.example.com/sample:latest",
      "docker://quay.io/sample:latest",
      "docker://imagetrust-sample.invalid/sample:latest",
      "oci:/l",
      "oci:/l/sample",
    ]);
  });
});
