/**
 * A keyless certificate from a CI workflow carries a URI SAN (issue 12 §1): verified against a policy with an e-mail
 * identity, with the workflow URI written as the e-mail (the common mistake) and with the wrong issuer. Our verdict and
 * message must be what containers/image decides — signature/fulcio_cert.go verifyFulcioCertificateAtTime: the OIDC
 * issuer first, then `slices.Contains(EmailAddresses, subjectEmail)`; upstream's own table
 * (fulcio_cert_test.go TestFulcioTrustRootVerifyFulcioCertificateAtTime: "Missing subject email", "OtherName in SAN",
 * "Multiple emails, one matches", "Issuer mismatch") is the reference. Debian's 5.23.1 has no Fulcio code and its skopeo
 * rejects sigstore entirely, so the reference here is test/harness/fulcio-subject: that logic restated over Go's own
 * crypto/x509 (which decides what is an e-mail SAN and what a URI), run on the very certificates the test made.
 * Beside the verdict, the rejection carries IT5800 with every SAN (kind, value) and the issuer extension.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { nodeHost } from "../../src/host/node-host.js";
import { renderVerifyText } from "../../src/verify/render-text.js";
import { verifyImage } from "../../src/verify/verify-image.js";
import { makeTempDir } from "../harness/skopeo.js";
import { policyIR, type RequirementJson } from "../simulate/policy-builder.js";
import { cosignPayload, cosignSign, keyPair, makeCA, rekorSet, sigstoreBlob } from "./sigstore-helpers.js";

const haveOpenssl = spawnSync("openssl", ["version"], { stdio: "ignore" }).status === 0;
const haveGo = spawnSync("go", ["version"], { stdio: "ignore" }).status === 0;
const CI = process.env.CI === "true";

const manifest = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":[]}');
const digest = "sha256:" + createHash("sha256").update(manifest).digest("hex");
const repo = "ghcr.io/acme/app";
const payload = cosignPayload(digest, repo);
const GITHUB = "https://token.actions.githubusercontent.com";
const WORKFLOW = "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main";

/** Go's decision (test/harness/fulcio-subject) for each request. */
function goDecide(requests: Array<{ cert: string; oidcIssuer: string; subjectEmail: string }>): Array<{ ok: boolean; error?: string; emails: string[]; uris: string[] }> {
  const bin = path.join(makeTempDir("fulcio-subject-"), "fulcio-subject");
  const dir = fileURLToPath(new URL("../harness/fulcio-subject/", import.meta.url));
  execFileSync("go", ["build", "-o", bin, "."], { cwd: dir, env: { ...process.env, GO111MODULE: "off", GOFLAGS: "", GOCACHE: process.env.GOCACHE ?? path.join(makeTempDir("gocache-"), "c") } });
  const out = execFileSync(bin, { input: requests.map((r) => JSON.stringify(r)).join("\n") + "\n", encoding: "utf8" });
  return out.trim().split("\n").map((l) => JSON.parse(l));
}

