/**
 * `verify --keys` / `simulate --keys` (issue 13 §2): the key that verifies a real GPG signature (key made by gpg,
 * signature by `skopeo standalone-sign`) is read from DIR although the policy names it by an install path that
 * does not exist here. The verdicts are compared with skopeo 1.9.3 (containers/image 5.23.1): with the policy
 * naming the key where it really is, skopeo allows the pull; with the install path, skopeo denies it with the
 * message we print without --keys.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeDirImage, makeTempDir, skopeoAvailable, skopeoCopyVerdict } from "../harness/skopeo.js";
import { genKey, gnupgHome, skopeoSign } from "../verify/gpg-helpers.js";
import { runCli } from "./helpers.js";

const ci = process.env.CI === "true";
const hasGpg = fs.existsSync("/usr/bin/gpg");
const INSTALL = "/etc/pki/imagetrust-absent-keys/ci.gpg";

const policyWithKeyAt = (keyPath: string) =>
  JSON.stringify({
    default: [{ type: "signedBy", keyType: "GPGKeys", keyPath, signedIdentity: { type: "exactReference", dockerReference: "example.com/app:v1" } }],
  });

describe.skipIf((!skopeoAvailable() || !hasGpg) && !ci)("verify and simulate --keys with a gpg-made key and a real signature", () => {
  let work: string;
  let image: string;
  let keyFile: string;

  beforeAll(async () => {
    const key = genKey(gnupgHome(), "CI Signer <ci@example.com>");
    const base = makeDirImage(makeTempDir("keys-base-"));
    const signature = await skopeoSign(key, base.manifest, "example.com/app:v1");
    image = makeDirImage(makeTempDir("keys-img-"), { signatures: [signature] }).dir;
    work = makeTempDir("keys-work-");
    fs.mkdirSync(path.join(work, "keys"));
    keyFile = path.join(work, "keys/ci.gpg");
    fs.copyFileSync(key.pubBinary, keyFile);
    fs.writeFileSync(path.join(work, "policy.json"), policyWithKeyAt(INSTALL));
  }, 120_000);

  it("verify --keys DIR allows the pull, as skopeo does with the key where it really is", async () => {
    const r = await runCli(["verify", "--policy", "policy.json", "--keys", "keys", `dir:${image}`], { cwd: work });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ALLOW/);
    const skopeo = await skopeoCopyVerdict(policyWithKeyAt(keyFile), `dir:${image}`);
    expect(skopeo.allowed).toBe(true);
  });

  it("without --keys the install path is missing: denied with containers/image's own message", async () => {
    const r = await runCli(["verify", "--policy", "policy.json", "--format", "json", `dir:${image}`], { cwd: work });
    expect(r.code).toBe(1);
    const ours = JSON.parse(r.stdout) as { verdict: string; error?: string };
    const skopeo = await skopeoCopyVerdict(policyWithKeyAt(INSTALL), `dir:${image}`);
    expect(skopeo.allowed).toBe(false);
    expect(ours.verdict).toBe("deny");
    expect(ours.error).toBe(skopeo.message);
    expect(ours.error).toContain(`open ${INSTALL}: no such file or directory`);
  });

  it("a --keys DIR holding another key denies: the signature is verified, not waved through", async () => {
    const other = genKey(gnupgHome(), "Other Signer <other@example.com>");
    fs.mkdirSync(path.join(work, "other-keys"), { recursive: true });
    fs.copyFileSync(other.pubBinary, path.join(work, "other-keys/ci.gpg"));
    const r = await runCli(["verify", "--policy", "policy.json", "--keys", "other-keys", `dir:${image}`], { cwd: work });
    expect(r.code).toBe(1);
  }, 60_000);

  it("simulate --keys reads the image's signatures and verifies them with the key from DIR", async () => {
    const withKeys = await runCli(["simulate", "--policy", "policy.json", "--keys", "keys", `dir:${image}`], { cwd: work });
    expect(withKeys.code, withKeys.stdout + withKeys.stderr).toBe(0);
    const without = await runCli(["simulate", "--policy", "policy.json", `dir:${image}`], { cwd: work });
    expect(without.code).toBe(1);
  });

  it("config keys: (map form) works for verify too", async () => {
    fs.writeFileSync(path.join(work, ".imagetrust.yaml"), `keys:\n  ${INSTALL}: keys/ci.gpg\n`);
    try {
      const r = await runCli(["verify", "--policy", "policy.json", `dir:${image}`], { cwd: work });
      expect(r.code, r.stdout + r.stderr).toBe(0);
    } finally {
      fs.rmSync(path.join(work, ".imagetrust.yaml"));
    }
  });
});
