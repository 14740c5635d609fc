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

/**
 * The commands with a program of their own in a module pack. Each program is src/cli/run-<command>.ts (the module
 * `run-<command>.js` of its pack, scripts/module-pack.mjs builds the pack from it) and exports `run`, which does what
 * src/cli/run.ts's `run` does for an argv of that command. scripts/build-bundle.mjs builds a pack for each.
 */
export const PACKED_COMMANDS = ["validate", "simulate", "compile", "lint"] as const;

/** A command that runs from a module pack. */
export type PackedCommand = (typeof PACKED_COMMANDS)[number];

/** The module of `command`'s program in its pack. */
export function programModule(command: PackedCommand): string {
  return `run-${command}.js`;
}

/** Whether `command` (an argv's command name) runs from a module pack. */
export function isPackedCommand(command: string | undefined): command is PackedCommand {
  return (PACKED_COMMANDS as readonly (string | undefined)[]).includes(command);
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

/** A program module's export. */
export interface PackedProgram {
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** What src/cli/run.ts's `run` does for an argv whose command is `command`, from the command's pack. */
export function runPacked(command: PackedCommand, argv: readonly string[], io: CliIo): Promise<number> {
  return (commandPack(command).require(programModule(command)) as PackedProgram).run(argv, io);
}
