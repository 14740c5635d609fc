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
import {
  bytesState,
  listState,
  newPRMExactReference,
  newPRMExactRepository,
  newPRMRemapIdentity,
  newPRSignedBy,
  newPRSigstoreSigned,
  newPRSigstoreSignedFulcio,
  newPRSigstoreSignedPKI,
  prSignedByKeySourcesPresent,
  stringState,
} from "../ir/constraints.js";
import { isGoStdBase64 } from "../util/go-base64.js";
import { hasFeature, type Version } from "../ir/versions.js";
import { validatePolicyScope } from "../reference/scopes.js";
import type { Span } from "../source/source-file.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { EMIT_CODES as C, emitDiagnostic } from "./codes.js";
import { hasUnpairedSurrogate } from "./json-writer.js";
import type { DiagnosticCode } from "../diagnostics/catalogue/index.js";

/** Options of the validity check. */
export interface PolicyValidityOptions {
  /** Target version (undefined = newest): selects 5.23.1's or the newest sigstoreSigned rules. */
  target?: Version;
}

/** Walks a Policy IR and collects every rule containers/image would refuse it by. */
class PolicyValidityChecker {
  readonly diagnostics: Diagnostic[] = [];
  constructor(private readonly target: Version | undefined) {}

  error(code: DiagnosticCode, message: string, span: Span | undefined, hint?: string, related?: RelatedLocation[]): void {
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
    const facts = { keyType: r.keyType, keyPath: stringState(r.keyPath), keyPaths: listState(r.keyPaths), keyData: bytesState(r.keyData) };
    const rules = newPRSignedBy(facts);
    if (rules.some((v) => v.rule === "invalidKeyType")) {
      this.error(C.invalidKeyType, `signedBy keyType "${r.keyType}" is not one of ${SIGNED_BY_KEY_TYPES.join(", ")}.${didYouMean(r.keyType, SIGNED_BY_KEY_TYPES)}`.replace(/\.$/, ""), r.origin);
    }
    // prSignedBy.UnmarshalJSON counts the sources given; newPRSignedBy then counts the non-empty ones.
    const present = (["keyPath", "keyPaths", "keyData"] as const).filter((k) => r[k] !== undefined);
    if (prSignedByKeySourcesPresent(present).length > 0) {
      this.error(C.signedByKeySources, `signedBy needs exactly one of keyPath, keyPaths and keyData (${present.length === 0 ? "none" : "more than one"} given)`, r.origin);
    } else if (rules.some((v) => v.rule === "keySourceCount")) {
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

    // The emitter writes 5.23.1's format or the newest one (a 5.24–5.32 target gets the newest rules).
    const legacy = this.target !== undefined && !hasFeature(this.target, "fulcio");
    if (!legacy) {
      if (r.fulcio) this.fulcio(r.fulcio, span);
      if (r.pki) this.pki(r.pki, span);
    }
    const facts = {
      keyPath: stringState(r.keyPath),
      keyPaths: listState(r.keyPaths),
      keyData: bytesState(r.keyData),
      keyDatas: listState(r.keyDatas),
      fulcio: r.fulcio ? ("set" as const) : ("absent" as const),
      pki: r.pki ? ("set" as const) : ("absent" as const),
      rekorPublicKeyPath: stringState(r.rekorPublicKeyPath),
      rekorPublicKeyPaths: listState(r.rekorPublicKeyPaths),
      rekorPublicKeyData: bytesState(r.rekorPublicKeyData),
      rekorPublicKeyDatas: listState(r.rekorPublicKeyDatas),
    };
    for (const v of newPRSigstoreSigned(facts, legacy ? "5.23" : "newest")) {
      switch (v.rule) {
        case "legacyKeyPathAndKeyData":
          this.error(C.sigstoreKeySources, "sigstoreSigned cannot use keyPath and keyData together", span);
          break;
        case "legacyNoKey":
          this.error(C.sigstoreKeySources, "sigstoreSigned needs keyPath or keyData", span);
          break;
        case "emptyList":
          this.error(C.emptyList, `sigstoreSigned ${v.field} contains no entries`, span);
          break;
        case "keySourceCount":
          this.error(C.sigstoreKeySources, `sigstoreSigned needs exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio and pki (${v.count === 0 ? "none" : v.count} given)`, span,
            r.keyPath === "" ? "an empty keyPath counts as not set" : undefined);
          break;
        case "rekorSourceCount":
          this.error(C.rekorSources, "sigstoreSigned can use at most one of rekorPublicKeyPath, rekorPublicKeyPaths, rekorPublicKeyData and rekorPublicKeyDatas", span);
          break;
        case "fulcioNeedsRekor":
          this.error(C.fulcioNeedsRekor, "sigstoreSigned with fulcio needs a Rekor public key", r.fulcio?.origin ?? span);
          break;
        case "pkiWithRekor":
          this.error(C.pkiWithRekor, "sigstoreSigned with pki cannot use Rekor public keys", r.pki?.origin ?? span);
          break;
      }
    }
  }

  fulcio(f: FulcioConfig, outer: Span | undefined): void {
    const span = f.origin ?? outer;
    for (const [v, what] of [[f.caPath, "fulcio caPath"], [f.oidcIssuer, "fulcio oidcIssuer"], [f.subjectEmail, "fulcio subjectEmail"]] as const) {
      if (v !== undefined) this.text(v, what, span);
    }
    this.base64(f.caData, "fulcio caData", span);
    const facts = { caPath: stringState(f.caPath), caData: bytesState(f.caData), oidcIssuer: stringState(f.oidcIssuer), subjectEmail: stringState(f.subjectEmail) };
    for (const v of newPRSigstoreSignedFulcio(facts)) {
      if (v.rule === "caPathAndCaData") this.error(C.invalidFulcio, "fulcio cannot use caPath and caData together", span);
      else if (v.rule === "noCa") this.error(C.invalidFulcio, "fulcio needs caPath or caData", span);
      else this.error(C.invalidFulcio, `fulcio ${v.field} is not specified`, span);
    }
  }

  pki(p: PkiConfig, outer: Span | undefined): void {
    const span = p.origin ?? outer;
    for (const v of [p.caRootsPath, p.caIntermediatesPath, p.subjectEmail, p.subjectHostname]) {
      if (v !== undefined) this.text(v, "a pki field", span);
    }
    this.base64(p.caRootsData, "pki caRootsData", span);
    this.base64(p.caIntermediatesData, "pki caIntermediatesData", span);
    const facts = {
      caRootsPath: stringState(p.caRootsPath),
      caRootsData: bytesState(p.caRootsData),
      caIntermediatesPath: stringState(p.caIntermediatesPath),
      caIntermediatesData: bytesState(p.caIntermediatesData),
      subjectEmail: stringState(p.subjectEmail),
      subjectHostname: stringState(p.subjectHostname),
    };
    for (const v of newPRSigstoreSignedPKI(facts)) {
      const message = {
        rootsPathAndData: "pki cannot use caRootsPath and caRootsData together",
        noRoots: "pki needs caRootsPath or caRootsData",
        intermediatesPathAndData: "pki cannot use caIntermediatesPath and caIntermediatesData together",
        noSubject: "pki needs subjectEmail or subjectHostname",
      }[v.rule];
      this.error(C.invalidPki, message, span);
    }
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
        for (const v of newPRMExactReference(id.dockerReference)) {
          if (v.rule === "invalidReference") this.error(C.invalidIdentity, `exactReference "${id.dockerReference}" is not a valid reference: ${v.error}`, span);
          else this.error(C.invalidIdentity, `exactReference "${id.dockerReference}" has neither a tag nor a digest`, span, "use exactRepository to accept any tag");
        }
        return;
      }
      case "exactRepository": {
        this.text(id.dockerRepository, "dockerRepository", span);
        for (const v of newPRMExactRepository(id.dockerRepository)) {
          if (v.rule === "invalidReference") this.error(C.invalidIdentity, `exactRepository "${id.dockerRepository}" is not a valid repository: ${v.error}`, span);
        }
        return;
      }
      case "remapIdentity": {
        const broken = new Set(newPRMRemapIdentity(id.prefix, id.signedPrefix).map((v) => v.field));
        for (const [what, v] of [["prefix", id.prefix], ["signedPrefix", id.signedPrefix]] as const) {
          this.text(v, what, span);
          if (broken.has(what)) {
            this.error(C.invalidIdentity, `remapIdentity ${what} "${v}" is not valid`, span, "use a host[:port] or host[:port]/path prefix without tag or digest");
          }
        }
        return;
      }
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
  const c = new PolicyValidityChecker(options.target);
  c.policy(policy);
  return c.diagnostics;
}
