/**
 * A small reader for what lint needs from PEM keys and certificates (no verification): the first PEM block of a
 * kind, DER TLV walking (X.690 §8.1), a SubjectPublicKeyInfo's algorithm and size (RFC 5280 §4.1.2.7), a
 * PKCS#1 RSAPublicKey (RFC 8017 §A.1.1) and a certificate's notAfter (RFC 5280 §4.1.2.5). It replaces
 * node:crypto's createPublicKey / X509Certificate so the linter bundles for the browser; the answers are the
 * ones those gave for the keys containers/image accepts (`cryptoutils.UnmarshalPEMToPublicKey`,
 * `x509.ParseCertificate`).
 */

/** One DER element: its tag byte, and where its contents start and end in the data. */
export interface Der {
  tag: number;
  start: number;
  end: number;
}

/** The element at `at` (definite lengths only, as DER requires), or undefined when malformed or truncated. */
export function derAt(data: Uint8Array, at: number, limit = data.length): Der | undefined {
  if (at + 2 > limit) return undefined;
  const tag = data[at];
  if ((tag & 0x1f) === 0x1f) return undefined; // high tag numbers: not used by keys or certificates
  let len = data[at + 1];
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > limit) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + data[start + i];
    start += n;
  }
  const end = start + len;
  return end <= limit ? { tag, start, end } : undefined;
}

/** The elements inside a constructed element, in order; undefined when any is malformed. */
export function derChildren(data: Uint8Array, parent: Der): Der[] | undefined {
  const out: Der[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const e = derAt(data, at, parent.end);
    if (!e) return undefined;
    out.push(e);
    at = e.end;
  }
  return out;
}

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OID = 0x06;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

