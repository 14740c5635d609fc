/**
 * What the executable (dist/cli/imagetrust.cjs, src/cli/main.ts) runs for `validate`, `simulate`, `compile` and `lint`:
 * the command's program (src/cli/run-<command>.ts) loaded from its module pack (dist/cli/<command>/,
 * src/cli/module-pack.ts, built by scripts/module-pack.mjs) with V8's code cache, instead of through Node's ESM loader.
 * Each pack is found beside this file, which is the executable's directory (the same for tsc's unbundled copy,
 * dist/cli/run-packed.js, which the tests import).
 */
import { fileURLToPath } from "node:url";
import type { CliIo } from "./io.js";
import { loadModulePack, type ModulePack } from "./module-pack.js";

/** The commands with a program of their own in a module pack: its module in the pack and the function it exports. */
const PROGRAMS = {
  validate: { module: "run-validate.js", run: "runValidate" },
  simulate: { module: "run-simulate.js", run: "runSimulate" },
  compile: { module: "run-compile.js", run: "runCompile" },
  lint: { module: "run-lint.js", run: "runLint" },
} as const;

/** A command that runs from a module pack. */
export type PackedCommand = keyof typeof PROGRAMS;

/** Whether `command` (an argv's command name) runs from a module pack. */
export function isPackedCommand(command: string | undefined): command is PackedCommand {
  return command !== undefined && Object.hasOwn(PROGRAMS, command);
}

const packs = new Map<PackedCommand, ModulePack>();

/** The pack of `command` beside this file (dist/cli/<command>/), opened once; exported for the tests of its cache. */
export function commandPack(command: PackedCommand): ModulePack {
  let pack = packs.get(command);
  if (pack === undefined) {
    pack = loadModulePack({ dir: fileURLToPath(new URL(`./${command}`, import.meta.url)) });
    packs.set(command, pack);
  }
  return pack;
}

type Program = (argv: readonly string[], io: CliIo) => Promise<number>;

/** What src/cli/run.ts's `run` does for an argv whose command is `command`, from the command's pack. */
export function runPacked(command: PackedCommand, argv: readonly string[], io: CliIo): Promise<number> {
  const { module, run } = PROGRAMS[command];
  return (commandPack(command).require(module) as Record<string, Program>)[run]!(argv, io);
}
