/**
 * signedIdentity semantics, ported from containers/image 5.23.1 `signature/policy_reference_match_test.go`
 * (the tables are upstream's verdicts; each row is run through our matchesIdentity).
 */
import { describe, expect, it } from "vitest";
import type { IdentityMatch } from "../../src/ir/types.js";
import { parseNormalizedNamed, referenceString, type DockerReference } from "../../src/reference/docker-reference.js";
import {
  expectedIdentity,
  explainIdentity,
  matchesIdentity,
  refMatchesPrefix,
  remapReference,
} from "../../src/simulate/identity-match.js";

const fullRHELRef = "registry.access.redhat.com/rhel7/rhel:7.2.3";
const untaggedRHELRef = "registry.access.redhat.com/rhel7/rhel";
const digestSuffix = "@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const digestSuffixOther = "@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

type Row = [string, string, boolean];

const exactTable: Row[] = [
  ["busybox:latest", "busybox:latest", true],
  [fullRHELRef, fullRHELRef, true],
  ["busybox" + digestSuffix, "busybox" + digestSuffix, true],
  ["library/busybox:latest", "busybox:latest", true],
  ["docker.io/library/busybox:latest", "busybox:latest", true],
  ["library/busybox" + digestSuffix, "busybox" + digestSuffix, true],
  ["busybox:latest", "busybox:notlatest", false],
  ["busybox:latest", "notbusybox:latest", false],
  ["busybox:latest", "hostname/library/busybox:notlatest", false],
  ["hostname/library/busybox:latest", "busybox:notlatest", false],
  ["busybox:latest", fullRHELRef, false],
  ["busybox" + digestSuffix, "notbusybox" + digestSuffix, false],
  ["busybox:latest", "busybox" + digestSuffix, false],
  ["busybox" + digestSuffix, "busybox" + digestSuffixOther, false],
  ["busybox", "busybox:latest", false],
  ["busybox", "busybox" + digestSuffix, false],
  ["busybox", "busybox", false],
  ["busybox:latest" + digestSuffix, "busybox:latest" + digestSuffix, true],
  ["busybox:latest" + digestSuffix, "busybox:latest" + digestSuffixOther, false],
  ["busybox:latest" + digestSuffix, "busybox:notlatest" + digestSuffix, false],
  ["busybox:latest" + digestSuffix, "busybox" + digestSuffix, false],
  ["busybox:latest" + digestSuffix, "busybox:latest", false],
  ["UPPERCASE_IS_INVALID_IN_DOCKER_REFERENCES", "busybox:latest", false],
  ["", "UPPERCASE_IS_INVALID_IN_DOCKER_REFERENCES", false],
  ["INVALID", "INVALID", false],
];

const repositoryTable: Row[] = [
  ["busybox:latest", "busybox:latest", true],
  [fullRHELRef, fullRHELRef, true],
  ["busybox" + digestSuffix, "busybox" + digestSuffix, true],
  ["library/busybox:latest", "busybox:latest", true],
  ["docker.io/library/busybox:latest", "busybox:latest", true],
  ["library/busybox" + digestSuffix, "busybox" + digestSuffix, true],
  ["busybox:latest", "busybox:notlatest", true],
  [fullRHELRef + "tagsuffix", fullRHELRef, true],
  ["library/busybox:latest", "busybox:notlatest", true],
  ["busybox:latest", "library/busybox:notlatest", true],
  ["docker.io/library/busybox:notlatest", "busybox:latest", true],
  ["busybox:notlatest", "docker.io/library/busybox:latest", true],
  ["busybox:latest", "busybox" + digestSuffix, true],
  ["busybox" + digestSuffix, "busybox" + digestSuffixOther, true],
  ["busybox", "busybox:notlatest", true],
  [fullRHELRef, untaggedRHELRef, true],
  ["busybox", "busybox" + digestSuffix, true],
  ["library/busybox", "busybox", true],
  ["docker.io/library/busybox", "busybox", true],
  ["busybox:latest", "notbusybox:latest", false],
  ["hostname/library/busybox:latest", "busybox:notlatest", false],
  ["busybox:latest", fullRHELRef, false],
  ["busybox" + digestSuffix, "notbusybox" + digestSuffix, false],
  ["busybox:latest" + digestSuffix, "busybox:latest" + digestSuffix, true],
  ["busybox:latest" + digestSuffix, "busybox:latest" + digestSuffixOther, true],
  ["busybox:latest" + digestSuffix, "busybox:notlatest" + digestSuffix, true],
  ["busybox:latest" + digestSuffix, "busybox" + digestSuffix, true],
  ["busybox:latest" + digestSuffix, "busybox:latest", true],
  ["UPPERCASE_IS_INVALID_IN_DOCKER_REFERENCES", "busybox:latest", false],
  ["", "UPPERCASE_IS_INVALID_IN_DOCKER_REFERENCES", false],
  ["INVALID", "INVALID", false],
];

