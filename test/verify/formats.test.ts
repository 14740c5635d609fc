/** Stored signature formats, payload strictness and manifest digests (upstream FromBlob, strictUnmarshalJSON, manifest.Digest). */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { manifestDigest, matchesDigest } from "../../src/verify/manifest-digest.js";
import { parseUntrustedPayload } from "../../src/verify/payload.js";
import { signatureFromBlob, signatureToBlob } from "../../src/verify/stored-signature.js";
import { UPSTREAM_SIGNATURE_FIXTURES as F } from "../harness/skopeo.js";

describe("signatureFromBlob", () => {
  it("recognises raw OpenPGP, prefixed simple-signing and sigstore-json; refuses the rest with upstream's texts", () => {
    for (const b of [0xa0, 0xa3, 0xc8, 0x90, 0x3d, 0xc4, 0x88, 0x8b, 0xc2]) expect(signatureFromBlob(Buffer.from([b, 1, 2]))).toMatchObject({ ok: true, signature: { format: "simple-signing" } });
    expect(signatureFromBlob(Buffer.from("\x00simple-signing\n\xa3xyz", "latin1"))).toMatchObject({ ok: true, signature: { format: "simple-signing" } });
    expect(signatureFromBlob(Buffer.alloc(0))).toEqual({ ok: false, error: "empty signature blob" });
    expect(signatureFromBlob(Buffer.from([0x84, 0]))).toEqual({ ok: false, error: "unrecognized signature format, starting with binary 0x84" });
    expect(signatureFromBlob(Buffer.from("\x00nonewline"))).toEqual({ ok: false, error: "invalid signature format, missing newline" });
    expect(signatureFromBlob(Buffer.from("\x00bad\x01\n"))).toEqual({ ok: false, error: "invalid signature format, non-ASCII byte 0x1" });
    expect(signatureFromBlob(Buffer.from("\x00other\n{}"))).toEqual({ ok: false, error: 'unrecognized signature format "other"' });
    const s = signatureFromBlob(Buffer.from('\x00sigstore-json\n{"mimeType":"m","payload":"aGk=","annotations":{"a":"b"}}'));
    expect(s).toMatchObject({ ok: true, signature: { format: "sigstore-json", mimeType: "m", annotations: { a: "b" } } });
    if (s.ok) {
      expect(Buffer.from((s.signature as { payload: Uint8Array }).payload).toString()).toBe("hi");
      expect(signatureFromBlob(signatureToBlob(s.signature))).toEqual(s);
    }
  });
});

describe("parseUntrustedPayload", () => {
  const good = { critical: { type: "atomic container signature", image: { "docker-manifest-digest": "sha256:ab" }, identity: { "docker-reference": "x/y:z" } }, optional: { creator: "c", timestamp: 5, other: [1] } };
  const p = (v: unknown) => parseUntrustedPayload(Buffer.from(typeof v === "string" ? v : JSON.stringify(v)), "simple");
  it("accepts the simple-signing shape and returns its claims", () => {
    expect(p(good)).toEqual({ ok: true, value: { dockerManifestDigest: "sha256:ab", dockerReference: "x/y:z", creator: "c", timestamp: 5 } });
  });
  it("refuses every deviation with upstream's text", () => {
    const c = structuredClone(good);
    expect(p({ ...good, optional: null })).toEqual({ ok: false, error: 'JSON object expected, got "%!s(<nil>)"' });
    expect(p('{"critical":{},"critical":{}}')).toEqual({ ok: false, error: 'Duplicate key "critical"' });
    expect(p({ critical: c.critical })).toEqual({ ok: false, error: 'Key "optional" missing in a JSON object' });
    expect(p({ ...good, critical: { ...good.critical, type: "x" } })).toEqual({ ok: false, error: "Unrecognized signature type x" });
    expect(p({ ...good, critical: { ...good.critical, extra: 1 } })).toEqual({ ok: false, error: 'Unknown key "extra"' });
    expect(p({ ...good, critical: { ...good.critical, identity: { "docker-reference": 1 } } })).toEqual({ ok: false, error: "json: cannot unmarshal number into Go value of type string" });
    expect(p({ ...good, optional: { timestamp: 1.5 } })).toEqual({ ok: false, error: "Field optional.timestamp is not is not an integer" });
    expect(p("[]")).toEqual({ ok: false, error: 'JSON object expected, got "["' });
    expect(p("This is not JSON\n")).toEqual({ ok: false, error: "invalid character 'T' looking for beginning of value" });
  });
});

describe.skipIf(!fs.existsSync(F) && process.env.CI !== "true")("manifestDigest", () => {
  it("hashes schema1 signed manifests without their signatures, like upstream's fixtures say", () => {
    const m = fs.readFileSync(path.join(F, "image.manifest.json"));
    expect(manifestDigest(m)).toEqual({ ok: true, digest: "sha256:20bf21ed457b390829cdbeec8795a7bea1626991fda603e0d01b4e7f60427e55" });
    const broken = fs.readFileSync(path.join(F, "v2s1-invalid-signatures.manifest.json"));
    expect(manifestDigest(broken).ok).toBe(false);
    expect(matchesDigest(m, "sha512:00")).toEqual({ ok: true, matches: false });
  });
});
