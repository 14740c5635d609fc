/** Scope → pattern translation and the controllers' own matching (policy-controller glob.Match, Kyverno wildcard + GetImageInfo). */
import { describe, expect, it } from "vitest";
import {
  compilePolicyControllerGlob,
  kyvernoImageString,
  kyvernoPatterns,
  kyvernoWildcardMatch,
  policyControllerGlobMatch,
  policyControllerGlobs,
  policyControllerImageName,
  scopeShape,
} from "../../src/k8s/patterns.js";

const D = "sha256:" + "0123456789abcdef".repeat(4);

describe("policy-controller glob matching (pkg/apis/glob)", () => {
  it.each([
    ["ubuntu", "index.docker.io/library/ubuntu:latest"],
    ["docker.io/library/ubuntu:22.04", "index.docker.io/library/ubuntu:22.04"],
    ["myuser/app", "index.docker.io/myuser/app:latest"],
    ["ghcr.io/a/b@" + D, "ghcr.io/a/b@" + D],
    ["registry:5000/x/y:1", "registry:5000/x/y:1"],
  ])("ref.Name() of %s is %s", (image, name) => {
    expect(policyControllerImageName(image)).toBe(name);
  });

  it.each([
    ["ghcr.io/acme/**", "ghcr.io/acme/api:1", true],
    ["ghcr.io/acme/**", "ghcr.io/acme/x/y@" + D, true],
    ["ghcr.io/acme/**", "ghcr.io/acmex/api:1", false],
    ["ghcr.io/acme/**", "ghcr.io/acme:1", false],
    ["ghcr.io/acme:*", "ghcr.io/acme:1", true],
    ["ghcr.io/acme@*", "ghcr.io/acme@" + D, true],
    ["ghcr.io/acme/*", "ghcr.io/acme/x:1", true], // '*' crosses ':' (the tag is not a separator)
    ["ghcr.io/acme/*", "ghcr.io/acme/x/y:1", false],
    ["*", "ubuntu", true], // rewritten to index.docker.io/library/*
    ["*", "myuser/app", false],
    ["*/*", "myuser/app", true],
    ["index.docker.io/library/ubuntu", "ubuntu", false], // the tag is part of the name
    ["index.docker.io/library/ubuntu:**", "ubuntu", true],
    ["ubuntu:*", "ubuntu:1", true], // fallback: the original, non-qualified string
    ["*.quay.io/**", "a.b.quay.io/x:1", true],
    ["*.quay.io/**", "quay.io/x:1", false],
    ["*.quay.io/**", "a.quay.io:443/x:1", false],
    ["*.quay.io:*/**", "a.quay.io:443/x:1", true],
    ["a+b/**", "a/b:1", false], // invalid glob
  ])("glob %s vs %s → %s", (glob, image, match) => {
    expect(policyControllerGlobMatch(glob, image)).toBe(match);
  });

  it("rejects characters outside upstream's validGlob", () => {
    expect(compilePolicyControllerGlob("a b")).toBeUndefined();
    expect(compilePolicyControllerGlob("ghcr.io/a/**")).toBeInstanceOf(RegExp);
  });
});

describe("Kyverno image strings and wildcards", () => {
  it.each([
    ["nginx", "docker.io/nginx:latest"],
    ["docker.io/library/nginx:1", "docker.io/library/nginx:1"],
    ["myuser/app:1", "docker.io/myuser/app:1"],
    ["localhost/x", "localhost/x:latest"],
    ["registry:5000/x", "registry:5000/x:latest"],
    ["ghcr.io/a/b:1@" + D, "ghcr.io/a/b@" + D],
  ])("GetImageInfo(%s).String() is %s", (image, s) => {
    expect(kyvernoImageString(image)).toBe(s);
  });

  it.each([
    ["registry.acme.example/*", "registry.acme.example/a/b:1", true],
    ["registry.acme.example/*", "registry.acme.example.evil/a:1", false],
    ["ghcr.io/a?c:1", "ghcr.io/abc:1", true],
    ["ghcr.io/a?c:1", "ghcr.io/ac:1", false],
    ["*", "anything/at/all:1", true],
  ])("wildcard %s vs %s → %s", (pattern, name, match) => {
    expect(kyvernoWildcardMatch(pattern, name)).toBe(match);
  });
});

describe("scope patterns", () => {
  it("classifies scopes", () => {
    expect(scopeShape("quay.io").kind).toBe("host");
    expect(scopeShape("quay.io:5000").kind).toBe("host");
    expect(scopeShape("*.quay.io").kind).toBe("wildcardHost");
    expect(scopeShape("quay.io:5000/a/b").kind).toBe("repository");
    expect(scopeShape("quay.io:5000/a/b:1").kind).toBe("tag");
    expect(scopeShape("quay.io/a@" + D).kind).toBe("digest");
  });

  it("spells Docker Hub index.docker.io for policy-controller and has no glob for tags", () => {
    expect(policyControllerGlobs("docker.io/library/alpine")).toEqual(["index.docker.io/library/alpine/**", "index.docker.io/library/alpine:*", "index.docker.io/library/alpine@*"]);
    expect(policyControllerGlobs("docker.io")).toEqual(["index.docker.io/**"]);
    expect(policyControllerGlobs("quay.io/a:1")).toEqual([]);
    expect(kyvernoPatterns("docker.io")).toEqual(["docker.io/*", "index.docker.io/*"]);
  });

  it("gives Kyverno every Docker Hub spelling", () => {
    const p = kyvernoPatterns("docker.io/library/alpine");
    for (const image of ["alpine:3", "docker.io/library/alpine:3", "index.docker.io/library/alpine@" + D]) {
      expect(p.some((x) => kyvernoWildcardMatch(x, kyvernoImageString(image)!))).toBe(true);
    }
    for (const image of ["alpine", "docker.io/alpine", "library/alpine:3", "index.docker.io/alpine@" + D]) expect(p.some((x) => kyvernoWildcardMatch(x, kyvernoImageString(image)!)), image).toBe(true);
    for (const image of ["alpinex:3", "someone/alpine:3", "quay.io/library/alpine:3"]) expect(p.some((x) => kyvernoWildcardMatch(x, kyvernoImageString(image)!)), image).toBe(false);
  });
});