const repoDigestOrExactTable: Row[] = [
  ["busybox:latest", "busybox:notlatest", false],
  [fullRHELRef + "tagsuffix", fullRHELRef, false],
  ["library/busybox:latest", "busybox:notlatest", false],
  ["busybox:latest", "library/busybox:notlatest", false],
  ["docker.io/library/busybox:notlatest", "busybox:latest", false],
  ["busybox:notlatest", "docker.io/library/busybox:latest", false],
  ["busybox", "busybox:latest", false],
  ["busybox:latest", "busybox", false],
  ["busybox", "busybox" + digestSuffix, false],
  ["busybox" + digestSuffix, "busybox", false],
  [fullRHELRef, untaggedRHELRef, false],
  ["busybox", "busybox", false],
  ["busybox:latest", "busybox" + digestSuffix, false],
  ["busybox" + digestSuffix, "busybox:latest", true],
  ["busybox" + digestSuffix, "busybox" + digestSuffixOther, true],
  ["busybox:latest" + digestSuffix, "busybox:latest", false],
  ["busybox:latest" + digestSuffix, "busybox:notlatest", false],
  ["busybox:latest", "busybox:latest" + digestSuffix, false],
  ["busybox:latest" + digestSuffix, "busybox:latest" + digestSuffixOther, false],
  ["busybox:latest" + digestSuffix, "busybox:notlatest" + digestSuffixOther, false],
];

function ref(s: string): DockerReference | undefined {
  const r = parseNormalizedNamed(s);
  return r.ok ? r.ref : undefined;
}

/** Run a symmetric table for an image-relative rule (skipping rows whose image side is invalid, as upstream does). */
function symmetric(rule: IdentityMatch | undefined, rows: Row[], filter?: (r: boolean) => boolean): number {
  let n = 0;
  for (const [a, b, result] of rows) {
    if (filter && !filter(result)) continue;
    for (const [img, sig] of [
      [a, b],
      [b, a],
    ]) {
      const imageRef = ref(img);
      if (!imageRef) continue;
      expect(matchesIdentity(rule, imageRef, sig), `${rule?.type ?? "default"}: ${img} vs. ${sig}`).toBe(result);
      n++;
    }
  }
  return n;
}

describe("matchesIdentity (upstream policy_reference_match_test.go tables)", () => {
  it("matchExact", () => {
    expect(symmetric({ type: "matchExact" }, exactTable)).toBeGreaterThan(30);
    expect(matchesIdentity({ type: "matchExact" }, undefined, "")).toBe(false);
  });

  it("matchRepository", () => {
    expect(symmetric({ type: "matchRepository" }, repositoryTable)).toBeGreaterThan(40);
    expect(matchesIdentity({ type: "matchRepository" }, undefined, "busybox")).toBe(false);
  });

  it("matchRepoDigestOrExact, also as the default when signedIdentity is absent", () => {
    for (const rule of [{ type: "matchRepoDigestOrExact" } as IdentityMatch, undefined]) {
      symmetric(rule, exactTable, (r) => r);
      symmetric(rule, repositoryTable, (r) => !r);
      for (const [img, sig, result] of repoDigestOrExactTable)
        expect(matchesIdentity(rule, ref(img)!, sig), `${img} vs. ${sig}`).toBe(result);
    }
  });

  it("exactReference ignores the image and compares with the configured reference", () => {
    for (const [a, b, result] of exactTable) {
      expect(matchesIdentity({ type: "exactReference", dockerReference: a }, undefined, b), `${a} vs ${b}`).toBe(result);
      expect(matchesIdentity({ type: "exactReference", dockerReference: b }, undefined, a), `${b} vs ${a}`).toBe(result);
    }
  });

  it("exactRepository ignores the image and compares repositories", () => {
    for (const [a, b, result] of repositoryTable) {
      expect(matchesIdentity({ type: "exactRepository", dockerRepository: a }, undefined, b), `${a} vs ${b}`).toBe(result);
      expect(matchesIdentity({ type: "exactRepository", dockerRepository: b }, undefined, a), `${b} vs ${a}`).toBe(result);
    }
  });
});

