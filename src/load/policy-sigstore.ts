/**
 * sigstoreSigned requirements and their fulcio / pki sub-objects: `prSigstoreSigned.UnmarshalJSON`,
 * `newPRSigstoreSigned`, `prSigstoreSignedFulcio.UnmarshalJSON`, `prSigstoreSignedPKI.UnmarshalJSON`
 * (signature/policy_config_sigstore.go). Three generations of validation, by target:
 *  - before 5.24 (5.23.1): keyPath / keyData presence only (policy_config.go of 5.23.1);
 *  - 5.24 – 5.32: keyPath, keyData, fulcio, rekorPublicKeyPath / rekorPublicKeyData;
 *  - 5.33 and newer: the key lists, and pki from 5.35 (the spec's newest rules).
 */
import type { FulcioConfig, IdentityMatch, PkiConfig, SigstoreSigned } from "../ir/types.js";
import type { JsonMember, JsonObject, JsonValue } from "./json-tree.js";
import {
  type BytesField,
  type BytesListField,
  type LoadContext,
  type StringField,
  type StringListField,
  decodeBytes,
  decodeBytesList,
  decodeString,
  decodeStringList,
  fieldTable,
  readStrictObject,
} from "./policy-decode.js";
import { POLICY_CODES } from "./policy-codes.js";
import { readIdentity } from "./policy-identity.js";

type Got<T> = { member: JsonMember; field: T } | undefined;

interface SigstoreState {
  keyPath?: Got<StringField>;
  keyPaths?: Got<StringListField>;
  keyData?: Got<BytesField>;
  keyDatas?: Got<BytesListField>;
  fulcio?: Got<FulcioConfig | undefined>;
  pki?: Got<PkiConfig | undefined>;
  rekorPath?: Got<StringField>;
  rekorPaths?: Got<StringListField>;
  rekorData?: Got<BytesField>;
  rekorDatas?: Got<BytesListField>;
  identityMember?: JsonMember;
}

const SIGSTORE_FIELDS = fieldTable<SigstoreState>({
  type: { read: () => undefined },
  keyPath: (ctx, m, st) => void (st.keyPath = { member: m, field: decodeString(ctx, m.value, "keyPath") }),
  keyPaths: {
    since: "sigstoreKeyLists",
    read: (ctx, m, st) => void (st.keyPaths = { member: m, field: decodeStringList(ctx, m.value, "keyPaths") }),
  },
  keyData: (ctx, m, st) => void (st.keyData = { member: m, field: decodeBytes(ctx, m.value, "keyData") }),
  keyDatas: {
    since: "sigstoreKeyLists",
    read: (ctx, m, st) => void (st.keyDatas = { member: m, field: decodeBytesList(ctx, m.value, "keyDatas") }),
  },
  fulcio: { since: "fulcio", read: (ctx, m, st) => void (st.fulcio = { member: m, field: readFulcio(ctx, m.value) }) },
  rekorPublicKeyPath: {
    since: "rekorPublicKey",
    read: (ctx, m, st) => void (st.rekorPath = { member: m, field: decodeString(ctx, m.value, "rekorPublicKeyPath") }),
  },
  rekorPublicKeyPaths: {
    since: "sigstoreKeyLists",
    read: (ctx, m, st) =>
      void (st.rekorPaths = { member: m, field: decodeStringList(ctx, m.value, "rekorPublicKeyPaths") }),
  },
  rekorPublicKeyData: {
    since: "rekorPublicKey",
    read: (ctx, m, st) => void (st.rekorData = { member: m, field: decodeBytes(ctx, m.value, "rekorPublicKeyData") }),
  },
  rekorPublicKeyDatas: {
    since: "sigstoreKeyLists",
    read: (ctx, m, st) =>
      void (st.rekorDatas = { member: m, field: decodeBytesList(ctx, m.value, "rekorPublicKeyDatas") }),
  },
  pki: { since: "pki", read: (ctx, m, st) => void (st.pki = { member: m, field: readPki(ctx, m.value) }) },
  signedIdentity: (_ctx, m, st) => void (st.identityMember = m),
});

