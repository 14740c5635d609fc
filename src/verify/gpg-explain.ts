/**
 * GPG rejections in plain words (issue 17): upstream's text for a signature from an unknown, expired or revoked key
 * is a Go `%#v` dump of gpgme's result (`Invalid GPG signature: gpgme.Signature{…}`), kept as the reason and compared
 * with skopeo; this says which key signed (fingerprint or key ID, user ID when the keyring has the key), why it is not
 * accepted, and which keys the policy trusts.
 */
import type { GpgFailure, GpgKeyring } from "./gpg.js";
import { userIdsOf } from "./gpg.js";
import { SIGNATURE_REJECTION_CODES as R } from "../simulate/signature-findings.js";

/** The coded kind of a gpgme failure (what `expect deny … because CODE` names). */
export function gpgFailureCode(f: GpgFailure): string {
  switch (f.why) {
    case "unknown-key":
      return R.untrustedKey;
    case "bad-signature":
      return R.badSignature;
    case "signature-expired":
    case "key-expired":
      return R.expired;
    case "key-revoked":
      return R.revoked;
  }
}

/** `FPR (User <id>)`. */
function named(key: string, userIds: readonly string[] | undefined): string {
  return userIds && userIds.length > 0 ? `${key} (${userIds.join(", ")})` : key;
}

/** What the policy's keyring trusts: its primary keys with their user IDs. */
export function trustedKeysText(keyring: GpgKeyring): string {
  const keys = keyring.trustedFingerprints.filter((f, i, all) => all.indexOf(f) === i);
  const list = keys.map((f) => {
    const k = keyring.keys.find((x) => x.getFingerprint().toUpperCase() === f);
    return named(f, k ? userIdsOf(k) : undefined);
  });
  return `the policy trusts ${list.length === 1 ? "key" : `${list.length} keys:`} ${list.join("; ")}`;
}

function signer(f: GpgFailure): string {
  const sub = f.primary !== undefined && f.primary !== f.key;
  return sub ? `subkey ${f.key} of key ${named(f.primary!, f.userIds)}` : `key ${named(f.key, f.userIds)}`;
}

const iso = (secs: number) => new Date(secs * 1000).toISOString().replace(".000Z", "Z");

/** The plain-words explanation of a gpgme failure. */
export function explainGpgFailure(f: GpgFailure, keyring: GpgKeyring): string {
  const trusts = trustedKeysText(keyring);
  switch (f.why) {
    case "unknown-key":
      return `signed by ${f.key.length === 16 ? "key ID" : "key"} ${f.key}, which is not in the policy's keyring; ${trusts}`;
    case "bad-signature":
      return `claims to be signed by ${signer(f)}, but the signature does not verify (bad signature: the signed data or the signature was altered)`;
    case "signature-expired":
      return `signed by ${signer(f)}${f.created ? ` on ${iso(f.created)}` : ""}, but the signature itself expired${f.expires ? ` on ${iso(f.expires)}` : ""}`;
    case "key-expired":
      return `signed by ${signer(f)}, which has expired (gpg accepts no signature from an expired key; renew the key's expiry and re-export it into the keyring file)`;
    case "key-revoked":
      return `signed by ${signer(f)}, which has been revoked`;
  }
}

/** The explanation of a signature by a key in the keyring that the policy does not trust (a subkey). */
export function explainNotAccepted(keyFingerprint: string, primaryFingerprint: string, keyring: GpgKeyring): string {
  const k = keyring.keys.find((x) => x.getFingerprint().toUpperCase() === primaryFingerprint);
  const who =
    keyFingerprint !== primaryFingerprint ? `subkey ${keyFingerprint} of key ${named(primaryFingerprint, k ? userIdsOf(k) : undefined)}` : `key ${keyFingerprint}`;
  return `signed by ${who}, which is not a key the policy trusts by fingerprint; ${trustedKeysText(keyring)}`;
}
