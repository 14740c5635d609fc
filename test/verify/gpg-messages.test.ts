/**
 * GPG rejections in plain words (issue 17): a signature from a key the policy's keyring lacks, an expired or a
 * revoked key, or a subkey the policy does not trust, is denied with upstream's text (a Go dump of gpgme's result,
 * compared with skopeo here) and explained per signature: which key signed (fingerprint, user ID when known), why it
 * is not accepted, and what the policy trusts. Keys are made by gpg, signatures by skopeo.
 */
import * as fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { nodeHost } from "../../src/host/node-host.js";
import { renderVerifyText } from "../../src/verify/render-text.js";
import { verifyImage } from "../../src/verify/verify-image.js";
import { makeDirImage, makeTempDir, skopeoAvailable, skopeoCopyVerdict, type DirImage } from "../harness/skopeo.js";
import { policyIR, policyJson, type PolicySpec } from "../simulate/policy-builder.js";
import { runCli } from "../cli/helpers.js";
import { addSubkey, genKey, gnupgHome, revokeKey, skopeoSign, type TestKey } from "./gpg-helpers.js";

const ci = process.env.CI === "true";
const hasGpg = fs.existsSync("/usr/bin/gpg");

describe.skipIf((!skopeoAvailable() || !hasGpg) && !ci)("GPG rejections say which key, why, and what is trusted", () => {
  let ed: TestKey;
  let rsa: TestKey;
  let expired: TestKey;
  let revoked: TestKey;
  let sub: TestKey;
  const sigs = new Map<string, Buffer>();
  let base: DirImage;

  beforeAll(async () => {
    ed = genKey(gnupgHome(), "Ed Signer <ed@example.com>");
    rsa = genKey(gnupgHome(), "Rsa Signer <rsa@example.com>", "rsa2048", "sign");
    expired = genKey(gnupgHome("20200101T000000"), "Old Signer <old@example.com>", "ed25519", "sign", "1d");
    revoked = genKey(gnupgHome(), "Revoked Signer <rev@example.com>", "ed25519", "sign");
    sub = addSubkey(genKey(gnupgHome(), "Sub Signer <sub@example.com>", "ed25519", "cert"));
    base = makeDirImage(makeTempDir("gpgmsg-"));
    for (const [n, k] of [["ed", ed], ["expired", expired], ["revoked", revoked], ["sub", sub]] as const) sigs.set(n, await skopeoSign(k, base.manifest, "example.com/app:v1"));
    revoked = revokeKey(revoked);
  }, 120_000);

  const policyFor = (keyPath: string): PolicySpec => ({
    default: [{ type: "signedBy", keyType: "GPGKeys", keyPath, signedIdentity: { type: "exactReference", dockerReference: "example.com/app:v1" } }],
  });

  async function both(sig: string, keyPath: string) {
    const img = makeDirImage(makeTempDir("gpgmsg-img-"), { signatures: [sigs.get(sig)!] });
    const policy = policyFor(keyPath);
    const r = await verifyImage({ host: nodeHost(), policy: policyIR(policy), ref: `dir:${img.dir}`, target: "5.23", debianSigstoreDisabled: true });
    const sk = await skopeoCopyVerdict(policyJson(policy), `dir:${img.dir}`);
    expect(r.verdict).toBe("deny");
    expect(sk.allowed).toBe(false);
    // Upstream's message is kept, exactly as skopeo says it.
    expect(r.error).toBe(sk.message);
    const check = r.requirements[0].signatures[0];
    expect(check.reason).toBe(sk.message);
    return { r, check, text: renderVerifyText(r), img, policy };
  }

  it("a key not in the policy's keyring", async () => {
    const { check, text, img, policy } = await both("ed", rsa.pubBinary);
    const want = `signed by key ${ed.fpr}, which is not in the policy's keyring; the policy trusts key ${rsa.fpr} (Rsa Signer <rsa@example.com>)`;
    expect(check.explanation).toBe(want);
    expect(text).toContain(`signature 1: rejected: ${want}`);
    expect(check.reason).toMatch(/^Invalid GPG signature: gpgme\.Signature\{/);
    // simulate keeps upstream's reason on the signature line and says it plainly below.
    const policyFile = `${makeTempDir("gpgmsg-pol-")}/policy.json`;
    fs.writeFileSync(policyFile, policyJson(policy));
    const sim = await runCli(["simulate", "--policy", policyFile, "--target", "5.23", `dir:${img.dir}`]);
    expect(sim.stdout).toMatch(/signature 1: rejected: Invalid GPG signature: gpgme\.Signature\{.*\n\s+why: signed by key /);
    expect(sim.stdout).toContain(`why: ${want}`);
  });

  it("an expired key", async () => {
    const { check } = await both("expired", expired.pubBinary);
    expect(check.explanation).toBe(
      `signed by key ${expired.fpr} (Old Signer <old@example.com>), which has expired (gpg accepts no signature from an expired key; renew the key's expiry and re-export it into the keyring file)`,
    );
  });

  it("a revoked key", async () => {
    const { check } = await both("revoked", revoked.pubBinary);
    expect(check.explanation).toBe(`signed by key ${revoked.fpr} (Revoked Signer <rev@example.com>), which has been revoked`);
  });

  it("a subkey, which 5.23 does not accept by its primary key's fingerprint", async () => {
    const { check } = await both("sub", sub.pubBinary);
    expect(check.explanation).toMatch(
      new RegExp(`^signed by subkey [0-9A-F]{40} of key ${sub.fpr} \\(Sub Signer <sub@example.com>\\), which is not a key the policy trusts by fingerprint; the policy trusts key ${sub.fpr} \\(Sub Signer <sub@example.com>\\)$`),
    );
  });

  it("a keyring of several keys lists them all", async () => {
    const ring = `${makeTempDir("ring-")}/two.gpg`;
    fs.writeFileSync(ring, Buffer.concat([fs.readFileSync(rsa.pubBinary), fs.readFileSync(revoked.pubBinary)]));
    const { check } = await both("ed", ring);
    expect(check.explanation).toBe(
      `signed by key ${ed.fpr}, which is not in the policy's keyring; the policy trusts 2 keys: ${rsa.fpr} (Rsa Signer <rsa@example.com>); ${revoked.fpr} (Revoked Signer <rev@example.com>)`,
    );
  });
});
