/**
 * Version 3 OpenPGP signatures, which gpg (and so containers/image's gpgme mechanism) still verifies but
 * openpgp.js no longer reads. A minimal reader for the shape simple signing uses — an optional compressed packet
 * holding a one-pass signature, a literal data packet and one signature packet — and RSA verification of v3
 * signatures (RFC 4880 §5.2.2, §5.2.4: hash the data, then the signature type and creation time).
 */
import { createPublicKey, verify as cryptoVerify } from "node:crypto";
import * as zlib from "node:zlib";

/** One packet: its tag and body. */
interface Packet {
  tag: number;
  body: Buffer;
}

/** Parse OpenPGP packets (old and new formats, partial body lengths); undefined when malformed. */
export function readPackets(buf: Buffer): Packet[] | undefined {
  const out: Packet[] = [];
  let i = 0;
  while (i < buf.length) {
    const ctb = buf[i++];
    if ((ctb & 0x80) === 0) return undefined;
    if (ctb & 0x40) {
      const tag = ctb & 0x3f;
      const chunks: Buffer[] = [];
      for (;;) {
        if (i >= buf.length) return undefined;
        const o = buf[i++];
        let len: number;
        let partial = false;
        if (o < 192) len = o;
        else if (o < 224) {
          if (i >= buf.length) return undefined;
          len = ((o - 192) << 8) + buf[i++] + 192;
        } else if (o === 255) {
          if (i + 4 > buf.length) return undefined;
          len = buf.readUInt32BE(i);
          i += 4;
        } else {
          len = 1 << (o & 0x1f);
          partial = true;
        }
        if (i + len > buf.length) return undefined;
        chunks.push(buf.subarray(i, i + len));
        i += len;
        if (!partial) break;
      }
      out.push({ tag, body: Buffer.concat(chunks) });
    } else {
      const tag = (ctb >> 2) & 0x0f;
      const lt = ctb & 3;
      let len: number;
      if (lt === 3) len = buf.length - i;
      else {
        const n = [1, 2, 4][lt];
        if (i + n > buf.length) return undefined;
        len = n === 1 ? buf[i] : n === 2 ? buf.readUInt16BE(i) : buf.readUInt32BE(i);
        i += n;
      }
      if (i + len > buf.length) return undefined;
      out.push({ tag, body: buf.subarray(i, i + len) });
      i += len;
    }
  }
  return out;
}

/** A parsed v3 signed message. */
export interface V3SignedMessage {
  contents: Buffer;
  sigType: number;
  created: number;
  keyID: string;
  pubkeyAlgo: number;
  hashAlgo: number;
  /** The signature MPI bytes (RSA). */
  signature: Buffer;
}

const HASHES: Record<number, string> = { 1: "md5", 2: "sha1", 3: "ripemd160", 8: "sha256", 9: "sha384", 10: "sha512", 11: "sha224" };

/** If `bytes` is a signed message whose signature packet is version 3, its parts; otherwise undefined. */
export function readV3SignedMessage(bytes: Uint8Array): V3SignedMessage | undefined {
  let packets = readPackets(Buffer.from(bytes));
  if (!packets) return undefined;
  if (packets.length === 1 && packets[0].tag === 8) {
    const c = packets[0].body;
    let inner: Buffer;
    try {
      inner = c[0] === 0 ? c.subarray(1) : c[0] === 1 ? zlib.inflateRawSync(c.subarray(1)) : c[0] === 2 ? zlib.inflateSync(c.subarray(1)) : Buffer.alloc(0);
    } catch {
      return undefined;
    }
    packets = readPackets(inner);
    if (!packets) return undefined;
  }
  const literal = packets.find((p) => p.tag === 11);
  const sigs = packets.filter((p) => p.tag === 2);
  if (!literal || sigs.length !== 1) return undefined;
  const s = sigs[0].body;
  // version 3, hashed length 5, type, created(4), key ID(8), public key algo, hash algo, left 16 bits(2), MPI.
  if (s.length < 21 || s[0] !== 3 || s[1] !== 5) return undefined;
  const l = literal.body;
  const nameLen = l[1];
  const contents = l.subarray(2 + nameLen + 4);
  const mpiBits = s.readUInt16BE(19);
  const mpi = s.subarray(21, 21 + Math.ceil(mpiBits / 8));
  return {
    contents,
    sigType: s[2],
    created: s.readUInt32BE(3),
    keyID: s.subarray(7, 15).toString("hex").toUpperCase(),
    pubkeyAlgo: s[15],
    hashAlgo: s[16],
    signature: mpi,
  };
}

/** Verify a v3 RSA signature with a public key's RSA parameters (n, e as big-endian bytes). */
export function verifyV3Rsa(msg: V3SignedMessage, n: Uint8Array, e: Uint8Array): boolean {
  const hash = HASHES[msg.hashAlgo];
  if (!hash || (msg.pubkeyAlgo !== 1 && msg.pubkeyAlgo !== 3)) return false;
  const b64u = (b: Uint8Array) => Buffer.from(b).toString("base64url");
  try {
    const key = createPublicKey({ key: { kty: "RSA", n: b64u(n), e: b64u(e) }, format: "jwk" });
    const trailer = Buffer.alloc(5);
    trailer[0] = msg.sigType;
    trailer.writeUInt32BE(msg.created, 1);
    const modLen = Buffer.from(n).length - (n[0] === 0 ? 1 : 0);
    const sig = Buffer.concat([Buffer.alloc(Math.max(0, modLen - msg.signature.length)), msg.signature]);
    return cryptoVerify(hash, Buffer.concat([msg.contents, trailer]), key, sig);
  } catch {
    return false;
  }
}
