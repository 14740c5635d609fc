/** `imagetrust import`: an existing policy.json (+ registries.d) to a .trust source. */
import { Command, Option } from "commander";
import { emptyRegistriesD } from "../../ir/types.js";
import { formatVersion } from "../../ir/versions.js";
import { CommandContext, EXIT, parseTarget, renderLooseDiagnostics } from "../context.js";
import { loadPolicyAndStorage, targetOption } from "../shared.js";
import { FRONT_END_SHORT_RUN_MAX_INPUT_BYTES, preferShortRunFor } from "../short-run.js";

/** Register `imagetrust import` on `program`. */
export function registerImportCommand(program: Command, ctx: CommandContext): void {
  program
    .command("import")
    .description("turn an existing policy.json (and registries.d) into .trust source")
    .argument("<policy>", "a policy.json")
    .option("--registries-d <dir>", "a registries.d directory to include")
    .option("-o, --out <file>", "write the .trust source here instead of printing it (- prints it)")
    // The spelling of earlier releases; every command now spells the output flag -o/--out.
    .addOption(new Option("--output <file>").hideHelp())
    .addOption(targetOption())
    .addHelpText(
      "after",
      `
Examples:
  $ imagetrust import /etc/containers/policy.json --registries-d /etc/containers/registries.d -o site.trust
`,
    )
    .action(async (policyPath: string, opts: { registriesD?: string; out?: string; output?: string; target?: string }) => {
      const target = parseTarget(opts.target);
      await preferShortRunFor(ctx.io, ctx.host, [ctx.libraryPath(policyPath)], FRONT_END_SHORT_RUN_MAX_INPUT_BYTES);
      const { policy, registriesD } = await loadPolicyAndStorage(ctx, policyPath, opts.registriesD, target);
      const { printTrustModel } = await import("../../print/trust-printer.js");
      // --target V is written as `target "V"`: compile then judges the source by the version it was imported for.
      const model = { policy, registriesD: registriesD ?? emptyRegistriesD(), expectations: [], ...(target ? { target: formatVersion(target) } : {}) };
      const text = printTrustModel(model);
      const out = opts.out ?? opts.output;
      // Never write a source that compile refuses: what the language cannot say, or what does not compile back.
      const { compileBack, unimportable } = await import("../../print/import-check.js");
      const refused = unimportable(policy, policyPath);
      if (refused.length === 0) refused.push(...compileBack(text, out !== undefined && out !== "-" ? out : "imported.trust", target));
      if (refused.length > 0) {
        ctx.err(await renderLooseDiagnostics(ctx, policyPath, refused));
        ctx.exitCode = EXIT.rejected;
        return;
      }
      // Digest-pinned docker scopes are what approvals compile to; their reasons, approvers and dates never reached policy.json.
      const pinned = policy.transports.find((t) => t.name === "docker")?.scopes.filter((s) => /@sha256:[0-9a-f]{64}$/.test(s.scope)) ?? [];
      if (pinned.length > 0) {
        const { MODULE_CODES } = await import("../../check/module-codes.js");
        const first = pinned[0];
        ctx.err(
          await renderLooseDiagnostics(ctx, policyPath, [
            {
              code: MODULE_CODES.importLosesApprovalFacts,
              severity: "info",
              message: `${pinned.length} docker scope(s) pin an image by digest (approvals, e.g. "${first.scope}"); policy.json keeps no reason, approver or end date, so they are imported as plain scopes: write them as 'approve "…" because "…" by "…" until YYYY-MM-DD' by hand.`,
              ...(first.keyOrigin ? { span: first.keyOrigin } : { file: policyPath }),
            },
          ]),
        );
      }
      if (out !== undefined && out !== "-") {
        const { writeFileAtomic } = await import("../../util/atomic-write.js");
        await writeFileAtomic(ctx.libraryPath(out), text, { host: ctx.host });
        ctx.out(`wrote ${ctx.display(out)}\n`);
      } else {
        ctx.out(text);
      }
    });
}
