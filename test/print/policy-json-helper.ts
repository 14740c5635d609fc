/**
 * Test-only: a valid policy.json text → Policy IR, reading it as containers/image does for documents it
 * accepts (null and "unset" values dropped). The real loader lives in src/load; this keeps the printer's
 * round-trip tests independent of it.
 */
import type * as IR from "../../src/ir/types.js";

type O = Record<string, unknown>;

function identity(v: unknown): IR.IdentityMatch {
  const o = v as O;
  switch (o.type) {
    case "exactReference":
      return { type: "exactReference", dockerReference: String(o.dockerReference ?? "") };
    case "exactRepository":
      return { type: "exactRepository", dockerRepository: String(o.dockerRepository ?? "") };
    case "remapIdentity":
      return { type: "remapIdentity", prefix: String(o.prefix ?? ""), signedPrefix: String(o.signedPrefix ?? "") };
    default:
      return { type: o.type as "matchExact" };
  }
}

function strs(v: unknown): string[] {
  return (v as unknown[]).map((x) => (x === null ? "" : String(x)));
}

function requirement(v: unknown): IR.Requirement {
  const o = v as O;
  switch (o.type) {
    case "insecureAcceptAnything":
    case "reject":
      return { type: o.type };
    case "signedBaseLayer":
      return { type: "signedBaseLayer", baseLayerIdentity: identity(o.baseLayerIdentity) };
    case "signedBy": {
      const r: IR.SignedBy = { type: "signedBy", keyType: o.keyType as IR.SignedByKeyType };
      if ("keyPath" in o) r.keyPath = String(o.keyPath ?? "");
      if ("keyPaths" in o) r.keyPaths = strs(o.keyPaths ?? []);
      if ("keyData" in o) r.keyData = String(o.keyData ?? "");
      if (o.signedIdentity !== undefined) r.signedIdentity = identity(o.signedIdentity);
      return r;
    }
    default: {
      const r: IR.SigstoreSigned = { type: "sigstoreSigned" };
      if (typeof o.keyPath === "string" && o.keyPath !== "") r.keyPath = o.keyPath;
      if (o.keyPaths != null) r.keyPaths = strs(o.keyPaths);
      if (o.keyData != null) r.keyData = String(o.keyData);
      if (o.keyDatas != null) r.keyDatas = strs(o.keyDatas);
      if (o.fulcio != null) {
        const f = o.fulcio as O;
        r.fulcio = { oidcIssuer: String(f.oidcIssuer ?? ""), subjectEmail: String(f.subjectEmail ?? "") };
        if (typeof f.caPath === "string" && f.caPath !== "") r.fulcio.caPath = f.caPath;
        if (f.caData != null) r.fulcio.caData = String(f.caData);
      }
      if (o.pki != null) {
        const p = o.pki as O;
        r.pki = {};
        if (typeof p.caRootsPath === "string" && p.caRootsPath !== "") r.pki.caRootsPath = p.caRootsPath;
        if (p.caRootsData != null) r.pki.caRootsData = String(p.caRootsData);
        if (typeof p.caIntermediatesPath === "string" && p.caIntermediatesPath !== "") r.pki.caIntermediatesPath = p.caIntermediatesPath;
        if (p.caIntermediatesData != null) r.pki.caIntermediatesData = String(p.caIntermediatesData);
        if (typeof p.subjectEmail === "string" && p.subjectEmail !== "") r.pki.subjectEmail = p.subjectEmail;
        if (typeof p.subjectHostname === "string" && p.subjectHostname !== "") r.pki.subjectHostname = p.subjectHostname;
      }
      if (typeof o.rekorPublicKeyPath === "string" && o.rekorPublicKeyPath !== "") r.rekorPublicKeyPath = o.rekorPublicKeyPath;
      if (o.rekorPublicKeyPaths != null) r.rekorPublicKeyPaths = strs(o.rekorPublicKeyPaths);
      if (o.rekorPublicKeyData != null) r.rekorPublicKeyData = String(o.rekorPublicKeyData);
      if (o.rekorPublicKeyDatas != null) r.rekorPublicKeyDatas = strs(o.rekorPublicKeyDatas);
      if (o.signedIdentity !== undefined) r.signedIdentity = identity(o.signedIdentity);
      return r;
    }
  }
}

/** Parse a policy.json the runtime accepts into the IR. */
export function policyFromJson(text: string): IR.Policy {
  const doc = JSON.parse(text) as O;
  const transports: IR.TransportPolicy[] = [];
  for (const [name, scopes] of Object.entries((doc.transports ?? {}) as Record<string, Record<string, unknown[]>>)) {
    transports.push({ name, scopes: Object.entries(scopes).map(([scope, reqs]) => ({ scope, requirements: reqs.map(requirement) })) });
  }
  return { default: (doc.default as unknown[]).map(requirement), transports, transportsPresent: doc.transports !== undefined };
}

/** A model holding only a policy. */
export function modelFromPolicyJson(text: string): IR.TrustModel {
  return { policy: policyFromJson(text), registriesD: { docker: [] }, expectations: [] };
}
