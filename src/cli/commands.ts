/**
 * The commands after validate, lint and rules (which run.ts registers first, so --help keeps its order), one file
 * each under commands/. Each loads its library module on use, so a problem in one of them never breaks the others
 * (or --help).
 */
import type { Command } from "commander";
import type { CommandContext } from "./context.js";
import { registerCompileCommand } from "./commands/compile.js";
import { registerFmtCommand } from "./commands/fmt.js";
import { registerImportCommand } from "./commands/import.js";
import { registerSimulateCommand } from "./commands/simulate.js";
import { registerVerifyCommand } from "./commands/verify.js";
import { registerTestCommand } from "./commands/test.js";
import { registerDiffCommand } from "./commands/diff.js";
import { registerExplainCommand } from "./commands/explain.js";

/** Register compile, fmt, import, simulate, verify, test and diff on `program`. */
export function registerMoreCommands(program: Command, ctx: CommandContext): void {
  registerCompileCommand(program, ctx);
  registerFmtCommand(program, ctx);
  registerImportCommand(program, ctx);
  registerSimulateCommand(program, ctx);
  registerVerifyCommand(program, ctx);
  registerTestCommand(program, ctx);
  registerDiffCommand(program, ctx);
  registerExplainCommand(program, ctx);
}
