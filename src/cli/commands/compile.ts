/** `imagetrust compile`: a .trust source to policy.json + registries.d, or to Kubernetes admission policies. */
import { Command, Option } from "commander";
import { hasErrors } from "../../diagnostics/diagnostic.js";
import { CommandContext, EXIT, parseTarget, renderLooseDiagnostics } from "../context.js";
import { colorOption, readSource, targetOption } from "../shared.js";

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
    .option("--keys <dir>", "read the key files the source names from this directory, by file name (the output keeps their install paths)")
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
`,
    )
    .action(async (file: string, opts: { out: string; check?: boolean; target?: string; targetK8s?: string; mode: string; keys?: string; color: string }) => {
      const target = parseTarget(opts.target);
      const source = await readSource(ctx, file);
      const keyAccess = opts.keys === undefined ? undefined : (await import("../../input/key-files.js")).keyFilesFrom(ctx.libraryPath(opts.keys), ctx.host);
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
      ctx.out(await renderLooseDiagnostics(ctx, file, r.diagnostics, ctx.color(opts.color as "auto")));
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
    });
}
