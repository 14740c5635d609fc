/**
 * registries.d loading: every `*.yaml` file of a directory into the IR's RegistriesDConfig, with spans.
 *
 * Follows containers/image `docker/registries_d.go` (`loadAndMergeConfig`, `registryConfiguration`,
 * `registryNamespace`). Two decoders exist upstream and both are reproduced, chosen by target version:
 *  - up to 5.24 (Debian 12 ships 5.23.1): `ghodss/yaml` = yaml.v2 (YAML 1.1 scalars) → JSON → encoding/json:
 *    keys match case-insensitively, duplicate keys silently keep the last value, numbers and booleans
 *    given for URL strings are re-formatted as Go formats them;
 *  - 5.25 and newer: yaml.v3, keys case-sensitive, duplicate keys are errors, scalars taken literally.
 * Unknown keys are silently ignored by both; we warn.
 */
import { elideDiagnosticMessages } from "../diagnostics/elide.js";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseAllDocuments, visit, isAlias, isMap, isScalar, isSeq, isPair, Scalar, YAMLMap, type Document, type Node as YamlNode } from "yaml";
import { SourceFile, type Span } from "../source/source-file.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import type { RegistriesDConfig, RegistriesDEntry, SignatureStorage } from "../ir/types.js";
import { hasFeature, type Version } from "../ir/versions.js";
import { goQuote } from "../util/go-quote.js";
import { goParseURL } from "../registries/go-url.js";
import type { LoadResult } from "./result.js";

/** One registries.d file as loaded: its sections in document order. */
export interface RegistriesDFile {
  file: string;
  defaultDocker?: { file: string; storage: SignatureStorage; keyOrigin?: Span };
  docker: RegistriesDEntry[];
}

/**
 * The IR's SignatureStorage plus where each setting was written (key and value spans), for findings that
 * point at one line. Structurally a SignatureStorage, so it fits the IR unchanged.
 */
export interface LoadedSignatureStorage extends SignatureStorage {
  fieldOrigins?: Partial<Record<keyof SignatureStorage, { key: Span; value: Span }>>;
}

/** Options for loading registries.d. `target` undefined = the newest containers/image. */
export interface RegistriesDLoadOptions {
  target?: Version;
}

/** registries.d files longer than this (UTF-16 units) are refused with IT1319 instead of parsed. */
export const MAX_REGISTRIES_D_LENGTH = 16 * 1024 * 1024;

/** Diagnostic codes of registries.d loading (IT13xx). */
export const REGISTRIES_D_CODES = {
  yamlSyntax: "IT1300",
  typeError: "IT1301",
  duplicateKey: "IT1302",
  unknownKey: "IT1303",
  caseFoldedKey: "IT1304",
  deprecatedKey: "IT1305",
  defaultDockerTwice: "IT1306",
  namespaceTwice: "IT1307",
  ignoredFile: "IT1308",
  extraDocuments: "IT1309",
  unreadable: "IT1310",
  coercedScalar: "IT1311",
  featureTooNew: "IT1312",
  nullDefaultDocker: "IT1313",
  invalidUrl: "IT1314",
  schemelessUrl: "IT1315",
  unsupportedScheme: "IT1316",
  stagingNotFile: "IT1317",
  trailingSlash: "IT1318",
  tooLarge: "IT1319",
  excessiveAliasing: "IT1320",
} as const;

const TOP_KEYS = ["default-docker", "docker"] as const;
const NS_KEYS = ["lookaside", "lookaside-staging", "sigstore", "sigstore-staging", "use-sigstore-attachments"] as const;
type NsKey = (typeof NS_KEYS)[number];
const NS_FIELD: Record<NsKey, keyof SignatureStorage> = {
  lookaside: "lookaside",
  "lookaside-staging": "lookasideStaging",
  sigstore: "sigstore",
  "sigstore-staging": "sigstoreStaging",
  "use-sigstore-attachments": "useSigstoreAttachments",
};
const DEPRECATED: Partial<Record<NsKey, string>> = { sigstore: "lookaside", "sigstore-staging": "lookaside-staging" };

/** Which decoder a target uses. */
type Decoder = "v2" | "v3";

// ----------------------------------------------------------------------------------------------------------
// Scalars as yaml.v2 (YAML 1.1) and yaml.v3 (YAML 1.2 core) resolve them

type Resolved =
  | { kind: "null" }
  | { kind: "bool"; value: boolean }
  | { kind: "int"; value: number }
  | { kind: "float"; value: number }
  | { kind: "string"; value: string };

