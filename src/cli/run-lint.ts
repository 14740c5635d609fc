/**
 * `imagetrust lint …` as the executable runs it: the program (src/cli/program.ts) with `lint` alone, the same as
 * src/cli/run.ts runs for that argv. Its own entry point so that the build makes it a module pack of its own
 * (scripts/module-pack.mjs, loaded by src/cli/run-packed.ts): no ES module, and so no ESM loader, at start-up, and the
 * linter's modules read with V8's code cache (CI lints every change: a small file's lint is mostly start-up).
 */
import { registerLintCommand } from "./commands/lint.js";
import type { CliIo } from "./io.js";
import { runProgram } from "./program.js";

/** {@link run} of src/cli/run.ts for an argv whose command is `lint`. */
export function runLint(argv: readonly string[], io: CliIo): Promise<number> {
  return runProgram(argv, io, [{ name: "lint", load: async () => registerLintCommand }]);
}