describe.skipIf((!haveOpenssl || !haveGo) && !CI)("keyless certificates with a URI SAN (GitHub Actions)", () => {
  const ca = makeCA("fulcio", true);
  const rekor = keyPair("p256");
  const leaves = {
    workflow: ca.leaf({ uri: WORKFLOW, issuerV2: GITHUB }),
    person: ca.leaf({ email: "release@acme.example", issuerV1: "https://github.com/login/oauth", issuerV2: "https://github.com/login/oauth" }),
    both: ca.leaf({ email: "release@acme.example", uri: WORKFLOW, issuerV2: GITHUB }),
  };
  const blobOf = (leaf: { pem: string; privateKey: import("node:crypto").KeyObject }) => {
    const sig = cosignSign(leaf.privateKey, payload);
    return sigstoreBlob(payload, {
      "dev.cosignproject.cosign/signature": sig.toString("base64"),
      "dev.sigstore.cosign/certificate": leaf.pem,
      "dev.sigstore.cosign/chain": ca.intermediatePem! + ca.rootPem,
      "dev.sigstore.cosign/bundle": rekorSet(rekor.privateKey, leaf.pem, sig, payload),
    });
  };
  const policy = (oidcIssuer: string, subjectEmail: string): RequirementJson => ({
    type: "sigstoreSigned",
    fulcio: { caData: Buffer.from(ca.rootPem).toString("base64"), oidcIssuer, subjectEmail },
    rekorPublicKeyData: Buffer.from(rekor.pem).toString("base64"),
    signedIdentity: { type: "matchRepository" },
  });
  const verify = (req: RequirementJson, blob: Buffer) =>
    verifyImage({ host: nodeHost(), policy: policyIR({ default: [req] }), ref: `docker://${repo}:1.0`, manifest, signatures: [blob] });

  /** leaf, policy issuer, policy subjectEmail, expected verdict. */
  const CASES: Array<[keyof typeof leaves, string, string, "allow" | "deny"]> = [
    ["workflow", GITHUB, "release@acme.example", "deny"], // an e-mail identity: the certificate has no e-mail SAN
    ["workflow", GITHUB, WORKFLOW, "deny"], // the workflow URI written as subjectEmail: compared with e-mail SANs only
    ["workflow", "https://github.com/login/oauth", WORKFLOW, "deny"], // wrong issuer: checked first
    ["both", GITHUB, "release@acme.example", "allow"], // an e-mail SAN beside the URI: the e-mail matches
    ["both", GITHUB, WORKFLOW, "deny"],
    ["person", "https://github.com/login/oauth", "release@acme.example", "allow"],
  ];

  it("verdicts and messages equal Go's x509 + fulcio_cert.go logic on the same certificates", async () => {
    const go = goDecide(CASES.map(([leaf, oidcIssuer, subjectEmail]) => ({ cert: leaves[leaf].pem, oidcIssuer, subjectEmail })));
    expect(go[0]).toMatchObject({ emails: [], uris: [WORKFLOW] }); // Go puts the workflow in URIs, not EmailAddresses
    for (let i = 0; i < CASES.length; i++) {
      const [leaf, issuer, email, expected] = CASES[i];
      const r = await verify(policy(issuer, email), blobOf(leaves[leaf]));
      expect([r.verdict, go[i].ok ? "allow" : "deny"], `${leaf} / ${issuer} / ${email}`).toEqual([expected, expected]);
      if (expected === "deny") expect(r.error).toBe(go[i].error);
    }
  }, 120_000);

  it("an e-mail policy against a workflow certificate: IT5800 lists the URI SAN and the issuer beside the policy's", async () => {
    const r = await verify(policy(GITHUB, "release@acme.example"), blobOf(leaves.workflow));
    expect(r.error).toBe('Required email "release@acme.example" not found (got [])');
    const f = r.requirements[0].signatures[0].finding!;
    expect(f).toMatchObject({
      code: "IT5800",
      kind: "certificateIdentity",
      mismatch: "subject",
      certificate: { subjectAlternativeNames: [{ kind: "URI", value: WORKFLOW }], oidcIssuer: GITHUB },
      policy: { oidcIssuer: GITHUB, subjectEmail: "release@acme.example" },
      workflowIdentity: WORKFLOW,
    });
    expect(f.message).toMatch(/names a CI workflow \(URI SAN https:\/\/github.com\/acme\/app\/.*\) and has no e-mail SAN/);
    const text = renderVerifyText(r);
    expect(text).toContain(`      IT5800 The certificate names a CI workflow (URI SAN ${WORKFLOW})`);
    expect(text).toContain(`        certificate: URI ${WORKFLOW}; OIDC issuer ${GITHUB}\n`);
    expect(text).toContain(`        policy asks for: email release@acme.example, OIDC issuer ${GITHUB}\n`);
    expect(text).toContain("        see: imagetrust explain IT5800\n");
  }, 60_000);

  it("the issuer is checked first: IT5800 says issuer, with both values", async () => {
    const r = await verify(policy("https://github.com/login/oauth", WORKFLOW), blobOf(leaves.workflow));
    expect(r.error).toBe(`Unexpected Fulcio OIDC issuer "${GITHUB}"`);
    expect(r.requirements[0].signatures[0].finding).toMatchObject({
      code: "IT5800",
      mismatch: "issuer",
      certificate: { oidcIssuer: GITHUB },
      policy: { oidcIssuer: "https://github.com/login/oauth" },
    });
  }, 60_000);

  it("a certificate with both SANs lists both kinds when the e-mail differs", async () => {
    const r = await verify(policy(GITHUB, "other@acme.example"), blobOf(leaves.both));
    expect(r.requirements[0].signatures[0].finding).toMatchObject({
      certificate: { subjectAlternativeNames: expect.arrayContaining([{ kind: "email", value: "release@acme.example" }, { kind: "URI", value: WORKFLOW }]) },
    });
    expect(r.requirements[0].signatures[0].finding!.message).toMatch(/it carries (email release@acme\.example, URI|URI .*, email release@acme\.example)/);
  }, 60_000);
});
