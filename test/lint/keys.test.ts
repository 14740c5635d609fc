/** key-file-problem (IT4015), inline-key-invalid (IT4016) and the key inspector, on an in-memory file system. */
import { generateKeyPairSync } from "node:crypto";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { memoryHost } from "../../src/host/memory-host.js";
import { certificateExpiry, inspectOpenPgpKey, inspectPemKey, openPgpKeyExpiry, weakness } from "../../src/lint/key-inspect.js";
import { keyFileProblem } from "../../src/lint/rules/key-file-problem.js";
import { inlineKeyInvalid } from "../../src/lint/rules/inline-key-invalid.js";
import { lintJson } from "./helpers.js";

const KEYS = path.resolve(import.meta.dirname, "../../examples/keys");
const gpgGood = readFileSync(path.join(KEYS, "acme-release.gpg"));
const rhGpg = readFileSync(path.join(KEYS, "RPM-GPG-KEY-redhat-release"));
const pemGood = readFileSync(path.join(KEYS, "acme-ci.pub"), "utf8");
const rsa1024Pem = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "pem" }) as string;
const dsaPem = generateKeyPairSync("dsa", { modulusLength: 2048, divisorLength: 256 }).publicKey.export({ type: "spki", format: "pem" }) as string;

/** A minimal binary OpenPGP v4 RSA public-key packet with a 1024-bit modulus (only the header fields matter here). */
function rsaPacket(bits: number): Uint8Array {
  const n = new Uint8Array(bits / 8).fill(0xab);
  n[0] = 0x80;
  const body = [0x04, 0x60, 0, 0, 0, 0x01, bits >> 8, bits & 0xff, ...n, 0x00, 0x11, 0x01, 0x00, 0x01];
  return Uint8Array.from([0x99, body.length >> 8, body.length & 0xff, ...body]);
}

describe("key inspector", () => {
  it("reads algorithm and size from OpenPGP packets (binary and armored) and PEM", () => {
    expect(inspectOpenPgpKey(gpgGood)?.algorithm).toBe("EdDSA");
    expect(inspectOpenPgpKey(rhGpg)).toEqual({ algorithm: "EdDSA" }); // armored
    // upstream's test key; `gpg --show-keys` says "rsa1024"
    expect(inspectOpenPgpKey(readFileSync("/usr/share/gocode/src/github.com/containers/image/signature/fixtures/public-key.gpg"))).toEqual({ algorithm: "RSA", bits: 1024 });
    expect(inspectOpenPgpKey(rsaPacket(1024))).toEqual({ algorithm: "RSA", bits: 1024 });
    expect(inspectPemKey(Buffer.from(pemGood))?.algorithm).toBe("ECDSA");
    expect(inspectPemKey(Buffer.from(rsa1024Pem))).toEqual({ algorithm: "RSA", bits: 1024 });
    expect(weakness({ algorithm: "RSA", bits: 1024 })).toMatch(/1024 bits/);
    expect(weakness({ algorithm: "RSA", bits: 2048 })).toBeUndefined();
    expect(weakness(inspectPemKey(Buffer.from(dsaPem))!)).toMatch(/DSA/);
  });
});

const SB = (k: string) => `{"type":"signedBy","keyType":"GPGKeys","keyPath":"${k}"}`;
const SS = (k: string) => `{"type":"sigstoreSigned","keyPath":"${k}","signedIdentity":{"type":"matchRepository"}}`;
const policy = (req: string) => `{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io/a":[${req}]}}}`;

const host = memoryHost({ files: {
  "/etc/pki/good.gpg": { data: gpgGood },
  "/etc/pki/rh.gpg": { data: rhGpg, mode: 0o644 },
  "/etc/pki/weak.gpg": { data: rsaPacket(1024) },
  "/tmp/open.gpg": { data: gpgGood, mode: 0o666 },
  "/etc/pki/text.gpg": { data: "not a key" },
  "/etc/pki/secret.gpg": { data: gpgGood, unreadable: true },
  "/etc/pki/good.pub": { data: pemGood },
  "/etc/pki/weak.pub": { data: rsa1024Pem },
  "/etc/pki/dsa.pub": { data: dsaPem },
} });

const KEY_TABLE: Array<[string, string, RegExp[]]> = [
  ["good GPG key", SB("/etc/pki/good.gpg"), []],
  ["Red Hat's release key", SB("/etc/pki/rh.gpg"), []],
  ["missing", SB("/etc/pki/none.gpg"), [/does not exist/]],
  ["a directory", SB("/etc/pki"), [/not a regular file/]],
  ["relative", SB("keys/a.gpg"), [/not an absolute path/]],
  ["world-writable, in a world-writable directory", SB("/tmp/open.gpg"), [/in a world-writable directory/, /writable by group or others \(mode 666\)/]],
  ["not a key", SB("/etc/pki/text.gpg"), [/does not hold an OpenPGP public key/]],
  ["unreadable", SB("/etc/pki/secret.gpg"), [/cannot be read/]],
  ["weak RSA (OpenPGP)", SB("/etc/pki/weak.gpg"), [/RSA key of 1024 bits/]],
  ["PEM given to signedBy", SB("/etc/pki/good.pub"), [/does not hold an OpenPGP/]],
  ["good sigstore key", SS("/etc/pki/good.pub"), []],
  ["GPG key given to sigstoreSigned", SS("/etc/pki/good.gpg"), [/does not hold a PEM public key/]],
  ["weak RSA (PEM)", SS("/etc/pki/weak.pub"), [/RSA key of 1024 bits/]],
  ["DSA (PEM)", SS("/etc/pki/dsa.pub"), [/DSA key/]],
];

