/**
 * compileToKubernetes on IR models built here: diagnostics (code, severity, position), schema validity of
 * every manifest against the CRDs, and, for a table of references per model, that the cluster selects the
 * same requirements as the node wherever the compiler claims equivalence (and never fewer anywhere).
 */
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { compileToKubernetes, K8S_TARGETS, type K8sTarget } from "../../src/k8s/compile.js";
import { K8S_CODES } from "../../src/k8s/codes.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { checkReferences, DIFFERENCE_CODES, expectValidManifests } from "./manifests.js";
import { ModelBuilder, readKey } from "./helpers.js";
import { kyvernoVerdict, policyControllerVerdict } from "./evaluate.js";

function codes(ds: readonly Diagnostic[], severity?: string): string[] {
  return ds.filter((d) => !severity || d.severity === severity).map((d) => d.code);
}

const D = "sha256:" + "0123456789abcdef".repeat(4);

describe("a rejected mirror with signed children (most-specific-wins reproduced with no-match-policy)", () => {
  const b = new ModelBuilder();
  const model = b.model(
    [b.reject()],
    [
      b.scope("mirror.internal:5000", [b.reject()]),
      b.scope("mirror.internal:5000/redhat", [b.sigstore("acme-ci.pub")], "mirrored"),
      b.scope("mirror.internal:5000/platform", [b.sigstore("cosign-laptop.pub")], "platform"),
    ],
  );
  const refs = ["mirror.internal:5000/redhat/ubi9:1", "mirror.internal:5000/platform/x:2", "mirror.internal:5000/random/y:1", "quay.io/a/b:1", "docker.io/library/alpine:3"];

  it.each(K8S_TARGETS)("%s: equivalent for every reference", (target) => {
    const r = compileToKubernetes(model, { target, readFile: readKey });
    expect(codes(r.diagnostics, "error")).toEqual([]);
    expect(codes(r.diagnostics).filter((c) => DIFFERENCE_CODES.includes(c))).toEqual([]);
    expectValidManifests(r.files!);
    expect(checkReferences(model, target, r.files!, r.diagnostics, refs)).toEqual([target === "kyverno" ? 6 : target === "kyverno-ivp" ? 9 : 5, 0]);
  });

  it("policy-controller leaves the rejected mirror to no-match-policy: deny", () => {
    const r = compileToKubernetes(model, { target: "policy-controller", readFile: readKey });
    expect(r.files!.map((f) => f.name)).toEqual(["imagetrust-mirrored.yaml", "imagetrust-platform.yaml", "config-policy-controller.yaml"]);
    expect(r.files![2].text).toContain("no-match-policy: deny");
  });
});

describe("scopes under a signed scope", () => {
  const b = new ModelBuilder();
  const scratch = b.scope("quay.io/acme/scratch", [b.accept()]);
  const model = b.model(
    [b.accept()],
    [
      b.scope("quay.io/acme", [b.sigstore("acme-ci.pub")], "internal"),
      b.scope("quay.io/acme/audited", [b.sigstore("acme-ci.pub"), b.sigstore("cosign-laptop.pub")], "audited"),
      scratch,
    ],
  );
  const refs = ["quay.io/acme/api:1", "quay.io/acme/audited/base:9", "quay.io/acme/scratch/tool:dev", "quay.io/other/x:1", "docker.io/library/alpine:3"];

  it("policy-controller: an inner scope that includes the outer requirements is exact; an accepting one is stricter (IT7020 at its key)", () => {
    const r = compileToKubernetes(model, { target: "policy-controller", readFile: readKey });
    const stricter = r.diagnostics.filter((d) => d.code === K8S_CODES.scopeStricter);
    expect(stricter.map((d) => d.span)).toEqual([scratch.keyOrigin]);
    expect(stricter[0].severity).toBe("warning");
    expect(stricter[0].related?.[0].message).toContain("quay.io/acme");
    expectValidManifests(r.files!);
    expect(checkReferences(model, "policy-controller", r.files!, r.diagnostics, refs)).toEqual([4, 1]);
    // the audited level is two policies (AND), each with one authority
    const audited = r.files!.filter((f) => f.name.startsWith("imagetrust-audited"));
    expect(audited).toHaveLength(1);
    expect(parseAllDocuments(audited[0].text)).toHaveLength(2);
  });

  it("kyverno: exact, the inner scopes are skipped by the outer rule", () => {
    const r = compileToKubernetes(model, { target: "kyverno", readFile: readKey });
    expect(codes(r.diagnostics).filter((c) => DIFFERENCE_CODES.includes(c))).toEqual([]);
    expectValidManifests(r.files!);
    expect(checkReferences(model, "kyverno", r.files!, r.diagnostics, refs)).toEqual([6, 0]);
    expect(r.files!.find((f) => f.name === "imagetrust-internal.yaml")!.text).toContain("skipImageReferences");
  });
});

