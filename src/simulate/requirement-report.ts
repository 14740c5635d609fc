/**
 * What each requirement of the deciding list means for one image: the keys / Fulcio / PKI identities that
 * would be checked, what the signedIdentity rule demands of a signature, where the runtime would look for
 * signatures (spec containers-policy.md §4.2–4.5), and warnings when that can never succeed.
 */
import type { IdentityMatch, Requirement, SignedBy, SigstoreSigned } from "../ir/types.js";
import type { DockerReference } from "../reference/docker-reference.js";
import type { RequirementOutcome } from "./evaluate.js";
import { explainIdentity, expectedIdentity, needsImageReference, type ExpectedIdentity } from "./identity-match.js";

/** Where the runtime looks for signatures of a docker image (`signatureLookup` in the JSON output). */
export interface SignatureLookup {
  /** The lookaside base URL for reading (registries.d, or the built-in default), null when not applicable. */
  lookasideBase: string | null;
  /** The URL of the first lookaside signature, when the manifest digest is known. */
  lookasideSignature1: string | null;
  /** Whether sigstore attachments (`sha256-<hex>.sig` tags) are read. */
  sigstoreAttachments: boolean;
}

/** Extra facts about the lookup, for explanations (not part of the JSON `signatureLookup` object). */
export interface SignatureLookupDetails extends SignatureLookup {
  /** Which registries.d entry gave the lookaside: a scope, "default-docker", or "built-in". */
  lookasideFrom?: string;
  /** Which registries.d entry set use-sigstore-attachments, if any. */
  attachmentsFrom?: string;
  /** The sigstore attachment tag, when the digest is known (e.g. "sha256-<hex>.sig"). */
  attachmentTag?: string;
  /** The repository the signatures are looked up in (docker name). */
  repository?: string;
  /** Why the lookaside could not be computed (e.g. an invalid URL). */
  error?: string;
}

/** The key material of a signature requirement, as written. */
export interface KeyReport {
  keyType?: string;
  keyPath?: string;
  keyPaths?: string[];
  /** Inline key data, summarised as its size ("keyData: 1234 bytes"). */
  keyData?: string;
  keyDatas?: string[];
  fulcio?: { caPath?: string; caData?: string; oidcIssuer: string; subjectEmail: string };
  pki?: { caRootsPath?: string; caRootsData?: string; caIntermediatesPath?: string; caIntermediatesData?: string; subjectEmail?: string; subjectHostname?: string };
  rekorPublicKeyPath?: string;
  rekorPublicKeyPaths?: string[];
  rekorPublicKeyData?: string;
  rekorPublicKeyDatas?: string[];
}

/** One requirement of the deciding list, explained (`requirements[]` in the JSON output). */
export interface RequirementReport {
  index: number;
  type: Requirement["type"];
  /** "skipped": an earlier requirement already denied, so the runtime never evaluated this one. */
  status: "allow" | "deny" | "skipped";
  /** The runtime's error when this requirement denied. */
  message: string | null;
  /** The trust level this requirement came from (a .trust label), if known. */
  level?: string;
  /** What this requirement checks, in words. */
  checks: string;
  keys?: KeyReport;
  identity?: { rule: IdentityMatch["type"]; default: boolean; meaning: string; expected: ExpectedIdentity };
  /** For signature requirements: where signatures would be read from. */
  signatureSource?: string;
  /** For a denying signature requirement: what signature would make it allow. */
  wouldAllow?: string;
}

/** Transports whose images never carry signatures (spec §4.5). */
export const TRANSPORTS_WITHOUT_SIGNATURES: ReadonlySet<string> = new Set([
  "oci",
  "oci-archive",
  "docker-archive",
  "docker-daemon",
  "sif",
  "tarball",
]);

function bytesOf(b64: string): string {
  const n = Math.floor((b64.replace(/=+$/, "").length * 3) / 4);
  return `inline, ${n} bytes`;
}

