/**
 * signedIdentity semantics: does a signature's claimed `docker-reference` satisfy a rule for a given image?
 * Follows containers/image `signature/policy_reference_match.go` (`matchesDockerReference` of every `prm*`
 * type, `matchRepoDigestOrExactReferenceValues`, `prmRemapIdentity.remapReferencePrefix`); spec
 * containers-policy.md §4.4. Also used by signature verification.
 */
import type { IdentityMatch } from "../ir/types.js";
import {
  type DockerReference,
  isNameOnly,
  parseNamed,
  parseNormalizedNamed,
  referenceName,
  referenceString,
} from "../reference/docker-reference.js";

/** The rule upstream applies when `signedIdentity` is absent. */
export const DEFAULT_IDENTITY_MATCH: IdentityMatch = { type: "matchRepoDigestOrExact" };

/** True for the rules that compare against the image's own Docker reference (and so need one). */
export function needsImageReference(rule: IdentityMatch): boolean {
  return rule.type !== "exactReference" && rule.type !== "exactRepository";
}

function parseSig(s: string): DockerReference | undefined {
  const r = parseNormalizedNamed(s);
  return r.ok ? r.ref : undefined;
}

/** Upstream `matchRepoDigestOrExactReferenceValues`. */
function repoDigestOrExact(intended: DockerReference, signature: DockerReference): boolean {
  if (isNameOnly(signature)) return false;
  if (intended.tag !== undefined) return referenceString(signature) === referenceString(intended); // NamedTagged (maybe + digest)
  if (intended.digest !== undefined) return referenceName(signature) === referenceName(intended); // Canonical
  return false;
}

/** Upstream `prmRemapIdentity.refMatchesPrefix`: the name equals the prefix or continues it with "/". */
export function refMatchesPrefix(ref: DockerReference, prefix: string): boolean {
  return nameMatchesPrefix(referenceName(ref), prefix);
}

/** {@link refMatchesPrefix} of a reference whose `Name()` is `name`. */
export function nameMatchesPrefix(name: string, prefix: string): boolean {
  if (name.length < prefix.length) return false;
  if (name.length === prefix.length) return name === prefix;
  return name.startsWith(prefix) && name.charCodeAt(prefix.length) === 47; // "/"
}

/**
 * Upstream `remapReferencePrefix`: the image reference as the signature is expected to name it.
 * `{ok: true, ref}` (unchanged when the prefix does not apply) or `{ok: false, error}` when the rewritten
 * string is not a canonical reference (upstream then matches nothing).
 */
export function remapReference(
  ref: DockerReference,
  prefix: string,
  signedPrefix: string,
): { ok: true; ref: DockerReference; remapped: boolean } | { ok: false; error: string } {
  if (!refMatchesPrefix(ref, prefix)) return { ok: true, ref, remapped: false };
  const refString = referenceString(ref);
  const rewritten = refString.replace(prefix, () => signedPrefix); // first occurrence only, no $-patterns
  const parsed = parseNamed(rewritten);
  if (!parsed.ok)
    return { ok: false, error: `error rewriting reference from "${refString}" to "${rewritten}": ${parsed.error}` };
  return { ok: true, ref: parsed.ref, remapped: true };
}

/**
 * Whether a signature claiming `signatureRef` satisfies `rule` for an image whose Docker reference is
 * `imageRef` (undefined when the transport has none: dir, oci, docker-archive without a tag, …).
 * `rule` undefined means the default, matchRepoDigestOrExact.
 */
export function matchesIdentity(
  rule: IdentityMatch | undefined,
  imageRef: DockerReference | undefined,
  signatureRef: string,
): boolean {
  const r = rule ?? DEFAULT_IDENTITY_MATCH;
  switch (r.type) {
    case "matchExact": {
      if (!imageRef) return false;
      const sig = parseSig(signatureRef);
      if (!sig || isNameOnly(imageRef) || isNameOnly(sig)) return false;
      return referenceString(sig) === referenceString(imageRef);
    }
    case "matchRepoDigestOrExact": {
      if (!imageRef) return false;
      const sig = parseSig(signatureRef);
      return sig !== undefined && repoDigestOrExact(imageRef, sig);
    }
    case "matchRepository": {
      if (!imageRef) return false;
      const sig = parseSig(signatureRef);
      return sig !== undefined && referenceName(sig) === referenceName(imageRef);
    }
    case "exactReference": {
      const intended = parseSig(r.dockerReference);
      const sig = parseSig(signatureRef);
      if (!intended || !sig || isNameOnly(intended) || isNameOnly(sig)) return false;
      return referenceString(sig) === referenceString(intended);
    }
    case "exactRepository": {
      const intended = parseSig(r.dockerRepository);
      const sig = parseSig(signatureRef);
      return intended !== undefined && sig !== undefined && referenceName(sig) === referenceName(intended);
    }
    case "remapIdentity": {
      if (!imageRef) return false;
      const sig = parseSig(signatureRef);
      if (!sig) return false;
      const remapped = remapReference(imageRef, r.prefix, r.signedPrefix);
      return remapped.ok && repoDigestOrExact(remapped.ref, sig);
    }
  }
}

