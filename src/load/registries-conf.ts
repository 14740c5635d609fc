/**
 * containers-registries.conf(5) loading: one TOML file (v2, or v1 converted), then the drop-in merge.
 *
 * Follows containers/image `pkg/sysregistriesv2/system_registries_v2.go`: `loadConfigFile` (BurntSushi
 * TOML decoding into `tomlConfig`, v1 detection and `ConvertToV2`, `postProcessRegistries`, short-name
 * mode, wildcard prefix check), `newShortNameAliasCache` (shortnames.go), `tryUpdatingCache` /
 * `dropInConfigs` / `updateWithConfigurationFrom` (merging). Error texts are upstream's, carried as
 * `upstreamMessage` with the wrapping `loading registries configuration "<path>": …`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseToml, TomlDate, TomlError } from "smol-toml";
import { SourceFile, type Span } from "../source/source-file.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { compareVersions, type Version } from "../ir/versions.js";
import { goParseURL } from "../registries/go-url.js";
import { goQuote } from "../util/go-quote.js";
import { isValidDomain, parseNamed, parseNormalizedNamed, parseReference, referenceString, type DockerReference } from "../reference/docker-reference.js";
import type { RegistriesConf, RegistriesConfFile, RegistryEndpoint, RegistryEntry, ShortNameAlias, ShortNameMode } from "../registries/types.js";
import { scanToml, type ScannedKey, type ScannedTable } from "./registries-conf-scan.js";
import { elideDiagnostics } from "./registries-d.js";
import type { LoadResult } from "./result.js";

/** Diagnostic codes of registries.conf loading (IT14xx). */
export const REGISTRIES_CONF_CODES = {
  tomlSyntax: "IT1400",
  typeError: "IT1401",
  unknownKey: "IT1402",
  caseFoldedKey: "IT1403",
  v1Format: "IT1404",
  v1InDropIn: "IT1405",
  mixedV1V2: "IT1406",
  uriScheme: "IT1407",
  noPrefixNoLocation: "IT1408",
  locationUnset: "IT1409",
  pullFromMirrorOnPrimary: "IT1410",
  mirrorLocationUnset: "IT1411",
  mirrorUsageConflict: "IT1412",
  badPullFromMirror: "IT1413",
  insecureConflict: "IT1414",
  blockedConflict: "IT1415",
  badSearchRegistry: "IT1416",
  badShortNameMode: "IT1417",
  badWildcardPrefix: "IT1418",
  badAlias: "IT1419",
  duplicatePrefix: "IT1420",
  mirrorTrailingSlash: "IT1421",
  blockedNotBlocking: "IT1422",
  unreadable: "IT1423",
  dropInReplaces: "IT1424",
  unmatchablePrefix: "IT1425",
  duplicateKey: "IT1426",
  unusableLocation: "IT1427",
  badProxy: "IT1428",
  proxyConflict: "IT1429",
} as const;

/** Options for one file. */
export interface RegistriesConfFileOptions {
  /** Drop-in files must be v2 (upstream `forceV2`). */
  forceV2?: boolean;
  target?: Version;
}

// ----------------------------------------------------------------------------------------------------------
// Decoding (BurntSushi/toml into tomlConfig: field names match case-insensitively, exact names first)

type TomlValue = unknown;

function goTypeOf(v: TomlValue): string {
  if (typeof v === "string") return "string";
  if (typeof v === "bigint") return "int64";
  if (typeof v === "number") return "float64";
  if (typeof v === "boolean") return "bool";
  if (v instanceof TomlDate) return "time.Time";
  if (Array.isArray(v)) return "[]interface {}";
  return "map[string]interface {}";
}

function isTable(v: TomlValue): v is Record<string, TomlValue> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof TomlDate);
}

interface Problem {
  code: string;
  severity: "error" | "warning" | "info";
  message: string;
  span?: Span;
  related?: Diagnostic["related"];
  /** Upstream's own error text (unwrapped), for errors. */
  go?: string;
  hint?: string;
  fix?: Diagnostic["fix"];
}

/** Raw decoded endpoint/registry before post-processing (an endpoint already has its final shape). */
type RawEndpoint = RegistryEndpoint;
interface RawRegistry extends RawEndpoint {
  prefix: string;
  prefixOrigin?: Span;
  blocked: boolean;
  mirrorByDigestOnly: boolean;
  mirrors: RawEndpoint[];
}

const TOP_FIELDS = ["registry", "unqualified-search-registries", "credential-helpers", "short-name-mode", "aliases", "registries"] as const;
const REGISTRY_FIELDS = ["prefix", "location", "insecure", "pull-from-mirror", "mirror", "blocked", "mirror-by-digest-only"] as const;
const ENDPOINT_FIELDS = ["location", "insecure", "pull-from-mirror"] as const;
/** Keys that exist only in the newest releases (container-libs main). */
const NEWEST_TOP_FIELDS = [...TOP_FIELDS, "additional-layer-store-auth-helper"] as const;
const NEWEST_REGISTRY_FIELDS = [...REGISTRY_FIELDS, "proxy"] as const;
const NEWEST_ENDPOINT_FIELDS = [...ENDPOINT_FIELDS, "proxy"] as const;

/**
 * Which sysregistriesv2 behaviour a target gets. "5.23": Debian's 5.23.1, verified by running it. "newest":
 * container-libs main, read from the source (mirror locations trimmed, `proxy`, `additional-layer-store-auth-helper`,
 * v1/v2 detection by "any field set", vanished drop-ins skipped). The release that changed each is not known
 * to us: every target after 5.23 gets the newest behaviour.
 */
type ConfMode = "5.23" | "newest";

function confMode(target: Version | undefined): ConfMode {
  return target !== undefined && compareVersions(target, [5, 24, 0]) < 0 ? "5.23" : "newest";
}
const V1_FIELDS = ["search", "insecure", "block"] as const;
const V1_LIST_FIELDS = ["registries"] as const;

class ConfDecoder {
  readonly problems: Problem[] = [];
  /** Last line of each key path (BurntSushi's keyInfo keeps the last occurrence). */
  private readonly lastLine = new Map<string, number>();
  private readonly tables: ScannedTable[];

