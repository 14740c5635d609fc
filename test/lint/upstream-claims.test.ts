/**
 * The claims rule messages make, checked against containers/image 5.23.1 itself (Go harness): which scope decides and
 * whether the image is allowed. Skipped when Go or the sources are missing (never under CI=true).
 */
import { describe, expect, it } from "vitest";
import { goEvaluate, goHarnessAvailable } from "../harness/go-harness.js";

const skip = !goHarnessAvailable() && process.env.CI !== "true";
const A = { type: "insecureAcceptAnything" };
const R = { type: "reject" };
const G = { type: "signedBy", keyType: "GPGKeys", keyPath: "/nonexistent.gpg" };
const DIGEST = "sha256:" + "a".repeat(64);

async function decide(policy: unknown, refs: string[]) {
  const r = await goEvaluate(JSON.stringify(policy), refs.map((reference) => ({ reference })));
  expect(r.policyError).toBeUndefined();
  return r.cases.map((c) => `${c.allowed ? "allow" : "deny"} ${c.scope ? `${c.scope.transport}:${JSON.stringify(c.scope.scope)}` : "default"}`);
}

describe.skipIf(skip)("lint rule claims agree with containers/image 5.23.1", () => {
  it("IT4009 weaker-carve-out: the accepting child scope decides; the signed parent is not consulted", async () => {
    const p = { default: [R], transports: { docker: { "quay.io/acme": [G], "quay.io/acme/tools": [A] } } };
    expect(await decide(p, ["docker://quay.io/acme/tools/x:1", "docker://quay.io/acme/app:1"])).toEqual([
      'allow docker:"quay.io/acme/tools"',
      'deny docker:"quay.io/acme"',
    ]);
  });
  it("IT4026 tag-scope: only that tag uses the scope; digest and other tags fall back", async () => {
    const p = { default: [R], transports: { docker: { "ghcr.io/acme/os:latest": [A] } } };
    expect(await decide(p, ["docker://ghcr.io/acme/os:latest", `docker://ghcr.io/acme/os@${DIGEST}`, "docker://ghcr.io/acme/os:v2"])).toEqual([
      'allow docker:"ghcr.io/acme/os:latest"',
      "deny default",
      "deny default",
    ]);
  });
  it("IT4023 registry-scope-under-docker-daemon: docker:// pulls ignore docker-daemon scopes", async () => {
    const p = { default: [A], transports: { "docker-daemon": { "docker.io/library/hello-world": [R] } } };
    expect(await decide(p, ["docker://docker.io/library/hello-world:latest", "docker-daemon:docker.io/library/hello-world:latest"])).toEqual([
      "allow default",
      'deny docker-daemon:"docker.io/library/hello-world"',
    ]);
  });
  it("IT4007 insecure-transport-default: every registry image not named is accepted", async () => {
    const p = { default: [R], transports: { docker: { "": [A], "quay.io/acme": [G] } } };
    expect(await decide(p, ["docker://example.org/anything:1"])).toEqual(['allow docker:""']);
  });
  it("IT4002 (namespace): docker.io/grafana covers grafana/grafana, not the library image", async () => {
    const p = { default: [R], transports: { docker: { "docker.io/grafana": [A] } } };
    expect(await decide(p, ["docker://grafana/grafana:1", "docker://docker.io/grafana:1"])).toEqual(['allow docker:"docker.io/grafana"', "deny default"]);
  });
  it("IT4027 scope-same-as-fallback: removing the scope changes no verdict", async () => {
    const refs = ["docker-daemon:docker.io/library/busybox:latest", "docker://quay.io/a/b/c:1", "docker://quay.io/a/x:1"];
    const withScopes = { default: [A], transports: { "docker-daemon": { "": [A] }, docker: { "quay.io/a": [G], "quay.io/a/b": [G] } } };
    const without = { default: [A], transports: { docker: { "quay.io/a": [G] } } };
    const strip = (xs: string[]) => xs.map((x) => x.split(" ")[0]);
    expect(strip(await decide(withScopes, refs))).toEqual(strip(await decide(without, refs)));
  });
});
