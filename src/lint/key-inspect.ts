/**
 * Looks inside public keys without verifying anything: enough to tell whether bytes hold a key at all and whether it is
 * weak (RSA below 2048 bits, DSA). OpenPGP packets are read per RFC 4880 §4.2 / §5.5.2 (the first public-key packet);
 * PEM public keys and certificates go through the small DER reader of der.ts (no node:crypto: lint bundles for the
 * browser).
 */
import { certificateFacts, decodePemBase64, firstPemBlock, publicKeyFacts, rsaPublicKeyFacts } from "./der.js";

/** What was found in key bytes. */
export interface KeyInfo {
  /** "RSA", "DSA", "ECDSA", "EdDSA", … or undefined when not recognised. */
  algorithm?: string;
  /** Key size in bits, for RSA and DSA. */
  bits?: number;
}

const PGP_ALGORITHMS: Record<number, string> = { 1: "RSA", 2: "RSA", 3: "RSA", 16: "Elgamal", 17: "DSA", 18: "ECDH", 19: "ECDSA", 22: "EdDSA", 25: "X25519", 27: "X25519", 28: "Ed25519" };

/** The binary OpenPGP data of armored text (`-----BEGIN PGP PUBLIC KEY BLOCK-----`), or the bytes themselves. */
export function dearmor(bytes: Uint8Array): Uint8Array | undefined {
  const text = new TextDecoder("latin1").decode(bytes.subarray(0, Math.min(bytes.length, 1 << 22)));
  const begin = text.indexOf("-----BEGIN PGP PUBLIC KEY BLOCK-----");
  if (begin < 0) return bytes;
  const lines = text.slice(begin).split(/\r?\n/).slice(1);
  let i = 0;
  while (i < lines.length && lines[i].trim() !== "" && /^[\w-]+: /.test(lines[i])) i++; // armor headers
  const body: string[] = [];
  for (; i < lines.length; i++) {
    const l = lines[i].trim();
    if (l.startsWith("-----") || l.startsWith("=")) break;
    body.push(l);
  }
  const b64 = body.join("");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length === 0) return undefined;
  return decodePemBase64(b64, false);
}

/** The first OpenPGP public-key packet's algorithm and size, or undefined when the bytes do not start with one. */
export function inspectOpenPgpKey(bytes: Uint8Array): KeyInfo | undefined {
  const data = dearmor(bytes);
  if (!data || data.length < 8) return undefined;
  const header = packetHeader(data, 0);
  if (!header || header.tag !== 6) return undefined;
  const off = header.start;
  const version = data[off];
  let algoAt: number;
  if (version === 2 || version === 3) algoAt = off + 7;
  else if (version === 4) algoAt = off + 5;
  else if (version === 5 || version === 6) algoAt = off + 5;
  else return undefined;
  const algo = data[algoAt];
  const algorithm = PGP_ALGORITHMS[algo];
  if (!algorithm) return {};
  const mpiAt = version >= 5 ? algoAt + 5 : algoAt + 1;
  if (algorithm === "RSA" || algorithm === "DSA") {
    if (mpiAt + 2 > data.length) return { algorithm };
    return { algorithm, bits: (data[mpiAt] << 8) | data[mpiAt + 1] };
  }
  return { algorithm };
}

/**
 * A PEM public key's (or certificate's) algorithm and size, or undefined when it cannot be read. Public keys: the
 * first `PUBLIC KEY` (SubjectPublicKeyInfo), `RSA PUBLIC KEY` (PKCS#1) or `CERTIFICATE` block, the forms
 * node:crypto's createPublicKey read before.
 */
export function inspectPemKey(bytes: Uint8Array, certificate = false): KeyInfo | undefined {
  const block = firstPemBlock(bytes, certificate ? ["CERTIFICATE"] : ["PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE"]);
  if (!block) return undefined;
  const facts =
    block.label === "CERTIFICATE"
      ? certificateFacts(block.der)?.publicKey
      : block.label === "RSA PUBLIC KEY"
        ? rsaPublicKeyFacts(block.der)
        : publicKeyFacts(block.der);
  return facts && (facts.bits === undefined ? { algorithm: facts.algorithm } : { algorithm: facts.algorithm, bits: facts.bits });
}

/** Why a key is weak, or undefined. */
export function weakness(info: KeyInfo): string | undefined {
  if (info.algorithm === "DSA") return `a DSA key${info.bits ? ` (${info.bits} bits)` : ""}: DSA is deprecated and refused by current GnuPG defaults`;
  if (info.algorithm === "RSA" && info.bits !== undefined && info.bits < 2048) return `an RSA key of ${info.bits} bits (below 2048)`;
  return undefined;
}

