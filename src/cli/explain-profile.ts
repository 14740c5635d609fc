/**
 * `compile --explain`: which profile was compiled, what it replaces of the base (scope by scope, with both places),
 * what it adds, and which approvals were left out as expired. Read from the compiled model, so it says what the
 * output holds.
 */
import type { CompileTrustOptions } from "../check/compile-source.js";
import type { SourceFile, Span } from "../source/source-file.js";
import type { CommandContext } from "./context.js";

/** The text `--explain` prints. */
export async function explainProfile(ctx: CommandContext, source: SourceFile, options: CompileTrustOptions): Promise<string> {
  const { compileTrustSource } = await import("../check/compile-source.js");
  const r = compileTrustSource(source, options);
  const m = r.value;
  if (!m) return "";
  const where = (s: Span) => `${ctx.display(s.file)}:${lineOf(s, s.file === source.path ? source.text : undefined, ctx)}`;
  const lines: string[] = [];
  const profiles = m.profiles ?? [];
  if (!m.profile) {
    lines.push(profiles.length ? `base (no profile selected; profiles: ${profiles.join(", ")})` : "base (the source defines no profiles)");
  } else {
    lines.push(`profile ${m.profile.name}${profiles.length > 1 ? ` (of ${profiles.join(", ")})` : ""}`);
    if (m.profile.overrides.length === 0) lines.push("  overrides nothing of the base");
    for (const o of m.profile.overrides) {
      const what = o.transport === undefined ? "the global default" : o.scope === "" ? `the ${o.transport} default` : `${o.transport} scope "${o.scope}"`;
      lines.push(`  overrides ${what}: ${where(o.profile)} replaces ${where(o.base)}`);
    }
    const overridden = new Set(m.profile.overrides.map((o) => `${o.transport}\0${o.scope}`));
    for (const t of m.policy.transports) {
      for (const s of t.scopes) {
        const span = s.keyOrigin ?? s.origin;
        if (!span || overridden.has(`${t.name}\0${s.scope}`) || s.labels?.profile === undefined) continue;
        lines.push(`  adds ${s.scope === "" ? `the ${t.name} default` : `${t.name} scope "${s.scope}"`}: ${where(span)}`);
      }
    }
  }
  for (const d of r.diagnostics) if (d.code === "IT2250") lines.push(`  leaves out: ${d.message}`);
  return lines.join("\n") + "\n";
}

function lineOf(span: Span, text: string | undefined, ctx: CommandContext): number {
  let t = text;
  if (t === undefined) {
    try {
      t = new TextDecoder().decode(ctx.host.files.readFile(span.file));
    } catch {
      return 0;
    }
  }
  let line = 1;
  for (let i = 0; i < span.start && i < t.length; i++) if (t.charCodeAt(i) === 10) line++;
  return line;
}
