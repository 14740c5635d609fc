/**
 * Whether a key file or inline key data plausibly holds a key of the expected kind. Used for warnings
 * only: the runtime reads these files when it evaluates, not when it loads policy.json.
 */

/** What a key source must hold. */
export type KeyMaterial = "gpg" | "publicKey" | "certificate";

/** How the checker reaches the file system (injectable for tests). */
export interface FileAccess {
  fileExists(path: string): boolean;
  /** The file's bytes, or undefined when it cannot be read. */
  readFile(path: string): Uint8Array | undefined;
}

const ARMOR_GPG = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
const PEM_PUBLIC = /-----BEGIN (?:[A-Z0-9]+ )?PUBLIC KEY-----/;
const PEM_CERT = "-----BEGIN CERTIFICATE-----";

/** True when `bytes` look like `material`: armored or binary OpenPGP public keys, PEM public keys, PEM certificates. */
export function holdsKey(bytes: Uint8Array, material: KeyMaterial): boolean {
  if (bytes.length === 0) return false;
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, Math.min(bytes.length, 1 << 20)));
  switch (material) {
    case "gpg": {
      if (head.includes(ARMOR_GPG)) return true;
      // A binary keyring starts with a public-key packet (tag 6), old or new packet format.
      const b = bytes[0];
      if ((b & 0x80) === 0) return false;
      const tag = b & 0x40 ? b & 0x3f : (b >> 2) & 0x0f;
      return tag === 6;
    }
    case "publicKey":
      return PEM_PUBLIC.test(head);
    case "certificate":
      return head.includes(PEM_CERT);
  }
}

/** Go's base64.StdEncoding after encoding/json: `\r` and `\n` ignored, padding required. */
export function isStdBase64(s: string): boolean {
  const t = s.replace(/[\r\n]/g, "");
  return /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(t);
}

/** Decode standard base64 (assumed valid). */
export function decodeBase64(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/[\r\n]/g, ""), "base64"));
}
