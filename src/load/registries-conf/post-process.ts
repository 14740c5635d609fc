/**
 * Post-processing one decoded registries.conf, step by step as containers/image does it
 * (pkg/sysregistriesv2/system_registries_v2.go): `(*V2RegistriesConf).postProcess` calls `postProcessRegistries`
 * (each entry's location and prefix, its mirrors, conflicting definitions of one location, the unqualified-search
 * registries, one entry per prefix sorted by prefix); `loadConfigFile` then checks the short-name mode and the
 * wildcard prefixes, and `newShortNameAliasCache` (shortnames.go) the aliases. Upstream stops at its first error;
 * every error is reported here, in upstream's order, and only the first one carries upstream's text.
 */
import type { Span } from "../../source/source-file.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { didYouMean } from "../../diagnostics/did-you-mean.js";
import { goQuote } from "../../util/go-quote.js";
import { isValidDomain } from "../../reference/docker-reference.js";
import type { RegistriesConfFile, RegistryEndpoint, RegistryEntry, ShortNameAlias, ShortNameMode } from "../../registries/types.js";
import { HINTS, REGISTRIES_CONF_CODES } from "./codes.js";
import type { ConfMode, DecodedConf, RawEndpoint, RawRegistry } from "./decoded.js";
import type { Problem } from "./problem.js";
import { usabilityWarnings } from "./usability.js";
import { parseLocation, parseProxy, parseShortNameValue, validateShortName } from "./values.js";
import type { DiagnosticCode } from "../../diagnostics/catalogue/index.js";

const SHORT_NAME_MODES: readonly ShortNameMode[] = ["disabled", "enforcing", "permissive"];

/** What every step shares: the file, the behaviour, the findings so far and a way to add an error. */
interface Step {
  file: string;
  mode: ConfMode;
  problems: Problem[];
  err: (code: DiagnosticCode, message: string, go: string, span?: Span, related?: Diagnostic["related"]) => void;
}

/**
 * Upstream `(*V2RegistriesConf).postProcess` plus the checks `loadConfigFile` and `newShortNameAliasCache` make
 * after it. Findings are appended to `problems`; the file is returned even when they hold errors.
 */
export function postProcess(file: string, d: DecodedConf, problems: Problem[], mode: ConfMode): RegistriesConfFile {
  const step: Step = {
    file,
    mode,
    problems,
    err: (code, message, go, span, related) => problems.push({ code, severity: "error", message, go, span, related }),
  };
  // postProcessRegistries
  const registries = d.registries.map((r) => postProcessRegistry(step, r));
  checkConflictingDefinitions(step, registries);
  const search = parseSearchRegistries(step, d);
  // Hints go to the findings so far only: the checks below have always been reported without one.
  for (const p of problems) if (p.hint === undefined && HINTS[p.code]) p.hint = HINTS[p.code];
  const sorted = uniqueByPrefix(step, registries);
  // loadConfigFile, after postProcess
  const shortNameMode = parseShortNameMode(step, d);
  checkWildcardPrefixes(step, sorted);
  // newShortNameAliasCache
  const aliases = validateAliases(step, d);
  // Facts worth a warning (never errors upstream); only for files that load.
  if (!problems.some((p) => p.severity === "error")) problems.push(...usabilityWarnings(sorted));
  return {
    file,
    v1: false,
    registries: sorted,
    unqualifiedSearchRegistries: search,
    unqualifiedSearchRegistriesOrigin: d.unqualifiedSearchRegistriesOrigin,
    credentialHelpers: d.credentialHelpers,
    ...(d.additionalLayerStoreAuthHelper ? { additionalLayerStoreAuthHelper: d.additionalLayerStoreAuthHelper } : {}),
    shortNameMode,
    shortNameModeOrigin: d.shortNameModeOrigin,
    aliases,
  };
}

/**
 * One `[[registry]]` (the body of `postProcessRegistries`' first loop): location and prefix through
 * `parseLocation`, the prefix defaulting to the location, `pull-from-mirror` refused on the primary, then its mirrors.
 */
