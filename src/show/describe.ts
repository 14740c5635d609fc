/**
 * `imagetrust show`: the trust of a policy at a glance, as `podman image trust show` tabulates it (podman
 * pkg/trust `getPolicyShowOutput` / `descriptionsOfPolicyRequirements`, now in containers/common pkg/trust): one row
 * per requirement of every scope — the global default first (transport `all`, name `default`), then each transport
 * and scope — with its type (`accept`, `reject`, `signed`, `sigstoreSigned`, …), the keys and who they are, and where
 * signatures are read (registries.d). Unlike podman, transports and scopes keep document order (podman sorts them),
 * `docker` keeps its name (podman prints `repository`), the level a `.trust` source named is shown, sigstore keys get
 * an id (podman prints `N/A`), and the signature store is looked up only for the docker transport, with
 * use-sigstore-attachments (podman reads a registries.d `lookaside` for every transport). No Node built-ins: keys
 * are read through the Host.
 */
import type { Host } from "../host/host.js";
import type { IdentityMatch, Policy, RegistriesDConfig, Requirement, ScopeEntry } from "../ir/types.js";
import { signatureStorageForScope, type LookasideSource } from "../registries/lookaside.js";
import { base64Bytes, openPgpKeyFacts, pemKeyId } from "./key-facts.js";

/** What a scope's requirement list demands, for colouring pictures. */
export type TrustCategory = "reject" | "signed" | "accept";

/** A key (or a certificate authority) a requirement trusts. */
export interface ShowKey {
  /** What kind of key material. */
  kind: "gpg" | "sigstore" | "fulcio" | "pki" | "rekor";
  /** The file named (keyPath, keyPaths, caPath, …), or undefined for inline data. */
  path?: string;
  /** For inline data: the policy.json field (`keyData`, …). */
  inline?: string;
  /** GPG: the primary keys' fingerprints; sigstore: `SHA256:<hex>` of the key's DER. Empty when unreadable. */
  fingerprints: string[];
  /** GPG user IDs; Fulcio/PKI subject (email, hostname) and issuer. */
  identities: string[];
  /** Why nothing could be read (missing file, not a key), if so. */
  problem?: string;
}

/** Where the runtime reads signatures for a scope (docker only). */
export interface ShowStore {
  /** The configured read URL, or "" for the built-in default. */
  lookaside: string;
  /** Which registries.d section set it: `docker scope 'x' (file)`, `default-docker (file)` or `built-in`. */
  lookasideFrom: string;
  useSigstoreAttachments: boolean;
  attachmentsFrom: string;
}

/** One row: one requirement of one scope (as podman prints one row per requirement). */
export interface ShowRow {
  /** `all` for the global default, else the transport name. */
  transport: string;
  /** null for the global default, "" for a transport default, else the scope as written. */
  scope: string | null;
  /** The scope as shown: `default`, `(default)` for a transport default, or the scope. */
  name: string;
  /** podman's trust type: accept, reject, signed, sigstoreSigned, signedBaseLayer. */
  type: string;
  /** The .trust level the scope's list came from. */
  level?: string;
  /** An approval's reason (`approve … because "…"`). */
  approval?: string;
  keys: ShowKey[];
  /** The signedIdentity rule, spelled out (signature requirements only). */
  identity?: string;
  store?: ShowStore;
  /** What the scope's whole list demands. */
  category: TrustCategory;
}

/** The whole description. */
export interface TrustDescription {
  rows: ShowRow[];
}

/** Options of {@link describeTrust}. */
export interface DescribeTrustOptions {
  policy: Policy;
  registriesD?: RegistriesDConfig;
  /** Where key files are read (a `keysHost` for `--keys DIR`); without one, keys are listed by path only. */
  keys?: Host;
}

const TYPE_NAMES: Record<Requirement["type"], string> = {
  insecureAcceptAnything: "accept",
  reject: "reject",
  signedBy: "signed",
  sigstoreSigned: "sigstoreSigned",
  signedBaseLayer: "signedBaseLayer",
};