describe("a signed default", () => {
  const b = new ModelBuilder();
  const model = b.model([b.sigstore("acme-ci.pub")], [b.scope("ghcr.io/x", [b.sigstore("acme-ci.pub"), b.sigstore("cosign-laptop.pub")]), b.scope("ghcr.io/y", [b.reject()])]);
  const refs = ["ghcr.io/x/a:1", "ghcr.io/y/b:1", "docker.io/library/alpine:3", "quay.io/q/r@" + D];
  it.each(K8S_TARGETS)("%s: equivalent", (target) => {
    const r = compileToKubernetes(model, { target, readFile: readKey });
    expect(codes(r.diagnostics, "error")).toEqual([]);
    expectValidManifests(r.files!);
    const [same, stricter] = checkReferences(model, target, r.files!, r.diagnostics, refs);
    expect(stricter).toBe(0);
    // kyverno-ivp matches raw pod strings: alpine is checked in 5 spellings (alpine:3, library/alpine:3, docker.io/alpine:3, …).
    expect(same).toBe(target === "kyverno" ? 5 : target === "kyverno-ivp" ? 8 : 4);
  });
  it("policy-controller applies the default to every image with '**'", () => {
    const r = compileToKubernetes(model, { target: "policy-controller", readFile: readKey });
    expect(r.files![0].text).toContain('glob: "**"');
  });
});

describe("tag and digest scopes", () => {
  const b = new ModelBuilder();
  const tag = b.scope("docker.io/library/busybox:latest", [b.reject()]);
  const model = b.model([b.accept()], [tag]);

  it("policy-controller: a rejected tag under an accepting default would be admitted: IT7022 and IT7021, no files", () => {
    const r = compileToKubernetes(model, { target: "policy-controller", readFile: readKey });
    expect(r.files).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.span])).toEqual([
      [K8S_CODES.tagScopeNeverMatches, "warning", tag.keyOrigin],
      [K8S_CODES.scopeMorePermissive, "error", tag.keyOrigin],
    ]);
  });

  it("kyverno: rejects the tag in every spelling a pod may use", () => {
    const r = compileToKubernetes(model, { target: "kyverno", readFile: readKey });
    expectValidManifests(r.files!);
    for (const image of ["busybox", "busybox:latest", "docker.io/library/busybox:latest", "index.docker.io/library/busybox"]) expect(kyvernoVerdict(r.files!, image), image).toBe("deny");
    for (const image of ["busybox:1.36", "alpine"]) expect(kyvernoVerdict(r.files!, image), image).toEqual([]);
  });

  const b2 = new ModelBuilder();
  const approval = b2.model([b2.reject()], [b2.scope(`docker.io/library/busybox@${D}`, [b2.accept()])]);
  it.each(K8S_TARGETS)("%s: a digest approval under a rejecting default is exact", (target) => {
    const r = compileToKubernetes(approval, { target, readFile: readKey });
    expect(codes(r.diagnostics)).toEqual([]);
    expectValidManifests(r.files!);
    const [same, stricter] = checkReferences(approval, target, r.files!, r.diagnostics, [`docker.io/library/busybox@${D}`, "docker.io/library/busybox:latest", "quay.io/a/b:1"]);
    expect([same > 0, stricter]).toEqual([true, 0]);
  });
});

