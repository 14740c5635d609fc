/**
 * Test helper: sigstore material made here (the Debian package lacks upstream's Fulcio/Rekor/PKI fixtures):
 * keys with node:crypto, certificates with `openssl`, Rekor SETs signed by a generated Rekor key, cosign-format
 * signature blobs.
 */
import { execFileSync } from "node:child_process";
import { createHash, generateKeyPairSync, sign as cryptoSign, type KeyObject } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { canonicalJson } from "../../src/verify/rekor-set.js";
import { makeTempDir } from "../harness/skopeo.js";

/** A cosign payload for a manifest digest and identity. */
export function cosignPayload(digest: string, identity: string, extra: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: { identity: { "docker-reference": identity }, image: { "docker-manifest-digest": digest }, type: "cosign container image signature" },
      optional: null,
      ...extra,
    }),
  );
}

/** Sign as cosign does: SHA-256 with ECDSA/RSA (PKCS#1 v1.5), pure Ed25519. */
export function cosignSign(key: KeyObject, payload: Buffer): Buffer {
  return cryptoSign(key.asymmetricKeyType === "ed25519" ? null : "sha256", payload, key);
}

/** A stored sigstore blob. */
export function sigstoreBlob(payload: Buffer, annotations: Record<string, string>, mimeType = "application/vnd.dev.cosign.simplesigning.v1+json"): Buffer {
  return Buffer.concat([Buffer.from("\x00sigstore-json\n"), Buffer.from(JSON.stringify({ mimeType, payload: payload.toString("base64"), annotations }))]);
}

/** A key pair with its public PEM. */
export function keyPair(kind: "p256" | "p384" | "rsa" | "ed25519"): { privateKey: KeyObject; publicKey: KeyObject; pem: string } {
  const kp =
    kind === "rsa"
      ? generateKeyPairSync("rsa", { modulusLength: 2048 })
      : kind === "ed25519"
        ? generateKeyPairSync("ed25519")
        : generateKeyPairSync("ec", { namedCurve: kind === "p256" ? "P-256" : "P-384" });
  return { ...kp, pem: kp.publicKey.export({ type: "spki", format: "pem" }).toString() };
}

/** A Rekor SET (`dev.sigstore.cosign/bundle`) for a hashedrekord entry. */
export function rekorSet(
  rekorKey: KeyObject,
  keyOrCertPem: string,
  signature: Buffer,
  payload: Buffer,
  opts: { integratedTime?: number; tamper?: "payload" | "set-signature"; bodySignature?: Buffer } = {},
): string {
  const body = {
    apiVersion: "0.0.1",
    kind: "hashedrekord",
    spec: {
      data: { hash: { algorithm: "sha256", value: createHash("sha256").update(payload).digest("hex") } },
      signature: { content: (opts.bodySignature ?? signature).toString("base64"), publicKey: { content: Buffer.from(keyOrCertPem).toString("base64") } },
    },
  };
  const p = {
    body: Buffer.from(JSON.stringify(body)).toString("base64"),
    integratedTime: opts.integratedTime ?? Math.floor(Date.now() / 1000),
    logIndex: 42,
    logID: "c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d",
  };
  const set = cryptoSign("sha256", Buffer.from(canonicalJson(p)), rekorKey);
  if (opts.tamper === "set-signature") set[set.length - 1] ^= 1;
  if (opts.tamper === "payload") p.logIndex = 43;
  return JSON.stringify({ SignedEntryTimestamp: set.toString("base64"), Payload: p });
}

/** `openssl` in a directory. */
function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

/** A certificate authority made with openssl (self-signed root, optional intermediate). */
export interface TestCA {
  dir: string;
  rootPem: string;
  intermediatePem?: string;
  /** Issue a leaf for a fresh P-256 key; returns its PEM and private key. */
  leaf(opts: { email?: string; dns?: string; uri?: string; issuerV1?: string; issuerV2?: string; codeSigning?: boolean; days?: number }): {
    pem: string;
    privateKey: KeyObject;
  };
}

/** Make a CA (root, and an intermediate when `intermediate`); leaves are signed by the last one. */
export function makeCA(name: string, intermediate = false): TestCA {
  const dir = makeTempDir("ca-");
  const caExt = "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n";
  fs.writeFileSync(path.join(dir, "ca.ext"), caExt);
  openssl(dir, ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "root.key", "-out", "root.pem", "-days", "3650", "-subj", `/CN=${name} root`, "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  let signer = "root";
  if (intermediate) {
    openssl(dir, ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "int.key", "-out", "int.csr", "-subj", `/CN=${name} intermediate`]);
    openssl(dir, ["x509", "-req", "-in", "int.csr", "-CA", "root.pem", "-CAkey", "root.key", "-CAcreateserial", "-out", "int.pem", "-days", "3650", "-extfile", "ca.ext"]);
    signer = "int";
  }
  let n = 0;
  return {
    dir,
    rootPem: fs.readFileSync(path.join(dir, "root.pem"), "utf8"),
    intermediatePem: intermediate ? fs.readFileSync(path.join(dir, "int.pem"), "utf8") : undefined,
    leaf(opts) {
      const id = `leaf${n++}`;
      const kp = generateKeyPairSync("ec", { namedCurve: "P-256" });
      fs.writeFileSync(path.join(dir, `${id}.key`), kp.privateKey.export({ type: "pkcs8", format: "pem" }));
      openssl(dir, ["req", "-new", "-key", `${id}.key`, "-out", `${id}.csr`, "-subj", "/O=sigstore.dev"]);
      const san = [opts.email ? `email:${opts.email}` : "", opts.dns ? `DNS:${opts.dns}` : "", opts.uri ? `URI:${opts.uri}` : ""].filter(Boolean).join(",");
      const ext = [
        "basicConstraints=critical,CA:FALSE",
        "keyUsage=critical,digitalSignature",
        opts.codeSigning === false ? "extendedKeyUsage=serverAuth" : "extendedKeyUsage=codeSigning",
        san ? `subjectAltName=${san}` : "",
        opts.issuerV1 ? `1.3.6.1.4.1.57264.1.1=DER:${Buffer.from(opts.issuerV1).toString("hex")}` : "",
        opts.issuerV2 ? `1.3.6.1.4.1.57264.1.8=ASN1:UTF8String:${opts.issuerV2}` : "",
      ].filter(Boolean);
      fs.writeFileSync(path.join(dir, `${id}.ext`), ext.join("\n") + "\n");
      const args = ["x509", "-req", "-in", `${id}.csr`, "-CA", `${signer}.pem`, "-CAkey", `${signer}.key`, "-CAcreateserial", "-out", `${id}.pem`, "-extfile", `${id}.ext`];
      args.push("-days", String(opts.days ?? 1));
      openssl(dir, args);
      return { pem: fs.readFileSync(path.join(dir, `${id}.pem`), "utf8"), privateKey: kp.privateKey };
    },
  };
}
