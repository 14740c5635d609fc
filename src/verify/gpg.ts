/**
 * OpenPGP verification of simple-signing signatures, as containers/image's gpgme mechanism does it
 * (`signature/mechanism_gpgme.go`: `newEphemeralGPGSigningMechanism`, `importKeysFromBytes`, `Verify`),
 * implemented with the `openpgp` library. Rejections carry upstream's texts, including the
 * `Invalid GPG signature: gpgme.Signature{…}` rendering (Go `%#v` of the gpgme result; times in UTC, i.e.
 * as the runtime prints them with TZ=UTC).
 */
import * as zlib from "node:zlib";
import type * as openpgp from "openpgp";
import { readV3SignedMessage, verifyV3Rsa } from "./gpg-v3.js";

/**
 * openpgp.js (~590 KB of bundle) is loaded when a key or a signature is first read, not with this module: a `simulate`,
 * `lint` or `validate` that reads no GPG key never compiles it.
 */
let openpgpModule: Promise<typeof openpgp> | undefined;
const loadOpenpgp = (): Promise<typeof openpgp> => (openpgpModule ??= import("openpgp"));

/** Keys imported from policy key material (upstream: an ephemeral GPG home with these keys). */
export interface GpgKeyring {
  keys: openpgp.PublicKey[];
  /** Upper-case hex fingerprints of the imported primary keys (upstream `trustedIdentities`). */
  trustedFingerprints: string[];
}

/** Why gpg refused a signature whose signer it could name (for messages that say it plainly; gpg-explain.ts). */
export interface GpgFailure {
  why: "unknown-key" | "bad-signature" | "signature-expired" | "key-expired" | "key-revoked";
  /** The signing key as the signature or keyring names it: a fingerprint, else the 16-hex-digit key ID. */
  key: string;
  /** The primary key's fingerprint and user IDs, when the key is in the keyring. */
  primary?: string;
  userIds?: string[];
  /** Signature creation time and (for "signature-expired") its expiry, seconds since the epoch. */
  created?: number;
  expires?: number;
}

/** The outcome of `Verify`: the signed contents and the fingerprint of the signing (sub)key, or upstream's error. */
export type GpgVerifyResult =
  | { ok: true; contents: Uint8Array; keyFingerprint: string; primaryFingerprint: string }
  | { ok: false; error: string; failure?: GpgFailure };

/** The user IDs of a key, as gpg lists them. */
export function userIdsOf(key: openpgp.PublicKey): string[] {
  return key.getUserIDs().filter((u) => u !== "");
}

/** The failure details of a key found in the keyring. */
function knownKey(found: { key: openpgp.PublicKey; signingKey: openpgp.PublicKey | openpgp.Subkey }): Pick<GpgFailure, "key" | "primary" | "userIds"> {
  return { key: found.signingKey.getFingerprint().toUpperCase(), primary: found.key.getFingerprint().toUpperCase(), userIds: userIdsOf(found.key) };
}

/** Reads keys from one blob: binary first, then ASCII armor (gpg's import accepts both). */
async function readKeyBlob(blob: Uint8Array): Promise<openpgp.PublicKey[]> {
  if (blob.length === 0) return [];
  try {
    const keys = await (await loadOpenpgp()).readKeys({ binaryKeys: blob });
    return keys.map((k) => (k.isPrivate() ? k.toPublic() : (k as openpgp.PublicKey)));
  } catch {
    /* not binary */
  }
  const text = Buffer.from(blob).toString("utf8");
  const out: openpgp.PublicKey[] = [];
  // A file may hold several armored blocks; gpg imports them all.
  const blocks = text.match(/-----BEGIN PGP (?:PUBLIC|PRIVATE) KEY BLOCK-----[\s\S]*?-----END PGP (?:PUBLIC|PRIVATE) KEY BLOCK-----/g) ?? [];
  for (const b of blocks) {
    try {
      const keys = await (await loadOpenpgp()).readKeys({ armoredKeys: b });
      for (const k of keys) out.push(k.isPrivate() ? k.toPublic() : (k as openpgp.PublicKey));
    } catch {
      /* gpg skips what it cannot import */
    }
  }
  return out;
}

/** Whether gpg would import the key: it refuses keys without any valid user ID. */
async function importable(key: openpgp.PublicKey): Promise<boolean> {
  if (key.users.length === 0) return false;
  return true;
}

