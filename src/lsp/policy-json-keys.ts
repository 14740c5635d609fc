/**
 * The members a policy.json object may have, by where it sits (containers-policy.json(5); upstream
 * signature/policy_config.go and policy_config_sigstore.go `UnmarshalJSON` methods), with what each means: for
 * hovers on keys and completion of keys and `type` values.
 */
import { IDENTITY_MATCH_TYPES, REQUIREMENT_TYPES, SIGNED_BY_KEY_TYPES } from "../ir/types.js";
import { KNOWN_TRANSPORTS } from "../reference/scopes.js";
import type { JsonNode, JsonPathStep } from "./json-outline.js";
import { memberString } from "./json-outline.js";

/** What an object of policy.json is. */
export type PolicyObjectRole = "root" | "transports" | "scopes" | "requirement" | "identity" | "fulcio" | "pki";

/** The role of the object at `path` (from the root), or undefined for anything else. */
export function roleOf(path: readonly JsonPathStep[]): PolicyObjectRole | undefined {
  const n = path.length;
  if (n === 0) return "root";
  if (n === 1 && path[0] === "transports") return "transports";
  if (n === 2 && path[0] === "transports") return "scopes";
  const isRequirement = (p: readonly JsonPathStep[]) =>
    (p.length === 2 && p[0] === "default" && typeof p[1] === "number") || (p.length === 4 && p[0] === "transports" && typeof p[3] === "number");
  if (isRequirement(path)) return "requirement";
  const parent = path.slice(0, -1);
  const last = path[n - 1];
  if (isRequirement(parent)) {
    if (last === "signedIdentity" || last === "baseLayerIdentity") return "identity";
    if (last === "fulcio") return "fulcio";
    if (last === "pki") return "pki";
  }
  return undefined;
}

/** Requirement members by `type`. */
export const REQUIREMENT_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  insecureAcceptAnything: ["type"],
  reject: ["type"],
  signedBy: ["type", "keyType", "keyPath", "keyPaths", "keyData", "signedIdentity"],
  sigstoreSigned: [
    "type", "keyPath", "keyPaths", "keyData", "keyDatas", "fulcio", "pki",
    "rekorPublicKeyPath", "rekorPublicKeyPaths", "rekorPublicKeyData", "rekorPublicKeyDatas", "signedIdentity",
  ],
  signedBaseLayer: ["type", "baseLayerIdentity"],
};

/** signedIdentity members by `type`. */
export const IDENTITY_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  matchExact: ["type"],
  matchRepoDigestOrExact: ["type"],
  matchRepository: ["type"],
  exactReference: ["type", "dockerReference"],
  exactRepository: ["type", "dockerRepository"],
  remapIdentity: ["type", "prefix", "signedPrefix"],
};

const FIXED_MEMBERS: Partial<Record<PolicyObjectRole, readonly string[]>> = {
  root: ["default", "transports"],
  fulcio: ["caPath", "caData", "oidcIssuer", "subjectEmail"],
  pki: ["caRootsPath", "caRootsData", "caIntermediatesPath", "caIntermediatesData", "subjectEmail", "subjectHostname"],
};

/** The member names an object of this role (and, for typed objects, this `type`) may have. */
export function allowedMembers(role: PolicyObjectRole, node?: JsonNode): readonly string[] {
  if (role === "transports") return KNOWN_TRANSPORTS;
  if (role === "requirement" || role === "identity") {
    const table = role === "requirement" ? REQUIREMENT_MEMBERS : IDENTITY_MEMBERS;
    const type = memberString(node, "type");
    if (type !== undefined && table[type]) return table[type];
    return [...new Set(Object.values(table).flat())];
  }
  return FIXED_MEMBERS[role] ?? [];
}

/** The values a string member may take, where they are a fixed set. */
export function allowedValues(role: PolicyObjectRole, key: string): readonly string[] {
  if (key === "type" && role === "requirement") return REQUIREMENT_TYPES;
  if (key === "type" && role === "identity") return IDENTITY_MATCH_TYPES;
  if (key === "keyType" && role === "requirement") return SIGNED_BY_KEY_TYPES;
  return [];
}

