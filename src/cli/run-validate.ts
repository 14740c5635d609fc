/**
 * `imagetrust validate …` as the executable runs it: the program (src/cli/program.ts) with `validate` alone, the same
 * as src/cli/run.ts runs for that argv. Its own entry point so that the bundle gives it a file of its own
 * (scripts/build-bundle.mjs): a command over in a fraction of a second loads one module, not the ~36 chunks it
 * shares with every other command.
 */
import { registerValidateCommand } from "./commands/validate.js";
import type { CliIo } from "./io.js";
import { runProgram } from "./program.js";

/** What src/cli/run.ts's `run` does for an argv whose command is `validate` (src/cli/run-packed.ts calls it from the pack). */
export function run(argv: readonly string[], io: CliIo): Promise<number> {
  return runProgram(argv, io, [{ name: "validate", load: async () => registerValidateCommand }]);
}