/** What a requirement list demands: reject when it can accept nothing, signed when it checks signatures, else accept. */
export function categoryOf(requirements: readonly Requirement[]): TrustCategory {
  // A list is an AND (upstream `PolicyContext.IsRunningImageAllowed`): one reject, one signedBaseLayer (never
  // implemented: always denies) or an empty list (invalid, denies) accepts nothing.
  if (requirements.length === 0 || requirements.some((r) => r.type === "reject" || r.type === "signedBaseLayer")) return "reject";
  if (requirements.some((r) => r.type === "signedBy" || r.type === "sigstoreSigned")) return "signed";
  return "accept";
}

/** A signedIdentity rule in a few words. */
export function identityText(id: IdentityMatch | undefined): string {
  if (!id) return "matchRepoDigestOrExact";
  switch (id.type) {
    case "exactReference":
      return `exactReference ${id.dockerReference}`;
    case "exactRepository":
      return `exactRepository ${id.dockerRepository}`;
    case "remapIdentity":
      return `remapIdentity ${id.prefix} -> ${id.signedPrefix}`;
    default:
      return id.type;
  }
}

function sourceText(s: LookasideSource): string {
  if (s.kind === "built-in") return "built-in";
  if (s.kind === "default-docker") return `default-docker (${s.file})`;
  return `docker scope '${s.scope}' (${s.file})`;
}

function readBytes(host: Host | undefined, path: string): { bytes?: Uint8Array; problem?: string } {
  if (!host) return {};
  try {
    return { bytes: host.files.readFile(path) };
  } catch (e) {
    const code = e && typeof e === "object" && "code" in e ? String((e as { code: unknown }).code) : "unreadable";
    return { problem: code === "ENOENT" ? "missing" : `unreadable (${code})` };
  }
}

function gpgKey(host: Host | undefined, src: { path?: string; data?: string; inline?: string }): ShowKey {
  const key: ShowKey = src.path !== undefined ? { kind: "gpg", path: src.path, fingerprints: [], identities: [] } : { kind: "gpg", inline: src.inline, fingerprints: [], identities: [] };
  const read = src.path !== undefined ? readBytes(host, src.path) : { bytes: base64Bytes(src.data ?? "") };
  if (read.problem) key.problem = read.problem;
  if (!read.bytes) return key;
  const facts = openPgpKeyFacts(read.bytes);
  if (!facts) key.problem = "not an OpenPGP key";
  for (const f of facts ?? []) {
    key.fingerprints.push(f.fingerprint);
    key.identities.push(...f.userIds);
  }
  return key;
}

function pemKey(host: Host | undefined, kind: ShowKey["kind"], src: { path?: string; data?: string; inline?: string }): ShowKey {
  const key: ShowKey = src.path !== undefined ? { kind, path: src.path, fingerprints: [], identities: [] } : { kind, inline: src.inline, fingerprints: [], identities: [] };
  const read = src.path !== undefined ? readBytes(host, src.path) : { bytes: base64Bytes(src.data ?? "") };
  if (read.problem) key.problem = read.problem;
  if (!read.bytes) return key;
  const id = pemKeyId(read.bytes);
  if (id) key.fingerprints.push(id);
  else key.problem = "not a PEM key";
  return key;
}

