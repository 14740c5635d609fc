/**
 * The ImageValidatingPolicy target: the CEL scope predicates on raw pod image strings against the node's
 * scope lookup (every raw spelling × every scope shape), and the shape of the emitted policies.
 */
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { compileToKubernetes } from "../../src/k8s/compile.js";
import { K8S_CODES } from "../../src/k8s/codes.js";
import { scopePredicate } from "../../src/k8s/ivp-match.js";
import { IVP_API_VERSION, IVP_IMAGES } from "../../src/k8s/kyverno-ivp.js";
import { parseImageReference } from "../../src/reference/image-reference.js";
import { evalCelPredicate, ivpVerdict, nodeRequirements } from "./evaluate.js";
import { ModelBuilder, readKey } from "./helpers.js";
import { expectValidManifests } from "./manifests.js";

const D1 = "sha256:" + "12".repeat(32);

const SCOPES = [
  "docker.io",
  "docker.io/library",
  "docker.io/library/alpine",
  "docker.io/library/alpine:latest",
  "docker.io/library/alpine:3",
  `docker.io/library/alpine@${D1}`,
  "docker.io/alpine",
  "docker.io/user",
  "docker.io/user/app",
  "quay.io",
  "quay.io/a",
  "quay.io/a/b",
  "quay.io/a/b:1",
  "quay.io/a/b:latest",
  `quay.io/a/b@${D1}`,
  "*.example.com",
  "*.registry.example.com",
  "registry.example.com",
  "registry.example.com:5000",
  "registry.example.com:5000/x",
  "localhost",
  "localhost:5000/x",
  "myregistry",
];

/** Raw pod image strings: every Docker Hub spelling, ports, look-alike paths, untagged and digested forms. */
const RAW = [
  "alpine",
  "alpine:3",
  "alpine:latest",
  `alpine@${D1}`,
  "library/alpine:3",
  "docker.io/alpine:3",
  "docker.io/library/alpine",
  "index.docker.io/library/alpine:3",
  "index.docker.io/alpine:3",
  "alpine/helm:3",
  "docker.io/alpine/helm:3",
  "library/alpine/x:1",
  "user/app:1",
  "user/app",
  "docker.io/user/app:1",
  "user/application:1",
  "localhost/x:1",
  "localhost:5000/x:1",
  "localhost:5000/xy:1",
  "localhost",
  "myregistry/foo:1",
  "quay.io/a/b",
  "quay.io/a/b:1",
  "quay.io/a/b:10",
  `quay.io/a/b@${D1}`,
  "quay.io/a/bc:1",
  "quay.io/a/b/c:1",
  "quay.io/x.example.com/y:1",
  "registry.example.com/x:1",
  "registry.example.com:5000/x:1",
  "registry.example.com:5000/x/y:1",
  "sub.registry.example.com/q:1",
  "sub.registry.example.com:443/q:1",
  "other.example.com/q:1",
  "example.com/q:1",
  "ghcr.io/n/m:1",
];

/** Whether the node decides raw image `raw` with scope `scope` when that is the only scope (docker://raw). */
function nodeSelects(scope: string, raw: string): boolean {
  const b = new ModelBuilder();
  const model = b.model([b.accept()], [b.scope(scope, [b.reject()])]);
  return nodeRequirements(model, raw).scope === scope;
}

describe("CEL scope predicates on raw pod image strings", () => {
  it("every raw spelling is parsed by the node (the oracle is meaningful)", () => {
    for (const raw of RAW) expect(parseImageReference("docker://" + raw).ok, raw).toBe(true);
  });

  it.each(SCOPES)("%s selects exactly the raw strings the node decides with it", (scope) => {
    const pred = scopePredicate(scope, "ref");
    const selected: string[] = [];
    for (const raw of RAW) {
      const node = nodeSelects(scope, raw);
      expect(evalCelPredicate(pred, "ref", raw), `${scope} vs ${raw}`).toBe(node);
      if (node) selected.push(raw);
    }
    // the table is not vacuous for the scopes that can match at all
    if (scope !== "myregistry" && scope !== "localhost") expect(selected.length, scope).toBeGreaterThan(0);
  });

  it("Docker Hub official images in all their spellings, and nothing deeper", () => {
    const pred = scopePredicate("docker.io/library/alpine", "ref");
    for (const raw of ["alpine", "alpine:3", "library/alpine", "docker.io/alpine:3", "index.docker.io/library/alpine:3", `alpine@${D1}`]) {
      expect(evalCelPredicate(pred, "ref", raw), raw).toBe(true);
    }
    for (const raw of ["alpine/helm:3", "alpinex:1", "quay.io/library/alpine:3", "localhost/alpine:1"]) expect(evalCelPredicate(pred, "ref", raw), raw).toBe(false);
  });

  it("a tag scope named 'latest' also selects the untagged spelling; a look-alike path never matches a wildcard host", () => {
    expect(evalCelPredicate(scopePredicate("quay.io/a/b:latest", "ref"), "ref", "quay.io/a/b")).toBe(true);
    expect(evalCelPredicate(scopePredicate("quay.io/a/b:1", "ref"), "ref", "quay.io/a/b")).toBe(false);
    expect(evalCelPredicate(scopePredicate("*.example.com", "ref"), "ref", "quay.io/x.example.com/y:1")).toBe(false);
    expect(evalCelPredicate(scopePredicate("*.example.com", "ref"), "ref", "a.example.com:5000/y:1")).toBe(true);
  });

  it("regular expressions are CEL string literals with escaped backslashes (RE2 sees '\\.')", () => {
    expect(scopePredicate("quay.io/a", "ref")).toBe("ref.matches('^quay\\\\.io/a(?:[/:@].*)?$')");
  });
});

