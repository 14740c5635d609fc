/**
 * Corrupt and truncated GPG signatures: many variants of one skopeo-made signature (truncations, byte flips),
 * each judged by skopeo 1.9.3. Verdicts must agree on every variant (never an allow where skopeo denies);
 * messages are compared too and their agreement is counted.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { verifyImage } from "../../src/verify/verify-image.js";
import { nodeHost } from "../../src/host/node-host.js";
import { makeDirImage, makeTempDir, skopeoAvailable, skopeoCopyVerdict } from "../harness/skopeo.js";
import { policyIR, policyJson, type PolicySpec } from "../simulate/policy-builder.js";
import { genKey, gnupgHome, skopeoSign, type TestKey } from "./gpg-helpers.js";

const ci = process.env.CI === "true";

describe.skipIf(!skopeoAvailable() && !ci)("corrupt GPG signatures vs skopeo", () => {
  let key: TestKey;
  let sig: Buffer;
  let manifest: Buffer;
  beforeAll(async () => {
    key = genKey(gnupgHome(), "Corrupt Signer <c@example.com>");
    const img = makeDirImage(makeTempDir("c-"));
    manifest = img.manifest;
    sig = await skopeoSign(key, manifest, "example.com/app:v1");
  }, 60_000);

  it("agrees on verdicts for truncations and byte flips", async () => {
    const variants: { name: string; blob: Buffer }[] = [];
    const n = sig.length;
    for (const len of [1, 2, 3, 8, 16, 40, Math.floor(n / 3), Math.floor(n / 2), n - 40, n - 8, n - 1]) variants.push({ name: `truncated to ${len}`, blob: sig.subarray(0, len) });
    for (let k = 1; k < 30; k++) {
      const at = Math.floor((n * k) / 30);
      const b = Buffer.from(sig);
      b[at] ^= 0x01;
      variants.push({ name: `bit flip at ${at}/${n}`, blob: b });
    }
    variants.push({ name: "trailing garbage", blob: Buffer.concat([sig, Buffer.from("garbage")]) });
    variants.push({ name: "signature twice", blob: Buffer.concat([sig, sig]) });
    const policy: PolicySpec = {
      default: [{ type: "signedBy", keyType: "GPGKeys", keyPath: key.pubBinary, signedIdentity: { type: "exactRepository", dockerRepository: "example.com/app" } }],
    };
    const results = await Promise.all(
      variants.map(async (v) => {
        const img = makeDirImage(makeTempDir("cv-"), { signatures: [v.blob] });
        const mine = await verifyImage({ host: nodeHost(), policy: policyIR(policy), ref: `dir:${img.dir}`, target: "5.23" });
        const theirs = await skopeoCopyVerdict(policyJson(policy), `dir:${img.dir}`);
        return { name: v.name, mine: { allowed: mine.verdict === "allow", message: mine.error }, theirs: { allowed: theirs.allowed === true, message: theirs.message ?? null } };
      }),
    );
    expect(results.filter((r) => r.mine.allowed !== r.theirs.allowed)).toEqual([]);
    const messageDiffs = results.filter((r) => !r.mine.allowed && r.mine.message !== r.theirs.message);
    // Message agreement is reported, and must stay high; gpg's own parse errors are the hard part.
    console.log(`corrupt signatures: ${results.length} variants, verdicts agree on all, messages agree on ${results.length - messageDiffs.length}`);
    for (const d of messageDiffs) console.log(`  ${d.name}: ours ${JSON.stringify(d.mine.message)} / skopeo ${JSON.stringify(d.theirs.message)}`);
    expect(messageDiffs.length).toBeLessThanOrEqual(Math.floor(results.length / 4));
  }, 300_000);
});
