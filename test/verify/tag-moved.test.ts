/**
 * "Tag moved after signing" (issue 12 §4) on the GPG path, judged by skopeo 1.9.3 (containers/image 5.23.1) against a
 * local docker-registry with a file:// lookaside: image A is signed as repo:v1, then the tag v1 is pushed again with
 * image B (a rebuild). The runtime compares the signed docker-manifest-digest with the pulled manifest's digest
 * (signature/docker.go VerifyDockerManifestSignature, called by policy_eval_signedby.go), then the claimed
 * docker-reference with the pulled reference under signedIdentity (policy_reference_match.go). Verdict and message must
 * equal skopeo's; our rejection also carries IT5801 (digest) or IT5802 (reference), with both values, in verify and
 * simulate output (text and json).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RegistriesDConfig } from "../../src/ir/types.js";
import { nodeHost } from "../../src/host/node-host.js";
import { loadRegistriesDDir } from "../../src/load/registries-d/index.js";
import { verifyImage } from "../../src/verify/verify-image.js";
import { runCli } from "../cli/helpers.js";
import {
  makeDirImage,
  makeTempDir,
  pushDirImage,
  registryAvailable,
  skopeoAvailable,
  skopeoCopyVerdict,
  startRegistry,
  type DirImage,
  type LocalRegistry,
} from "../harness/skopeo.js";
import { policyIR, policyJson, type PolicySpec } from "../simulate/policy-builder.js";
import { genKey, gnupgHome, skopeoSign, type TestKey } from "./gpg-helpers.js";

const ci = process.env.CI === "true";
const hasGpg = fs.existsSync("/usr/bin/gpg");

describe.skipIf((!skopeoAvailable() || !registryAvailable() || !hasGpg) && !ci)("tag moved after signing (GPG), vs skopeo", () => {
  let registry: LocalRegistry;
  let key: TestKey;
  let a: DirImage;
  let b: DirImage;
  let repo: string;
  let sigAasV1: Buffer;
  let sigBasV1: Buffer;

  /** A file:// lookaside holding `sigs` for image `img` of acme/app, and its registries.d. */
  function lookaside(img: DirImage, sigs: Buffer[]): { dir: string; config: RegistriesDConfig } {
    const root = makeTempDir("lookaside-");
    const d = path.join(root, "acme", "app@sha256=" + img.manifestDigest.slice("sha256:".length));
    fs.mkdirSync(d, { recursive: true });
    sigs.forEach((s, i) => fs.writeFileSync(path.join(d, `signature-${i + 1}`), s));
    const dir = makeTempDir("regd-");
    fs.writeFileSync(path.join(dir, "default.yaml"), `default-docker:\n  lookaside: file://${root}\n`);
    const loaded = loadRegistriesDDir(dir, { host: nodeHost() });
    if (!loaded.value) throw new Error(JSON.stringify(loaded.diagnostics));
    return { dir, config: loaded.value };
  }

  const policy = (identity?: object): PolicySpec => ({
    default: [{ type: "signedBy", keyType: "GPGKeys", keyPath: key.pubBinary, ...(identity ? { signedIdentity: identity } : {}) }],
  });

  beforeAll(async () => {
    registry = await startRegistry();
    repo = `${registry.url}/acme/app`;
    key = genKey(gnupgHome(), "Release Signer <release@example.com>");
    a = makeDirImage(makeTempDir("a-"));
    b = makeDirImage(makeTempDir("b-"), { config: '{"rebuilt":true}' });
    await pushDirImage(a.dir, registry, "acme/app:v1");
    sigAasV1 = await skopeoSign(key, a.manifest, `${repo}:v1`);
    // The tag moves: v1 (and v2) now name image B.
    await pushDirImage(b.dir, registry, "acme/app:v1");
    await pushDirImage(b.dir, registry, "acme/app:v2");
    sigBasV1 = await skopeoSign(key, b.manifest, `${repo}:v1`);
  }, 120_000);
  afterAll(async () => {
    await registry?.stop();
  });

  async function both(spec: PolicySpec, ref: string, sigs: Buffer[]) {
    const regd = lookaside(b, sigs);
    const mine = await verifyImage({ host: nodeHost(), policy: policyIR(spec), registriesD: regd.config, ref, manifest: b.manifest, target: "5.23" });
    const theirs = await skopeoCopyVerdict(policyJson(spec), ref, { registriesD: regd.dir, srcTlsVerify: false });
    return { mine, theirs, regd };
  }

  it("a signature for the old digest (A) on the moved tag: deny as skopeo, IT5801 with both digests", async () => {
    const { mine, theirs } = await both(policy(), `docker://${repo}:v1`, [sigAasV1]);
    expect(theirs.allowed).toBe(false);
    expect(mine.verdict).toBe("deny");
    expect(mine.error).toBe(theirs.message);
    expect(mine.error).toBe(`Signature for digest ${a.manifestDigest} does not match`);
    expect(mine.requirements[0].signatures[0].finding).toEqual({
      code: "IT5801",
      kind: "signedDigestDiffers",
      message: `Tag moved after signing? The signature is for manifest ${a.manifestDigest}, but the image has manifest ${b.manifestDigest}.`,
      signedDigest: a.manifestDigest,
      imageDigest: b.manifestDigest,
      runtimeCompares: "the signature's docker-manifest-digest with the digest of the manifest it pulled (the tag plays no part)",
    });
  }, 60_000);

  it("a signature for v1 pulled as v2 (same digest): deny as skopeo, IT5802 with both references and what is compared", async () => {
    const { mine, theirs } = await both(policy(), `docker://${repo}:v2`, [sigBasV1]);
    expect(theirs.allowed).toBe(false);
    expect(mine.error).toBe(theirs.message);
    expect(mine.error).toBe(`Signature for identity ${repo}:v1 is not accepted`);
    expect(mine.requirements[0].signatures[0].finding).toMatchObject({
      code: "IT5802",
      kind: "claimedReferenceDiffers",
      claimedReference: `${repo}:v1`,
      pulledReference: `${repo}:v2`,
      signedIdentity: "matchRepoDigestOrExact",
    });
    expect(mine.requirements[0].signatures[0].finding).toHaveProperty("runtimeCompares", expect.stringMatching(/^matchRepoDigestOrExact \(the default\): .*v2/));
  }, 60_000);

  it("controls: the signed tag is allowed, and matchRepository allows the other tag, in both", async () => {
    for (const [spec, ref] of [
      [policy(), `docker://${repo}:v1`],
      [policy({ type: "matchRepository" }), `docker://${repo}:v2`],
    ] as const) {
      const { mine, theirs } = await both(spec, ref, [sigBasV1]);
      expect([mine.verdict, theirs.allowed]).toEqual(["allow", true]);
      expect(mine.requirements[0].signatures.every((s) => s.finding === undefined)).toBe(true);
    }
  }, 60_000);

  it("verify and simulate print the finding (text and json)", async () => {
    const policyFile = path.join(makeTempDir("p-"), "policy.json");
    fs.writeFileSync(policyFile, policyJson(policy()));
    const manifestFile = path.join(makeTempDir("m-"), "manifest.json");
    fs.writeFileSync(manifestFile, b.manifest);
    const sigDir = makeTempDir("sigs-");
    fs.writeFileSync(path.join(sigDir, "signature-1"), sigAasV1);
    const args = ["--policy", policyFile, "--target", "5.23", "--manifest", manifestFile, "--signatures", sigDir, `docker://${repo}:v1`];

    const vText = await runCli(["verify", ...args]);
    expect(vText.code).toBe(1);
    expect(vText.stdout).toContain(`      IT5801 Tag moved after signing? The signature is for manifest ${a.manifestDigest}, but the image has manifest ${b.manifestDigest}.\n`);
    expect(vText.stdout).toContain(`        signed digest: ${a.manifestDigest}\n        image digest:  ${b.manifestDigest}\n`);
    const vJson = JSON.parse((await runCli(["verify", "--format", "json", ...args])).stdout);
    expect(vJson.requirements[0].signatures[0].finding).toMatchObject({ code: "IT5801", signedDigest: a.manifestDigest, imageDigest: b.manifestDigest });

    const sText = await runCli(["simulate", ...args]);
    expect(sText.stdout).toContain(`IT5801 Tag moved after signing? The signature is for manifest ${a.manifestDigest}`);
    const sJson = JSON.parse((await runCli(["simulate", "--format", "json", ...args])).stdout);
    expect(sJson[0].signatures.requirements[0].signatures[0].finding).toMatchObject({ code: "IT5801", signedDigest: a.manifestDigest, imageDigest: b.manifestDigest });

    fs.writeFileSync(path.join(sigDir, "signature-1"), sigBasV1);
    const moved = [...args.slice(0, -1), `docker://${repo}:v2`];
    const sRef = await runCli(["simulate", ...moved]);
    expect(sRef.stdout).toContain(`IT5802 Tag moved after signing? The signature was made for ${repo}:v1, but the image is pulled as ${repo}:v2`);
    expect(sRef.stdout).toMatch(/runtime compares: matchRepoDigestOrExact \(the default\): /);
  }, 60_000);
});
