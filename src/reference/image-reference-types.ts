/** Types shared by the per-transport reference parsers (see image-reference.ts). */
import type { Version } from "../ir/versions.js";
import type { Host } from "../host/host.js";
import type { DockerReference } from "./docker-reference.js";

/**
 * An image reference as a transport sees it: the pieces policy evaluation needs
 * (upstream `types.ImageReference`: PolicyConfigurationIdentity, PolicyConfigurationNamespaces,
 * DockerReference, StringWithinTransport, and `transports.ImageName`).
 */
export interface ImageReference {
  /** Transport name, e.g. `docker`. */
  transport: string;
  /** PolicyConfigurationIdentity(): the most specific policy scope; `""` when the transport has none. */
  identity: string;
  /** PolicyConfigurationNamespaces(): less specific scopes, most specific first (`""` is implicit, not listed). */
  namespaces: string[];
  /** DockerReference(): the docker reference signatures are matched against, if the transport has one. */
  dockerReference?: DockerReference;
  /** `transports.ImageName`: transport + `:` + withinTransport, e.g. `docker://busybox:latest` (the `<ImageName>` of messages). */
  imageName: string;
  /** StringWithinTransport(). */
  withinTransport: string;
  /** The digest the user asked for, when the reference names one (a digest in the docker reference). */
  digest?: string;
  /** docker `name@@unknown-digest@@` destinations (v5.30+): the docker reference is name-only. */
  unknownDigest?: true;
}

/** Result of parsing an image reference: the reference, or upstream's error text. */
export type ImageReferenceResult = { ok: true; ref: ImageReference } | { ok: false; error: string };

/** The containers-storage store a reference is resolved against (what upstream reads from the opened store). */
export interface StorageDefaults {
  driver: string;
  graphRoot: string;
  /** Default `/run/containers/storage`. Only appears in withinTransport / imageName. */
  runRoot?: string;
  /** Graph driver options; only appear in withinTransport / imageName. */
  options?: string[];
}

/** Options of parseImageReference. */
export interface ParseImageReferenceOptions {
  /**
   * Turns a user path into the absolute, symlink-free form used as the policy identity of dir/oci/oci-archive/sif.
   * May throw an Error, whose message becomes the parse error. Default: resolvePathLeniently (or the strict
   * upstream rule when `strictPaths` is set).
   */
  resolvePath?: (p: string) => string;
  /** Working directory for relative paths (default: the host's, else "/"). */
  cwd?: string;
  /**
   * The machine whose files path transports resolve against (symlinks, tarball files). Without one, paths
   * resolve lexically and tarball files are taken to open.
   */
  host?: Pick<Host, "files" | "cwd">;
  /** Use upstream's exact path rule (all but the last component must exist) instead of the lenient default. */
  strictPaths?: boolean;
  /** The store used when a containers-storage reference does not name one. Default overlay at /var/lib/containers/storage. */
  storage?: StorageDefaults;
  /**
   * tarball: returns the error text of opening a file (`open x: no such file or directory`), or undefined if it opens.
   * Default: tries the real filesystem. Pass `() => undefined` to skip the check.
   */
  openFile?: (p: string) => string | undefined;
  /** Target containers/image version (undefined = newest); selects version-dependent syntax and messages. */
  target?: Version;
  /** Debian 12's build: the `atomic` transport is not registered. */
  debian?: boolean;
}

/** A per-transport parser of the text after `transport:`. */
export type TransportParser = (withinTransport: string, options: ParseImageReferenceOptions) => ImageReferenceResult;