const V2_TRUE = new Set(["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]);
const V2_FALSE = new Set(["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]);
const V3_TRUE = new Set(["true", "True", "TRUE"]);
const V3_FALSE = new Set(["false", "False", "FALSE"]);
/** YAML 1.1 words yaml.v3 still accepts when decoding into a typed bool (quoted or not). */
const V3_COMPAT_TRUE = new Set(["y", "Y", "yes", "Yes", "YES", "on", "On", "ON"]);
const V3_COMPAT_FALSE = new Set(["n", "N", "no", "No", "NO", "off", "Off", "OFF"]);
const NULL_WORDS = new Set(["", "~", "null", "Null", "NULL"]);
const INT_RE = /^[-+]?(?:0|[1-9][0-9_]*)$/;
const HEX_RE = /^[-+]?0x[0-9a-fA-F_]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

function scalarText(node: Scalar): { text: string; plain: boolean } {
  const plain = node.type === Scalar.PLAIN || node.type === undefined;
  const src = (node as Scalar & { source?: string }).source;
  if (plain && typeof src === "string") return { text: src, plain };
  const v = node.value;
  return { text: v === null || v === undefined ? "" : String(v), plain };
}

function resolveScalar(node: Scalar, decoder: Decoder): Resolved {
  const { text, plain } = scalarText(node);
  if (node.tag === "tag:yaml.org,2002:str" || !plain) return { kind: "string", value: text };
  if (NULL_WORDS.has(text)) return { kind: "null" };
  if (decoder === "v2") {
    if (V2_TRUE.has(text)) return { kind: "bool", value: true };
    if (V2_FALSE.has(text)) return { kind: "bool", value: false };
  } else {
    if (V3_TRUE.has(text)) return { kind: "bool", value: true };
    if (V3_FALSE.has(text)) return { kind: "bool", value: false };
  }
  const t = text.replace(/_/g, "");
  if (INT_RE.test(text)) return { kind: "int", value: Number(t) };
  if (HEX_RE.test(text)) return { kind: "int", value: (t.startsWith("-") ? -1 : 1) * parseInt(t.replace(/^[-+]?0x/, ""), 16) };
  if (FLOAT_RE.test(text)) return { kind: "float", value: Number(t) };
  return { kind: "string", value: text };
}

/** Go's strconv.FormatFloat(f, 'g', -1, 32), as ghodss/yaml formats a float given for a string field. */
export function goFormatFloat32(f: number): string {
  if (Number.isNaN(f)) return "NaN";
  if (f === Infinity) return "+Inf";
  if (f === -Infinity) return "-Inf";
  const x = Math.fround(f);
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  let digits = "";
  let exp = 0;
  for (let p = 1; p <= 9; p++) {
    const s = x.toExponential(p - 1);
    if (Math.fround(Number(s)) === x) {
      const [mant, e] = s.split("e");
      digits = mant.replace("-", "").replace(".", "");
      exp = Number(e);
      break;
    }
  }
  digits = digits.replace(/0+$/, "") || "0";
  const sign = x < 0 ? "-" : "";
  // Go's shortest %g switches to %e when exp < -4 || exp >= 6 (eprec is 6 for shortest formatting).
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
    const es = Math.abs(exp) < 10 ? "0" + Math.abs(exp) : String(Math.abs(exp));
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${es}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return sign + digits + "0".repeat(exp + 1 - digits.length);
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

// ----------------------------------------------------------------------------------------------------------
// Decoding one file

interface TypeProblem {
  span: Span;
  message: string;
  /** The Go error text for this problem (v2: the json error; v3: one "line N: …" entry). */
  goText: string;
  /** Sort key of json's decoding order (sorted map keys), v2 only. */
  order: string;
}

interface KeyPair {
  keyText: string;
  keyNode: YamlNode;
  value: YamlNode | null;
  /** Came from a `<<` merge key (never a duplicate; explicit keys override it). */
  merged?: boolean;
}

/**
 * The offset of the first character libyaml's reader refuses ("control characters are not allowed",
 * go-yaml readerc.go: only TAB, LF, CR, printable ASCII, NEL, U+00A0–U+D7FF, U+E000–U+FFFD and the
 * supplementary planes), or -1. A byte order mark at the start is the encoding's, not content. Lone
 * surrogates cannot come from UTF-8 bytes and are left to the YAML parser.
 */
export function firstYamlControlCharacter(text: string): number {
  // eslint-disable-next-line no-control-regex
  const bad = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]/g;
  bad.lastIndex = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const m = bad.exec(text);
  return m ? m.index : -1;
}

/** go-yaml's `allowedAliasRatio` (yaml.v2 and yaml.v3 decode.go). */
function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= 400_000) return 0.99;
  if (decodeCount >= 4_000_000) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - 400_000) / 3_600_000);
}

/** What the Go decoder decodes a node into: only what it descends into counts (yaml.v3 into the structs). */
type DecodeTarget = "any" | "configuration" | "namespace" | "namespaces" | "scalar";
const CONFIGURATION_FIELDS: Record<string, DecodeTarget> = { "default-docker": "namespace", docker: "namespaces" };

/**
 * go-yaml's alias-bomb check, replayed without expanding anything: `decoder.unmarshal` counts every node it
 * decodes (`decodeCount`) and those reached through an alias (`aliasCount`), and fails with "document contains
 * excessive aliasing" once aliasCount > 100, decodeCount > 1000 and their ratio exceeds allowedAliasRatio.
 * 5.23 (v2) converts the whole document to JSON first, so everything counts; 5.25+ (v3) decodes into
 * registryConfiguration, skipping the values of unknown fields. The walk stops at the first failure, and
 * the ratio bounds its length (at most ~1.1 × the document's nodes past 4 million decodes).
 * Returns the outermost alias being expanded at the failure, or undefined when Go decodes the file.
 */
