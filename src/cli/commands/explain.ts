/** `imagetrust explain CODE`: the catalogue page of any diagnostic code (lint rules included). */
import { Command, Option } from "commander";
import { CommandContext, UsageError } from "../context.js";

const EXPLAIN_HELP = `
Examples:
  $ imagetrust explain IT2120
  $ imagetrust explain IT4008 --format markdown
  $ imagetrust explain never-matching-scope

Every code is listed in docs/codes.md.
`;

/** Register `imagetrust explain` on `program`. */
export function registerExplainCommand(program: Command, ctx: CommandContext): void {
  program
    .command("explain")
    .description("explain a diagnostic code: what it means, why containers/image behaves so, what to do")
    .argument("<code>", "a code such as IT2120 (or a lint rule's name)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "markdown"]).default("text"))
    .addHelpText("after", EXPLAIN_HELP)
    .action(async (code: string, opts: { format: "text" | "json" | "markdown" }) => {
      const { catalogue, catalogueEntry } = await import("../../diagnostics/catalogue/index.js");
      const { findRule, RULES } = await import("../../lint/registry.js");
      const wanted = /^it\d{4}$/i.test(code) ? code.toUpperCase() : (findRule(code)?.meta.code ?? code);
      const entry = catalogueEntry(wanted);
      if (!entry) {
        const { didYouMean } = await import("../../diagnostics/did-you-mean.js");
        const known = [...catalogue().map((e) => e.code), ...RULES.map((r) => r.meta.name)];
        throw new UsageError(`unknown diagnostic code '${code}'.${didYouMean(code, known)} (every code: docs/codes.md)`);
      }
      const render = await import("../../diagnostics/catalogue/render.js");
      if (opts.format === "json") ctx.out(JSON.stringify(render.entryJson(entry), null, 2) + "\n");
      else if (opts.format === "markdown") ctx.out(render.renderEntryMarkdown(entry, 1));
      else ctx.out(render.renderEntryText(entry));
    });
}
