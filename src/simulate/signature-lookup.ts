/**
 * Where the runtime reads the signatures of a docker reference: the registries.d lookaside (its base and the URL
 * of the first signature) and whether sigstore attachments are fetched, with which configuration said so
 * (`docker/registries_d.go` `SignatureStorageBaseURL`, `lookasideStorageURL`; `docker/docker_image_src.go`
 * `appendSigstoreInternalSignatures` for the attachment tag), through src/registries/lookaside.ts.
 */
import type { RegistriesDConfig } from "../ir/types.js";
import { referenceName, referenceString, type DockerReference } from "../reference/docker-reference.js";
import { redactUrl, redactUrlsIn } from "../registries/redact-url.js";
import { type LookasideSource, lookasideSignatureUrl, sigstoreAttachmentTag, signatureStorageFor } from "../registries/lookaside.js";
import type { SignatureLookup, SignatureLookupDetails } from "./requirement-report.js";
import type { SimulationEnv, Simulator } from "./types.js";

/** The lookup of a transport without a lookaside (every transport but docker). */
export const NO_LOOKUP: SignatureLookup = { lookasideBase: null, lookasideSignature1: null, sigstoreAttachments: false };

/** Where the runtime reads signatures of a docker reference (lookaside and attachments). */
export function dockerSignatureLookup(
  registriesD: RegistriesDConfig | undefined,
  env: SimulationEnv | undefined,
  ref: DockerReference,
  digest: string | undefined,
): SignatureLookupDetails {
  const storage = signatureStorageFor(ref, registriesD ?? { docker: [] }, env ?? {});
  const base = storage.lookasideBase;
  let first: string | null = null;
  if (base !== null && digest !== undefined) {
    const u = lookasideSignatureUrl(storage.lookasideTopLevel, ref, digest, 0, env ?? {});
    if (u.ok) first = redactUrl(u.url);
  }
  // Credentials never printed: these are for reports and explanations (Go's url.Redacted()).
  const out: SignatureLookupDetails = {
    lookasideBase: base === null ? null : redactUrl(base),
    lookasideSignature1: first,
    sigstoreAttachments: storage.useSigstoreAttachments,
    repository: referenceName(ref),
    lookasideFrom: sourceText(storage.matched.read),
  };
  if (storage.matched.attachments.kind !== "built-in") out.attachmentsFrom = sourceText(storage.matched.attachments);
  if (digest !== undefined) out.attachmentTag = sigstoreAttachmentTag(digest);
  if (storage.error !== undefined) out.error = redactUrlsIn(storage.error);
  return out;
}

// Bounded low: a fleet run streams millions of references, and each entry holds a trail (peak RSS, issue 15).
const LOOKUP_CACHE_LIMIT = 4096;
const lookupCaches = new WeakMap<Simulator, Map<string, SignatureLookupDetails>>();

/**
 * `dockerSignatureLookup` memoised per simulator (registries.d and the runtime user are fixed for a run, so
 * the answer depends only on the reference and digest). Callers must not mutate the result.
 */
export function signatureLookupFor(sim: Simulator, ref: DockerReference, digest: string | undefined): SignatureLookupDetails {
  let cache = lookupCaches.get(sim);
  if (!cache) lookupCaches.set(sim, (cache = new Map()));
  const key = digest === undefined ? referenceString(ref) : referenceString(ref) + "\0" + digest;
  let v = cache.get(key);
  if (v === undefined) {
    v = dockerSignatureLookup(sim.options.registriesD, sim.options.env, ref, digest);
    if (cache.size >= LOOKUP_CACHE_LIMIT) cache.clear();
    cache.set(key, v);
  }
  return v;
}

function sourceText(s: LookasideSource): string {
  if (s.kind === "built-in") return "built-in";
  if (s.kind === "default-docker") return `default-docker in ${s.file}`;
  return `docker scope "${s.scope}" in ${s.file}`;
}
