/**
 * Policy requirements as admission controllers can check them: what a `sigstoreSigned` requirement trusts
 * (keys, Fulcio CA and identity, Rekor keys) with the key material inlined as PEM, and which requirements
 * have no admission equivalent. The meaning followed is containers/image's
 * `signature/policy_eval_sigstore.go` (prSigstoreSigned.isSignatureAccepted) and `policy_eval_signedby.go`.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { hostKeyFiles } from "../check/key-files.js";
import type { Host } from "../host/host.js";
import type { FulcioConfig, IdentityMatch, Requirement, SigstoreSigned } from "../ir/types.js";
import type { Span } from "../source/source-file.js";
import { decodeGoBase64 } from "../util/go-base64.js";
import { K8S_CODES, k8sDiagnostic } from "./codes.js";

/** Reads a key file's bytes (undefined when unreadable). */
export type KeyFileReader = (path: string) => Uint8Array | undefined;

/** Key files at their own paths through the host (undefined when unreadable): the checker's key-file access. */
export function hostKeyFileReader(host: Host): KeyFileReader {
  return hostKeyFiles(host).readFile;
}

/** UTF-8 as Buffer#toString decodes it (a BOM is kept, bad sequences become U+FFFD). */
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** What one sigstoreSigned requirement trusts, with every key as PEM text. Any of `publicKeys` suffices. */
export interface SigstoreTrust {
  /** Public keys (PEM), any of which may have signed; empty when `fulcio` is used. */
  publicKeys: string[];
  /**
   * Keyless: the Fulcio CA (PEM, absent = public Fulcio), OIDC issuer and the subject: an e-mail or workflow URI
   * matched exactly (`subject`), or a workflow URI by regular expression (`subjectRegExp`; a prefix is `^` + the
   * prefix quoted). Admission controllers compare `subject` with every SAN (cosign's identity check), so both kinds match.
   */
  fulcio?: { caPem?: string; issuer: string } & ({ subject: string } | { subjectRegExp: string });
  /** Rekor public keys (PEM) of which one must have signed the log entry; empty = no Rekor proof required. */
  rekorKeys: string[];
  /** Where the requirement was written. */
  origin?: Span;
}

/** A requirement as admission sees it. */
export type AdmissionRequirement =
  | { kind: "accept" }
  | { kind: "deny"; origin?: Span }
  | { kind: "sigstore"; trust: SigstoreTrust; key: string }
  | { kind: "untranslatable"; origin?: Span };

/** Key material lookups shared by one compilation (files are read once). */
export class KeyMaterial {
  private readonly cache = new Map<string, string | undefined>();
  constructor(private readonly read: KeyFileReader) {}

  /** A key file as text; a diagnostic and undefined when unreadable. */
  file(path: string, span: Span | undefined, diagnostics: Diagnostic[]): string | undefined {
    if (!this.cache.has(path)) {
      const bytes = this.read(path);
      this.cache.set(path, bytes === undefined ? undefined : utf8.decode(bytes));
    }
    const text = this.cache.get(path);
    if (text === undefined) {
      diagnostics.push(
        k8sDiagnostic(K8S_CODES.keyFileUnreadable, "error", `cannot read key file ${JSON.stringify(path)}: admission policies carry the key itself`, span, {
          hint: "run the compiler where the key files are, or write the key inline (keyData)",
        }),
      );
      return undefined;
    }
    return pemOrError(text, `key file ${JSON.stringify(path)}`, span, diagnostics);
  }

  /** base64 keyData decoded to PEM text. */
  data(base64: string, span: Span | undefined, diagnostics: Diagnostic[]): string | undefined {
    const text = utf8.decode(decodeGoBase64(base64) ?? new Uint8Array());
    return pemOrError(text, "keyData", span, diagnostics);
  }
}

function pemOrError(text: string, what: string, span: Span | undefined, diagnostics: Diagnostic[]): string | undefined {
  if (!/-----BEGIN [A-Z0-9 ]+-----/.test(text)) {
    diagnostics.push(
      k8sDiagnostic(K8S_CODES.keyDataNotPem, "error", `${what} is not PEM text; admission policies need PEM public keys and certificates`, span),
    );
    return undefined;
  }
  return text.endsWith("\n") ? text : text + "\n";
}