describe("remapIdentity", () => {
  it("refMatchesPrefix", () => {
    const rows: [string, string, boolean][] = [
      ["docker.io/image", "docker.io", true],
      ["docker.io/image", "example.com", false],
      ["example.com:5000/image", "example.com:5000", true],
      ["example.com:50000/image", "example.com:5000", false],
      ["example.com:5000/image", "example.com", false],
      ["example.com/foo", "example.com", true],
      ["example.com/foo/bar", "example.com", true],
      ["example.com/foo/bar:baz", "example.com", true],
      ["example.com/foo/bar" + digestSuffix, "example.com", true],
      ["docker.io/ns/image", "docker.io/library", false],
      ["example.com/library", "docker.io/library", false],
      ["docker.io/libraryy/image", "docker.io/library", false],
      ["docker.io/library/busybox", "docker.io/library", true],
      ["example.com/ns/image", "example.com/ns", true],
      ["example.com/ns2/image", "example.com/ns", false],
      ["example.com/n2/image", "example.com/ns", false],
      ["example.com", "example.com/library/busybox", false],
      ["example.com:5000/ns/image", "example.com/ns", false],
      ["example.com/ns/image", "example.com:5000/ns", false],
      ["docker.io/library/busybox", "docker.io/library/busybox", true],
      ["example.com/library/busybox", "docker.io/library/busybox", false],
      ["docker.io/library/busybox2", "docker.io/library/busybox", false],
      ["example.com/ns/image", "example.com/ns/image", true],
      ["example.com/ns/imag2", "example.com/ns/image", false],
      ["example.com/ns/imagee", "example.com/ns/image", false],
      ["example.com:5000/ns/image", "example.com/ns/image", false],
      ["example.com/ns/image", "example.com:5000/ns/image", false],
      ["example.com/ns/image:tag", "example.com/ns/image", true],
      ["example.com/ns/image" + digestSuffix, "example.com/ns/image", true],
      ["example.com/ns/image:tag" + digestSuffix, "example.com/ns/image", true],
    ];
    for (const [r, prefix, want] of rows) expect(refMatchesPrefix(ref(r)!, prefix), `${r} vs ${prefix}`).toBe(want);
  });

  it("remapReference", () => {
    const rows: [string, string, string, string][] = [
      ["mirror.example", "vendor.example", "mirror.example/ns/image:tag", "vendor.example/ns/image:tag"],
      ["mirror.example", "vendor.example", "different.com/ns/image:tag", "different.com/ns/image:tag"],
      ["mirror.example/ns", "vendor.example/vendor-ns", "mirror.example/different-ns/image:tag", "mirror.example/different-ns/image:tag"],
      ["docker.io", "not-docker-signed.example/ns", "busybox", "not-docker-signed.example/ns/library/busybox"],
      ["example.com/mirror", "example.com/vendor", "example.com/mirror/image:tag", "example.com/vendor/image:tag"],
      ["example.com/ns/mirror", "example.com/ns/vendor", "example.com/ns/mirror:tag", "example.com/ns/vendor:tag"],
      ["mirror.example", "vendor.example", "prefixmirror.example/ns/image:tag", "prefixmirror.example/ns/image:tag"],
      ["docker.io", "not-docker-signed.example", "busybox", "not-docker-signed.example/library/busybox"],
      ["docker.io/library", "not-docker-signed.example/ns", "busybox", "not-docker-signed.example/ns/busybox"],
      ["docker.io/library/busybox", "not-docker-signed.example/ns/notbusybox", "busybox", "not-docker-signed.example/ns/notbusybox"],
      ["mirror.example", "vendor.example", "mirror.example/image", "vendor.example/image"],
      ["mirror.example", "vendor.example", "mirror.example/image" + digestSuffix, "vendor.example/image" + digestSuffix],
      ["mirror.example", "vendor.example", "mirror.example/image:tag" + digestSuffix, "vendor.example/image:tag" + digestSuffix],
      ["mirror.example/ns/image", "vendor.example:5000", "mirror.example/ns/image:tag", ""],
      ["mirror.example/ns/image", "vendor.example:5000", "mirror.example/ns/image" + digestSuffix, ""],
      ["mirror.example/ns/image", "notlocalhost", "mirror.example/ns/image:tag", ""],
    ];
    for (const [prefix, signedPrefix, r, want] of rows) {
      const got = remapReference(ref(r)!, prefix, signedPrefix);
      if (want === "") expect(got.ok, `${prefix} ${r}`).toBe(false);
      else {
        expect(got.ok, `${prefix} ${r}`).toBe(true);
        if (got.ok) expect(referenceString(got.ref)).toBe(want);
      }
    }
  });

  it("matchesIdentity with remapIdentity", () => {
    const rows: [string, string, string, string, boolean][] = [
      ["does-not-match.com", "does-not-match.rewritten", "busybox:latest", "busybox:latest", true],
      ["does-not-match.com", "does-not-match.rewritten", "busybox:latest", "notbusybox:latest", false],
      ["mirror.example", "public.com", "mirror.example/busybox:1", "public.com/busybox:1", true],
      ["mirror.example", "public.com", "mirror.example/busybox:1", "public.com/busybox:not1", false],
      ["mirror.example", "docker.io/library", "mirror.example/busybox:latest", "busybox:latest", true],
      ["mirror.example", "docker.io/library", "mirror.example/alpine:latest", "busybox:latest", false],
      ["docker.io/library", "original.com", "copied:latest", "original.com/copied:latest", true],
      ["docker.io/library", "original.com", "copied:latest", "original.com/ns/copied:latest", false],
      ["busybox", "example.com/busybox", "busybox:latest", "example.com/busybox:latest", false],
      ["docker.io/library/busybox", "busybox", "docker.io/library/busybox:latest", "busybox:latest", false],
      ["UPPERCASE", "example.com", "example.com/foo:latest", "example.com/foo:latest", true],
      ["example.com", "UPPERCASE", "example.com/foo:latest", "UPPERCASE/foo:latest", false],
    ];
    for (const [prefix, signedPrefix, img, sig, want] of rows)
      expect(matchesIdentity({ type: "remapIdentity", prefix, signedPrefix }, ref(img)!, sig), `${prefix}→${signedPrefix} ${img} vs ${sig}`).toBe(want);
    expect(matchesIdentity({ type: "remapIdentity", prefix: "docker.io", signedPrefix: "docker.io" }, undefined, "")).toBe(false);
  });
});

