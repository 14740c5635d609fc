/**
 * Docker image references: parsing, normalisation and rendering, exactly as containers/image's vendored
 * `docker/reference` package (normalize.go, reference.go, regexp.go, helpers.go) and
 * `github.com/opencontainers/go-digest` (Digest.Validate) do it.
 *
 * The regular expressions below accept the same languages as upstream's but are written without nested
 * ambiguous repetitions (upstream's separator `[-]*` may be empty, which is harmless in RE2 but
 * exponential in a backtracking engine). Capture groups pick the same substrings as Go's leftmost-first
 * submatch rules: the optional `domain/` prefix is preferred whenever the rest still matches.
 */

/** A parsed docker reference (upstream `reference.Named`, possibly tagged and/or digested). */
export interface DockerReference {
  /** Registry host[:port]; `""` only for the rare names whose first component is a path component, not a domain (Go does the same). */
  domain: string;
  /** Repository path below the domain, e.g. `library/busybox`. */
  path: string;
  tag?: string;
  digest?: string;
}

/** Result of parsing a docker reference: the reference or upstream's error text. */
export type DockerReferenceResult = { ok: true; ref: DockerReference } | { ok: false; error: string };

/** Upstream's `NameTotalLengthMax`. */
export const NAME_TOTAL_LENGTH_MAX = 255;

const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)";
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}";

/** Upstream `ReferenceRegexp`, plus a capture for the domain: 1 name, 2 domain, 3 path, 4 tag, 5 digest. */
const REFERENCE_RE = new RegExp(
  `^((?:(${DOMAIN})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*))(?::(${TAG}))?(?:@(${DIGEST}))?$`,
);
const ANCHORED_DOMAIN_RE = new RegExp(`^${DOMAIN}$`);
const DOMAIN_PREFIX_RE = new RegExp(`^${DOMAIN}/`);
const ANCHORED_NAME_RE = new RegExp(`^${NAME}$`);
const ANCHORED_TAG_RE = new RegExp(`^${TAG}$`);
const ANCHORED_IDENTIFIER_RE = /^[a-f0-9]{64}$/;
/** go-digest's `DigestRegexpAnchored` (used only to choose between two error texts). */
const GO_DIGEST_ANCHORED_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const ENCODED_DIGEST_RE: Record<string, RegExp> = {
  sha256: /^[a-f0-9]{64}$/,
  sha384: /^[a-f0-9]{96}$/,
  sha512: /^[a-f0-9]{128}$/,
};
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

const DEFAULT_DOMAIN = "docker.io";
const LEGACY_DEFAULT_DOMAIN = "index.docker.io";
const OFFICIAL_REPO_NAME = "library";
const DEFAULT_TAG = "latest";

/** Upstream error texts (docker/reference and go-digest). */
export const REFERENCE_ERRORS = {
  invalidFormat: "invalid reference format",
  nameContainsUppercase: "repository name must be lowercase",
  normalizedUppercase: "invalid reference format: repository name must be lowercase",
  nameEmpty: "repository name must have at least one component",
  nameTooLong: `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`,
  nameNotCanonical: "repository name must be canonical",
  digestInvalidFormat: "invalid checksum digest format",
  digestInvalidLength: "invalid checksum digest length",
  digestUnsupported: "unsupported digest algorithm",
} as const;

/**
 * Validates a digest string; returns undefined when valid, else go-digest's error text.
 * Follows go-digest `Digest.Validate` (only sha256/sha384/sha512, lower-case hex, exact length).
 */
export function validateDigest(s: string): string | undefined {
  const i = s.indexOf(":");
  if (i <= 0 || i + 1 === s.length) return REFERENCE_ERRORS.digestInvalidFormat;
  const algorithm = s.slice(0, i);
  const encoded = s.slice(i + 1);
  const re = ENCODED_DIGEST_RE[algorithm];
  if (re === undefined || !Object.prototype.hasOwnProperty.call(ENCODED_DIGEST_RE, algorithm)) {
    return GO_DIGEST_ANCHORED_RE.test(s) ? REFERENCE_ERRORS.digestUnsupported : REFERENCE_ERRORS.digestInvalidFormat;
  }
  if (encoded.length !== DIGEST_HEX_LENGTH[algorithm]) return REFERENCE_ERRORS.digestInvalidLength;
  return re.test(encoded) ? undefined : REFERENCE_ERRORS.digestInvalidFormat;
}

/** True when `s` is a valid digest (go-digest `Digest.Validate` succeeds). */
export function isValidDigest(s: string): boolean {
  return validateDigest(s) === undefined;
}

/** True when `s` is exactly 64 lower-case hex characters (upstream `reference.IsFullIdentifier`). */
export function isFullIdentifier(s: string): boolean {
  return s.length === 64 && ANCHORED_IDENTIFIER_RE.test(s);
}

/**
 * Parses any syntactically valid reference without normalisation (upstream `reference.Parse`).
 * The domain is empty when the text has no `domain/` prefix.
 */
export function parseReference(s: string): DockerReferenceResult {
  const m = REFERENCE_RE.exec(s);
  if (m === null) {
    if (s === "") return { ok: false, error: REFERENCE_ERRORS.nameEmpty };
    if (REFERENCE_RE.test(s.toLowerCase())) return { ok: false, error: REFERENCE_ERRORS.nameContainsUppercase };
    return { ok: false, error: REFERENCE_ERRORS.invalidFormat };
  }
  if (m[1].length > NAME_TOTAL_LENGTH_MAX) return { ok: false, error: REFERENCE_ERRORS.nameTooLong };
  const ref: DockerReference = { domain: m[2] ?? "", path: m[3] };
  if (m[4] !== undefined && m[4] !== "") ref.tag = m[4];
  if (m[5] !== undefined && m[5] !== "") {
    const err = validateDigest(m[5]);
    if (err !== undefined) return { ok: false, error: err };
    ref.digest = m[5];
  }
  return { ok: true, ref };
}