/** The identity rules admission cannot honour even approximately (the accepted signatures would change). */
const IDENTITY_RULES_ELSEWHERE = new Set<IdentityMatch["type"]>(["exactReference", "exactRepository", "remapIdentity"]);

/** Translate one requirement; diagnostics for what does not carry over. */
export function admissionRequirement(req: Requirement, keys: KeyMaterial, diagnostics: Diagnostic[]): AdmissionRequirement {
  switch (req.type) {
    case "insecureAcceptAnything":
      return { kind: "accept" };
    case "reject":
      return { kind: "deny", origin: req.origin };
    case "signedBaseLayer":
      diagnostics.push(
        k8sDiagnostic(K8S_CODES.signedBaseLayer, "warning", "signedBaseLayer always denies in containers/image (not implemented); the cluster policy rejects these images too", req.origin),
      );
      return { kind: "deny", origin: req.origin };
    case "signedBy":
      diagnostics.push(
        k8sDiagnostic(K8S_CODES.gpgSignedBy, "error", "signedBy (GPG simple signing) has no admission equivalent: policy-controller and Kyverno verify only sigstore (cosign) signatures", req.origin, {
          hint: "sign the images with cosign as well and require 'sigstoreSigned' for the cluster, or leave this scope to the nodes",
        }),
      );
      return { kind: "untranslatable", origin: req.origin };
    case "sigstoreSigned":
      return sigstoreRequirement(req, keys, diagnostics);
  }
}

function sigstoreRequirement(req: SigstoreSigned, keys: KeyMaterial, diagnostics: Diagnostic[]): AdmissionRequirement {
  const errorsBefore = diagnostics.filter((d) => d.severity === "error").length;
  const identity = req.signedIdentity;
  if (identity && IDENTITY_RULES_ELSEWHERE.has(identity.type)) {
    diagnostics.push(
      k8sDiagnostic(
        K8S_CODES.identityRuleUntranslatable,
        "error",
        `signedIdentity ${identity.type} has no admission equivalent: admission accepts any signature over the image's digest, whatever reference it claims`,
        identity.origin ?? req.origin,
        { hint: "sign the images under the name they are pulled by and use the default identity for the cluster" },
      ),
    );
  } else {
    diagnostics.push(
      k8sDiagnostic(
        K8S_CODES.identityNotChecked,
        "warning",
        `admission checks that the signature covers the image's digest, not the reference it claims (${identity?.type ?? "matchRepoDigestOrExact"}); a signature copied from another repository is accepted there`,
        identity?.origin ?? req.origin,
      ),
    );
  }
  if (req.pki) {
    diagnostics.push(
      k8sDiagnostic(K8S_CODES.pkiUntranslatable, "error", "sigstoreSigned.pki (certificates from your own CA, without Fulcio) is not translated to admission policies", req.pki.origin ?? req.origin),
    );
  }
  const publicKeys: string[] = [];
  for (const p of [...(req.keyPath !== undefined ? [req.keyPath] : []), ...(req.keyPaths ?? [])]) {
    const pem = keys.file(p, req.origin, diagnostics);
    if (pem) publicKeys.push(pem);
  }
  for (const d of [...(req.keyData !== undefined ? [req.keyData] : []), ...(req.keyDatas ?? [])]) {
    const pem = keys.data(d, req.origin, diagnostics);
    if (pem) publicKeys.push(pem);
  }
  let fulcio: SigstoreTrust["fulcio"];
  if (req.fulcio) {
    const f = req.fulcio;
    const caPem =
      f.caPath !== undefined ? keys.file(f.caPath, f.origin ?? req.origin, diagnostics) : f.caData !== undefined ? keys.data(f.caData, f.origin ?? req.origin, diagnostics) : undefined;
    fulcio = { issuer: f.oidcIssuer, ...admissionSubject(f), ...(caPem ? { caPem } : {}) };
  }
  const rekorKeys: string[] = [];
  for (const p of [...(req.rekorPublicKeyPath !== undefined ? [req.rekorPublicKeyPath] : []), ...(req.rekorPublicKeyPaths ?? [])]) {
    const pem = keys.file(p, req.origin, diagnostics);
    if (pem) rekorKeys.push(pem);
  }
  for (const d of [...(req.rekorPublicKeyData !== undefined ? [req.rekorPublicKeyData] : []), ...(req.rekorPublicKeyDatas ?? [])]) {
    const pem = keys.data(d, req.origin, diagnostics);
    if (pem) rekorKeys.push(pem);
  }
  if (diagnostics.filter((d) => d.severity === "error").length > errorsBefore) return { kind: "untranslatable", origin: req.origin };
  if (publicKeys.length === 0 && !fulcio) {
    diagnostics.push(
      k8sDiagnostic(K8S_CODES.sigstoreWithoutKeys, "warning", "this sigstoreSigned requirement trusts no key, so it denies every image; the cluster policy rejects them too", req.origin),
    );
    return { kind: "deny", origin: req.origin };
  }
  const trust: SigstoreTrust = { publicKeys, rekorKeys, ...(fulcio ? { fulcio } : {}), ...(req.origin ? { origin: req.origin } : {}) };
  return { kind: "sigstore", trust, key: trustKey(trust) };
}

