/**
 * Decoding a parsed TOML document into registries.conf's fields as BurntSushi/toml decodes into upstream's
 * `tomlConfig` (system_registries_v2.go): field names match exactly first, then case-insensitively (`unifyStruct`);
 * type errors carry BurntSushi's own text (`md.e` with the key context). Positions come from {@link scanToml}.
 */
import { TomlDate } from "smol-toml";
import type { SourceFile, Span } from "../../source/source-file.js";
import { didYouMean } from "../../diagnostics/did-you-mean.js";
import { goQuote } from "../../util/go-quote.js";
import { REGISTRIES_CONF_CODES } from "./codes.js";
import type { ConfMode, DecodedConf, RawEndpoint, RawRegistry } from "./decoded.js";
import type { Problem } from "./problem.js";
import { scanToml, type ScannedKey, type ScannedTable } from "./toml-scan.js";

/** A value of the parsed document (smol-toml: strings, bigints, numbers, booleans, TomlDate, arrays, tables). */
export type TomlValue = unknown;

/** The Go type BurntSushi names for a TOML value in its messages. */
function goTypeOf(v: TomlValue): string {
  if (typeof v === "string") return "string";
  if (typeof v === "bigint") return "int64";
  if (typeof v === "number") return "float64";
  if (typeof v === "boolean") return "bool";
  if (v instanceof TomlDate) return "time.Time";
  if (Array.isArray(v)) return "[]interface {}";
  return "map[string]interface {}";
}

/** A TOML table (not an array, not a date). */
export function isTable(v: TomlValue): v is Record<string, TomlValue> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof TomlDate);
}

/** The toml tags of upstream's `tomlConfig`, `Registry` and `Endpoint` structs (5.23.1). */
const TOP_FIELDS = ["registry", "unqualified-search-registries", "credential-helpers", "short-name-mode", "aliases", "registries"] as const;
const REGISTRY_FIELDS = ["prefix", "location", "insecure", "pull-from-mirror", "mirror", "blocked", "mirror-by-digest-only"] as const;
const ENDPOINT_FIELDS = ["location", "insecure", "pull-from-mirror"] as const;
/** Keys that exist only in the newest releases (container-libs main). */
const NEWEST_TOP_FIELDS = [...TOP_FIELDS, "additional-layer-store-auth-helper"] as const;
const NEWEST_REGISTRY_FIELDS = [...REGISTRY_FIELDS, "proxy"] as const;
const NEWEST_ENDPOINT_FIELDS = [...ENDPOINT_FIELDS, "proxy"] as const;
/** The v1 `V1TOMLConfig` / `V1TOMLregistries` tags. */
const V1_FIELDS = ["search", "insecure", "block"] as const;
const V1_LIST_FIELDS = ["registries"] as const;

/** One document being decoded: the problems found so far, and the scanned positions of its tables and keys. */
export class ConfDecoder {
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

  /** Decode the whole document (upstream: `toml.DecodeFile` into `tomlConfig`), field by field in upstream's order. */
  decode(doc: Record<string, TomlValue>): DecodedConf {
    const root = this.tables[0];
    const newest = this.mode === "newest";
    const top = this.fields(doc, newest ? NEWEST_TOP_FIELDS : TOP_FIELDS, "", root, undefined);
    const out: DecodedConf = { registries: [], aliases: [], present: new Set(top.keys()) };
    const topSpan = (field: string) => this.keyIn(root, top.get(field)?.key ?? field);
    const reg = top.get("registry");
    if (reg) this.decodeRegistries(reg, topSpan("registry"), out);
    this.decodeSettings(top, topSpan, out);
    const al = top.get("aliases");
    if (al) this.decodeAliases(al, topSpan("aliases"), out);
    const v1 = top.get("registries");
    if (v1) this.decodeV1(v1, topSpan("registries"), out);
    return out;
  }

  /** `[[registry]]` tables and their `[[registry.mirror]]` tables (upstream `Registry` and `Endpoint`). */
  private decodeRegistries(reg: { key: string; value: TomlValue }, regKey: ScannedKey | undefined, out: DecodedConf): void {
    const newest = this.mode === "newest";
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

  /** The top-level scalars and lists: search registries, credential helpers, short-name mode, layer-store helper. */
  private decodeSettings(top: Map<string, { key: string; value: TomlValue }>, topSpan: (field: string) => ScannedKey | undefined, out: DecodedConf): void {
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
  }

  /** The `[aliases]` table (upstream `shortNameAliasConf.Aliases`), with the span of each entry. */
  private decodeAliases(al: { key: string; value: TomlValue }, alKey: ScannedKey | undefined, out: DecodedConf): void {
    const alTable = this.tablesAt("aliases")[0];
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

  /** The v1 `[registries.search|insecure|block]` tables (upstream `V1TOMLConfig`). */
  private decodeV1(v1: { key: string; value: TomlValue }, v1Key: ScannedKey | undefined, out: DecodedConf): void {
    const v1Span =
      this.tablesAt("registries")[0]?.headerSpan ??
      this.tables.find((t) => t.path.toLowerCase().startsWith("registries."))?.headerSpan ??
      v1Key?.keySpan;
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
}