describe("constructs with no admission equivalent", () => {
  it.each(K8S_TARGETS)("%s: GPG signedBy is an error at the requirement", (target) => {
    const b = new ModelBuilder();
    const req = { type: "signedBy" as const, keyType: "GPGKeys" as const, keyPath: "/etc/pki/containers/acme-release.gpg", origin: b.span() };
    const r = compileToKubernetes(b.model([b.reject()], [b.scope("quay.io", [req])]), { target, readFile: readKey });
    expect(r.files).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.span])).toEqual([[K8S_CODES.gpgSignedBy, "error", req.origin]]);
  });

  it.each(["exactRepository", "remapIdentity", "exactReference"] as const)("%s identity is an error at the identity", (type) => {
    const b = new ModelBuilder();
    const identity =
      type === "exactRepository"
        ? { type, dockerRepository: "quay.io/a/b", origin: b.span() }
        : type === "exactReference"
          ? { type, dockerReference: "quay.io/a/b:1", origin: b.span() }
          : { type, prefix: "m.example/a", signedPrefix: "quay.io/a", origin: b.span() };
    const r = compileToKubernetes(b.model([b.reject()], [b.scope("quay.io", [b.sigstore("acme-ci.pub", { signedIdentity: identity })])]), { target: "kyverno", readFile: readKey });
    expect(r.files).toBeUndefined();
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.span])).toEqual([[K8S_CODES.identityRuleUntranslatable, identity.origin]]);
  });

  it("an identity bound to the pulled reference is a warning (admission checks the digest only)", () => {
    const b = new ModelBuilder();
    const req = b.sigstore("acme-ci.pub", { signedIdentity: undefined });
    const r = compileToKubernetes(b.model([b.reject()], [b.scope("quay.io", [req])]), { target: "policy-controller", readFile: readKey });
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.span])).toEqual([[K8S_CODES.identityNotChecked, "warning", req.origin]]);
  });

  it("signedBaseLayer and a key-less sigstoreSigned deny on both sides", () => {
    const b = new ModelBuilder();
    const sbl = { type: "signedBaseLayer" as const, baseLayerIdentity: { type: "matchRepository" as const }, origin: b.span() };
    const empty = b.sigstore("x", { keyPath: undefined, keyPaths: [] });
    const model = b.model([b.accept()], [b.scope("quay.io/a", [sbl]), b.scope("quay.io/b", [empty])]);
    for (const target of K8S_TARGETS) {
      const r = compileToKubernetes(model, { target, readFile: readKey });
      expect(codes(r.diagnostics, "warning")).toEqual(expect.arrayContaining([K8S_CODES.signedBaseLayer, K8S_CODES.sigstoreWithoutKeys]));
      expectValidManifests(r.files!);
      const [same, stricter] = checkReferences(model, target, r.files!, r.diagnostics, ["quay.io/a/x:1", "quay.io/b/y:1", "quay.io/c/z:1"]);
      expect([same, stricter]).toEqual([3, 0]);
    }
  });

  it("sigstoreSigned.pki is an error", () => {
    const b = new ModelBuilder();
    const req = b.sigstore("x", { keyPath: undefined, pki: { caRootsPath: "/etc/pki/containers/fulcio_v1.crt.pem", subjectEmail: "a@b", origin: b.span() } });
    const r = compileToKubernetes(b.model([b.reject()], [b.scope("quay.io", [req])]), { target: "policy-controller", readFile: readKey });
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.span])).toEqual([[K8S_CODES.pkiUntranslatable, req.pki!.origin]]);
  });

  it("non-docker transports are reported as staying on the nodes", () => {
    const b = new ModelBuilder();
    const t = { name: "containers-storage", keyOrigin: b.span(), scopes: [b.scope("", [b.accept()])] };
    const r = compileToKubernetes(b.model([b.reject()], [], [t]), { target: "kyverno", readFile: readKey });
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.span])).toEqual([[K8S_CODES.transportNotAdmitted, "info", t.keyOrigin]]);
  });

  it("index.docker.io scopes never match on the node and are left out", () => {
    const b = new ModelBuilder();
    const s = b.scope("index.docker.io/library/alpine", [b.reject()]);
    const r = compileToKubernetes(b.model([b.accept()], [s]), { target: "policy-controller", readFile: readKey });
    expect(r.diagnostics.map((d) => [d.code, d.span])).toEqual([[K8S_CODES.legacyDockerHubScope, s.keyOrigin]]);
    expect(policyControllerVerdict(r.files!, "docker.io/library/alpine:3")).toEqual([]);
  });
});

