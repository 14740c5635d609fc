/** `imagetrust validate`: would containers/image accept these files? */
import { Command } from "commander";
import { validateInputs } from "../../input/validate.js";
import { CommandContext, parseTarget } from "../context.js";
import { reportsExitCode } from "../exit-codes.js";
import { displayPath, stylesFor, useColor } from "../io.js";
import { renderReports } from "../report-output.js";
import { preferShortRunFor } from "../short-run.js";
import { addReportOptions, parseColor, parseFormat, parseKind, type ReportCommandOptions } from "../shared.js";
import { codeSettings, keysFor, keysOption, requireRunConfig, ruleOption, runKeys, settleDiagnostics } from "../run-config.js";

const VALIDATE_HELP = `
Would containers/image (podman, skopeo, CRI-O, buildah) accept these files? Each FILE is judged by its name:
  *.json             a policy.json
  *.yaml, *.yml      one registries.d file
  DIR                a registries.d directory (every *.yaml in it, merged as the runtime does), or a
                     configuration directory holding policy.json and/or registries.d/ (like /etc/containers)
  *.trust            an imagetrust source
Exit status: 0 all accepted, 1 any rejected, 2 usage error or unreadable input.

Examples:
  $ imagetrust validate /etc/containers/policy.json
  $ imagetrust validate --target 5.23 policy.json registries.d/
  $ imagetrust validate --format json examples/hand-written/broken-policy.json
`;

/** Register `imagetrust validate` on `program`. */
export function registerValidateCommand(program: Command, ctx: CommandContext): void {
  addReportOptions(
    program
      .command("validate")
      .description("check that containers/image would accept each file")
      .argument("<files...>", "policy.json, registries.d file or directory, or .trust file")
      .addHelpText("after", VALIDATE_HELP),
  )
    .addOption(keysOption())
    .addOption(ruleOption())
    .action(async (files: string[], opts: ReportCommandOptions & { keys?: string; rule?: string[] }) => {
      const target = parseTarget(opts.target);
      const format = parseFormat(opts.format);
      const kind = parseKind(opts.kind);
      const color = useColor(ctx.io, parseColor(opts.color)) && format === "text";
      const config = await requireRunConfig(ctx, undefined);
      const keys = keysFor(ctx, await runKeys(ctx, opts.keys, config));
      const settings = await codeSettings(config, opts.rule);
      const paths = files.map((f) => ctx.libraryPath(f));
      await preferShortRunFor(ctx.io, ctx.host, paths);
      // Only verdicts and diagnostics are shown: a policy.json is loaded without the IR nobody reads (keepModel).
      const reports = await validateInputs(paths, { target, kind, host: ctx.host, keys, keepModel: false });
      // Warnings follow .imagetrust.yaml `rules:` and inline ignores, as in lint (errors the runtime refuses never do).
      for (const r of reports) {
        const settled = await settleDiagnostics(r.diagnostics, settings, r.sources.get(r.file));
        r.diagnostics = settled.diagnostics;
        if (settled.raised) r.valid = false;
      }
      ctx.out(await renderReports(reports, { format, command: "validate", styles: stylesFor(color), displayPath: (f) => displayPath(ctx.io.cwd, f), host: ctx.host }));
      ctx.exitCode = reportsExitCode(reports, "validate");
    });
}
