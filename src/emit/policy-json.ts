/**
 * IR → policy.json text.
 *
 * Deterministic and byte-for-byte stable: 2-space indentation, a trailing newline, members in the order
 * containers/image's own marshaller writes them (signature/policy_types.go struct order, spec §1.8:
 * `type`, `keyType`, `keyPath`, `keyPaths`, `keyData`, `keyDatas`, `fulcio`, `rekorPublicKeyPath`,
 * `rekorPublicKeyPaths`, `rekorPublicKeyData`, `rekorPublicKeyDatas`, `pki`, `signedIdentity`), transports and
 * scopes in IR order. Unlike Go's marshaller it keeps `"keyPaths": []` and `"keyData": ""` (which parse; Go
 * would drop them and produce a document that does not), and it omits `signedIdentity` only when the IR does.
 * Nothing is written when the IR uses a feature newer than the target or holds something the runtime rejects.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import type { FulcioConfig, IdentityMatch, PkiConfig, Policy, Requirement } from "../ir/types.js";
import type { Version } from "../ir/versions.js";
import { JsonObject, writeJson, type JsonValue } from "./json-writer.js";
import { checkPolicyTarget } from "./policy-target.js";
import { checkPolicyValidity } from "./policy-validity.js";

/** Options of emitPolicyJson. */
export interface EmitPolicyOptions {
  /** The containers/image version the file must load on; undefined = the newest format. */
  target?: Version;
}

/** The emitted text (absent when there are error diagnostics) and the diagnostics. */
export interface EmitPolicyResult {
  text?: string;
  diagnostics: Diagnostic[];
}

function identityJson(id: IdentityMatch): JsonObject {
  const o = new JsonObject().set("type", id.type);
  switch (id.type) {
    case "exactReference":
      o.set("dockerReference", id.dockerReference);
      break;
    case "exactRepository":
      o.set("dockerRepository", id.dockerRepository);
      break;
    case "remapIdentity":
      o.set("prefix", id.prefix).set("signedPrefix", id.signedPrefix);
      break;
    default:
      break;
  }
  return o;
}

function fulcioJson(f: FulcioConfig): JsonObject {
  // prSigstoreSignedFulcio field order.
  return new JsonObject()
    .set("caPath", f.caPath)
    .set("caData", f.caData)
    .set("oidcIssuer", f.oidcIssuer)
    .set("subjectEmail", f.subjectEmail);
}

function pkiJson(p: PkiConfig): JsonObject {
  // prSigstoreSignedPKI field order.
  return new JsonObject()
    .set("caRootsPath", p.caRootsPath)
    .set("caRootsData", p.caRootsData)
    .set("caIntermediatesPath", p.caIntermediatesPath)
    .set("caIntermediatesData", p.caIntermediatesData)
    .set("subjectEmail", p.subjectEmail)
    .set("subjectHostname", p.subjectHostname);
}

const copyList = (l: readonly string[] | undefined): JsonValue[] | undefined => (l === undefined ? undefined : [...l]);

/** One requirement object in upstream's marshal order. */
export function requirementJson(r: Requirement): JsonObject {
  const o = new JsonObject().set("type", r.type);
  switch (r.type) {
    case "signedBy":
      o.set("keyType", r.keyType)
        .set("keyPath", r.keyPath)
        .set("keyPaths", copyList(r.keyPaths))
        .set("keyData", r.keyData)
        .set("signedIdentity", r.signedIdentity && identityJson(r.signedIdentity));
      break;
    case "sigstoreSigned":
      o.set("keyPath", r.keyPath)
        .set("keyPaths", copyList(r.keyPaths))
        .set("keyData", r.keyData)
        .set("keyDatas", copyList(r.keyDatas))
        .set("fulcio", r.fulcio && fulcioJson(r.fulcio))
        .set("rekorPublicKeyPath", r.rekorPublicKeyPath)
        .set("rekorPublicKeyPaths", copyList(r.rekorPublicKeyPaths))
        .set("rekorPublicKeyData", r.rekorPublicKeyData)
        .set("rekorPublicKeyDatas", copyList(r.rekorPublicKeyDatas))
        .set("pki", r.pki && pkiJson(r.pki))
        .set("signedIdentity", r.signedIdentity && identityJson(r.signedIdentity));
      break;
    case "signedBaseLayer":
      o.set("baseLayerIdentity", identityJson(r.baseLayerIdentity));
      break;
    default:
      break;
  }
  return o;
}

/**
 * The policy as an ordered JSON value (no checks). `transports` is written when there are transports or the
 * IR records that the key was written (`transportsPresent: true`, as the loader sets it for `"transports": {}`).
 */
export function policyJsonValue(policy: Policy): JsonObject {
  const root = new JsonObject().set("default", policy.default.map(requirementJson));
  if (policy.transports.length > 0 || policy.transportsPresent === true) {
    const transports = new JsonObject();
    for (const t of policy.transports) {
      const scopes = new JsonObject();
      for (const s of t.scopes) scopes.set(s.scope, s.requirements.map(requirementJson));
      transports.set(t.name, scopes);
    }
    root.set("transports", transports);
  }
  return root;
}

/**
 * Emit policy.json text for `policy`. Errors (IT3000–IT3099) instead of text when the IR uses a feature newer
 * than `options.target` or would be rejected by containers/image.
 */
export function emitPolicyJson(policy: Policy, options: EmitPolicyOptions = {}): EmitPolicyResult {
  const gates = checkPolicyTarget(policy, options.target);
  // With features missing from the target, judge the rest by the newest rules (no cascade of old-format errors).
  const validity = checkPolicyValidity(policy, { target: gates.length > 0 ? undefined : options.target });
  const diagnostics = [...gates, ...validity];
  if (hasErrors(diagnostics)) return { diagnostics };
  return { text: writeJson(policyJsonValue(policy)) + "\n", diagnostics };
}