  constructor(
    readonly source: SourceFile,
    readonly mode: ConfMode = "newest",
  ) {
    this.tables = scanToml(source);
    for (const t of this.tables) {
      if (t.path) this.lastLine.set(t.path.toLowerCase(), this.source.position(t.headerSpan.start).line);
      for (const k of t.keys) this.lastLine.set(k.path.toLowerCase(), k.line);
    }
  }

  /** BurntSushi's `md.e` prefix for a key context. */
  goPrefix(context: string[]): string {
    if (context.length === 0) return "toml: ";
    const key = context.join(".");
    const line = this.lastLine.get(key.toLowerCase());
    return line ? `toml: line ${line} (last key ${goQuote(key)}): ` : `toml: (last key ${goQuote(key)}): `;
  }

  badType(context: string[], value: TomlValue, dst: string, span: Span | undefined, ours: string): void {
    this.problems.push({
      code: REGISTRIES_CONF_CODES.typeError,
      severity: "error",
      message: ours,
      span,
      go: `${this.goPrefix(context)}incompatible types: TOML value has type ${goTypeOf(value)}; destination has type ${dst}`,
    });
  }

  notTable(context: string[], value: TomlValue, goStruct: string, span: Span | undefined, ours: string): void {
    this.problems.push({
      code: REGISTRIES_CONF_CODES.typeError,
      severity: "error",
      message: ours,
      span,
      go: `${this.goPrefix(context)}type mismatch for ${goStruct}: expected table but found ${goTypeOf(value)}`,
    });
  }

  /** Tables with a path (case-insensitive), in document order. */
  tablesAt(p: string): ScannedTable[] {
    return this.tables.filter((t) => t.path.toLowerCase() === p);
  }

  keyIn(table: ScannedTable | undefined, name: string): ScannedKey | undefined {
    if (!table) return undefined;
    return table.keys.find((k) => k.key === name) ?? table.keys.find((k) => k.key.toLowerCase() === name.toLowerCase());
  }

  /**
   * Match a table's keys to struct fields: exact name, else case-insensitive (BurntSushi `unifyStruct`);
   * report unknown and mis-cased keys.
   */
  fields(table: Record<string, TomlValue>, known: readonly string[], where: string, scanned: ScannedTable | undefined, fallback: Span | undefined): Map<string, { key: string; value: TomlValue }> {
    const out = new Map<string, { key: string; value: TomlValue }>();
    for (const [key, value] of Object.entries(table)) {
      let field = known.find((f) => f === key);
      const span = this.keyIn(scanned, key)?.keySpan ?? fallback;
      if (!field) {
        field = known.find((f) => f.toLowerCase() === key.toLowerCase());
        if (field) {
          this.problems.push({
            code: REGISTRIES_CONF_CODES.caseFoldedKey,
            severity: "warning",
            message: `'${key}'${where} is read as '${field}' (containers/image matches keys case-insensitively); write '${field}'.`,
            span,
            fix: span ? { description: `Rename to '${field}'`, edits: [{ span, text: field }] } : undefined,
          });
        }
      }
      if (!field) {
        this.problems.push({
          code: REGISTRIES_CONF_CODES.unknownKey,
          severity: "warning",
          message: `Unknown key '${key}'${where} is silently ignored by containers/image.${didYouMean(key, known)}`,
          span,
        });
        continue;
      }
      if (out.has(field)) {
        this.problems.push({
          code: REGISTRIES_CONF_CODES.caseFoldedKey,
          severity: "warning",
          message: `'${out.get(field)!.key}' and '${key}'${where} both set '${field}'; which one wins is random in containers/image.`,
          span,
        });
      }
      out.set(field, { key, value });
    }
    return out;
  }

  str(context: string[], v: TomlValue, span: Span | undefined, what: string): string | undefined {
    if (typeof v === "string") return v;
    this.badType(context, v, "string", span, `${what} must be a string.`);
    return undefined;
  }

  bool(context: string[], v: TomlValue, span: Span | undefined, what: string): boolean | undefined {
    if (typeof v === "boolean") return v;
    this.badType(context, v, "boolean", span, `${what} must be true or false.`);
    return undefined;
  }

  strList(context: string[], v: TomlValue, span: Span | undefined, what: string): string[] | undefined {
    if (!Array.isArray(v)) {
      this.badType(context, v, "slice", span, `${what} must be an array of strings.`);
      return undefined;
    }
    const out: string[] = [];
    for (const x of v) {
      const s = this.str(context, x, span, `Each entry of ${what}`);
      if (s === undefined) return undefined;
      out.push(s);
    }
    return out;
  }

  endpoint(
    t: Record<string, TomlValue>,
    known: readonly string[],
    ctx: string[],
    scanned: ScannedTable | undefined,
    fallback: Span | undefined,
    where: string,
  ): { ep: RawEndpoint; f: Map<string, { key: string; value: TomlValue }> } {
    const f = this.fields(t, known, where, scanned, fallback);
    const ep: RawEndpoint = { location: "", insecure: false, pullFromMirror: "", origin: scanned?.headerSpan ?? fallback };
    const spanOf = (field: string) => this.keyIn(scanned, f.get(field)?.key ?? field)?.valueSpan ?? fallback;
    const loc = f.get("location");
    if (loc) {
      ep.location = this.str([...ctx, loc.key], loc.value, spanOf("location"), `'location'${where}`) ?? "";
      ep.locationOrigin = spanOf("location");
    }
    const ins = f.get("insecure");
    if (ins) ep.insecure = this.bool([...ctx, ins.key], ins.value, spanOf("insecure"), `'insecure'${where}`) ?? false;
    const pfm = f.get("pull-from-mirror");
    if (pfm) ep.pullFromMirror = this.str([...ctx, pfm.key], pfm.value, spanOf("pull-from-mirror"), `'pull-from-mirror'${where}`) ?? "";
    const px = f.get("proxy");
    if (px) ep.proxy = this.str([...ctx, px.key], px.value, spanOf("proxy"), `'proxy'${where}`) ?? "";
    return { ep, f };
  }