describe("key material", () => {
  it("inlines keyPath files and base64 keyData as PEM; unreadable and non-PEM keys are errors", () => {
    const b = new ModelBuilder();
    const pem = Buffer.from(readKey("acme-ci.pub")!).toString("utf8");
    const inline = b.sigstore("x", { keyPath: undefined, keyData: Buffer.from(pem).toString("base64") });
    let r = compileToKubernetes(b.model([b.reject()], [b.scope("quay.io", [inline])]), { target: "policy-controller", readFile: readKey });
    expect(r.files![0].text).toContain(pem.trim().split("\n")[1]);
    const missing = b.sigstore("absent.pub");
    const garbage = b.sigstore("x", { keyPath: undefined, keyData: Buffer.from("not a key").toString("base64") });
    r = compileToKubernetes(b.model([b.reject()], [b.scope("quay.io", [missing]), b.scope("ghcr.io", [garbage])]), { target: "kyverno", readFile: readKey });
    expect(r.files).toBeUndefined();
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.span])).toEqual([
      [K8S_CODES.keyFileUnreadable, missing.origin],
      [K8S_CODES.keyDataNotPem, garbage.origin],
    ]);
  });

  it("keyless: Fulcio CA, issuer and subject, with Rekor keys; Kyverno carries the Rekor key, policy-controller warns", () => {
    const b = new ModelBuilder();
    const req = b.sigstore("x", {
      keyPath: undefined,
      fulcio: { caPath: "/etc/pki/containers/fulcio_v1.crt.pem", oidcIssuer: "https://issuer.example", subjectEmail: "bot@acme.example" },
      rekorPublicKeyPath: "/etc/pki/containers/rekor.pub",
    });
    const model = b.model([b.reject()], [b.scope("ghcr.io/acme", [req])]);
    const pc = compileToKubernetes(model, { target: "policy-controller", readFile: readKey });
    expect(codes(pc.diagnostics)).toContain(K8S_CODES.rekorKeyNotInline);
    expectValidManifests(pc.files!);
    const ky = compileToKubernetes(model, { target: "kyverno", readFile: readKey });
    expect(codes(ky.diagnostics)).not.toContain(K8S_CODES.rekorKeyNotInline);
    expectValidManifests(ky.files!);
    expect(ky.files![0].text).toContain("pubkey: |");
    expect(ky.files![0].text).toContain("subject: bot@acme.example");
    for (const [target, files] of [["policy-controller", pc.files!], ["kyverno", ky.files!]] as const) {
      expect(checkReferences(model, target, files, [], ["ghcr.io/acme/api:1", "ghcr.io/other/x:1"])).toEqual([2, 0]);
    }
  });
});

describe("modes", () => {
  it("warn mode is written into the manifests and reported", () => {
    const b = new ModelBuilder();
    const model = b.model([b.reject()], [b.scope("quay.io", [b.sigstore("acme-ci.pub")])]);
    const pc = compileToKubernetes(model, { target: "policy-controller", mode: "warn", readFile: readKey });
    expect(pc.files![0].text).toContain("mode: warn");
    expect(pc.files!.find((f) => f.name === "config-policy-controller.yaml")!.text).toContain("no-match-policy: warn");
    expect(codes(pc.diagnostics)).toContain(K8S_CODES.warnModeOnly);
    const ky = compileToKubernetes(model, { target: "kyverno", mode: "warn", readFile: readKey });
    expect(ky.files!.map((f) => f.text).join("")).toContain("failureAction: Audit");
    expectValidManifests([...pc.files!, ...ky.files!]);
  });
});

