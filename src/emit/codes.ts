/**
 * Diagnostic codes of the emitters (band IT3xxx). A code is never reused.
 *
 *  IT3000–IT3029  policy.json: the IR uses a feature newer than the target version
 *  IT3030–IT3099  policy.json: the IR holds something containers/image would reject (never emitted)
 *  IT3100–IT3129  registries.d: target-version problems
 *  IT3130–IT3199  registries.d: content that cannot be written faithfully
 *  IT3200–IT3249  writing files and `compile --check`
 */
import type { Diagnostic, Severity } from "../diagnostics/diagnostic.js";
import type { Span } from "../source/source-file.js";
import type { DiagnosticCode } from "../diagnostics/catalogue/index.js";

/** The emitter codes by name. */
export const EMIT_CODES = {
  /** A policy feature newer than the target (remapIdentity, keyPaths, sigstoreSigned, fulcio, …). */
  policyFeatureTooNew: "IT3000",
  /** A wildcard docker scope (`*.example.com`) for a target before 5.10: it would never match. */
  wildcardScopeTooNew: "IT3001",

  /** `default` is an empty list. */
  emptyDefault: "IT3030",
  /** A scope maps to an empty requirement list. */
  emptyScope: "IT3031",
  /** The same transport name twice (would be a duplicate JSON key). */
  duplicateTransport: "IT3032",
  /** The same scope twice in one transport (would be a duplicate JSON key). */
  duplicateScope: "IT3033",
  /** A scope the transport's validator rejects (`Unknown key`). */
  invalidScope: "IT3034",
  /** signedBy keyType not one of the four values. */
  invalidKeyType: "IT3035",
  /** signedBy: not exactly one of keyPath, keyPaths, keyData. */
  signedByKeySources: "IT3036",
  /** Bytes that are not standard padded base64. */
  invalidBase64: "IT3037",
  /** sigstoreSigned: a list option with no entries. */
  emptyList: "IT3038",
  /** sigstoreSigned: not exactly one key source. */
  sigstoreKeySources: "IT3039",
  /** sigstoreSigned: more than one Rekor key source. */
  rekorSources: "IT3040",
  /** sigstoreSigned: fulcio without a Rekor key. */
  fulcioNeedsRekor: "IT3041",
  /** sigstoreSigned: pki with a Rekor key. */
  pkiWithRekor: "IT3042",
  /** fulcio: CA source, oidcIssuer or subjectEmail missing/conflicting. */
  invalidFulcio: "IT3043",
  /** pki: roots, intermediates or subject missing/conflicting. */
  invalidPki: "IT3044",
  /** A signedIdentity whose reference or prefix does not parse. */
  invalidIdentity: "IT3045",
  /** A string with an unpaired UTF-16 surrogate: it has no UTF-8 form, Go would read U+FFFD. */
  unencodableString: "IT3046",
  /** An unknown requirement or identity `type` (IR built by a program). */
  unknownType: "IT3047",

  /** A registries.d key that needs a newer target (use-sigstore-attachments before 5.22). */
  registriesFeatureTooNew: "IT3100",
  /** Both `lookaside` and its deprecated alias set and the target only has the alias: the alias value is dropped. */
  lookasideAliasDropped: "IT3101",
  /** default-docker or a docker scope defined twice in the IR. */
  duplicateRegistriesEntry: "IT3130",
  /** A registries.d string with an unpaired surrogate. */
  unencodableYamlString: "IT3131",

  /** Writing the output files failed; nothing was changed (or the previous files are intact). */
  writeFailed: "IT3200",
  /** `--check`: reading the existing output failed. */
  checkReadFailed: "IT3201",
  /** The target version named by the source or the options is malformed. */
  invalidTarget: "IT3203",
  /** The emitted policy.json was rejected by our own loader (an emitter bug; nothing is written). */
  selfCheckFailed: "IT3204",
  /** A hand-written registries.d file in the output directory defines a scope (or default-docker) we generate. */
  registriesDConflict: "IT3205",
  /** A hand-written registries.d file in the output directory has the name of a file we generate. */
  wouldOverwriteHandWritten: "IT3206",
} as const;

/** Build an emitter diagnostic. */
export function emitDiagnostic(
  code: DiagnosticCode,
  message: string,
  span: Span | undefined,
  extra: { severity?: Severity; hint?: string; related?: Diagnostic["related"]; file?: string } = {},
): Diagnostic {
  const d: Diagnostic = { code, severity: extra.severity ?? "error", message };
  if (span) d.span = span;
  if (!span && extra.file) d.file = extra.file;
  if (extra.hint) d.hint = extra.hint;
  if (extra.related && extra.related.length > 0) d.related = extra.related;
  return d;
}
