/**
 * Mapping keys the target's decoder refuses (issue 17), which the `yaml` package accepts:
 * - ghodss/yaml (containers/image before 5.25: "v2"): yaml.v2 decodes the whole document into `interface{}` first
 *   and refuses a sequence or mapping as a key anywhere ("yaml: invalid map key: []interface {}{\"a\", \"b\"}");
 *   then its JSON conversion refuses a null key ("Unsupported map key of type: %!s(<nil>), key: <nil>, value: …").
 * - yaml.v3 (5.25 and newer) decodes straight into the struct: a sequence or mapping key where a string key is
 *   decoded (the top level, `docker:`, a namespace) is a type error ("line N: cannot unmarshal !!seq into string");
 *   elsewhere (values of unknown keys) it is never looked at.
 * The v2 cases are checked against containers/image 5.23.1 through the Go harness (test/load/registries-d/go-edges).
 */
import { isMap, isScalar, isSeq, visit, type Document, type Node as YamlNode, type Pair } from "yaml";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { SourceFile } from "../../source/source-file.js";
import { goQuote } from "../../util/go-quote.js";
import { REGISTRIES_D_CODES } from "./codes.js";
import { resolveScalar, type Decoder } from "./yaml-scalars.js";

/** Go's `%#v` of a value yaml.v2 decoded into `interface{}` (scalars, lists, maps; deep values elided). */
function goSharpV(node: unknown, decoder: Decoder, depth = 0): string {
  if (depth > 4) return "…";
  if (node === null || node === undefined) return "interface {}(nil)";
  if (isScalar(node)) {
    const r = resolveScalar(node, decoder);
    if (r.kind === "null") return "interface {}(nil)";
    if (r.kind === "string") return goQuote(r.value);
    return String(r.value);
  }
  if (isSeq(node)) return `[]interface {}{${node.items.map((i) => goSharpV(i, decoder, depth + 1)).join(", ")}}`;
  if (isMap(node)) {
    const items = node.items.map((p) => `${goSharpV(p.key, decoder, depth + 1)}:${goSharpV(p.value, decoder, depth + 1)}`).sort();
    return `map[interface {}]interface {}{${items.join(", ")}}`;
  }
  return "…";
}

/** ghodss's `%+#v` of the value beside a null key (`%+#v` of a scalar is `%#v`). */
function goPlusSharpV(node: unknown, decoder: Decoder): string {
  if (isScalar(node)) {
    const r = resolveScalar(node, decoder);
    if (r.kind === "null") return "<nil>";
  }
  return goSharpV(node, decoder);
}

function kindTag(node: YamlNode): string {
  return isSeq(node) ? "!!seq" : isMap(node) ? "!!map" : "!!str";
}

/** The first key the decoder refuses, as a diagnostic with upstream's message (undefined when none). */
export function refusedMapKey(source: SourceFile, doc: Document.Parsed | undefined, decoder: Decoder): Diagnostic | undefined {
  if (!doc) return undefined;
  const where = (node: YamlNode) => {
    const r = node.range ?? [0, 0, 0];
    return source.span(r[0], r[1]);
  };
  if (decoder === "v2") {
    let complex: YamlNode | undefined;
    let nullPair: Pair | undefined;
    visit(doc, {
      Pair(_, pair) {
        const k = pair.key as YamlNode | null;
        if (k && (isSeq(k) || isMap(k))) {
          complex = k;
          return visit.BREAK;
        }
        if (nullPair === undefined && (k === null || (isScalar(k) && resolveScalar(k, decoder).kind === "null"))) nullPair = pair;
        return undefined;
      },
    });
    if (complex) {
      return {
        code: REGISTRIES_D_CODES.yamlSyntax,
        severity: "error",
        message: "A sequence or mapping as a key: containers/image before 5.25 refuses the file (keys must be scalars).",
        span: where(complex),
        upstreamMessage: `parsing ${source.path}: error converting YAML to JSON: yaml: invalid map key: ${goSharpV(complex, decoder)}`,
      };
    }
    if (nullPair) {
      const k = nullPair.key as YamlNode | null;
      return {
        code: REGISTRIES_D_CODES.yamlSyntax,
        severity: "error",
        message: "A null key (`~`, `null` or empty): containers/image before 5.25 refuses the file (JSON has no null keys).",
        span: k ? where(k) : source.span(0, 0),
        upstreamMessage: `parsing ${source.path}: error converting YAML to JSON: Unsupported map key of type: %!s(<nil>), key: <nil>, value: ${goPlusSharpV(nullPair.value, decoder)}`,
      };
    }
    return undefined;
  }
  // yaml.v3: the keys it decodes into strings — the top level, `docker:`, and each namespace.
  const levels: YamlNode[] = [];
  const top = doc.contents as YamlNode | null;
  if (top && isMap(top)) {
    levels.push(top);
    for (const p of top.items) {
      const k = p.key as YamlNode | null;
      const name = k && isScalar(k) ? String(k.value) : "";
      const v = p.value as YamlNode | null;
      if (name === "default-docker" && v && isMap(v)) levels.push(v);
      if (name === "docker" && v && isMap(v)) {
        levels.push(v);
        for (const q of v.items) if (q.value && isMap(q.value)) levels.push(q.value as YamlNode);
      }
    }
  }
  for (const m of levels) {
    if (!isMap(m)) continue;
    for (const p of m.items) {
      const k = p.key as YamlNode | null;
      if (k && (isSeq(k) || isMap(k))) {
        const line = source.position(k.range?.[0] ?? 0).line;
        return {
          code: REGISTRIES_D_CODES.typeError,
          severity: "error",
          message: "A sequence or mapping as a key: containers/image 5.25 and newer refuse it where a name is expected.",
          span: where(k),
          upstreamMessage: `parsing ${source.path}: yaml: unmarshal errors:\n  line ${line}: cannot unmarshal ${kindTag(k)} into string`,
        };
      }
    }
  }
  return undefined;
}
