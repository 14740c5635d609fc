/** `show --format mermaid`: the policy picture as a mermaid flowchart (GitHub renders it in a PR or README). */
import type { Policy } from "../ir/types.js";
import { CATEGORY_COLOURS, policyPicture } from "./picture.js";

/** Text inside a mermaid `["…"]` label: quotes and angle brackets as mermaid entity codes. */
function label(s: string): string {
  return s.replace(/#/g, "#35;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}

/** The mermaid source of the picture of `policy` (deterministic: document order, numbered ids). */
export function renderTrustMermaid(policy: Policy): string {
  const lines = ["flowchart LR"];
  for (const [cat, c] of Object.entries(CATEGORY_COLOURS)) lines.push(`  classDef ${cat} fill:${c.fill},stroke:${c.stroke},color:#000`);
  for (const g of policyPicture(policy)) {
    const indent = g.transport === "" ? "  " : "    ";
    if (g.transport !== "") lines.push(`  subgraph ${g.id}["${label(g.transport)}"]`);
    if (g.transport !== "") lines.push(`    direction LR`);
    for (const n of g.nodes) lines.push(`${indent}${n.id}["${label(n.label)}<br/>${label(n.detail)}"]:::${n.category}`);
    for (const n of g.nodes) if (n.parent >= 0) lines.push(`${indent}${g.nodes[n.parent].id} --> ${n.id}`);
    if (g.transport !== "") lines.push("  end");
  }
  return lines.join("\n") + "\n";
}
