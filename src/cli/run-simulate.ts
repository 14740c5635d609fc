/**
 * `imagetrust simulate …` as the executable runs it: the program (src/cli/program.ts) with `simulate` alone, the same
 * as src/cli/run.ts runs for that argv. Its own entry point so that the build makes it a module pack of its own
 * (scripts/module-pack.mjs, loaded by src/cli/run-packed.ts): no ES module, and so no ESM loader, at start-up.
 */
import { registerSimulateCommand } from "./commands/simulate.js";
import type { CliIo } from "./io.js";
import { runProgram } from "./program.js";

/** What src/cli/run.ts's `run` does for an argv whose command is `simulate` (src/cli/run-packed.ts calls it from the pack). */
export function run(argv: readonly string[], io: CliIo): Promise<number> {
  return runProgram(argv, io, [{ name: "simulate", load: async () => registerSimulateCommand }]);
}
