/** `imagetrust rules`: the lint rules, or one rule's documentation. */
import { Command, Option } from "commander";
import { CommandContext, UsageError } from "../context.js";

const RULES_HELP = `
Examples:
  $ imagetrust rules
  $ imagetrust rules never-matching-scope
  $ imagetrust rules --format markdown
`;

/** Register `imagetrust rules` on `program`. */
export function registerRulesCommand(program: Command, ctx: CommandContext): void {
  program
    .command("rules")
    .description("list the lint rules, or explain one")
    .argument("[rule]", "a rule name or code: show its documentation")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "markdown"]).default("text"))
    .addHelpText("after", RULES_HELP)
    .action(async (name: string | undefined, opts: { format: string }) => {
      if (name === undefined) {
        ctx.out(await renderRules(opts.format as "text" | "json" | "markdown"));
        return;
      }
      const { RULES, findRule } = await import("../../lint/registry.js");
      const rule = findRule(name);
      if (!rule && /^IT\d{4}$/.test(name)) {
        // A code that is not a lint rule (IT7000, IT2120, …) has its page under `explain`.
        const { catalogueEntry } = await import("../../diagnostics/catalogue/index.js");
        if (catalogueEntry(name)) throw new UsageError(`${name} is not a lint rule: run 'imagetrust explain ${name}'`);
      }
      if (!rule) {
        const { didYouMean } = await import("../../diagnostics/did-you-mean.js");
        throw new UsageError(`unknown rule '${name}'.${didYouMean(name, RULES.map((r) => r.meta.name))}`);
      }
      if (opts.format === "json") {
        ctx.out(JSON.stringify(rule.meta, null, 2) + "\n");
        return;
      }
      const m = rule.meta;
      ctx.out(
        [
          `${m.name} (${m.code}): ${m.description}`,
          `category: ${m.category}, default severity: ${m.defaultSeverity}`,
          "",
          "What it does",
          `  ${m.docs.what}`,
          "",
          "Why it matters",
          `  ${m.docs.why}`,
          "",
          "Example",
          ...m.docs.example.split("\n").map((l) => `  ${l}`),
          "",
          "Instead",
          ...m.docs.instead.split("\n").map((l) => `  ${l}`),
          "",
        ].join("\n"),
      );
    });
}

/** The rule list in text, JSON or a Markdown table (for the README). */
export async function renderRules(format: "text" | "json" | "markdown"): Promise<string> {
  const { RULES } = await import("../../lint/registry.js");
  if (format === "json") {
    return JSON.stringify(RULES.map((r) => r.meta), null, 2) + "\n";
  }
  if (format === "markdown") {
    // The README's rule table (between <!-- rules:start --> and <!-- rules:end -->) is exactly this (npm run docs:rules).
    const { renderRuleTable } = await import("../../lint/docs.js");
    return renderRuleTable(RULES);
  }
  const width = Math.max(...RULES.map((r) => r.meta.name.length));
  return RULES.map((r) => `${r.meta.code}  ${r.meta.name.padEnd(width)}  ${r.meta.category.padEnd(11)}  ${r.meta.defaultSeverity.padEnd(7)}  ${r.meta.description}`).join("\n") + "\n";
}
