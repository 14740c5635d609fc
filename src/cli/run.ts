/**
 * The imagetrust command line: the program (src/cli/program.ts) with the commands an argv needs, one file per command
 * (src/cli/commands/).
 */
import { COMMANDS } from "./commands.js";
import { commandName } from "./command-name.js";
import type { CliIo } from "./io.js";
import { runProgram } from "./program.js";

export type { CliIo } from "./io.js";
export { EXIT, parseTarget } from "./context.js";
export { packageVersion } from "./shared.js";

/**
 * Run the CLI on `argv` (the arguments after the program name) and return the exit code.
 * Never throws and never calls process.exit.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  // `imagetrust NAME …` loads only NAME's command file; help, no command or an unknown one (for its did-you-mean)
  // loads them all, in help order. Start-up then compiles one command module, not eleven.
  const first = commandName(argv);
  const named = COMMANDS.filter((c) => c.name === first);
  return runProgram(argv, io, named.length > 0 ? named : COMMANDS);
}
