/** `imagetrust diff`: what changed semantically between two policies. */
import { Command, Option } from "commander";
import { CommandContext, parseTarget } from "../context.js";
import { diffExitCode } from "../exit-codes.js";
import { collect, loadPolicyAndStorage, targetOption } from "../shared.js";

/** Register `imagetrust diff` on `program`. */
export function registerDiffCommand(program: Command, ctx: CommandContext): void {
  program
    .command("diff")
    .description("what changed semantically between two policies, and which sample pulls flip")
    .argument("<old>", "the old policy.json or .trust")
    .argument("<new>", "the new policy.json or .trust")
    .option("--ref <ref>", "a sample reference to decide under both policies; repeatable", collect, [] as string[])
    .option("--fail-on-loosen", "exit 1 when any decision becomes more permissive")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(targetOption())
    .addHelpText(
      "after",
      `
Examples:
  $ imagetrust diff /etc/containers/policy.json new-policy.json
  $ imagetrust diff --fail-on-loosen old.trust new.trust --ref docker://quay.io/acme/app:1
`,
    )
    .action(async (oldPath: string, newPath: string, opts: { ref: string[]; failOnLoosen?: boolean; format: string; target?: string }) => {
      const target = parseTarget(opts.target);
      const before = await loadPolicyAndStorage(ctx, oldPath, undefined, target);
      const after = await loadPolicyAndStorage(ctx, newPath, undefined, target);
      const { diffPolicies } = await import("../../diff/analyse.js");
      const d = diffPolicies(before.policy, after.policy, { refs: opts.ref, host: ctx.host });
      ctx.out(opts.format === "json" ? JSON.stringify(d, null, 2) + "\n" : (await import("../../diff/render-text.js")).renderDiffText(d));
      ctx.exitCode = diffExitCode(d, { failOnLoosen: opts.failOnLoosen === true });
    });
}