describe("key-file-problem", () => {
  for (const [name, req, expected] of KEY_TABLE) {
    it(name, () => {
      const text = policy(req);
      const { ds, shown } = lintJson(text, [keyFileProblem], { host, checkHostFiles: true });
      expect(ds.map((d) => d.message)).toEqual(expected.map((e) => expect.stringMatching(e)));
      for (const s of shown) expect(s).toBe(`IT4015@${req}`);
    });
  }
  it("runs only when the files are the deployed ones", () => {
    expect(lintJson(policy(SB("/etc/pki/none.gpg")), [keyFileProblem], { host }).ds).toEqual([]);
  });
});

describe("inline-key-invalid", () => {
  const b64 = (x: string | Uint8Array) => Buffer.from(x).toString("base64");
  const table: Array<[string, string, RegExp[]]> = [
    ["a real GPG key", `{"type":"signedBy","keyType":"GPGKeys","keyData":"${b64(gpgGood)}"}`, []],
    ["nonsense", `{"type":"signedBy","keyType":"GPGKeys","keyData":"${b64("nonsense")}"}`, [/decodes to 8 bytes that are not an OpenPGP public key/]],
    ["weak GPG", `{"type":"signedBy","keyType":"GPGKeys","keyData":"${b64(rsaPacket(1024))}"}`, [/RSA key of 1024 bits/]],
    ["a PEM key for sigstore", `{"type":"sigstoreSigned","keyData":"${b64(pemGood)}","signedIdentity":{"type":"matchRepository"}}`, []],
    ["a GPG key for sigstore", `{"type":"sigstoreSigned","keyData":"${b64(gpgGood)}","signedIdentity":{"type":"matchRepository"}}`, [/not a PEM public key/]],
  ];
  for (const [name, req, expected] of table) {
    it(name, () => {
      const { ds, shown } = lintJson(policy(req), [inlineKeyInvalid]);
      expect(ds.map((d) => d.message)).toEqual(expected.map((e) => expect.stringMatching(e)));
      for (const s of shown) expect(s).toBe(`IT4016@${req}`);
    });
  }
});

describe("expired keys (real gpg keys with expiry dates)", () => {
  const gpgAvailable = spawnSync("gpg", ["--version"]).status === 0;
  /** Export a fresh key made as if on `when`, expiring `expire` (gpg's syntax) after that. */
  function gpgKey(home: string, uid: string, when: string | undefined, expire: string): Uint8Array {
    const faked = when ? ["--faked-system-time", when] : [];
    const gen = spawnSync("gpg", ["--homedir", home, "--batch", "--passphrase", "", ...faked, "--quick-gen-key", uid, "rsa2048", "sign", expire], { encoding: "utf8" });
    if (gen.status !== 0) throw new Error(gen.stderr);
    return spawnSync("gpg", ["--homedir", home, "--export", uid]).stdout;
  }
  it.skipIf(!gpgAvailable && process.env.CI !== "true")("reports a key whose self-signature expired, not one that has not yet or never expires", () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "imagetrust-gpg-"));
    try {
      const expired = gpgKey(home, "expired@example.com", "20200101T000000", "1d");
      const later = gpgKey(home, "later@example.com", undefined, "3650d");
      const never = gpgKey(home, "never@example.com", undefined, "never");
      expect(openPgpKeyExpiry(expired)?.toISOString().slice(0, 10)).toBe("2020-01-02");
      expect(openPgpKeyExpiry(later)!.getTime()).toBeGreaterThan(Date.now());
      expect(openPgpKeyExpiry(never)).toBeNull();
      const fs = memoryHost({ files: { "/etc/pki/expired.gpg": { data: expired }, "/etc/pki/later.gpg": { data: later }, "/etc/pki/never.gpg": { data: never } } });
      const msgs = (k: string) => lintJson(policy(SB(k)), [keyFileProblem], { host: fs, checkHostFiles: true }).ds.map((d) => d.message);
      expect(msgs("/etc/pki/expired.gpg")).toEqual([expect.stringMatching(/expired on 2020-01-02/)]);
      expect(msgs("/etc/pki/later.gpg")).toEqual([]);
      expect(msgs("/etc/pki/never.gpg")).toEqual([]);
    } finally {
      spawnSync("gpgconf", ["--homedir", home, "--kill", "gpg-agent"]);
      rmSync(home, { recursive: true, force: true });
    }
  });
  it("reads a certificate's notAfter, and the example keys are not expired", () => {
    const fulcio = readFileSync(path.join(KEYS, "fulcio_v1.crt.pem"));
    expect(certificateExpiry(fulcio)!.getTime()).toBeGreaterThan(Date.now());
    expect(certificateExpiry(Buffer.from("not a certificate"))).toBeUndefined();
    expect(openPgpKeyExpiry(gpgGood)).not.toBeUndefined();
  });
});
