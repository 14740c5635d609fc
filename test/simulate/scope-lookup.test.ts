/** requirementsForImageRef: upstream's order, the trail, and the fast index path agreeing with it. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Policy, Requirement } from "../../src/ir/types.js";
import { describeLookupStep, indexPolicy, namespacesTried, PolicyIndex, requirementsForImageRef } from "../../src/simulate/scope-lookup.js";

const accept: Requirement = { type: "insecureAcceptAnything" };
const reject: Requirement = { type: "reject" };

function policy(scopes: Record<string, string[]>, def: Requirement[] = [reject]): Policy {
  return {
    default: def,
    transports: Object.entries(scopes).map(([name, ss]) => ({ name, scopes: ss.map((scope) => ({ scope, requirements: [accept] })) })),
  };
}

describe("requirementsForImageRef", () => {
  it("tries identity, namespaces in order, the transport default, then the global default", () => {
    const p = policy({ docker: ["quay.io", ""] });
    const r = requirementsForImageRef(p, { transport: "docker", identity: "quay.io/a/b:1", namespaces: ["quay.io/a/b", "quay.io/a", "quay.io", "*.io"] });
    expect(r.decided).toEqual({ transport: "docker", scope: "quay.io" });
    expect(r.trail.map((s) => s.step)).toEqual(["transport", "identity", "namespace", "namespace", "namespace"]);
    expect(namespacesTried(r)).toEqual(["quay.io/a/b", "quay.io/a", "quay.io"]);
    expect(r.trail.map(describeLookupStep).at(-1)).toBe('matched scope "quay.io" (an enclosing namespace)');
    const d = requirementsForImageRef(p, { transport: "docker", identity: "ghcr.io/x:1", namespaces: ["ghcr.io/x", "ghcr.io", "*.io"] });
    expect(d.decided).toEqual({ transport: "docker", scope: "" });
    expect(d.trail.at(-1)).toEqual({ step: "transportDefault", transport: "docker", matched: true });
    const g = requirementsForImageRef(p, { transport: "dir", identity: "/x", namespaces: [] });
    expect(g.decided).toBeNull();
    expect(g.requirements).toBe(p.default);
    expect(g.trail).toEqual([{ step: "transport", transport: "dir", found: false }, { step: "globalDefault" }]);
  });

  it("an empty identity (docker-archive, tarball, docker-daemon by ID) looks up the transport default first", () => {
    const p = policy({ "docker-archive": [""] });
    const r = requirementsForImageRef(p, { transport: "docker-archive", identity: "", namespaces: [] });
    expect(r.decided).toEqual({ transport: "docker-archive", scope: "" });
    expect(r.trail).toEqual([
      { step: "transport", transport: "docker-archive", found: true },
      { step: "identity", scope: "", matched: true },
    ]);
  });

  it("a section without a matching scope falls through to the global default; names are case-sensitive", () => {
    const p = policy({ docker: ["unmatched"], Docker: [""] });
    expect(requirementsForImageRef(p, { transport: "docker", identity: "a/b:c", namespaces: ["a/b", "a"] }).decided).toBeNull();
  });

  it("indexes a policy once", () => {
    const p = policy({ docker: ["a"] });
    expect(indexPolicy(p)).toBe(indexPolicy(p));
    expect(requirementsForImageRef(new PolicyIndex(p), { transport: "docker", identity: "a", namespaces: [] }).decided?.scope).toBe("a");
  });

  it("the fast lookup agrees with the explained one (property)", () => {
    const names = ["a", "a/b", "a/b/c", "*.x", "x.a", "", "b", "a/b:t"];
    fc.assert(
      fc.property(
        fc.subarray(names),
        fc.subarray(names),
        fc.constantFrom(...names),
        fc.array(fc.constantFrom(...names), { maxLength: 5 }),
        fc.boolean(),
        (dockerScopes, otherScopes, identity, namespaces, otherTransport) => {
          const p = policy({ docker: dockerScopes, dir: otherScopes });
          const transport = otherTransport ? "dir" : "docker";
          const slow = requirementsForImageRef(p, { transport, identity, namespaces });
          const fast = indexPolicy(p).lookup(transport, identity, namespaces);
          expect(fast?.scope ?? null).toBe(slow.decided?.scope ?? null);
          // Reference model: identity, then namespaces, then "".
          const ss = transport === "docker" ? dockerScopes : otherScopes;
          const model = [identity, ...namespaces, ""].find((s) => ss.includes(s));
          expect(slow.decided?.scope ?? null).toBe(model ?? null);
        },
      ),
      { numRuns: 500 },
    );
  });
});
