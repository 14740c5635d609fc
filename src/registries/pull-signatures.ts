/**
 * Signature storage per pull attempt: when a mirror serves the image, containers/image reads signatures
 * from the lookaside configured for the *mirror's* reference, under the mirror's repository path, and uses
 * sigstore attachments only if enabled for the mirror (`docker/docker_image_src.go` `newImageSourceAttempt`
 * builds the source from the physical, rewritten reference).
 */
import type { RegistriesDConfig } from "../ir/types.js";
import type { DockerReference } from "../reference/docker-reference.js";
import { signatureStorageFor, type LookasideEnv, type SignatureStorageResult } from "./lookaside.js";
import { pullSources, type PullSource } from "./resolve.js";
import type { RegistriesConf } from "./types.js";

/** One pull attempt with the signature storage that applies to it. */
export interface PullAttempt {
  source: PullSource;
  storage: SignatureStorageResult;
}

/** Every pull attempt for `ref`, in order, each with its own signature storage; or upstream's error. */
export function pullAttempts(
  conf: RegistriesConf,
  registriesD: RegistriesDConfig,
  ref: DockerReference,
  env: LookasideEnv = {},
): { ok: true; attempts: PullAttempt[] } | { ok: false; error: string } {
  const ps = pullSources(conf, ref);
  if (!ps.ok) return { ok: false, error: ps.error };
  return { ok: true, attempts: ps.sources.map((source) => ({ source, storage: signatureStorageFor(source.reference, registriesD, env) })) };
}