/** Reads a sigstoreSigned requirement object (already known to have type sigstoreSigned). */
export function readSigstoreSigned(ctx: LoadContext, obj: JsonObject): SigstoreSigned | undefined {
  const before = ctx.diagnostics.length;
  const g: SigstoreState = {};
  readStrictObject(ctx, obj, "a sigstoreSigned requirement", SIGSTORE_FIELDS, g);
  let identity: IdentityMatch | undefined;
  const idm = g.identityMember;
  if (idm) identity = readIdentity(ctx, idm.value, "signedIdentity");

  const objSpan = ctx.nodeSpan(obj);
  if (ctx.before(5, 24)) {
    // 5.23.1: presence of the keys decides; values are not checked.
    if (g.keyPath && g.keyData) {
      ctx.report(
        POLICY_CODES.sigstoreLegacyBoth,
        ctx.keySpan(g.keyData.member),
        "a sigstoreSigned requirement takes keyPath or keyData, not both",
        "keyPath and keyData cannot be used simultaneously",
        { related: [{ message: "keyPath given here", span: ctx.keySpan(g.keyPath.member) }] },
      );
    } else if (!g.keyPath && !g.keyData) {
      ctx.report(
        POLICY_CODES.sigstoreLegacyNone,
        objSpan,
        `a sigstoreSigned requirement needs keyPath or keyData (target ${ctx.targetText()})`,
        "At least one of keyPath and keyData must be specified",
      );
    }
  } else if (ctx.before(5, 33)) {
    const isSet = setChecks(g);
    const keySources = [isSet.keyPath, isSet.keyData, isSet.fulcio].filter(Boolean).length;
    if (keySources !== 1) {
      ctx.report(
        POLICY_CODES.sigstoreKeySourceCount,
        objSpan,
        `a sigstoreSigned requirement needs exactly one of keyPath, keyData and fulcio; ${describeCount(keySources)}`,
        "exactly one of keyPath, keyData and fulcio must be specified",
      );
    }
    if (isSet.rekorPath && isSet.rekorData) {
      ctx.report(
        POLICY_CODES.sigstoreRekorCount,
        objSpan,
        "rekorPublicKeyPath and rekorPublicKeyData cannot be used together",
        "rekorPublickeyType and rekorPublickeyData cannot be used simultaneously",
      );
    }
    if (isSet.fulcio && !isSet.rekorPath && !isSet.rekorData) {
      ctx.report(
        POLICY_CODES.sigstoreFulcioNeedsRekor,
        ctx.keySpan(g.fulcio!.member),
        "fulcio needs a Rekor public key (rekorPublicKeyPath or rekorPublicKeyData)",
        "At least one of RekorPublickeyPath and RekorPublickeyData must be specified if fulcio is used",
      );
    }
  } else {
    // Options are applied in this fixed order; only the list options can fail.
    const lists: [Got<StringListField | BytesListField>, string, string][] = [
      [g.keyPaths, "keyPaths", '"keyPaths" contains no entries'],
      [g.keyDatas, "keyDatas", '"keyDatas" contains no entries'],
      [g.rekorPaths, "rekorPublicKeyPaths", '"rekorPublickeyPaths" contains no entries'],
      [g.rekorDatas, "rekorPublicKeyDatas", '"rekorPublickeyDatas" contains no entries'],
    ];
    for (const [got, name, upstream] of lists) {
      if (got && !got.field.bad && (got.field.values === undefined || got.field.values.length === 0)) {
        ctx.report(
          POLICY_CODES.sigstoreEmptyList,
          ctx.nodeSpan(got.member.value),
          `${name} must list at least one entry`,
          upstream,
        );
      }
    }
    const isSet = setChecks(g);
    const keySources = [isSet.keyPath, isSet.keyPaths, isSet.keyData, isSet.keyDatas, isSet.fulcio, isSet.pki].filter(
      Boolean,
    ).length;
    if (keySources !== 1) {
      ctx.report(
        POLICY_CODES.sigstoreKeySourceCount,
        objSpan,
        `a sigstoreSigned requirement needs exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio and pki; ${describeCount(keySources)}`,
        "exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio, and pki must be specified",
        { hint: keySources === 0 && (g.keyPath || g.keyData) ? 'an empty keyPath ("") or a null value does not count' : undefined },
      );
    }
    const rekorSources = [isSet.rekorPath, isSet.rekorPaths, isSet.rekorData, isSet.rekorDatas].filter(Boolean).length;
    if (rekorSources > 1) {
      ctx.report(
        POLICY_CODES.sigstoreRekorCount,
        objSpan,
        "at most one of rekorPublicKeyPath, rekorPublicKeyPaths, rekorPublicKeyData and rekorPublicKeyDatas may be given",
        "at most one of rekorPublickeyPath, rekorPublicKeyPaths, rekorPublickeyData and rekorPublicKeyDatas can be used simultaneously",
      );
    }
    if (isSet.fulcio && rekorSources === 0) {
      ctx.report(
        POLICY_CODES.sigstoreFulcioNeedsRekor,
        ctx.keySpan(g.fulcio!.member),
        "fulcio needs a Rekor public key (rekorPublicKeyPath, rekorPublicKeyPaths, rekorPublicKeyData or rekorPublicKeyDatas)",
        "At least one of rekorPublickeyPath, rekorPublicKeyPaths, rekorPublickeyData and rekorPublicKeyDatas must be specified if fulcio is used",
      );
    }
    if (isSet.pki && rekorSources > 0) {
      ctx.report(
        POLICY_CODES.sigstorePkiWithRekor,
        ctx.keySpan(g.pki!.member),
        "pki does not support Rekor public keys; remove the rekorPublicKey* fields",
        "rekorPublickeyPath, rekorPublicKeyPaths, rekorPublickeyData and rekorPublicKeyDatas are not supported for pki",
      );
    }
  }
  if (ctx.diagnostics.length !== before) return undefined;
  const out: SigstoreSigned = { type: "sigstoreSigned", origin: ctx.nodeSpan(obj) };
  if (g.keyPath) out.keyPath = g.keyPath.field.value;
  if (g.keyPaths) out.keyPaths = g.keyPaths.field.values ?? [];
  if (g.keyData?.field.base64 !== undefined) out.keyData = g.keyData.field.base64;
  if (g.keyDatas) out.keyDatas = g.keyDatas.field.values ?? [];
  if (g.fulcio?.field) out.fulcio = g.fulcio.field;
  if (g.rekorPath && g.rekorPath.field.value !== "") out.rekorPublicKeyPath = g.rekorPath.field.value;
  if (g.rekorPaths) out.rekorPublicKeyPaths = g.rekorPaths.field.values ?? [];
  if (g.rekorData?.field.base64 !== undefined) out.rekorPublicKeyData = g.rekorData.field.base64;
  if (g.rekorDatas) out.rekorPublicKeyDatas = g.rekorDatas.field.values ?? [];
  if (g.pki?.field) out.pki = g.pki.field;
  if (identity) out.signedIdentity = identity;
  return out;
}

