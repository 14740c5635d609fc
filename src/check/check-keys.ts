/**
 * Keys of a .trust file: key types, key sources (empty lists, Go base64, key files on this machine), the clauses
 * of fulcio and pki keys (containers/image `newPRSigstoreSignedFulcio` / `newPRSigstoreSignedPKI`, via
 * src/ir/constraints.ts) and the target versions key kinds need.
 */
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { isValidSignedByKeyType, newPRSigstoreSignedFulcio, newPRSigstoreSignedPKI, sigstoreListOptionEmpty, type FieldState } from "../ir/constraints.js";
import { SIGNED_BY_KEY_TYPES } from "../ir/types.js";
import type * as A from "../syntax/ast.js";
import { decodeGoBase64 } from "../util/go-base64.js";
import type { TrustCheckContext } from "./check-context.js";
import { checkSubjectClauses, checkSubjectForTarget } from "./check-subjects.js";
import { CHECK_CODES as C } from "./codes.js";
import { holdsKey, type KeyMaterial } from "./key-files.js";

/** The values of a key source (`file`, `files`, `data`, `datas`): empty lists, base64, key files. */
export function checkKeySourceValues(ctx: TrustCheckContext, src: A.KeySource, material: KeyMaterial, what: string, emptyListIsError: boolean): void {
  if (src.values.length === 0 && !src.recovered) {
    // A sigstore list option with no entries fails (PRSigstoreSignedWithKeyPaths & co.); signedBy takes it.
    if (emptyListIsError && sigstoreListOptionEmpty(src.values.length)) {
      ctx.report(C.emptyKeyValue, "error", `'${src.form}' needs at least one value ("${src.form === "files" ? "keyPaths" : "keyDatas"}" contains no entries).`, src.span);
    } else {
      ctx.report(C.emptyKeyValue, "warning", `'${src.form}' lists nothing: the policy loads, but every signature is rejected (No public keys imported).`, src.span);
    }
  }
  for (const v of src.values) {
    if (v.recovered) continue;
    if (src.form === "data" || src.form === "datas") checkKeyData(ctx, v, material, what);
    else checkKeyPath(ctx, v, material, what, src.form === "files");
  }
}

/** Inline key data: Go-accepted base64 that holds the expected key material. */
export function checkKeyData(ctx: TrustCheckContext, v: A.StringLit, material: KeyMaterial, what: string): void {
  const bytes = decodeGoBase64(v.value);
  if (bytes === undefined) {
    ctx.report(C.invalidBase64, "error", `The ${what} data is not standard base64 (with '=' padding).`, v.span, {
      hint: "Inline key data is the key file's bytes in base64, e.g. the output of `base64 -w0 key.gpg`.",
    });
    return;
  }
  if (v.value !== "" && !holdsKey(bytes, material)) {
    ctx.report(C.keyFileHoldsNoKey, "warning", `The ${what} data does not look like ${materialWords(material)}.`, v.span);
  }
}

/** A key file path: not empty, absolute, present on this machine and holding the expected key material. */
export function checkKeyPath(ctx: TrustCheckContext, v: A.StringLit, material: KeyMaterial, what: string, inList = false): void {
  if (v.value === "") {
    // Upstream treats a lone empty path as absent (an error); inside a list it parses, then fails to read.
    ctx.report(C.emptyKeyValue, inList ? "warning" : "error", `The ${what} file name is empty.`, v.span);
    return;
  }
  let p = v.value;
  if (!p.startsWith("/")) {
    ctx.report(C.relativeKeyPath, "warning", `The ${what} path "${p}" is relative: the runtime resolves it against its own working directory.`, v.span, {
      hint: "Use an absolute path.",
    });
    if (ctx.options.baseDir) p = ctx.options.baseDir.replace(/\/$/, "") + "/" + p;
  }
  const fs = ctx.options.files;
  if (!fs) return;
  if (!fs.fileExists(p)) {
    ctx.report(C.keyFileMissing, "warning", `The ${what} file "${v.value}" does not exist here.`, v.span, {
      hint: "Every host that loads the policy needs this file; install it there (or check the path).",
    });
    return;
  }
  const bytes = fs.readFile(p);
  if (bytes && !holdsKey(bytes, material)) {
    ctx.report(C.keyFileHoldsNoKey, "warning", `The ${what} file "${v.value}" does not hold ${materialWords(material)}.`, v.span);
  }
}

/** A key declaration: its key type and source per kind (gpg, sigstore, rekor, fulcio, pki). */
export function checkKey(ctx: TrustCheckContext, k: A.KeyDecl): void {
  const spec = k.spec;
  if (spec.recovered) return;
  switch (spec.kind) {
    case "gpg": {
      if (spec.keyType && !spec.keyType.recovered) {
        const t = "name" in spec.keyType ? spec.keyType.name : spec.keyType.value;
        if (!isValidSignedByKeyType(t)) {
          const hint = didYouMean(t, SIGNED_BY_KEY_TYPES).trim();
          ctx.report(C.invalidKeyType, "error", `'${t}' is not a signedBy keyType (${SIGNED_BY_KEY_TYPES.join(", ")}).`, spec.keyType.span, hint ? { hint } : {});
        }
      }
      if (spec.source.form === "datas") {
        ctx.report(C.keySourceNotAllowed, "error", "A gpg key takes one 'data' value (signedBy has keyData but no keyDatas).", spec.source.span, {
          hint: "Concatenate the keyrings into one and give its base64 with 'data', or use 'files'.",
        });
      }
      checkKeySourceValues(ctx, spec.source, "gpg", "GPG key", false);
      return;
    }
    case "sigstore":
    case "rekor": {
      checkKeySourceValues(ctx, spec.source, "publicKey", spec.kind === "sigstore" ? "sigstore public key" : "Rekor public key", true);
      return;
    }
    case "fulcio":
    case "pki": {
      checkKeyClauses(ctx, k, spec);
      return;
    }
  }
}

