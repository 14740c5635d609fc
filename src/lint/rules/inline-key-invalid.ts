/**
 * inline-key-invalid (IT4016): inline key data (keyData, keyDatas, rekorPublicKeyData, fulcio.caData) that does not
 * decode to a key, or holds a weak one.
 *
 * Upstream: the base64 is decoded when policy.json is loaded, but the bytes are only parsed at evaluation
 * (`prSignedBy.isSignatureAuthorAccepted` → gpgme/openpgp import: "No public keys imported";
 * `prSigstoreSigned.prepareTrustRoot` → `cryptoutils.UnmarshalPEMToPublicKey`).
 */
import type { Base64, Requirement } from "../../ir/types.js";
import { holdsKey, type KeyMaterial } from "../../check/key-files.js";
import { decodeGoBase64 } from "../../util/go-base64.js";
import { inspectOpenPgpKey, inspectPemKey, weakness } from "../key-inspect.js";
import type { Rule } from "../rule.js";

function inlineKeysOf(r: Requirement): Array<{ data: Base64; material: KeyMaterial; field: string }> {
  const out: Array<{ data: Base64; material: KeyMaterial; field: string }> = [];
  if (r.type === "signedBy" && r.keyType === "GPGKeys" && r.keyData) out.push({ data: r.keyData, material: "gpg", field: "keyData" });
  if (r.type === "sigstoreSigned") {
    if (r.keyData) out.push({ data: r.keyData, material: "publicKey", field: "keyData" });
    for (const d of r.keyDatas ?? []) out.push({ data: d, material: "publicKey", field: "keyDatas" });
    if (r.rekorPublicKeyData) out.push({ data: r.rekorPublicKeyData, material: "publicKey", field: "rekorPublicKeyData" });
    for (const d of r.rekorPublicKeyDatas ?? []) out.push({ data: d, material: "publicKey", field: "rekorPublicKeyDatas" });
    if (r.fulcio?.caData) out.push({ data: r.fulcio.caData, material: "certificate", field: "fulcio.caData" });
  }
  return out;
}

/** The rule. */
export const inlineKeyInvalid: Rule = {
  meta: {
    code: "IT4016",
    name: "inline-key-invalid",
    category: "correctness",
    defaultSeverity: "error",
    description: "Inline key data that decodes to no key (or to a weak one).",
    docs: {
      what:
        "Decodes keyData, keyDatas, rekorPublicKeyData(s) and fulcio.caData and checks the bytes hold the expected kind of " +
        "key (OpenPGP for signedBy, PEM for sigstore), and that RSA keys have at least 2048 bits and none is DSA.",
      why: "The base64 is accepted when the policy loads, but the key is parsed only at pull time: a template placeholder or the wrong file denies every pull.",
      example: '"keyData": "bm9uc2Vuc2U="   (base64 of "nonsense")',
      instead: '"keyData": "<base64 of the armored key: base64 -w0 key.asc>"',
    },
    messages: {
      notKey: "{field} decodes to {size} bytes that are not {what}: every signature is rejected.",
      weak: "{field} holds {weak}.",
    },
  },
  create(ctx) {
    return {
      requirement(r) {
        for (const k of inlineKeysOf(r)) {
          const bytes = decodeGoBase64(k.data);
          if (bytes === undefined) continue; // the loader reports bad base64
          const where = { span: r.origin, file: r.origin ? undefined : ctx.file };
          if (!holdsKey(bytes, k.material)) {
            ctx.report({
              messageId: "notKey",
              data: { field: k.field, size: bytes.length, what: k.material === "gpg" ? "an OpenPGP public key" : k.material === "publicKey" ? "a PEM public key" : "a PEM certificate" },
              ...where,
            });
            continue;
          }
          const info = k.material === "gpg" ? inspectOpenPgpKey(bytes) : inspectPemKey(bytes, k.material === "certificate");
          const weak = info && weakness(info);
          if (weak) ctx.report({ messageId: "weak", data: { field: k.field, weak }, ...where, severity: "warning" });
        }
      },
    };
  },
};