describe("explanations", () => {
  const busybox = ref("busybox")!;
  const tagged = ref("busybox:latest")!;
  const digested = ref("busybox" + digestSuffix)!;
  it("says what a signature must claim for each rule", () => {
    expect(explainIdentity(undefined, tagged)).toBe(
      "matchRepoDigestOrExact (the default): a signature must claim exactly docker.io/library/busybox:latest",
    );
    expect(expectedIdentity(undefined, digested)).toEqual({ kind: "repository", repository: "docker.io/library/busybox", nameOnlyOk: false });
    expect(expectedIdentity({ type: "matchExact" }, busybox).kind).toBe("none");
    expect(expectedIdentity({ type: "matchRepository" }, tagged)).toEqual({ kind: "repository", repository: "docker.io/library/busybox", nameOnlyOk: true });
    expect(expectedIdentity({ type: "exactReference", dockerReference: "quay.io/a/b:1" }, undefined)).toEqual({ kind: "exact", reference: "quay.io/a/b:1" });
    expect(expectedIdentity({ type: "exactRepository", dockerRepository: "quay.io/a/b:1" }, undefined)).toEqual({ kind: "repository", repository: "quay.io/a/b", nameOnlyOk: true });
    expect(expectedIdentity({ type: "matchRepository" }, undefined).kind).toBe("none");
    const remap = { type: "remapIdentity", prefix: "mirror.example", signedPrefix: "vendor.example" } as const;
    expect(expectedIdentity(remap, ref("mirror.example/ns/image:tag"))).toEqual({ kind: "exact", reference: "vendor.example/ns/image:tag" });
    expect(explainIdentity(remap, ref("mirror.example/ns/image:tag"))).toContain('remapped from "mirror.example" to "vendor.example"');
    expect(expectedIdentity({ type: "remapIdentity", prefix: "mirror.example/ns/image", signedPrefix: "notlocalhost" }, ref("mirror.example/ns/image:tag")).kind).toBe("none");
  });

  it("the expectation agrees with matchesIdentity", () => {
    const rules: IdentityMatch[] = [
      { type: "matchExact" },
      { type: "matchRepoDigestOrExact" },
      { type: "matchRepository" },
      { type: "remapIdentity", prefix: "docker.io", signedPrefix: "mirror.example" },
    ];
    for (const rule of rules)
      for (const img of ["busybox:latest", "busybox" + digestSuffix, "quay.io/a/b:v1", "busybox:1" + digestSuffix]) {
        const e = expectedIdentity(rule, ref(img));
        if (e.kind === "exact") expect(matchesIdentity(rule, ref(img), e.reference), `${rule.type} ${img}`).toBe(true);
        if (e.kind === "repository") {
          expect(matchesIdentity(rule, ref(img), e.repository + ":sometag"), `${rule.type} ${img}`).toBe(true);
          expect(matchesIdentity(rule, ref(img), e.repository), `${rule.type} ${img} name only`).toBe(e.nameOnlyOk);
        }
      }
  });
});
