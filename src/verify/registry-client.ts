/**
 * A bounded client for the OCI distribution API, enough to verify what a pull would see (`--online`):
 * manifests by tag or digest (digest computed from the bytes; a digest reference must match), manifest lists and
 * OCI indexes (instances, `--platform os/arch[/variant]`), sigstore attachments (`<algo>-<hex>.sig` tags, one
 * signature per layer: `docker/docker_image_src.go` `appendSigstoreInternalSignatures`), bearer-token and basic
 * auth with credentials from containers auth.json (`pkg/docker/config`), TLS verification on by default.
 */
import { createHash } from "node:crypto";
import type { Host } from "../host/host.js";
import { join } from "../host/path.js";
import type { DockerReference } from "../reference/docker-reference.js";
import { digestWithAlgorithmOf, validateDigest } from "./digest.js";
import { httpRequest, type HttpResponse } from "./http-request.js";
import {
  MAX_ATTACHMENT_LAYERS,
  MAX_ATTACHMENT_TOTAL_BYTES,
  MAX_AUTH_TOKEN_BODY_SIZE,
  MAX_LIST_INSTANCES,
  MAX_MANIFEST_BODY_SIZE,
  MAX_SIGNATURE_BODY_SIZE,
  NETWORK_CODES,
  NetworkLimitError,
  type Deadline,
} from "./limits.js";
import type { SigstoreSignature } from "./stored-signature.js";
import { readBounded } from "../host/read-limits.js";

/** The manifest media types a pull accepts (upstream `manifest.DefaultRequestedManifestMIMETypes`). */
export const MANIFEST_ACCEPT = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.v1+prettyjws",
  "application/vnd.docker.distribution.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.index.v1+json",
].join(", ");

/** Options of the registry client. */
export interface RegistryClientOptions {
  /** The machine: auth.json files, $HOME and the environment, HTTP. */
  host: Pick<Host, "files" | "env" | "home" | "http">;
  /** Verify TLS certificates (default true); false also allows plain http after https fails, as upstream's insecure registries. */
  tlsVerify?: boolean;
  /** Path of a containers auth.json (default: $REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json, ~/.config/containers/auth.json, ~/.docker/config.json). */
  authFile?: string;
  /** Per request (default 30 s). */
  timeoutMs?: number;
  /** The total deadline of the reference being read, shared by every request (`--timeout`). */
  deadline?: Deadline;
  /** Manifest size limit (default 4 MiB, upstream `iolimits.MaxManifestBodySize`). */
  maxManifestBytes?: number;
  /** Signature blob size limit (default 4 MiB). */
  maxSignatureBytes?: number;
  /** $HOME and environment for finding auth.json (default: the host's). */
  home?: string;
  env?: Record<string, string | undefined>;
}

/** A fetched manifest. */
export interface FetchedManifest {
  bytes: Uint8Array;
  mediaType: string;
  digest: string;
}

/** Bytes as UTF-8 text (invalid sequences replaced, as Buffer's toString did). */
function utf8(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** `host` as the registry API is reached (docker.io → registry-1.docker.io). */
export function registryHost(domain: string): string {
  return domain === "docker.io" ? "registry-1.docker.io" : domain;
}

/** Credentials for a registry from auth.json files (first file that has an entry wins; most specific key first). */
export function credentialsFor(ref: DockerReference, options: RegistryClientOptions): { username: string; password: string } | undefined {
  const env = options.env ?? options.host.env;
  const home = options.home ?? options.host.home();
  const files = options.authFile
    ? [options.authFile]
    : [
        env.REGISTRY_AUTH_FILE,
        env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, "containers", "auth.json") : undefined,
        join(home, ".config", "containers", "auth.json"),
        join(home, ".docker", "config.json"),
      ].filter((f): f is string => !!f);
  const keys: string[] = [];
  const parts = `${ref.domain}/${ref.path}`.split("/");
  for (let i = parts.length; i >= 1; i--) keys.push(parts.slice(0, i).join("/"));
  if (ref.domain === "docker.io") keys.push("https://index.docker.io/v1/", "index.docker.io");
  for (const f of files) {
    let auths: Record<string, { auth?: string }>;
    try {
      auths = (JSON.parse(utf8(readBounded(options.host, f, "authfile"))) as { auths?: Record<string, { auth?: string }> }).auths ?? {};
    } catch {
      continue;
    }
    for (const k of keys) {
      const e = auths[k] ?? auths[`https://${k}`] ?? auths[`http://${k}`];
      if (e?.auth) {
        const decoded = Buffer.from(e.auth, "base64").toString("utf8");
        const i = decoded.indexOf(":");
        if (i > 0) return { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
      }
    }
  }
  return undefined;
}

/** Parse `WWW-Authenticate: Bearer realm="…",service="…",scope="…"`. */
export function parseChallenge(header: string | undefined): { scheme: string; params: Record<string, string> } | undefined {
  if (!header) return undefined;
  const m = /^(\w+)\s*(.*)$/.exec(header.trim());
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of m[2].matchAll(/(\w+)="([^"]*)"/g)) params[p[1].toLowerCase()] = p[2];
  return { scheme: m[1].toLowerCase(), params };
}