export function excessiveAliasing(doc: Document, decoder: "v2" | "v3"): { alias?: YamlNode } | undefined {
  type Item = { node: YamlNode | null; target: DecodeTarget; merge?: boolean } | { end: YamlNode };
  let decodeCount = 1; // the document node
  let aliasCount = 0;
  const aliases: YamlNode[] = [];
  const stack: Item[] = [{ node: (doc.contents as YamlNode | null) ?? null, target: decoder === "v2" ? "any" : "configuration" }];
  const seen = new Set<YamlNode>();
  while (stack.length > 0) {
    const item = stack.pop()!;
    if ("end" in item) {
      aliases.pop();
      seen.delete(item.end);
      continue;
    }
    const { node, target } = item;
    if (item.merge && node && isSeq(node)) {
      // A merge of a sequence decodes its items (last first), not the sequence node itself.
      for (const x of node.items) stack.push({ node: x as YamlNode, target });
      continue;
    }
    decodeCount++;
    if (aliases.length > 0) aliasCount++;
    if (aliasCount > 100 && decodeCount > 1000 && aliasCount / decodeCount > allowedAliasRatio(decodeCount)) return { alias: aliases[0] };
    if (!node) continue;
    if (isAlias(node)) {
      const resolved = (node.resolve(doc) as YamlNode | undefined) ?? null;
      if (!resolved || seen.has(node)) continue; // unresolvable or self-containing: other errors report it
      seen.add(node);
      aliases.push(node);
      stack.push({ end: node }, { node: resolved, target });
      continue;
    }
    const children: Item[] = [];
    if (isMap(node)) {
      if (target === "scalar") continue;
      for (const pair of node.items) {
        const key = (pair.key as YamlNode | null) ?? null;
        const value = (pair.value as YamlNode | null) ?? null;
        if (isScalar(key) && scalarText(key).plain && scalarText(key).text === "<<") {
          children.push({ node: value, target, merge: true });
          continue;
        }
        if (target === "any") children.push({ node: key, target: "any" }, { node: value, target: "any" });
        else if (target === "namespaces") children.push({ node: key, target: "scalar" }, { node: value, target: "namespace" });
        else {
          children.push({ node: key, target: "scalar" });
          const name = isScalar(key) ? String(key.value) : undefined;
          const field = target === "configuration" && name !== undefined ? CONFIGURATION_FIELDS[name] : undefined;
          if (field) children.push({ node: value, target: field });
          else if (target === "namespace" && name !== undefined && NAMESPACE_FIELD_NAMES.has(name)) children.push({ node: value, target: "scalar" });
        }
      }
    } else if (isSeq(node)) {
      if (target === "any") for (const x of node.items) children.push({ node: x as YamlNode, target: "any" });
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return undefined;
}

const NAMESPACE_FIELD_NAMES = new Set(["lookaside", "lookaside-staging", "sigstore", "sigstore-staging", "use-sigstore-attachments"]);

/** One pair per key, at the key's first position with its last value (what a later `fields` lookup sees). */
function lastPerKey(pairs: KeyPair[]): KeyPair[] {
  const m = new Map<string, KeyPair>();
  for (const p of pairs) m.set(p.keyText, p);
  return [...m.values()];
}

class FileDecoder {
  readonly diagnostics: Diagnostic[] = [];
  readonly problems: TypeProblem[] = [];
  constructor(
    readonly source: SourceFile,
    readonly decoder: Decoder,
    readonly target: Version | undefined,
    readonly doc?: Document.Parsed,
  ) {}

  /** Follow YAML aliases (`*anchor`) to the node they name. */
  deref(node: YamlNode | null | undefined): YamlNode | null {
    let n = node ?? null;
    for (let i = 0; i < 100 && n && isAlias(n); i++) n = (this.doc ? (n.resolve(this.doc) as YamlNode | undefined) : undefined) ?? null;
    return n;
  }

  span(node: { range?: [number, number, number] | null } | null | undefined): Span {
    const r = node?.range;
    if (!r) return this.source.span(0, 0);
    return this.source.span(r[0], r[1]);
  }

  line(node: YamlNode | null | undefined): number {
    return this.source.position(node?.range?.[0] ?? 0).line;
  }

  kindOf(raw: YamlNode | null | undefined): "null" | "map" | "seq" | Resolved["kind"] {
    const node = this.deref(raw);
    if (node === null || node === undefined) return "null";
    if (isMap(node)) return "map";
    if (isSeq(node)) return "seq";
    if (isScalar(node)) return resolveScalar(node, this.decoder).kind;
    return "string";
  }

  /** Record a type error as encoding/json (v2) or yaml.v3 words it. */
  typeError(node: YamlNode | null | undefined, order: string, goType: string, jsonField: string | undefined, ourMessage: string): void {
    const kind = this.kindOf(node);
    let goText: string;
    if (this.decoder === "v2") {
      const jsonKind =
        kind === "map" ? "object" : kind === "seq" ? "array" : kind === "int" || kind === "float" ? "number" : kind === "bool" ? "bool" : "string";
      goText =
        jsonField === undefined
          ? `json: cannot unmarshal ${jsonKind} into Go value of type ${goType}`
          : `json: cannot unmarshal ${jsonKind} into Go struct field ${jsonField} of type ${goType}`;
    } else {
      const tag =
        kind === "map" ? "!!map" : kind === "seq" ? "!!seq" : kind === "int" ? "!!int" : kind === "float" ? "!!float" : kind === "bool" ? "!!bool" : "!!str";
      let value = "";
      if (tag !== "!!map" && tag !== "!!seq" && node && isScalar(node)) {
        const t = scalarText(node).text;
        value = t.length > 10 ? " `" + t.slice(0, 7) + "...`" : " `" + t + "`";
      }
      goText = `line ${this.line(node)}: cannot unmarshal ${tag}${value} into ${goType}`;
    }
    this.problems.push({ span: this.span(node), message: ourMessage, goText, order });
  }

  keyText(keyNode: YamlNode): string {
    if (!isScalar(keyNode)) {
      // yaml's own stringification throws on some malformed collections (e.g. a `<<` merge of a scalar
      // in a complex key); the key's source text is as good a name for the diagnostics that follow.
      try {
        return String(keyNode ?? "");
      } catch {
        const r = (keyNode as { range?: [number, number, number] | null }).range;
        return r ? this.source.text.slice(r[0], r[1]) : "";
      }
    }
    const r = resolveScalar(keyNode, this.decoder);
    if (r.kind === "string") return r.value;
    if (r.kind === "null") return "";
    if (this.decoder === "v2") {
      if (r.kind === "bool") return r.value ? "true" : "false";
      if (r.kind === "int") return String(r.value);
    }
    return scalarText(keyNode).text;
  }

  private readonly mergedPairs = new Map<YAMLMap, KeyPair[]>();

  /** All pairs of a mapping; reports duplicate keys (v3: error, v2: warning, last wins). */
  pairs(map: YAMLMap, context: string, depth = 0): KeyPair[] {
    const all: KeyPair[] = [];
    const merged: KeyPair[] = [];
    for (const item of map.items) {
      if (!isPair(item)) continue;
      const keyNode = item.key as YamlNode;
      const value = this.deref(item.value as YamlNode | null);
      if (isScalar(keyNode) && scalarText(keyNode).plain && scalarText(keyNode).text === "<<" && depth < 20) {
        // Merge keys: the named mappings' pairs, explicit keys (and earlier mappings) taking precedence.
        const sources = value && isSeq(value) ? [...value.items].reverse().map((x) => this.deref(x as YamlNode)) : [value];
        for (const m of sources) {
          if (!m || !isMap(m)) continue;
          // Each merged mapping is read once and only its winning pairs kept: merge chains that name the same
          // mapping many times (a "merge bomb") would otherwise grow exponentially.
          let ps = this.mergedPairs.get(m);
          if (!ps) {
            ps = lastPerKey(this.pairs(m, context, depth + 1));
            this.mergedPairs.set(m, ps);
          }
          for (const p of ps) merged.push({ ...p, merged: true });
        }
        continue;
      }
      all.push({ keyText: this.keyText(keyNode), keyNode, value });
    }
    const firstSeen = new Map<string, YamlNode>();
    for (const p of all) {
      const prev = firstSeen.get(p.keyText);
      if (!prev) {
        firstSeen.set(p.keyText, p.keyNode);
        continue;
      }
      if (this.decoder === "v3") {
        this.problems.push({
          span: this.span(p.keyNode),
          message: `Duplicate key '${p.keyText}'${context}: containers/image 5.25 and newer refuse the file (first defined on line ${this.line(prev)}).`,
          goText: `line ${this.line(p.keyNode)}: mapping key ${JSON.stringify(p.keyText)} already defined at line ${this.line(prev)}`,
          order: "",
        });
      } else {
        this.diagnostics.push({
          code: REGISTRIES_D_CODES.duplicateKey,
          severity: "warning",
          message: `Duplicate key '${p.keyText}'${context}: containers/image before 5.25 silently uses the last value; 5.25 and newer refuse the file.`,
          span: this.span(p.keyNode),
          related: [{ message: "first definition", span: this.span(prev) }],
        });
      }
    }
    return [...lastPerKey(merged), ...all];
  }

  /**
   * Match pairs against struct fields as the decoder does: v3 exact names; v2 (encoding/json) exact or
   * case-insensitive, keys processed in sorted order (json.Marshal of a Go map), the last one winning.
   */
  fields(all: KeyPair[], known: readonly string[], context: string): Map<string, KeyPair> {
    const matched = new Map<string, KeyPair>();
    const lastByText = new Map<string, KeyPair>();
    for (const p of all) lastByText.set(p.keyText, p);
    const candidates = [...lastByText.values()];
    if (this.decoder === "v2") candidates.sort((a, b) => (a.keyText < b.keyText ? -1 : a.keyText > b.keyText ? 1 : 0));
    for (const p of candidates) {
      let field = known.find((k) => k === p.keyText);
      if (!field && this.decoder === "v2") {
        field = known.find((k) => k.toLowerCase() === p.keyText.toLowerCase());
        if (field) {
          this.diagnostics.push({
            code: REGISTRIES_D_CODES.caseFoldedKey,
            severity: "warning",
            message: `Key '${p.keyText}'${context} is read as '${field}' only by containers/image before 5.25 (case-insensitive); newer versions ignore it.`,
            span: this.span(p.keyNode),
            fix: { description: `Rename to '${field}'`, edits: [{ span: this.span(p.keyNode), text: field }] },
          });
        }
      }
      if (!field) {
        this.diagnostics.push({
          code: REGISTRIES_D_CODES.unknownKey,
          severity: "warning",
          message: `Unknown key '${p.keyText}'${context} is silently ignored by containers/image.${didYouMean(p.keyText, known)}`,
          span: this.span(p.keyNode),
        });
        continue;
      }
      const prev = matched.get(field);
      if (prev && prev.keyText !== p.keyText) {
        this.diagnostics.push({
          code: REGISTRIES_D_CODES.duplicateKey,
          severity: "warning",
          message: `Keys '${prev.keyText}' and '${p.keyText}'${context} both set '${field}'; containers/image before 5.25 uses '${p.keyText}'.`,
          span: this.span(p.keyNode),
          related: [{ message: "the other spelling", span: this.span(prev.keyNode) }],
        });
      }
      matched.set(field, p);
    }
    return matched;
  }

  /** Decode a `registryNamespace`. `parent` is the JSON field of the section ("docker" or "default-docker"). */
  namespace(raw: YamlNode | null, parent: "docker" | "default-docker", where: string, order: string): SignatureStorage {
    const node = this.deref(raw);
    const storage: LoadedSignatureStorage = {};
    if (node) storage.origin = this.span(node);
    const kind = this.kindOf(node);
    if (kind === "null") return storage;
    if (kind !== "map") {
      const jsonField = parent === "docker" ? "registryConfiguration.docker" : "registryConfiguration.default-docker";
      this.typeError(node, order, "docker.registryNamespace", jsonField, `${where} must be a mapping of signature storage settings.`);
      return storage;
    }
    const matched = this.fields(this.pairs(node as YAMLMap, ` in ${where}`), NS_KEYS, ` in ${where}`);
    const lookasideOk = hasFeature(this.target, "lookaside");
    for (const [key, p] of matched) {
      const k = key as NsKey;
      const subOrder = order + "\u0000" + p.keyText;
      if (!lookasideOk && (k === "lookaside" || k === "lookaside-staging" || k === "use-sigstore-attachments")) {
        this.diagnostics.push({
          code: REGISTRIES_D_CODES.featureTooNew,
          severity: "warning",
          message: `'${k}' needs containers/image 5.22 or newer; the target ignores it.`,
          span: this.span(p.keyNode),
        });
        continue;
      }
      const deprecated = DEPRECATED[k];
      if (deprecated && lookasideOk) {
        this.diagnostics.push({
          code: REGISTRIES_D_CODES.deprecatedKey,
          severity: "warning",
          message: `'${k}' is a deprecated name of '${deprecated}'.`,
          span: this.span(p.keyNode),
          fix: { description: `Rename to '${deprecated}'`, edits: [{ span: this.span(p.keyNode), text: deprecated }] },
        });
      }
      const v = this.deref(p.value);
      const vk = this.kindOf(v);
      (storage.fieldOrigins ??= {})[NS_FIELD[k]] = { key: this.span(p.keyNode), value: this.span(v ?? p.keyNode) };
      if (k === "use-sigstore-attachments") {
        if (vk === "null") continue;
        let b: boolean | undefined;
        if (vk === "bool" && v && isScalar(v)) b = (resolveScalar(v, this.decoder) as { value: boolean }).value;
        else if (this.decoder === "v3" && vk === "string" && v && isScalar(v)) {
          const t = scalarText(v).text;
          if (V3_COMPAT_TRUE.has(t)) b = true;
          else if (V3_COMPAT_FALSE.has(t)) b = false;
        }
        if (b === undefined) {
          this.typeError(v, subOrder, "bool", `registryNamespace.${parent}.${k}`, `'${k}' in ${where} must be a boolean (true or false).`);
          continue;
        }
        storage.useSigstoreAttachments = b;
        continue;
      }
      if (vk === "null") continue;
      if (vk === "map" || vk === "seq") {
        this.typeError(v, subOrder, "string", `registryNamespace.${parent}.${k}`, `'${k}' in ${where} must be a URL string, not a ${vk === "map" ? "mapping" : "sequence"}.`);
        continue;
      }
      const scalar = v as Scalar;
      const r = resolveScalar(scalar, this.decoder);
      let text: string;
      if (this.decoder === "v3") text = scalarText(scalar).text;
      else if (r.kind === "int") text = String(r.value);
      else if (r.kind === "float") text = goFormatFloat32(r.value);
      else if (r.kind === "bool") text = r.value ? "true" : "false";
      else text = (r as { value: string }).value;
      if (r.kind !== "string") {
        this.diagnostics.push({
          code: REGISTRIES_D_CODES.coercedScalar,
          severity: "warning",
          message: `'${k}' in ${where} is not a string; containers/image reads it as ${JSON.stringify(text)}.`,
          span: this.span(v),
          hint: "Quote the URL.",
        });
      }
      (storage as Record<string, unknown>)[NS_FIELD[k]] = text;
      if (text !== "") this.checkUrl(text, k, where, this.span(v));
    }
    return storage;
  }

  /**
   * What happens when the URL is used (never at load time): Go's url.Parse errors, scheme-less values
   * (5.23.x panics), schemes the docker transport cannot read or write (`docker_image_src.go`
   * `getOneSignature`, `docker_image_dest.go` `putOneSignature`), and `//` from a trailing slash.
   */
  checkUrl(text: string, key: NsKey, where: string, span: Span): void {
    const warn = (code: string, message: string, extra: Partial<Diagnostic> = {}) =>
      this.diagnostics.push({ code, severity: "warning", message, span, ...extra });
    const parsed = goParseURL(text);
    if (!parsed.ok) {
      warn(REGISTRIES_D_CODES.invalidUrl, `'${key}' in ${where} is not a valid URL: every image using it fails with "Invalid signature storage URL ${text}: ${parsed.error}".`);
      return;
    }
    const u = parsed.url;
    if (u.scheme === "") {
      const old = this.target !== undefined && this.target[0] === 5 && this.target[1] <= 23;
      warn(
        REGISTRIES_D_CODES.schemelessUrl,
        old
          ? `'${key}' in ${where} has no scheme: containers/image ${this.target!.join(".")} crashes (nil pointer dereference) for every image using it.`
          : `'${key}' in ${where} has no scheme; signature reads and writes through it fail.`,
        { hint: text.startsWith("/") ? `Write file://${text}` : "Write a file://, http:// or https:// URL." },
      );
      return;
    }
    const staging = key === "lookaside-staging" || key === "sigstore-staging";
    if (u.scheme !== "file" && u.scheme !== "http" && u.scheme !== "https") {
      warn(REGISTRIES_D_CODES.unsupportedScheme, `'${key}' in ${where} uses the scheme '${u.scheme}': containers/image reads signatures only from file, http and https URLs ("Unsupported scheme when reading signature from …").`);
    } else if (staging && u.scheme !== "file") {
      warn(
        REGISTRIES_D_CODES.stagingNotFile,
        `'${key}' in ${where} is ${u.scheme}: signatures can be written only to file: URLs ("Writing directly to a ${u.scheme} lookaside … is not supported").`,
      );
    }
    if (u.opaque === "" && u.path.length > 1 && u.path.endsWith("/")) {
      warn(REGISTRIES_D_CODES.trailingSlash, `'${key}' in ${where} ends in '/': signature URLs get '//' before the repository path.`);
    }
  }

  decode(rawRoot: YamlNode | null): RegistriesDFile {
    const root = this.deref(rawRoot);
    const file = this.source.path;
    const result: RegistriesDFile = { file, docker: [] };
    const kind = this.kindOf(root);
    if (kind === "null") return result;
    if (kind !== "map") {
      this.typeError(root, "", "docker.registryConfiguration", undefined, "A registries.d file must be a mapping with 'default-docker' and/or 'docker'.");
      return result;
    }
    const matched = this.fields(this.pairs(root as YAMLMap, ""), TOP_KEYS, "");
    const dd = matched.get("default-docker");
    if (dd) {
      if (this.kindOf(dd.value) === "null") {
        this.diagnostics.push({
          code: REGISTRIES_D_CODES.nullDefaultDocker,
          severity: "info",
          message: "'default-docker' with no value is the same as no 'default-docker' at all.",
          span: this.span(dd.keyNode),
        });
      } else {
        const storage = this.namespace(dd.value, "default-docker", "'default-docker'", dd.keyText);
        result.defaultDocker = { file, storage, keyOrigin: this.span(dd.keyNode) };
      }
    }
    const dk = matched.get("docker");
    if (dk) {
      const vk = this.kindOf(dk.value);
      if (vk === "map") {
        dk.value = this.deref(dk.value);
        // One entry per scope: the last value wins (v2), at the position of its last key.
        const byScope = new Map<string, RegistriesDEntry>();
        for (const p of this.pairs(dk.value as YAMLMap, " in 'docker'")) {
          const storage = this.namespace(p.value, "docker", `docker scope '${p.keyText}'`, dk.keyText + "\u0000" + p.keyText);
          const existing = byScope.get(p.keyText);
          if (existing) {
            existing.storage = storage;
            existing.keyOrigin = this.span(p.keyNode);
          } else {
            const entry: RegistriesDEntry = { scope: p.keyText, keyOrigin: this.span(p.keyNode), file, storage };
            byScope.set(p.keyText, entry);
            result.docker.push(entry);
          }
        }
      } else if (vk !== "null") {
        this.typeError(
          dk.value,
          dk.keyText,
          "map[string]docker.registryNamespace",
          "registryConfiguration.docker",
          "'docker' must be a mapping from scopes to signature storage settings.",
        );
      }
    }
    return result;
  }
}

/**
 * Load one registries.d file (upstream: the body of `loadAndMergeConfig`'s loop, `yaml.Unmarshal` into
 * `registryConfiguration`). `value` is absent exactly when containers/image would refuse the file.
 */
export function loadRegistriesDFile(source: SourceFile, options: RegistriesDLoadOptions = {}): LoadResult<RegistriesDFile> {
  return elideDiagnostics(loadRegistriesDFileUnelided(source, options));
}


/** A LoadResult with `elideLongRuns` applied to every message, hint and related message. */
export function elideDiagnostics<T>(r: LoadResult<T>): LoadResult<T> {
  elideDiagnosticMessages(r.diagnostics);
  return r;
}

function loadRegistriesDFileUnelided(source: SourceFile, options: RegistriesDLoadOptions): LoadResult<RegistriesDFile> {
  const decoder: Decoder = hasFeature(options.target, "yamlV3RegistriesD") ? "v3" : "v2";
  const diagnostics: Diagnostic[] = [];
  if (source.text.length > MAX_REGISTRIES_D_LENGTH) {
    // The YAML library needs about a second per 2 MB of comments; real files are a few hundred bytes.
    diagnostics.push({
      code: REGISTRIES_D_CODES.tooLarge,
      severity: "error",
      message: `This file is ${(source.text.length / 1048576).toFixed(1)} MB; imagetrust does not read registries.d files larger than ${MAX_REGISTRIES_D_LENGTH / 1048576} MB (containers/image would).`,
      span: source.span(0, 0),
    });
    return { diagnostics };
  }
  const control = firstYamlControlCharacter(source.text);
  if (control >= 0) {
    const c = source.text.codePointAt(control)!;
    diagnostics.push({
      code: REGISTRIES_D_CODES.yamlSyntax,
      severity: "error",
      message: `YAML syntax error: the control character U+${c.toString(16).toUpperCase().padStart(4, "0")} is not allowed in a YAML file`,
      span: source.span(control, control + (c > 0xffff ? 2 : 1)),
      upstreamMessage: `parsing ${source.path}: ${decoder === "v2" ? "error converting YAML to JSON: " : ""}yaml: control characters are not allowed`,
    });
    return { diagnostics };
  }
  const docs = parseAllDocuments(source.text, { uniqueKeys: false, merge: false, version: decoder === "v2" ? "1.1" : "1.2", strict: false });
  const list = Array.isArray(docs) ? docs : [docs];
  const first = list[0];
  const syntax: Array<{ code?: string; message: string; start: number; end: number; libyaml?: string }> = [];
  if (first) {
    const clean = (m: string) => m.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    for (const e of first.errors) syntax.push({ code: e.code, message: clean(e.message), start: e.pos[0], end: e.pos[1] });
    for (const w of first.warnings) {
      // libyaml knows only %YAML and %TAG.
      if (w.code === "BAD_DIRECTIVE") syntax.push({ message: clean(w.message), start: w.pos[0], end: w.pos[1], libyaml: "found unknown directive name" });
    }
    if (syntax.length === 0) {
      visit(first, {
        Alias(_, node) {
          if (node.resolve(first) === undefined) {
            const r = node.range ?? [0, 0];
            syntax.push({ message: `Unknown anchor '${node.source}'`, start: r[0], end: r[1], libyaml: `unknown anchor '${node.source}' referenced` });
          }
        },
      });
    }
  }
  if (syntax.length > 0) {
    for (const e of syntax) {
      const line = source.position(e.start).line;
      // libyaml's wording for the errors we can recognise (same line); otherwise only the frame is known.
      const known =
        e.libyaml ??
        (e.code === "BAD_SCALAR_START" || e.code === "TAB_AS_INDENT"
          ? `line ${line}: found character that cannot start any token`
          : e.code === "MISSING_CHAR" && /quote/.test(e.message)
            ? `line ${line}: found unexpected end of stream`
            : `line ${line}: …`);
      diagnostics.push({
        code: REGISTRIES_D_CODES.yamlSyntax,
        severity: "error",
        message: `YAML syntax error: ${e.message}`,
        // yaml reports end-of-stream errors one past the text: clamp to it.
        span: source.span(Math.min(e.start, source.text.length), Math.min(Math.max(e.start, e.end), source.text.length)),
        upstreamMessage:
          diagnostics.length === 0
            ? decoder === "v2"
              ? `parsing ${source.path}: error converting YAML to JSON: yaml: ${known}`
              : `parsing ${source.path}: yaml: ${known}`
            : undefined,
      });
    }
    return { diagnostics };
  }
  if (list.length > 1) {
    const r = list[1].range;
    diagnostics.push({
      code: REGISTRIES_D_CODES.extraDocuments,
      severity: "warning",
      message: `Only the first YAML document of a registries.d file is read; ${list.length - 1} more document(s) are ignored.`,
      span: source.span(r ? r[0] : 0, r ? r[1] : 0),
    });
  }
  if (first) {
    const bomb = excessiveAliasing(first, decoder);
    if (bomb !== undefined) {
      diagnostics.push({
        code: REGISTRIES_D_CODES.excessiveAliasing,
        severity: "error",
        message: "YAML aliases expand this file far beyond its size (an alias bomb); containers/image refuses it.",
        span: bomb.alias?.range ? source.span(bomb.alias.range[0], bomb.alias.range[1]) : source.span(0, 0),
        upstreamMessage: `parsing ${source.path}: ${decoder === "v2" ? "error converting YAML to JSON: " : ""}yaml: document contains excessive aliasing`,
      });
      return { diagnostics };
    }
  }
  const fd = new FileDecoder(source, decoder, options.target, first);
  const value = fd.decode((first?.contents as YamlNode | null | undefined) ?? null);
  diagnostics.push(...fd.diagnostics);
  if (fd.problems.length > 0) {
    const problems = [...fd.problems];
    let upstream: string;
    if (decoder === "v2") {
      const firstProblem = [...problems].sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0))[0];
      upstream = `parsing ${source.path}: error unmarshaling JSON: while decoding JSON: ${firstProblem.goText}`;
    } else {
      upstream = `parsing ${source.path}: yaml: unmarshal errors:\n  ${problems.map((p) => p.goText).join("\n  ")}`;
    }
    problems.forEach((p, i) => {
      diagnostics.push({
        code: p.goText.includes("already defined") ? REGISTRIES_D_CODES.duplicateKey : REGISTRIES_D_CODES.typeError,
        severity: "error",
        message: p.message,
        span: p.span,
        upstreamMessage: i === 0 ? upstream : undefined,
      });
    });
    return { diagnostics: byPosition(diagnostics) };
  }
  return { value, diagnostics: byPosition(diagnostics) };
}

