/**
 * What signature checks read of the image: its Docker reference (for signedIdentity) and its manifest,
 * read through upstream's expected-digest check (`internal/image/unparsed.go` `UnparsedImage.Manifest`).
 */
import type { DockerReference } from "../reference/docker-reference.js";
import { hasFeature, type Version } from "../ir/versions.js";
import { goQuote } from "../util/go-quote.js";
import { matchesDigest } from "./manifest-digest.js";

/** The image as the signature checks see it. */
export interface ImageUnderTest {
  /** `ImageReference.DockerReference()`, undefined for dir:, oci:, … */
  dockerReference?: DockerReference;
  /** The manifest bytes, or the error reading them gave (e.g. `open …/manifest.json: no such file or directory`). */
  manifest: { ok: true; bytes: Uint8Array } | { ok: false; error: string };
  /** The digest the manifest must have (a digest reference, or a list instance), if any. */
  expectedDigest?: string;
  /** The containers/image version whose messages to use (undefined = newest). */
  target?: Version;
}

/** `UnparsedImage.Manifest`: the bytes, or the error upstream's callers see. */
export function readManifest(image: ImageUnderTest): { ok: true; bytes: Uint8Array } | { ok: false; error: string } {
  if (!image.manifest.ok) return image.manifest;
  if (image.expectedDigest !== undefined) {
    const m = matchesDigest(image.manifest.bytes, image.expectedDigest);
    if (!m.ok) return { ok: false, error: `computing manifest digest: ${m.error}` };
    if (!m.matches) return { ok: false, error: `Manifest does not match provided manifest digest ${image.expectedDigest}` };
  }
  return image.manifest;
}

/** The digest check of a signature (`validateSignedDockerManifestDigest`): undefined when it matches. */
export function checkSignedDigest(image: ImageUnderTest, digest: string): string | undefined {
  const m = readManifest(image);
  if (!m.ok) return m.error;
  const r = matchesDigest(m.bytes, digest);
  if (!r.ok) return r.error;
  if (!r.matches) return `Signature for digest ${digest} does not match`;
  return undefined;
}

/** `Signature for identity … is not accepted`, quoted with %q from 5.31 on. */
export function identityRejection(ref: string, target: Version | undefined): string {
  return `Signature for identity ${hasFeature(target, "goQuotedErrors") ? goQuote(ref) : ref} is not accepted`;
}
