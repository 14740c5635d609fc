/**
 * The checker's use-sigstore-attachments resolution for a policy scope agrees with the simulator's
 * `signatureStorageFor` (src/registries/lookaside.ts, itself checked against containers/image's
 * registries.d code) for an image inside that scope.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { attachmentsForScope, dockerScopeAncestors } from "../../src/check/scope-ancestors.js";
import type { RegistriesDConfig } from "../../src/ir/types.js";
import { parseNormalizedNamed } from "../../src/reference/docker-reference.js";
import { signatureStorageFor } from "../../src/registries/lookaside.js";

const SCOPES = [
  "quay.io",
  "quay.io/acme",
  "quay.io/acme/app",
  "a.quay.io",
  "a.quay.io/x",
  "b.a.quay.io/x/y",
  "*.quay.io",
  "*.a.quay.io",
  "*.io",
  "localhost",
  "localhost:5000",
  "localhost:5000/team",
  "reg.example:8443/ns",
  "docker.io/library/busybox",
  "docker.io/library",
];
const POLICY_SCOPES = SCOPES.filter((s) => !s.startsWith("*.")).concat([
  "quay.io/acme/app:v1",
  "docker.io/library/busybox@sha256:" + "a".repeat(64),
]);

/** An image inside `scope`: the scope itself when it names one image, else a repository below it. */
function probe(scope: string): string {
  return /[:@][^/]*$/.test(scope) && !/:\d+$/.test(scope) ? scope : scope + "/probe:latest";
}

describe("sigstore attachments resolution", () => {
  it("lists upstream's lookup order for a scope", () => {
    expect(dockerScopeAncestors("b.a.quay.io:5000/x/y")).toEqual(["b.a.quay.io:5000/x/y", "b.a.quay.io:5000/x", "b.a.quay.io:5000", "*.a.quay.io", "*.quay.io", "*.io"]);
    expect(dockerScopeAncestors("quay.io/acme/app:v1")).toEqual(["quay.io/acme/app:v1", "quay.io/acme/app", "quay.io/acme", "quay.io", "*.io"]);
    expect(dockerScopeAncestors("")).toEqual([]);
  });

  it("agrees with signatureStorageFor on random registries.d configurations", () => {
    const setting = fc.option(fc.boolean(), { nil: undefined });
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...SCOPES), setting), setting, fc.constantFrom(...POLICY_SCOPES), (entries, def, scope) => {
        const config: RegistriesDConfig = {
          docker: Object.entries(entries).map(([s, v]) => ({ scope: s, file: "t.yaml", storage: v === undefined ? { lookaside: "https://x" } : { useSigstoreAttachments: v } })),
        };
        if (def !== undefined) config.defaultDocker = { file: "t.yaml", storage: { useSigstoreAttachments: def } };
        const ref = parseNormalizedNamed(probe(scope));
        expect(ref.ok).toBe(true);
        if (!ref.ok) return;
        // Sections for the probe's own repository cannot exist in SCOPES, so both see the same path.
        const upstream = signatureStorageFor(ref.ref, config).useSigstoreAttachments;
        const ours = attachmentsForScope(scope, (s) => (s in entries ? entries[s] : undefined), def);
        expect(ours).toBe(upstream);
      }),
      { numRuns: 2000 },
    );
  });
});