describe("approximate Kyverno patterns and signature storage", () => {
  it("a wildcard host accepted under a rejecting default is exact: deny rules test the host by regex", () => {
    const b = new ModelBuilder();
    const model = b.model([b.reject()], [b.scope("*.example.com", [b.accept()])]);
    const refs = ["a.example.com/x:1", "a.b.example.com:5000/x:1", "quay.io/x.example.com/y:1", "example.com/z:1"];
    for (const target of K8S_TARGETS) {
      const r = compileToKubernetes(model, { target, readFile: readKey });
      expect(codes(r.diagnostics)).toEqual([]);
      expectValidManifests(r.files!);
      expect(checkReferences(model, target, r.files!, r.diagnostics, refs)).toEqual([4, 0]);
    }
  });

  it("a wildcard host inside a signed default would let look-alike paths skip the signature: error (IT7024)", () => {
    const b = new ModelBuilder();
    const w = b.scope("*.example.com", [b.accept()]);
    const model = b.model([b.sigstore("acme-ci.pub")], [w]);
    const ky = compileToKubernetes(model, { target: "kyverno", readFile: readKey });
    expect(ky.files).toBeUndefined();
    expect(ky.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.span])).toEqual([[K8S_CODES.patternApproximate, w.keyOrigin]]);
    const pc = compileToKubernetes(model, { target: "policy-controller", readFile: readKey });
    expect(pc.diagnostics.filter((d) => d.code === K8S_CODES.patternApproximate)).toEqual([]);
  });

  it("a wildcard host that can only make other regions stricter is a warning", () => {
    const b = new ModelBuilder();
    const w = b.scope("*.example.com", [b.sigstore("acme-ci.pub")]);
    const model = b.model([b.accept()], [w]);
    const ky = compileToKubernetes(model, { target: "kyverno", readFile: readKey });
    expect(ky.diagnostics.filter((d) => d.code === K8S_CODES.patternApproximate).map((d) => [d.severity, d.span])).toEqual([["warning", w.keyOrigin]]);
    expect(kyvernoVerdict(ky.files!, "quay.io/x.example.com/y:1")).toHaveLength(1); // stricter than the node's accept
  });

  it("docker.io/library stricter than its surroundings: official images spelled 'alpine' would escape Kyverno's patterns (error)", () => {
    const b = new ModelBuilder();
    const lib = b.scope("docker.io/library", [b.reject()]);
    const ky = compileToKubernetes(b.model([b.accept()], [lib]), { target: "kyverno", readFile: readKey });
    expect(ky.diagnostics.map((d) => [d.code, d.severity, d.span])).toEqual([[K8S_CODES.patternApproximate, "error", lib.keyOrigin]]);
  });

  it("signatures the node reads without use-sigstore-attachments are reported (IT7062)", () => {
    const b = new ModelBuilder();
    const s = b.scope("quay.io", [b.sigstore("acme-ci.pub")]);
    const model = b.model([b.reject()], [s]);
    model.registriesD = { docker: [{ scope: "quay.io/other", file: "x.yaml", storage: { useSigstoreAttachments: true } }] };
    const r = compileToKubernetes(model, { target: "kyverno", readFile: readKey });
    expect(r.diagnostics.filter((d) => d.code === K8S_CODES.lookasideNotUsed).map((d) => [d.severity, d.span])).toEqual([["info", s.keyOrigin]]);
    model.registriesD = { docker: [{ scope: "quay.io", file: "x.yaml", storage: { useSigstoreAttachments: true } }] };
    expect(codes(compileToKubernetes(model, { target: "kyverno", readFile: readKey }).diagnostics)).not.toContain(K8S_CODES.lookasideNotUsed);
  });
});