/** Upstream `newEphemeralGPGSigningMechanism(blobs)`: the keyring and the trusted primary fingerprints, in order. */
export async function importKeyring(blobs: readonly Uint8Array[]): Promise<GpgKeyring> {
  const keys: openpgp.PublicKey[] = [];
  const trusted: string[] = [];
  for (const blob of blobs) {
    for (const k of await readKeyBlob(blob)) {
      if (!(await importable(k))) continue;
      const fpr = k.getFingerprint().toUpperCase();
      const existing = keys.findIndex((e) => e.getFingerprint().toUpperCase() === fpr);
      if (existing >= 0) {
        try {
          keys[existing] = (await keys[existing].update(k)) as openpgp.PublicKey;
        } catch {
          /* keep the first */
        }
      } else keys.push(k);
      trusted.push(fpr);
    }
  }
  return { keys, trustedFingerprints: trusted };
}

// ------------------------------------------------------------------------- gpgme.Signature rendering

/** gpgme_sigsum_t bits. */
const SUMMARY = { red: 0x4, keyRevoked: 0x10, keyExpired: 0x20, sigExpired: 0x40, keyMissing: 0x80 } as const;
/** gpg-error codes as gpgme reports them (GPGME source for most, none for NO_PUBKEY). */
const STATUS = {
  badSignature: "0x7000008",
  noPubkey: "0x9",
  sigExpired: "0x700009a",
  keyExpired: "0x7000099",
  certRevoked: "0x700005e",
} as const;

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** Go `%#v` of a time.Time in time.Local (UTC assumed), e.g. `time.Date(2016, time.March, 17, 18, 46, 52, 0, time.Local)`. */
function goTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `time.Date(${d.getUTCFullYear()}, time.${MONTHS[d.getUTCMonth()]}, ${d.getUTCDate()}, ${d.getUTCHours()}, ${d.getUTCMinutes()}, ${d.getUTCSeconds()}, 0, time.Local)`;
}

/** gpgme's public key algorithm numbers (OpenPGP ids, except ECC ones mapped to gpgme's own). */
function gpgmePubkeyAlgo(openpgpAlgo: number): number {
  switch (openpgpAlgo) {
    case 19:
      return 301; // ECDSA
    case 18:
      return 302; // ECDH
    case 22:
    case 27:
    case 28:
      return 303; // EdDSA
    default:
      return openpgpAlgo;
  }
}

interface GpgmeSignatureFields {
  summary: number;
  fingerprint: string;
  status: string;
  timestamp: number;
  expTimestamp: number;
  pubkeyAlgo: number;
  hashAlgo: number;
}

/** Upstream's `Invalid GPG signature: %#v` text. */
function invalidGpgSignature(f: GpgmeSignatureFields): string {
  return (
    `Invalid GPG signature: gpgme.Signature{Summary:${f.summary}, Fingerprint:"${f.fingerprint}", Status:gpgme.Error{err:${f.status}}, ` +
    `Timestamp:${goTime(f.timestamp)}, ExpTimestamp:${goTime(f.expTimestamp)}, WrongKeyUsage:false, PKATrust:0x0, ChainModel:false, ` +
    `Validity:0, ValidityReason:error(nil), PubkeyAlgo:${f.pubkeyAlgo}, HashAlgo:${f.hashAlgo}}`
  );
}

// ------------------------------------------------------------------------- Verify

/** gpg 2.2 verifies small RSA keys, SHA-1 signatures and every curve it knows; so must we. */
const PERMISSIVE_CONFIG = {
  minRSABits: 512,
  rejectHashAlgorithms: new Set<number>(),
  rejectMessageHashAlgorithms: new Set<number>(),
  rejectPublicKeyAlgorithms: new Set<number>(),
  rejectCurves: new Set<string>(),
};

/** Options for {@link gpgVerify}. */
export interface GpgVerifyOptions {
  /** "Now" for expiry checks (default: the current time). */
  now?: Date;
}

type SigPacket = {
  created: Date | null;
  signatureExpirationTime: number | null;
  signatureNeverExpires: boolean;
  publicKeyAlgorithm: number;
  hashAlgorithm: number;
  issuerKeyID: { toHex(): string };
  issuerFingerprint: Uint8Array | null;
};

const secs = (d: Date | null | undefined) => (d ? Math.floor(d.getTime() / 1000) : 0);

/**
 * Upstream `gpgmeSigningMechanism.Verify`: the message must be a signed message with exactly one signature,
 * valid, unexpired, by a key in the keyring (a subkey is fine here; the caller decides whether its fingerprint
 * is trusted).
 */
