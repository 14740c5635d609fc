/**
 * containers/image's own signed fixtures (golang-github-containers-image-dev), read in place:
 * - GPG: every dir-img-* fixture and every single-signature fixture, with several policies, judged by skopeo 1.9.3;
 * - sigstore (cosign): the verdicts upstream's `policy_eval_sigstore_test.go` expects (Debian's build disables
 *   sigstore, so upstream's tests are the judge), plus Debian's own denial with `debianSigstoreDisabled`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { verifyImage, type VerifyImageOptions } from "../../src/verify/verify-image.js";
import { nodeHost } from "../../src/host/node-host.js";
import { makeTempDir, skopeoAvailable, skopeoCopyVerdict, UPSTREAM_SIGNATURE_FIXTURES as F } from "../harness/skopeo.js";
import { policyIR, policyJson, type PolicySpec, type RequirementJson } from "../simulate/policy-builder.js";

const ci = process.env.CI === "true";
const haveFixtures = fs.existsSync(path.join(F, "dir-img-valid"));

describe.skipIf((!haveFixtures || !skopeoAvailable()) && !ci)("GPG fixtures vs skopeo", () => {
  const gpgPolicies: Record<string, RequirementJson> = {
    default: { type: "signedBy", keyType: "GPGKeys", keyPath: path.join(F, "public-key.gpg") },
    exactReference: {
      type: "signedBy",
      keyType: "GPGKeys",
      keyPath: path.join(F, "public-key.gpg"),
      signedIdentity: { type: "exactReference", dockerReference: "testing/manifest:latest" },
    },
    exactRepository: {
      type: "signedBy",
      keyType: "GPGKeys",
      keyPath: path.join(F, "pubring.gpg"),
      signedIdentity: { type: "exactRepository", dockerRepository: "testing/manifest" },
    },
    otherKey: {
      type: "signedBy",
      keyType: "GPGKeys",
      keyPath: path.join(F, "public-key-1.gpg"),
      signedIdentity: { type: "exactRepository", dockerRepository: "testing/manifest" },
    },
    keyPaths: {
      type: "signedBy",
      keyType: "GPGKeys",
      keyPaths: [path.join(F, "public-key-1.gpg"), path.join(F, "public-key.gpg")],
      signedIdentity: { type: "exactRepository", dockerRepository: "testing/manifest" },
    },
  };
  const dirs = fs.readdirSync(F).filter((d) => d.startsWith("dir-img-") && !d.includes("no-manifest"));
  const singles = fs.readdirSync(F).filter((f) => /\.signature(-v3)?$/.test(f));

  it("every fixture image and signature gets skopeo's verdict and message", async () => {
    const cases: { name: string; dir: string; policy: PolicySpec }[] = [];
    for (const d of dirs) for (const [p, r] of Object.entries(gpgPolicies)) cases.push({ name: `${d} / ${p}`, dir: path.join(F, d), policy: { default: [r] } });
    for (const s of singles) {
      const dir = makeTempDir("single-");
      fs.copyFileSync(path.join(F, "image.manifest.json"), path.join(dir, "manifest.json"));
      fs.copyFileSync(path.join(F, s), path.join(dir, "signature-1"));
      for (const p of ["exactReference", "exactRepository", "otherKey"]) cases.push({ name: `${s} / ${p}`, dir, policy: { default: [gpgPolicies[p]] } });
    }
    const results = await Promise.all(
      cases.map(async (c) => {
        const mine = await verifyImage({ host: nodeHost(), policy: policyIR(c.policy), ref: `dir:${c.dir}`, target: "5.23", debianSigstoreDisabled: true });
        const theirs = await skopeoCopyVerdict(policyJson(c.policy), `dir:${c.dir}`);
        // The fixtures have no blobs: an allowed copy fails later, reading the first blob.
        const skopeoAllowed = theirs.allowed === true || (theirs.allowed === null && /^reading blob /.test(theirs.message ?? ""));
        return { name: c.name, mine: { allowed: mine.verdict === "allow", message: mine.error }, theirs: { allowed: skopeoAllowed, message: skopeoAllowed ? null : theirs.message } };
      }),
    );
    // Version 3 signature packets (the *-v3 fixtures) included: openpgp.js skips them, src/verify/gpg-v3.ts reads them.
    const disagree = results.filter((r) => r.mine.allowed !== r.theirs.allowed || (!r.mine.allowed && r.mine.message !== r.theirs.message));
    expect(disagree).toEqual([]);
    expect(results.filter((r) => r.theirs.allowed).length).toBeGreaterThan(5);
    expect(results.length).toBeGreaterThan(60);
  }, 300_000);
});

describe.skipIf(!haveFixtures && !ci)("cosign fixtures: upstream's expected verdicts", () => {
  const cosign = path.join(F, "cosign.pub");
  const sigstore = (identity?: RequirementJson, keys: Partial<RequirementJson> = { keyPath: cosign }): PolicySpec => ({
    default: [{ type: "sigstoreSigned", ...keys, signedIdentity: identity ?? { type: "matchRepository" } }],
  });
  /** The upstream test's dirImageMock(dir, ref): that dir's manifest and signatures, evaluated for a docker reference. */
  async function run(dir: string, ref: string, policy: PolicySpec, extra: Partial<VerifyImageOptions> = {}) {
    const d = path.join(F, dir);
    const m = path.join(d, "manifest.json");
    return verifyImage({
      host: nodeHost(),
      policy: policyIR(policy),
      ref: `docker://${ref}`,
      signaturesDir: d,
      manifest: fs.existsSync(m) ? fs.readFileSync(m) : undefined,
      ...extra,
    });
  }
  const sample = "192.168.64.2:5000/cosign-signed-single-sample";

  it("accepts valid signatures (keyPath, keyData, keyDatas, keyPaths; valid-2, mixed; matchExact with a tag)", async () => {
    const keyData = fs.readFileSync(cosign).toString("base64");
    for (const [dir, ref, pol] of [
      ["dir-img-cosign-valid", sample, sigstore()],
      ["dir-img-cosign-valid", sample, sigstore(undefined, { keyData })],
      ["dir-img-cosign-valid", sample, sigstore(undefined, { keyDatas: [keyData] })],
      ["dir-img-cosign-valid", sample, sigstore(undefined, { keyPaths: [path.join(F, "public-key.gpg").replace(/public-key.gpg$/, "cosign.pub")] })],
      ["dir-img-cosign-valid-2", sample, sigstore()],
      ["dir-img-cosign-mixed", sample, sigstore()],
      ["dir-img-cosign-valid-with-tag", "192.168.64.2:5000/skopeo-signed:tag", sigstore({ type: "matchExact" })],
    ] as const) {
      const r = await run(dir, ref, pol);
      expect({ dir, verdict: r.verdict, error: r.error }).toEqual({ dir, verdict: "allow", error: null });
      expect(r.requirements[0].signatures.some((s) => s.accepted)).toBe(true);
    }
  });

  it("rejects with upstream's reasons", async () => {
    const expectDeny = async (dir: string, ref: string, pol: PolicySpec, message: string | RegExp) => {
      const r = await run(dir, ref, pol);
      expect(r.verdict, dir).toBe("deny");
      if (typeof message === "string") expect(r.error).toBe(message);
      else expect(r.error).toMatch(message);
    };
    await expectDeny("dir-img-cosign-valid", "testing/manifest:notlatest", sigstore(), 'Signature for identity "192.168.64.2:5000/cosign-signed-single-sample" is not accepted');
    await expectDeny("dir-img-cosign-valid-2", "this/doesnt:match", sigstore(), /^None of the signatures were accepted, reasons: Signature for identity .* is not accepted; Signature for identity .* is not accepted$/);
    await expectDeny("dir-img-cosign-valid-with-tag", "192.168.64.2:5000/skopeo-signed:othertag", sigstore({ type: "matchExact" }), /^Signature for identity "192.168.64.2:5000\/skopeo-signed:tag" is not accepted$/);
    await expectDeny("dir-img-cosign-valid", sample + ":latest", sigstore({ type: "matchExact" }), /is not accepted$/);
    await expectDeny("dir-img-cosign-valid", sample, sigstore({ type: "exactReference", dockerReference: "this/doesnt:match" }), /is not accepted$/);
    await expectDeny("dir-img-cosign-modified-manifest", sample, sigstore(), /^Signature for digest sha256:[0-9a-f]{64} does not match$/);
    await expectDeny("dir-img-cosign-manifest-digest-error", sample, sigstore(), /^error unmarshalling signatures: /);
    await expectDeny("dir-img-cosign-no-manifest", sample, sigstore(), "no manifest given");
    await expectDeny("dir-img-unsigned", "testing/manifest:latest", sigstore(), "A signature was required, but no signature exists");
    await expectDeny("dir-img-valid", "testing/manifest:latest", sigstore(), "A signature was required, but no signature exists (1 non-sigstore signatures, 0 sigstore non-signature attachments)");
    await expectDeny("dir-img-cosign-other-attachment", "testing/manifest:latest", sigstore(), "A signature was required, but no signature exists (0 non-sigstore signatures, 1 sigstore non-signature attachments)");
    await expectDeny("dir-img-cosign-valid", sample, sigstore(undefined, { keyPath: "/this/does/not/exist" }), "open /this/does/not/exist: no such file or directory");
    await expectDeny("dir-img-cosign-valid", sample, sigstore(undefined, { keyData: "" }), /^parsing public key 1: /);
    await expectDeny("dir-img-cosign-valid", sample, sigstore(undefined, { keyPath: path.join(F, "public-key.gpg") }), /^parsing public key 1: /);
  });

  it("rejects a signature by an unknown key, a missing or broken cryptographic signature", async () => {
    const dir = makeTempDir("cosign-");
    const sig = fs.readFileSync(path.join(F, "dir-img-cosign-valid", "signature-1"));
    const json = JSON.parse(sig.subarray(sig.indexOf(0x0a) + 1).toString());
    const write = (name: string, annotations: Record<string, string>) => {
      const d = path.join(dir, name);
      fs.mkdirSync(d);
      fs.writeFileSync(path.join(d, "signature-1"), Buffer.concat([Buffer.from("\x00sigstore-json\n"), Buffer.from(JSON.stringify({ ...json, annotations }))]));
      return d;
    };
    const manifest = fs.readFileSync(path.join(F, "dir-img-cosign-valid", "manifest.json"));
    const pol = policyIR(sigstore(undefined, { keyPath: cosign }));
    const v = (d: string) => verifyImage({ host: nodeHost(), policy: pol, ref: `docker://${sample}`, signaturesDir: d, manifest });
    expect((await v(write("none", {}))).error).toBe("missing dev.cosignproject.cosign/signature annotation");
    expect((await v(write("bad", { "dev.cosignproject.cosign/signature": Buffer.from("invalid signature").toString("base64") }))).error).toMatch(
      /^cryptographic signature verification failed: /,
    );
    const unknown = path.join(dir, "unknown");
    fs.mkdirSync(unknown);
    fs.copyFileSync(path.join(F, "unknown-cosign-key.signature"), path.join(unknown, "signature-1"));
    expect((await v(unknown)).error).toMatch(/^cryptographic signature verification failed: /);
    // cosign2.pub/some RSA keys are absent from Debian's fixtures; a wrong key of another type also fails.
  });

  it("reproduces Debian's patched 5.23.1 on request", async () => {
    const r = await run("dir-img-cosign-valid", sample, sigstore(), { debianSigstoreDisabled: true, target: "5.23" });
    expect(r.error).toBe("Debian-local change: sigstore disabled");
  });
});
