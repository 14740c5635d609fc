import { describe, expect, it } from "vitest";
import { compileTrustSource } from "../../src/check/compile-source.js";
import { emitPolicyJson } from "../../src/emit/policy-json.js";
import { compileToKubernetes, K8S_TARGETS } from "../../src/k8s/compile.js";
import { SourceFile } from "../../src/source/source-file.js";
import { kyvernoVerdict, policyControllerVerdict } from "../k8s/evaluate.js";
import { readKey } from "../k8s/helpers.js";
import { expectValidManifests } from "../k8s/manifests.js";

const SOURCE = (mark: string) => `key redhat gpg file "/etc/pki/containers/RPM-GPG-KEY-redhat-release"
key acme sigstore file "/etc/pki/containers/acme-ci.pub"
level vendor = signed by redhat
level internal = signed by acme identity repository
default reject
docker {
  "registry.redhat.io"  vendor${mark}
  "ghcr.io/acme"        internal
  "ghcr.io/acme/sandbox" accept enforced-by cluster
}
signatures {
  "ghcr.io/acme" attachments
  "registry.redhat.io" lookaside "https://registry.redhat.io/containers/sigstore"
}
`;

function compile(text: string, enforcement: "nodes" | "cluster") {
  return compileTrustSource(new SourceFile("site.trust", text), { checkKeyFiles: false, enforcement });
}

describe("enforced-by nodes on the Kubernetes targets", () => {
  for (const target of K8S_TARGETS) {
    it(`${target}: a node-only GPG scope is let through admission with an info diagnostic; the manifests are valid`, () => {
      const front = compile(SOURCE(" enforced-by nodes"), "cluster");
      expect(front.diagnostics).toEqual([]);
      const r = compileToKubernetes(front.value!, { target, readFile: readKey });
      const codes = r.diagnostics.map((d) => `${d.code} ${d.severity}`);
      expect(codes).toContain("IT2240 info");
      expect(codes.filter((c) => c.endsWith("error"))).toEqual([]);
      expect(r.files).toBeDefined();
      expectValidManifests(r.files!);
      if (target === "policy-controller") {
        const text = r.files!.map((f) => f.text).join("\n");
        expect(text).toContain("name: enforced-by-nodes");
        expect(text).toContain("action: pass");
        expect(policyControllerVerdict(r.files!, "registry.redhat.io/ubi9/ubi@sha256:" + "a".repeat(64))).not.toBe("deny");
        expect(policyControllerVerdict(r.files!, "quay.io/other/x@sha256:" + "a".repeat(64))).toBe("deny");
      }
      if (target === "kyverno") {
        expect(kyvernoVerdict(r.files!, "registry.redhat.io/ubi9/ubi:9")).toEqual([]);
        expect(kyvernoVerdict(r.files!, "quay.io/other/x:1")).toBe("deny");
      }
    });
  }

  it("an unmarked GPG scope is still IT7000", () => {
    const front = compile(SOURCE(""), "cluster");
    const r = compileToKubernetes(front.value!, { target: "policy-controller", readFile: readKey });
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toContain("IT7000");
    expect(r.files).toBeUndefined();
  });

  it("the nodes keep the node-only scope and leave out the cluster-only one (IT2241)", () => {
    const front = compile(SOURCE(" enforced-by nodes"), "nodes");
    expect(front.diagnostics.map((d) => `${d.code} ${d.severity}`)).toEqual(["IT2241 info"]);
    const json = emitPolicyJson(front.value!.policy).text!;
    expect(json).toContain('"registry.redhat.io"');
    expect(json).not.toContain("sandbox");
  });

  it("a block's mark applies to its scopes and their children", () => {
    const front = compile(`default reject\ndocker enforced-by nodes {\n  "a.example" accept {\n    "b" reject\n  }\n}\n`, "cluster");
    const docker = front.value!.policy.transports[0];
    expect(docker.scopes.map((s) => s.labels?.enforcedBy)).toEqual(["nodes", "nodes"]);
  });
});
