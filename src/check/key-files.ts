/**
 * Key files as the checker sees them: read through a Host (`hostKeyFiles`, the one such reader, also used by the
 * compilers; for `--keys DIR` the Host is src/input/key-files.ts `keysHost`, which reads install paths from DIR),
 * and whether a key file or inline key data plausibly holds a key of the expected kind. Used for warnings only:
 * the runtime reads these files when it evaluates, not when it loads policy.json.
 */
import type { Host } from "../host/host.js";
import { readBounded } from "../host/read-limits.js";

/** What a key source must hold. */
export type KeyMaterial = "gpg" | "publicKey" | "certificate";

/** How the checker reaches key files (made from the Host by `hostKeyFiles`, or faked by tests). */
export interface FileAccess {
  fileExists(path: string): boolean;
  /** The file's bytes, or undefined when it cannot be read. */
  readFile(path: string): Uint8Array | undefined;
}

/** Key files through the host, at the paths it maps them to (an unreadable file is `undefined`, a directory does not exist). */
export function hostKeyFiles(host: Host): FileAccess {
  return {
    fileExists: (p) => {
      try {
        return host.files.stat(p).kind === "file";
      } catch {
        return false;
      }
    },
    readFile: (p) => {
      try {
        return readBounded(host, p, "key");
      } catch {
        return undefined;
      }
    },
  };
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
