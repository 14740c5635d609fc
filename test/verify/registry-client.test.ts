/** Registry client pieces: auth.json lookup, WWW-Authenticate parsing, list instance selection. */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { nodeHost } from "../../src/host/node-host.js";
import { credentialsFor, isManifestList, listInstances, parseChallenge, registryHost } from "../../src/verify/registry-client.js";
import { makeTempDir } from "../harness/skopeo.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("credentialsFor", () => {
  it("reads auth.json in upstream's order, most specific key first", () => {
    const home = makeTempDir("home-");
    const runtime = makeTempDir("run-");
    fs.mkdirSync(path.join(home, ".config", "containers"), { recursive: true });
    fs.mkdirSync(path.join(runtime, "containers"), { recursive: true });
    fs.writeFileSync(
      path.join(home, ".config", "containers", "auth.json"),
      JSON.stringify({ auths: { "quay.io": { auth: b64("host:pw") }, "quay.io/acme": { auth: b64("ns:pw") }, "docker.io": { auth: b64("hub:pw:with:colons") } } }),
    );
    const ref = (domain: string, p: string) => ({ domain, path: p });
    expect(credentialsFor(ref("quay.io", "acme/app"), { host: nodeHost(), home, env: {} })).toEqual({ username: "ns", password: "pw" });
    expect(credentialsFor(ref("quay.io", "other/app"), { host: nodeHost(), home, env: {} })).toEqual({ username: "host", password: "pw" });
    expect(credentialsFor(ref("docker.io", "library/busybox"), { host: nodeHost(), home, env: {} })).toEqual({ username: "hub", password: "pw:with:colons" });
    expect(credentialsFor(ref("example.com", "x"), { host: nodeHost(), home, env: {} })).toBeUndefined();
    // $XDG_RUNTIME_DIR/containers/auth.json comes before ~/.config.
    fs.writeFileSync(path.join(runtime, "containers", "auth.json"), JSON.stringify({ auths: { "quay.io": { auth: b64("rt:pw") } } }));
    expect(credentialsFor(ref("quay.io", "other/app"), { host: nodeHost(), home, env: { XDG_RUNTIME_DIR: runtime } })).toEqual({ username: "rt", password: "pw" });
    // ~/.docker/config.json as the last resort; an explicit file replaces the search.
    const explicit = path.join(makeTempDir("a-"), "auth.json");
    fs.writeFileSync(explicit, JSON.stringify({ auths: { "https://example.com": { auth: b64("e:p") } } }));
    expect(credentialsFor(ref("example.com", "x"), { host: nodeHost(), authFile: explicit })).toEqual({ username: "e", password: "p" });
  });
});

describe("parseChallenge / hosts / lists", () => {
  it("parses bearer challenges", () => {
    expect(parseChallenge('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"')).toEqual({
      scheme: "bearer",
      params: { realm: "https://auth.example/token", service: "registry.example", scope: "repository:a/b:pull" },
    });
    expect(parseChallenge('Basic realm="x"')).toEqual({ scheme: "basic", params: { realm: "x" } });
    expect(parseChallenge(undefined)).toBeUndefined();
  });
  it("maps docker.io and selects list instances by platform", () => {
    expect(registryHost("docker.io")).toBe("registry-1.docker.io");
    expect(registryHost("quay.io:443")).toBe("quay.io:443");
    expect(isManifestList("application/vnd.oci.image.index.v1+json")).toBe(true);
    expect(isManifestList("application/vnd.oci.image.manifest.v1+json")).toBe(false);
    const list = Buffer.from(
      JSON.stringify({
        manifests: [
          { digest: "sha256:a", platform: { os: "linux", architecture: "arm", variant: "v6" } },
          { digest: "sha256:b", platform: { os: "linux", architecture: "arm", variant: "v7" } },
          { digest: "sha256:c", platform: { os: "linux", architecture: "amd64" } },
        ],
      }),
    );
    expect(listInstances(list).map((m) => m.digest)).toEqual(["sha256:a", "sha256:b", "sha256:c"]);
    expect(listInstances(list, "linux/arm/v7").map((m) => m.digest)).toEqual(["sha256:b"]);
    expect(listInstances(list, "linux/amd64").map((m) => m.digest)).toEqual(["sha256:c"]);
    expect(listInstances(list, "windows/amd64")).toEqual([]);
  });
});
