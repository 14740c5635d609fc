/**
 * Who a key is, for `imagetrust show`: OpenPGP fingerprints and user IDs (what `podman image trust show` prints in
 * its ID column, from `gpg2 --with-colons KEYFILE` — podman pkg/trust `getGPGIdFromKeyPath` / `parseUids`), and for
 * sigstore public keys and certificates a key id (the SHA-256 of the SubjectPublicKeyInfo, as cosign's
 * `--key` fingerprints print it). Read without verifying anything and without Node built-ins (the playground runs
 * this in a browser): RFC 4880 §4.2 packet headers, §12.2 (v4: SHA-1) and RFC 9580 §5.5.4 (v6: SHA-256)
 * fingerprints.
 */
import { sha1 } from "@noble/hashes/legacy";
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";
import { dearmor, packetHeader } from "../lint/key-inspect.js";
import { decodePemBase64, firstPemBlock } from "../lint/der.js";

/** One OpenPGP primary key: its fingerprint (upper-case hex) and user IDs, in file order. */
export interface OpenPgpKeyFacts {
  fingerprint: string;
  userIds: string[];
}

interface Packet {
  tag: number;
  body: Uint8Array;
}

/** Every packet of an OpenPGP message (old and new header formats; partial lengths end the walk). */
function packets(data: Uint8Array): Packet[] {
  const out: Packet[] = [];
  let at = 0;
  while (at < data.length) {
    const h = packetHeader(data, at);
    if (!h) break;
    // An old-format indeterminate length (RFC 4880 §4.2.1, length type 3) runs to the end of the data; a new-format
    // partial body length (never used in key material) ends the walk, as does a packet running past the data.
    const end = h.end === Infinity ? ((data[at] & 0x40) === 0 ? data.length : NaN) : h.end;
    if (!(end <= data.length)) break;
    out.push({ tag: h.tag, body: data.subarray(h.start, end) });
    at = end;
  }
  return out;
}

/** The fingerprint of a public-key packet body (v4 SHA-1, v5/v6 SHA-256), or undefined for v3 and unknown versions. */
function fingerprintOf(body: Uint8Array): string | undefined {
  const version = body[0];
  if (version === 4) {
    const pre = new Uint8Array([0x99, (body.length >> 8) & 0xff, body.length & 0xff]);
    return bytesToHex(sha1(concat(pre, body))).toUpperCase();
  }
  if (version === 5 || version === 6) {
    const n = body.length;
    const pre = new Uint8Array([version === 5 ? 0x9a : 0x9b, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
    return bytesToHex(sha256(concat(pre, body))).toUpperCase();
  }
  return undefined;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** The primary keys of an OpenPGP keyring (binary or armored), or undefined when the bytes hold none. */
export function openPgpKeyFacts(bytes: Uint8Array): OpenPgpKeyFacts[] | undefined {
  const out: OpenPgpKeyFacts[] = [];
  // A file may hold several armored blocks (gpg imports them all); dearmor reads the first, so split first.
  const text = new TextDecoder("latin1").decode(bytes.subarray(0, Math.min(bytes.length, 1 << 22)));
  const blocks = text.includes("-----BEGIN PGP PUBLIC KEY BLOCK-----")
    ? text.split(/(?=-----BEGIN PGP PUBLIC KEY BLOCK-----)/).filter((b) => b.startsWith("-----BEGIN"))
    : undefined;
  const datas = blocks ? blocks.map((b) => dearmor(new TextEncoder().encode(b))) : [bytes];
  const decoder = new TextDecoder("utf-8");
  for (const data of datas) {
    if (!data) continue;
    let current: OpenPgpKeyFacts | undefined;
    for (const p of packets(data)) {
      if (p.tag === 6) {
        current = { fingerprint: fingerprintOf(p.body) ?? "(version 3 key)", userIds: [] };
        out.push(current);
      } else if (p.tag === 13 && current) current.userIds.push(decoder.decode(p.body));
    }
  }
  return out.length > 0 ? out : undefined;
}

/** A sigstore public key's (or a certificate's) id: `SHA256:` and the hex SHA-256 of its DER, or undefined. */
export function pemKeyId(bytes: Uint8Array): string | undefined {
  const block = firstPemBlock(bytes, ["PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE"]);
  if (!block) return undefined;
  return `SHA256:${bytesToHex(sha256(block.der))}`;
}

/** Inline key data (policy.json `keyData`: standard base64) as bytes, or undefined when it is not base64. */
export function base64Bytes(text: string): Uint8Array | undefined {
  return decodePemBase64(text, false);
}
