/**
 * sigstoreSigned with material generated here (keys by node:crypto, certificates by openssl, SETs by a generated
 * Rekor key), because Debian's package has neither upstream's Fulcio/Rekor/PKI fixtures nor working sigstore
 * verification. Expectations follow spec §4.3 and upstream's policy_eval_sigstore.go.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { verifyImage } from "../../src/verify/verify-image.js";
import { nodeHost } from "../../src/host/node-host.js";
import { makeTempDir } from "../harness/skopeo.js";
import { policyIR, type RequirementJson } from "../simulate/policy-builder.js";
import { cosignPayload, cosignSign, keyPair, makeCA, rekorSet, sigstoreBlob } from "./sigstore-helpers.js";

const manifest = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":[]}');
const digest = "sha256:" + createHash("sha256").update(manifest).digest("hex");
const repo = "registry.example/acme/app";
const ref = `docker://${repo}:v1`;
const payload = cosignPayload(digest, repo);

function pemFile(pem: string): string {
  const f = path.join(makeTempDir("pem-"), "key.pem");
  fs.writeFileSync(f, pem);
  return f;
}
async function verify(req: RequirementJson, blobs: Buffer[], now?: Date) {
  return verifyImage({
    host: nodeHost(),
    policy: policyIR({ default: [{ signedIdentity: { type: "matchRepository" }, ...req }] }),
    ref,
    manifest,
    signatures: blobs,
    now,
  });
}

describe("sigstoreSigned, key mode", () => {
  for (const kind of ["p256", "p384", "rsa", "ed25519"] as const) {
    it(`accepts a ${kind} signature and rejects one by another key`, async () => {
      const k = keyPair(kind);
      const other = keyPair(kind);
      const blob = sigstoreBlob(payload, { "dev.cosignproject.cosign/signature": cosignSign(k.privateKey, payload).toString("base64") });
      const ok = await verify({ type: "sigstoreSigned", keyPath: pemFile(k.pem) }, [blob]);
      expect([ok.verdict, ok.error]).toEqual(["allow", null]);
      const bad = await verify({ type: "sigstoreSigned", keyData: Buffer.from(other.pem).toString("base64") }, [blob]);
      expect(bad.verdict).toBe("deny");
      expect(bad.error).toMatch(/^cryptographic signature verification failed: /);
      expect(bad.requirements[0].signatures[0]).toMatchObject({ index: 0, accepted: false });
    });
  }

  it("keyPaths / keyDatas: any listed key may have signed", async () => {
    const a = keyPair("p256");
    const b = keyPair("ed25519");
    const blob = sigstoreBlob(payload, { "dev.cosignproject.cosign/signature": cosignSign(b.privateKey, payload).toString("base64") });
    expect((await verify({ type: "sigstoreSigned", keyPaths: [pemFile(a.pem), pemFile(b.pem)] }, [blob])).verdict).toBe("allow");
    expect((await verify({ type: "sigstoreSigned", keyDatas: [a.pem, b.pem].map((p) => Buffer.from(p).toString("base64")) }, [blob])).verdict).toBe("allow");
    expect((await verify({ type: "sigstoreSigned", keyDatas: [Buffer.from(a.pem).toString("base64")] }, [blob])).verdict).toBe("deny");
  });

  it("checks the payload strictly, digest before identity, with upstream's texts", async () => {
    const k = keyPair("p256");
    const blobFor = (p: Buffer) => sigstoreBlob(p, { "dev.cosignproject.cosign/signature": cosignSign(k.privateKey, p).toString("base64") });
    const req = { type: "sigstoreSigned", keyPath: pemFile(k.pem) };
    const cases: [Buffer, string][] = [
      [cosignPayload("sha256:" + "0".repeat(64), "other.example/x"), `Signature for digest sha256:${"0".repeat(64)} does not match`],
      [cosignPayload(digest, "other.example/x"), 'Signature for identity "other.example/x" is not accepted'],
      [Buffer.from(payload.toString().replace("cosign container image signature", "atomic container signature")), "Unrecognized signature type atomic container signature"],
      [Buffer.from(JSON.stringify({ critical: {}, optional: null, extra: 1 })), 'Unknown key "extra"'],
      [Buffer.from(JSON.stringify({ optional: null })), 'Key "critical" missing in a JSON object'],
      [Buffer.from(payload.toString().replace('"optional":null', '"optional":{"timestamp":1.5}')), "Field optional.timestamp is not is not an integer"],
      [Buffer.from("not json"), "invalid character 'o' in literal null (expecting 'u')"],
    ];
    for (const [p, message] of cases) {
      const r = await verify(req, [blobFor(p)]);
      expect({ verdict: r.verdict, error: r.error }).toEqual({ verdict: "deny", error: message });
    }
    // `"optional": {…}` with creator/timestamp is fine too.
    const withOptional = Buffer.from(payload.toString().replace('"optional":null', '"optional":{"creator":"me","timestamp":1700000000}'));
    expect((await verify(req, [blobFor(withOptional)])).verdict).toBe("allow");
  });

  it("counts GPG signatures and other attachments, and ignores them", async () => {
    const k = keyPair("p256");
    const req = { type: "sigstoreSigned", keyPath: pemFile(k.pem) };
    const attachment = sigstoreBlob(Buffer.from("{}"), {}, "application/vnd.example.sbom");
    const gpgLike = Buffer.from([0xa3, 0x01, 0x00]);
    const r = await verify(req, [attachment, gpgLike, attachment]);
    expect(r.error).toBe("A signature was required, but no signature exists (1 non-sigstore signatures, 2 sigstore non-signature attachments)");
    const missing = await verify(req, [sigstoreBlob(payload, {})]);
    expect(missing.error).toBe("missing dev.cosignproject.cosign/signature annotation");
  });
});

describe("sigstoreSigned, Rekor SET in key mode", () => {
  const k = keyPair("p256");
  const rekor = keyPair("p256");
  const sig = cosignSign(k.privateKey, payload);
  const req = { type: "sigstoreSigned", keyPath: pemFile(k.pem), rekorPublicKeyPath: pemFile(rekor.pem) };
  const blob = (set?: string) =>
    sigstoreBlob(payload, { "dev.cosignproject.cosign/signature": sig.toString("base64"), ...(set ? { "dev.sigstore.cosign/bundle": set } : {}) });

  it("accepts a valid SET and rejects a missing, forged or mismatched one", async () => {
    expect((await verify(req, [blob(rekorSet(rekor.privateKey, k.pem, sig, payload))])).verdict).toBe("allow");
    expect((await verify(req, [blob()])).error).toBe("missing dev.sigstore.cosign/bundle annotation");
    for (const set of [
      rekorSet(rekor.privateKey, k.pem, sig, payload, { tamper: "payload" }),
      rekorSet(rekor.privateKey, k.pem, sig, payload, { tamper: "set-signature" }),
      rekorSet(keyPair("p256").privateKey, k.pem, sig, payload),
      rekorSet(rekor.privateKey, keyPair("p256").pem, sig, payload),
      rekorSet(rekor.privateKey, k.pem, sig, payload, { bodySignature: Buffer.from("other") }),
      rekorSet(rekor.privateKey, k.pem, sig, Buffer.from("other payload")),
    ]) {
      const r = await verify(req, [blob(set)]);
      expect(r.verdict).toBe("deny");
      expect(r.error).toMatch(/^No public key verified against the RekorSET: /);
    }
  });

  it("refuses a Rekor key that is not ECDSA", async () => {
    const r = await verify({ ...req, rekorPublicKeyPath: pemFile(keyPair("ed25519").pem) }, [blob(rekorSet(rekor.privateKey, k.pem, sig, payload))]);
    expect(r.error).toBe("Rekor public key 1 is not using ECDSA");
  });
});

const haveOpenssl = fs.existsSync("/usr/bin/openssl");

describe.skipIf(!haveOpenssl && process.env.CI !== "true")("sigstoreSigned, Fulcio and PKI (certificates made with openssl)", () => {
  it("Fulcio: chain at the SET time, OIDC issuer, email", async () => {
    const ca = makeCA("fulcio", true);
    const rekor = keyPair("p256");
    const issuer = "https://oauth2.sigstore.dev/auth";
    const leaf = ca.leaf({ email: "dev@example.com", issuerV1: issuer, issuerV2: issuer });
    const sig = cosignSign(leaf.privateKey, payload);
    const blob = (certPem: string, set: string, chain = true) =>
      sigstoreBlob(payload, {
        "dev.cosignproject.cosign/signature": sig.toString("base64"),
        "dev.sigstore.cosign/certificate": certPem,
        ...(chain ? { "dev.sigstore.cosign/chain": ca.intermediatePem! + ca.rootPem } : {}),
        "dev.sigstore.cosign/bundle": set,
      });
    const fulcio = (over: Record<string, string> = {}) => ({
      type: "sigstoreSigned",
      fulcio: { caData: Buffer.from(ca.rootPem).toString("base64"), oidcIssuer: issuer, subjectEmail: "dev@example.com", ...over },
      rekorPublicKeyData: Buffer.from(rekor.pem).toString("base64"),
    });
    const set = rekorSet(rekor.privateKey, leaf.pem, sig, payload);
    expect((await verify(fulcio(), [blob(leaf.pem, set)])).verdict).toBe("allow");
    // The Fulcio root alone does not reach the leaf without the intermediate.
    expect((await verify(fulcio(), [blob(leaf.pem, set, false)])).error).toMatch(/certificate signed by unknown authority/);
    expect((await verify(fulcio({ oidcIssuer: "https://other" }), [blob(leaf.pem, set)])).error).toBe(`Unexpected Fulcio OIDC issuer "${issuer}"`);
    expect((await verify(fulcio({ subjectEmail: "x@example.com" }), [blob(leaf.pem, set)])).error).toBe('Required email "x@example.com" not found (got ["dev@example.com"])');
    // A SET integrated after the certificate expired (certificates are short-lived): the chain check fails.
    const late = rekorSet(rekor.privateKey, leaf.pem, sig, payload, { integratedTime: Math.floor(Date.now() / 1000) + 3 * 86400 });
    expect((await verify(fulcio(), [blob(leaf.pem, late)])).error).toMatch(/certificate has expired or is not yet valid/);
    // Another CA.
    const other = makeCA("other");
    expect((await verify(fulcio({ caData: Buffer.from(other.rootPem).toString("base64") }), [blob(leaf.pem, set)])).error).toMatch(/unknown authority/);
    // Not code signing.
    const web = ca.leaf({ email: "dev@example.com", issuerV1: issuer, codeSigning: false });
    const webSig = cosignSign(web.privateKey, payload);
    const webBlob = sigstoreBlob(payload, {
      "dev.cosignproject.cosign/signature": webSig.toString("base64"),
      "dev.sigstore.cosign/certificate": web.pem,
      "dev.sigstore.cosign/chain": ca.intermediatePem! + ca.rootPem,
      "dev.sigstore.cosign/bundle": rekorSet(rekor.privateKey, web.pem, webSig, payload),
    });
    expect((await verify(fulcio(), [webBlob])).error).toMatch(/incompatible key usage/);
  }, 60_000);

  it("PKI: chain with configured intermediates at the current time, email and hostname", async () => {
    const ca = makeCA("pki", true);
    const leaf = ca.leaf({ email: "build@example.com", dns: "build.example.com" });
    const sig = cosignSign(leaf.privateKey, payload);
    const blob = sigstoreBlob(payload, { "dev.cosignproject.cosign/signature": sig.toString("base64"), "dev.sigstore.cosign/certificate": leaf.pem });
    const pki = (over: Record<string, string> = {}) => ({
      type: "sigstoreSigned",
      pki: { caRootsPath: pemFile(ca.rootPem), caIntermediatesData: Buffer.from(ca.intermediatePem!).toString("base64"), subjectEmail: "build@example.com", ...over },
    });
    expect((await verify(pki(), [blob])).verdict).toBe("allow");
    expect((await verify(pki({ subjectHostname: "build.example.com" }), [blob])).verdict).toBe("allow");
    expect((await verify(pki({ subjectHostname: "evil.example.com" }), [blob])).error).toMatch(/^Unexpected subject hostname: /);
    expect((await verify(pki({ subjectEmail: "x@example.com" }), [blob])).error).toMatch(/^Required email "x@example.com" not found/);
    expect((await verify({ type: "sigstoreSigned", pki: { caRootsPath: pemFile(ca.rootPem), subjectEmail: "build@example.com" } }, [blob])).error).toMatch(/unknown authority/);
    // Checked at the current time: a day and a half later the one-day leaf has expired.
    const later = new Date(Date.now() + 36 * 3600 * 1000);
    expect((await verify(pki(), [blob], later)).error).toMatch(/certificate has expired or is not yet valid/);
    const noCert = sigstoreBlob(payload, { "dev.cosignproject.cosign/signature": sig.toString("base64") });
    expect((await verify(pki(), [noCert])).error).toBe("missing dev.sigstore.cosign/certificate annotation");
  }, 60_000);
});
