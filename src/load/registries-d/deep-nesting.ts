/**
 * Deeply nested registries.d YAML without recursion (issue 17). The `yaml` package composes collections
 * recursively and runs out of stack at ~800 levels, while containers/image 5.23.1 (go-yaml) loads up to 10,000 and then
 * fails with "exceeded max depth of 10000" (yaml.v2 scannerc.go: max_flow_level / max_indents). The registries.d
 * decoder only ever reads four levels (docker → scope → setting → value); anything nested deeper is either under a
 * key the runtime ignores or a type error decided at a shallow level. So, before composing, every collection nested
 * more than {@link COMPOSE_DEPTH} deep is replaced in the text by a null (`~`) padded with spaces, newlines kept:
 * offsets, lines and columns of everything else stay as they were. The concrete syntax tree that finds them is built
 * by the package's own iterative parser, walked here with an explicit stack.
 *
 * What the collapsed part no longer contributes: its anchors (an alias elsewhere to an anchor defined 256 levels
 * deep reads as unknown) and its aliases' share of the alias-bomb count.
 */
import { Parser } from "yaml";

/** Collections nested deeper than this are collapsed before composing (the composer handles ~800). */
export const COMPOSE_DEPTH = 256;
/** go-yaml's limit on flow nesting and on block indentation levels (yaml.v2 `max_flow_level`, `max_indents`). */
export const GO_YAML_MAX_DEPTH = 10_000;

/** The text to compose, and where go-yaml would stop with "exceeded max depth" (offset), if it would. */
export interface DeepNesting {
  text: string;
  /** Offset of the collection that goes past {@link GO_YAML_MAX_DEPTH} (flow or block counted apart, as go-yaml does). */
  tooDeepAt?: number;
}

type Tok = { type: string; offset?: number; source?: string; [k: string]: unknown };
const isCollection = (t: Tok) => t.type === "block-map" || t.type === "block-seq" || t.type === "flow-collection";

/** Tokens directly inside `t` (values, keys and the separator/end source tokens). */
function childrenOf(t: Tok): Tok[] {
  const out: Tok[] = [];
  const push = (x: unknown) => {
    if (x && typeof x === "object") out.push(x as Tok);
  };
  const pushAll = (xs: unknown) => {
    if (Array.isArray(xs)) for (const x of xs) push(x);
  };
  pushAll(t.start);
  push(t.value);
  if (Array.isArray(t.items)) {
    for (const it of t.items as Array<Record<string, unknown>>) {
      pushAll(it.start);
      push(it.key);
      pushAll(it.sep);
      push(it.value);
    }
  }
  if (t.start && !Array.isArray(t.start)) push(t.start);
  pushAll(t.end);
  pushAll(t.props);
  return out;
}

/** The end offset of `t`'s text: the furthest source token in its subtree (walked without recursion). */
function endOf(root: Tok): number {
  let end = root.offset ?? 0;
  const stack: Tok[] = [root];
  while (stack.length) {
    const t = stack.pop()!;
    if (typeof t.source === "string" && typeof t.offset === "number") end = Math.max(end, t.offset + t.source.length);
    stack.push(...childrenOf(t));
  }
  return end;
}

/** Collapse collections deeper than {@link COMPOSE_DEPTH}; report go-yaml's depth limit. Cheap when nothing is deep. */
export function collapseDeepNesting(text: string): DeepNesting {
  // Nothing can be deep without many brackets or long indentation: skip the extra parse for ordinary files.
  if (!/[[{]{64}|\n {256}|(?:- ){64}/.test(text) && (text.match(/[[{]/g)?.length ?? 0) < COMPOSE_DEPTH) return { text };
  const ranges: Array<[number, number]> = [];
  let tooDeepAt: number | undefined;
  const stack: Array<{ t: Tok; flow: number; block: number }> = [];
  for (const doc of new Parser().parse(text)) stack.push({ t: doc as unknown as Tok, flow: 0, block: 0 });
  while (stack.length) {
    const { t, flow, block } = stack.pop()!;
    let f = flow;
    let b = block;
    if (isCollection(t)) {
      if (t.type === "flow-collection") f++;
      else b++;
      if (tooDeepAt === undefined && (f > GO_YAML_MAX_DEPTH || b > GO_YAML_MAX_DEPTH)) tooDeepAt = t.offset ?? 0;
      if (f + b > COMPOSE_DEPTH) {
        const start = t.offset ?? 0;
        ranges.push([start, endOf(t)]);
        // Keep measuring depth below (go-yaml's limit), without collapsing twice.
        if (tooDeepAt === undefined) {
          const inner: Array<{ t: Tok; flow: number; block: number }> = childrenOf(t).map((c) => ({ t: c, flow: f, block: b }));
          while (inner.length && tooDeepAt === undefined) {
            const x = inner.pop()!;
            let xf = x.flow;
            let xb = x.block;
            if (isCollection(x.t)) {
              if (x.t.type === "flow-collection") xf++;
              else xb++;
              if (xf > GO_YAML_MAX_DEPTH || xb > GO_YAML_MAX_DEPTH) tooDeepAt = x.t.offset ?? 0;
            }
            for (const c of childrenOf(x.t)) inner.push({ t: c, flow: xf, block: xb });
          }
        }
        continue;
      }
    }
    for (const c of childrenOf(t)) stack.push({ t: c, flow: f, block: b });
  }
  if (ranges.length === 0) return tooDeepAt === undefined ? { text } : { text, tooDeepAt };
  ranges.sort((x, y) => x[0] - y[0]);
  const parts: string[] = [];
  let at = 0;
  for (const [s, e] of ranges) {
    if (s < at) continue; // inside a range already collapsed
    parts.push(text.slice(at, s), "~" + text.slice(s + 1, e).replace(/[^\n]/g, " "));
    at = e;
  }
  parts.push(text.slice(at));
  const out = parts.join("");
  return tooDeepAt === undefined ? { text: out } : { text: out, tooDeepAt };
}
