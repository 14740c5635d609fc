/**
 * Issue 12 §3: a manifest list is checked per instance. `podman pull` takes the instance for the platform and checks
 * the policy against it alone (copy.Image, CopySystemImage → ChooseInstance → copyOneImage); `skopeo copy --all`
 * checks every instance; the list's own signatures are never checked. A list signed in the lookaside (GPG) whose
 * instances are not, on Debian's docker-registry; then the same image copied by skopeo --all into a `dir:` layout
 * (the offline layout: manifest.json, <hex>.manifest.json, signature-N, <hex>.signature-N), read from there and as
 * `--manifest` + `--signatures`. Every verdict is compared with skopeo's (`--override-arch`, `--all`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeHost } from "../../src/host/node-host.js";
import type { RegistriesDConfig } from "../../src/ir/types.js";
import { loadRegistriesDDir } from "../../src/load/registries-d/index.js";
import { verifyImage } from "../../src/verify/verify-image.js";
import { makeDirImage, makeTempDir, pushDirImage, registryAvailable, runSkopeo, skopeoAvailable, startRegistry, type LocalRegistry } from "../harness/skopeo.js";
import { policyIR, policyJson, type PolicySpec } from "../simulate/policy-builder.js";
import { putManifest } from "./bundle-helpers.js";
import { genKey, gnupgHome, skopeoSign, type TestKey } from "./gpg-helpers.js";

const ci = process.env.CI === "true";

/** skopeo copy with a policy and registries.d; the verdict and the rejection (prefixes as skopeo prints them removed). */
async function skopeoCopy(policy: string, regd: string | undefined, src: string, copyFlags: string[], global: string[] = []): Promise<{ verdict: "allow" | "deny"; error: string | null }> {
  const dir = makeTempDir("mc-");
  fs.writeFileSync(path.join(dir, "policy.json"), policy);
  fs.writeFileSync(path.join(dir, "registries.conf"), "");
  const args = ["--policy", path.join(dir, "policy.json"), "--registries-conf", path.join(dir, "registries.conf")];
  if (regd) args.push("--registries.d", regd);
  const run = await runSkopeo([...args, ...global, "copy", "--quiet", ...copyFlags, src, `dir:${dir}/dst`]);
  if (run.code === 0) return { verdict: "allow", error: null };
  return { verdict: "deny", error: (run.fatal ?? run.stderr).replace(/^(copying system image from manifest list: |copying image \d+\/\d+ from manifest list: )?Source image rejected: /, "") };
}

