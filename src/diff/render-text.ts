/** The text report of `imagetrust diff`: scope changes, then the sample references whose decision changes. */
import type { DecidingScope } from "../simulate/scope-lookup.js";
import { isLoosening, type PolicyDiff } from "./analyse.js";

function scopeLabel(s: DecidingScope | null): string {
  if (s === null) return "global default";
  return s.scope === "" ? `${s.transport} ""` : `${s.transport} ${s.scope}`;
}

/** A text report of a diff. */
export function renderDiffText(diff: PolicyDiff): string {
  const out: string[] = [];
  if (diff.scopeChanges.length === 0) out.push("No scope changes.");
  else {
    out.push("Scope changes:");
    for (const c of diff.scopeChanges) {
      const where = c.transport === null ? "global default" : `${c.transport} ${JSON.stringify(c.scope)}`;
      if (c.change === "added") out.push(`  + ${where}: [${c.afterSummary}]`);
      else if (c.change === "removed") out.push(`  - ${where}: [${c.beforeSummary}]`);
      else out.push(`  ~ ${where}: [${c.beforeSummary}] → [${c.afterSummary}]${isLoosening(c.before!, c.after!) ? "  (looser)" : ""}`);
    }
  }
  const changed = diff.samples.filter((s) => s.flipped || s.changed);
  if (changed.length === 0) out.push(`No decision changes on ${diff.samples.length} sample references.`);
  else {
    out.push(`Decision changes (${changed.length} of ${diff.samples.length} sample references):`);
    for (const s of changed) {
      const mark = s.loosened ? "LOOSER" : s.tightened ? "stricter" : "changed";
      out.push(
        `  ${mark}: ${s.ref}: ${s.before.verdict} (${scopeLabel(s.before.scope)}, ${s.before.strength}) → ${s.after.verdict} (${scopeLabel(s.after.scope)}, ${s.after.strength})`,
      );
    }
  }
  if (diff.loosened) out.push("The new policy is more permissive for at least one reference.");
  return out.join("\n") + "\n";
}