/**
 * What a signature must claim, as data: an exact reference, a repository (any tag or digest; `nameOnlyOk`
 * when a bare name is also accepted), or nothing can match (with the reason).
 */
export type ExpectedIdentity =
  | { kind: "exact"; reference: string }
  | { kind: "repository"; repository: string; nameOnlyOk: boolean }
  | { kind: "none"; reason: string };

/** What a signature must claim to satisfy `rule` for this image (the model behind `explainIdentity`). */
export function expectedIdentity(rule: IdentityMatch | undefined, imageRef: DockerReference | undefined): ExpectedIdentity {
  const r = rule ?? DEFAULT_IDENTITY_MATCH;
  const noRef: ExpectedIdentity = {
    kind: "none",
    reason: `${r.type} compares with the image's Docker reference, and this image has none (upstream: "Docker reference match attempted on image … with no known Docker reference identity")`,
  };
  const repoDigestOrExactExpect = (ref: DockerReference): ExpectedIdentity => {
    if (ref.tag !== undefined) return { kind: "exact", reference: referenceString(ref) };
    if (ref.digest !== undefined) return { kind: "repository", repository: referenceName(ref), nameOnlyOk: false };
    return { kind: "none", reason: `the image reference ${referenceString(ref)} has neither a tag nor a digest` };
  };
  switch (r.type) {
    case "matchExact":
      if (!imageRef) return noRef;
      if (isNameOnly(imageRef))
        return { kind: "none", reason: `the image reference ${referenceString(imageRef)} has neither a tag nor a digest` };
      return { kind: "exact", reference: referenceString(imageRef) };
    case "matchRepoDigestOrExact":
      return imageRef ? repoDigestOrExactExpect(imageRef) : noRef;
    case "matchRepository":
      return imageRef ? { kind: "repository", repository: referenceName(imageRef), nameOnlyOk: true } : noRef;
    case "exactReference": {
      const p = parseNormalizedNamed(r.dockerReference);
      if (!p.ok) return { kind: "none", reason: `dockerReference "${r.dockerReference}" is not a valid reference: ${p.error}` };
      if (isNameOnly(p.ref))
        return { kind: "none", reason: `dockerReference "${r.dockerReference}" has neither a tag nor a digest` };
      return { kind: "exact", reference: referenceString(p.ref) };
    }
    case "exactRepository": {
      const p = parseNormalizedNamed(r.dockerRepository);
      if (!p.ok) return { kind: "none", reason: `dockerRepository "${r.dockerRepository}" is not a valid reference: ${p.error}` };
      return { kind: "repository", repository: referenceName(p.ref), nameOnlyOk: true };
    }
    case "remapIdentity": {
      if (!imageRef) return noRef;
      const m = remapReference(imageRef, r.prefix, r.signedPrefix);
      if (!m.ok) return { kind: "none", reason: m.error };
      return repoDigestOrExactExpect(m.ref);
    }
  }
}

function describeExpected(e: ExpectedIdentity): string {
  switch (e.kind) {
    case "exact":
      return `a signature must claim exactly ${e.reference}`;
    case "repository":
      return e.nameOnlyOk
        ? `a signature must claim the repository ${e.repository} (any tag or digest, or none)`
        : `a signature must claim the repository ${e.repository} with some tag or digest (a bare name is not accepted)`;
    case "none":
      return `no signature can satisfy it: ${e.reason}`;
  }
}

/**
 * A human explanation of what `rule` means for this image, e.g.
 * "matchRepoDigestOrExact (the default): a signature must claim exactly docker.io/library/busybox:latest".
 */
export function explainIdentity(rule: IdentityMatch | undefined, imageRef: DockerReference | undefined): string {
  const r = rule ?? DEFAULT_IDENTITY_MATCH;
  const head = rule === undefined ? `${r.type} (the default)` : r.type;
  let extra = "";
  if (r.type === "exactReference" || r.type === "exactRepository") extra = ", whatever image is pulled";
  if (r.type === "remapIdentity" && imageRef) {
    const m = remapReference(imageRef, r.prefix, r.signedPrefix);
    if (m.ok && m.remapped) extra = ` (the image ${referenceString(imageRef)} is remapped from "${r.prefix}" to "${r.signedPrefix}")`;
    else if (m.ok) extra = ` (the image is not under prefix "${r.prefix}", so it is compared unchanged)`;
  }
  return `${head}: ${describeExpected(expectedIdentity(rule, imageRef))}${extra}`;
}
