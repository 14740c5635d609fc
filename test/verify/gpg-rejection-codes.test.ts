/**
 * issue 16: every GPG rejection carries its coded kind (`SignatureCheck.code`), which `expect deny … because CODE`
 * names: IT5803 a key the policy does not trust (not in the keyring, or a subkey 5.23 does not accept), IT5804 a
 * signature that does not verify (a byte of the signed payload changed), IT5805 an expired key, IT5806 a revoked key. skopeo 1.9.3 denies each of them too; `verify` and `simulate` show the code under
 * the rejected signature. Keys are made by gpg, signatures by skopeo.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { nodeHost } from "../../src/host/node-host.js";
import { renderVerifyText } from "../../src/verify/render-text.js";
import { verifyImage } from "../../src/verify/verify-image.js";
import { makeDirImage, makeTempDir, skopeoAvailable, skopeoCopyVerdict, type DirImage } from "../harness/skopeo.js";
import { policyIR, policyJson, type PolicySpec } from "../simulate/policy-builder.js";
import { addSubkey, genKey, gnupgHome, revokeKey, skopeoSign, type TestKey } from "./gpg-helpers.js";

const ci = process.env.CI === "true";
const hasGpg = fs.existsSync("/usr/bin/gpg");

describe.skipIf((!skopeoAvailable() || !hasGpg) && !ci)("GPG rejections carry a code (IT5803–IT5806)", () => {
  const keys = new Map<string, TestKey>();
  const sigs = new Map<string, Buffer>();
  let base: DirImage;

  beforeAll(async () => {
    keys.set("trusted", genKey(gnupgHome(), "Trusted Signer <t@example.com>"));
    keys.set("other", genKey(gnupgHome(), "Other Signer <o@example.com>"));
    keys.set("expired", genKey(gnupgHome("20200101T000000"), "Old Signer <old@example.com>", "ed25519", "sign", "1d"));
    keys.set("revoked", genKey(gnupgHome(), "Revoked Signer <rev@example.com>", "ed25519", "sign"));
    keys.set("sub", addSubkey(genKey(gnupgHome(), "Sub Signer <sub@example.com>", "ed25519", "cert")));
    base = makeDirImage(makeTempDir("gpgcode-"));
    for (const [n, k] of keys) sigs.set(n, await skopeoSign(k, base.manifest, "example.com/app:v1"));
    keys.set("revoked", revokeKey(keys.get("revoked")!));
    // An altered signature: gpg signs the simple-signing payload uncompressed, then one byte of the signed text changes.
    const t = keys.get("trusted")!;
    const dir = makeTempDir("gpgcode-bad-");
    const digest = base.manifestDigest;
    const payload = JSON.stringify({ critical: { identity: { "docker-reference": "example.com/app:v1" }, image: { "docker-manifest-digest": digest }, type: "atomic container signature" }, optional: {} });
    fs.writeFileSync(path.join(dir, "payload"), payload);
    const signed = spawnSync("gpg", ["--batch", "--quiet", "--homedir", t.home, "--compress-algo", "none", "--local-user", t.fpr, "--output", path.join(dir, "sig"), "--sign", path.join(dir, "payload")], {
      env: { ...process.env, GNUPGHOME: t.home },
    });
    if (signed.status !== 0) throw new Error(`gpg --sign failed: ${signed.stderr}`);
    const bytes = fs.readFileSync(path.join(dir, "sig"));
    const at = bytes.indexOf(Buffer.from('"optional":{}'));
    if (at < 0) throw new Error("the payload is not stored uncompressed");
    bytes[at + 1] = "O".charCodeAt(0); // "optional" → "Optional": the signature no longer verifies
    sigs.set("altered", bytes);
  }, 120_000);

  const cases: Array<[string, string, string, string | undefined]> = [
    ["a key not in the keyring", "other", "trusted", "IT5803"],
    ["a subkey 5.23 does not accept", "sub", "sub", "IT5803"],
    ["an altered signature", "altered", "trusted", "IT5804"],
    ["an expired key", "expired", "expired", "IT5805"],
    ["a revoked key", "revoked", "revoked", "IT5806"],
    ["the trusted key (accepted: no code)", "trusted", "trusted", undefined],
  ];

  it.each(cases)("%s", async (_name, signer, trusted, code) => {
    const img = makeDirImage(makeTempDir("gpgcode-img-"), { signatures: [sigs.get(signer)!] });
    const policy: PolicySpec = {
      default: [{ type: "signedBy", keyType: "GPGKeys", keyPath: keys.get(trusted)!.pubBinary, signedIdentity: { type: "exactReference", dockerReference: "example.com/app:v1" } }],
    };
    const r = await verifyImage({ host: nodeHost(), policy: policyIR(policy), ref: `dir:${img.dir}`, target: "5.23", debianSigstoreDisabled: true });
    const sk = await skopeoCopyVerdict(policyJson(policy), `dir:${img.dir}`);
    expect(r.verdict).toBe(sk.allowed ? "allow" : "deny");
    const check = r.requirements[0].signatures[0];
    expect(check.code).toBe(code);
    if (code) expect(renderVerifyText(r)).toContain(`      see: imagetrust explain ${code}\n`);
  });
});