  decode(doc: Record<string, TomlValue>): DecodedConf {
    const root = this.tables[0];
    const newest = this.mode === "newest";
    const top = this.fields(doc, newest ? NEWEST_TOP_FIELDS : TOP_FIELDS, "", root, undefined);
    const out: DecodedConf = { registries: [], aliases: [], present: new Set(top.keys()) };
    const topSpan = (field: string) => this.keyIn(root, top.get(field)?.key ?? field);

    const reg = top.get("registry");
    if (reg) {
      const regKey = topSpan("registry");
      const regTables = this.tablesAt("registry").filter((t) => t.array);
      if (!Array.isArray(reg.value)) {
        this.badType([reg.key], reg.value, "slice", regKey?.valueSpan ?? regTables[0]?.headerSpan ?? this.tables.find((t) => t.path.startsWith("registry."))?.headerSpan, "'registry' must be an array of tables ([[registry]]).");
      } else {
        reg.value.forEach((item, i) => {
          const scanned = regKey ? undefined : regTables[i];
          const fallback = scanned?.headerSpan ?? regKey?.valueSpan;
          if (!isTable(item)) {
            this.notTable([reg.key], item, "sysregistriesv2.Registry", fallback, "Each 'registry' entry must be a table.");
            return;
          }
          const where = ` in [[registry]] #${i + 1}`;
          const { ep, f } = this.endpoint(item, newest ? NEWEST_REGISTRY_FIELDS : REGISTRY_FIELDS, [reg.key], scanned, fallback, where);
          const r: RawRegistry = { ...ep, prefix: "", blocked: false, mirrorByDigestOnly: false, mirrors: [] };
          const spanOf = (field: string) => this.keyIn(scanned, f.get(field)?.key ?? field)?.valueSpan ?? fallback;
          const pre = f.get("prefix");
          if (pre) {
            r.prefix = this.str([reg.key, pre.key], pre.value, spanOf("prefix"), `'prefix'${where}`) ?? "";
            r.prefixOrigin = spanOf("prefix");
          }
          const bl = f.get("blocked");
          if (bl) r.blocked = this.bool([reg.key, bl.key], bl.value, spanOf("blocked"), `'blocked'${where}`) ?? false;
          const mbdo = f.get("mirror-by-digest-only");
          if (mbdo) r.mirrorByDigestOnly = this.bool([reg.key, mbdo.key], mbdo.value, spanOf("mirror-by-digest-only"), `'mirror-by-digest-only'${where}`) ?? false;
          const mir = f.get("mirror");
          if (mir) {
            // [[registry.mirror]] tables between this [[registry]] header and the next one.
            const next = regTables[i + 1]?.headerSpan.start ?? Infinity;
            const start = scanned?.headerSpan.start ?? -1;
            const mirrorTables = this.tablesAt("registry.mirror").filter((t) => t.array && t.headerSpan.start > start && t.headerSpan.start < next);
            const mirKey = this.keyIn(scanned, mir.key);
            if (!Array.isArray(mir.value)) {
              this.badType([reg.key, mir.key], mir.value, "slice", mirKey?.valueSpan ?? fallback, `'mirror'${where} must be an array of tables ([[registry.mirror]]).`);
            } else {
              mir.value.forEach((m, j) => {
                const ms = mirKey ? undefined : mirrorTables[j];
                const mfallback = ms?.headerSpan ?? mirKey?.valueSpan ?? fallback;
                if (!isTable(m)) {
                  this.notTable([reg.key, mir.key], m, "sysregistriesv2.Endpoint", mfallback, `Each 'mirror'${where} must be a table.`);
                  return;
                }
                r.mirrors.push(this.endpoint(m, newest ? NEWEST_ENDPOINT_FIELDS : ENDPOINT_FIELDS, [reg.key, mir.key], ms, mfallback, ` in mirror #${j + 1}${where}`).ep);
              });
            }
          }
          out.registries.push(r);
        });
      }
    }
    const usr = top.get("unqualified-search-registries");
    if (usr) {
      out.unqualifiedSearchRegistries = this.strList([usr.key], usr.value, topSpan("unqualified-search-registries")?.valueSpan, "'unqualified-search-registries'");
      out.unqualifiedSearchRegistriesOrigin = topSpan("unqualified-search-registries")?.valueSpan;
    }
    const ch = top.get("credential-helpers");
    if (ch) out.credentialHelpers = this.strList([ch.key], ch.value, topSpan("credential-helpers")?.valueSpan, "'credential-helpers'");
    const snm = top.get("short-name-mode");
    if (snm) {
      out.shortNameMode = this.str([snm.key], snm.value, topSpan("short-name-mode")?.valueSpan, "'short-name-mode'");
      out.shortNameModeOrigin = topSpan("short-name-mode")?.valueSpan;
    }
    const alsah = top.get("additional-layer-store-auth-helper");
    if (alsah) out.additionalLayerStoreAuthHelper = this.str([alsah.key], alsah.value, topSpan("additional-layer-store-auth-helper")?.valueSpan, "'additional-layer-store-auth-helper'");
    const al = top.get("aliases");
    if (al) {
      const alTable = this.tablesAt("aliases")[0];
      const alKey = topSpan("aliases");
      if (!isTable(al.value)) {
        this.badType([al.key], al.value, "map", alKey?.valueSpan, "'aliases' must be a table of short name = \"registry/repository\".");
      } else {
        for (const [name, value] of Object.entries(al.value)) {
          const k =
            alTable?.keys.find((x) => x.key === name) ??
            this.tables.flatMap((t) => t.keys).find((x) => x.path === `aliases.${name}`) ??
            // A dotted key (`e.xample = …`) makes the alias a table: point at the key that did it.
            this.tables.flatMap((t) => t.keys).find((x) => x.path.startsWith(`aliases.${name}.`));
          const s = this.str([al.key, name], value, k?.valueSpan ?? alKey?.valueSpan ?? alTable?.headerSpan, `Alias '${name}'`);
          if (s !== undefined) out.aliases.push({ name, value: s, keySpan: k?.keySpan ?? alKey?.keySpan ?? alTable?.headerSpan, valueSpan: k?.valueSpan ?? alKey?.valueSpan ?? alTable?.headerSpan });
        }
      }
    }
    const v1 = top.get("registries");
    if (v1) {
      const v1Span =
        this.tablesAt("registries")[0]?.headerSpan ??
        this.tables.find((t) => t.path.toLowerCase().startsWith("registries."))?.headerSpan ??
        topSpan("registries")?.keySpan;
      if (!isTable(v1.value)) {
        this.notTable([v1.key], v1.value, "sysregistriesv2.V1TOMLConfig", v1Span, "'registries' (v1 format) must be a table.");
      } else {
        out.v1 = { span: v1Span };
        const vf = this.fields(v1.value, V1_FIELDS, " in [registries]", this.tablesAt("registries")[0], v1Span);
        for (const name of V1_FIELDS) {
          const e = vf.get(name);
          if (!e) continue;
          const t = this.tablesAt(`registries.${name}`)[0];
          if (!isTable(e.value)) {
            this.notTable([v1.key, e.key], e.value, "sysregistriesv2.V1TOMLregistries", t?.headerSpan ?? v1Span, `'registries.${name}' must be a table.`);
            continue;
          }
          const lf = this.fields(e.value, V1_LIST_FIELDS, ` in [registries.${name}]`, t, t?.headerSpan ?? v1Span);
          const list = lf.get("registries");
          if (list) {
            const span = this.keyIn(t, list.key)?.valueSpan ?? t?.headerSpan ?? v1Span;
            const l = this.strList([v1.key, e.key, list.key], list.value, span, `'registries.${name}.registries'`);
            if (l !== undefined) out.v1[name] = { list: l, span };
          }
        }
      }
    }
    return out;
  }
}

