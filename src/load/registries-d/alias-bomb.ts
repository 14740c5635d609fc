/**
 * go-yaml's alias-bomb guard ("document contains excessive aliasing", yaml.v2 and yaml.v3 decode.go), replayed
 * over the parsed document without expanding anything.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node as YamlNode } from "yaml";
import { NS_KEYS } from "./types.js";
import { scalarText } from "./yaml-scalars.js";

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

const NAMESPACE_FIELD_NAMES = new Set<string>(NS_KEYS);
