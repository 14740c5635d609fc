/** `imagetrust lint`: validate, then find policies that load but do not do what they seem to. */
import { Command } from "commander";
import { approvalClock, NOW_HELP } from "../approval-clock.js";
import * as nodePath from "node:path";
import type { FileReport } from "../../input/validate.js";
import type { RuntimeLocations } from "../../input/files.js";
import { CommandContext, EXIT, UsageError, parseTarget, renderLooseDiagnostics } from "../context.js";
import { reportsExitCode } from "../exit-codes.js";
import { displayPath, stylesFor, useColor } from "../io.js";
import { renderReports, renderRuntimeLocations } from "../report-output.js";
import { keysOption, loadRunConfig, parseRuleSettings, runKeys } from "../run-config.js";
import { FRONT_END_SHORT_RUN_MAX_INPUT_BYTES, preferShortRunFor } from "../short-run.js";
import { addReportOptions, collect, packageVersion, parseColor, parseFormat, parseKind, requireDirectory, type ReportCommandOptions } from "../shared.js";

const LINT_HELP = `
Validate, then look for policies that load but do not do what they seem to (see 'imagetrust rules').
With no PATH, lints what containers/image reads for this user: $HOME/.config/containers/policy.json if it
exists, else /etc/containers/policy.json, and $HOME/.config/containers/registries.d if it exists, else
/etc/containers/registries.d, saying which files were read and which are shadowed.
A DIR is a registries.d directory, or a configuration directory holding policy.json and/or registries.d/.
Settings come from the nearest .imagetrust.yaml (or --config FILE): rules (by code or name: off, info, warning,
error), target, ignore (globs), maxWarnings, checkFiles, keys (like --keys, which wins). In .trust files,
'# imagetrust-ignore IT4008: reason' on a finding's line or the line before suppresses it.
Exit status: 0 no errors (and at most --max-warnings warnings), 1 errors, 2 usage error or unreadable input.

Examples:
  $ imagetrust lint
  $ imagetrust lint /etc/containers
  $ imagetrust lint --format github policy.json
  $ imagetrust lint --format sarif policy.json > imagetrust.sarif
  $ imagetrust lint --registries-d /etc/containers/registries.d --registries-conf /etc/containers/registries.conf policy.json
  $ imagetrust lint --rule insecure-global-default=error --max-warnings 0 policy.json
  $ imagetrust lint --keys ci/keys --max-warnings 0 site.trust   # key files by install path, read from ci/keys
  $ imagetrust lint --fix policy.json          # e.g. "busybox" → "docker.io/library/busybox"
`;

interface LintCommandOptions extends ReportCommandOptions {
  maxWarnings?: string;
  rule?: string[];
  fix?: boolean;
  config?: string;
  registriesD?: string;
  registriesConf?: string;
  registriesConfD?: string;
  checkFiles?: boolean;
  keys?: string;
  now?: string;
  approvalWarnDays?: string;
}

/** Register `imagetrust lint` on `program`. */
export function registerLintCommand(program: Command, ctx: CommandContext): void {
  addReportOptions(
    program
      .command("lint")
      .description("validate, then find policies that load but do not do what they seem to")
      .argument("[paths...]", "files or directories (default: the configuration the runtime reads)")
      .addHelpText("after", LINT_HELP),
  )
    .option("--max-warnings <n>", "exit 1 when there are more warnings than this")
    .option("--rule <name=severity>", "change a rule's severity (off, info, warning, error); repeatable", collect)
    .option("--fix", "apply the safe fixes lint findings offer (renamed scopes and transports), then lint again")
    .option("--config <file>", "lint configuration (default: the nearest .imagetrust.yaml at or above the working directory)")
    .option("--registries-d <dir>", "the registries.d directory used with the policies (for cross-file rules); linted too")
    .option("--registries-conf <file>", "the registries.conf used with the policies (mirrors, for cross-file rules)")
    .option("--registries-conf-d <dir>", "with --registries-conf: its drop-in directory (*.conf merged in lexical order, as registries.conf.d)")
    .option("--check-files", "check key files and path scopes on this machine (default only when linting the runtime's own files)")
    .addOption(keysOption())
    .option("--approval-warn-days <n>", "warn this many days ahead of an approval's 'until' date (approval-expiry; default 30, or approvalWarnDays: in .imagetrust.yaml)")
    .option("--now <time>", NOW_HELP)
    .action((paths: string[], opts: LintCommandOptions) => lintAction(ctx, paths, opts));
}

