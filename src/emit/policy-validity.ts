/**
 * Checks that a Policy IR describes a document containers/image would accept, before it is emitted.
 *
 * The IR produced by the policy.json loader always satisfies these rules; an IR lowered from a .trust source
 * or built by a program might not. Each rule mirrors one upstream check (signature/policy_config.go and, for
 * the newest format, policy_config_sigstore.go: `newPRSignedBy`, `newPRSigstoreSigned` and its options,
 * `prSigstoreSignedFulcio`, `prSigstoreSignedPKI`, `newPRMExactReference`, `newPRMExactRepository`,
 * `newPRMRemapIdentity`, `policyTransportScopesWithTransport.UnmarshalJSON`), so the emitter never writes a
 * file the runtime rejects (spec containers-policy.md §1–3).
 */
import type { Diagnostic, RelatedLocation } from "../diagnostics/diagnostic.js";
import type { FulcioConfig, IdentityMatch, PkiConfig, Policy, Requirement, SignedBy, SigstoreSigned } from "../ir/types.js";
import { IDENTITY_MATCH_TYPES, REQUIREMENT_TYPES, SIGNED_BY_KEY_TYPES } from "../ir/types.js";
import { hasFeature, type Version } from "../ir/versions.js";
import { isNameOnly, parseNormalizedNamed, validateRemapPrefix } from "../reference/docker-reference.js";
import { validatePolicyScope } from "../reference/scopes.js";
import type { Span } from "../source/source-file.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { EMIT_CODES as C, emitDiagnostic } from "./codes.js";
import { hasUnpairedSurrogate } from "./json-writer.js";

/**
 * Go's `base64.StdEncoding.DecodeString` after `encoding/json` hands it the string: `\r` and `\n` are
 * ignored, the rest must be standard-alphabet groups of four with `=` padding.
 */
export function isGoStdBase64(s: string): boolean {
  const t = s.replace(/[\r\n]/g, "");
  return /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(t);
}

/** Options of the validity check. */
export interface PolicyValidityOptions {
  /** Target version (undefined = newest): selects 5.23.1's or the newest sigstoreSigned rules. */
  target?: Version;
}

class Checker {
  readonly diagnostics: Diagnostic[] = [];
  constructor(private readonly target: Version | undefined) {}

  error(code: string, message: string, span: Span | undefined, hint?: string, related?: RelatedLocation[]): void {
    this.diagnostics.push(emitDiagnostic(code, message, span, { hint, related }));
  }

  text(s: string, what: string, span: Span | undefined): void {
    if (hasUnpairedSurrogate(s)) {
      this.error(C.unencodableString, `${what} contains an unpaired UTF-16 surrogate, which has no UTF-8 form`, span);
    }
  }

  base64(s: string | undefined, what: string, span: Span | undefined): void {
    if (s === undefined) return;
    this.text(s, what, span);
    if (!isGoStdBase64(s)) {
      this.error(C.invalidBase64, `${what} is not standard base64 with '=' padding`, span, "encode the bytes with standard base64 (RFC 4648 §4)");
    }
  }

  policy(p: Policy): void {
    if (p.default.length === 0) {
      this.error(C.emptyDefault, "the global default requirement list is empty", p.defaultOrigin ?? p.origin, "containers/image requires at least one requirement, e.g. reject");
    }
    this.requirements(p.default);
    const seenTransports = new Map<string, Span | undefined>();
    for (const t of p.transports) {
      this.text(t.name, `transport name ${JSON.stringify(t.name)}`, t.keyOrigin ?? t.origin);
      if (seenTransports.has(t.name)) {
        const first = seenTransports.get(t.name);
        this.error(C.duplicateTransport, `transport "${t.name}" is defined twice`, t.keyOrigin ?? t.origin, "merge the two sections",
          first ? [{ message: "first defined here", span: first }] : undefined);
      } else seenTransports.set(t.name, t.keyOrigin ?? t.origin);
      const seenScopes = new Map<string, Span | undefined>();
      for (const s of t.scopes) {
        const where = s.keyOrigin ?? s.origin;
        this.text(s.scope, `scope ${JSON.stringify(s.scope)}`, where);
        if (seenScopes.has(s.scope)) {
          const first = seenScopes.get(s.scope);
          this.error(C.duplicateScope, `scope "${s.scope}" of transport "${t.name}" is defined twice`, where, "merge the two entries",
            first ? [{ message: "first defined here", span: first }] : undefined);
        } else seenScopes.set(s.scope, where);
        if (s.scope !== "") {
          const v = validatePolicyScope(t.name, s.scope);
          if (v.error !== undefined) {
            this.error(C.invalidScope, `scope "${s.scope}" is not valid for transport "${t.name}": ${v.error}`, where,
              "containers/image would reject the file with Unknown key");
          }
        }
        if (s.requirements.length === 0) {
          this.error(C.emptyScope, `scope "${s.scope}" of transport "${t.name}" has no requirements`, s.origin ?? where,
            "containers/image requires a non-empty list");
        }
        this.requirements(s.requirements);
      }
    }
  }