/** Upstream `splitDockerDomain`: the domain (defaulting to docker.io) and the remainder, `library/` added for official images. */
export function splitDockerDomain(name: string): { domain: string; remainder: string } {
  const i = name.indexOf("/");
  let domain: string;
  let remainder: string;
  if (i === -1) {
    domain = DEFAULT_DOMAIN;
    remainder = name;
  } else {
    const first = name.slice(0, i);
    if (!first.includes(".") && !first.includes(":") && first !== "localhost") {
      domain = DEFAULT_DOMAIN;
      remainder = name;
    } else {
      domain = first;
      remainder = name.slice(i + 1);
    }
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !remainder.includes("/")) remainder = OFFICIAL_REPO_NAME + "/" + remainder;
  return { domain, remainder };
}

/**
 * Parses a possibly familiar reference (`busybox`, `quay.io/a/b:t`, `x@sha256:…`) into its fully
 * qualified form, with upstream's exact error texts. Follows `reference.ParseNormalizedNamed`.
 */
export function parseNormalizedNamed(s: string): DockerReferenceResult {
  if (isFullIdentifier(s)) {
    return { ok: false, error: `invalid repository name (${s}), cannot specify 64-byte hexadecimal strings` };
  }
  const { domain, remainder } = splitDockerDomain(s);
  const colon = remainder.indexOf(":");
  const remoteName = colon > -1 ? remainder.slice(0, colon) : remainder;
  if (remoteName.toLowerCase() !== remoteName) return { ok: false, error: REFERENCE_ERRORS.normalizedUppercase };
  return parseReference(domain + "/" + remainder);
}

/**
 * Parses a reference that must already be in canonical (fully normalized) form, as used when
 * re-parsing a remapIdentity result. Follows `reference.ParseNamed`.
 */
export function parseNamed(s: string): DockerReferenceResult {
  const r = parseNormalizedNamed(s);
  if (!r.ok) return r;
  if (referenceString(r.ref) !== s) return { ok: false, error: REFERENCE_ERRORS.nameNotCanonical };
  return r;
}

/**
 * A reference as `reference.ParseAnyReference` reads it: a 64-hex identifier or a bare digest yields
 * `{ digestOnly }`, anything else goes through parseNormalizedNamed.
 */
export function parseDockerReferenceAnyForm(
  s: string,
): { ok: true; ref: DockerReference } | { ok: true; digestOnly: string } | { ok: false; error: string } {
  if (isFullIdentifier(s)) return { ok: true, digestOnly: "sha256:" + s };
  if (validateDigest(s) === undefined) return { ok: true, digestOnly: s };
  return parseNormalizedNamed(s);
}

/** The repository name, `domain/path` (upstream `Named.Name()`). */
export function referenceName(ref: DockerReference): string {
  return ref.domain === "" ? ref.path : ref.domain + "/" + ref.path;
}

/** The full string form, `name[:tag][@digest]` (upstream `String()`). */
export function referenceString(ref: DockerReference): string {
  let s = referenceName(ref);
  if (ref.tag !== undefined) s += ":" + ref.tag;
  if (ref.digest !== undefined) s += "@" + ref.digest;
  return s;
}

/** The familiar name: `docker.io/` dropped, and `library/` for two-component official names (upstream `FamiliarName`). */
export function familiarName(ref: DockerReference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return referenceName(ref);
  const path = ref.path;
  const slash = path.indexOf("/");
  if (slash !== -1 && path.indexOf("/", slash + 1) === -1 && path.slice(0, slash) === OFFICIAL_REPO_NAME) {
    return path.slice(slash + 1);
  }
  return path;
}

/** The familiar string form used in messages, e.g. `busybox:latest` (upstream `FamiliarString`). */
export function familiarString(ref: DockerReference): string {
  let s = familiarName(ref);
  if (ref.tag !== undefined) s += ":" + ref.tag;
  if (ref.digest !== undefined) s += "@" + ref.digest;
  return s;
}

/** True when the reference has neither tag nor digest (upstream `IsNameOnly`). */
export function isNameOnly(ref: DockerReference): boolean {
  return ref.tag === undefined && ref.digest === undefined;
}

/** Adds the `latest` tag when there is neither tag nor digest (upstream `TagNameOnly`). */
export function tagNameOnly(ref: DockerReference): DockerReference {
  return isNameOnly(ref) ? { domain: ref.domain, path: ref.path, tag: DEFAULT_TAG } : ref;
}

/** The reference without tag and digest (upstream `TrimNamed`). */
export function trimNamed(ref: DockerReference): DockerReference {
  return { domain: ref.domain, path: ref.path };
}

/** True when `s` is a whole `host[:port]` per upstream's `DomainRegexp`. */
export function isValidDomain(s: string): boolean {
  return ANCHORED_DOMAIN_RE.test(s);
}

/** True when `s` is a valid tag (upstream `anchoredTagRegexp`). */
export function isValidTag(s: string): boolean {
  return ANCHORED_TAG_RE.test(s);
}

/**
 * The remapIdentity `prefix` / `signedPrefix` check: a whole domain, or a name that starts with a
 * domain followed by `/`. Follows `signature.validateIdentityRemappingPrefix` (policy_config.go);
 * like upstream it accepts `shortname` and `ns/shortname`.
 */
export function validateRemapPrefix(s: string): boolean {
  return ANCHORED_DOMAIN_RE.test(s) || (ANCHORED_NAME_RE.test(s) && DOMAIN_PREFIX_RE.test(s));
}