function keyReport(r: SignedBy | SigstoreSigned): KeyReport {
  const k: KeyReport = {};
  if (r.type === "signedBy") k.keyType = r.keyType;
  if (r.keyPath !== undefined) k.keyPath = r.keyPath;
  if (r.keyPaths !== undefined) k.keyPaths = [...r.keyPaths];
  if (r.keyData !== undefined) k.keyData = bytesOf(r.keyData);
  if (r.type === "sigstoreSigned") {
    if (r.keyDatas !== undefined) k.keyDatas = r.keyDatas.map(bytesOf);
    if (r.fulcio) {
      // A policy.json always has subjectEmail; a workflow identity (subjectURI) never reaches a node decision.
      k.fulcio = { oidcIssuer: r.fulcio.oidcIssuer, subjectEmail: r.fulcio.subjectEmail ?? "" };
      if (r.fulcio.caPath !== undefined) k.fulcio.caPath = r.fulcio.caPath;
      if (r.fulcio.caData !== undefined) k.fulcio.caData = bytesOf(r.fulcio.caData);
    }
    if (r.pki) {
      const p = r.pki;
      k.pki = {};
      if (p.caRootsPath !== undefined) k.pki.caRootsPath = p.caRootsPath;
      if (p.caRootsData !== undefined) k.pki.caRootsData = bytesOf(p.caRootsData);
      if (p.caIntermediatesPath !== undefined) k.pki.caIntermediatesPath = p.caIntermediatesPath;
      if (p.caIntermediatesData !== undefined) k.pki.caIntermediatesData = bytesOf(p.caIntermediatesData);
      if (p.subjectEmail) k.pki.subjectEmail = p.subjectEmail;
      if (p.subjectHostname) k.pki.subjectHostname = p.subjectHostname;
    }
    if (r.rekorPublicKeyPath !== undefined) k.rekorPublicKeyPath = r.rekorPublicKeyPath;
    if (r.rekorPublicKeyPaths !== undefined) k.rekorPublicKeyPaths = [...r.rekorPublicKeyPaths];
    if (r.rekorPublicKeyData !== undefined) k.rekorPublicKeyData = bytesOf(r.rekorPublicKeyData);
    if (r.rekorPublicKeyDatas !== undefined) k.rekorPublicKeyDatas = r.rekorPublicKeyDatas.map(bytesOf);
  }
  return k;
}

function keyWords(r: SignedBy | SigstoreSigned): string {
  if (r.keyPath !== undefined) return `the key(s) in ${r.keyPath}`;
  if (r.keyPaths !== undefined) return r.keyPaths.length ? `a key in ${r.keyPaths.join(", ")}` : "no key at all (keyPaths is empty)";
  if (r.keyData !== undefined) return r.keyData ? "the inline key (keyData)" : "no key at all (keyData is empty)";
  if (r.type === "sigstoreSigned") {
    if (r.keyDatas !== undefined) return `one of ${r.keyDatas.length} inline keys (keyDatas)`;
    if (r.fulcio)
      return `a Fulcio certificate (CA ${r.fulcio.caPath ?? "inline caData"}) for OIDC issuer ${r.fulcio.oidcIssuer} and email ${r.fulcio.subjectEmail}`;
    if (r.pki) {
      const who = [r.pki.subjectEmail && `email ${r.pki.subjectEmail}`, r.pki.subjectHostname && `hostname ${r.pki.subjectHostname}`]
        .filter(Boolean)
        .join(" and ");
      return `a certificate chaining to the PKI roots ${r.pki.caRootsPath ?? "(inline caRootsData)"} for ${who}`;
    }
  }
  return "an unspecified key";
}

function rekorWords(r: SigstoreSigned): string {
  const has = r.rekorPublicKeyPath || r.rekorPublicKeyPaths || r.rekorPublicKeyData !== undefined || r.rekorPublicKeyDatas;
  return has ? ", with a Rekor SET verified by the configured Rekor key" : "";
}

/** The image facts a requirement report needs. */
export interface ReportImage {
  transport: string;
  dockerReference?: DockerReference;
  /** The path of a dir: image (for `signature-N` files). */
  withinTransport: string;
  lookup: SignatureLookupDetails;
}

function signatureSource(r: SignedBy | SigstoreSigned, img: ReportImage): string {
  const t = img.transport;
  if (TRANSPORTS_WITHOUT_SIGNATURES.has(t)) return `the ${t} transport never provides signatures`;
  if (t === "dir") return `files signature-1, signature-2, … in the directory ${img.withinTransport}`;
  if (t === "containers-storage") return "signatures stored with the image in containers-storage";
  if (t === "atomic") return "the OpenShift registry's signature API";
  if (t !== "docker") return `whatever the ${t} transport provides`;
  const l = img.lookup;
  const parts: string[] = [];
  if (r.type === "signedBy" || !l.sigstoreAttachments) {
    const where = l.lookasideSignature1 ?? (l.lookasideBase ? `${l.lookasideBase}@<algo>=<hex>/signature-N` : "(no lookaside)");
    parts.push(`the lookaside ${where}${l.lookasideFrom === "built-in" ? " (only the built-in default local directory)" : ""}, or the registry's signature API extension if it advertises X-Registry-Supports-Signatures`);
  }
  // Attachments hold only sigstore signatures, which signedBy ignores.
  if (r.type === "sigstoreSigned" && l.sigstoreAttachments)
    parts.push(`the sigstore attachment tag ${l.attachmentTag ?? "sha256-<hex>.sig"} in ${l.repository ?? "the repository"}`);
  return parts.join("; and ");
}