interface DecodedConf {
  /** Top-level fields written (for the newest v1/v2 detection, which counts `[]` and `{}` as set). */
  present?: Set<string>;
  additionalLayerStoreAuthHelper?: string;
  registries: RawRegistry[];
  unqualifiedSearchRegistries?: string[];
  unqualifiedSearchRegistriesOrigin?: Span;
  credentialHelpers?: string[];
  shortNameMode?: string;
  shortNameModeOrigin?: Span;
  aliases: Array<{ name: string; value: string; keySpan?: Span; valueSpan?: Span }>;
  v1?: { span?: Span; search?: { list: string[]; span?: Span }; insecure?: { list: string[]; span?: Span }; block?: { list: string[]; span?: Span } };
}

/** Upstream `parseProxy` (newest): "" = none; a URL with scheme http, https, socks5 or socks5h. */
function parseProxy(input: string): { ok: true; set: boolean } | { ok: false; error: string } {
  if (input === "") return { ok: true, set: false };
  const u = goParseURL(input);
  if (!u.ok) return { ok: false, error: `parsing proxy URL ${goQuote(input)}: ${u.error}` };
  if (!["http", "https", "socks5", "socks5h"].includes(u.url.scheme)) {
    return { ok: false, error: `proxy URL scheme "${u.url.scheme}" is not supported. Supported are http, https, socks5, socks5h` };
  }
  return { ok: true, set: true };
}

// ----------------------------------------------------------------------------------------------------------
// Post-processing (postProcessRegistries, loadConfigFile checks, newShortNameAliasCache)

const SHORT_NAME_MODES: readonly ShortNameMode[] = ["disabled", "enforcing", "permissive"];

/** What to write instead, per error code. */
const HINTS: Record<string, string> = {
  [REGISTRIES_CONF_CODES.uriScheme]: "Write the host without http:// or https://; plain HTTP is 'insecure = true'.",
  [REGISTRIES_CONF_CODES.noPrefixNoLocation]: "Add location = \"registry.example.com\".",
  [REGISTRIES_CONF_CODES.locationUnset]: "Add a location (the same as the prefix if nothing is rewritten), or use a wildcard prefix *.example.com.",
  [REGISTRIES_CONF_CODES.pullFromMirrorOnPrimary]: "Move pull-from-mirror into a [[registry.mirror]] table.",
  [REGISTRIES_CONF_CODES.mirrorUsageConflict]: "Use either mirror-by-digest-only on the registry or pull-from-mirror on its mirrors.",
  [REGISTRIES_CONF_CODES.insecureConflict]: "Use the same 'insecure' value in every entry with this location.",
  [REGISTRIES_CONF_CODES.blockedConflict]: "Use the same 'blocked' value in every entry with this location.",
  [REGISTRIES_CONF_CODES.badSearchRegistry]: "List registries as host[:port] only; use [aliases] for repositories.",
  [REGISTRIES_CONF_CODES.badWildcardPrefix]: "Write the wildcard as *.example.com (no port, path, tag or digest).",
  [REGISTRIES_CONF_CODES.badAlias]: "Alias names are short names (fedora, library/fedora); values are registry/repository without tag or digest.",
};

/** Upstream `parseLocation`: trim trailing `/`, refuse http(s):// (error text or the trimmed value). */
function parseLocation(input: string): { ok: true; value: string } | { ok: false; error: string } {
  const trimmed = input.replace(/\/+$/, "");
  if (trimmed.startsWith("http://") || trimmed.startsWith("https://")) {
    return { ok: false, error: `invalid location '${input}': URI schemes are not supported` };
  }
  return { ok: true, value: trimmed };
}

/** Upstream `parseShortNameValue`: an alias value must be `registry/repo` without tag or digest. */
export function parseShortNameValue(alias: string): { ok: true; ref: DockerReference } | { ok: false; error: string } {
  const r = parseReference(alias);
  if (!r.ok) return { ok: false, error: `parsing alias ${goQuote(alias)}: ${r.error}` };
  if (r.ref.digest !== undefined) return { ok: false, error: `invalid alias ${goQuote(alias)}: must not contain digest` };
  if (r.ref.tag !== undefined) return { ok: false, error: `invalid alias ${goQuote(alias)}: must not contain tag` };
  const registry = r.ref.domain;
  if (!(registry.includes(".") || registry.includes(":") || registry === "localhost")) {
    return { ok: false, error: `invalid alias ${goQuote(alias)}: must contain registry and repository` };
  }
  const n = parseNormalizedNamed(alias);
  if (!n.ok) return { ok: false, error: n.error };
  return { ok: true, ref: n.ref };
}

/** Upstream `validateShortName`: an alias name must be a repository without registry, tag or digest. */
export function validateShortName(name: string): string | undefined {
  const r = parseReference(name);
  if (!r.ok) return `cannot parse short name: ${goQuote(name)}: ${r.error}`;
  if (r.ref.digest !== undefined) return `invalid short name ${goQuote(name)}: must not contain digest`;
  if (r.ref.tag !== undefined) return `invalid short name ${goQuote(name)}: must not contain tag`;
  const registry = r.ref.domain;
  if (registry.includes(".") || registry.includes(":") || registry === "localhost") {
    return `invalid short name ${goQuote(name)}: must not contain registry`;
  }
  return undefined;
}

