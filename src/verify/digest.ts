/**
 * Digests from a registry are untrusted: validated as go-digest's `Digest.Validate` does (reference/docker-reference.ts
 * `validateDigest`, the one copy of that rule) before any use, and content fetched by digest must hash to it
 * (containers/image `manifest.MatchesDigest`, `UnparsedImage.Manifest`).
 */
import { createHash } from "node:crypto";

export { validateDigest } from "../reference/docker-reference.js";

/** The digest of `bytes` with the algorithm of `like` (a valid digest: sha256, sha384 or sha512). */
export function digestWithAlgorithmOf(like: string, bytes: Uint8Array): string {
  const algo = like.slice(0, like.indexOf(":"));
  return `${algo}:${createHash(algo).update(bytes).digest("hex")}`;
}
