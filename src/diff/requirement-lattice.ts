/**
 * How two requirement lists compare as sets of images they let through: the lattice `imagetrust diff` classifies
 * every region with. A list is an AND (containers/image `signature/policy_eval.go` `IsRunningImageAllowed` needs
 * every requirement to accept), so `A(list)` = ∩ A(requirement). We prove `A(old) ⊆ A(new)` ("new accepts at
 * least what old did") and `A(new) ⊆ A(old)` separately, each only when it is certain:
 *
 *   both → equal, only the first → looser, only the second → tighter, neither → changed.
 *
 * Soundness (what `--fail-on-loosen` relies on): `tighter` and `equal` are reported only when `A(new) ⊆ A(old)`
 * is proven, so anything new accepts that old rejected always shows as `looser` or `changed`. Where a proof is out
 * of reach (a key file whose contents changed, keyData vs keyPath of the same key) the answer is `changed`.
 */
import type { IdentityMatch, Requirement, SignedBy, SigstoreSigned } from "../ir/types.js";

/** How a region's new requirements compare with its old ones. */
export type RegionClass = "looser" | "tighter" | "changed" | "equal";

/** A requirement list reduced to what decides acceptance. */
type Normal = { kind: "never" } | { kind: "anything" } | { kind: "signed"; checks: (SignedBy | SigstoreSigned)[] };

/**
 * Normalise a list: `reject` and `signedBaseLayer` (upstream: "not implemented yet", always rejects) and an empty
 * list (upstream refuses it) accept nothing; a signedBy whose keyType is not GPGKeys is rejected at evaluation
 * (`prSignedBy.isSignatureAuthorAccepted`: "Unimplemented"); insecureAcceptAnything is the AND's unit.
 */
function normalise(list: readonly Requirement[]): Normal {
  if (list.length === 0) return { kind: "never" };
  const checks: (SignedBy | SigstoreSigned)[] = [];
  for (const r of list) {
    if (r.type === "reject" || r.type === "signedBaseLayer") return { kind: "never" };
    if (r.type === "signedBy") {
      if (r.keyType !== "GPGKeys") return { kind: "never" };
      checks.push(r);
    } else if (r.type === "sigstoreSigned") checks.push(r);
  }
  return checks.length === 0 ? { kind: "anything" } : { kind: "signed", checks };
}

const IDENTITY_CHAIN = ["matchExact", "matchRepoDigestOrExact", "matchRepository"];

/** Canonical JSON without source positions. */
function key(v: unknown): string {
  return JSON.stringify(v, (k, x: unknown) => (k === "origin" || k === "keyOrigin" ? undefined : x));
}

/**
 * Whether every signature identity `a` accepts, `b` accepts too (`policy_reference_match.go`):
 * matchExact ⊑ matchRepoDigestOrExact ⊑ matchRepository (each ignores more of the image's tag/digest); otherwise
 * only the same rule. A remapIdentity differs from all others: it accepts signatures for the rewritten name and
 * no longer those for the image's own name, so it is neither wider nor narrower.
 */
export function identityAtMostAsWide(a: IdentityMatch | undefined, b: IdentityMatch | undefined): boolean {
  const x = a ?? { type: "matchRepoDigestOrExact" };
  const y = b ?? { type: "matchRepoDigestOrExact" };
  const i = IDENTITY_CHAIN.indexOf(x.type);
  const j = IDENTITY_CHAIN.indexOf(y.type);
  if (i >= 0 && j >= 0) return i <= j;
  return key(x) === key(y);
}

/** The trust roots a check accepts a signature from (any one of them suffices). */
function roots(c: SignedBy | SigstoreSigned): Set<string> {
  const s = new Set<string>();
  if (c.keyPath !== undefined) s.add("path:" + c.keyPath);
  for (const p of c.keyPaths ?? []) s.add("path:" + p);
  if (c.keyData !== undefined) s.add("data:" + c.keyData);
  if (c.type === "sigstoreSigned") {
    for (const d of c.keyDatas ?? []) s.add("data:" + d);
    if (c.fulcio) s.add("fulcio:" + key(c.fulcio));
    if (c.pki) s.add("pki:" + key(c.pki));
  }
  return s;
}

/** The Rekor keys a sigstore check requires a log entry from (none: no Rekor requirement). */
function rekor(c: SigstoreSigned): Set<string> {
  const s = new Set<string>();
  if (c.rekorPublicKeyPath !== undefined) s.add("path:" + c.rekorPublicKeyPath);
  for (const p of c.rekorPublicKeyPaths ?? []) s.add("path:" + p);
  if (c.rekorPublicKeyData !== undefined) s.add("data:" + c.rekorPublicKeyData);
  for (const d of c.rekorPublicKeyDatas ?? []) s.add("data:" + d);
  return s;
}

const subset = (a: Set<string>, b: Set<string>) => [...a].every((x) => b.has(x));

/** Whether every image check `a` accepts, check `b` accepts too (same kind, fewer roots, narrower identity, stricter Rekor). */
export function checkAtMostAsLoose(a: SignedBy | SigstoreSigned, b: SignedBy | SigstoreSigned): boolean {
  if (a.type !== b.type) return false;
  if (a.type === "signedBy" && b.type === "signedBy" && a.keyType !== b.keyType) return false;
  if (!subset(roots(a), roots(b))) return false;
  if (a.type === "sigstoreSigned" && b.type === "sigstoreSigned") {
    const ra = rekor(a);
    const rb = rekor(b);
    // b requiring a Rekor entry accepts less unless a required one from a subset of b's keys.
    if (rb.size > 0 && (ra.size === 0 || !subset(ra, rb))) return false;
  }
  return identityAtMostAsWide(a.signedIdentity, b.signedIdentity);
}

/** Whether `A(a) ⊆ A(b)` is proven for two requirement lists. */
export function acceptsAtMost(a: readonly Requirement[], b: readonly Requirement[]): boolean {
  const x = normalise(a);
  const y = normalise(b);
  if (x.kind === "never" || y.kind === "anything") return true;
  if (y.kind === "never" || x.kind === "anything") return false;
  // ∩A(x_i) ⊆ A(y_j) for every j when some x_i ⊑ y_j.
  return y.checks.every((n) => x.checks.some((o) => checkAtMostAsLoose(o, n)));
}

/** Classify going from `before` to `after`. */
export function compareRequirements(before: readonly Requirement[], after: readonly Requirement[]): RegionClass {
  const up = acceptsAtMost(before, after);
  const down = acceptsAtMost(after, before);
  if (up && down) return "equal";
  if (up) return "looser";
  if (down) return "tighter";
  return "changed";
}

/** Whether a classification fails `--fail-on-loosen` (`changed` does: the new trust is trusted where it was not). */
export function failsOnLoosen(c: RegionClass): boolean {
  return c === "looser" || c === "changed";
}