/** Target-version checks of a key, for keys some requirement uses (unused keys never reach policy.json). */
export function checkKeyFeatures(ctx: TrustCheckContext, k: A.KeyDecl): void {
  const spec = k.spec;
  if (spec.recovered) return;
  switch (spec.kind) {
    case "gpg":
      if (spec.source.form === "files") ctx.needFeature("signedByKeyPaths", spec.source.span);
      return;
    case "sigstore":
    case "rekor":
      ctx.needFeature(spec.kind === "sigstore" ? "sigstoreSigned" : "rekorPublicKey", spec.span);
      if (spec.source.form === "files" || spec.source.form === "datas") ctx.needFeature("sigstoreKeyLists", spec.source.span);
      return;
    default:
      ctx.needFeature(spec.kind, spec.span);
      checkSubjectForTarget(ctx, k, spec);
  }
}

/** The clauses of a fulcio or pki key (`newPRSigstoreSignedFulcio`, `newPRSigstoreSignedPKI`). */
export function checkKeyClauses(ctx: TrustCheckContext, k: A.KeyDecl, spec: A.FulcioKeySpec | A.PkiKeySpec): void {
  const seen = new Map<string, A.KeyClause>();
  for (const c of spec.clauses) {
    if (c.recovered) continue;
    const prev = seen.get(c.clause);
    if (prev) {
      ctx.report(C.duplicateKeyClause, "error", `'${c.clause}' is given twice for key '${k.name.name}'.`, c.keywordSpan, {
        related: [{ message: "first given here", span: prev.keywordSpan }],
      });
      continue;
    }
    seen.set(c.clause, c);
    if (c.form === "file") checkKeyPath(ctx, c.value, "certificate", c.clause === "ca" ? "Fulcio CA" : `PKI ${c.clause}`);
    else if (c.form === "data") checkKeyData(ctx, c.value, "certificate", c.clause === "ca" ? "Fulcio CA" : `PKI ${c.clause}`);
    else if (c.value.value === "") ctx.report(C.emptyKeyValue, "error", `'${c.clause}' must not be empty.`, c.value.span);
  }
  const example: Record<string, string> = {
    ca: 'ca file "/etc/pki/containers/fulcio.pem"',
    issuer: 'issuer "https://token.actions.githubusercontent.com"',
    email: 'email "release@example.com" (a person or service account) or workflow "https://github.com/OWNER/REPO/.github/workflows/release.yml@refs/heads/main" (a CI workflow; admission targets only)',
    roots: 'roots file "/etc/pki/containers/root-ca.pem"',
  };
  const missing = (clause: string) => {
    ctx.report(C.keyClauseMissing, "error", `${spec.kind === "fulcio" ? "A Fulcio" : "A PKI"} key needs '${clause}'.`, k.name.span, {
      hint: `Add ${example[clause]}.`,
    });
  };
  // A clause given counts as set: an empty value is reported above, on the clause itself.
  const given = (clause: string): FieldState => (seen.has(clause) ? "set" : "absent");
  if (spec.kind === "fulcio") {
    // One 'ca' clause is a file or data, never both: only noCa can apply.
    // The subject is an e-mail or (admission targets only, check-subjects.ts) a workflow URI.
    const subject: FieldState = seen.has("email") || seen.has("workflow") ? "set" : "absent";
    const facts = { caPath: given("ca"), caData: "absent" as const, oidcIssuer: given("issuer"), subjectEmail: subject };
    for (const v of newPRSigstoreSignedFulcio(facts)) missing(v.rule === "missing" ? (v.field === "oidcIssuer" ? "issuer" : "email") : "ca");
    checkSubjectClauses(ctx, k, spec);
    return;
  }
  const facts = {
    caRootsPath: given("roots"),
    caRootsData: "absent" as const,
    caIntermediatesPath: given("intermediates"),
    caIntermediatesData: "absent" as const,
    subjectEmail: given("email"),
    subjectHostname: given("hostname"),
  };
  for (const v of newPRSigstoreSignedPKI(facts)) {
    if (v.rule === "noRoots") missing("roots");
    else if (v.rule === "noSubject") {
      ctx.report(C.keyClauseMissing, "error", "A PKI key needs 'email' or 'hostname' (or both): the subject the certificate must name.", k.name.span);
    }
  }
}

function materialWords(m: KeyMaterial): string {
  return m === "gpg" ? "an OpenPGP public key" : m === "publicKey" ? "a PEM public key" : "a PEM certificate";
}