  requirements(list: readonly Requirement[]): void {
    for (const r of list) this.requirement(r);
  }

  requirement(r: Requirement): void {
    switch (r.type) {
      case "insecureAcceptAnything":
      case "reject":
        return;
      case "signedBy":
        return this.signedBy(r);
      case "sigstoreSigned":
        return this.sigstoreSigned(r);
      case "signedBaseLayer":
        return this.identity(r.baseLayerIdentity, r.origin);
      default: {
        const t = String((r as { type: unknown }).type);
        this.error(C.unknownType, `unknown requirement type "${t}".${didYouMean(t, REQUIREMENT_TYPES)}`.replace(/\.$/, ""), (r as Requirement).origin);
      }
    }
  }

  signedBy(r: SignedBy): void {
    if (!(SIGNED_BY_KEY_TYPES as readonly string[]).includes(r.keyType)) {
      this.error(C.invalidKeyType, `signedBy keyType "${r.keyType}" is not one of ${SIGNED_BY_KEY_TYPES.join(", ")}.${didYouMean(r.keyType, SIGNED_BY_KEY_TYPES)}`.replace(/\.$/, ""), r.origin);
    }
    const present = [r.keyPath, r.keyPaths, r.keyData].filter((x) => x !== undefined).length;
    if (present !== 1) {
      this.error(C.signedByKeySources, `signedBy needs exactly one of keyPath, keyPaths and keyData (${present === 0 ? "none" : "more than one"} given)`, r.origin);
    } else if (r.keyPath === "") {
      this.error(C.signedByKeySources, "signedBy keyPath is empty", r.origin, "an empty keyPath counts as not set upstream");
    }
    if (r.keyPath !== undefined) this.text(r.keyPath, "keyPath", r.origin);
    for (const p of r.keyPaths ?? []) this.text(p, "keyPaths entry", r.origin);
    this.base64(r.keyData, "signedBy keyData", r.origin);
    if (r.signedIdentity) this.identity(r.signedIdentity, r.origin);
  }

  sigstoreSigned(r: SigstoreSigned): void {
    const span = r.origin;
    for (const p of [r.keyPath, r.rekorPublicKeyPath, ...(r.keyPaths ?? []), ...(r.rekorPublicKeyPaths ?? [])]) {
      if (p !== undefined) this.text(p, "a key path", span);
    }
    this.base64(r.keyData, "sigstoreSigned keyData", span);
    this.base64(r.rekorPublicKeyData, "sigstoreSigned rekorPublicKeyData", span);
    for (const d of r.keyDatas ?? []) this.base64(d, "a sigstoreSigned keyDatas entry", span);
    for (const d of r.rekorPublicKeyDatas ?? []) this.base64(d, "a sigstoreSigned rekorPublicKeyDatas entry", span);
    if (r.signedIdentity) this.identity(r.signedIdentity, span);

    if (this.target && !hasFeature(this.target, "fulcio")) {
      // 5.23.1 `prSigstoreSigned.UnmarshalJSON`: keyPath / keyData by key presence only.
      const kp = r.keyPath !== undefined;
      const kd = r.keyData !== undefined;
      if (kp === kd) {
        this.error(C.sigstoreKeySources, kp ? "sigstoreSigned cannot use keyPath and keyData together" : "sigstoreSigned needs keyPath or keyData", span);
      }
      return;
    }
    if (r.fulcio) this.fulcio(r.fulcio, span);
    if (r.pki) this.pki(r.pki, span);
    const lists: Array<[string, unknown[] | undefined]> = [
      ["keyPaths", r.keyPaths],
      ["keyDatas", r.keyDatas],
      ["rekorPublicKeyPaths", r.rekorPublicKeyPaths],
      ["rekorPublicKeyDatas", r.rekorPublicKeyDatas],
    ];
    for (const [name, list] of lists) {
      if (list !== undefined && list.length === 0) this.error(C.emptyList, `sigstoreSigned ${name} contains no entries`, span);
    }
    const sources = [
      r.keyPath !== undefined && r.keyPath !== "",
      r.keyPaths !== undefined,
      r.keyData !== undefined,
      r.keyDatas !== undefined,
      r.fulcio !== undefined,
      r.pki !== undefined,
    ].filter(Boolean).length;
    if (sources !== 1) {
      this.error(C.sigstoreKeySources, `sigstoreSigned needs exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio and pki (${sources === 0 ? "none" : sources} given)`, span,
        r.keyPath === "" ? "an empty keyPath counts as not set" : undefined);
    }
    const rekor = [
      r.rekorPublicKeyPath !== undefined && r.rekorPublicKeyPath !== "",
      r.rekorPublicKeyPaths !== undefined,
      r.rekorPublicKeyData !== undefined,
      r.rekorPublicKeyDatas !== undefined,
    ].filter(Boolean).length;
    if (rekor > 1) this.error(C.rekorSources, "sigstoreSigned can use at most one of rekorPublicKeyPath, rekorPublicKeyPaths, rekorPublicKeyData and rekorPublicKeyDatas", span);
    if (r.fulcio && rekor === 0) this.error(C.fulcioNeedsRekor, "sigstoreSigned with fulcio needs a Rekor public key", r.fulcio.origin ?? span);
    if (r.pki && rekor > 0) this.error(C.pkiWithRekor, "sigstoreSigned with pki cannot use Rekor public keys", r.pki.origin ?? span);
  }

