/**
 * How much imagetrust reads of each kind of local input (issue 17: every read bounded). The host's readFile refuses
 * anything but a regular file and stops at the cap, so `/dev/zero` as a signature, a FIFO as an auth file or a
 * sparse 1 TB "policy" ends with a coded diagnostic instead of filling memory or hanging.
 *
 * Where containers/image bounds the same content (internal/iolimits, for what it reads from registries) the cap is
 * upstream's; for what it reads from disk without a cap (policy.json, registries.d, dir: images, auth files) the cap
 * is far above any real file. `IMAGETRUST_MAX_READ_BYTES` (a number of bytes) replaces every cap below, for the
 * rare site that needs more. (Signature files keep upstream's fixed iolimits.MaxSignatureBodySize, 4 MiB:
 * src/verify/sources.ts.)
 */
import { DEFAULT_READ_LIMIT, type Host } from "./host.js";

const MiB = 1024 * 1024;

/** The kinds of local input, each with its own cap. */
export const READ_LIMITS = {
  /** policy.json, registries.d and registries.conf files, .trust sources, test YAML and the policies it names, files in a compile output. */
  source: DEFAULT_READ_LIMIT,
  /** A `dir:` image's manifest.json, `--manifest` (iolimits.MaxManifestBodySize). */
  manifest: 4 * MiB,
  /** GPG keyrings, sigstore/Rekor public keys, Fulcio and PKI certificates (read directly or from `--keys DIR`). */
  key: 16 * MiB,
  /** `--authfile` / auth.json. */
  authfile: 16 * MiB,
  /** `.imagetrust.yaml` (found by walking up from the working directory) or `--config FILE`. */
  config: 16 * MiB,
} as const;

/** One kind of local input. */
export type ReadKind = keyof typeof READ_LIMITS;

/** The environment variable that replaces every cap (bytes). */
export const READ_LIMIT_ENV = "IMAGETRUST_MAX_READ_BYTES";

/** The cap for `kind` on `host`: {@link READ_LIMIT_ENV} when it is a positive integer, else {@link READ_LIMITS}. */
export function readLimit(host: Pick<Host, "env">, kind: ReadKind): number {
  const raw = host.env[READ_LIMIT_ENV];
  if (raw !== undefined && /^[1-9][0-9]{0,15}$/.test(raw.trim())) return Number(raw.trim());
  return READ_LIMITS[kind];
}

/** `host.files.readFile` with the cap of `kind`. */
export function readBounded(host: Pick<Host, "env" | "files">, path: string, kind: ReadKind): Uint8Array {
  return host.files.readFile(path, { maxBytes: readLimit(host, kind) });
}