export async function gpgVerify(keyring: GpgKeyring, signatureBytes: Uint8Array, options: GpgVerifyOptions = {}): Promise<GpgVerifyResult> {
  const now = options.now ?? new Date();
  // openpgp.js skips version 3 signature packets; gpg verifies them.
  const v3 = readV3SignedMessage(signatureBytes);
  if (v3) return verifyV3(keyring, v3, now);
  let message: openpgp.Message<Uint8Array>;
  try {
    message = await (await loadOpenpgp()).readMessage({ binaryMessage: signatureBytes });
  } catch (e) {
    return { ok: false, error: gpgReadError(e, signatureBytes) };
  }
  let result: openpgp.VerifyMessageResult<Uint8Array>;
  try {
    result = (await ((await loadOpenpgp()).verify as (o: unknown) => Promise<unknown>)({
      message,
      verificationKeys: keyring.keys.length > 0 ? keyring.keys : [],
      format: "binary",
      date: null,
      config: PERMISSIVE_CONFIG,
    })) as openpgp.VerifyMessageResult<Uint8Array>;
  } catch (e) {
    if (/not signed|no signatures|Can only verify/i.test(String((e as Error)?.message))) return { ok: false, error: "Unexpected GPG signature count 0" };
    return { ok: false, error: gpgReadError(e, signatureBytes) };
  }
  let contents: Uint8Array;
  try {
    contents = result.data instanceof Uint8Array ? result.data : new Uint8Array(await readAll(result.data));
  } catch (e) {
    return { ok: false, error: gpgReadError(e, signatureBytes) };
  }
  if (result.signatures.length !== 1) return { ok: false, error: `Unexpected GPG signature count ${result.signatures.length}` };
  const vr = result.signatures[0];
  let packet: SigPacket | undefined;
  try {
    packet = (await vr.signature).packets[0] as unknown as SigPacket;
  } catch {
    packet = undefined;
  }
  const keyID = vr.keyID.toHex().toUpperCase();
  // gpg names the issuer by fingerprint when the signature carries one (v4 signatures by modern gpg do).
  const issuer = packet?.issuerFingerprint ? Buffer.from(packet.issuerFingerprint).toString("hex").toUpperCase() : keyID;
  const created = secs(packet?.created);
  const expires =
    packet && !packet.signatureNeverExpires && packet.signatureExpirationTime ? created + packet.signatureExpirationTime : 0;
  const found = findKey(keyring, vr.keyID);
  if (!found) {
    return {
      ok: false,
      failure: { why: "unknown-key", key: issuer, created },
      error: invalidGpgSignature({
        summary: SUMMARY.keyMissing,
        fingerprint: issuer,
        status: STATUS.noPubkey,
        timestamp: created,
        expTimestamp: expires,
        pubkeyAlgo: packet ? gpgmePubkeyAlgo(packet.publicKeyAlgorithm) : 0,
        hashAlgo: packet?.hashAlgorithm ?? 0,
      }),
    };
  }
  const cryptoOk = await checkCryptography(vr);
  if (!cryptoOk.ok && !cryptoOk.revoked) {
    return {
      ok: false,
      failure: { why: "bad-signature", ...knownKey(found) },
      error: invalidGpgSignature({ summary: SUMMARY.red, fingerprint: keyID, status: STATUS.badSignature, timestamp: 0, expTimestamp: 0, pubkeyAlgo: 0, hashAlgo: 0 }),
    };
  }
  const fpr = found.signingKey.getFingerprint().toUpperCase();
  const primaryFpr = found.key.getFingerprint().toUpperCase();
  const full: Omit<GpgmeSignatureFields, "summary" | "status"> = {
    fingerprint: fpr,
    timestamp: created,
    expTimestamp: expires,
    pubkeyAlgo: packet ? gpgmePubkeyAlgo(packet.publicKeyAlgorithm) : 0,
    hashAlgo: packet?.hashAlgorithm ?? 0,
  };
  const who = knownKey(found);
  if (expires !== 0 && expires * 1000 <= now.getTime())
    return {
      ok: false,
      failure: { why: "signature-expired", ...who, created, expires },
      error: invalidGpgSignature({ ...full, summary: SUMMARY.sigExpired, status: STATUS.sigExpired }),
    };
  const keyState = !cryptoOk.ok ? "revoked" : await keyStateAt(found.key, found.signingKey, now);
  if (keyState === "revoked")
    return { ok: false, failure: { why: "key-revoked", ...who }, error: invalidGpgSignature({ ...full, summary: SUMMARY.keyRevoked, status: STATUS.certRevoked }) };
  if (keyState === "expired")
    return { ok: false, failure: { why: "key-expired", ...who }, error: invalidGpgSignature({ ...full, summary: SUMMARY.keyExpired, status: STATUS.keyExpired }) };
  return { ok: true, contents, keyFingerprint: fpr, primaryFingerprint: primaryFpr };
}