async function lintAction(ctx: CommandContext, paths: string[], opts: LintCommandOptions): Promise<void> {
  const { io, host } = ctx;
  const target = parseTarget(opts.target);
  const format = parseFormat(opts.format);
  const kind = parseKind(opts.kind);
  const color = useColor(io, parseColor(opts.color)) && format === "text";
  let maxWarnings: number | undefined;
  if (opts.maxWarnings !== undefined) {
    maxWarnings = Number(opts.maxWarnings);
    if (!Number.isInteger(maxWarnings) || maxWarnings < 0) throw new UsageError(`invalid --max-warnings '${opts.maxWarnings}': expected a whole number ≥ 0`);
  }
  if (opts.registriesConfD !== undefined && opts.registriesConf === undefined)
    throw new UsageError("--registries-conf-d needs --registries-conf: the main file its drop-ins are merged into");
  const config = await loadRunConfig(ctx, opts.config);
  if (config.diagnostics) {
    ctx.out(config.diagnostics);
    ctx.exitCode = EXIT.usage;
    return;
  }
  const lintConfig = config.config;
  let approvalWarnDays = lintConfig?.approvalWarnDays;
  if (opts.approvalWarnDays !== undefined) {
    approvalWarnDays = Number(opts.approvalWarnDays);
    if (!Number.isInteger(approvalWarnDays) || approvalWarnDays < 0) throw new UsageError(`invalid --approval-warn-days '${opts.approvalWarnDays}': expected a whole number ≥ 0`);
  }
  const now = approvalClock(ctx, opts.now);
  const severities = { ...(lintConfig?.severities ?? {}), ...(await parseRuleSettings(opts.rule ?? [])) };
  if (maxWarnings === undefined) maxWarnings = lintConfig?.maxWarnings;
  const effectiveTarget = target ?? (lintConfig?.target !== undefined ? parseTarget(lintConfig.target) : undefined);
  const checkHostFiles = opts.checkFiles ?? lintConfig?.checkFiles;
  // --keys / `keys:`: key files (of .trust sources and, for key rules, of policy.json) are read there; checkFiles: false reads none.
  const runKeyFiles = await runKeys(ctx, opts.keys, lintConfig, checkHostFiles);
  const keys = runKeyFiles.check ? runKeyFiles.host : false;
  const { isIgnored } = await import("../../lint/config.js");
  const lintPaths = paths.map((p) => ctx.libraryPath(p)).filter((p) => !lintConfig || !isIgnored(lintConfig, nodePath.resolve(io.cwd, p)));
  // The runtime's own configuration (no paths) is a few small files: no short run asked.
  await preferShortRunFor(io, host, lintPaths, FRONT_END_SHORT_RUN_MAX_INPUT_BYTES);
  // Loaded here, not at start-up: `validate` needs none of the lint machinery.
  const { lintInputs, lintRuntimeConfiguration } = await import("../../lint/lint-inputs.js");
  const { ruleNameOfCode } = await import("../../lint/registry.js");
  const styles = stylesFor(color);
  const lintOnce = async (): Promise<{ reports: FileReport[]; locations?: RuntimeLocations }> =>
    paths.length === 0
      ? await lintRuntimeConfiguration({ host, root: io.systemRoot }, { target: effectiveTarget, severities, checkHostFiles, keys })
      : {
          reports: await lintInputs(lintPaths, {
            now,
            ...(approvalWarnDays !== undefined ? { approvalWarnDays } : {}),
            target: effectiveTarget,
            kind,
            severities,
            host,
            keys,
            checkHostFiles,
            registriesDPath: opts.registriesD !== undefined ? ctx.libraryPath(opts.registriesD) : undefined,
            registriesConfPath: opts.registriesConf !== undefined ? ctx.libraryPath(opts.registriesConf) : undefined,
            registriesConfDirPath: opts.registriesConfD !== undefined ? await requireDirectory(ctx, opts.registriesConfD, "--registries-conf-d") : undefined,
          }),
        };
  let result: Awaited<ReturnType<typeof lintOnce>>;
  if (opts.fix) {
    // Notes go to stderr in machine formats, so stdout stays one JSON document.
    const note = (s: string) => (format === "text" ? ctx.out(s) : ctx.err(s));
    const { lintAndFix, FixWriteError } = await import("../../lint/fix-files.js");
    let fixed;
    try {
      fixed = await lintAndFix(lintOnce, { target: effectiveTarget, kind, host }, {
        rejected: (r) =>
          ctx.err(`${displayPath(io.cwd, r.file)}: fixes not applied (${r.notUtf8 ? r.reason : `the result would not load: ${r.reason}`})\n`),
        written: (f) => f.applied.forEach((a) => note(`${styles.location(displayPath(io.cwd, f.file))}: fixed: ${a}\n`)),
      });
    } catch (e) {
      if (!(e instanceof FixWriteError)) throw e;
      // A directory or file we cannot write: IT9016 (exit 2), not an internal error.
      const { writeErrorDiagnostic } = await import("../../input/files.js");
      ctx.err(await renderLooseDiagnostics(ctx, e.file, [writeErrorDiagnostic(e.file, e.cause)]));
      ctx.exitCode = EXIT.usage;
      return;
    }
    result = fixed.result;
  } else {
    result = await lintOnce();
  }
  const { reports, locations } = result;
  if (locations && format === "text") ctx.out(renderRuntimeLocations(locations, styles));
  ctx.out(
    await renderReports(reports, { format, command: "lint", styles, displayPath: (f) => displayPath(io.cwd, f), host, ruleName: ruleNameOfCode, toolVersion: packageVersion() }),
  );
  ctx.exitCode = reportsExitCode(reports, "lint", maxWarnings);
}