/** A session with one registry repository. */
export class RegistryClient {
  private token: string | undefined;
  private scheme: "https" | "http" = "https";
  constructor(
    readonly ref: DockerReference,
    readonly options: RegistryClientOptions,
  ) {}

  private base(): string {
    return `${this.scheme}://${registryHost(this.ref.domain)}/v2/${this.ref.path}`;
  }

  private async get(url: string, accept: string | undefined, maxBytes: number): Promise<HttpResponse> {
    const headers: Record<string, string> = {};
    if (accept) headers.Accept = accept;
    const creds = credentialsFor(this.ref, this.options);
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    else if (creds && this.basic) headers.Authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString("base64")}`;
    const req = { headers, timeoutMs: this.options.timeoutMs, maxBodyBytes: maxBytes, tlsVerify: this.options.tlsVerify, deadline: this.options.deadline };
    let res: HttpResponse;
    try {
      res = await httpRequest(this.options.host.http, url, req);
    } catch (e) {
      // Insecure registries: retry over plain http, as upstream does for --tls-verify=false.
      if (this.options.tlsVerify === false && this.scheme === "https" && !(e instanceof NetworkLimitError)) {
        this.scheme = "http";
        return this.get(url.replace(/^https:/, "http:"), accept, maxBytes);
      }
      throw e;
    }
    if (res.status === 401 && !headers.Authorization) {
      const ch = parseChallenge(res.headers["www-authenticate"] as string | undefined);
      if (ch?.scheme === "bearer" && ch.params.realm) {
        await this.fetchToken(ch.params);
        return this.get(url, accept, maxBytes);
      }
      if (ch?.scheme === "basic" && creds) {
        this.basic = true;
        return this.get(url, accept, maxBytes);
      }
    }
    return res;
  }
  private basic = false;

  private async fetchToken(params: Record<string, string>): Promise<void> {
    const u = new URL(params.realm);
    if (params.service) u.searchParams.set("service", params.service);
    u.searchParams.set("scope", params.scope ?? `repository:${this.ref.path}:pull`);
    const headers: Record<string, string> = {};
    const creds = credentialsFor(this.ref, this.options);
    if (creds) headers.Authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString("base64")}`;
    const res = await httpRequest(this.options.host.http, u.toString(), {
      headers,
      timeoutMs: this.options.timeoutMs,
      maxBodyBytes: MAX_AUTH_TOKEN_BODY_SIZE,
      tlsVerify: this.options.tlsVerify,
      deadline: this.options.deadline,
    });
    if (res.status !== 200) throw new Error(`authenticating with ${u.origin}: status ${res.status}`);
    let tok: { token?: string; access_token?: string };
    try {
      tok = JSON.parse(utf8(res.body));
    } catch {
      throw new Error(`authenticating with ${u.origin}: the token response is not JSON`);
    }
    const t = tok.token ?? tok.access_token;
    if (!t) throw new Error(`authenticating with ${u.origin}: no token in the response`);
    this.token = t;
  }

  /**
   * GET a manifest by tag or digest; undefined on 404 when `allowMissing`. A digest (anything with ':' — a tag
   * cannot have one) must be valid (go-digest `Validate`) and the manifest must match it (`UnparsedImage.Manifest`).
   */
  async manifest(tagOrDigest: string, allowMissing = false): Promise<FetchedManifest | undefined> {
    if (tagOrDigest.includes(":")) assertValidDigest(tagOrDigest, "manifest digest");
    const res = await this.get(`${this.base()}/manifests/${tagOrDigest}`, MANIFEST_ACCEPT, this.options.maxManifestBytes ?? MAX_MANIFEST_BODY_SIZE);
    if (res.status === 404 && allowMissing) return undefined;
    if (res.status !== 200) throw new Error(`reading manifest ${tagOrDigest} in ${this.ref.domain}/${this.ref.path}: ${registryErrorText(res)}`);
    const ct = String(res.headers["content-type"] ?? "").split(";")[0].trim();
    let mediaType = ct;
    try {
      const j = JSON.parse(utf8(res.body)) as { mediaType?: string };
      if (j.mediaType) mediaType = j.mediaType;
    } catch {
      throw new Error(`reading manifest ${tagOrDigest}: the registry returned something that is not JSON (Content-Type ${JSON.stringify(ct)})`);
    }
    const digest = "sha256:" + createHash("sha256").update(res.body).digest("hex");
    // Upstream MatchesDigest (5.23.1) compares with the sha256 digest: another algorithm never matches.
    if (tagOrDigest.includes(":") && digest !== tagOrDigest) throw new Error(`Manifest does not match provided manifest digest ${tagOrDigest}`);
    return { bytes: res.body, mediaType, digest };
  }

  /** GET a blob, checked against its digest. */
  async blob(digest: string, maxBytes: number): Promise<Uint8Array> {
    assertValidDigest(digest, "blob digest");
    const res = await this.get(`${this.base()}/blobs/${digest}`, undefined, maxBytes);
    if (res.status !== 200) throw new Error(`reading blob ${digest}: ${registryErrorText(res)}`);
    const got = digestWithAlgorithmOf(digest, res.body);
    if (got !== digest) throw new Error(`blob ${digest} does not match its digest (got ${got})`);
    return res.body;
  }

  /**
   * Sigstore attachments of a manifest digest (upstream `appendSigstoreInternalSignatures`): the `<algo>-<hex>.sig`
   * manifest (absent = none) must be an OCI image manifest; each layer is one signature. Bounded: at most
   * {@link MAX_ATTACHMENT_LAYERS} layers, each at most `iolimits.MaxSignatureBodySize`, together at most
   * {@link MAX_ATTACHMENT_TOTAL_BYTES} (upstream reads every layer listed).
   */
  async sigstoreAttachments(manifestDigest: string): Promise<SigstoreSignature[]> {
    const i = manifestDigest.indexOf(":");
    const tag = `${manifestDigest.slice(0, i)}-${manifestDigest.slice(i + 1)}.sig`;
    const m = await this.manifest(tag, true);
    if (!m) return [];
    if (m.mediaType !== "application/vnd.oci.image.manifest.v1+json")
      throw new Error(`unexpected MIME type for sigstore attachment manifest ${tag}: ${JSON.stringify(m.mediaType)}`);
    const parsed = JSON.parse(utf8(m.bytes)) as { layers?: { mediaType?: string; digest?: unknown; size?: unknown; annotations?: Record<string, string> }[] };
    const layers = Array.isArray(parsed.layers) ? parsed.layers : [];
    if (layers.length > MAX_ATTACHMENT_LAYERS)
      throw new NetworkLimitError(
        NETWORK_CODES.attachmentLayers,
        `sigstore attachment manifest ${tag} lists ${layers.length} layers; imagetrust reads at most ${MAX_ATTACHMENT_LAYERS}`,
      );
    const perLayer = this.options.maxSignatureBytes ?? MAX_SIGNATURE_BODY_SIZE;
    let total = 0;
    const out: SigstoreSignature[] = [];
    for (const [i, l] of layers.entries()) {
      if (!l.digest) throw new Error(`sigstore attachment manifest ${tag} has a layer without a digest`);
      if (typeof l.digest !== "string")
        throw new NetworkLimitError(NETWORK_CODES.invalidDigest, `sigstore attachment manifest ${tag}: layer ${i + 1} has a "digest" that is not a string (${jsonKind(l.digest)})`);
      const left = MAX_ATTACHMENT_TOTAL_BYTES - total;
      const overTotal = () =>
        new NetworkLimitError(
          NETWORK_CODES.attachmentBytes,
          `sigstore attachment manifest ${tag}: its layers exceed ${MAX_ATTACHMENT_TOTAL_BYTES} bytes in total (at layer ${i + 1} of ${layers.length})`,
        );
      // The declared size is untrusted too, but a declared size over what is left is reason enough to stop.
      if (left <= 0 || (typeof l.size === "number" && l.size > left && l.size <= perLayer)) throw overTotal();
      let payload: Uint8Array;
      try {
        payload = await this.blob(l.digest, Math.min(perLayer, left));
      } catch (e) {
        if (left < perLayer && e instanceof Error && e.message.startsWith("exceeded maximum")) throw overTotal();
        throw e;
      }
      total += payload.length;
      out.push({ format: "sigstore-json", mimeType: l.mediaType ?? "", payload, annotations: { ...(l.annotations ?? {}) } });
    }
    return out;
  }
}