/**
 * One OpenPGP packet header at `at` (RFC 4880 §4.2): its tag, where the body starts and where it ends. `end` is
 * Infinity when the length cannot be known from the header (partial or indeterminate lengths, which key packets
 * never use), and may lie past the data for a truncated packet: callers that walk packets check it.
 */
export function packetHeader(data: Uint8Array, at: number): { tag: number; start: number; end: number } | undefined {
  const b = data[at];
  if (b === undefined || (b & 0x80) === 0) return undefined;
  if (b & 0x40) {
    const l0 = data[at + 1];
    if (l0 === undefined) return undefined;
    const tag = b & 0x3f;
    if (l0 < 192) return { tag, start: at + 2, end: at + 2 + l0 };
    if (l0 < 224) return { tag, start: at + 3, end: at + 3 + ((l0 - 192) << 8) + data[at + 2] + 192 };
    if (l0 === 255) return { tag, start: at + 6, end: at + 6 + (((data[at + 2] << 24) | (data[at + 3] << 16) | (data[at + 4] << 8) | data[at + 5]) >>> 0) };
    return { tag, start: at + 2, end: Infinity };
  }
  const tag = (b >> 2) & 0x0f;
  const n = [1, 2, 4, 0][b & 3];
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + data[at + 1 + i];
  return { tag, start: at + 1 + n, end: n === 0 ? Infinity : at + 1 + n + len };
}

/** The complete packet at `at`, or undefined when there is none or it runs past the data. */
function packetAt(data: Uint8Array, at: number): { tag: number; start: number; end: number } | undefined {
  const p = packetHeader(data, at);
  return p && p.end <= data.length ? p : undefined;
}

/**
 * When the primary key of an OpenPGP public key expires, from its newest v4 self-signature's key-expiration subpacket
 * (RFC 4880 §5.2.3.6): a Date, `null` when it never expires, or undefined when the data cannot be read.
 * Signatures by such a key are refused by gpgme/openpgp ("expired key").
 */
export function openPgpKeyExpiry(bytes: Uint8Array): Date | null | undefined {
  const data = dearmor(bytes);
  if (!data) return undefined;
  const first = packetAt(data, 0);
  if (!first || first.tag !== 6 || data[first.start] !== 4) return undefined;
  const created = ((data[first.start + 1] << 24) | (data[first.start + 2] << 16) | (data[first.start + 3] << 8) | data[first.start + 4]) >>> 0;
  let best: { at: number; expiry: number | null } | undefined;
  for (let p = packetAt(data, first.end); p; p = packetAt(data, p.end)) {
    if (p.tag === 6) break; // the next key of a keyring
    if (p.tag !== 2 || data[p.start] !== 4) continue;
    const sigType = data[p.start + 1];
    if (!((sigType >= 0x10 && sigType <= 0x13) || sigType === 0x1f)) continue;
    const hashedLen = (data[p.start + 4] << 8) | data[p.start + 5];
    let q = p.start + 6;
    const hashedEnd = q + hashedLen;
    let sigCreated = 0;
    let expiry: number | null = null;
    while (q < hashedEnd) {
      const l0 = data[q];
      let len: number;
      if (l0 < 192) [len, q] = [l0, q + 1];
      else if (l0 < 255) [len, q] = [((l0 - 192) << 8) + data[q + 1] + 192, q + 2];
      else [len, q] = [((data[q + 1] << 24) | (data[q + 2] << 16) | (data[q + 3] << 8) | data[q + 4]) >>> 0, q + 5];
      const type = data[q] & 0x7f;
      const v = ((data[q + 1] << 24) | (data[q + 2] << 16) | (data[q + 3] << 8) | data[q + 4]) >>> 0;
      if (type === 2) sigCreated = v;
      if (type === 9) expiry = v === 0 ? null : v;
      q += len;
    }
    if (!best || sigCreated >= best.at) best = { at: sigCreated, expiry };
  }
  if (!best) return undefined;
  return best.expiry === null ? null : new Date((created + best.expiry) * 1000);
}

/** When a PEM certificate stops being valid, or undefined when it cannot be read. */
export function certificateExpiry(bytes: Uint8Array): Date | undefined {
  const block = firstPemBlock(bytes, ["CERTIFICATE"]);
  return block ? certificateFacts(block.der)?.notAfter : undefined;
}
