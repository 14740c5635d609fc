/**
 * The hostile list cases of network-limits.test.ts against skopeo 1.9.3 (containers/image 5.23.1): the runtime
 * fails the pull of a list whose instance "digest" is not a valid digest (fetched by tag, then "Manifest does not
 * match provided manifest digest …"; a non-string does not parse) even under an accept policy; imagetrust denies
 * the same references without fetching anything by the invalid digest.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeHost } from "../../src/host/node-host.js";
import { verifyImage } from "../../src/verify/verify-image.js";
import { skopeoAvailable, skopeoCopyVerdict } from "../harness/skopeo.js";
import { policyIR, policyJson, R } from "../simulate/policy-builder.js";
import { imageManifest, OCI_INDEX, OCI_MANIFEST, serveManifest, startHostileServer, type HostileServer } from "./hostile-server.js";

const ci = process.env.CI === "true";

describe.skipIf(!skopeoAvailable() && !ci)("invalid instance digests vs skopeo", () => {
  let s: HostileServer;
  beforeAll(async () => {
    s = await startHostileServer();
    s.routes.set("/v2/", { headers: { "Content-Type": "application/json" }, body: "{}" });
  });
  afterAll(() => s.close());

  // [name, digest, what skopeo says]: it fetches "latest" as a tag (and the manifest then fails the digest check).
  const cases: [string, unknown, string][] = [
    ["latest", "latest", "Manifest does not match provided manifest digest latest"],
    ["a number", 42, "json: cannot unmarshal number into Go struct field Descriptor.manifests.digest of type digest.Digest"],
    ["a short sha256", "sha256:abc", "reading manifest sha256:abc in"],
    ["an unknown algorithm", "md5:d41d8cd98f00b204e9800998ecf8427e", "reading manifest md5:d41d8cd98f00b204e9800998ecf8427e in"],
  ];
  it.each(cases)("instance digest %s: skopeo fails the pull, imagetrust denies", async (_name, digest, upstream) => {
    const repo = `bad/d${cases.findIndex((c) => c[1] === digest)}`;
    serveManifest(s, repo, "latest", imageManifest(2), OCI_MANIFEST);
    const list = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: OCI_MANIFEST, digest, size: 100, platform: { os: "linux", architecture: "amd64" } }] }),
    );
    serveManifest(s, repo, "v1", list, OCI_INDEX);
    const ref = `docker://${s.host}/${repo}:v1`;
    const sk = await skopeoCopyVerdict(policyJson({ default: [R.accept] }), ref, { srcTlsVerify: false });
    expect(sk.allowed, sk.stderr).not.toBe(true);
    expect(sk.fatal).toContain(upstream);
    const r = await verifyImage({ host: nodeHost(), policy: policyIR({ default: [R.accept] }), ref, online: { tlsVerify: false, platform: "linux/amd64", env: {} } });
    expect(r.verdict).toBe("deny");
    expect(r.error).toContain("[IT5704]");
  });
});
