/**
 * Issue 11: no import circle in src/. The graph has one edge per static value import or re-export between source
 * files. `import type` / `export type` (and imports whose every binding is marked `type`) are erased and make no
 * edge; neither does a dynamic `import()`, which runs after both modules are loaded. An import used only for types
 * but not written `import type` does count: write it as a type import.
 */
import { describe, expect, it } from "vitest";
import { readAllSources, resolveRelative } from "./source-graph.js";

/** Edges `from → [to, line]` of the value-import graph. */
function valueImportGraph(): Map<string, Array<[string, number]>> {
  const sources = readAllSources();
  const known = new Set(sources.map((s) => s.file));
  const graph = new Map<string, Array<[string, number]>>();
  for (const s of sources) {
    const edges: Array<[string, number]> = [];
    for (const r of s.references) {
      if (r.typeOnly || r.kind === "dynamic-import") continue;
      const to = resolveRelative(s.file, r.specifier, known);
      if (to) edges.push([to, r.line]);
    }
    graph.set(s.file, edges);
  }
  return graph;
}

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function cycles(graph: Map<string, Array<[string, number]>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const [w] of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).some(([t]) => t === v)) out.push(comp.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) strong(v);
  return out;
}

/** One shortest circle through `start` inside its component, as `a.ts:12 → b.ts:3 → a.ts` (line of each import). */
function circleThrough(start: string, members: ReadonlySet<string>, graph: Map<string, Array<[string, number]>>): string {
  const prev = new Map<string, [string, number]>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const [w, line] of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const steps: string[] = [];
        let at = v;
        let l = line;
        for (;;) {
          steps.unshift(`${at}:${l}`);
          const p = prev.get(at);
          if (!p) break;
          [at, l] = p;
        }
        return `${steps.join(" → ")} → ${start}`;
      }
      if (!prev.has(w) && w !== start) {
        prev.set(w, [v, line]);
        queue.push(w);
      }
    }
  }
  return start;
}

describe("no import circle in src/ (value imports)", () => {
  it("the value-import graph has no cycle", () => {
    const graph = valueImportGraph();
    expect(graph.size).toBeGreaterThan(100);
    const found = cycles(graph).map((comp) => {
      const members = new Set(comp);
      return `${comp.length} files: ${comp.join(", ")}\n    e.g. ${circleThrough(comp[0], members, graph)}`;
    });
    expect(found, `${found.length} import circles:\n${found.join("\n")}\n`).toEqual([]);
  });
});