/** A canonical text of what a requirement trusts: equal keys mean the cluster checks the same thing. */
export function trustKey(t: SigstoreTrust): string {
  return JSON.stringify([[...t.publicKeys].sort(), t.fulcio ? [t.fulcio.issuer, "subject" in t.fulcio ? t.fulcio.subject : "/" + t.fulcio.subjectRegExp, t.fulcio.caPem ?? ""] : null, [...t.rekorKeys].sort()]);
}

/** The outcome of a requirement list (AND): deny, or the set of signature checks (empty = accept). */
export type Outcome = { deny: true } | { deny: false; checks: Map<string, SigstoreTrust> };

/** Combine requirement outcomes with AND. */
export function andOutcomes(outcomes: readonly Outcome[]): Outcome {
  const checks = new Map<string, SigstoreTrust>();
  for (const o of outcomes) {
    if (o.deny) return { deny: true };
    for (const [k, v] of o.checks) checks.set(k, v);
  }
  return { deny: false, checks };
}

/** The outcome of translated requirements (untranslatable ones count as deny: nothing is emitted for them). */
export function outcomeOf(reqs: readonly AdmissionRequirement[]): Outcome {
  const checks = new Map<string, SigstoreTrust>();
  for (const r of reqs) {
    if (r.kind === "deny" || r.kind === "untranslatable") return { deny: true };
    if (r.kind === "sigstore") checks.set(r.key, r.trust);
  }
  return { deny: false, checks };
}

/** How a cluster outcome compares with the node's: equal, stricter, or more permissive. */
export function compareOutcomes(cluster: Outcome, node: Outcome): "equal" | "stricter" | "permissive" {
  if (node.deny) return cluster.deny ? "equal" : "permissive";
  if (cluster.deny) return "stricter";
  for (const k of node.checks.keys()) if (!cluster.checks.has(k)) return "permissive";
  return cluster.checks.size === node.checks.size ? "equal" : "stricter";
}

/** Go's regexp.QuoteMeta: the characters RE2 treats as special, escaped. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

/**
 * The admission form of a Fulcio subject: an e-mail or an exact workflow URI is `subject`; a workflow prefix or
 * regexp is `subjectRegExp` (cosign matches it with Go's unanchored `regexp.MatchString`, so a prefix is anchored
 * with `^` and quoted).
 */
export function admissionSubject(f: FulcioConfig): { subject: string } | { subjectRegExp: string } {
  const u = f.subjectURI;
  if (!u) return { subject: f.subjectEmail ?? "" };
  if (u.match === "exact") return { subject: u.value };
  return { subjectRegExp: u.match === "prefix" ? "^" + quoteMeta(u.value) : u.value };
}

/** The subject field of an emitted keyless identity: `subject` or `subjectRegExp`, as the trust says. */
export function subjectOf(f: NonNullable<SigstoreTrust["fulcio"]>): { subject: string } | { subjectRegExp: string } {
  return "subject" in f ? { subject: f.subject } : { subjectRegExp: f.subjectRegExp };
}
