/**
 * The simulation's options and report types (the JSON output of `imagetrust simulate --format json`; field names
 * are stable). In their own file so that simulate.ts, registries-conf.ts and signature-lookup.ts can share them
 * without importing one another in a circle.
 */
import type { Host } from "../host/host.js";
import type { Policy, RegistriesDConfig } from "../ir/types.js";
import type { Version } from "../ir/versions.js";
import type { parseImageReference } from "../reference/image-reference.js";
import type { RegistriesConf, ShortNameMode } from "../registries/types.js";
import type { SignatureEvidence } from "./evaluate.js";
import type { RequirementReport, SignatureLookup } from "./requirement-report.js";
import type { DecidingScope, PolicyIndex } from "./scope-lookup.js";

/** Who the runtime runs as: decides the built-in lookaside default (spec §5.3). */
export interface SimulationEnv {
  /** Effective uid (0 = root: file:///var/lib/containers/sigstore). Default: the host's, else 0. */
  euid?: number;
  /** $HOME, for the non-root default file://$HOME/.local/share/containers/sigstore. Default: the host's. */
  home?: string;
  /** The containers/image version to mimic for lookaside URLs (default: `parse.target`, else the newest). */
  target?: Version;
}

/** Everything a simulation needs besides the references. */
export interface SimulationOptions {
  policy: Policy;
  registriesD?: RegistriesDConfig;
  registriesConf?: RegistriesConf;
  /** The manifest the image would have: gives the digest for lookaside URLs and attachment tags. */
  manifest?: Uint8Array;
  env?: SimulationEnv;
  /**
   * Where `env`'s euid and home come from when it does not give them (without a host: root), and the files path
   * transports resolve against when `parse` names no host.
   */
  host?: Pick<Host, "euid" | "home"> & Partial<Pick<Host, "files" | "cwd">>;
  /** Signature evidence at hand synchronously; default: no signatures (see simulate-evidence.ts for verification). */
  evidence?: SignatureEvidence;
  /** Options for parsing path and storage references (see reference/image-reference.ts). */
  parse?: Parameters<typeof parseImageReference>[1];
  /**
   * Whether a reference without a known `transport:` prefix is taken as an image name the way `podman pull`
   * takes it (default true), or rejected as skopeo / alltransports.ParseImageName would (false).
   */
  bareNames?: boolean;
  /** Overrides registries.conf's short-name-mode (as podman's SystemContext.ShortNameMode does). */
  shortNameMode?: ShortNameMode;
}

/** How a short name resolved (`resolution` in the JSON output). */
export interface ResolutionReport {
  /** The short-name mode in effect: disabled, permissive or enforcing. */
  mode: ShortNameMode;
  /** The alias that applied (its name), or null. */
  aliasUsed: string | null;
  /** Fully qualified references, in the order the runtime tries them. */
  candidates: string[];
  /** The resolution error (e.g. enforcing mode without a TTY), or null. */
  error: string | null;
  /** Upstream's description of the resolution ("Resolved \"x\" as an alias (file)"), when there is one. */
  description?: string;
}

/** One place the runtime pulls from (`pullSources[]` in the JSON output). */
export interface PullSourceReport {
  location: string;
  /** The rewritten reference pulled from this source. */
  reference: string;
  mirror: boolean;
  insecure: boolean;
  blocked: boolean;
  /** The runtime's error for a blocked source. */
  blockedError?: string;
  /** Where signatures are read when this source serves the image (the source's own reference). */
  signatureLookup: SignatureLookup;
}

/** The simulation of one requested reference (`imagetrust simulate --format json`, one array element). */
export interface SimulationResult {
  /** The reference as given. */
  ref: string;
  /** A parse / resolution failure: then nothing was evaluated and the verdict is "deny". */
  error: string | null;
  transport: string | null;
  /** `PolicyConfigurationIdentity()`. */
  identity: string | null;
  /** The namespaces tried after the identity, in order (all of them when nothing more specific matched). */
  namespacesTried: string[];
  /** The deciding entry; `scope: ""` for a transport default; null when the global default decided. */
  scope: DecidingScope | null;
  verdict: "allow" | "deny";
  /** The runtime's error for a denial (`Source image rejected: <this>` in skopeo), null when allowed. */
  upstreamError: string | null;
  requirements: RequirementReport[];
  /** Why: the decisive facts, in words. */
  reasons: string[];
  signatureLookup: SignatureLookup;
  /** The lookup trail: each step requirementsForImageRef took. */
  trail: string[];
  warnings: string[];
  /** Upstream `transports.ImageName`, e.g. "docker://busybox:latest". */
  imageName?: string;
  /** The Docker reference the image is known by, if any (normalized). */
  dockerReference?: string | null;
  /** For a bare short name: how it resolved. */
  resolution?: ResolutionReport;
  /** For a short name: the simulation of each candidate, in the order the runtime tries them. */
  candidates?: SimulationResult[];
  /** For a docker reference under registries.conf: where the runtime pulls from, in order. */
  pullSources?: PullSourceReport[];
}

/** A bare decision: what `IsRunningImageAllowed` returns, plus the deciding scope. */
export interface Decision {
  allowed: boolean;
  /** The runtime's error for a denial, or the parse error. */
  error: string | null;
  /** True when the reference did not parse (then nothing was evaluated). */
  parseError: boolean;
  scope: DecidingScope | null;
}

/** Prepared state shared by many simulations (the policy index, the manifest digest). */
export interface Simulator {
  readonly options: SimulationOptions;
  readonly index: PolicyIndex;
  readonly manifestDigest?: string;
  /** Simulate one reference string. */
  simulate(input: string): SimulationResult;
  /**
   * The decision alone (no explanation, no registries): parse a `transport:ref` string, look up the
   * requirements through the index and evaluate them. The fast path for bulk runs and benchmarks: `docker:` and
   * `docker-daemon:` references without evidence are decided from their text in one scan (fast-decide.ts). Decisions may be
   * shared between references (frozen objects): treat them as read-only.
   */
  decide(input: string): Decision;
}
