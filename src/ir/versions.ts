/**
 * Target versions of containers/image and the features each introduced
 * (../shared/spec/containers-policy.md §0.1 and Appendix B).
 */

/** A containers/image version as [major, minor, patch]. */
export type Version = readonly [number, number, number];

/** Features whose availability depends on the target version. */
export const FEATURES = {
  remapIdentity: { since: "5.9", what: "the remapIdentity signedIdentity" },
  wildcardScopes: { since: "5.10", what: "wildcard host scopes (*.example.com)" },
  signedByKeyPaths: { since: "5.22", what: "signedBy.keyPaths" },
  sigstoreSigned: { since: "5.22", what: "the sigstoreSigned requirement" },
  lookaside: { since: "5.22", what: "registries.d lookaside / lookaside-staging / use-sigstore-attachments" },
  fulcio: { since: "5.24", what: "sigstoreSigned.fulcio" },
  rekorPublicKey: { since: "5.24", what: "sigstoreSigned.rekorPublicKeyPath / rekorPublicKeyData" },
  yamlV3RegistriesD: { since: "5.25", what: "registries.d parsed with yaml.v3 (case-sensitive keys, duplicate keys are errors)" },
  unknownDigest: { since: "5.30", what: "docker name@@unknown-digest@@ references" },
  goQuotedErrors: { since: "5.31", what: "Go %q quoting in policy error messages" },
  sigstoreKeyLists: { since: "5.33", what: "sigstoreSigned.keyPaths / keyDatas / rekorPublicKeyPaths / rekorPublicKeyDatas" },
  noPolicyFoundError: { since: "5.33", what: "the 'no policy.json file found' error" },
  registriesDVanishedFiles: { since: "5.34", what: "registries.d files vanishing during the scan are skipped" },
  ociSourceIndex: { since: "5.34", what: "oci: references selecting a manifest by index (:@N)" },
  pki: { since: "5.35", what: "sigstoreSigned.pki" },
  ostreeStub: { since: "5.36", what: "the ostree transport reduced to a stub" },
  subkeySignatures: { since: "5.37", what: "signedBy accepting signatures by subkeys of trusted keys" },
} as const;

/** A feature name. */
export type Feature = keyof typeof FEATURES;

/** The newest policy format imagetrust knows (container-libs image/v5.39). */
export const NEWEST_VERSION = "5.39";

/** The versions `--target` offers by name: Debian 12's and each version of the timeline, plus the newest. */
export const KNOWN_TARGETS = ["5.9", "5.10", "5.22", "5.23", "5.24", "5.25", "5.30", "5.31", "5.33", "5.34", "5.35", "5.36", "5.37", "5.39"] as const;

/**
 * The version a run judges by: the one asked for (`--target`), else the one a .trust source declares
 * (`target "5.23"`), else undefined (the newest). A declared version that does not parse counts as none here;
 * compile reports it (src/compile/compile-files.ts `resolveTarget`).
 */
export function effectiveTarget(explicit: Version | undefined, declared: string | undefined): Version | undefined {
  if (explicit !== undefined) return explicit;
  return declared === undefined ? undefined : parseVersion(declared);
}

/** Parse "5.23", "5.23.1", "v5.23.1", "latest"/"newest" into a Version, or undefined if malformed. */
export function parseVersion(text: string): Version | undefined {
  const t = text.trim();
  if (t === "latest" || t === "newest") return parseVersion(NEWEST_VERSION);
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(t);
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), m[3] === undefined ? 0 : Number(m[3])];
}

/** Compare two versions: negative, zero or positive. */
export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** Whether `target` (undefined = newest) has `feature`. */
export function hasFeature(target: Version | undefined, feature: Feature): boolean {
  if (!target) return true;
  const since = parseVersion(FEATURES[feature].since)!;
  return compareVersions(target, since) >= 0;
}

/** "5.23.1"-style text of a version (patch omitted when 0). */
export function formatVersion(v: Version): string {
  return v[2] ? `${v[0]}.${v[1]}.${v[2]}` : `${v[0]}.${v[1]}`;
}