function postProcessRegistry(step: Step, r: RawRegistry): RegistryEntry {
  const { err, mode } = step;
  const loc = parseLocation(r.location);
  if (!loc.ok) err(REGISTRIES_CONF_CODES.uriScheme, `'location' must be host[:port][/path] without a URI scheme.`, loc.error, r.locationOrigin ?? r.origin);
  const location = loc.ok ? loc.value : r.location;
  let prefix = r.prefix;
  const prefixWritten = r.prefix !== "";
  if (r.prefix === "") {
    if (location === "") {
      err(REGISTRIES_CONF_CODES.noPrefixNoLocation, "A [[registry]] needs a 'location' or a 'prefix'.", "invalid condition: both location and prefix are unset", r.origin);
    }
    prefix = location;
  } else {
    const p = parseLocation(r.prefix);
    if (!p.ok) err(REGISTRIES_CONF_CODES.uriScheme, `'prefix' must not have a URI scheme.`, p.error, r.prefixOrigin);
    else prefix = p.value;
    if (!prefix.startsWith("*.") && location === "") {
      err(
        REGISTRIES_CONF_CODES.locationUnset,
        `'location' is unset, which only a wildcard prefix (*.example.com) allows; containers/image refuses the whole file.`,
        "invalid condition: location is unset and prefix is not in the format: *.example.com",
        r.prefixOrigin ?? r.origin,
      );
    }
  }
  if (mode === "newest" && r.proxy !== undefined) {
    const px = parseProxy(r.proxy);
    if (!px.ok) err(REGISTRIES_CONF_CODES.badProxy, "'proxy' must be an http, https, socks5 or socks5h URL.", px.error, r.origin);
  }
  if (r.pullFromMirror !== "") {
    err(
      REGISTRIES_CONF_CODES.pullFromMirrorOnPrimary,
      "'pull-from-mirror' applies to [[registry.mirror]] entries only.",
      `pull-from-mirror must not be set for a non-mirror registry ${goQuote(prefix)}`,
      r.origin,
    );
  }
  const mirrors = r.mirrors.map((m) => postProcessMirror(step, r, prefix, m));
  return {
    ...(r.proxy ? { proxy: r.proxy } : {}),
    location,
    insecure: r.insecure,
    pullFromMirror: r.pullFromMirror,
    origin: r.origin,
    locationOrigin: r.locationOrigin,
    prefix,
    prefixWritten,
    prefixOrigin: r.prefixOrigin,
    blocked: r.blocked,
    mirrorByDigestOnly: r.mirrorByDigestOnly,
    mirrors,
    file: step.file,
  };
}

/**
 * One mirror (`postProcessRegistries`' "make sure mirrors are valid" loop): its location is required, and its
 * `pull-from-mirror` must be a known value that the registry's `mirror-by-digest-only` does not contradict.
 */
function postProcessMirror(step: Step, r: RawRegistry, prefix: string, m: RawEndpoint): RegistryEndpoint {
  const { err, mode } = step;
  const ml = parseLocation(m.location);
  if (!ml.ok) err(REGISTRIES_CONF_CODES.uriScheme, `Mirror 'location' must not have a URI scheme.`, ml.error, m.locationOrigin ?? m.origin);
  else if (ml.value === "") err(REGISTRIES_CONF_CODES.mirrorLocationUnset, "A [[registry.mirror]] needs a 'location'.", "invalid condition: mirror location is unset", m.locationOrigin ?? m.origin);
  if (mode === "newest" && m.proxy !== undefined) {
    const px = parseProxy(m.proxy);
    if (!px.ok) err(REGISTRIES_CONF_CODES.badProxy, "Mirror 'proxy' must be an http, https, socks5 or socks5h URL.", px.error, m.origin);
  }
  if (r.mirrorByDigestOnly && m.pullFromMirror !== "") {
    err(
      REGISTRIES_CONF_CODES.mirrorUsageConflict,
      "'mirror-by-digest-only' on the registry and 'pull-from-mirror' on a mirror cannot be combined.",
      `cannot set mirror usage mirror-by-digest-only for the registry (${goQuote(prefix)}) and pull-from-mirror for per-mirror (${goQuote(m.location)}) at the same time`,
      m.origin,
    );
  }
  if (m.pullFromMirror !== "" && m.pullFromMirror !== "all" && m.pullFromMirror !== "digest-only" && m.pullFromMirror !== "tag-only") {
    err(
      REGISTRIES_CONF_CODES.badPullFromMirror,
      `'pull-from-mirror' must be "all", "digest-only" or "tag-only".${didYouMean(m.pullFromMirror, ["all", "digest-only", "tag-only"])}`,
      `unsupported pull-from-mirror value ${goQuote(m.pullFromMirror)} for mirror ${goQuote(m.location)}`,
      m.origin,
    );
  }
  if (mode === "5.23" && ml.ok && ml.value !== "" && m.location !== ml.value) {
    step.problems.push({
      code: REGISTRIES_CONF_CODES.mirrorTrailingSlash,
      severity: "warning",
      message: `Mirror location ${JSON.stringify(m.location)} ends in '/': containers/image does not trim it for mirrors, so every pull through it fails with "rewriting reference: invalid reference format".`,
      span: m.locationOrigin ?? m.origin,
      fix: m.locationOrigin ? { description: "Remove the trailing '/'", edits: [{ span: m.locationOrigin, text: JSON.stringify(ml.value) }] } : undefined,
    });
  }
  // 5.23.1 assigns the trimmed location to a copy: mirrors keep what was written. Newer releases trim.
  const mirrorLocation = mode === "newest" && ml.ok ? ml.value : m.location;
  return { location: mirrorLocation, insecure: m.insecure, pullFromMirror: m.pullFromMirror, origin: m.origin, locationOrigin: m.locationOrigin, ...(m.proxy ? { proxy: m.proxy } : {}) };
}