/** Diagnostics in file order (stable for equal positions). */
function byPosition(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => [d, i] as const)
    .sort((a, b) => (a[0].span?.start ?? -1) - (b[0].span?.start ?? -1) || a[1] - b[1])
    .map(([d]) => d);
}

/**
 * Merge loaded files in reading order as `loadAndMergeConfig` does: `default-docker` and each `docker` scope
 * may be defined by one file only (errors point at both definitions).
 */
export function mergeRegistriesDFiles(files: readonly RegistriesDFile[], options: RegistriesDLoadOptions = {}): LoadResult<RegistriesDConfig> {
  // Newer releases quote with %q (seen on container-libs main; assumed to come with the 5.31 %q change).
  const q = hasFeature(options.target, "goQuotedErrors") ? goQuote : (s: string) => `"${s}"`;
  const merged: RegistriesDConfig = { docker: [] };
  const diagnostics: Diagnostic[] = [];
  const byScope = new Map<string, RegistriesDEntry>();
  for (const f of files) {
    if (f.defaultDocker) {
      if (merged.defaultDocker) {
        diagnostics.push({
          code: REGISTRIES_D_CODES.defaultDockerTwice,
          severity: "error",
          message: `'default-docker' is defined both in ${merged.defaultDocker.file} and ${f.file}.`,
          span: f.defaultDocker.keyOrigin,
          file: f.file,
          related: merged.defaultDocker.keyOrigin ? [{ message: "first definition", span: merged.defaultDocker.keyOrigin }] : undefined,
          upstreamMessage: `Error parsing signature storage configuration: "default-docker" defined both in ${q(merged.defaultDocker.file)} and ${q(f.file)}`,
        });
      } else merged.defaultDocker = f.defaultDocker;
    }
    for (const e of f.docker) {
      const prev = byScope.get(e.scope);
      if (prev) {
        diagnostics.push({
          code: REGISTRIES_D_CODES.namespaceTwice,
          severity: "error",
          message: `Docker scope '${e.scope}' is defined both in ${prev.file} and ${e.file}.`,
          span: e.keyOrigin,
          file: e.file,
          related: prev.keyOrigin ? [{ message: "first definition", span: prev.keyOrigin }] : undefined,
          upstreamMessage: `Error parsing signature storage configuration: "docker" namespace ${q(e.scope)} defined both in ${q(prev.file)} and ${q(e.file)}`,
        });
      } else {
        byScope.set(e.scope, e);
        merged.docker.push(e);
      }
    }
  }
  // Upstream stops at the first conflict; only the first diagnostic carries its message.
  diagnostics.forEach((d, i) => {
    if (i > 0) delete d.upstreamMessage;
  });
  return diagnostics.length > 0 ? { diagnostics } : { value: merged, diagnostics };
}