/** A version 3 signature (openpgp.js cannot read these; gpg verifies them). */
async function verifyV3(keyring: GpgKeyring, msg: NonNullable<ReturnType<typeof readV3SignedMessage>>, now: Date): Promise<GpgVerifyResult> {
  let found: { key: openpgp.PublicKey; signingKey: openpgp.PublicKey | openpgp.Subkey } | undefined;
  for (const key of keyring.keys) {
    const k = key.getKeys().find((x) => x.getKeyID().toHex().toUpperCase() === msg.keyID);
    if (k) {
      found = { key, signingKey: k };
      break;
    }
  }
  const base = { timestamp: msg.created, expTimestamp: 0, pubkeyAlgo: gpgmePubkeyAlgo(msg.pubkeyAlgo), hashAlgo: msg.hashAlgo };
  if (!found)
    return {
      ok: false,
      failure: { why: "unknown-key", key: msg.keyID, created: msg.created },
      error: invalidGpgSignature({ ...base, summary: SUMMARY.keyMissing, fingerprint: msg.keyID, status: STATUS.noPubkey }),
    };
  const params = (found.signingKey.keyPacket as unknown as { publicParams: { n?: Uint8Array; e?: Uint8Array } }).publicParams;
  if (!params.n || !params.e || !verifyV3Rsa(msg, params.n, params.e))
    return { ok: false, failure: { why: "bad-signature", ...knownKey(found) }, error: invalidGpgSignature({ summary: SUMMARY.red, fingerprint: msg.keyID, status: STATUS.badSignature, timestamp: 0, expTimestamp: 0, pubkeyAlgo: 0, hashAlgo: 0 }) };
  const fpr = found.signingKey.getFingerprint().toUpperCase();
  const state = await keyStateAt(found.key, found.signingKey, now);
  if (state === "revoked")
    return { ok: false, failure: { why: "key-revoked", ...knownKey(found) }, error: invalidGpgSignature({ ...base, fingerprint: fpr, summary: SUMMARY.keyRevoked, status: STATUS.certRevoked }) };
  if (state === "expired")
    return { ok: false, failure: { why: "key-expired", ...knownKey(found) }, error: invalidGpgSignature({ ...base, fingerprint: fpr, summary: SUMMARY.keyExpired, status: STATUS.keyExpired }) };
  return { ok: true, contents: msg.contents, keyFingerprint: fpr, primaryFingerprint: found.key.getFingerprint().toUpperCase() };
}

async function readAll(stream: unknown): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const c of stream as AsyncIterable<Uint8Array>) chunks.push(c);
  return Buffer.concat(chunks);
}

/**
 * gpgme's result for a message gpg cannot fully parse, from what openpgp.js reports and where the data ends.
 * Observed with skopeo: a lone compressed-packet header gives "Unknown compression algorithm"; damaged deflate data
 * and a cut before the signature packet's subpackets end as "no signature found" (count 0); a cut inside the
 * signature's MPIs, a damaged packet structure inside the compressed data, or a cut within the first bytes give
 * "No data" (see truncatedMessageText).
 */
function gpgReadError(e: unknown, bytes?: Uint8Array): string {
  const msg = String((e as Error)?.message ?? e);
  if (bytes && bytes.length === 1 && (bytes[0] === 0xa3 || bytes[0] === 0xc8 || (bytes[0] & 0xfc) === 0xa0)) return "Unknown compression algorithm";
  if (/Missing trailing signature packets/.test(msg) || (/CompressedDataPacket/.test(msg) && /Error during parsing/.test(msg))) return "No data";
  if (bytes) return truncatedMessageText(Buffer.from(bytes));
  return "Unexpected GPG signature count 0";
}

