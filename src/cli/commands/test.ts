/** `imagetrust test`: expectations of .trust files and YAML case files. */
import { Command, Option } from "commander";
import { CommandContext, parseTarget } from "../context.js";
import { expectationsExitCode } from "../exit-codes.js";
import { targetOption } from "../shared.js";

/** Register `imagetrust test` on `program`. */
export function registerTestCommand(program: Command, ctx: CommandContext): void {
  program
    .command("test")
    .description("check expectations: `expect` lines of .trust files, or YAML case files for a policy.json")
    .argument("<files...>", ".trust files or expectation YAML files (policy: …, cases: [{ref, expect: allow|deny, scope?}])")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(targetOption())
    .addHelpText(
      "after",
      `
Exit status: 0 every expectation holds, 1 any fails (or a file cannot be used).

Examples:
  $ imagetrust test site.trust
  $ imagetrust test policy-cases.yaml
`,
    )
    .action(async (files: string[], opts: { format: string; target?: string }) => {
      const target = parseTarget(opts.target);
      const { testExpectationFiles } = await import("../../expectations/run.js");
      const runs = testExpectationFiles(
        files.map((f) => ctx.libraryPath(f)),
        { target, host: ctx.host, env: { euid: ctx.host.euid(), home: ctx.io.env.HOME } },
      );
      if (opts.format === "json") ctx.out(JSON.stringify(runs, null, 2) + "\n");
      else ctx.out((await import("../../expectations/render-text.js")).renderExpectationsText(runs));
      ctx.exitCode = expectationsExitCode(runs);
    });
}
