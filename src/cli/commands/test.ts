/** `imagetrust test`: expectations of .trust files and YAML case files. */
import { Command, Option } from "commander";
import { CommandContext, parseTarget } from "../context.js";
import { expectationsExitCode } from "../exit-codes.js";
import { targetOption } from "../shared.js";
import { codeSettings, keysFor, keysOption, requireRunConfig, ruleOption, runKeys, settleDiagnostics } from "../run-config.js";
import type { ExpectationRun } from "../../expectations/run.js";
import type { Severity } from "../../diagnostics/diagnostic.js";
import { SourceFile } from "../../source/source-file.js";

/** Register `imagetrust test` on `program`. */
export function registerTestCommand(program: Command, ctx: CommandContext): void {
  program
    .command("test")
    .description("check expectations: `expect` lines of .trust files, or YAML case files for a policy.json")
    .argument("<files...>", ".trust files or expectation YAML files (policy: …, cases: [{ref, expect: allow|deny, scope?, signatures?, manifest?, because?}])")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(targetOption())
    .option("--debian", "reproduce Debian 12's containers/image build: no atomic transport (an atomic: reference does not parse)")
    .addOption(keysOption())
    .addOption(ruleOption())
    .addHelpText(
      "after",
      `
Every failing expectation is shown at FILE:LINE:COLUMN (the \`expect\` line, or the YAML case), and so is every
diagnostic. A YAML \`policy:\` may name a configuration directory (its policy.json and registries.d/).

Signed cases: \`expect allow|deny "REF" with signatures "DIR" [manifest "FILE"]\` (YAML: signatures:, manifest:)
decides the pull on DIR's signature-1, signature-2, … and FILE (default DIR/manifest.json), as
\`simulate --signatures DIR --manifest FILE\` does; paths are relative to the file the line is in. A denial can
name what it must carry: \`because IT5801\` (a code shown under the rejected signature) or \`because "text"\`
(text its reasons contain). Key files are read as everywhere (--keys DIR).

Exit status: 0 every expectation holds, 1 any fails (or a file cannot be used), 2 a directory was given.

Examples:
  $ imagetrust test site.trust
  $ imagetrust test policy-cases.yaml
  $ imagetrust test examples/signed/release.trust --keys examples/keys
`,
    )
    .action(async (files: string[], opts: { format: string; target?: string; debian?: boolean; keys?: string; rule?: string[] }) => {
      const target = parseTarget(opts.target);
      const config = await requireRunConfig(ctx, undefined);
      const keys = keysFor(ctx, await runKeys(ctx, opts.keys, config));
      const { testExpectationFiles } = await import("../../expectations/run.js");
      const { expectationEvidence } = await import("../../verify/evidence.js");
      const env = { euid: ctx.host.euid(), home: ctx.io.env.HOME };
      const runs = await testExpectationFiles(
        files.map((f) => ctx.libraryPath(f)),
        {
          target,
          host: ctx.host,
          keys,
          env,
          ...(opts.debian ? { parse: { debian: true } } : {}),
          // Expectations with `with signatures "DIR"`: verified with the key files as every command reads them (--keys).
          evidenceSource: expectationEvidence({ host: ctx.host, keys: keys === false ? ctx.host : keys, env, debian: opts.debian === true }),
        },
      );
      await settleRuns(ctx, runs, await codeSettings(config, opts.rule));
      if (opts.format === "json") ctx.out(JSON.stringify(runs, null, 2) + "\n");
      else {
        const { renderExpectationsText } = await import("../../expectations/render-text.js");
        // The texts the failures and diagnostics point into, read again through the host for their line:column.
        const sources = new Map<string, SourceFile | undefined>();
        const sourceOf = (file: string) => {
          if (!sources.has(file)) {
            try {
              sources.set(file, new SourceFile(file, new TextDecoder().decode(ctx.host.files.readFile(file))));
            } catch {
              sources.set(file, undefined);
            }
          }
          return sources.get(file);
        };
        ctx.out(renderExpectationsText(runs, { sourceOf, displayPath: (f) => ctx.display(f) }));
      }
      ctx.exitCode = expectationsExitCode(runs);
    });
}

/** The warnings of each .trust source follow `rules:` / `--rule` and its inline ignores, as in lint. */
async function settleRuns(ctx: CommandContext, runs: ExpectationRun[], settings: Record<string, Severity | "off">): Promise<void> {
  const { SourceFile } = await import("../../source/source-file.js");
  for (const run of runs) {
    let source;
    try {
      source = run.file.endsWith(".trust") ? new SourceFile(run.file, new TextDecoder().decode(ctx.host.files.readFile(run.file))) : undefined;
    } catch {
      source = undefined;
    }
    run.diagnostics = (await settleDiagnostics(run.diagnostics, settings, source)).diagnostics;
  }
}