/** gpg on a truncated compressed signed message: depends on how far the decompressed packets got. */
function truncatedMessageText(bytes: Buffer): string {
  const COUNT0 = "Unexpected GPG signature count 0";
  if (bytes.length < 2 || (bytes[0] !== 0xa3 && bytes[0] !== 0xc8)) return COUNT0;
  const algo = bytes[bytes[0] === 0xa3 ? 1 : 2];
  const data = bytes.subarray(bytes[0] === 0xa3 ? 2 : 3);
  let inner: Buffer;
  try {
    const opts = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
    inner = algo === 1 ? zlib.inflateRawSync(data, opts) : algo === 2 ? zlib.inflateSync(data, opts) : algo === 0 ? data : Buffer.alloc(0);
  } catch {
    return COUNT0;
  }
  if (inner.length === 0) return data.length > 0 ? "No data" : COUNT0;
  if (inner.length < 3) return "No data";
  // Walk complete packets; look at the first incomplete one.
  let i = 0;
  while (i < inner.length) {
    const ctb = inner[i];
    let tag: number;
    let hl: number;
    let len: number;
    if (ctb & 0x40) {
      tag = ctb & 0x3f;
      const o = inner[i + 1];
      if (o === undefined) return COUNT0;
      if (o < 192) [hl, len] = [2, o];
      else if (o < 224) [hl, len] = [3, ((o - 192) << 8) + (inner[i + 2] ?? 0) + 192];
      else if (o === 255) [hl, len] = [6, i + 6 <= inner.length ? inner.readUInt32BE(i + 2) : Infinity];
      else [hl, len] = [2, 1 << (o & 0x1f)];
    } else {
      tag = (ctb >> 2) & 0x0f;
      const n = [1, 2, 4, 0][ctb & 3];
      hl = 1 + n;
      len = n === 1 ? (inner[i + 1] ?? 0) : n === 2 && i + 3 <= inner.length ? inner.readUInt16BE(i + 1) : n === 4 && i + 5 <= inner.length ? inner.readUInt32BE(i + 1) : Infinity;
    }
    if (i + hl + len <= inner.length) {
      i += hl + len;
      continue;
    }
    if (tag !== 2) return COUNT0;
    const body = inner.subarray(i + hl);
    if (body.length < 6 || body[0] !== 4) return COUNT0;
    const hashed = body.readUInt16BE(4);
    if (body.length < 6 + hashed + 2) return COUNT0;
    const unhashed = body.readUInt16BE(6 + hashed);
    return body.length >= 6 + hashed + 2 + unhashed + 2 ? "No data" : COUNT0;
  }
  // Every packet is complete but the compressed stream is not: gpg reports the missing end.
  return "No data";
}

function findKey(keyring: GpgKeyring, keyID: openpgp.KeyID): { key: openpgp.PublicKey; signingKey: openpgp.PublicKey | openpgp.Subkey } | undefined {
  for (const key of keyring.keys) {
    const matches = key.getKeys(keyID);
    if (matches.length > 0) return { key, signingKey: matches[0] };
  }
  return undefined;
}

/** Checks the signature's mathematics (time checks are off in the verify call; expiry is judged separately, as gpg reports it). */
async function checkCryptography(vr: openpgp.VerifyMessageResult<Uint8Array>["signatures"][number]): Promise<{ ok: true } | { ok: false; revoked: boolean; missing: boolean }> {
  try {
    await vr.verified;
    return { ok: true };
  } catch (e) {
    const msg = String((e as Error)?.message ?? e);
    return { ok: false, revoked: /revoked/i.test(msg), missing: /Could not find signing key/i.test(msg) };
  }
}

/** Whether gpg would call the (sub)key expired or revoked at `now`. */
async function keyStateAt(primary: openpgp.PublicKey, signingKey: openpgp.PublicKey | openpgp.Subkey, now: Date): Promise<"ok" | "expired" | "revoked"> {
  try {
    if (await primary.isRevoked(undefined, undefined as never, now)) return "revoked";
  } catch {
    /* treat as not revoked */
  }
  if (signingKey !== primary) {
    const sub = signingKey as openpgp.Subkey;
    try {
      const bs = sub.bindingSignatures[sub.bindingSignatures.length - 1];
      if (bs && (await sub.isRevoked(bs, primary.keyPacket as never, now))) return "revoked";
    } catch {
      /* ignore */
    }
  }
  try {
    const exp = await primary.getExpirationTime();
    if (exp instanceof Date && exp.getTime() <= now.getTime()) return "expired";
  } catch {
    /* ignore */
  }
  if (signingKey !== primary) {
    try {
      const exp = await (signingKey as openpgp.Subkey).getExpirationTime(now);
      if (exp instanceof Date && exp.getTime() <= now.getTime()) return "expired";
    } catch {
      /* ignore */
    }
  }
  return "ok";
}
