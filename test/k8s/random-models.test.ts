/**
 * Random scope trees (fast-check): whatever the nesting, the emitted cluster policy is never more permissive
 * than the node policy for any reference of a fixed table, and equals it wherever the compiler reports no
 * difference for the deciding scope.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Requirement } from "../../src/ir/types.js";
import { compileToKubernetes, K8S_TARGETS } from "../../src/k8s/compile.js";
import { ModelBuilder, readKey } from "./helpers.js";
import { checkReferences, expectValidManifests } from "./manifests.js";

const D1 = "sha256:" + "12".repeat(32);

const SCOPES = [
  "quay.io",
  "quay.io/a",
  "quay.io/a/b",
  "quay.io/a/b/c",
  `quay.io/a/b@${D1}`,
  "quay.io/a/b:1",
  "*.example.com",
  "*.registry.example.com",
  "registry.example.com",
  "registry.example.com:5000",
  "registry.example.com/x",
  "docker.io",
  "docker.io/library",
  "docker.io/library/alpine",
  "docker.io/user/app",
];

const REFERENCES = [
  "quay.io/a/b:1",
  "quay.io/a/b:2",
  `quay.io/a/b@${D1}`,
  "quay.io/a/b/c/d:1",
  "quay.io/a:1",
  "quay.io/z:1",
  "quay.io/x.example.com/y:1",
  "registry.example.com/x/y:1",
  "registry.example.com:5000/x:1",
  "sub.registry.example.com/q:1",
  "other.example.com/q:1",
  "docker.io/library/alpine:3",
  "docker.io/library/busybox:1",
  "docker.io/user/app:1",
  "docker.io/user/other:1",
  "ghcr.io/n/m:1",
];

type Kind = "accept" | "reject" | "A" | "B" | "AB";
const kinds: Kind[] = ["accept", "reject", "A", "B", "AB"];

function requirements(b: ModelBuilder, k: Kind): Requirement[] {
  switch (k) {
    case "accept":
      return [b.accept()];
    case "reject":
      return [b.reject()];
    case "A":
      return [b.sigstore("acme-ci.pub")];
    case "B":
      return [b.sigstore("cosign-laptop.pub")];
    case "AB":
      return [b.sigstore("acme-ci.pub"), b.sigstore("cosign-laptop.pub")];
  }
}

const arbitraryPolicy = fc.record({
  default: fc.constantFrom<Kind>(...kinds),
  scopes: fc.uniqueArray(fc.record({ scope: fc.constantFrom(...SCOPES), kind: fc.constantFrom<Kind>(...kinds) }), { selector: (s) => s.scope, maxLength: 7 }),
});

describe.each(K8S_TARGETS)("random scope trees for %s", (target) => {
  it("never admit more than the node; equal where no difference is reported", () => {
    let emitted = 0;
    let refused = 0;
    let same = 0;
    let stricter = 0;
    const reasons = new Map<string, number>();
    fc.assert(
      fc.property(arbitraryPolicy, (p) => {
        const b = new ModelBuilder();
        const model = b.model(
          requirements(b, p.default),
          p.scopes.map((s) => b.scope(s.scope, requirements(b, s.kind))),
        );
        const r = compileToKubernetes(model, { target, readFile: readKey });
        if (!r.files) {
          refused++;
          for (const d of r.diagnostics) if (d.severity === "error") reasons.set(d.code, (reasons.get(d.code) ?? 0) + 1);
          return;
        }
        emitted++;
        expectValidManifests(r.files);
        const [s, t] = checkReferences(model, target, r.files, r.diagnostics, REFERENCES);
        same += s;
        stricter += t;
      }),
      { numRuns: 150, seed: 20261125 },
    );
    // The table is exercised, not vacuous.
    expect(emitted).toBeGreaterThan(50);
    expect(same).toBeGreaterThan(1000);
    console.log(`${target}: ${emitted} emitted, ${refused} refused (${[...reasons].map(([c, n]) => `${c}×${n}`).join(", ")}), ${same} reference verdicts equal, ${stricter} stricter`);
  }, 120_000);
});
