/**
 * Issue 12: signatures where containers/image does not look (cosign 3 bundles as OCI 1.1 referrers, the referrers
 * tag, a .sig tag without use-sigstore-attachments), against Debian's docker-registry started here and, for the
 * referrers API it lacks, a small server speaking the distribution spec in front of it. Bundles, certificates (a
 * test CA standing in for Fulcio) and Rekor SETs are made by the tests. The runtime's verdict is skopeo's where it can
 * judge (the .sig-tag path and GPG; Debian's skopeo rejects every sigstore signature, so a key-only sigstoreSigned
 * policy that 5.23 loads is used, and the verdict compared is "no signature exists": nothing is read).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeHost } from "../../src/host/node-host.js";
import { verifyImage } from "../../src/verify/verify-image.js";
import { makeDirImage, makeTempDir, pushDirImage, registryAvailable, skopeoAvailable, skopeoCopyVerdict, startRegistry, type LocalRegistry } from "../harness/skopeo.js";
import { policyIR, policyJson, type PolicySpec } from "../simulate/policy-builder.js";
import { makeBundle, pushBundleReferrer, pushSigTag, putManifest, referrersApiServer, referrersIndex, type Referrer } from "./bundle-helpers.js";
import { cosignPayload, cosignSign, keyPair, makeCA } from "./sigstore-helpers.js";
import { runCli } from "../cli/helpers.js";
import { registriesDFromText as registriesD } from "./registries-d-text.js";

const ci = process.env.CI === "true";


describe.skipIf((!skopeoAvailable() || !registryAvailable()) && !ci)("signatures the runtime does not read (issue 12 §2)", () => {
  let registry: LocalRegistry;
  let host: string;
  let api: { host: string; close(): Promise<void> };
  const referrers = new Map<string, Referrer[]>();
  const signer = keyPair("p256");
  const rekor = keyPair("p256");
  const images: Record<string, { digest: string; size: number }> = {};
  let ca: ReturnType<typeof makeCA>;
  const attachmentsOn = () => registriesD(`default-docker:\n  use-sigstore-attachments: true\n`);
  const keyPolicy = (): PolicySpec => ({ default: [{ type: "sigstoreSigned", keyData: Buffer.from(signer.pem).toString("base64"), signedIdentity: { type: "matchRepository" } }] });

  beforeAll(async () => {
    registry = await startRegistry();
    host = registry.url;
    api = await referrersApiServer(host, referrers);
    ca = makeCA("test-fulcio");
    const push = async (repo: string) => {
      const img = makeDirImage(makeTempDir(`${repo.replace("/", "-")}-`), { config: JSON.stringify({ architecture: "amd64", os: "linux", repo }) });
      await pushDirImage(img.dir, registry, `${repo}:v1`);
      images[repo] = { digest: img.manifestDigest, size: img.manifest.length };
      return img;
    };
    const subject = (repo: string) => ({ digest: images[repo].digest, size: images[repo].size, mediaType: "application/vnd.docker.distribution.manifest.v2+json" });
    // cosign 3 default: a bundle signed with the key, as a referrer served by the referrers API.
    await push("acme/api");
    const r1 = await pushBundleReferrer(host, "acme/api", subject("acme/api"), makeBundle({ digest: images["acme/api"].digest, signer: signer.privateKey }));
    referrers.set(`acme/api@${images["acme/api"].digest}`, [r1]);
    // The same, where the registry has no API: the referrers tag sha256-<hex> holds the index.
    await push("acme/tagged");
    const r2 = await pushBundleReferrer(host, "acme/tagged", subject("acme/tagged"), makeBundle({ digest: images["acme/tagged"].digest, signer: signer.privateKey }));
    await putManifest(host, "acme/tagged", `sha256-${images["acme/tagged"].digest.slice(7)}`, referrersIndex([r2]), "application/vnd.oci.image.index.v1+json");
    // Old format in the .sig tag (read only with use-sigstore-attachments), plus an attestation referrer.
    await push("acme/old");
    const payload = cosignPayload(images["acme/old"].digest, `${api.host}/acme/old`);
    await pushSigTag(host, "acme/old", images["acme/old"].digest, {
      mediaType: "application/vnd.dev.cosign.simplesigning.v1+json",
      data: payload,
      annotations: { "dev.cosignproject.cosign/signature": cosignSign(signer.privateKey, payload).toString("base64") },
    });
    const att = await pushBundleReferrer(host, "acme/old", subject("acme/old"), makeBundle({ digest: images["acme/old"].digest, signer: signer.privateKey, predicateType: "https://slsa.dev/provenance/v1" }), "https://slsa.dev/provenance/v1");
    referrers.set(`acme/old@${images["acme/old"].digest}`, [att]);
    // A bundle pushed into the .sig tag: the runtime reads the layer, but it is no signature to it.
    await push("acme/sigbundle");
    const bundle = makeBundle({ digest: images["acme/sigbundle"].digest, signer: signer.privateKey });
    await pushSigTag(host, "acme/sigbundle", images["acme/sigbundle"].digest, { mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json", data: bundle });
    // Keyless: a leaf of the test CA for dev@acme.example, Rekor SET by the test Rekor key; and one for someone else.
    await push("acme/keyless");
    const good = ca.leaf({ email: "dev@acme.example", issuerV2: "https://issuer.acme.example", days: 2 });
    const other = ca.leaf({ email: "intruder@evil.example", issuerV2: "https://issuer.acme.example", days: 2 });
    const k = images["acme/keyless"].digest;
    const rk1 = await pushBundleReferrer(host, "acme/keyless", subject("acme/keyless"), makeBundle({ digest: k, signer: good.privateKey, certPem: good.pem, rekorKey: rekor.privateKey }));
    const rk2 = await pushBundleReferrer(host, "acme/keyless", subject("acme/keyless"), makeBundle({ digest: k, signer: other.privateKey, certPem: other.pem, rekorKey: rekor.privateKey }));
    const rk3 = await pushBundleReferrer(host, "acme/keyless", subject("acme/keyless"), makeBundle({ digest: k, signer: good.privateKey, certPem: good.pem }));
    referrers.set(`acme/keyless@${k}`, [rk1, rk2, rk3]);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await registry?.stop();
  });

  it("a cosign 3 bundle behind the referrers API: deny as skopeo, IT5830 + IT5835 with the old-format fix, and it would satisfy the policy", async () => {
    const regd = attachmentsOn();
    const ref = `docker://${api.host}/acme/api:v1`;
    const mine = await verifyImage({ host: nodeHost(), policy: policyIR(keyPolicy()), registriesD: regd.config, ref, online: { tlsVerify: false } });
    expect(mine.verdict).toBe("deny");
    expect(mine.error).toBe("A signature was required, but no signature exists");
    const theirs = await skopeoCopyVerdict(policyJson(keyPolicy()), ref, { registriesD: regd.dir, srcTlsVerify: false });
    expect([theirs.allowed, theirs.message]).toEqual([false, mine.error]);
    const a = mine.evidence.artifacts ?? [];
    expect(a.map((x) => [x.place, x.kind, x.readByRuntime])).toEqual([["referrers-api", "sigstore-bundle", false]]);
    expect(a[0].bundleCheck?.wouldSatisfy).toBe(true);
    expect(a[0].bundleCheck?.checks.map((c) => [c.check, c.passed])).toEqual([
      ["bundle", true],
      ["digest", true],
      ["signature", true],
      ["signedIdentity", null],
    ]);
    const codes = (mine.evidence.findings ?? []).map((f) => f.code);
    expect(codes).toEqual(["IT5835", "IT5830", "IT5836"]);
    expect(mine.evidence.findings?.[0].hint).toContain("--new-bundle-format=false --use-signing-config=false");
  }, 60_000);

  it("simulate --online says the same (CLI, JSON and text)", async () => {
    const regd = attachmentsOn();
    const policyFile = path.join(makeTempDir("sim-"), "policy.json");
    fs.writeFileSync(policyFile, policyJson(keyPolicy()));
    const ref = `docker://${api.host}/acme/api:v1`;
    const j = await runCli(["simulate", "--policy", policyFile, "--registries-d", regd.dir, "--online", "--tls-verify=false", "--format", "json", ref]);
    expect(j.code).toBe(1);
    const [r] = JSON.parse(j.stdout) as { verdict: string; signatures: { artifacts: { place: string }[]; findings: { code: string }[] } }[];
    expect([r.verdict, r.signatures.artifacts.map((a) => a.place), r.signatures.findings.map((f) => f.code)]).toEqual(["deny", ["referrers-api"], ["IT5835", "IT5830", "IT5836"]]);
    const t = await runCli(["simulate", "--policy", policyFile, "--registries-d", regd.dir, "--online", "--tls-verify=false", ref]);
    expect(t.stdout).toContain("IT5835 error: the image is signed (1 signature in the referrers API), but not where containers/image reads signatures");
    expect(t.stdout).toContain("if it were read: would satisfy the policy");
  }, 60_000);

  it("the referrers tag (a registry without the API): IT5831, same verdict as skopeo", async () => {
    const regd = attachmentsOn();
    const ref = `docker://${host}/acme/tagged:v1`;
    const mine = await verifyImage({ host: nodeHost(), policy: policyIR(keyPolicy()), registriesD: regd.config, ref, online: { tlsVerify: false } });
    const theirs = await skopeoCopyVerdict(policyJson(keyPolicy()), ref, { registriesD: regd.dir, srcTlsVerify: false });
    expect([mine.verdict, mine.error]).toEqual(["deny", theirs.message]);
    expect((mine.evidence.artifacts ?? []).map((x) => [x.place, x.kind])).toEqual([["referrers-tag", "sigstore-bundle"]]);
    expect((mine.evidence.findings ?? []).map((f) => f.code)).toEqual(["IT5835", "IT5831", "IT5836"]);
  }, 60_000);

  it("the .sig tag without use-sigstore-attachments: IT5832 and the registries.d fix; with it, read and accepted; the attestation is IT5833", async () => {
    const off = registriesD(`default-docker:\n  sigstore-staging: file:///tmp/unused\n`);
    const ref = `docker://${api.host}/acme/old:v1`;
    const mine = await verifyImage({ host: nodeHost(), policy: policyIR(keyPolicy()), registriesD: off.config, ref, online: { tlsVerify: false } });
    const theirs = await skopeoCopyVerdict(policyJson(keyPolicy()), ref, { registriesD: off.dir, srcTlsVerify: false });
    expect([mine.verdict, mine.error]).toEqual(["deny", theirs.message]);
    expect((mine.evidence.artifacts ?? []).map((x) => [x.place, x.kind, x.readByRuntime])).toEqual([
      ["sig-tag", "cosign-simple-signing", false],
      ["referrers-api", "attestation", false],
    ]);
    const f = mine.evidence.findings ?? [];
    expect(f.map((x) => x.code)).toEqual(["IT5835", "IT5832", "IT5833"]);
    expect(f[0].hint).toContain("use-sigstore-attachments: true");
    const on = await verifyImage({ host: nodeHost(), policy: policyIR(keyPolicy()), registriesD: attachmentsOn().config, ref, online: { tlsVerify: false } });
    expect([on.verdict, on.error]).toEqual(["allow", null]);
    expect((on.evidence.findings ?? []).map((x) => x.code)).toEqual(["IT5833"]);
  }, 60_000);

  it("a bundle inside the .sig tag: read but no signature to the runtime (IT5838), the message counts it as skopeo does", async () => {
    const regd = attachmentsOn();
    const ref = `docker://${host}/acme/sigbundle:v1`;
    const mine = await verifyImage({ host: nodeHost(), policy: policyIR(keyPolicy()), registriesD: regd.config, ref, online: { tlsVerify: false }, target: "5.23", debianSigstoreDisabled: true });
    const theirs = await skopeoCopyVerdict(policyJson(keyPolicy()), ref, { registriesD: regd.dir, srcTlsVerify: false });
    expect([mine.verdict, mine.error]).toEqual(["deny", theirs.message]);
    expect(mine.error).toBe("A signature was required, but no signature exists (0 non-sigstore signatures, 1 sigstore non-signature attachments)");
    // Debian's build would reject the bundle even if it were a signature to it.
    expect((mine.evidence.findings ?? []).map((f) => f.code)).toEqual(["IT5835", "IT5838", "IT5837"]);
    expect(mine.evidence.artifacts?.[0].bundleCheck?.checks.at(-1)).toEqual({ check: "runtime", passed: false, detail: expect.stringContaining("sigstore disabled") });
    const upstream = await verifyImage({ host: nodeHost(), policy: policyIR(keyPolicy()), registriesD: regd.config, ref, online: { tlsVerify: false } });
    expect((upstream.evidence.findings ?? []).map((f) => f.code)).toEqual(["IT5835", "IT5838", "IT5836"]);
  }, 60_000);

  it("keyless bundles checked against the policy's Fulcio CA, issuer, e-mail and Rekor key: one would satisfy, one names another e-mail, one has no SET", async () => {
    const policy: PolicySpec = {
      default: [
        {
          type: "sigstoreSigned",
          fulcio: { caData: Buffer.from(ca.rootPem).toString("base64"), oidcIssuer: "https://issuer.acme.example", subjectEmail: "dev@acme.example" },
          rekorPublicKeyData: Buffer.from(rekor.pem).toString("base64"),
          signedIdentity: { type: "matchRepository" },
        },
      ],
    };
    const r = await verifyImage({ host: nodeHost(), policy: policyIR(policy), registriesD: attachmentsOn().config, ref: `docker://${api.host}/acme/keyless:v1`, online: { tlsVerify: false } });
    expect([r.verdict, r.error]).toEqual(["deny", "A signature was required, but no signature exists"]);
    const checks = (r.evidence.artifacts ?? []).map((a) => a.bundleCheck);
    expect(checks.map((c) => c?.wouldSatisfy)).toEqual([true, false, false]);
    expect(checks[0]?.checks.filter((c) => c.passed).map((c) => c.check)).toEqual(["bundle", "digest", "rekor", "certificate", "issuer", "identity", "signature"]);
    expect(checks[1]?.checks.find((c) => c.check === "identity")?.detail).toBe("the certificate names e-mail intruder@evil.example; the policy wants e-mail dev@acme.example");
    expect(checks[2]?.checks.find((c) => c.check === "rekor")?.detail).toMatch(/inclusion proof but no inclusion promise \(SET\)/);
    expect((r.evidence.findings ?? []).map((f) => f.code)).toEqual(["IT5835", "IT5830", "IT5836", "IT5830", "IT5837", "IT5830", "IT5837"]);
  }, 60_000);
});