function postProcess(file: string, d: DecodedConf, problems: Problem[], mode: ConfMode): RegistriesConfFile {
  const err = (code: string, message: string, go: string, span?: Span, related?: Diagnostic["related"]) =>
    problems.push({ code, severity: "error", message, go, span, related });
  const registries: RegistryEntry[] = [];
  for (const r of d.registries) {
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
    const mirrors: RegistryEndpoint[] = [];
    for (const m of r.mirrors) {
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
        problems.push({
          code: REGISTRIES_CONF_CODES.mirrorTrailingSlash,
          severity: "warning",
          message: `Mirror location ${JSON.stringify(m.location)} ends in '/': containers/image does not trim it for mirrors, so every pull through it fails with "rewriting reference: invalid reference format".`,
          span: m.locationOrigin ?? m.origin,
          fix: m.locationOrigin ? { description: "Remove the trailing '/'", edits: [{ span: m.locationOrigin, text: JSON.stringify(ml.value) }] } : undefined,
        });
      }
      // 5.23.1 assigns the trimmed location to a copy: mirrors keep what was written. Newer releases trim.
      const mirrorLocation = mode === "newest" && ml.ok ? ml.value : m.location;
      mirrors.push({ location: mirrorLocation, insecure: m.insecure, pullFromMirror: m.pullFromMirror, origin: m.origin, locationOrigin: m.locationOrigin, ...(m.proxy ? { proxy: m.proxy } : {}) });
    }
    registries.push({
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
      file,
    });
  }
  // Conflicting insecure / blocked for the same location (or wildcard prefix without location).
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
      if (r.insecure !== o.insecure) {
        reported.add(r).add(o);
        err(
          REGISTRIES_CONF_CODES.insecureConflict,
          `Registry '${r.location}' is defined several times with different 'insecure' settings.`,
          `registry '${r.location}' is defined multiple times with conflicting 'insecure' setting`,
          r.origin,
          o.origin ? [{ message: "the other definition", span: o.origin }] : undefined,
        );
      } else if (mode === "newest" && (r.proxy || o.proxy)) {
        // Upstream compares parsed *url.URL pointers: two different entries with any proxy always conflict.
        reported.add(r).add(o);
        err(
          REGISTRIES_CONF_CODES.proxyConflict,
          `Registry '${r.location}' is defined several times and one of them sets 'proxy'; containers/image refuses that even when the values are equal.`,
          `registry '${r.location}' is defined multiple times with conflicting 'proxy' setting`,
          r.origin,
          o.origin ? [{ message: "the other definition", span: o.origin }] : undefined,
        );
      } else if (r.blocked !== o.blocked) {
        reported.add(r).add(o);
        err(
          REGISTRIES_CONF_CODES.blockedConflict,
          `Registry '${r.location}' is defined several times with different 'blocked' settings.`,
          `registry '${r.location}' is defined multiple times with conflicting 'blocked' setting`,
          r.origin,
          o.origin ? [{ message: "the other definition", span: o.origin }] : undefined,
        );
      }
    }
  }
  let search: string[] | undefined;
  if (d.unqualifiedSearchRegistries) {
    search = [];
    for (const s of d.unqualifiedSearchRegistries) {
      const l = parseLocation(s);
      if (!l.ok) {
        err(REGISTRIES_CONF_CODES.uriScheme, "Unqualified-search registries are host[:port] without a URI scheme.", l.error, d.unqualifiedSearchRegistriesOrigin);
        continue;
      }
      if (!isValidDomain(l.value)) {
        err(
          REGISTRIES_CONF_CODES.badSearchRegistry,
          `Unqualified-search registry ${JSON.stringify(l.value)} is not a host[:port] (a namespace is not allowed here).`,
          `Invalid unqualified-search-registries entry ${goQuote(l.value)}`,
          d.unqualifiedSearchRegistriesOrigin,
        );
        continue;
      }
      search.push(l.value);
    }
  }
  // One entry per prefix (the first), sorted by prefix.
  for (const p of problems) if (p.hint === undefined && HINTS[p.code]) p.hint = HINTS[p.code];
  const unique = new Map<string, RegistryEntry>();
  for (const r of registries) {
    const prev = unique.get(r.prefix);
    if (prev) {
      problems.push({
        code: REGISTRIES_CONF_CODES.duplicatePrefix,
        severity: "warning",
        message: `A second [[registry]] with prefix '${r.prefix}' is silently ignored; only the first one is used.`,
        span: r.prefixOrigin ?? r.origin,
        related: prev.origin ? [{ message: "the entry in effect", span: prev.origin }] : undefined,
      });
    } else unique.set(r.prefix, r);
  }
  const sorted = [...unique.values()].sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));

  let shortNameMode: ShortNameMode | undefined;
  if (d.shortNameMode !== undefined && d.shortNameMode !== "") {
    if ((SHORT_NAME_MODES as readonly string[]).includes(d.shortNameMode)) shortNameMode = d.shortNameMode as ShortNameMode;
    else {
      err(
        REGISTRIES_CONF_CODES.badShortNameMode,
        `'short-name-mode' must be "enforcing", "permissive" or "disabled".${didYouMean(d.shortNameMode, SHORT_NAME_MODES)}`,
        `invalid short-name mode: ${goQuote(d.shortNameMode)}`,
        d.shortNameModeOrigin,
      );
    }
  }
  for (const r of sorted) {
    if (r.prefix.startsWith("*.") && /[/@:]/.test(r.prefix)) {
      err(
        REGISTRIES_CONF_CODES.badWildcardPrefix,
        `A wildcard prefix must be '*.domain' with no port, path, tag or digest.`,
        `Wildcarded prefix should be in the format: *.example.com. Current prefix ${goQuote(r.prefix)} is incorrectly formatted`,
        r.prefixOrigin ?? r.origin,
      );
    }
  }
  // Aliases: every malformed entry is reported; upstream chains them (map order, so random when several).
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
  // Facts worth a warning (never errors upstream); only for files that load.
  const loads = !problems.some((p) => p.severity === "error");
  for (const r of loads ? sorted : []) {
    const endpoints: Array<{ location: string; span?: Span; what: string }> = [{ location: r.location, span: r.locationOrigin ?? r.origin, what: "Location" }];
    for (const m of r.mirrors) if (!m.location.endsWith("/")) endpoints.push({ location: m.location, span: m.locationOrigin ?? m.origin, what: "Mirror location" });
    for (const e of endpoints) {
      if (e.location === "") continue;
      const probe = parseNamed(`${e.location}/x/y:latest`);
      if (!probe.ok) {
        problems.push({
          code: REGISTRIES_CONF_CODES.unusableLocation,
          severity: "warning",
          message: `${e.what} ${JSON.stringify(e.location)} is not a valid registry[/namespace]: every pull rewritten to it fails with "rewriting reference: ${probe.error}".`,
          span: e.span,
        });
      }
    }
    if (r.blocked && r.location !== "" && r.location !== r.prefix) {
      problems.push({
        code: REGISTRIES_CONF_CODES.blockedNotBlocking,
        severity: "warning",
        message: `'blocked = true' with a location different from the prefix does not block: containers/image checks the rewritten reference (${r.location}/…), which this entry does not match.`,
        span: r.origin,
      });
    }
    const lastSegment = r.prefix.slice(r.prefix.lastIndexOf("/") + 1);
    if (!r.prefix.startsWith("*.") && (r.prefix.includes("@") || (r.prefix.includes("/") && lastSegment.includes(":")))) {
      problems.push({
        code: REGISTRIES_CONF_CODES.unmatchablePrefix,
        severity: "warning",
        message: `Prefix '${r.prefix}' contains a tag or digest; prefixes are compared with repository names only, so it never matches.`,
        span: r.prefixOrigin ?? r.origin,
      });
    }
  }
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

