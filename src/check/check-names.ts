/**
 * Names of a .trust file: declarations (duplicate, unused), the level graph (cycles, size) and the expansion of
 * level bodies to requirement lists (used by the sigstore storage check and by lowering).
 */
import type * as A from "../syntax/ast.js";
import { kindWord, type ExpandedRequirement, type NamedDecl, type TrustCheckContext } from "./check-context.js";
import { CHECK_CODES as C } from "./codes.js";

/** Most requirements one list may expand to (levels can double each other). */
export const MAX_EXPANDED_REQUIREMENTS = 10_000;

/** Expand a level body to its requirement list (levels by name concatenated). Assumes no cycles. */
export function expandBody(body: A.LevelBody, names: ReadonlyMap<string, NamedDecl>): ExpandedRequirement[] {
  const out: ExpandedRequirement[] = [];
  const stack: Array<{ terms: A.LevelTerm[]; i: number; level?: string }> = [{ terms: body.terms, i: 0 }];
  const onPath = new Set<string>();
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.i >= top.terms.length) {
      stack.pop();
      if (top.level !== undefined) onPath.delete(top.level);
      continue;
    }
    const t = top.terms[top.i++];
    if (t.kind === "requirement") {
      out.push({ requirement: t.requirement, level: stack.find((s) => s.level !== undefined)?.level });
      if (out.length > MAX_EXPANDED_REQUIREMENTS) return out;
      continue;
    }
    const d = names.get(t.name.name);
    if (!d || d.type !== "level" || onPath.has(d.name.name)) continue;
    onPath.add(d.name.name);
    stack.push({ terms: d.body.terms, i: 0, level: d.name.name });
  }
  return out;
}

/** Declares every named key, identity rule and level; a name given twice is an error (IT2101). */
export function declareNames(ctx: TrustCheckContext, st: A.Statement[]): void {
  for (const s of st) {
    if (s.type !== "key" && s.type !== "identity" && s.type !== "level") continue;
    if (s.name.recovered || s.name.name === "") continue;
    const prev = ctx.names.get(s.name.name);
    if (prev) {
      ctx.report(C.duplicateName, "error", `'${s.name.name}' is already defined (as ${kindWord(prev)}).`, s.name.span, {
        related: [{ message: `'${s.name.name}' first defined here`, span: prev.name.span }],
      });
      continue;
    }
    ctx.names.set(s.name.name, s);
  }
}

/**
 * Reports levels defined in terms of themselves and levels that expand to too many requirements. Returns each
 * level's expanded size (capped at MAX_EXPANDED_REQUIREMENTS + 1; 0 for a level in a cycle).
 */
