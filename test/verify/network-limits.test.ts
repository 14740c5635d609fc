/**
 * Registries and lookaside servers are untrusted (issue 17): list instances capped (IT5701), attachment layers
 * capped in number (IT5702) and total size (IT5703), response bodies capped as containers/image's iolimits caps
 * them, every digest validated before it is fetched by (IT5704) and fetched content checked against it, and one
 * total deadline per reference (IT5700, `--timeout`). Each case runs against a small hostile node:http server.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeHost } from "../../src/host/node-host.js";
import { parseNormalizedNamed } from "../../src/reference/docker-reference.js";
import { parseDuration } from "../../src/verify/limits.js";
import { RegistryClient } from "../../src/verify/registry-client.js";
import { verifyImage } from "../../src/verify/verify-image.js";
import { policyIR, R } from "../simulate/policy-builder.js";
import { imageManifest, OCI_INDEX, OCI_MANIFEST, serveManifest, sha256, startHostileServer, type HostileServer } from "./hostile-server.js";

let s: HostileServer;
beforeAll(async () => {
  s = await startHostileServer();
});
afterAll(() => s.close());

const online = { tlsVerify: false, home: "/nonexistent-home", env: {} };
const accept = policyIR({ default: [R.accept] });

function list(digests: unknown[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: digests.map((d, i) => ({ mediaType: OCI_MANIFEST, digest: d, size: 100, platform: { os: "linux", architecture: i === 0 ? "amd64" : `arch${i}` } })),
    }),
  );
}

function client(repo: string): RegistryClient {
  const ref = parseNormalizedNamed(`${s.host}/${repo}`);
  if (!ref.ok) throw new Error(ref.error);
  return new RegistryClient(ref.ref, { host: nodeHost(), ...online });
}

describe("manifest lists", () => {
  it("refuses a list of 1,000 instances without fetching any (IT5701); --platform reads one", async () => {
    const good = serveManifest(s, "huge/app", undefined, imageManifest(1), OCI_MANIFEST);
    serveManifest(s, "huge/app", "v1", list(Array.from({ length: 1000 }, () => good)), OCI_INDEX);
    const before = s.requests.length;
    const r = await verifyImage({ host: nodeHost(), policy: accept, ref: `docker://${s.host}/huge/app:v1`, online });
    expect(r.verdict).toBe("deny");
    expect(r.error).toContain("the manifest list has 1000 instances; imagetrust reads and decides at most 128");
    expect(r.error).toContain("[IT5701]");
    expect(s.requests.slice(before).filter((p) => p.includes(good))).toEqual([]);
    const one = await verifyImage({ host: nodeHost(), policy: accept, ref: `docker://${s.host}/huge/app:v1`, online: { ...online, platform: "linux/amd64" } });
    expect(one.verdict).toBe("allow");
    expect(one.instances?.map((i) => i.digest)).toEqual([good]);
  });

  it("never fetches an instance by an invalid digest ('latest' would be a tag) and denies under an accept policy (IT5704)", async () => {
    // The tag `latest` serves a manifest: fetching by the instance "digest" would find it.
    serveManifest(s, "bad/app", "latest", imageManifest(2), OCI_MANIFEST);
    for (const [digest, why] of [
      ["latest", "invalid checksum digest format"],
      ["sha256:abc", "invalid checksum digest length"],
      ["md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported digest algorithm"],
      ["sha256:" + "A".repeat(64), "invalid checksum digest format"],
    ] as const) {
      serveManifest(s, "bad/app", "v1", list([digest]), OCI_INDEX);
      const before = s.requests.length;
      const r = await verifyImage({ host: nodeHost(), policy: accept, ref: `docker://${s.host}/bad/app:v1`, online });
      expect(r.verdict, digest).toBe("deny");
      expect(r.error).toBe(`invalid instance digest ${JSON.stringify(digest)}: ${why} [IT5704]`);
      expect(s.requests.slice(before)).not.toContain("/v2/bad/app/manifests/latest");
    }
  });

  it("a digest that is not a string is a coded parse error, not a TypeError", async () => {
    for (const d of [42, null, { a: 1 }]) {
      serveManifest(s, "bad/num", "v1", list([d]), OCI_INDEX);
      const r = await verifyImage({ host: nodeHost(), policy: accept, ref: `docker://${s.host}/bad/num:v1`, online });
      expect(r.verdict).toBe("deny");
      expect(r.error).toMatch(/^parsing manifest list: instance 1 has a "digest" that is not a string \((number|null|object)\) \[IT5704\]$/);
      expect(r.error).not.toContain("TypeError");
    }
  });

  it("content fetched by digest must match it", async () => {
    const real = imageManifest(3);
    const claimed = sha256("something else");
    s.routes.set(`/v2/lie/app/manifests/${claimed}`, { headers: { "Content-Type": OCI_MANIFEST }, body: real });
    serveManifest(s, "lie/app", "v1", list([claimed]), OCI_INDEX);
    const r = await verifyImage({ host: nodeHost(), policy: accept, ref: `docker://${s.host}/lie/app:v1`, online });
    expect(r.verdict).toBe("deny");
    expect(r.error).toBe(`Manifest does not match provided manifest digest ${claimed}`);
  });

  it("a manifest over iolimits.MaxManifestBodySize (4 MiB) is refused with upstream's text", async () => {
    s.routes.set("/v2/big/app/manifests/v1", { headers: { "Content-Type": OCI_MANIFEST }, body: Buffer.alloc(4 * 1024 * 1024 + 1, 0x20) });
    await expect(client("big/app").manifest("v1")).rejects.toThrow("exceeded maximum allowed size of 4194304 bytes");
  });
});

describe("sigstore attachments", () => {
  const attachments = (repo: string, digest: string, layers: { digest: string; size: number }[]) =>
    serveManifest(
      s,
      repo,
      digest.replace(":", "-") + ".sig",
      Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha256("{}"), size: 2 }, layers: layers.map((l) => ({ mediaType: "application/vnd.dev.cosign.simplesigning.v1+json", ...l })) })),
      OCI_MANIFEST,
    );

  it("refuses 1,000 layers without fetching one (IT5702)", async () => {
    const d = sha256("image");
    attachments("att/many", d, Array.from({ length: 1000 }, (_, i) => ({ digest: sha256(`l${i}`), size: 4 * 1024 * 1024 })));
    const before = s.requests.length;
    await expect(client("att/many").sigstoreAttachments(d)).rejects.toThrow(/lists 1000 layers; imagetrust reads at most 128 \[IT5702\]$/);
    expect(s.requests.slice(before).filter((p) => p.includes("/blobs/"))).toEqual([]);
  });

  it("stops at 32 MiB in total even when the layers claim to be small (IT5703)", async () => {
    const layers: { digest: string; size: number }[] = [];
    // 3 MiB each, each claiming 1 byte: the 11th (30 MiB read) is cut at the 2 MiB left.
    for (let i = 0; i < 12; i++) {
      const blob = Buffer.alloc(3 * 1024 * 1024, i);
      const d = "sha256:" + createHash("sha256").update(blob).digest("hex");
      s.routes.set(`/v2/att/big/blobs/${d}`, { body: blob });
      layers.push({ digest: d, size: 1 });
    }
    const d = sha256("image2");
    attachments("att/big", d, layers);
    const before = s.requests.length;
    await expect(client("att/big").sigstoreAttachments(d)).rejects.toThrow(/its layers exceed 33554432 bytes in total \(at layer 11 of 12\) \[IT5703\]$/);
    expect(s.requests.slice(before).filter((p) => p.includes("/blobs/")).length).toBe(11);
  });

  it("validates layer digests and checks the blob against them", async () => {
    const d = sha256("image3");
    attachments("att/bad", d, [{ digest: "sha256:../../etc", size: 1 }]);
    await expect(client("att/bad").sigstoreAttachments(d)).rejects.toThrow('invalid blob digest "sha256:../../etc": invalid checksum digest length [IT5704]');
    const claimed = sha256("payload");
    s.routes.set(`/v2/att/lie/blobs/${claimed}`, { body: "other payload" });
    attachments("att/lie", d, [{ digest: claimed, size: 7 }]);
    await expect(client("att/lie").sigstoreAttachments(d)).rejects.toThrow(`blob ${claimed} does not match its digest (got ${sha256("other payload")})`);
  });
});

describe("one deadline per reference (--timeout)", () => {
  it("parses Go durations", () => {
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("1m30s")).toBe(90_000);
    expect(parseDuration("1.5m")).toBe(90_000);
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("2h")).toBe(7_200_000);
    for (const bad of ["", "30", "s", "-1s", "1x", "1s2"]) expect(parseDuration(bad), bad).toBeUndefined();
  });

  it("a registry that never answers: the reference's deadline, not 30 s per request (IT5700)", async () => {
    s.routes.set("/v2/slow/app/manifests/v1", { hang: true });
    const t0 = Date.now();
    const r = await verifyImage({ host: nodeHost(), policy: accept, ref: `docker://${s.host}/slow/app:v1`, online, http: { totalTimeoutMs: 800 } });
    const took = Date.now() - t0;
    expect(r.verdict).toBe("deny");
    expect(r.error).toBe(
      `Get "http://${s.host}/v2/slow/app/manifests/v1": the total deadline of 800ms for reading this image from its registry and lookaside was reached (--timeout) [IT5700]`,
    );
    expect(took).toBeLessThan(3000);
  });

  it("many slow lookaside signatures share one deadline", async () => {
    const image = imageManifest(9);
    const d = serveManifest(s, "slowsig/app", "v1", image, OCI_MANIFEST);
    // Each signature answers after 150 ms; 128 of them would take 19 s.
    s.routes.set(`/sigs/slowsig/app@sha256=${d.slice(7)}/*`, { delayMs: 150, body: Buffer.from([0xa3, 0x01, 0x02]) });
    const { loadRegistriesDFromText } = await import("./registries-d-text.js");
    const registriesD = loadRegistriesDFromText(`default-docker:\n  lookaside: http://${s.host}/sigs\n`);
    const t0 = Date.now();
    const r = await verifyImage({
      host: nodeHost(),
      policy: policyIR({ default: [R.signedBy] }),
      registriesD,
      ref: `docker://${s.host}/slowsig/app:v1`,
      online,
      http: { totalTimeoutMs: 1000 },
    });
    const took = Date.now() - t0;
    expect(r.verdict).toBe("deny");
    expect(r.error).toMatch(/the total deadline of 1s for reading this image from its registry and lookaside was reached \(--timeout\) \[IT5700\]$/);
    expect(took).toBeLessThan(4000);
    const sigRequests = s.requests.filter((p) => p.startsWith("/sigs/slowsig/")).length;
    expect(sigRequests).toBeGreaterThan(1);
    expect(sigRequests).toBeLessThan(20);
  });
});