/** Directory access, replaceable in tests. `readDir` returns entry names in the order the OS lists them. */
export interface RegistriesDDirIO {
  readDir?: (dir: string) => string[];
  readFile?: (file: string) => string;
}

/** Entry names in directory (getdents) order, as Go's `Readdirnames` returns them (Node's readdir sorts). */
export function readDirUnsorted(dir: string): string[] {
  const d = fs.opendirSync(dir);
  const names: string[] = [];
  try {
    for (let e = d.readSync(); e !== null; e = d.readSync()) names.push(e.name);
  } finally {
    d.closeSync();
  }
  return names;
}

/**
 * Load a whole registries.d directory (upstream `loadAndMergeConfig`): every entry ending in `.yaml`, in
 * directory order; other entries get a warning (the runtime ignores them). A missing directory is an empty configuration.
 */
export function loadRegistriesDDir(
  dir: string,
  options: RegistriesDLoadOptions & RegistriesDDirIO = {},
): { value?: RegistriesDConfig; files: string[]; diagnostics: Diagnostic[] } {
  const readDir = options.readDir ?? readDirUnsorted;
  const readFile = options.readFile ?? ((f: string) => fs.readFileSync(f, "utf8"));
  const diagnostics: Diagnostic[] = [];
  let names: string[];
  try {
    names = readDir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { value: { docker: [] }, files: [], diagnostics };
    diagnostics.push({ code: REGISTRIES_D_CODES.unreadable, severity: "error", message: `Cannot read directory ${dir}: ${(e as Error).message}`, file: dir });
    return { files: [], diagnostics };
  }
  const files: string[] = [];
  const loaded: RegistriesDFile[] = [];
  let failed = false;
  for (const name of names) {
    const full = path.join(dir, name);
    if (!name.endsWith(".yaml")) {
      const looksYaml = /\.ya?ml$/i.test(name);
      diagnostics.push({
        code: REGISTRIES_D_CODES.ignoredFile,
        severity: "warning",
        message: `${full} is ignored: containers/image reads only entries whose names end in '.yaml'.${looksYaml ? ` Rename it to ${name.replace(/\.ya?ml$/i, ".yaml")}.` : ""}`,
        file: full,
      });
      continue;
    }
    let text: string;
    try {
      text = readFile(full);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT" && hasFeature(options.target, "registriesDVanishedFiles")) continue;
      diagnostics.push({ code: REGISTRIES_D_CODES.unreadable, severity: "error", message: `Cannot read ${full}: ${(e as Error).message}`, file: full });
      failed = true;
      continue;
    }
    files.push(full);
    const r = loadRegistriesDFile(new SourceFile(full, text), options);
    diagnostics.push(...r.diagnostics);
    if (r.value) loaded.push(r.value);
    else failed = true;
  }
  const merged = mergeRegistriesDFiles(loaded, options);
  diagnostics.push(...merged.diagnostics);
  if (failed || !merged.value) return { files, diagnostics };
  return { value: merged.value, files, diagnostics };
}
