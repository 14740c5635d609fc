/**
 * The picture of a policy that `show --format mermaid|svg` draws: per transport, its scopes as a tree (a scope hangs
 * under the longest other scope of the same transport that is a parent namespace of it, or the repository of a
 * tag/digest scope — the order upstream `requirementsForImageRef` tries them, most specific first), each coloured by
 * what its requirement list demands.
 */
import type { Policy, Requirement } from "../ir/types.js";
import { categoryOf, type TrustCategory } from "./describe.js";

/** One box of the picture: a scope (or a default). */
export interface PictureNode {
  id: string;
  /** The scope as written; "" a transport default; null the global default. */
  scope: string | null;
  /** The text of the box's first line. */
  label: string;
  /** The text of the second line: what it demands (and the level). */
  detail: string;
  category: TrustCategory;
  /** Index of the parent node in the same group, or -1. */
  parent: number;
  depth: number;
}

/** One transport (or the global default) and its boxes, in document order with children after their parent. */
export interface PictureGroup {
  /** A stable id (`g` for the global default, `t0`, `t1`, … for transports in document order). */
  id: string;
  /** The transport name; "" for the global default's group. */
  transport: string;
  nodes: PictureNode[];
}

const TYPE_WORDS: Record<Requirement["type"], string> = {
  insecureAcceptAnything: "accept",
  reject: "reject",
  signedBy: "signedBy",
  sigstoreSigned: "sigstoreSigned",
  signedBaseLayer: "signedBaseLayer",
};

function detailOf(requirements: readonly Requirement[], level: string | undefined): string {
  const cat = categoryOf(requirements);
  const types = [...new Set(requirements.map((r) => TYPE_WORDS[r.type]))].join(" + ");
  const what = cat === "signed" ? `signed: ${types}` : cat;
  return level !== undefined ? `${what} (level ${level})` : what;
}

/** Whether `parent` is a parent namespace of `child` in a policy scope's sense (path prefix, or repo of a tag/digest). */
function isParentScope(parent: string, child: string): boolean {
  if (parent === "" || parent === child) return false;
  return child.startsWith(parent + "/") || child.startsWith(parent + ":") || child.startsWith(parent + "@");
}

/** The groups of the picture: the global default, then each transport with its scopes as a tree. */
export function policyPicture(policy: Policy): PictureGroup[] {
  const groups: PictureGroup[] = [
    {
      id: "g",
      transport: "",
      nodes: [{ id: "g0", scope: null, label: "global default", detail: detailOf(policy.default, policy.defaultLabels?.level), category: categoryOf(policy.default), parent: -1, depth: 0 }],
    },
  ];
  policy.transports.forEach((t, ti) => {
    const scopes = t.scopes;
    const parentOf = scopes.map((s) => {
      let best = -1;
      scopes.forEach((p, pi) => {
        if (isParentScope(p.scope, s.scope) && (best < 0 || p.scope.length > scopes[best].scope.length)) best = pi;
      });
      return best;
    });
    // Children after their parent, siblings in document order.
    const nodes: PictureNode[] = [];
    const place = (i: number, parentNode: number, depth: number): void => {
      const s = scopes[i];
      const idx = nodes.length;
      nodes.push({
        id: `t${ti}s${i}`,
        scope: s.scope,
        label: s.scope === "" ? `${t.name} default` : s.scope,
        detail: detailOf(s.requirements, s.labels?.level) + (s.labels?.approval !== undefined ? " · approved" : ""),
        category: categoryOf(s.requirements),
        parent: parentNode,
        depth,
      });
      scopes.forEach((_, ci) => {
        if (parentOf[ci] === i) place(ci, idx, depth + 1);
      });
    };
    scopes.forEach((_, i) => {
      if (parentOf[i] < 0) place(i, -1, 0);
    });
    groups.push({ id: `t${ti}`, transport: t.name, nodes });
  });
  return groups;
}

/** The fill and stroke of each category (shared by mermaid and SVG, so both pictures look alike). */
export const CATEGORY_COLOURS: Record<TrustCategory, { fill: string; stroke: string }> = {
  reject: { fill: "#f8d7da", stroke: "#b02a37" },
  signed: { fill: "#fff3cd", stroke: "#997404" },
  accept: { fill: "#d1e7dd", stroke: "#146c43" },
};