describe.skipIf((!skopeoAvailable() || !registryAvailable()) && !ci)("manifest lists: the runtime checks the instance it pulls", () => {
  let registry: LocalRegistry;
  let host: string;
  let key: TestKey;
  let lookaside: string;
  let regd: { dir: string; config: RegistriesDConfig };
  let listDigest: string;
  const inst: Record<string, string> = {};
  let layout: string;
  const policy = (): PolicySpec => ({ default: [{ type: "signedBy", keyType: "GPGKeys", keyPath: key.pubBinary, signedIdentity: { type: "exactReference", dockerReference: `${host}/acme/multi:latest` } }] });

  beforeAll(async () => {
    registry = await startRegistry();
    host = registry.url;
    key = genKey(gnupgHome(), "List Signer <l@example.com>");
    lookaside = makeTempDir("ma-lookaside-");
    const dir = makeTempDir("ma-regd-");
    fs.writeFileSync(path.join(dir, "default.yaml"), `default-docker:\n  lookaside: file://${lookaside}\n`);
    regd = { dir, config: loadRegistriesDDir(dir, { host: nodeHost() }).value! };
    const sign = async (digest: string, manifest: Buffer) => {
      const d = path.join(lookaside, "acme", `multi@sha256=${digest.slice(7)}`);
      fs.mkdirSync(d, { recursive: true });
      fs.writeFileSync(path.join(d, `signature-${fs.readdirSync(d).length + 1}`), await skopeoSign(key, manifest, `${host}/acme/multi:latest`));
    };
    const manifests: Record<string, Buffer> = {};
    for (const arch of ["amd64", "arm64"]) {
      const img = makeDirImage(makeTempDir(`ma-${arch}-`), { config: JSON.stringify({ architecture: arch, os: "linux" }) });
      await pushDirImage(img.dir, registry, `acme/multi:${arch}`);
      inst[arch] = img.manifestDigest;
      manifests[arch] = img.manifest;
    }
    const list = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.docker.distribution.manifest.list.v2+json",
        manifests: ["amd64", "arm64"].map((arch) => ({
          mediaType: "application/vnd.docker.distribution.manifest.v2+json",
          size: manifests[arch].length,
          digest: inst[arch],
          platform: { architecture: arch, os: "linux", ...(arch === "arm64" ? { variant: "v8" } : {}) },
        })),
      }),
    );
    listDigest = await putManifest(host, "acme/multi", "latest", list, "application/vnd.docker.distribution.manifest.list.v2+json");
    // `cosign sign` on the tag: the list only. Then the arm64 instance too, so that the platforms differ.
    await sign(listDigest, list);
    await sign(inst.arm64, manifests.arm64);
    // The offline layout, as skopeo copy --all writes it (signatures copied from the lookaside).
    layout = path.join(makeTempDir("ma-layout-"), "img");
    const acceptDir = makeTempDir("ma-accept-");
    fs.writeFileSync(path.join(acceptDir, "policy.json"), JSON.stringify({ default: [{ type: "insecureAcceptAnything" }] }));
    fs.writeFileSync(path.join(acceptDir, "registries.conf"), "");
    const run = await runSkopeo(["--policy", path.join(acceptDir, "policy.json"), "--registries-conf", path.join(acceptDir, "registries.conf"), "--registries.d", regd.dir, "copy", "--quiet", "--all", "--src-tls-verify=false", `docker://${host}/acme/multi:latest`, `dir:${layout}`]);
    if (run.code !== 0) throw new Error(run.stderr);
  }, 120_000);
  afterAll(async () => {
    await registry?.stop();
  });

  it("online: per instance, the list's own verdict, IT5841 on the unsigned instance, the pull on this machine; as skopeo --all and --override-arch", async () => {
    const ref = `docker://${host}/acme/multi:latest`;
    const r = await verifyImage({ host: nodeHost(), policy: policyIR(policy()), registriesD: regd.config, ref, online: { tlsVerify: false, machinePlatform: "linux/amd64" }, target: "5.23" });
    expect(r.instances?.map((i) => [i.platform, i.verdict])).toEqual([
      ["linux/amd64", "deny"],
      ["linux/arm64/v8", "allow"],
    ]);
    expect(r.list?.verdict).toBe("allow");
    expect(r.instances?.[0].evidence.findings?.map((f) => f.code)).toEqual(["IT5841"]);
    expect(r.instances?.[0].evidence.findings?.[0].hint).toContain("cosign sign --recursive");
    expect(r.instances?.[1].evidence.findings).toBeUndefined();
    expect(r.pull).toEqual({ platform: "linux/amd64", from: "this machine", digest: inst.amd64, verdict: "deny" });
    const all = await skopeoCopy(policyJson(policy()), regd.dir, ref, ["--all", "--src-tls-verify=false"]);
    expect([r.verdict, r.error]).toEqual([all.verdict, all.error]);
    for (const [arch, platform] of [["amd64", "linux/amd64"], ["arm64", "linux/arm64"]]) {
      const mine = await verifyImage({ host: nodeHost(), policy: policyIR(policy()), registriesD: regd.config, ref, online: { tlsVerify: false, platform }, target: "5.23" });
      const theirs = await skopeoCopy(policyJson(policy()), regd.dir, ref, ["--src-tls-verify=false"], ["--override-os", "linux", "--override-arch", arch]);
      expect({ arch, verdict: mine.verdict, error: mine.error }).toEqual({ arch, ...theirs });
      expect(mine.instances?.map((i) => i.digest)).toEqual([inst[arch]]);
    }
    const none = await verifyImage({ host: nodeHost(), policy: policyIR(policy()), registriesD: regd.config, ref, online: { tlsVerify: false, platform: "linux/s390x" }, target: "5.23" });
    const theirs = await skopeoCopy(policyJson(policy()), regd.dir, ref, ["--src-tls-verify=false"], ["--override-os", "linux", "--override-arch", "s390x"]);
    expect(theirs.verdict).toBe("deny");
    expect(none.error).toBe(theirs.error);
  }, 120_000);

  it("offline: the dir: layout skopeo copy --all writes, and --manifest + --signatures over it, decided as skopeo decides the dir:", async () => {
    for (const [arch, platform] of [["amd64", "linux/amd64"], ["arm64", "linux/arm64"]]) {
      const theirs = await skopeoCopy(policyJson(policy()), undefined, `dir:${layout}`, [], ["--override-os", "linux", "--override-arch", arch]);
      const fromDir = await verifyImage({ host: nodeHost(), policy: policyIR(policy()), ref: `dir:${layout}`, platform, target: "5.23" });
      expect({ arch, verdict: fromDir.verdict, error: fromDir.error }).toEqual({ arch, ...theirs });
      const given = await verifyImage({
        host: nodeHost(),
        policy: policyIR(policy()),
        ref: `docker://${host}/acme/multi:latest`,
        manifest: fs.readFileSync(path.join(layout, "manifest.json")),
        signaturesDir: layout,
        platform,
        target: "5.23",
      });
      expect({ arch, verdict: given.verdict, error: given.error }).toEqual({ arch, ...theirs });
    }
    const all = await verifyImage({ host: nodeHost(), policy: policyIR(policy()), ref: `dir:${layout}`, machinePlatform: "linux/arm64/v8", target: "5.23" });
    const theirsAll = await skopeoCopy(policyJson(policy()), undefined, `dir:${layout}`, ["--all"]);
    expect([all.verdict, all.error]).toEqual([theirsAll.verdict, theirsAll.error]);
    expect(all.list?.digest).toBe(listDigest);
    expect(all.pull).toEqual({ platform: "linux/arm64/v8", from: "this machine", digest: inst.arm64, verdict: "allow" });
    expect(all.instances?.[0].evidence.findings?.map((f) => f.code)).toEqual(["IT5841"]);
  }, 120_000);

  it("offline: an oci: layout (instances as blobs, no signatures), decided per platform as skopeo decides it", async () => {
    const oci = path.join(makeTempDir("ma-oci-"), "layout");
    const acceptDir = makeTempDir("ma-accept2-");
    fs.writeFileSync(path.join(acceptDir, "policy.json"), JSON.stringify({ default: [{ type: "insecureAcceptAnything" }] }));
    fs.writeFileSync(path.join(acceptDir, "registries.conf"), "");
    const run = await runSkopeo(["--policy", path.join(acceptDir, "policy.json"), "--registries-conf", path.join(acceptDir, "registries.conf"), "copy", "--quiet", "--all", "--remove-signatures", `dir:${layout}`, `oci:${oci}:latest`]);
    expect(run.code, run.stderr).toBe(0);
    const all = await verifyImage({ host: nodeHost(), policy: policyIR(policy()), ref: `oci:${oci}:latest`, machinePlatform: "linux/amd64", target: "5.23" });
    expect(all.instances?.map((i) => [i.platform, i.verdict])).toEqual([
      ["linux/amd64", "deny"],
      ["linux/arm64/v8", "deny"],
    ]);
    expect(all.pull?.digest).toBe(all.instances?.[0].digest);
    for (const [arch, platform] of [["amd64", "linux/amd64"], ["arm64", "linux/arm64"]]) {
      const theirs = await skopeoCopy(policyJson(policy()), undefined, `oci:${oci}:latest`, [], ["--override-os", "linux", "--override-arch", arch]);
      const mine = await verifyImage({ host: nodeHost(), policy: policyIR(policy()), ref: `oci:${oci}:latest`, platform, target: "5.23" });
      expect({ arch, verdict: mine.verdict, error: mine.error }).toEqual({ arch, ...theirs });
    }
  }, 120_000);

  it("arm variants: the instance chosen for each --platform OS/ARCH/VARIANT is skopeo's (--override-variant)", async () => {
    // A dir: list of arm/v6, arm/v7 (the only signed one), arm (no variant) and arm64/v8.
    const dir = path.join(makeTempDir("ma-arm-"), "img");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "version"), "Directory Transport Version: 1.1\n");
    const entries = [];
    for (const [arch, variant] of [["arm", "v6"], ["arm", "v7"], ["arm", ""], ["arm64", "v8"]]) {
      const img = makeDirImage(makeTempDir("ma-arm-i-"), { config: JSON.stringify({ architecture: arch, variant, os: "linux" }) });
      for (const f of fs.readdirSync(img.dir)) if (/^[0-9a-f]{64}$/.test(f)) fs.copyFileSync(path.join(img.dir, f), path.join(dir, f));
      fs.writeFileSync(path.join(dir, `${img.manifestDigest.slice(7)}.manifest.json`), img.manifest);
      if (variant === "v7") fs.writeFileSync(path.join(dir, `${img.manifestDigest.slice(7)}.signature-1`), await skopeoSign(key, img.manifest, `${host}/acme/multi:latest`));
      entries.push({ mediaType: "application/vnd.docker.distribution.manifest.v2+json", size: img.manifest.length, digest: img.manifestDigest, platform: { architecture: arch, os: "linux", ...(variant ? { variant } : {}) } });
    }
    fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.docker.distribution.manifest.list.v2+json", manifests: entries }));
    for (const platform of ["linux/arm/v8", "linux/arm/v7", "linux/arm/v6", "linux/arm/v5", "linux/arm", "linux/arm64", "linux/arm64/v8"]) {
      const [, arch, variant] = platform.split("/");
      const theirs = await skopeoCopy(policyJson(policy()), undefined, `dir:${dir}`, [], ["--override-os", "linux", "--override-arch", arch, ...(variant ? ["--override-variant", variant] : [])]);
      const mine = await verifyImage({ host: nodeHost(), policy: policyIR(policy()), ref: `dir:${dir}`, platform, target: "5.23" });
      expect({ platform, verdict: mine.verdict, error: mine.error }).toEqual({ platform, ...theirs });
    }
  }, 120_000);

  it("--platform on a single image is IT5840, not silently ignored", async () => {
    const single = await verifyImage({ host: nodeHost(), policy: policyIR(policy()), ref: `dir:${path.join(layout, "..")}/none`, platform: "linux/amd64", manifest: fs.readFileSync(path.join(layout, `${inst.amd64.slice(7)}.manifest.json`)) });
    expect(single.evidence.findings?.map((f) => f.code)).toEqual(["IT5840"]);
  });
});