export function checkLevelGraph(ctx: TrustCheckContext): Map<string, number> {
  // Iterative DFS over level references: report each cycle once, at the level that closes it.
  const color = new Map<string, 0 | 1 | 2>();
  const size = new Map<string, number>();
  const levels = [...ctx.names.values()].filter((d): d is A.LevelDecl => d.type === "level");
  const refsOf = (l: A.LevelDecl) =>
    l.body.terms.filter((t): t is A.LevelTerm & { kind: "levelRef" } => t.kind === "levelRef").map((t) => t.name);
  for (const root of levels) {
    if (color.get(root.name.name)) continue;
    const stack: Array<{ level: A.LevelDecl; refs: A.Name[]; i: number }> = [{ level: root, refs: refsOf(root), i: 0 }];
    color.set(root.name.name, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.i < top.refs.length) {
        const ref = top.refs[top.i++];
        const d = ctx.names.get(ref.name);
        if (!d || d.type !== "level") continue;
        const c = color.get(d.name.name) ?? 0;
        if (c === 1) {
          const from = stack.findIndex((f) => f.level === d);
          const path = stack.slice(from).map((f) => f.level.name.name);
          ctx.report(C.levelCycle, "error", `Level '${d.name.name}' is defined in terms of itself: ${[...path, d.name.name].join(" → ")}.`, ref.span, {
            related: stack.slice(from).map((f) => ({ message: `level '${f.level.name.name}' is defined here`, span: f.level.name.span })),
            hint: "A level can build on another only if that one does not, directly or not, build on it.",
          });
          size.set(d.name.name, 0);
          continue;
        }
        if (c === 0) {
          color.set(d.name.name, 1);
          stack.push({ level: d, refs: refsOf(d), i: 0 });
        }
        continue;
      }
      stack.pop();
      color.set(top.level.name.name, 2);
      let n = 0;
      for (const t of top.level.body.terms) {
        if (t.kind === "requirement") n++;
        else {
          const d = ctx.names.get(t.name.name);
          if (d?.type === "level") n += size.get(d.name.name) ?? 0;
        }
      }
      if (n > MAX_EXPANDED_REQUIREMENTS && !(size.get(top.level.name.name)! > MAX_EXPANDED_REQUIREMENTS)) {
        ctx.report(C.levelTooLarge, "error", `Level '${top.level.name.name}' expands to more than ${MAX_EXPANDED_REQUIREMENTS} requirements.`, top.level.name.span);
      }
      size.set(top.level.name.name, Math.min(n, MAX_EXPANDED_REQUIREMENTS + 1));
    }
  }
  return size;
}

/**
 * The most requirements a compiled policy may hold in total. Every scope gets a copy of its level's whole list, so a
 * chain of levels (`l2 = l1 plus reject`, …) grows the output quadratically: 2,000 chained levels, one scope each,
 * made a 96 MB policy.json from 115 KB of source. 200,000 requirements is ~20 times the largest real policy we know of
 * (the 10,000-scope benchmark) and a policy.json of some 20 MB.
 */
export const MAX_OUTPUT_REQUIREMENTS = 200_000;

/** IT9019 when the levels, expanded into every scope, default and approval, exceed {@link MAX_OUTPUT_REQUIREMENTS}. */
export function checkOutputSize(ctx: TrustCheckContext, statements: readonly A.Statement[], levelSizes: Map<string, number>): void {
  const sizeOf = (body: A.LevelBody): number => {
    let n = 0;
    for (const t of body.terms) n += t.kind === "requirement" ? 1 : (levelSizes.get(t.name.name) ?? 0);
    return n;
  };
  let total = 0;
  let largest: { size: number; span: A.LevelBody["span"] } | undefined;
  const add = (body: A.LevelBody) => {
    const n = sizeOf(body);
    total += n;
    if (!largest || n > largest.size) largest = { size: n, span: body.span };
  };
  for (const s of statements) {
    if (s.type === "default") add(s.body);
    else if (s.type === "approve" && s.body) add(s.body);
    else if (s.type === "transport") {
      const stack = [...s.entries];
      while (stack.length) {
        const e = stack.pop()!;
        add(e.body);
        stack.push(...e.children);
      }
    }
  }
  if (total <= MAX_OUTPUT_REQUIREMENTS || !largest) return;
  ctx.report("IT9019", "error", `The compiled policy would hold ${total.toLocaleString("en-US")} requirements, more than the ${MAX_OUTPUT_REQUIREMENTS.toLocaleString("en-US")} imagetrust writes: every scope gets a copy of its level's whole list.`, largest.span, {
    hint: `The largest list here has ${largest.size.toLocaleString("en-US")} requirements; give the scopes fewer, flatter levels (a level that names another repeats all of its requirements).`,
  });
}

/** Warns about names no requirement, level or scope uses. */
export function reportUnusedNames(ctx: TrustCheckContext): void {
  for (const d of ctx.names.values()) {
    if (ctx.used.has(d.name.name)) continue;
    ctx.report(C.unusedName, "warning", `'${d.name.name}' (${kindWord(d)}) is never used.`, d.name.span);
  }
}