/** The keys a requirement trusts, read through `host`. */
export function requirementKeys(r: Requirement, host: Host | undefined): ShowKey[] {
  const out: ShowKey[] = [];
  if (r.type === "signedBy") {
    if (r.keyPath !== undefined) out.push(gpgKey(host, { path: r.keyPath }));
    for (const p of r.keyPaths ?? []) out.push(gpgKey(host, { path: p }));
    if (r.keyData !== undefined) out.push(gpgKey(host, { data: r.keyData, inline: "keyData" }));
  } else if (r.type === "sigstoreSigned") {
    if (r.keyPath !== undefined) out.push(pemKey(host, "sigstore", { path: r.keyPath }));
    for (const p of r.keyPaths ?? []) out.push(pemKey(host, "sigstore", { path: p }));
    if (r.keyData !== undefined) out.push(pemKey(host, "sigstore", { data: r.keyData, inline: "keyData" }));
    for (const d of r.keyDatas ?? []) out.push(pemKey(host, "sigstore", { data: d, inline: "keyDatas" }));
    if (r.fulcio) {
      const k = r.fulcio.caPath !== undefined ? pemKey(host, "fulcio", { path: r.fulcio.caPath }) : pemKey(host, "fulcio", { data: r.fulcio.caData, inline: "caData" });
      k.identities.push(`issuer ${r.fulcio.oidcIssuer}`, `email ${r.fulcio.subjectEmail}`);
      out.push(k);
    }
    if (r.pki) {
      const k = r.pki.caRootsPath !== undefined ? pemKey(host, "pki", { path: r.pki.caRootsPath }) : pemKey(host, "pki", { data: r.pki.caRootsData, inline: "caRootsData" });
      if (r.pki.subjectEmail) k.identities.push(`email ${r.pki.subjectEmail}`);
      if (r.pki.subjectHostname) k.identities.push(`hostname ${r.pki.subjectHostname}`);
      out.push(k);
    }
    if (r.rekorPublicKeyPath !== undefined) out.push(pemKey(host, "rekor", { path: r.rekorPublicKeyPath }));
    for (const p of r.rekorPublicKeyPaths ?? []) out.push(pemKey(host, "rekor", { path: p }));
    if (r.rekorPublicKeyData !== undefined) out.push(pemKey(host, "rekor", { data: r.rekorPublicKeyData, inline: "rekorPublicKeyData" }));
    for (const d of r.rekorPublicKeyDatas ?? []) out.push(pemKey(host, "rekor", { data: d, inline: "rekorPublicKeyDatas" }));
  }
  return out;
}

function storeFor(scope: string | undefined, config: RegistriesDConfig): ShowStore {
  const s = signatureStorageForScope(scope, config);
  return { lookaside: s.lookasideTopLevel, lookasideFrom: sourceText(s.read), useSigstoreAttachments: s.useSigstoreAttachments, attachmentsFrom: sourceText(s.attachments) };
}

function rowsOf(
  transport: string,
  scope: string | null,
  requirements: readonly Requirement[],
  labels: ScopeEntry["labels"],
  store: ShowStore | undefined,
  keys: Host | undefined,
): ShowRow[] {
  const category = categoryOf(requirements);
  const name = scope === null ? "default" : scope === "" ? "(default)" : scope;
  return requirements.map((r) => {
    // Fields in the order JSON readers see them: where, what, whose keys, which identity, where signatures are read.
    const row: ShowRow = { transport, scope, name, type: TYPE_NAMES[r.type], category, keys: [] };
    if (labels?.level !== undefined) row.level = labels.level;
    if (labels?.approval !== undefined) row.approval = labels.approval;
    delete (row as Partial<ShowRow>).keys;
    row.keys = requirementKeys(r, keys);
    if (r.type === "signedBy" || r.type === "sigstoreSigned") row.identity = identityText(r.signedIdentity);
    else if (r.type === "signedBaseLayer") row.identity = identityText(r.baseLayerIdentity);
    if (store) row.store = store;
    return row;
  });
}

/** Describe a policy (and the registries.d used with it) row by row. */
export function describeTrust(options: DescribeTrustOptions): TrustDescription {
  const config: RegistriesDConfig = options.registriesD ?? { docker: [] };
  const rows: ShowRow[] = [];
  // The global default decides docker references too, so its store is default-docker's (podman: scope "").
  rows.push(...rowsOf("all", null, options.policy.default, options.policy.defaultLabels, storeFor(undefined, config), options.keys));
  for (const t of options.policy.transports) {
    for (const s of t.scopes) {
      const store = t.name === "docker" ? storeFor(s.scope === "" ? undefined : s.scope, config) : undefined;
      rows.push(...rowsOf(t.name, s.scope, s.requirements, s.labels, store, options.keys));
    }
  }
  return { rows };
}