/** Upstream `V1RegistriesConf.ConvertToV2`: blocked first, then insecure, prefix = location. */
function convertV1(d: DecodedConf, problems: Problem[]): DecodedConf | undefined {
  const v1 = d.v1!;
  const order: string[] = [];
  const regs = new Map<string, RawRegistry>();
  for (const [list, apply] of [
    [v1.block, (r: RawRegistry) => (r.blocked = true)],
    [v1.insecure, (r: RawRegistry) => (r.insecure = true)],
  ] as const) {
    for (const loc of list?.list ?? []) {
      const l = parseLocation(loc);
      if (!l.ok) {
        problems.push({ code: REGISTRIES_CONF_CODES.uriScheme, severity: "error", message: "v1 registry entries must not have a URI scheme.", go: l.error, span: list?.span });
        return undefined;
      }
      let r = regs.get(l.value);
      if (!r) {
        r = { location: l.value, insecure: false, pullFromMirror: "", prefix: l.value, blocked: false, mirrorByDigestOnly: false, mirrors: [], origin: list?.span };
        regs.set(l.value, r);
        order.push(l.value);
      }
      apply(r);
    }
  }
  return {
    registries: order.map((o) => regs.get(o)!),
    unqualifiedSearchRegistries: v1.search?.list,
    unqualifiedSearchRegistriesOrigin: v1.search?.span,
    aliases: [],
  };
}

function nonEmptyV1(d: DecodedConf, mode: ConfMode): boolean {
  const v1 = d.v1;
  if (mode === "newest") return !!v1 && (v1.search !== undefined || v1.insecure !== undefined || v1.block !== undefined);
  return !!v1 && ((v1.search?.list.length ?? 0) > 0 || (v1.insecure?.list.length ?? 0) > 0 || (v1.block?.list.length ?? 0) > 0);
}

function nonEmptyV2(d: DecodedConf, mode: ConfMode): boolean {
  if (mode === "newest") {
    const p = d.present ?? new Set<string>();
    return (
      p.has("registry") ||
      d.unqualifiedSearchRegistries !== undefined ||
      d.credentialHelpers !== undefined ||
      (d.shortNameMode ?? "") !== "" ||
      (d.additionalLayerStoreAuthHelper ?? "") !== "" ||
      p.has("aliases")
    );
  }
  return (
    d.registries.length > 0 ||
    (d.unqualifiedSearchRegistries?.length ?? 0) > 0 ||
    (d.credentialHelpers?.length ?? 0) > 0 ||
    (d.shortNameMode ?? "") !== "" ||
    d.aliases.length > 0
  );
}

function toDiagnostics(problems: Problem[], wrap: (go: string) => string): Diagnostic[] {
  let first = true;
  return problems.map((p) => {
    const d: Diagnostic = { code: p.code, severity: p.severity, message: p.message };
    if (p.span) d.span = p.span;
    if (p.related) d.related = p.related;
    if (p.hint) d.hint = p.hint;
    if (p.fix) d.fix = p.fix;
    if (p.severity === "error" && p.go !== undefined && first) {
      d.upstreamMessage = wrap(p.go);
      first = false;
    }
    return d;
  });
}

/** The duplicate-key message of BurntSushi/toml for the key on a line, when the scan can name it. */
function duplicateKeyMessage(source: SourceFile, line: number): string | undefined {
  for (const t of scanToml(source)) {
    for (const k of t.keys) {
      if (k.line === line) return `toml: line ${line} (last key ${goQuote(k.path)}): Key '${k.path}' has already been defined.`;
    }
  }
  return undefined;
}

/**
 * Load one registries.conf file (upstream `loadConfigFile`). `value` is absent exactly when containers/image
 * refuses the file; `upstreamMessage` of the first error is the text upstream returns, unwrapped (callers
 * add `loading registries configuration "<path>": ` — loadRegistriesConf does).
 */
export function loadRegistriesConfFile(source: SourceFile, options: RegistriesConfFileOptions = {}): LoadResult<RegistriesConfFile> {
  return elideDiagnostics(loadRegistriesConfFileUnelided(source, options));
}

