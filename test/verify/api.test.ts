/** verifyImage: the evidence each transport has, `imagetrust verify`'s signature requirement, reference and digest errors. */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { noSignatureVerificationMessage, verifyImage } from "../../src/verify/verify-image.js";
import { nodeHost } from "../../src/host/node-host.js";
import { makeDirImage, makeTempDir } from "../harness/skopeo.js";
import { policyIR } from "../simulate/policy-builder.js";
import { cosignPayload, cosignSign, keyPair, sigstoreBlob } from "./sigstore-helpers.js";

const accept = policyIR({ default: [{ type: "insecureAcceptAnything" }] });

describe("verifyImage", () => {
  it("imagetrust verify: an allow without any accepted signature is a denial", async () => {
    const img = makeDirImage(makeTempDir("api-"));
    const plain = await verifyImage({ host: nodeHost(), policy: accept, ref: `dir:${img.dir}` });
    expect([plain.verdict, plain.error]).toEqual(["allow", null]);
    const strict = await verifyImage({ host: nodeHost(), policy: accept, ref: `dir:${img.dir}`, requireSignatures: true });
    expect(strict.verdict).toBe("deny");
    expect(strict.error).toBe(noSignatureVerificationMessage("dir", img.dir));
    expect(strict.error).toBe(`No signature verification policy found for image dir:${img.dir}`);
  });

  it("requireSignatures allows when a sigstoreSigned requirement accepted a signature", async () => {
    const k = keyPair("p256");
    const manifest = Buffer.from('{"schemaVersion":2}');
    const digest = "sha256:" + createHash("sha256").update(manifest).digest("hex");
    const payload = cosignPayload(digest, "quay.io/acme/app");
    const blob = sigstoreBlob(payload, { "dev.cosignproject.cosign/signature": cosignSign(k.privateKey, payload).toString("base64") });
    const policy = policyIR({
      default: [{ type: "reject" }],
      transports: { docker: { "quay.io/acme": [{ type: "sigstoreSigned", keyData: Buffer.from(k.pem).toString("base64"), signedIdentity: { type: "matchRepository" } }] } },
    });
    const r = await verifyImage({ host: nodeHost(), policy, ref: "docker://quay.io/acme/app:v1", manifest, signatures: [blob], requireSignatures: true });
    expect([r.verdict, r.error]).toEqual(["allow", null]);
    expect(r.simulation.scope).toMatchObject({ scope: "quay.io/acme" });
    expect(r.requirements).toMatchObject([{ index: 0, type: "sigstoreSigned", allowed: true, signatures: [{ index: 0, accepted: true, claimedIdentity: "quay.io/acme/app" }] }]);
    // A digest reference whose digest is not the manifest's: the digest check reads the manifest and fails.
    const wrong = `sha256:${"1".repeat(64)}`;
    const d = await verifyImage({ host: nodeHost(), policy, ref: `docker://quay.io/acme/app@${wrong}`, manifest, signatures: [blob] });
    expect(d.error).toBe(`Manifest does not match provided manifest digest ${wrong}`);
    // Elsewhere the policy rejects before any signature is read.
    const other = await verifyImage({ host: nodeHost(), policy, ref: "docker://docker.io/library/busybox:latest", manifest, signatures: [blob] });
    expect(other.error).toBe("Running image docker://busybox:latest is rejected by policy.");
    expect(other.requirements).toEqual([]);
  });

  it("oci: has no signatures; a reference that does not parse is denied with its parse error", async () => {
    const layout = makeTempDir("oci-");
    const policy = policyIR({ default: [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/nonexistent" }] });
    const r = await verifyImage({ host: nodeHost(), policy, ref: `oci:${layout}:tag` });
    expect([r.verdict, r.error, r.evidence.source]).toEqual(["deny", "A signature was required, but no signature exists", "none"]);
    const bad = await verifyImage({ host: nodeHost(), policy, ref: "docker://UPPER/case" });
    expect(bad.verdict).toBe("deny");
    expect(bad.error).toMatch(/repository name must be lowercase/);
  });

  it("--signatures DIR stands in for what the registry would serve, and dir: reads missing manifests as upstream reports them", async () => {
    const dir = makeTempDir("sigs-");
    fs.writeFileSync(path.join(dir, "signature-1"), Buffer.from("\x00sigstore-json\n{}"));
    const r = await verifyImage({ host: nodeHost(), policy: accept, ref: "docker://quay.io/a/b:1", manifest: Buffer.from("{}"), signaturesDir: dir });
    expect(r.evidence).toMatchObject({ source: `dir:${dir}`, formats: ["sigstore-json ()"] });
    const empty = makeTempDir("empty-");
    const policy = policyIR({ default: [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/nonexistent", signedIdentity: { type: "exactRepository", dockerRepository: "x/y" } }] });
    fs.writeFileSync(path.join(empty, "signature-1"), fs.readFileSync(path.join(dir, "signature-1")));
    const m = await verifyImage({ host: nodeHost(), policy, ref: `dir:${empty}` });
    expect(m.evidence.manifestError).toBe(`open ${empty}/manifest.json: no such file or directory`);
    expect(m.error).toBe("A signature was required, but no signature exists");
  });
});
