import { describe, expect, it } from "vitest";
import { parseImageReference, type ImageReference } from "../../src/reference/image-reference.js";
import type { Policy } from "../../src/ir/types.js";
import { requirementsForImageRef } from "../../src/simulate/scope-lookup.js";

/** The scope of `scopes` (one transport section for the reference's transport) that decides, as requirementsForImageRef finds it. */
function matchScope(r: ImageReference, scopes: Set<string>): { scope: string } | undefined {
  const policy: Policy = {
    default: [{ type: "reject" }],
    transports: [{ name: r.transport, scopes: [...scopes].map((scope) => ({ scope, requirements: [{ type: "insecureAcceptAnything" }] })) }],
  };
  const d = requirementsForImageRef(policy, r).decided;
  return d ? { scope: d.scope } : undefined;
}

function ref(input: string): ImageReference {
  const r = parseImageReference(input, { resolvePath: (p) => p });
  if (!r.ok) throw new Error(r.error);
  return r.ref;
}

/** Upstream's precedence test (policy_eval_test.go TestPolicyContextRequirementsForImageRef), §3.4. */
const POLICY: Record<string, string[]> = {
  docker: ["", "unmatched", "deep.com", "*.very.deep.com", "*.deep.com", "deep.com/n1", "deep.com/n1/n2", "deep.com/n1/n2/n3",
    "deep.com/n1/n2/n3/repo", "deep.com/n1/n2/n3/repo:tag2"],
  atomic: ["unmatched"],
};

/** The scope used, "<default>" for the global default. */
function decide(input: string): string {
  const r = ref(input);
  const section = POLICY[r.transport];
  if (section === undefined) return "<default>";
  return matchScope(r, new Set(section))?.scope ?? "<default>";
}

describe("lookup precedence (§3.2, upstream's table)", () => {
  it.each([
    ["docker://deep.com/n1/n2/n3/repo:tag2", "deep.com/n1/n2/n3/repo:tag2"],
    ["docker://deep.com/n1/n2/n3/repo:nottag2", "deep.com/n1/n2/n3/repo"],
    ["docker://deep.com/n1/n2/n3/notrepo:tag2", "deep.com/n1/n2/n3"],
    ["docker://deep.com/n1/n2/notn3/repo:tag2", "deep.com/n1/n2"],
    ["docker://deep.com/n1/notn2/n3/repo:tag2", "deep.com/n1"],
    ["docker://deep.com/notn1/n2/n3/repo:tag2", "deep.com"],
    ["docker://very.deep.com/n1/n2/n3/repo:tag2", "*.deep.com"],
    ["docker://not.very.deep.com/n1/n2/n3/repo:tag2", "*.very.deep.com"],
    ["docker://this.does-not/match:anything", ""],
    ["atomic:this.does-not/ns/match:anything", "<default>"], // upstream uses a mock reference; atomic needs host/ns/stream
    ["dir:/dir1/dir2", "<default>"],
  ])("%s → %s", (input, expected) => {
    expect(decide(input)).toBe(expected);
  });

  it("identity before namespaces, namespaces in order, then the transport default", () => {
    const r = ref("docker://quay.io/a/b:c");
    expect(matchScope(r, new Set(["quay.io/a/b:c", "quay.io"]))).toEqual({ scope: "quay.io/a/b:c" });
    expect(matchScope(r, new Set(["*.io", "quay.io"]))).toEqual({ scope: "quay.io" });
    expect(matchScope(r, new Set(["*.io", ""]))).toEqual({ scope: "*.io" });
    expect(matchScope(r, new Set(["busybox"]))).toBeUndefined();
    expect(matchScope(ref("docker-archive:/a.tar"), new Set([""]))).toEqual({ scope: "" });
  });

  it("never normalises scopes and never matches a wildcard against the bare host", () => {
    expect(matchScope(ref("docker://busybox"), new Set(["busybox", "library/busybox"]))).toBeUndefined();
    expect(matchScope(ref("docker://example.com/x:y"), new Set(["*.example.com"]))).toBeUndefined();
    expect(matchScope(ref("docker://example.com:443/x:y"), new Set(["*.com"]))?.scope).toBe("*.com");
    expect(matchScope(ref("docker://127.0.0.1:5000/app:v"), new Set(["*.0.1"]))?.scope).toBe("*.0.1");
    expect(matchScope(ref("docker://localhost:5000/app:v"), new Set(["*.localhost", "*"]))).toBeUndefined();
    expect(matchScope(ref("docker://a.example.com:5000/app:v"), new Set(["*.example.com:5000"]))).toBeUndefined();
    expect(matchScope(ref("oci:/srv/oci/layout:tag"), new Set(["/srv/oci/layout:tag"]))).toBeUndefined();
  });
});
