/**
 * The text report of `imagetrust diff`: scope changes, the region table (every region with the scope deciding it
 * in each policy and its classification), the user's references, signature storage moves, then the sample
 * references whose decision changes.
 */
import type { DecidingScope } from "../simulate/scope-lookup.js";
import type { PolicyDiff } from "./analyse.js";
import { compareRequirements } from "./requirement-lattice.js";
import type { Region, RegionSide } from "./regions.js";

function scopeLabel(s: DecidingScope | null): string {
  if (s === null) return "global default";
  return s.scope === "" ? `${s.transport} ""` : `${s.transport} ${s.scope}`;
}

function regionLabel(r: Pick<Region, "transport" | "scope">): string {
  return r.transport === null ? "global default" : `${r.transport} ${JSON.stringify(r.scope)}`;
}

function sideLabel(s: RegionSide): string {
  return `[${s.summary}] (${scopeLabel(s.decidedBy)})`;
}

/** Column-aligned rows (the last column is not padded). */
function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => "  " + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join("  ").trimEnd());
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
      else {
        const k = compareRequirements(c.before!, c.after!);
        out.push(`  ~ ${where}: [${c.beforeSummary}] → [${c.afterSummary}]${k === "equal" ? "" : `  (${k})`}`);
      }
    }
  }
  const notEqual = diff.regions.filter((r) => r.classification !== "equal").length;
  out.push(`Regions (${diff.regions.length}, ${notEqual} not equal):`);
  out.push(
    ...table([
      ["CLASS", "REGION", "OLD", "NEW"],
      ...diff.regions.map((r) => [r.classification, regionLabel(r) + (r.witness === null ? " *" : ""), sideLabel(r.old), sideLabel(r.new)]),
    ]),
  );
  const reasoned = diff.regions.filter((r) => r.witness === null);
  for (const r of reasoned) out.push(`  * ${regionLabel(r)}: ${r.reasoned}`);
  if (diff.references.length > 0) {
    out.push("Your references:");
    out.push(
      ...table([
        ["CLASS", "REFERENCE", "OLD", "NEW"],
        ...diff.references.map((r) => [
          r.classification,
          r.ref,
          `${r.old.verdict} [${r.old.requirements.map((q) => q.type).join(", ")}] (${scopeLabel(r.old.decidedBy)})`,
          `${r.new.verdict} [${r.new.requirements.map((q) => q.type).join(", ")}] (${scopeLabel(r.new.decidedBy)})`,
        ]),
      ]),
    );
  }
  if (diff.signatureStorage.length > 0) {
    out.push("Signature storage (registries.d) changes:");
    const lk = (s: string) => (s === "" ? "built-in default" : s);
    for (const c of diff.signatureStorage) {
      const where = c.namespace === "" ? "default-docker" : `docker ${JSON.stringify(c.namespace)}`;
      const what: string[] = [];
      if (c.changed.includes("lookaside")) what.push(`lookaside ${lk(c.old.lookaside)} → ${lk(c.new.lookaside)}`);
      if (c.changed.includes("use-sigstore-attachments")) what.push(`use-sigstore-attachments ${c.old.useSigstoreAttachments} → ${c.new.useSigstoreAttachments}`);
      out.push(`  ${c.affectsDecisions ? "changed" : "moved  "}  ${where}: ${what.join("; ")}${c.affectsDecisions ? "" : "  (no signature requirement reads them)"}`);
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
  if (diff.loosened) out.push("The new policy is more permissive for at least one reference (a looser or changed region).");
  return out.join("\n") + "\n";
}