/** Warnings for a signature requirement that can never be satisfied for this image, or is hard to satisfy. */
export function signatureWarnings(r: Requirement, img: ReportImage): string[] {
  const w: string[] = [];
  if (r.type === "signedBaseLayer") {
    w.push("signedBaseLayer is not implemented by containers/image: it always denies");
    return w;
  }
  if (r.type !== "signedBy" && r.type !== "sigstoreSigned") return w;
  if (TRANSPORTS_WITHOUT_SIGNATURES.has(img.transport))
    w.push(`${r.type} can never be satisfied: the ${img.transport} transport never provides signatures`);
  if (r.type === "signedBy" && r.keyType !== "GPGKeys")
    w.push(`signedBy with keyType "${r.keyType}" can never be satisfied: only GPGKeys is implemented (Unimplemented "keyType" value "${r.keyType}")`);
  if ((r.keyPaths !== undefined && r.keyPaths.length === 0) || r.keyData === "")
    w.push(`${r.type} has no key material (empty keyPaths / keyData): every signature is rejected`);
  const rule = r.signedIdentity;
  if (!img.dockerReference && needsImageReference(rule ?? { type: "matchRepoDigestOrExact" }))
    w.push(
      `${r.type} with signedIdentity ${rule?.type ?? "matchRepoDigestOrExact (the default)"} can never be satisfied: this ${img.transport} image has no Docker reference to compare with (use exactReference or exactRepository)`,
    );
  if (img.transport === "docker") {
    const l = img.lookup;
    if (r.type === "sigstoreSigned" && !l.sigstoreAttachments)
      w.push(
        `sigstoreSigned: use-sigstore-attachments is not enabled for ${l.repository ?? "this repository"} in registries.d, so the runtime never fetches sigstore attachments; only sigstore-format blobs placed in the lookaside by hand could be found`,
      );
    if (r.type === "signedBy" && l.lookasideFrom === "built-in")
      w.push(
        `signedBy: no registries.d lookaside is configured for ${l.repository ?? "this repository"}: signatures are read only from the built-in default local directory ${l.lookasideBase ?? ""} (or the registry's signature API extension)`.replace(" )", ")"),
      );
    if (l.error) w.push(`signature lookup: ${l.error}`);
  }
  return w;
}

function wouldAllow(r: SignedBy | SigstoreSigned, img: ReportImage, expected: ExpectedIdentity): string {
  const kind = r.type === "signedBy" ? "a GPG simple-signing signature" : "a sigstore signature";
  const claim =
    expected.kind === "exact"
      ? `claiming exactly ${expected.reference}`
      : expected.kind === "repository"
        ? `claiming the repository ${expected.repository}${expected.nameOnlyOk ? "" : " with a tag or digest"}`
        : `(none can: ${expected.reason})`;
  const by = `made with ${keyWords(r)}${r.type === "sigstoreSigned" ? rekorWords(r) : ""}`;
  return `${kind} ${by}, ${claim}, over this image's manifest digest, found at ${signatureSource(r, img)}`;
}

/** Explain one requirement with its evaluation outcome. */
export function reportRequirement(outcome: RequirementOutcome, img: ReportImage, level?: string): RequirementReport {
  const r = outcome.requirement;
  const base: RequirementReport = {
    index: outcome.index,
    type: r.type,
    status: outcome.status,
    message: outcome.message ?? null,
    checks: "",
  };
  if (level !== undefined) base.level = level;
  switch (r.type) {
    case "insecureAcceptAnything":
      base.checks = "nothing: any image is accepted (no signature is checked)";
      return base;
    case "reject":
      base.checks = "nothing: every image is rejected";
      return base;
    case "signedBaseLayer":
      base.checks = `a signed base layer (${explainIdentity(r.baseLayerIdentity, img.dockerReference)}); not implemented upstream: always denies`;
      return base;
    case "signedBy":
    case "sigstoreSigned": {
      const kind = r.type === "signedBy" ? "GPG simple-signing signature" : "sigstore signature";
      base.checks = `at least one ${kind} made with ${keyWords(r)}${r.type === "sigstoreSigned" ? rekorWords(r) : ""}, whose claimed identity satisfies signedIdentity`;
      base.keys = keyReport(r);
      const expected = expectedIdentity(r.signedIdentity, img.dockerReference);
      base.identity = {
        rule: (r.signedIdentity ?? { type: "matchRepoDigestOrExact" }).type,
        default: r.signedIdentity === undefined,
        meaning: explainIdentity(r.signedIdentity, img.dockerReference),
        expected,
      };
      base.signatureSource = signatureSource(r, img);
      if (outcome.status === "deny") base.wouldAllow = wouldAllow(r, img, expected);
      return base;
    }
  }
}