function registryErrorText(res: HttpResponse): string {
  try {
    const j = JSON.parse(utf8(res.body)) as { errors?: { code?: string; message?: string }[] };
    const e = j.errors?.[0];
    if (e) return `${(e.code ?? "").toLowerCase().replace(/_/g, " ")}${e.message ? `: ${e.message}` : ""}`.trim();
  } catch {
    /* not a registry error body */
  }
  return `status ${res.status}`;
}

/** A manifest list / OCI index entry. */
export interface ListInstance {
  digest: string;
  mediaType?: string;
  platform?: { os?: string; architecture?: string; variant?: string };
}

/** Whether a manifest is a list (Docker manifest list or OCI index). */
export function isManifestList(mediaType: string): boolean {
  return mediaType === "application/vnd.docker.distribution.manifest.list.v2+json" || mediaType === "application/vnd.oci.image.index.v1+json";
}

/** The instances of a list, optionally only those for `os/arch[/variant]`. */
/**
 * The instances of a list, optionally only those for `os/arch[/variant]`. Untrusted: every instance's "digest" must
 * be a string (else the list does not parse, as Go's json.Unmarshal into `digest.Digest` fails), and more than
 * {@link MAX_LIST_INSTANCES} instances to read is refused (NetworkLimitError IT5701). Digest validity is checked
 * where an instance is fetched ({@link RegistryClient.manifest}, {@link instanceDigestError}).
 */
