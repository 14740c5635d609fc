/**
 * Every command, one file each under commands/, in the order `--help` lists them. Each file is loaded only when its
 * command runs (or for help), and loads its library modules on use, so a problem in one of them never breaks the
 * others (or --help).
 */
import type { Command } from "commander";
import type { CommandContext } from "./context.js";

/** A command's name and how to load its registration. */
export interface CommandEntry {
  name: string;
  load: () => Promise<(program: Command, ctx: CommandContext) => void>;
}

/** The commands, in help order. */
export const COMMANDS: readonly CommandEntry[] = [
  { name: "validate", load: async () => (await import("./commands/validate.js")).registerValidateCommand },
  { name: "lint", load: async () => (await import("./commands/lint.js")).registerLintCommand },
  { name: "rules", load: async () => (await import("./commands/rules.js")).registerRulesCommand },
  { name: "compile", load: async () => (await import("./commands/compile.js")).registerCompileCommand },
  { name: "fmt", load: async () => (await import("./commands/fmt.js")).registerFmtCommand },
  { name: "import", load: async () => (await import("./commands/import.js")).registerImportCommand },
  { name: "simulate", load: async () => (await import("./commands/simulate.js")).registerSimulateCommand },
  { name: "verify", load: async () => (await import("./commands/verify.js")).registerVerifyCommand },
  { name: "test", load: async () => (await import("./commands/test.js")).registerTestCommand },
  { name: "show", load: async () => (await import("./commands/show.js")).registerShowCommand },
  { name: "diff", load: async () => (await import("./commands/diff.js")).registerDiffCommand },
  { name: "playground", load: async () => (await import("./commands/playground.js")).registerPlaygroundCommand },
  { name: "explain", load: async () => (await import("./commands/explain.js")).registerExplainCommand },
  { name: "lsp", load: async () => (await import("./commands/lsp.js")).registerLspCommand },
];