function describeCount(n: number): string {
  return n === 0 ? "none is set" : `${n} are set`;
}

/**
 * Which sources count as "set" in newPRSigstoreSigned: non-empty path strings, non-nil data / lists, and a
 * present fulcio / pki. A field whose value already failed to decode counts as set (its error is reported).
 */
function setChecks(g: SigstoreState): Record<string, boolean> {
  const str = (x: Got<StringField>): boolean => !!x && (x.field.bad || x.field.value !== "");
  const bytes = (x: Got<BytesField>): boolean => !!x && (x.field.bad || x.field.base64 !== undefined);
  // Lists: an empty or null list already failed ("contains no entries"), so presence counts.
  const list = (x: Got<{ bad: boolean }>): boolean => !!x;
  return {
    keyPath: str(g.keyPath),
    keyPaths: list(g.keyPaths),
    keyData: bytes(g.keyData),
    keyDatas: list(g.keyDatas),
    fulcio: !!g.fulcio,
    pki: !!g.pki,
    rekorPath: str(g.rekorPath),
    rekorPaths: list(g.rekorPaths),
    rekorData: bytes(g.rekorData),
    rekorDatas: list(g.rekorDatas),
  };
}

interface FulcioState {
  caPath?: StringField;
  caData?: BytesField;
  oidcIssuer?: StringField;
  subjectEmail?: StringField;
}

const FULCIO_FIELDS = fieldTable<FulcioState>({
  caPath: (ctx, m, st) => void (st.caPath = decodeString(ctx, m.value, "caPath")),
  caData: (ctx, m, st) => void (st.caData = decodeBytes(ctx, m.value, "caData")),
  oidcIssuer: (ctx, m, st) => void (st.oidcIssuer = decodeString(ctx, m.value, "oidcIssuer")),
  subjectEmail: (ctx, m, st) => void (st.subjectEmail = decodeString(ctx, m.value, "subjectEmail")),
});

