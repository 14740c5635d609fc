/**
 * Sigstore bundles checked against a sigstoreSigned requirement (bundle.ts), "break one thing" table: each case
 * changes one part of a good keyless bundle (test CA standing in for Fulcio, test Rekor key) and names the check that
 * must fail. Material is made here, never downloaded.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { SigstoreSigned } from "../../src/ir/types.js";
import { checkBundle } from "../../src/verify/bundle.js";
import { makeBundle } from "./bundle-helpers.js";
import { keyPair, makeCA } from "./sigstore-helpers.js";

const digest = "sha256:" + createHash("sha256").update("image").digest("hex");
const ca = makeCA("bundle-fulcio");
const other = makeCA("other-fulcio");
const rekor = keyPair("p256");
const wrongRekor = keyPair("p256");
const leaf = ca.leaf({ email: "dev@acme.example", issuerV2: "https://issuer.acme.example", days: 2 });
const foreign = other.leaf({ email: "dev@acme.example", issuerV2: "https://issuer.acme.example", days: 2 });
const b64 = (s: string) => Buffer.from(s).toString("base64");
const fulcioReq = (over: Partial<SigstoreSigned> = {}): SigstoreSigned => ({
  type: "sigstoreSigned",
  fulcio: { caData: b64(ca.rootPem), oidcIssuer: "https://issuer.acme.example", subjectEmail: "dev@acme.example" },
  rekorPublicKeyData: b64(rekor.pem),
  ...over,
});
const good = () => makeBundle({ digest, signer: leaf.privateKey, certPem: leaf.pem, rekorKey: rekor.privateKey });
const failed = (r: ReturnType<typeof checkBundle>) => r.checks.filter((c) => c.passed === false).map((c) => c.check);

describe("checkBundle", () => {
  it("a good keyless bundle would satisfy the policy; the signed identity is never checkable", () => {
    const r = checkBundle(good(), digest, fulcioReq(), {});
    expect([r.wouldSatisfy, failed(r)]).toEqual([true, []]);
    expect(r.checks.find((c) => c.check === "signedIdentity")).toEqual({ check: "signedIdentity", passed: null, detail: expect.stringContaining("no docker-reference") });
  });

  it.each([
    ["another image's digest", () => checkBundle(good(), "sha256:" + "0".repeat(64), fulcioReq(), {}), ["digest"]],
    ["a SET by another Rekor key", () => checkBundle(makeBundle({ digest, signer: leaf.privateKey, certPem: leaf.pem, rekorKey: wrongRekor.privateKey }), digest, fulcioReq(), {}), ["rekor"]],
    ["no SET (inclusion proof only)", () => checkBundle(makeBundle({ digest, signer: leaf.privateKey, certPem: leaf.pem }), digest, fulcioReq(), {}), ["rekor"]],
    ["a certificate of another CA", () => checkBundle(makeBundle({ digest, signer: foreign.privateKey, certPem: foreign.pem, rekorKey: rekor.privateKey }), digest, fulcioReq(), {}), ["certificate"]],
    ["another OIDC issuer in the policy", () => checkBundle(good(), digest, fulcioReq({ fulcio: { caData: b64(ca.rootPem), oidcIssuer: "https://token.actions.githubusercontent.com", subjectEmail: "dev@acme.example" } }), {}), ["issuer"]],
    ["another e-mail in the policy", () => checkBundle(good(), digest, fulcioReq({ fulcio: { caData: b64(ca.rootPem), oidcIssuer: "https://issuer.acme.example", subjectEmail: "ops@acme.example" } }), {}), ["identity"]],
    ["signed by another key than the certificate's", () => checkBundle(makeBundle({ digest, signer: keyPair("p256").privateKey, certPem: leaf.pem, rekorKey: rekor.privateKey }), digest, fulcioReq(), {}), ["signature"]],
    ["a key policy whose key did not sign", () => checkBundle(good(), digest, { type: "sigstoreSigned", keyData: b64(keyPair("p256").pem) }, {}), ["signature"]],
    ["Debian's build", () => checkBundle(good(), digest, fulcioReq(), { debianSigstoreDisabled: true }), ["runtime"]],
    ["not JSON", () => checkBundle(Buffer.from("{"), digest, fulcioReq(), {}), ["bundle"]],
  ] as const)("%s: would not satisfy, the failing check is named", (_name, run, checks) => {
    const r = run();
    expect([r.wouldSatisfy, failed(r)]).toEqual([false, checks]);
  });

  it("a key policy: signature with the policy's key and the digest; no Rekor without a Rekor key", () => {
    const k = keyPair("p256");
    const r = checkBundle(makeBundle({ digest, signer: k.privateKey }), digest, { type: "sigstoreSigned", keyData: b64(k.pem) }, {});
    expect([r.wouldSatisfy, r.checks.map((c) => c.check)]).toEqual([true, ["bundle", "digest", "signature", "signedIdentity"]]);
  });
});
