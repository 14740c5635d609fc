/**
 * key-file-problem (IT4015): a key file a requirement names is missing, unreadable, not a key, weak, or writable by
 * group or others.
 *
 * Upstream: key files are read at evaluation, not when policy.json is loaded (`prSignedBy.isSignatureAuthorAccepted`
 * reads `keyPath`/`keyPaths` through `os.ReadFile`; `prSigstoreSigned.prepareTrustRoot` reads `keyPath`, Fulcio and
 * Rekor files), so a broken path only shows up as denied pulls.
 */
import type { HostFiles } from "../../host/host.js";
import type { Requirement } from "../../ir/types.js";
import type { Span } from "../../source/source-file.js";
import { holdsKey, type KeyMaterial } from "../../check/key-files.js";
import { certificateExpiry, inspectOpenPgpKey, inspectPemKey, openPgpKeyExpiry, weakness } from "../key-inspect.js";
import { readSmallFile, statPath } from "../file-access.js";
import type { Rule, RuleContext } from "../rule.js";

/** Every key file a requirement names, with what it must hold. */
export function keyFilesOf(r: Requirement): Array<{ path: string; material: KeyMaterial; field: string }> {
  const out: Array<{ path: string; material: KeyMaterial; field: string }> = [];
  if (r.type === "signedBy") {
    if (r.keyType !== "GPGKeys") return out;
    if (r.keyPath !== undefined) out.push({ path: r.keyPath, material: "gpg", field: "keyPath" });
    for (const p of r.keyPaths ?? []) out.push({ path: p, material: "gpg", field: "keyPaths" });
  } else if (r.type === "sigstoreSigned") {
    if (r.keyPath !== undefined) out.push({ path: r.keyPath, material: "publicKey", field: "keyPath" });
    for (const p of r.keyPaths ?? []) out.push({ path: p, material: "publicKey", field: "keyPaths" });
    if (r.rekorPublicKeyPath !== undefined) out.push({ path: r.rekorPublicKeyPath, material: "publicKey", field: "rekorPublicKeyPath" });
    for (const p of r.rekorPublicKeyPaths ?? []) out.push({ path: p, material: "publicKey", field: "rekorPublicKeyPaths" });
    if (r.fulcio?.caPath !== undefined) out.push({ path: r.fulcio.caPath, material: "certificate", field: "fulcio.caPath" });
  }
  return out;
}

function check(ctx: RuleContext, files: HostFiles, path: string, material: KeyMaterial, field: string, span: Span | undefined): void {
  const where = { span, file: span ? undefined : ctx.file };
  if (!path.startsWith("/")) {
    ctx.report({ messageId: "relative", data: { field, path }, ...where });
    return;
  }
  const info = statPath(files, path);
  if (!info) return ctx.report({ messageId: "missing", data: { field, path }, ...where });
  if (!info.isFile) return ctx.report({ messageId: "notFile", data: { field, path }, ...where });
  if (info.mode & 0o022) {
    ctx.report({ messageId: "writable", data: { field, path, mode: (info.mode & 0o777).toString(8).padStart(3, "0") }, ...where, severity: "warning" });
  }
  const bytes = readSmallFile(files, path);
  if (!bytes) return ctx.report({ messageId: "unreadable", data: { field, path }, ...where });
  if (!holdsKey(bytes, material)) {
    return ctx.report({ messageId: "notKey", data: { field, path, what: material === "gpg" ? "an OpenPGP public key" : material === "publicKey" ? "a PEM public key" : "a PEM certificate" }, ...where });
  }
  const key = material === "gpg" ? inspectOpenPgpKey(bytes) : inspectPemKey(bytes, material === "certificate");
  const weak = key && weakness(key);
  if (weak) ctx.report({ messageId: "weak", data: { field, path, weak }, ...where, severity: "warning" });
  const expires = material === "gpg" ? openPgpKeyExpiry(bytes) : material === "certificate" ? certificateExpiry(bytes) : undefined;
  if (expires && expires.getTime() < Date.now()) {
    ctx.report({ messageId: "expired", data: { field, path, date: expires.toISOString().slice(0, 10) }, ...where });
  }
}

/** The rule. */
export const keyFileProblem: Rule = {
  meta: {
    code: "IT4015",
    name: "key-file-problem",
    category: "security",
    defaultSeverity: "warning",
    description: "A key file that is missing, unreadable, not a key, expired, weak (RSA < 2048, DSA), or writable by group/others.",
    docs: {
      what:
        "Checks every key file of signedBy (GPGKeys) and sigstoreSigned requirements on this machine: it must exist, be a " +
        "readable regular file holding the expected kind of key (OpenPGP for signedBy, PEM for sigstore), not be expired " +
        "(an OpenPGP primary key's self-signature expiry, a Fulcio CA certificate's notAfter), not be a weak key, and not be writable by group or others. File checks run only where the files are the deployed ones: on the " +
        "runtime's own configuration (`imagetrust lint` with no path) or with `--check-files`; a key under /tmp, /var/tmp or " +
        "/dev/shm is always reported.",
      why:
        "containers/image reads key files at pull time only: a missing or broken key file denies every pull; a key anyone " +
        "can replace lets anyone sign images the policy accepts; short RSA and DSA keys can be forged.",
      example: '"quay.io/acme": [{ "type": "signedBy", "keyType": "GPGKeys", "keyPath": "/tmp/key.gpg" }]   (mode 0666)',
      instead: '"quay.io/acme": [{ "type": "signedBy", "keyType": "GPGKeys", "keyPath": "/etc/pki/containers/acme.gpg" }]   (root-owned, mode 0644)',
    },
    messages: {
      relative: "{field} '{path}' is not an absolute path: it is resolved against the working directory of whatever process pulls.",
      missing: "{field} '{path}' does not exist: every signature is rejected.",
      notFile: "{field} '{path}' is not a regular file: every signature is rejected.",
      unreadable: "{field} '{path}' cannot be read: every signature is rejected.",
      notKey: "{field} '{path}' does not hold {what}: every signature is rejected.",
      weak: "{field} '{path}' is {weak}.",
      expired: "{field} '{path}' expired on {date}: signatures made with it are rejected.",
      sharedDir: "{field} '{path}' is in a world-writable directory: any local user can put a key there before it exists, or after it is removed.",
      writable: "{field} '{path}' is writable by group or others (mode {mode}): whoever can write it decides which signatures are trusted.",
    },
  },
  create(ctx) {
    return {
      requirement(r) {
        for (const k of keyFilesOf(r)) {
          // Static: a key in a world-writable directory can be planted by anyone, wherever the policy is deployed.
          if (/^\/(tmp|var\/tmp|dev\/shm)\//.test(k.path)) {
            ctx.report({ messageId: "sharedDir", data: { field: k.field, path: k.path }, span: r.origin, file: r.origin ? undefined : ctx.file, severity: "warning" });
          }
          // With --keys the real keys are at hand wherever the policy is linted (a .trust source's checker owns them: IT2120).
          if (ctx.keyFiles && ctx.frontEnd !== "trust") check(ctx, ctx.keyFiles, k.path, k.material, k.field, r.origin);
          else if (ctx.checkHostFiles) check(ctx, ctx.files, k.path, k.material, k.field, r.origin);
        }
      },
    };
  },
};