  fulcio(f: FulcioConfig, outer: Span | undefined): void {
    const span = f.origin ?? outer;
    for (const [v, what] of [[f.caPath, "fulcio caPath"], [f.oidcIssuer, "fulcio oidcIssuer"], [f.subjectEmail, "fulcio subjectEmail"]] as const) {
      if (v !== undefined) this.text(v, what, span);
    }
    this.base64(f.caData, "fulcio caData", span);
    const hasPath = f.caPath !== undefined && f.caPath !== "";
    const hasData = f.caData !== undefined;
    if (hasPath && hasData) this.error(C.invalidFulcio, "fulcio cannot use caPath and caData together", span);
    if (!hasPath && !hasData) this.error(C.invalidFulcio, "fulcio needs caPath or caData", span);
    if (!f.oidcIssuer) this.error(C.invalidFulcio, "fulcio oidcIssuer is not specified", span);
    if (!f.subjectEmail) this.error(C.invalidFulcio, "fulcio subjectEmail is not specified", span);
  }

  pki(p: PkiConfig, outer: Span | undefined): void {
    const span = p.origin ?? outer;
    for (const v of [p.caRootsPath, p.caIntermediatesPath, p.subjectEmail, p.subjectHostname]) {
      if (v !== undefined) this.text(v, "a pki field", span);
    }
    this.base64(p.caRootsData, "pki caRootsData", span);
    this.base64(p.caIntermediatesData, "pki caIntermediatesData", span);
    const roots = [p.caRootsPath !== undefined && p.caRootsPath !== "", p.caRootsData !== undefined].filter(Boolean).length;
    if (roots === 2) this.error(C.invalidPki, "pki cannot use caRootsPath and caRootsData together", span);
    if (roots === 0) this.error(C.invalidPki, "pki needs caRootsPath or caRootsData", span);
    if (p.caIntermediatesPath !== undefined && p.caIntermediatesPath !== "" && p.caIntermediatesData !== undefined) {
      this.error(C.invalidPki, "pki cannot use caIntermediatesPath and caIntermediatesData together", span);
    }
    if (!p.subjectEmail && !p.subjectHostname) this.error(C.invalidPki, "pki needs subjectEmail or subjectHostname", span);
  }

  identity(id: IdentityMatch, outer: Span | undefined): void {
    const span = id.origin ?? outer;
    switch (id.type) {
      case "matchExact":
      case "matchRepoDigestOrExact":
      case "matchRepository":
        return;
      case "exactReference": {
        this.text(id.dockerReference, "dockerReference", span);
        const r = parseNormalizedNamed(id.dockerReference);
        if (!r.ok) this.error(C.invalidIdentity, `exactReference "${id.dockerReference}" is not a valid reference: ${r.error}`, span);
        else if (isNameOnly(r.ref)) this.error(C.invalidIdentity, `exactReference "${id.dockerReference}" has neither a tag nor a digest`, span, "use exactRepository to accept any tag");
        return;
      }
      case "exactRepository": {
        this.text(id.dockerRepository, "dockerRepository", span);
        const r = parseNormalizedNamed(id.dockerRepository);
        if (!r.ok) this.error(C.invalidIdentity, `exactRepository "${id.dockerRepository}" is not a valid repository: ${r.error}`, span);
        return;
      }
      case "remapIdentity":
        for (const [what, v] of [["prefix", id.prefix], ["signedPrefix", id.signedPrefix]] as const) {
          this.text(v, what, span);
          if (!validateRemapPrefix(v)) {
            this.error(C.invalidIdentity, `remapIdentity ${what} "${v}" is not valid`, span, "use a host[:port] or host[:port]/path prefix without tag or digest");
          }
        }
        return;
      default: {
        const t = String((id as { type: unknown }).type);
        this.error(C.unknownType, `unknown signedIdentity type "${t}".${didYouMean(t, IDENTITY_MATCH_TYPES)}`.replace(/\.$/, ""), span);
      }
    }
  }
}

/**
 * Every reason containers/image would reject the policy.json written from `policy` (errors, IT3030–IT3099).
 * Empty when the document would load.
 */
export function checkPolicyValidity(policy: Policy, options: PolicyValidityOptions = {}): Diagnostic[] {
  const c = new Checker(options.target);
  c.policy(policy);
  return c.diagnostics;
}
