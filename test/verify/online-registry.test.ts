/**
 * `--online`: the manifest, list instances and sigstore attachments come from a live registry (Debian's
 * docker-registry on 127.0.0.1, started here), lookaside signatures per registries.d. Verdicts are compared with
 * skopeo 1.9.3 pulling the same reference with the same registries.d; a token-protected proxy checks bearer auth
 * with credentials from an auth.json.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyImage } from "../../src/verify/verify-image.js";
import { nodeHost } from "../../src/host/node-host.js";
import {
  makeDirImage,
  makeTempDir,
  pushDirImage,
  registryAvailable,
  runSkopeo,
  skopeoAvailable,
  skopeoCopyVerdict,
  startRegistry,
  type LocalRegistry,
} from "../harness/skopeo.js";
import { policyIR, policyJson, type PolicySpec } from "../simulate/policy-builder.js";
import { genKey, gnupgHome, skopeoSign, type TestKey } from "./gpg-helpers.js";
import { cosignPayload, cosignSign, keyPair } from "./sigstore-helpers.js";
import { pushSigTag, putManifest } from "./bundle-helpers.js";
import { registriesDFromText as registriesD } from "./registries-d-text.js";

const ci = process.env.CI === "true";



describe.skipIf((!skopeoAvailable() || !registryAvailable()) && !ci)("--online against a local registry", () => {
  let registry: LocalRegistry;
  let host: string;
  let key: TestKey;
  let lookaside: string;
  let digestV1: string;
  let armDigest: string;
  let amdDigest: string;
  const cosign = keyPair("p256");

  beforeAll(async () => {
    registry = await startRegistry();
    host = registry.url;
    key = genKey(gnupgHome(), "Online Signer <o@example.com>");
    lookaside = makeTempDir("online-lookaside-");
    const sign = async (repo: string, digest: string, manifest: Buffer, identity: string) => {
      const d = path.join(lookaside, repo + "@sha256=" + digest.slice(7));
      fs.mkdirSync(d, { recursive: true });
      const n = fs.readdirSync(d).length;
      fs.writeFileSync(path.join(d, `signature-${n + 1}`), await skopeoSign(key, manifest, identity));
    };
    // A single image, signed in the lookaside.
    const img = makeDirImage(makeTempDir("o1-"));
    await pushDirImage(img.dir, registry, "acme/app:v1");
    digestV1 = img.manifestDigest;
    await sign("acme/app", digestV1, img.manifest, `${host}/acme/app:v1`);
    // A sigstore attachment for it.
    const payload = cosignPayload(digestV1, `${host}/acme/app`);
    await pushSigTag(host, "acme/app", digestV1, {
      mediaType: "application/vnd.dev.cosign.simplesigning.v1+json",
      data: payload,
      annotations: { "dev.cosignproject.cosign/signature": cosignSign(cosign.privateKey, payload).toString("base64") },
    });
    // A two-platform index; only the arm64 instance is signed.
    const arm = makeDirImage(makeTempDir("arm-"), { config: '{"architecture":"arm64","os":"linux"}' });
    const amd = makeDirImage(makeTempDir("amd-"), { config: '{"architecture":"amd64","os":"linux"}' });
    await pushDirImage(arm.dir, registry, "acme/multi:arm64");
    await pushDirImage(amd.dir, registry, "acme/multi:amd64");
    armDigest = arm.manifestDigest;
    amdDigest = amd.manifestDigest;
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.docker.distribution.manifest.list.v2+json",
        manifests: [
          { mediaType: "application/vnd.docker.distribution.manifest.v2+json", size: amd.manifest.length, digest: amdDigest, platform: { architecture: "amd64", os: "linux" } },
          { mediaType: "application/vnd.docker.distribution.manifest.v2+json", size: arm.manifest.length, digest: armDigest, platform: { architecture: "arm64", os: "linux" } },
        ],
      }),
    );
    await putManifest(host, "acme/multi", "latest", index, "application/vnd.docker.distribution.manifest.list.v2+json");
    await sign("acme/multi", armDigest, arm.manifest, `${host}/acme/multi:latest`);
  }, 120_000);
  afterAll(async () => {
    await registry?.stop();
  });

  const gpgPolicy = (): PolicySpec => ({ default: [{ type: "signedBy", keyType: "GPGKeys", keyPath: key.pubBinary }] });

  it("single image: manifest and lookaside signatures from the registry, as skopeo decides", async () => {
    const regd = registriesD(`default-docker:\n  lookaside: file://${lookaside}\n`);
    for (const ref of [`docker://${host}/acme/app:v1`, `docker://${host}/acme/app@${digestV1}`, `docker://${host}/acme/app:v2`]) {
      const mine = await verifyImage({ host: nodeHost(), policy: policyIR(gpgPolicy()), registriesD: regd.config, ref, online: { tlsVerify: false }, target: "5.23" });
      const theirs = await skopeoCopyVerdict(policyJson(gpgPolicy()), ref, { registriesD: regd.dir, srcTlsVerify: false });
      if (theirs.allowed === null) {
        expect(mine.verdict, ref).toBe("deny"); // e.g. manifest unknown: the pull fails before the policy
        expect(mine.error).toMatch(/manifest unknown/);
      } else expect({ ref, verdict: mine.verdict, error: mine.error }).toEqual({ ref, verdict: theirs.allowed ? "allow" : "deny", error: theirs.message ?? null });
    }
  }, 120_000);

  it("sigstore attachments: read when use-sigstore-attachments is on, verified (Debian's skopeo denies them unverified)", async () => {
    const on = registriesD(`default-docker:\n  lookaside: file://${lookaside}\n  use-sigstore-attachments: true\n`);
    const off = registriesD(`default-docker:\n  lookaside: file://${lookaside}\n`);
    const policy: PolicySpec = { default: [{ type: "sigstoreSigned", keyData: Buffer.from(cosign.pem).toString("base64"), signedIdentity: { type: "matchRepository" } }] };
    const ref = `docker://${host}/acme/app:v1`;
    const mine = await verifyImage({ host: nodeHost(), policy: policyIR(policy), registriesD: on.config, ref, online: { tlsVerify: false } });
    expect([mine.verdict, mine.error]).toEqual(["allow", null]);
    expect(mine.evidence.formats).toEqual(["simple-signing", "sigstore-json (application/vnd.dev.cosign.simplesigning.v1+json)"]);
    const without = await verifyImage({ host: nodeHost(), policy: policyIR(policy), registriesD: off.config, ref, online: { tlsVerify: false } });
    expect(without.error).toBe("A signature was required, but no signature exists (1 non-sigstore signatures, 0 sigstore non-signature attachments)");
    // Debian's skopeo sees the same evidence and counts it the same way.
    const debian = await verifyImage({ host: nodeHost(), policy: policyIR(policy), registriesD: on.config, ref, online: { tlsVerify: false }, debianSigstoreDisabled: true, target: "5.23" });
    const theirs = await skopeoCopyVerdict(policyJson(policy), ref, { registriesD: on.dir, srcTlsVerify: false });
    expect(debian.error).toBe(theirs.message);
    const theirsOff = await skopeoCopyVerdict(policyJson(policy), ref, { registriesD: off.dir, srcTlsVerify: false });
    expect(without.error).toBe(theirsOff.message);
  }, 120_000);

  it("manifest lists: a verdict per instance; --platform picks one, as skopeo --override-arch does", async () => {
    const regd = registriesD(`default-docker:\n  lookaside: file://${lookaside}\n`);
    const ref = `docker://${host}/acme/multi:latest`;
    const all = await verifyImage({ host: nodeHost(), policy: policyIR(gpgPolicy()), registriesD: regd.config, ref, online: { tlsVerify: false }, target: "5.23" });
    expect(all.verdict).toBe("deny");
    expect(all.instances?.map((i) => [i.platform, i.verdict])).toEqual([
      ["linux/amd64", "deny"],
      ["linux/arm64", "allow"],
    ]);
    expect(all.instances?.[0].error).toBe("A signature was required, but no signature exists");
    for (const arch of ["arm64", "amd64"]) {
      const mine = await verifyImage({ host: nodeHost(), policy: policyIR(gpgPolicy()), registriesD: regd.config, ref, online: { tlsVerify: false, platform: `linux/${arch}` }, target: "5.23" });
      const policyFile = path.join(makeTempDir("p-"), "policy.json");
      fs.writeFileSync(policyFile, policyJson(gpgPolicy()));
      const rc = path.join(makeTempDir("rc-"), "registries.conf");
      fs.writeFileSync(rc, "");
      const run = await runSkopeo(["--policy", policyFile, "--registries-conf", rc, "--registries.d", regd.dir, "--override-arch", arch, "--override-os", "linux", "copy", "--quiet", "--src-tls-verify=false", ref, `dir:${makeTempDir("dst-")}/x`]);
      const theirs = run.code === 0 ? { verdict: "allow", error: null } : { verdict: "deny", error: run.fatal?.replace(/^copying system image from manifest list: Source image rejected: /, "") ?? null };
      expect({ arch, verdict: mine.verdict, error: mine.error }).toEqual({ arch, ...theirs });
    }
  }, 120_000);

  it("bearer tokens with credentials from auth.json; unauthenticated pulls are refused", async () => {
    const authDir = makeTempDir("auth-");
    const authFile = path.join(authDir, "auth.json");
    const proxy = http.createServer((req, res) => {
      if (req.url?.startsWith("/token")) {
        const ok = req.headers.authorization === `Basic ${Buffer.from("alice:s3cret").toString("base64")}`;
        res.writeHead(ok ? 200 : 401, { "Content-Type": "application/json" });
        res.end(ok ? JSON.stringify({ token: "tok-123" }) : "{}");
        return;
      }
      if (req.headers.authorization !== "Bearer tok-123") {
        const port = (proxy.address() as AddressInfo).port;
        res.writeHead(401, { "WWW-Authenticate": `Bearer realm="http://127.0.0.1:${port}/token",service="test",scope="repository:acme/app:pull"` });
        res.end();
        return;
      }
      const up = http.request(`http://${host}${req.url}`, { method: req.method, headers: { accept: req.headers.accept ?? "*/*" } }, (ur) => {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
      });
      up.end();
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", () => r()));
    const phost = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const d = path.join(lookaside, "acme", `app@sha256=${digestV1.slice(7)}`);
      const regd = registriesD(`default-docker:\n  lookaside: file://${lookaside}\n`);
      const policy = policyIR({ default: [{ type: "signedBy", keyType: "GPGKeys", keyPath: key.pubBinary, signedIdentity: { type: "matchRepository" } }] });
      expect(fs.existsSync(d)).toBe(true);
      const ref = `docker://${phost}/acme/app:v1`;
      const noCreds = await verifyImage({ host: nodeHost(), policy, registriesD: regd.config, ref, online: { tlsVerify: false, authFile: path.join(authDir, "missing.json") } });
      expect(noCreds.verdict).toBe("deny");
      expect(noCreds.error).toMatch(/authenticating with http:\/\/127.0.0.1:\d+: status 401/);
      fs.writeFileSync(authFile, JSON.stringify({ auths: { [phost]: { auth: Buffer.from("alice:s3cret").toString("base64") } } }));
      const withCreds = await verifyImage({ host: nodeHost(), policy, registriesD: regd.config, ref, online: { tlsVerify: false, authFile } });
      // The signature names the registry's own host, which matchRepository does not accept for the proxy's name.
      expect(withCreds.evidence.manifestDigest).toBe(digestV1);
      expect(withCreds.error).toBe(`Signature for identity "${host}/acme/app:v1" is not accepted`);
    } finally {
      await new Promise<void>((r) => proxy.close(() => r()));
    }
  }, 60_000);

  it("TLS verification is on by default: a plain-http registry is not reached over https", async () => {
    const r = await verifyImage({ host: nodeHost(), policy: policyIR(gpgPolicy()), ref: `docker://${host}/acme/app:v1`, online: { timeoutMs: 5_000 } });
    expect(r.verdict).toBe("deny");
    expect(r.error).toMatch(/^Get "https:\/\/127\.0\.0\.1:\d+\/v2\/acme\/app\/manifests\/v1": /);
  }, 30_000);
});