/** The dotted form of an OBJECT IDENTIFIER's contents. */
export function oidString(data: Uint8Array, e: Der): string {
  const parts: number[] = [];
  let v = 0;
  for (let i = e.start; i < e.end; i++) {
    v = v * 128 + (data[i] & 0x7f);
    if ((data[i] & 0x80) === 0) {
      if (parts.length === 0) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join(".");
}

/** Bit length of an unsigned INTEGER's value (leading zero octets ignored), as OpenSSL's BN_num_bits. */
function integerBits(data: Uint8Array, e: Der): number {
  let i = e.start;
  while (i < e.end && data[i] === 0) i++;
  if (i === e.end) return 0;
  return (e.end - i - 1) * 8 + (32 - Math.clz32(data[i]));
}

/**
 * Decode base64 as PEM bodies are written (line breaks and padding ignored); undefined on another character.
 * `strict` also refuses a length no encoder produces (one character past a group), as OpenSSL's PEM reader does;
 * otherwise those last bits are dropped, as node's Buffer.from(…, "base64") does.
 */
export function decodePemBase64(text: string, strict = true): Uint8Array | undefined {
  const clean = text.replace(/[\s=]/g, "");
  if (!/^[A-Za-z0-9+/]*$/.test(clean) || (strict && clean.length % 4 === 1)) return undefined;
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    const c = clean.charCodeAt(i);
    const v = c >= 65 && c <= 90 ? c - 65 : c >= 97 && c <= 122 ? c - 71 : c >= 48 && c <= 57 ? c + 4 : c === 43 ? 62 : 63;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

/** The label and DER bytes of the first PEM block whose label is one of `labels` (RFC 7468). */
export function firstPemBlock(bytes: Uint8Array, labels: readonly string[]): { label: string; der: Uint8Array } | undefined {
  const text = new TextDecoder("latin1").decode(bytes.subarray(0, Math.min(bytes.length, 1 << 22)));
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (!labels.includes(m[1])) continue;
    const der = decodePemBase64(m[2]);
    if (der) return { label: m[1], der };
  }
  return undefined;
}

/** A public key's algorithm (node:crypto's naming mapped as key-inspect did) and size in bits where it has one. */
export interface PublicKeyFacts {
  algorithm: string;
  bits?: number;
}

// Named curves and their field size in bytes (for the point length check).
const CURVES: Record<string, number> = { "1.2.840.10045.3.1.7": 32, "1.3.132.0.34": 48, "1.3.132.0.35": 66, "1.3.132.0.10": 32 };

/** A PKCS#1 RSAPublicKey (SEQUENCE { modulus, publicExponent }): its size in bits. */
function rsaPublicKeyBits(data: Uint8Array, at: number, limit: number): number | undefined {
  const seq = derAt(data, at, limit);
  if (!seq || seq.tag !== SEQUENCE || seq.end !== limit) return undefined;
  const kids = derChildren(data, seq);
  if (!kids || kids.length !== 2 || kids.some((k) => k.tag !== INTEGER || k.end === k.start)) return undefined;
  const bits = integerBits(data, kids[0]);
  return bits > 0 ? bits : undefined;
}

/** The algorithm and size of a SubjectPublicKeyInfo element, or undefined when it is not one this reader knows. */
export function spkiFacts(data: Uint8Array, spki: Der): PublicKeyFacts | undefined {
  const kids = derChildren(data, spki);
  if (!kids || kids.length !== 2 || kids[0].tag !== SEQUENCE || kids[1].tag !== BIT_STRING) return undefined;
  const alg = derChildren(data, kids[0]);
  if (!alg || alg.length === 0 || alg[0].tag !== OID) return undefined;
  const oid = oidString(data, alg[0]);
  const key = kids[1];
  if (key.end - key.start < 2 || data[key.start] !== 0) return undefined; // unused-bits octet must be 0
  const keyStart = key.start + 1;
  const keyLen = key.end - keyStart;
  switch (oid) {
    case "1.2.840.113549.1.1.1": // rsaEncryption
    case "1.2.840.113549.1.1.10": {
      // RSASSA-PSS
      const bits = rsaPublicKeyBits(data, keyStart, key.end);
      return bits === undefined ? undefined : { algorithm: "RSA", bits };
    }
    case "1.2.840.10040.4.1": {
      // DSA: the size is that of the prime p in Dss-Parms (node's modulusLength)
      const params = alg[1] && alg[1].tag === SEQUENCE ? derChildren(data, alg[1]) : undefined;
      if (!params || params.length !== 3 || params[0].tag !== INTEGER) return undefined;
      const y = derAt(data, keyStart, key.end);
      if (!y || y.tag !== INTEGER || y.end !== key.end) return undefined;
      return { algorithm: "DSA", bits: integerBits(data, params[0]) };
    }
    case "1.2.840.10045.2.1": {
      // id-ecPublicKey with a named curve; the point is uncompressed (04 X Y) or compressed (02/03 X)
      const size = alg[1] && alg[1].tag === OID ? CURVES[oidString(data, alg[1])] : undefined;
      if (size === undefined) return undefined;
      const form = data[keyStart];
      const ok = (form === 4 && keyLen === 1 + 2 * size) || ((form === 2 || form === 3) && keyLen === 1 + size);
      return ok ? { algorithm: "ECDSA" } : undefined;
    }
    case "1.3.101.112":
      return keyLen === 32 ? { algorithm: "Ed25519" } : undefined;
    case "1.3.101.113":
      return keyLen === 57 ? { algorithm: "ed448" } : undefined;
    case "1.3.101.110":
      return keyLen === 32 ? { algorithm: "x25519" } : undefined;
    case "1.3.101.111":
      return keyLen === 56 ? { algorithm: "x448" } : undefined;
    default:
      return undefined;
  }
}

/** A DER SubjectPublicKeyInfo (the whole of `der`). */
export function publicKeyFacts(der: Uint8Array): PublicKeyFacts | undefined {
  const top = derAt(der, 0);
  return top && top.tag === SEQUENCE && top.end === der.length ? spkiFacts(der, top) : undefined;
}

/** A DER PKCS#1 RSAPublicKey (`-----BEGIN RSA PUBLIC KEY-----`). */
export function rsaPublicKeyFacts(der: Uint8Array): PublicKeyFacts | undefined {
  const bits = rsaPublicKeyBits(der, 0, der.length);
  return bits === undefined ? undefined : { algorithm: "RSA", bits };
}

/** The parts of a DER certificate lint reads: its public key and its notAfter. */
export interface CertificateFacts {
  publicKey?: PublicKeyFacts;
  notAfter: Date;
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } (RFC 5280 §4.1). */
export function certificateFacts(der: Uint8Array): CertificateFacts | undefined {
  const top = derAt(der, 0);
  if (!top || top.tag !== SEQUENCE) return undefined;
  const parts = derChildren(der, top);
  if (!parts || parts.length !== 3 || parts[0].tag !== SEQUENCE || parts[1].tag !== SEQUENCE || parts[2].tag !== BIT_STRING) return undefined;
  const tbs = derChildren(der, parts[0]);
  if (!tbs) return undefined;
  // [0] EXPLICIT version is optional; then serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo.
  const rest = tbs[0]?.tag === 0xa0 ? tbs.slice(1) : tbs;
  if (rest.length < 6 || rest[0].tag !== INTEGER || rest[3].tag !== SEQUENCE || rest[5].tag !== SEQUENCE) return undefined;
  const validity = derChildren(der, rest[3]);
  if (!validity || validity.length !== 2) return undefined;
  const notAfter = derTime(der, validity[1]);
  if (!notAfter || !derTime(der, validity[0])) return undefined;
  return { publicKey: spkiFacts(der, rest[5]), notAfter };
}

/** A UTCTime (YY < 50 → 20YY, RFC 5280 §4.1.2.5.1) or GeneralizedTime in UTC; fractions of a second dropped. */
function derTime(data: Uint8Array, e: Der): Date | undefined {
  const text = new TextDecoder("latin1").decode(data.subarray(e.start, e.end));
  const m =
    e.tag === UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : e.tag === GENERALIZED_TIME
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(text)
        : null;
  if (!m) return undefined;
  let year = Number(m[1]);
  if (e.tag === UTC_TIME) year += year < 50 ? 2000 : 1900;
  const d = new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
  return Number.isNaN(d.getTime()) ? undefined : d;
}