function loadRegistriesConfFileUnelided(source: SourceFile, options: RegistriesConfFileOptions): LoadResult<RegistriesConfFile> {
  let doc: Record<string, TomlValue>;
  try {
    doc = parseToml(source.text, { integersAsBigInt: true }) as Record<string, TomlValue>;
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    const offset = source.offset({ line: e.line, column: e.column });
    const firstLine = e.message.split("\n")[0].replace(/^Invalid TOML document: /, "");
    const dup = /already defined/.test(firstLine) ? duplicateKeyMessage(source, e.line) : undefined;
    return {
      diagnostics: [
        {
          code: dup ? REGISTRIES_CONF_CODES.duplicateKey : REGISTRIES_CONF_CODES.tomlSyntax,
          severity: "error",
          message: `TOML syntax error: ${firstLine}`,
          span: source.span(offset, offset),
          upstreamMessage: dup,
        },
      ],
    };
  }
  const mode = confMode(options.target);
  const dec = new ConfDecoder(source, mode);
  const decoded = dec.decode(doc);
  const problems = dec.problems;
  if (problems.some((p) => p.severity === "error")) return { diagnostics: toDiagnostics(problems, (g) => g) };

  let d = decoded;
  let v1 = false;
  if (nonEmptyV1(decoded, mode)) {
    if (options.forceV2) {
      problems.push({ code: REGISTRIES_CONF_CODES.v1InDropIn, severity: "error", message: "Drop-in files must use the v2 format ([[registry]] tables).", go: "registry must be in v2 format but is in v1", span: decoded.v1?.span });
      return { diagnostics: toDiagnostics(problems, (g) => g) };
    }
    if (nonEmptyV2(decoded, mode)) {
      // The newest releases append a Go %#v dump of the whole decoded file, not reproduced here.
      const go = mode === "newest" ? "mixing sysregistry v1/v2 is not supported: …" : "mixing sysregistry v1/v2 is not supported";
      problems.push({ code: REGISTRIES_CONF_CODES.mixedV1V2, severity: "error", message: "The v1 [registries.*] tables and v2 settings cannot be mixed in one file.", go, span: decoded.v1?.span });
      return { diagnostics: toDiagnostics(problems, (g) => g) };
    }
    problems.push({
      code: REGISTRIES_CONF_CODES.v1Format,
      severity: "warning",
      message: "This is the deprecated v1 format ([registries.search]/[registries.insecure]/[registries.block]); it is converted, but drop-in files may not use it. Prefer v2: unqualified-search-registries and [[registry]] tables.",
      span: decoded.v1?.span,
    });
    const c = convertV1(decoded, problems);
    if (!c) return { diagnostics: toDiagnostics(problems, (g) => g) };
    d = c;
    v1 = true;
  }
  const value = postProcess(source.path, { ...d, additionalLayerStoreAuthHelper: decoded.additionalLayerStoreAuthHelper }, problems, mode);
  value.v1 = v1;
  const diagnostics = toDiagnostics(problems, (g) => g);
  if (diagnostics.some((x) => x.severity === "error")) return { diagnostics };
  return { value, diagnostics };
}

// ----------------------------------------------------------------------------------------------------------
// Merging (tryUpdatingCache + updateWithConfigurationFrom)

/** Merge the main file (or nothing) with drop-ins in order, as upstream's `updateWithConfigurationFrom`. */
export function mergeRegistriesConf(
  main: RegistriesConfFile | undefined,
  dropIns: readonly RegistriesConfFile[],
  paths: { configPath: string; configDirPath: string } = { configPath: "/etc/containers/registries.conf", configDirPath: "/etc/containers/registries.conf.d" },
): { value: RegistriesConf; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const conf: RegistriesConf = {
    registries: main ? [...main.registries] : [],
    unqualifiedSearchRegistries: main?.unqualifiedSearchRegistries ?? [],
    unqualifiedSearchRegistriesOrigin: main ? main.file : "",
    credentialHelpers: main?.credentialHelpers ?? [],
    additionalLayerStoreAuthHelper: main?.additionalLayerStoreAuthHelper ?? "",
    shortNameMode: main?.shortNameMode ?? "permissive",
    aliases: new Map((main?.aliases ?? []).map((a) => [a.name, a])),
    files: main ? [main.file] : [],
    configPath: paths.configPath,
    configDirPath: paths.configDirPath,
  };
  let modeSet = main?.shortNameMode !== undefined;
  for (const d of dropIns) {
    conf.files.push(d.file);
    const byPrefix = new Map(conf.registries.map((r) => [r.prefix, r]));
    for (const r of d.registries) {
      const prev = byPrefix.get(r.prefix);
      if (prev) {
        diagnostics.push({
          code: REGISTRIES_CONF_CODES.dropInReplaces,
          severity: "info",
          message: `The [[registry]] with prefix '${r.prefix}' replaces the whole entry from ${prev.file} (mirrors, blocked and insecure included).`,
          span: r.prefixOrigin ?? r.origin,
          related: prev.origin ? [{ message: "the replaced entry", span: prev.origin }] : undefined,
        });
      }
      byPrefix.set(r.prefix, r);
    }
    conf.registries = [...byPrefix.values()].sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
    if (d.unqualifiedSearchRegistries !== undefined) {
      conf.unqualifiedSearchRegistries = d.unqualifiedSearchRegistries;
      conf.unqualifiedSearchRegistriesOrigin = d.file;
    }
    if (d.credentialHelpers !== undefined) conf.credentialHelpers = d.credentialHelpers;
    if (d.additionalLayerStoreAuthHelper) conf.additionalLayerStoreAuthHelper = d.additionalLayerStoreAuthHelper;
    if (d.shortNameMode !== undefined) {
      conf.shortNameMode = d.shortNameMode;
      modeSet = true;
    }
    for (const a of d.aliases) conf.aliases.set(a.name, a);
  }
  if (!modeSet) conf.shortNameMode = "permissive";
  if (conf.credentialHelpers.length === 0) conf.credentialHelpers = ["containers-auth.json"];
  return { value: conf, diagnostics };
}

/** Where registries.conf is read from (upstream `configWrapper`, with SystemContext paths set). */
export interface RegistriesConfPaths {
  /** The main file. */
  confPath: string;
  /** Drop-in directories in order (upstream: the system dir, then the user dir). */
  confDirs?: string[];
  /**
   * True when the main file was named explicitly (SystemRegistriesConfPath): then a missing file is an error;
   * otherwise an empty configuration.
   */
  explicit?: boolean;
  readFile?: (file: string) => string;
  /** Entry names of a directory (any order; sorted here as filepath.WalkDir does). */
  readDir?: (dir: string) => Array<{ name: string; isDirectory: boolean }>;
  target?: Version;
}