/**
 * `postProcessRegistries`' `regMap` loop: entries sharing a location (or, without one, a wildcard prefix) must
 * agree on `insecure` and `blocked` (newest: and none may set `proxy`). Each entry is reported once.
 */
function checkConflictingDefinitions(step: Step, registries: RegistryEntry[]): void {
  const { err, mode } = step;
  const groups = new Map<string, RegistryEntry[]>();
  for (const r of registries) {
    const k = r.location === "" ? r.prefix : r.location;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const reported = new Set<RegistryEntry>();
  for (const r of registries) {
    const others = groups.get(r.location === "" ? r.prefix : r.location)!;
    for (const o of others) {
      if (o === r || reported.has(r)) continue;
      const related = o.origin ? [{ message: "the other definition", span: o.origin }] : undefined;
      if (r.insecure !== o.insecure) {
        reported.add(r).add(o);
        err(
          REGISTRIES_CONF_CODES.insecureConflict,
          `Registry '${r.location}' is defined several times with different 'insecure' settings.`,
          `registry '${r.location}' is defined multiple times with conflicting 'insecure' setting`,
          r.origin,
          related,
        );
      } else if (mode === "newest" && (r.proxy || o.proxy)) {
        // Upstream compares parsed *url.URL pointers: two different entries with any proxy always conflict.
        reported.add(r).add(o);
        err(
          REGISTRIES_CONF_CODES.proxyConflict,
          `Registry '${r.location}' is defined several times and one of them sets 'proxy'; containers/image refuses that even when the values are equal.`,
          `registry '${r.location}' is defined multiple times with conflicting 'proxy' setting`,
          r.origin,
          related,
        );
      } else if (r.blocked !== o.blocked) {
        reported.add(r).add(o);
        err(
          REGISTRIES_CONF_CODES.blockedConflict,
          `Registry '${r.location}' is defined several times with different 'blocked' settings.`,
          `registry '${r.location}' is defined multiple times with conflicting 'blocked' setting`,
          r.origin,
          related,
        );
      }
    }
  }
}

/** `postProcessRegistries`' loop over `UnqualifiedSearchRegistries`: `parseLocation`, then a domain only. */
function parseSearchRegistries(step: Step, d: DecodedConf): string[] | undefined {
  if (!d.unqualifiedSearchRegistries) return undefined;
  const search: string[] = [];
  for (const s of d.unqualifiedSearchRegistries) {
    const l = parseLocation(s);
    if (!l.ok) {
      step.err(REGISTRIES_CONF_CODES.uriScheme, "Unqualified-search registries are host[:port] without a URI scheme.", l.error, d.unqualifiedSearchRegistriesOrigin);
      continue;
    }
    if (!isValidDomain(l.value)) {
      step.err(
        REGISTRIES_CONF_CODES.badSearchRegistry,
        `Unqualified-search registry ${JSON.stringify(l.value)} is not a host[:port] (a namespace is not allowed here).`,
        `Invalid unqualified-search-registries entry ${goQuote(l.value)}`,
        d.unqualifiedSearchRegistriesOrigin,
      );
      continue;
    }
    search.push(l.value);
  }
  return search;
}

/**
 * The end of `postProcessRegistries`: the first entry of each prefix wins and later ones are silently dropped
 * (we warn), and the entries are sorted by prefix (`sort.Strings(prefixes)`).
 */
function uniqueByPrefix(step: Step, registries: RegistryEntry[]): RegistryEntry[] {
  const unique = new Map<string, RegistryEntry>();
  for (const r of registries) {
    const prev = unique.get(r.prefix);
    if (prev) {
      step.problems.push({
        code: REGISTRIES_CONF_CODES.duplicatePrefix,
        severity: "warning",
        message: `A second [[registry]] with prefix '${r.prefix}' is silently ignored; only the first one is used.`,
        span: r.prefixOrigin ?? r.origin,
        related: prev.origin ? [{ message: "the entry in effect", span: prev.origin }] : undefined,
      });
    } else unique.set(r.prefix, r);
  }
  return [...unique.values()].sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
}

/** `loadConfigFile`'s short-name mode check (upstream `parseShortNameMode`): "" is unset. */
function parseShortNameMode(step: Step, d: DecodedConf): ShortNameMode | undefined {
  if (d.shortNameMode === undefined || d.shortNameMode === "") return undefined;
  if ((SHORT_NAME_MODES as readonly string[]).includes(d.shortNameMode)) return d.shortNameMode as ShortNameMode;
  step.err(
    REGISTRIES_CONF_CODES.badShortNameMode,
    `'short-name-mode' must be "enforcing", "permissive" or "disabled".${didYouMean(d.shortNameMode, SHORT_NAME_MODES)}`,
    `invalid short-name mode: ${goQuote(d.shortNameMode)}`,
    d.shortNameModeOrigin,
  );
  return undefined;
}

/** `loadConfigFile`'s wildcard check: a `*.` prefix may hold no port, path, tag or digest. */
function checkWildcardPrefixes(step: Step, sorted: RegistryEntry[]): void {
  for (const r of sorted) {
    if (r.prefix.startsWith("*.") && /[/@:]/.test(r.prefix)) {
      step.err(
        REGISTRIES_CONF_CODES.badWildcardPrefix,
        `A wildcard prefix must be '*.domain' with no port, path, tag or digest.`,
        `Wildcarded prefix should be in the format: *.example.com. Current prefix ${goQuote(r.prefix)} is incorrectly formatted`,
        r.prefixOrigin ?? r.origin,
      );
    }
  }
}

/**
 * `newShortNameAliasCache` over the file's `[aliases]`: names through `validateShortName`, values through
 * `parseShortNameValue` ("" removes an alias). Every malformed entry is reported; upstream chains them (map
 * order, so random when several).
 */
function validateAliases(step: Step, d: DecodedConf): ShortNameAlias[] {
  const { err, file } = step;
  const aliases: ShortNameAlias[] = [];
  for (const a of d.aliases) {
    const nameErr = validateShortName(a.name);
    if (nameErr) err(REGISTRIES_CONF_CODES.badAlias, `Alias name '${a.name}' must be a short name (no registry, tag or digest).`, `validating short-name aliases: ${nameErr}`, a.keySpan);
    if (a.value === "") {
      aliases.push({ name: a.name, value: null, valueText: "", file, origin: a.keySpan });
      continue;
    }
    const v = parseShortNameValue(a.value);
    if (!v.ok) {
      err(REGISTRIES_CONF_CODES.badAlias, `Alias '${a.name}' = ${JSON.stringify(a.value)} is invalid: ${v.error}; containers/image refuses the whole configuration.`, `validating short-name aliases: ${v.error}`, a.valueSpan);
      continue;
    }
    aliases.push({ name: a.name, value: v.ref, valueText: a.value, file, origin: a.keySpan });
  }
  return aliases;
}
