/**
 * Target-version gates for policy.json: which parts of a Policy IR need a newer containers/image than the
 * target (ir/versions.ts FEATURES, spec containers-policy.md §0.1 and Appendix B). An older version would
 * reject those documents (`Unknown key`, `Unknown policy requirement type`), or, for wildcard scopes, never
 * match them; the emitter reports them instead of writing the file.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { IdentityMatch, Policy, Requirement } from "../ir/types.js";
import { FEATURES, formatVersion, hasFeature, type Feature, type Version } from "../ir/versions.js";
import type { Span } from "../source/source-file.js";
import { EMIT_CODES as C, emitDiagnostic } from "./codes.js";
import type { DiagnosticCode } from "../diagnostics/catalogue/index.js";

/** Transports whose scopes take `*.domain` wildcards (docker-like namespaces). */
const WILDCARD_TRANSPORTS = new Set(["docker", "atomic", "docker-daemon"]);

/** The diagnostic for a feature the target lacks. */
export function featureDiagnostic(feature: Feature, target: Version, span: Span | undefined, code: DiagnosticCode = C.policyFeatureTooNew): Diagnostic {
  const f = FEATURES[feature];
  return emitDiagnostic(code, `${f.what} needs containers/image ${f.since} or newer (target ${formatVersion(target)})`, span, {
    hint: `raise the target to ${f.since} or express this without ${f.what}`,
  });
}

/** Every part of `policy` the `target` version does not have (none when target is undefined = newest). */
export function checkPolicyTarget(policy: Policy, target: Version | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!target) return out;
  const need = (feature: Feature, span: Span | undefined, code?: DiagnosticCode): void => {
    if (!hasFeature(target, feature)) out.push(featureDiagnostic(feature, target, span, code));
  };
  const identity = (id: IdentityMatch | undefined, outer: Span | undefined): void => {
    if (id?.type === "remapIdentity") need("remapIdentity", id.origin ?? outer);
  };
  const requirement = (r: Requirement): void => {
    switch (r.type) {
      case "signedBy":
        if (r.keyPaths !== undefined) need("signedByKeyPaths", r.origin);
        identity(r.signedIdentity, r.origin);
        return;
      case "signedBaseLayer":
        identity(r.baseLayerIdentity, r.origin);
        return;
      case "sigstoreSigned":
        if (!hasFeature(target, "sigstoreSigned")) {
          need("sigstoreSigned", r.origin);
          return;
        }
        if (r.fulcio) need("fulcio", r.fulcio.origin ?? r.origin);
        if (r.rekorPublicKeyPath !== undefined || r.rekorPublicKeyData !== undefined) need("rekorPublicKey", r.origin);
        if (r.keyPaths !== undefined || r.keyDatas !== undefined || r.rekorPublicKeyPaths !== undefined || r.rekorPublicKeyDatas !== undefined) {
          need("sigstoreKeyLists", r.origin);
        }
        if (r.pki) need("pki", r.pki.origin ?? r.origin);
        identity(r.signedIdentity, r.origin);
        return;
      default:
        return;
    }
  };
  policy.default.forEach(requirement);
  for (const t of policy.transports) {
    for (const s of t.scopes) {
      if (WILDCARD_TRANSPORTS.has(t.name) && s.scope.startsWith("*.")) need("wildcardScopes", s.keyOrigin ?? s.origin, C.wildcardScopeTooNew);
      s.requirements.forEach(requirement);
    }
  }
  return out;
}
