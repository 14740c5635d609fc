/**
 * Test helper: the IR policy re-serialised the way Go's encoding/json marshals containers/image's Policy
 * (signature/policy_types.go `json:",omitempty"` tags): defaults filled in (signedIdentity
 * matchRepoDigestOrExact), empty strings / lists / byte slices omitted, `transports` always present.
 */
import type { FulcioConfig, IdentityMatch, PkiConfig, Policy, Requirement } from "../../src/ir/types.js";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function omitEmpty(o: Record<string, Json | undefined>): { [k: string]: Json } {
  const out: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === "" || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out;
}

function identity(i: IdentityMatch | undefined): Json {
  if (!i) return { type: "matchRepoDigestOrExact" };
  switch (i.type) {
    case "exactReference":
      return { type: i.type, dockerReference: i.dockerReference };
    case "exactRepository":
      return { type: i.type, dockerRepository: i.dockerRepository };
    case "remapIdentity":
      return { type: i.type, prefix: i.prefix, signedPrefix: i.signedPrefix };
    default:
      return { type: i.type };
  }
}

function fulcio(f: FulcioConfig | undefined): Json | undefined {
  if (!f) return undefined;
  return omitEmpty({ caPath: f.caPath, caData: f.caData, oidcIssuer: f.oidcIssuer, subjectEmail: f.subjectEmail });
}

function pki(p: PkiConfig | undefined): Json | undefined {
  if (!p) return undefined;
  return omitEmpty({
    caRootsPath: p.caRootsPath,
    caRootsData: p.caRootsData,
    caIntermediatesPath: p.caIntermediatesPath,
    caIntermediatesData: p.caIntermediatesData,
    subjectEmail: p.subjectEmail,
    subjectHostname: p.subjectHostname,
  });
}

function requirement(r: Requirement): Json {
  switch (r.type) {
    case "insecureAcceptAnything":
    case "reject":
      return { type: r.type };
    case "signedBaseLayer":
      return { type: r.type, baseLayerIdentity: identity(r.baseLayerIdentity) };
    case "signedBy":
      return omitEmpty({
        type: r.type,
        keyType: r.keyType,
        keyPath: r.keyPath,
        keyPaths: r.keyPaths,
        keyData: r.keyData,
        signedIdentity: identity(r.signedIdentity),
      });
    case "sigstoreSigned":
      return omitEmpty({
        type: r.type,
        keyPath: r.keyPath,
        keyPaths: r.keyPaths,
        keyData: r.keyData,
        keyDatas: r.keyDatas,
        fulcio: fulcio(r.fulcio),
        rekorPublicKeyPath: r.rekorPublicKeyPath,
        rekorPublicKeyPaths: r.rekorPublicKeyPaths,
        rekorPublicKeyData: r.rekorPublicKeyData,
        rekorPublicKeyDatas: r.rekorPublicKeyDatas,
        pki: pki(r.pki),
        signedIdentity: identity(r.signedIdentity),
      });
  }
}

/** The Go-style normalised JSON value of an IR policy. */
export function goNormalizePolicy(p: Policy): Json {
  const transports: { [k: string]: Json } = {};
  for (const t of p.transports) {
    const scopes: { [k: string]: Json } = {};
    for (const s of t.scopes) scopes[s.scope] = s.requirements.map(requirement);
    transports[t.name] = scopes;
  }
  return { default: p.default.map(requirement), transports };
}
