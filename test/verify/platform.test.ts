/** Which instance of a list a pull takes: containers/image 5.23.1 WantedPlatforms / MatchesPlatform / ChooseInstance, table-driven. */
import { describe, expect, it } from "vitest";
import { chooseInstance, parsePlatform, wantedPlatforms, type ListedInstance, type Platform } from "../../src/verify/platform.js";

const p = (s: string): Platform => parsePlatform(s)!;
const names = (ws: Platform[]) => ws.map((w) => [w.os, w.architecture, w.variant].join("/"));

describe("WantedPlatforms", () => {
  it.each([
    // [chosen, machine, wanted in order]
    [undefined, "linux/amd64", ["linux/amd64/"]],
    [undefined, "linux/arm64/v8", ["linux/arm64/v8", "linux/arm64/"]],
    [undefined, "linux/arm/v7", ["linux/arm/v7", "linux/arm/v6", "linux/arm/v5", "linux/arm/"]],
    // A chosen architecture does not take the machine's variant, and walks the compatibility list after "".
    ["linux/arm64", "linux/amd64", ["linux/arm64/", "linux/arm64/v8"]],
    ["linux/arm", "linux/arm64/v8", ["linux/arm/", "linux/arm/v8", "linux/arm/v7", "linux/arm/v6", "linux/arm/v5"]],
    ["linux/arm/v6", "linux/amd64", ["linux/arm/v6", "linux/arm/v5", "linux/arm/"]],
    ["linux/riscv64/rva23", "linux/amd64", ["linux/riscv64/rva23", "linux/riscv64/"]],
  ] as const)("--platform %s on %s", (chosen, machine, wanted) => {
    expect(names(wantedPlatforms(chosen ? p(chosen) : undefined, p(machine)))).toEqual(wanted);
  });
});

describe("ChooseInstance", () => {
  const list: ListedInstance[] = [
    { digest: "sha256:amd", platform: { os: "linux", architecture: "amd64" } },
    { digest: "sha256:v6", platform: { os: "linux", architecture: "arm", variant: "v6" } },
    { digest: "sha256:v7", platform: { os: "linux", architecture: "arm", variant: "v7" } },
    { digest: "sha256:arm64", platform: { os: "linux", architecture: "arm64", variant: "v8" } },
  ];
  it.each([
    ["linux/amd64", undefined, "sha256:amd"],
    ["linux/arm/v7", undefined, "sha256:v7"],
    ["linux/arm/v8", undefined, "sha256:v7"], // v8 not listed: the next compatible variant
    ["linux/arm/v5", undefined, null],
    ["linux/arm64/v8", undefined, "sha256:arm64"],
    ["linux/amd64", "linux/arm64", "sha256:arm64"], // --platform linux/arm64: "" first, then v8
    ["linux/amd64", "windows/amd64", null],
  ] as const)("machine %s, --platform %s → %s", (machine, chosen, digest) => {
    const r = chooseInstance(list, wantedPlatforms(chosen ? p(chosen) : undefined, p(machine)), false);
    expect(r.ok ? r.digest : null).toBe(digest);
  });
  it("an OCI index falls back to its first instance without a platform; a Docker list does not", () => {
    const bare: ListedInstance[] = [{ digest: "sha256:s390x", platform: { os: "linux", architecture: "s390x" } }, { digest: "sha256:any" }];
    const wanted = wantedPlatforms(undefined, p("linux/amd64"));
    expect(chooseInstance(bare, wanted, true)).toEqual({ ok: true, digest: "sha256:any" });
    expect(chooseInstance(bare, wanted, false)).toEqual({ ok: false, error: 'no image found in manifest list for architecture amd64, variant "", OS linux' });
    expect(chooseInstance([bare[0]], wanted, true)).toEqual({ ok: false, error: 'no image found in image index for architecture amd64, variant "", OS linux' });
  });
  it("parses os/arch[/variant] only", () => {
    expect(["linux", "linux/", "a/b/c/d", "/amd64"].map(parsePlatform)).toEqual([undefined, undefined, undefined, undefined]);
  });
});
