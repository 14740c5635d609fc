/** regions.ts: a reference is built for every region that has one, confirmed by scope lookup; the rest are reasoned. */
import { describe, expect, it } from "vitest";
import { policyRegions } from "../../src/diff/regions.js";
import type { Policy } from "../../src/ir/types.js";

const STORE = "[overlay@/var/lib/containers/storage]";
const SCOPES: Record<string, string[]> = {
  docker: ["", "quay.io", "*.example.com", "quay.io/a/b:1", "quay.io/a@sha256:" + "a".repeat(64), "localhost:5000/x"],
  atomic: ["", "reg.example.com", "reg.example.com/ns", "reg.example.com/ns/stream", "reg.example.com/ns/stream:tag"],
  "containers-storage": ["", STORE, "[/var/lib/containers/storage]", `${STORE}docker.io/library/busybox:latest`, `${STORE}@${"b".repeat(64)}`, "[vfs@/s]busybox"],
  dir: ["", "/a", "/a/b"],
  oci: ["", "/o", "/o:r"],
  "oci-archive": ["", "/x.tar"],
  "docker-archive": [""],
  sif: ["", "/s"],
  tarball: [""],
  "docker-daemon": [""],
  ostree: ["", "/repo"],
  weird: [""],
};
const everything: Policy = {
  default: [{ type: "reject" }],
  transports: Object.entries(SCOPES).map(([name, ss]) => ({ name, scopes: ss.map((scope) => ({ scope, requirements: [{ type: "insecureAcceptAnything" }] })) })),
};
const rejectAll: Policy = { default: [{ type: "reject" }], transports: [] };

describe("policyRegions", () => {
  const regions = policyRegions(rejectAll, everything);
  it("has one region per transport × scope (with each transport's \"\") plus the global default", () => {
    expect(regions.length).toBe(Object.values(SCOPES).reduce((n, ss) => n + ss.length, 0) + 1);
    expect(regions.at(-1)).toMatchObject({ transport: null, scope: "", classification: "equal" });
  });
  it("builds a witness for every reachable region and reasons only where no reference can be built", () => {
    const reasoned = regions.filter((r) => r.witness === null).map((r) => `${r.transport} ${r.scope}`);
    // ostree: stub transport; weird: unknown transport; "[vfs@/s]busybox" names an un-normalised image and oci
    // "/o:r" an image within a layout: no reference's identity or namespaces are ever those strings.
    expect(reasoned).toEqual(["containers-storage [vfs@/s]busybox", "oci /o:r", "ostree ", "ostree /repo", "weird ", "null "]);
    for (const r of regions.filter((x) => x.transport !== null)) expect(r.new.decidedBy, `${r.transport} ${r.scope}`).toEqual({ transport: r.transport, scope: r.scope });
    expect(regions.find((r) => r.transport === "atomic" && r.scope === "")!.witness).toBe("atomic:imagetrust-region.invalid/region/region:latest");
  });
  it("within a region, the old policy is decided by its most specific enclosing scope", () => {
    const old: Policy = { default: [{ type: "reject" }], transports: [{ name: "dir", scopes: [{ scope: "/a", requirements: [{ type: "insecureAcceptAnything" }] }] }] };
    const neu: Policy = { default: [{ type: "reject" }], transports: [{ name: "dir", scopes: [{ scope: "/a", requirements: [{ type: "insecureAcceptAnything" }] }, { scope: "/a/b", requirements: [{ type: "reject" }] }] }] };
    const r = policyRegions(old, neu).find((x) => x.scope === "/a/b")!;
    expect(r).toMatchObject({ witness: "dir:/a/b", old: { decidedBy: { transport: "dir", scope: "/a" } }, classification: "tighter" });
  });
});
