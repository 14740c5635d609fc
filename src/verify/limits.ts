/**
 * Registries and lookaside servers are untrusted: every read from them is bounded (issue 17). Body sizes follow
 * containers/image's `internal/iolimits` (5.23.1); counts and the total deadline per reference are imagetrust's own
 * (upstream reads as many instances and attachment layers as a registry lists, within its context's deadline).
 * Limits live here and in the client layer (registry-client.ts, http-request.ts, sources.ts), so every lookup
 * made through them is bounded the same way.
 */

const MiB = 1024 * 1024;

/** `iolimits.MaxManifestBodySize`: 4 MiB (a manifest, a manifest list, an attachment manifest). */
export const MAX_MANIFEST_BODY_SIZE = 4 * MiB;
/** `iolimits.MaxSignatureBodySize`: 4 MiB (one lookaside signature, one sigstore attachment layer). */
export const MAX_SIGNATURE_BODY_SIZE = 4 * MiB;
/** `iolimits.MaxAuthTokenBodySize`: 1 MiB (a bearer-token response). */
export const MAX_AUTH_TOKEN_BODY_SIZE = MiB;
/** `iolimits.MaxErrorBodySize`: 1 MiB (an error response's body). */
export const MAX_ERROR_BODY_SIZE = MiB;

/** Manifest-list / OCI-index instances read and decided (imagetrust's bound; `--platform` reads one). */
export const MAX_LIST_INSTANCES = 128;
/** Sigstore attachment layers read per manifest (imagetrust's bound; upstream's lookaside bound is also 128). */
export const MAX_ATTACHMENT_LAYERS = 128;
/** Total bytes of the sigstore attachment layers of one manifest (imagetrust's bound). */
export const MAX_ATTACHMENT_TOTAL_BYTES = 32 * MiB;
/** Per HTTP request (redirects included), as before. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Total time for all registry and lookaside reads of one reference (`--timeout`). */
export const DEFAULT_TOTAL_TIMEOUT_MS = 30_000;

/** Catalogue codes of the network limits (src/diagnostics/catalogue/limits-network.ts). */
export const NETWORK_CODES = {
  deadline: "IT5700",
  listInstances: "IT5701",
  attachmentLayers: "IT5702",
  attachmentBytes: "IT5703",
  invalidDigest: "IT5704",
} as const;

/** A limit or a check on untrusted content that stopped a read; the message names its code (`imagetrust explain`). */
export class NetworkLimitError extends Error {
  constructor(
    readonly code: string,
    text: string,
  ) {
    super(`${text} [${code}]`);
    this.name = "NetworkLimitError";
  }
}

/** Seconds as Go prints a duration (`30s`, `1m0s`, `500ms`). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  const rest = s - m * 60;
  if (m < 60) return `${m}m${rest}s`;
  return `${Math.floor(m / 60)}h${m % 60}m${rest}s`;
}

/**
 * The total deadline of one reference's reads: starts at the first request made under it, shared by the registry
 * client and the lookaside reader.
 */
export class Deadline {
  private startedAt: number | undefined;
  constructor(
    readonly totalMs: number,
    private readonly clock: () => number = () => Date.now(),
  ) {}
  /** Milliseconds left (starting the clock on first use). */
  remaining(): number {
    const now = this.clock();
    this.startedAt ??= now;
    return this.startedAt + this.totalMs - now;
  }
  /** The error for a read cut by this deadline (`what`: the request, already named). */
  error(what: string): NetworkLimitError {
    return new NetworkLimitError(
      NETWORK_CODES.deadline,
      `${what}: the total deadline of ${formatDuration(this.totalMs)} for reading this image from its registry and lookaside was reached (--timeout)`,
    );
  }
}

/** Go's `time.ParseDuration` for non-negative durations (`90s`, `1m30s`, `1.5m`, `500ms`); undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  if (text === "0") return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let i = 0;
  if (text.length === 0) return undefined;
  while (i < text.length) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * units[m[2]];
    i = re.lastIndex;
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}
