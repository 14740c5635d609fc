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
import { bytesFieldState, listFieldState, stringFieldState } from "./policy-field-state.js";
import {
  type SigstoreFacts,
  type SigstoreGeneration,
  type SigstoreListField,
  newPRSigstoreSigned,
  newPRSigstoreSignedFulcio,
  newPRSigstoreSignedPKI,
} from "../ir/constraints.js";

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
  const generation: SigstoreGeneration = ctx.before(5, 24) ? "5.23" : ctx.before(5, 33) ? "5.24" : "newest";
  const listMembers: Record<SigstoreListField, Got<StringListField | BytesListField>> = {
    keyPaths: g.keyPaths,
    keyDatas: g.keyDatas,
    rekorPublicKeyPaths: g.rekorPaths,
    rekorPublicKeyDatas: g.rekorDatas,
  };
  for (const v of newPRSigstoreSigned(sigstoreFacts(g), generation)) {
    switch (v.rule) {
      case "legacyKeyPathAndKeyData":
        ctx.report(
          POLICY_CODES.sigstoreLegacyBoth,
          ctx.keySpan(g.keyData!.member),
          "a sigstoreSigned requirement takes keyPath or keyData, not both",
          "keyPath and keyData cannot be used simultaneously",
          { related: [{ message: "keyPath given here", span: ctx.keySpan(g.keyPath!.member) }] },
        );
        break;
      case "legacyNoKey":
        ctx.report(
          POLICY_CODES.sigstoreLegacyNone,
          objSpan,
          `a sigstoreSigned requirement needs keyPath or keyData (target ${ctx.targetText()})`,
          "At least one of keyPath and keyData must be specified",
        );
        break;
      case "emptyList":
        ctx.report(POLICY_CODES.sigstoreEmptyList, ctx.nodeSpan(listMembers[v.field]!.member.value), `${v.field} must list at least one entry`, `"${UPSTREAM_LIST_NAMES[v.field]}" contains no entries`);
        break;
      case "keySourceCount":
        if (generation === "5.24") {
          ctx.report(
            POLICY_CODES.sigstoreKeySourceCount,
            objSpan,
            `a sigstoreSigned requirement needs exactly one of keyPath, keyData and fulcio; ${describeCount(v.count)}`,
            "exactly one of keyPath, keyData and fulcio must be specified",
          );
        } else {
          ctx.report(
            POLICY_CODES.sigstoreKeySourceCount,
            objSpan,
            `a sigstoreSigned requirement needs exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio and pki; ${describeCount(v.count)}`,
            "exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio, and pki must be specified",
            { hint: v.count === 0 && (g.keyPath || g.keyData) ? 'an empty keyPath ("") or a null value does not count' : undefined },
          );
        }
        break;
      case "rekorSourceCount":
        if (generation === "5.24") {
          ctx.report(
            POLICY_CODES.sigstoreRekorCount,
            objSpan,
            "rekorPublicKeyPath and rekorPublicKeyData cannot be used together",
            "rekorPublickeyType and rekorPublickeyData cannot be used simultaneously",
          );
        } else {
          ctx.report(
            POLICY_CODES.sigstoreRekorCount,
            objSpan,
            "at most one of rekorPublicKeyPath, rekorPublicKeyPaths, rekorPublicKeyData and rekorPublicKeyDatas may be given",
            "at most one of rekorPublickeyPath, rekorPublicKeyPaths, rekorPublickeyData and rekorPublicKeyDatas can be used simultaneously",
          );
        }
        break;
      case "fulcioNeedsRekor":
        if (generation === "5.24") {
          ctx.report(
            POLICY_CODES.sigstoreFulcioNeedsRekor,
            ctx.keySpan(g.fulcio!.member),
            "fulcio needs a Rekor public key (rekorPublicKeyPath or rekorPublicKeyData)",
            "At least one of RekorPublickeyPath and RekorPublickeyData must be specified if fulcio is used",
          );
        } else {
          ctx.report(
            POLICY_CODES.sigstoreFulcioNeedsRekor,
            ctx.keySpan(g.fulcio!.member),
            "fulcio needs a Rekor public key (rekorPublicKeyPath, rekorPublicKeyPaths, rekorPublicKeyData or rekorPublicKeyDatas)",
            "At least one of rekorPublickeyPath, rekorPublicKeyPaths, rekorPublickeyData and rekorPublicKeyDatas must be specified if fulcio is used",
          );
        }
        break;
      case "pkiWithRekor":
        ctx.report(
          POLICY_CODES.sigstorePkiWithRekor,
          ctx.keySpan(g.pki!.member),
          "pki does not support Rekor public keys; remove the rekorPublicKey* fields",
          "rekorPublickeyPath, rekorPublicKeyPaths, rekorPublickeyData and rekorPublicKeyDatas are not supported for pki",
        );
        break;
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

/** How `prSigstoreSigned.UnmarshalJSON` spells the list options in its errors. */
const UPSTREAM_LIST_NAMES: Record<SigstoreListField, string> = {
  keyPaths: "keyPaths",
  keyDatas: "keyDatas",
  rekorPublicKeyPaths: "rekorPublickeyPaths",
  rekorPublicKeyDatas: "rekorPublickeyDatas",
};

/** What newPRSigstoreSigned decides on, from the decoded fields. */
function sigstoreFacts(g: SigstoreState): SigstoreFacts {
  return {
    keyPath: stringFieldState(g.keyPath?.field),
    keyPaths: listFieldState(g.keyPaths?.field),
    keyData: bytesFieldState(g.keyData?.field),
    keyDatas: listFieldState(g.keyDatas?.field),
    fulcio: g.fulcio ? "set" : "absent",
    pki: g.pki ? "set" : "absent",
    rekorPublicKeyPath: stringFieldState(g.rekorPath?.field),
    rekorPublicKeyPaths: listFieldState(g.rekorPaths?.field),
    rekorPublicKeyData: bytesFieldState(g.rekorData?.field),
    rekorPublicKeyDatas: listFieldState(g.rekorDatas?.field),
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
  const facts = { caPath: stringFieldState(cp), caData: bytesFieldState(cd), oidcIssuer: stringFieldState(oi), subjectEmail: stringFieldState(se) };
  for (const v of newPRSigstoreSignedFulcio(facts)) {
    if (v.rule === "caPathAndCaData") {
      ctx.report(POLICY_CODES.fulcioCA, span, "fulcio takes caPath or caData, not both", "caPath and caData cannot be used simultaneously");
    } else if (v.rule === "noCa") {
      ctx.report(POLICY_CODES.fulcioCA, span, "fulcio needs caPath or caData (a non-empty caPath)", "At least one of caPath and caData must be specified");
    } else if (v.field === "oidcIssuer") {
      ctx.report(POLICY_CODES.fulcioSubject, span, "fulcio needs a non-empty oidcIssuer", "oidcIssuer not specified");
    } else {
      ctx.report(POLICY_CODES.fulcioSubject, span, "fulcio needs a non-empty subjectEmail", "subjectEmail not specified");
    }
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
  const facts = {
    caRootsPath: stringFieldState(str("caRootsPath")),
    caRootsData: bytesFieldState(bytes("caRootsData")),
    caIntermediatesPath: stringFieldState(str("caIntermediatesPath")),
    caIntermediatesData: bytesFieldState(bytes("caIntermediatesData")),
    subjectEmail: stringFieldState(str("subjectEmail")),
    subjectHostname: stringFieldState(str("subjectHostname")),
  };
  for (const v of newPRSigstoreSignedPKI(facts)) {
    switch (v.rule) {
      case "rootsPathAndData":
        ctx.report(POLICY_CODES.pkiRoots, span, "pki takes caRootsPath or caRootsData, not both", "caRootsPath and caRootsData cannot be used simultaneously");
        break;
      case "noRoots":
        ctx.report(POLICY_CODES.pkiRoots, span, "pki needs caRootsPath or caRootsData", "At least one of caRootsPath and caRootsData must be specified");
        break;
      case "intermediatesPathAndData":
        ctx.report(
          POLICY_CODES.pkiIntermediates,
          span,
          "pki takes caIntermediatesPath or caIntermediatesData, not both",
          "caIntermediatesPath and caIntermediatesData cannot be used simultaneously",
        );
        break;
      case "noSubject":
        ctx.report(
          POLICY_CODES.pkiSubject,
          span,
          "pki needs a non-empty subjectEmail or subjectHostname",
          "At least one of subjectEmail, subjectHostname must be specified",
        );
        break;
    }
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