/** `prSigstoreSignedFulcio.UnmarshalJSON` + `newPRSigstoreSignedFulcio` (validated as soon as it is decoded). */
function readFulcio(ctx: LoadContext, node: JsonValue): FulcioConfig | undefined {
  const before = ctx.diagnostics.length;
  const st: FulcioState = {};
  if (!readStrictObject(ctx, node, "fulcio", FULCIO_FIELDS, st)) return undefined;
  const span = ctx.nodeSpan(node);
  const { caPath: cp, caData: cd, oidcIssuer: oi, subjectEmail: se } = st;
  const pathSet = !!cp && (cp.bad || cp.value !== "");
  const dataSet = !!cd && (cd.bad || cd.base64 !== undefined);
  if (pathSet && dataSet) {
    ctx.report(POLICY_CODES.fulcioCA, span, "fulcio takes caPath or caData, not both", "caPath and caData cannot be used simultaneously");
  } else if (!pathSet && !dataSet) {
    ctx.report(POLICY_CODES.fulcioCA, span, "fulcio needs caPath or caData (a non-empty caPath)", "At least one of caPath and caData must be specified");
  }
  if (!oi || (!oi.bad && oi.value === "")) {
    ctx.report(POLICY_CODES.fulcioSubject, span, "fulcio needs a non-empty oidcIssuer", "oidcIssuer not specified");
  }
  if (!se || (!se.bad && se.value === "")) {
    ctx.report(POLICY_CODES.fulcioSubject, span, "fulcio needs a non-empty subjectEmail", "subjectEmail not specified");
  }
  if (ctx.diagnostics.length !== before) return undefined;
  const out: FulcioConfig = { oidcIssuer: oi!.value, subjectEmail: se!.value, origin: span };
  if (cp && cp.value !== "") out.caPath = cp.value;
  if (cd?.base64 !== undefined) out.caData = cd.base64;
  return out;
}

type PkiState = Partial<Record<string, StringField | BytesField>>;

const PKI_FIELDS = fieldTable<PkiState>({
  caRootsPath: (ctx, m, f) => void (f.caRootsPath = decodeString(ctx, m.value, "caRootsPath")),
  caRootsData: (ctx, m, f) => void (f.caRootsData = decodeBytes(ctx, m.value, "caRootsData")),
  caIntermediatesPath: (ctx, m, f) => void (f.caIntermediatesPath = decodeString(ctx, m.value, "caIntermediatesPath")),
  caIntermediatesData: (ctx, m, f) => void (f.caIntermediatesData = decodeBytes(ctx, m.value, "caIntermediatesData")),
  subjectEmail: (ctx, m, f) => void (f.subjectEmail = decodeString(ctx, m.value, "subjectEmail")),
  subjectHostname: (ctx, m, f) => void (f.subjectHostname = decodeString(ctx, m.value, "subjectHostname")),
});

/** `prSigstoreSignedPKI.UnmarshalJSON` + `newPRSigstoreSignedPKI`. */
function readPki(ctx: LoadContext, node: JsonValue): PkiConfig | undefined {
  const before = ctx.diagnostics.length;
  const f: PkiState = {};
  if (!readStrictObject(ctx, node, "pki", PKI_FIELDS, f)) return undefined;
  const span = ctx.nodeSpan(node);
  const str = (k: string): StringField | undefined => f[k] as StringField | undefined;
  const bytes = (k: string): BytesField | undefined => f[k] as BytesField | undefined;
  const strSet = (k: string): boolean => !!str(k) && (str(k)!.bad || str(k)!.value !== "");
  const bytesSet = (k: string): boolean => !!bytes(k) && (bytes(k)!.bad || bytes(k)!.base64 !== undefined);
  if (strSet("caRootsPath") && bytesSet("caRootsData")) {
    ctx.report(POLICY_CODES.pkiRoots, span, "pki takes caRootsPath or caRootsData, not both", "caRootsPath and caRootsData cannot be used simultaneously");
  } else if (!strSet("caRootsPath") && !bytesSet("caRootsData")) {
    ctx.report(POLICY_CODES.pkiRoots, span, "pki needs caRootsPath or caRootsData", "At least one of caRootsPath and caRootsData must be specified");
  }
  if (strSet("caIntermediatesPath") && bytesSet("caIntermediatesData")) {
    ctx.report(
      POLICY_CODES.pkiIntermediates,
      span,
      "pki takes caIntermediatesPath or caIntermediatesData, not both",
      "caIntermediatesPath and caIntermediatesData cannot be used simultaneously",
    );
  }
  if (!strSet("subjectEmail") && !strSet("subjectHostname")) {
    ctx.report(
      POLICY_CODES.pkiSubject,
      span,
      "pki needs a non-empty subjectEmail or subjectHostname",
      "At least one of subjectEmail, subjectHostname must be specified",
    );
  }
  if (ctx.diagnostics.length !== before) return undefined;
  const out: PkiConfig = { origin: span };
  for (const k of ["caRootsPath", "caIntermediatesPath", "subjectEmail", "subjectHostname"] as const) {
    const v = str(k);
    if (v && v.value !== "") out[k] = v.value;
  }
  for (const k of ["caRootsData", "caIntermediatesData"] as const) {
    const v = bytes(k);
    if (v?.base64 !== undefined) out[k] = v.base64;
  }
  return out;
}