/**
 * Load registries.conf and its drop-ins as containers/image does (`tryUpdatingCache`): the main file (v1 or
 * v2), then every `*.conf` of each drop-in directory in lexical order (v2 only, no recursion).
 */
export function loadRegistriesConf(paths: RegistriesConfPaths): { value?: RegistriesConf; files: string[]; diagnostics: Diagnostic[] } {
  const readFile = paths.readFile ?? ((f: string) => fs.readFileSync(f, "utf8"));
  const readDir =
    paths.readDir ?? ((d: string) => fs.readdirSync(d, { withFileTypes: true }).map((e) => ({ name: e.name, isDirectory: e.isDirectory() })));
  const diagnostics: Diagnostic[] = [];
  const files: string[] = [];
  let main: RegistriesConfFile | undefined;
  let failed = false;
  try {
    const text = readFile(paths.confPath);
    files.push(paths.confPath);
    const r = loadRegistriesConfFile(new SourceFile(paths.confPath, text), { target: paths.target });
    for (const d of r.diagnostics) {
      if (d.upstreamMessage) d.upstreamMessage = `loading registries configuration ${goQuote(paths.confPath)}: ${d.upstreamMessage}`;
      diagnostics.push(d);
    }
    if (r.value) main = r.value;
    else failed = true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!(code === "ENOENT" && !paths.explicit)) {
      diagnostics.push({
        code: REGISTRIES_CONF_CODES.unreadable,
        severity: "error",
        message: `Cannot read ${paths.confPath}: ${(e as Error).message}`,
        file: paths.confPath,
        upstreamMessage: code === "ENOENT" ? `loading registries configuration ${goQuote(paths.confPath)}: open ${paths.confPath}: no such file or directory` : undefined,
      });
      failed = true;
    }
  }
  const dropIns: RegistriesConfFile[] = [];
  if (!failed) {
    for (const dir of paths.confDirs ?? []) {
      let entries: Array<{ name: string; isDirectory: boolean }>;
      try {
        entries = readDir(dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
        diagnostics.push({ code: REGISTRIES_CONF_CODES.unreadable, severity: "error", message: `Cannot read ${dir}: ${(e as Error).message}`, file: dir });
        failed = true;
        break;
      }
      const names = entries.filter((e) => !e.isDirectory && e.name.endsWith(".conf")).map((e) => e.name);
      names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const name of names) {
        const full = path.join(dir, name);
        let text: string;
        try {
          text = readFile(full);
        } catch (e) {
          // Newer releases skip a drop-in that vanished between listing and reading.
          if ((e as NodeJS.ErrnoException).code === "ENOENT" && confMode(paths.target) === "newest") continue;
          diagnostics.push({ code: REGISTRIES_CONF_CODES.unreadable, severity: "error", message: `Cannot read ${full}: ${(e as Error).message}`, file: full });
          failed = true;
          break;
        }
        files.push(full);
        const r = loadRegistriesConfFile(new SourceFile(full, text), { forceV2: true, target: paths.target });
        for (const d of r.diagnostics) {
          if (d.upstreamMessage) d.upstreamMessage = `loading drop-in registries configuration ${goQuote(full)}: ${d.upstreamMessage}`;
          diagnostics.push(d);
        }
        if (r.value) dropIns.push(r.value);
        else {
          failed = true;
          break;
        }
      }
      if (failed) break;
    }
  }
  if (failed) return { files, diagnostics };
  const merged = mergeRegistriesConf(main, dropIns, { configPath: paths.confPath, configDirPath: paths.confDirs?.[paths.confDirs.length - 1] ?? "" });
  diagnostics.push(...merged.diagnostics);
  return { value: merged.value, files, diagnostics };
}

/** The string form of an alias value (for messages). */
export function aliasValueString(a: ShortNameAlias): string {
  return a.value ? referenceString(a.value) : "";
}

/**
 * Load the machine-generated short-name alias cache (`short-name-aliases.conf`; upstream
 * `loadShortNameAliasConf` + `newShortNameAliasCache`). A missing file is an empty cache (callers decide).
 */
export function loadShortNameAliasCache(source: SourceFile): LoadResult<Map<string, ShortNameAlias>> {
  const wrap = (m: string) => `loading short-name aliases config file ${goQuote(source.path)}: ${m}`;
  let doc: Record<string, TomlValue>;
  try {
    doc = parseToml(source.text, { integersAsBigInt: true }) as Record<string, TomlValue>;
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    const offset = source.offset({ line: e.line, column: e.column });
    return {
      diagnostics: [
        { code: REGISTRIES_CONF_CODES.tomlSyntax, severity: "error", message: `TOML syntax error: ${e.message.split("\n")[0]}`, span: source.span(offset, offset) },
      ],
    };
  }
  const dec = new ConfDecoder(source);
  const out = new Map<string, ShortNameAlias>();
  const f = dec.fields(doc, ["aliases"], "", undefined, undefined);
  const problems: Problem[] = dec.problems.filter((p) => p.severity === "error");
  const al = f.get("aliases");
  if (al) {
    if (!isTable(al.value)) {
      dec.badType([al.key], al.value, "map", undefined, "'aliases' must be a table.");
    } else {
      for (const [name, value] of Object.entries(al.value)) {
        if (typeof value !== "string") {
          dec.badType([al.key, name], value, "string", undefined, `Alias '${name}' must be a string.`);
          continue;
        }
        const nameErr = validateShortName(name);
        if (nameErr) problems.push({ code: REGISTRIES_CONF_CODES.badAlias, severity: "error", message: `Alias name '${name}' must be a short name.`, go: nameErr });
        if (value === "") {
          out.set(name, { name, value: null, valueText: "", file: source.path });
          continue;
        }
        const v = parseShortNameValue(value);
        if (!v.ok) problems.push({ code: REGISTRIES_CONF_CODES.badAlias, severity: "error", message: `Alias '${name}' is invalid: ${v.error}`, go: v.error });
        else out.set(name, { name, value: v.ref, valueText: value, file: source.path });
      }
    }
  }
  problems.unshift(...dec.problems.filter((p) => p.severity === "error" && !problems.includes(p)));
  const diagnostics = toDiagnostics(problems, wrap);
  return diagnostics.some((d) => d.severity === "error") ? { diagnostics } : { value: out, diagnostics };
}
