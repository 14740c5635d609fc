/**
 * Decoding one parsed registries.d document into `registryConfiguration` (docker/registries_d.go), as the
 * decoder of the target does it: ghodss/yaml → encoding/json (v2: keys case-insensitive in sorted order, the
 * last duplicate wins, json's error texts) or yaml.v3 (keys exact, duplicates refused, "line N: cannot unmarshal"
 * texts). Aliases and `<<` merge keys are followed. Findings that are not upstream errors are warnings.
 */
import { isAlias, isMap, isScalar, isSeq, isPair, type Document, type Scalar, type YAMLMap, type Node as YamlNode } from "yaml";
import type { SourceFile, Span } from "../../source/source-file.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { didYouMean } from "../../diagnostics/did-you-mean.js";
import type { RegistriesDEntry, SignatureStorage } from "../../ir/types.js";
import { hasFeature, type Version } from "../../ir/versions.js";
import { REGISTRIES_D_CODES } from "./codes.js";
import { NS_KEYS, TOP_KEYS, type LoadedSignatureStorage, type NsKey, type RegistriesDFile } from "./types.js";
import { signatureUrlWarnings } from "./validate.js";
import { goFormatFloat32, resolveScalar, scalarText, V3_COMPAT_FALSE, V3_COMPAT_TRUE, type Decoder, type Resolved } from "./yaml-scalars.js";

/** Where each `registryNamespace` key lands in the IR, and the keys that are old names of others. */
const NS_FIELD: Record<NsKey, keyof SignatureStorage> = {
  lookaside: "lookaside",
  "lookaside-staging": "lookasideStaging",
  sigstore: "sigstore",
  "sigstore-staging": "sigstoreStaging",
  "use-sigstore-attachments": "useSigstoreAttachments",
};
const DEPRECATED: Partial<Record<NsKey, string>> = { sigstore: "lookaside", "sigstore-staging": "lookaside-staging" };

/** A type error as upstream words it; `order` replays encoding/json's decoding order (v2). */
export interface TypeProblem {
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

/** One pair per key, at the key's first position with its last value (what a later `fields` lookup sees). */
function lastPerKey(pairs: KeyPair[]): KeyPair[] {
  const m = new Map<string, KeyPair>();
  for (const p of pairs) m.set(p.keyText, p);
  return [...m.values()];
}

/** One file being decoded: its warnings (`diagnostics`) and the type errors upstream would return (`problems`). */
export class FileDecoder {
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
      if (text !== "") this.diagnostics.push(...signatureUrlWarnings(text, k, where, this.span(v), this.target));
    }
    return storage;
  }

  /** Decode the document's root (upstream: `yaml.Unmarshal` into `registryConfiguration`). */
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
