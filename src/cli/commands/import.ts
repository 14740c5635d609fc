/** `imagetrust import`: an existing policy.json (+ registries.d) to a .trust source. */
import { Command } from "commander";
import { emptyRegistriesD } from "../../ir/types.js";
import { CommandContext, parseTarget } from "../context.js";
import { loadPolicyAndStorage, targetOption } from "../shared.js";

/** Register `imagetrust import` on `program`. */
export function registerImportCommand(program: Command, ctx: CommandContext): void {
  program
    .command("import")
    .description("turn an existing policy.json (and registries.d) into .trust source")
    .argument("<policy>", "a policy.json")
    .option("--registries-d <dir>", "a registries.d directory to include")
    .option("-o, --output <file>", "write the .trust source here instead of printing it")
    .addOption(targetOption())
    .addHelpText(
      "after",
      `
Examples:
  $ imagetrust import /etc/containers/policy.json --registries-d /etc/containers/registries.d -o site.trust
`,
    )
    .action(async (policyPath: string, opts: { registriesD?: string; output?: string; target?: string }) => {
      const target = parseTarget(opts.target);
      const { policy, registriesD } = await loadPolicyAndStorage(ctx, policyPath, opts.registriesD, target);
      const { printTrustModel } = await import("../../print/trust-printer.js");
      const text = printTrustModel({ policy, registriesD: registriesD ?? emptyRegistriesD(), expectations: [] });
      if (opts.output !== undefined) {
        const { writeFileAtomic } = await import("../../util/atomic-write.js");
        await writeFileAtomic(ctx.libraryPath(opts.output), text, { host: ctx.host });
        ctx.out(`wrote ${ctx.display(opts.output)}\n`);
      } else {
        ctx.out(text);
      }
    });
}
