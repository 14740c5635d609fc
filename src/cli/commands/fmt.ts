/** `imagetrust fmt`: canonical layout for .trust files. */
import { Command } from "commander";
import { CommandContext, EXIT, UsageError, renderLooseDiagnostics } from "../context.js";
import { invalidUtf8Diagnostic } from "../../input/files.js";
import { readSourceFile } from "../shared.js";
import { FRONT_END_SHORT_RUN_MAX_INPUT_BYTES, preferShortRunFor } from "../short-run.js";

/** Register `imagetrust fmt` on `program`. */
export function registerFmtCommand(program: Command, ctx: CommandContext): void {
  program
    .command("fmt")
    .description("format .trust files canonically (comments kept)")
    .argument("<files...>", ".trust files")
    .option("-w, --write", "rewrite the files in place")
    .option("--check", "write nothing; show what --write would change as a unified diff, and exit 1 when a file is not formatted")
    .addHelpText(
      "after",
      `
Examples:
  $ imagetrust fmt site.trust            # print the formatted text
  $ imagetrust fmt --write *.trust
  $ imagetrust fmt --check *.trust       # in CI
`,
    )
    .action(async (files: string[], opts: { write?: boolean; check?: boolean }) => {
      if (!opts.write && !opts.check && files.length > 1) throw new UsageError("fmt prints one file; use --write or --check for several");
      await preferShortRunFor(ctx.io, ctx.host, files.map((f) => ctx.libraryPath(f)), FRONT_END_SHORT_RUN_MAX_INPUT_BYTES);
      const { formatTrustSource } = await import("../../print/format.js");
      let failed = false;
      let unwritable = false;
      for (const file of files) {
        const read = await readSourceFile(ctx, file);
        const source = read.source;
        // A rewrite would turn every invalid byte into U+FFFD (comments included): refuse, at the first bad byte.
        const notUtf8 = opts.write ? invalidUtf8Diagnostic(read, "IT9017", "Not rewritten: the file is not valid UTF-8") : undefined;
        if (notUtf8) {
          ctx.out(await renderLooseDiagnostics(ctx, file, [notUtf8]));
          failed = true;
          continue;
        }
        const r = formatTrustSource(source);
        if (r.text === undefined) {
          ctx.out(await renderLooseDiagnostics(ctx, file, r.diagnostics));
          failed = true;
          continue;
        }
        if (opts.check) {
          if (r.text !== source.text) {
            // What `--write` would change, as `diff -u FILE <formatted>` shows it (gofmt -d, prettier --check -u).
            const { unifiedDiff } = await import("../../print/unified-diff.js");
            const name = ctx.display(file);
            ctx.out(unifiedDiff(source.text, r.text, { oldName: name, newName: `${name} (formatted)` }));
            ctx.out(`${name}: not formatted\n`);
            failed = true;
          }
        } else if (opts.write) {
          if (r.text !== source.text) {
            const { writeFileAtomic } = await import("../../util/atomic-write.js");
            try {
              await writeFileAtomic(ctx.libraryPath(file), r.text, { host: ctx.host });
            } catch (e) {
              // A directory or file we cannot write: IT9016 (exit 2), not an internal error; the other files go on.
              const { writeErrorDiagnostic } = await import("../../input/files.js");
              ctx.err(await renderLooseDiagnostics(ctx, file, [writeErrorDiagnostic(ctx.libraryPath(file), e)]));
              unwritable = true;
              continue;
            }
            ctx.out(`formatted ${ctx.display(file)}\n`);
          }
        } else {
          ctx.out(r.text);
        }
      }
      ctx.exitCode = unwritable ? EXIT.usage : failed ? EXIT.rejected : EXIT.ok;
    });
}