export function listInstances(bytes: Uint8Array, platform?: string): ListInstance[] {
  const j = JSON.parse(utf8(bytes)) as { manifests?: unknown };
  const all = (Array.isArray(j.manifests) ? j.manifests : []) as ListInstance[];
  for (const [i, m] of all.entries()) {
    const d = (m as { digest?: unknown } | null)?.digest;
    if (d !== undefined && typeof d !== "string")
      throw new NetworkLimitError(NETWORK_CODES.invalidDigest, `parsing manifest list: instance ${i + 1} has a "digest" that is not a string (${jsonKind(d)})`);
  }
  if (!platform) {
    if (all.length > MAX_LIST_INSTANCES)
      throw new NetworkLimitError(
        NETWORK_CODES.listInstances,
        `the manifest list has ${all.length} instances; imagetrust reads and decides at most ${MAX_LIST_INSTANCES} (give --platform to decide one)`,
      );
    return all;
  }
  const [osName, arch, variant] = platform.split("/");
  return all.filter((m) => m.platform?.os === osName && m.platform?.architecture === arch && (variant === undefined || m.platform?.variant === variant)).slice(0, 1);
}

/** Why a list instance's digest cannot be fetched (go-digest `Validate`), or undefined when it is valid. */
export function instanceDigestError(digest: string | undefined): NetworkLimitError | undefined {
  const why = digest === undefined ? "no digest" : validateDigest(digest);
  return why === undefined ? undefined : new NetworkLimitError(NETWORK_CODES.invalidDigest, `invalid instance digest ${JSON.stringify(digest ?? "")}: ${why}`);
}

/** Go's name for the JSON type of a value that should have been a string ("number", "object", …). */
function jsonKind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v === "boolean" ? "bool" : typeof v;
}

/** Throw when `d` is not a valid digest (go-digest `Validate`). */
function assertValidDigest(d: string, what: string): void {
  const why = validateDigest(d);
  if (why !== undefined) throw new NetworkLimitError(NETWORK_CODES.invalidDigest, `invalid ${what} ${JSON.stringify(d)}: ${why}`);
}
