import { describe, expect, it } from "vitest";
import { cleanPath, KNOWN_TRANSPORTS, registeredTransports, validatePolicyScope } from "../../src/reference/scopes.js";

const HEX64 = "0123456789abcdef".repeat(4);

describe("cleanPath = Go filepath.Clean", () => {
  it.each([
    ["", "."],
    ["/", "/"],
    ["//", "/"],
    ["/a/", "/a"],
    ["//a", "/a"],
    ["/a//b", "/a/b"],
    ["/a/./b", "/a/b"],
    ["/a/../b", "/b"],
    ["/..", "/"],
    ["/../a/..", "/"],
    ["a/../..", ".."],
    ["../../a", "../../a"],
    ["a/b/../../..", ".."],
    ["./", "."],
    ["abc/def/ghi/../jkl", "abc/def/jkl"],
    ["/a/b/c/./../../g", "/a/g"],
  ])("%s → %s", (p, expected) => expect(cleanPath(p)).toBe(expected));
});

describe("validatePolicyScope (§3.1)", () => {
  it("knows the newest transport set", () => {
    expect([...KNOWN_TRANSPORTS].sort()).toEqual(
      ["atomic", "containers-storage", "dir", "docker", "docker-archive", "docker-daemon", "oci", "oci-archive", "ostree", "sif", "tarball"],
    );
  });
  it.each([
    ["docker", "*", undefined],
    ["docker", " x", undefined],
    ["docker", "busybox", undefined],
    ["atomic", "h/ns/stream:tag", undefined],
    ["atomic", "*.x", undefined],
    ["atomic", "h/ns/stream/extra", "Invalid scope name h/ns/stream/extra"],
    ["atomic", "h/ns:tag", "Invalid scope name h/ns:tag"],
    ["atomic", "h/ns/stream:tag:x", "Invalid scope name h/ns/stream:tag:x"],
    ["docker-daemon", `sha256:${HEX64}`, `docker-daemon: can not use algo:digest value sha256:${HEX64} as a namespace`],
    ["docker-daemon", "sha256:abc", undefined],
    ["docker-daemon", "busybox", undefined],
    ["docker-archive", "x", `docker-archive: does not support any scopes except the default "" one`],
    ["docker-archive", "", undefined],
    ["tarball", "/x", `tarball: does not support any scopes except the default "" one`],
    ["dir", "/a/b", undefined],
    ["dir", "a/b", "Invalid scope a/b: Must be an absolute path"],
    ["dir", "/", `Invalid scope "/": Use the generic default scope ""`],
    ["dir", "/a/", "Invalid scope /a/: Uses non-canonical format, perhaps try /a"],
    ["sif", "//a", "Invalid scope //a: Uses non-canonical format, perhaps try /a"],
    ["sif", "/a/../b", "Invalid scope /a/../b: Uses non-canonical format, perhaps try /b"],
    ["oci", "/srv/oci/layout:tag", undefined],
    ["oci", "rel", "Invalid scope rel: must be an absolute path"],
    ["oci-archive", "/", `Invalid scope "/": Use the generic default scope ""`],
    ["oci-archive", "/a/./b", "Invalid scope /a/./b: Uses non-canonical path format, perhaps try with path /a/b"],
    ["containers-storage", "[overlay@/a]", undefined],
    ["containers-storage", "[/a]", undefined],
    ["containers-storage", "[overlay@/a+/run]", undefined],
    ["containers-storage", "[overlay@/a:opt]busybox", undefined],
    ["containers-storage", "overlay@/a", "invalid reference"],
    ["containers-storage", "[", "invalid reference"],
    ["containers-storage", "[]", "invalid reference"],
    ["containers-storage", "[@/a]", "invalid reference"],
    ["containers-storage", "[overlay@]", "invalid reference"],
    ["containers-storage", "[relative]", "path name is not absolute"],
    ["containers-storage", "[o@relative]", "path name is not absolute"],
    ["containers-storage", "[/a]x@badid", "badid is neither a valid digest(invalid checksum digest format) nor a valid ID(invalid checksum digest length)"],
    ["containers-storage", `[/a]x@${HEX64}`, undefined],
    ["containers-storage", `[/a]x@sha256:${HEX64}`, undefined],
    ["containers-storage", `[/a]x@sha256:${HEX64}@${HEX64}`, undefined],
    ["containers-storage", `[/a]x@${HEX64}@${HEX64}`, "invalid checksum digest format"],
    ["containers-storage", `[/a]x@sha256:${HEX64}@abc`, "invalid checksum digest length"],
    ["ostree", "anything at all", undefined],
  ])("%s %j", (transport, scope, error) => {
    expect(validatePolicyScope(transport, scope)).toEqual(error === undefined ? { known: true } : { known: true, error });
  });
  it("Debian 12's build lacks atomic", () => {
    expect(registeredTransports({ debian: true })).not.toContain("atomic");
    expect(registeredTransports({ debian: true })).toHaveLength(KNOWN_TRANSPORTS.length - 1);
    expect(registeredTransports()).toContain("atomic");
  });
  it("unknown transports accept everything", () => {
    expect(validatePolicyScope("nosuch", "[")).toEqual({ known: false });
  });
});
