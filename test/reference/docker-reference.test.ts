import { describe, expect, it } from "vitest";
import {
  familiarString,
  isValidDomain,
  parseNamed,
  parseNormalizedNamed,
  referenceName,
  referenceString,
  tagNameOnly,
  validateDigest,
  validateRemapPrefix,
} from "../../src/reference/docker-reference.js";

const HEX64 = "0123456789abcdef".repeat(4);

function norm(s: string): string {
  const r = parseNormalizedNamed(s);
  return r.ok ? referenceString(r.ref) : "ERR " + r.error;
}

describe("parseNormalizedNamed (Appendix A)", () => {
  it.each([
    ["busybox", "docker.io/library/busybox"],
    ["busybox:latest", "docker.io/library/busybox:latest"],
    ["library/busybox", "docker.io/library/busybox"],
    ["index.docker.io/busybox", "docker.io/library/busybox"],
    ["docker.io/foo/bar", "docker.io/foo/bar"],
    ["quay.io/org/repo:v1", "quay.io/org/repo:v1"],
    ["localhost/foo", "localhost/foo"],
    ["localhost:5000/a/b:t", "localhost:5000/a/b:t"],
    ["EXAMPLE.com/foo:tag", "EXAMPLE.com/foo:tag"],
    [`busybox@sha256:${HEX64}`, `docker.io/library/busybox@sha256:${HEX64}`],
    [`busybox:v1@sha256:${HEX64}`, `docker.io/library/busybox:v1@sha256:${HEX64}`],
    ["a__b/c-----d", "docker.io/a__b/c-----d"],
    ["myregistry:5000", "docker.io/library/myregistry:5000"],
    ["localhost", "docker.io/library/localhost"],
  ])("%s → %s", (input, expected) => {
    expect(norm(input)).toBe(expected);
  });

  it.each([
    ["", "invalid reference format"],
    ["Busybox", "invalid reference format: repository name must be lowercase"],
    ["busybox:Tag", "docker.io/library/busybox:Tag"],
    [HEX64, `invalid repository name (${HEX64}), cannot specify 64-byte hexadecimal strings`],
    ["busybox@sha256:abc", "invalid reference format"],
    [`busybox@sha256:${"0".repeat(63)}00`, "invalid checksum digest length"],
    [`busybox@sha256:${"A".repeat(64)}`, "invalid checksum digest format"],
    [`busybox@md5:${"0".repeat(32)}`, "unsupported digest algorithm"],
    [`busybox@Sha256:${"0".repeat(64)}`, "invalid reference format: repository name must be lowercase"],
    [`busybox:t@Sha256:${"0".repeat(64)}`, "invalid checksum digest format"],
    ["a".repeat(300), "repository name must not be more than 255 characters"],
    ["A_B.com/foo", "repository name must be lowercase"],
    ["foo.com/", "invalid reference format"],
    ["-foo", "invalid reference format"],
    ["foo//bar", "invalid reference format"],
    ["foo:bar:baz", "invalid reference format"],
  ])("%s → %s", (input, expected) => {
    expect(norm(input).replace(/^ERR /, "")).toBe(expected);
  });

  it("keeps a first component that is no domain as part of the path, as Go does", () => {
    const r = parseNormalizedNamed("a_b.com/foo");
    expect(r.ok && r.ref).toEqual({ domain: "", path: "a_b.com/foo" });
  });

  it("does not blow up on long ambiguous inputs", () => {
    const t0 = Date.now();
    expect(norm("a".repeat(5000) + "!")).toBe("ERR invalid reference format");
    expect(norm("a-".repeat(2000) + "/")).toBe("ERR invalid reference format");
    expect(Date.now() - t0).toBeLessThan(500);
  });
});

describe("rendering", () => {
  it("familiarString drops docker.io and library/", () => {
    const f = (s: string) => {
      const r = parseNormalizedNamed(s);
      if (!r.ok) throw new Error(r.error);
      return familiarString(tagNameOnly(r.ref));
    };
    expect(f("busybox")).toBe("busybox:latest");
    expect(f("docker.io/library/busybox:1")).toBe("busybox:1");
    expect(f("docker.io/library/a/b")).toBe("library/a/b:latest");
    expect(f("docker.io/foo/bar")).toBe("foo/bar:latest");
    expect(f("quay.io/library/x")).toBe("quay.io/library/x:latest");
  });
  it("referenceName is domain/path", () => {
    const r = parseNormalizedNamed("quay.io/a/b:c");
    expect(r.ok && referenceName(r.ref)).toBe("quay.io/a/b");
  });
});

describe("parseNamed (canonical only)", () => {
  it.each([
    ["docker.io/library/busybox:latest", "docker.io/library/busybox:latest"],
    ["busybox", "ERR repository name must be canonical"],
    ["docker.io/busybox", "ERR repository name must be canonical"],
    ["notlocalhost:tag", "ERR repository name must be canonical"],
    [`vendor.example:5000@sha256:${HEX64}`, "ERR repository name must be canonical"],
  ])("%s", (input, expected) => {
    const r = parseNamed(input);
    expect(r.ok ? referenceString(r.ref) : "ERR " + r.error).toBe(expected);
  });
});

describe("validateDigest", () => {
  it.each([
    [`sha256:${HEX64}`, undefined],
    [`sha384:${"a".repeat(96)}`, undefined],
    [`sha512:${"a".repeat(128)}`, undefined],
    ["sha256:", "invalid checksum digest format"],
    [":abc", "invalid checksum digest format"],
    ["sha256", "invalid checksum digest format"],
    ["sha256:abc", "invalid checksum digest length"],
    ["foo:bar", "unsupported digest algorithm"],
    ["Foo:bar", "invalid checksum digest format"],
    ["constructor:bar", "unsupported digest algorithm"],
  ])("%s", (input, expected) => {
    expect(validateDigest(input)).toBe(expected);
  });
});

describe("remapIdentity prefixes (§1.5)", () => {
  it.each([
    "localhost",
    "example.com",
    "example.com:80",
    "example.com/repo",
    "example.com:80/ns1/ns2/repo.with.dots-dashes_underscores",
    "shortname",
    "ns/shortname",
    "UPPERCASE",
  ])("valid: %s", (p) => expect(validateRemapPrefix(p)).toBe(true));
  it.each([
    "",
    "repo_with_underscores",
    "example.com/",
    "example.com/UPPERCASEISINVALID",
    "example.com/repo/",
    "example.com/repo:tag",
    `example.com/repo@sha256:${HEX64}`,
  ])("invalid: %s", (p) => expect(validateRemapPrefix(p)).toBe(false));
  it("isValidDomain", () => {
    expect(isValidDomain("a-b.c:5000")).toBe(true);
    expect(isValidDomain("a-.c")).toBe(false);
    expect(isValidDomain("a:")).toBe(false);
  });
});