describe("emitted ImageValidatingPolicies", () => {
  const b = new ModelBuilder();
  const model = b.model(
    [b.reject()],
    [
      b.scope("ghcr.io/acme", [b.sigstore("acme-ci.pub", { keyPaths: ["/etc/pki/containers/cosign-laptop.pub"] })], "ci"),
      b.scope("ghcr.io/acme/tools", [b.sigstore("acme-ci.pub"), b.sigstore("cosign-laptop.pub")], "ci"),
      b.scope("docker.io/library", [b.accept()]),
    ],
  );
  const docsOf = (files: { text: string }[]) => files.flatMap((f) => parseAllDocuments(f.text).map((d) => d.toJSON() as Record<string, any>));

  it("one policy per level, valid for the CRD, each validation over every container kind", () => {
    const r = compileToKubernetes(model, { target: "kyverno-ivp", readFile: readKey });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.files!.map((f) => f.name)).toEqual(["imagetrust-ci.yaml", "imagetrust-default.yaml"]);
    expect(expectValidManifests(r.files!)).toBe(2);
    const docs = docsOf(r.files!);
    for (const d of docs) {
      expect(d.apiVersion).toBe(IVP_API_VERSION);
      expect(d.spec.validationActions).toEqual(["Deny"]);
      // predicates read the pod's own image string: no tag-to-digest rewrite before validation
      expect(d.spec.validationConfigurations).toEqual({ mutateDigest: false, verifyDigest: false, required: true });
      for (const v of d.spec.validations) expect(v.expression.startsWith(`${IVP_IMAGES}.all(image, `)).toBe(true);
    }
    const ci = docs[0].spec;
    // any of a requirement's two keys: one call with both attestors; two requirements: two calls (AND).
    expect(ci.attestors.map((a: any) => a.name)).toEqual(["a0", "a1"]);
    expect(ci.validations[0].expression).toContain("verifyImageSignatures(image, [attestors.a0, attestors.a1]) > 0)");
    expect(ci.validations[1].expression).toContain("verifyImageSignatures(image, [attestors.a0]) > 0 && verifyImageSignatures(image, [attestors.a1]) > 0");
    // the default rejects only what no scope decides: the accepted docker.io/library is left out.
    expect(docs[1].spec.attestors).toEqual([]);
    expect(ivpVerdict(r.files!, "alpine:3")).toEqual([]);
    expect(ivpVerdict(r.files!, "quay.io/x/y:1")).toBe("deny");
    expect(ivpVerdict(r.files!, "ghcr.io/acme/tools/x:1")).toHaveLength(2);
    expect(ivpVerdict(r.files!, "ghcr.io/acme/app:1")).toHaveLength(1);
  });

  it("warn mode: Audit and Warn (Deny and Warn may not be combined), reported as IT7061", () => {
    const r = compileToKubernetes(model, { target: "kyverno-ivp", mode: "warn", readFile: readKey });
    for (const d of docsOf(r.files!)) expect(d.spec.validationActions).toEqual(["Audit", "Warn"]);
    expect(r.diagnostics.map((d) => d.code)).toContain(K8S_CODES.warnModeOnly);
    expectValidManifests(r.files!);
  });

  it("what cannot be translated is still refused (GPG signedBy: IT7000), nothing is emitted", () => {
    const b2 = new ModelBuilder();
    const gpg = b2.model([b2.reject()], [b2.scope("quay.io/a", [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/k.gpg", origin: b2.span() } as never])]);
    const r = compileToKubernetes(gpg, { target: "kyverno-ivp", readFile: readKey });
    expect(r.files).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toContain(K8S_CODES.gpgSignedBy);
  });

  it("an image no matchImageReferences entry selects would count 0 verified attestors: every verified region is selected", () => {
    const r = compileToKubernetes(model, { target: "kyverno-ivp", readFile: readKey });
    for (const d of docsOf(r.files!)) {
      const regions = d.spec.matchImageReferences as Array<{ expression: string }>;
      expect(regions.length).toBe(d.spec.validations.length);
    }
  });
});