/** What each member and `type` value means (Markdown). */
export const POLICY_JSON_DOCS: Readonly<Record<string, string>> = {
  default: "`default` — the global default requirement list: decides every image no transport scope matches. Required.",
  transports: "`transports` — per transport (`docker`, `containers-storage`, …), scopes → requirement lists; the most specific matching scope decides.",
  type: "`type` — what this requirement (or signedIdentity rule) is.",
  insecureAcceptAnything: "`insecureAcceptAnything` — every image is accepted; nothing is checked.",
  reject: "`reject` — every image is rejected.",
  signedBy: "`signedBy` — a simple-signing (GPG) signature by one of the keys is required, for an identity that matches `signedIdentity`.",
  sigstoreSigned: "`sigstoreSigned` — a sigstore (cosign) signature: by a public key, a Fulcio certificate or a PKI certificate (optionally logged in Rekor).",
  signedBaseLayer: "`signedBaseLayer` — parses, but containers/image never implemented it: it always denies.",
  keyType: "`keyType` — signedBy's key type; only `GPGKeys` is implemented upstream.",
  keyPath: "`keyPath` — a public key file on the machine that pulls.",
  keyPaths: "`keyPaths` — any of these key files (5.33+).",
  keyData: "`keyData` — the public key inline, base64.",
  keyDatas: "`keyDatas` — any of these inline keys, base64 (5.33+).",
  signedIdentity: "`signedIdentity` — which identity the signature must claim (default `matchRepoDigestOrExact`).",
  baseLayerIdentity: "`baseLayerIdentity` — the identity of the base layer's signature (signedBaseLayer).",
  fulcio: "`fulcio` — keyless sigstore: a certificate from this Fulcio CA for `oidcIssuer` and `subjectEmail` (5.24+).",
  pki: "`pki` — sigstore signatures by certificates from your own X.509 CA (5.35+).",
  rekorPublicKeyPath: "`rekorPublicKeyPath` — the Rekor public key file: the signature must be logged in Rekor (5.24+).",
  rekorPublicKeyPaths: "`rekorPublicKeyPaths` — any of these Rekor public key files (5.33+).",
  rekorPublicKeyData: "`rekorPublicKeyData` — the Rekor public key inline, base64 (5.24+).",
  rekorPublicKeyDatas: "`rekorPublicKeyDatas` — any of these inline Rekor keys (5.33+).",
  caPath: "`caPath` — the Fulcio CA certificate file.",
  caData: "`caData` — the Fulcio CA certificate inline, base64.",
  oidcIssuer: "`oidcIssuer` — the OIDC issuer the certificate must name.",
  subjectEmail: "`subjectEmail` — the e-mail the certificate must name.",
  subjectHostname: "`subjectHostname` — the host name the PKI certificate must name.",
  caRootsPath: "`caRootsPath` — the PKI root certificates file.",
  caRootsData: "`caRootsData` — the PKI root certificates inline, base64.",
  caIntermediatesPath: "`caIntermediatesPath` — PKI intermediate certificates file.",
  caIntermediatesData: "`caIntermediatesData` — PKI intermediate certificates inline, base64.",
  matchExact: "`matchExact` — the signature must name exactly the pulled reference (a digest pull can never match).",
  matchRepoDigestOrExact: "`matchRepoDigestOrExact` — the default: the same repository for digest pulls, the exact reference for tag pulls.",
  matchRepository: "`matchRepository` — any signature for the same repository.",
  exactReference: "`exactReference` — the signature must name `dockerReference`.",
  exactRepository: "`exactRepository` — the signature must name the repository `dockerRepository`.",
  remapIdentity: "`remapIdentity` — references under `prefix` are checked as if under `signedPrefix` (mirrors).",
  dockerReference: "`dockerReference` — the one reference the signature must name (exactReference).",
  dockerRepository: "`dockerRepository` — the repository the signature must name (exactRepository).",
  prefix: "`prefix` — the pulled namespace to remap (remapIdentity).",
  signedPrefix: "`signedPrefix` — the namespace the signatures were made for (remapIdentity).",
  GPGKeys: "`GPGKeys` — GPG keyrings (the only signedBy key type containers/image implements).",
};
