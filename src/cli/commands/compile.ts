/** `imagetrust compile`: a .trust source to policy.json + registries.d, or to Kubernetes admission policies. */
import { Command, Option } from "commander";
import { hasErrors } from "../../diagnostics/diagnostic.js";
import { CommandContext, EXIT, UsageError, parseTarget, renderLooseDiagnostics } from "../context.js";
import { invalidUtf8Diagnostic } from "../../input/files.js";
import { colorOption, readSourceFile, targetOption } from "../shared.js";
import { approvalClock, NOW_HELP, throwOnUnknownProfile } from "../approval-clock.js";
import { explainProfile } from "../explain-profile.js";
import { hostIncludeReader } from "../../check/check-includes.js";
import { codeSettings, requireRunConfig, ruleOption, runKeys, settleDiagnostics } from "../run-config.js";
import { COMPILE_SHORT_RUN_MAX_INPUT_BYTES, preferShortRunFor } from "../short-run.js";

/** Register `imagetrust compile` on `program`. */
export function registerCompileCommand(program: Command, ctx: CommandContext): void {
  program
    .command("compile")
    .description("compile a .trust file into policy.json and registries.d/ (nothing is written on any error)")
    .argument("<file>", "the .trust source")
    .requiredOption("-o, --out <dir>", "output directory (policy.json and registries.d/ go inside)")
    .option("--check", "write nothing; exit 1 when the output directory differs from what would be written")
    .addOption(targetOption())
    .addOption(
      new Option("--target-k8s <engine>", "write Kubernetes admission policies for this engine instead of policy.json").choices([
        "policy-controller",
        "kyverno",
        "kyverno-ivp",
      ]),
    )
    .addOption(new Option("--mode <mode>", "with --target-k8s: enforce, or only warn/audit").choices(["enforce", "warn"]).default("enforce"))
    .option("--profile <name>", "compile this profile of the source (a 'profile NAME { … }' block); default: the base")
    .option("--explain", "also print what the selected profile overrides, and approvals left out")
    .option("--now <time>", NOW_HELP)
    .addOption(new Option("--expired-approvals <what>", "an approval whose 'until' date has passed: dropped with a warning, or refused").choices(["drop", "refuse"]).default("drop"))
    .option("--keys <dir>", "read the key files the source names from this directory, by file name (the output keeps their install paths; wins over .imagetrust.yaml 'keys:')")
    .addOption(ruleOption())
    .addOption(colorOption())
    .addHelpText(
      "after",
      `
Examples:
  $ imagetrust compile site.trust --out /etc/containers
  $ imagetrust compile site.trust --out out/ --target 5.23
  $ imagetrust compile site.trust --out /etc/containers --check     # in CI: is the deployed policy current?
  $ imagetrust compile site.trust --target-k8s policy-controller --out k8s/   # ClusterImagePolicy manifests
  $ imagetrust compile site.trust --target-k8s kyverno --out k8s/             # Kyverno ClusterPolicy manifests
  $ imagetrust compile site.trust --target-k8s kyverno-ivp --out k8s/         # Kyverno ImageValidatingPolicy (CEL) manifests
  $ imagetrust compile examples/keyless-ci.trust --keys examples/keys --target-k8s kyverno --out k8s/
  $ imagetrust compile examples/company/site.trust --profile laptop --out out/laptop --explain
  $ SOURCE_DATE_EPOCH=1767225600 imagetrust compile site.trust --out out/     # approvals judged at 2026-01-01
`,
    )
    .action(async (
      file: string,
      opts: { out: string; check?: boolean; target?: string; targetK8s?: string; mode: string; keys?: string; rule?: string[]; color: string; profile?: string; explain?: boolean; now?: string; expiredApprovals: string },
    ) => {
      const target = parseTarget(opts.target);
      // The output is a directory tree (policy.json beside registries.d/, or several manifests): no single stream.
      if (opts.out === "-") throw new UsageError("compile writes a directory (policy.json and registries.d/); '--out -' is not supported: give a directory, e.g. --out out/ && cat out/policy.json");
      // Measured: short-run.ts.
      await preferShortRunFor(ctx.io, ctx.host, [ctx.libraryPath(file)], COMPILE_SHORT_RUN_MAX_INPUT_BYTES);
      const read = await readSourceFile(ctx, file);
      const source = read.source;
      // The runtime never sees the source, so nothing would stop U+FFFD (for each invalid byte) reaching policy.json.
      const notUtf8 = invalidUtf8Diagnostic(read, "IT9012", "The source is not valid UTF-8; nothing was written");
      if (notUtf8) {
        ctx.out(await renderLooseDiagnostics(ctx, file, [notUtf8], ctx.color(opts.color as "auto")));
        ctx.out(`${ctx.display(file)}: not compiled\n`);
        ctx.exitCode = EXIT.rejected;
        return;
      }
      const config = await requireRunConfig(ctx, undefined);
      const keys = await runKeys(ctx, opts.keys, config);
      const settings = await codeSettings(config, opts.rule);
      const keyAccess = {
        host: keys.host ?? ctx.host,
        checkKeyFiles: keys.check,
        now: approvalClock(ctx, opts.now),
        expiredApprovals: opts.expiredApprovals as "drop" | "refuse",
        ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
      };
      const r = opts.targetK8s
        ? await (await import("../../compile/compile-k8s.js")).compileToKubernetesFiles(source, {
            outDir: ctx.libraryPath(opts.out),
            k8sTarget: opts.targetK8s as "kyverno",
            mode: opts.mode as "warn",
            target,
            check: opts.check === true,
            host: ctx.host,
            compile: keyAccess,
          })
        : await (await import("../../compile/compile-files.js")).compileToFiles(source, {
            outDir: ctx.libraryPath(opts.out),
            target,
            check: opts.check === true,
            host: ctx.host,
            compile: keyAccess,
          });
      throwOnUnknownProfile(r.diagnostics);
      const settled = await settleDiagnostics(r.diagnostics, settings, source);
      if (opts.explain) ctx.out(await explainProfile(ctx, source, { ...keyAccess, readInclude: hostIncludeReader(ctx.host), target, enforcement: opts.targetK8s ? "cluster" : "nodes" }));
      ctx.out(await renderLooseDiagnostics(ctx, file, settled.diagnostics, ctx.color(opts.color as "auto")));
      if (hasErrors(r.diagnostics)) {
        ctx.out(`${ctx.display(file)}: not compiled${opts.targetK8s ? ` for ${opts.targetK8s}` : ""}\n`);
        ctx.exitCode = EXIT.rejected;
        return;
      }
      if (opts.check) {
        const diffs = r.differences ?? [];
        for (const d of diffs) ctx.out(`${d}\n`);
        ctx.out(diffs.length ? `${ctx.display(opts.out)} is out of date\n` : `${ctx.display(opts.out)} is up to date\n`);
        ctx.exitCode = diffs.length ? EXIT.rejected : EXIT.ok;
        return;
      }
      for (const w of r.written) ctx.out(`wrote ${ctx.display(w)}\n`);
      for (const w of r.removed ?? []) ctx.out(`removed ${ctx.display(w)}\n`);
      // A warning configured as an error (`rules: {IT2120: error}`) fails the run, as in lint; the files are written.
      if (settled.raised) ctx.exitCode = EXIT.rejected;
    });
}
