/**
 * What the executable runs for `validate` (bundled into dist/cli/main.js, which imports it lazily): the program of
 * src/cli/run-validate.ts, loaded from its module pack (dist/cli/validate/, src/cli/module-pack.ts) with V8's code
 * cache instead of through Node's ESM loader. The pack is found beside this file, which is main.js's directory
 * (the same for tsc's unbundled copy, dist/cli/run-validate-packed.js, which the tests import).
 */
import { fileURLToPath } from "node:url";
import type { CliIo } from "./io.js";
import { loadModulePack, type ModulePack } from "./module-pack.js";
import type * as Program from "./run-validate.js";

let pack: ModulePack | undefined;

/** The pack beside this file (dist/cli/validate/), opened once; exported for the test of its cache. */
export function validatePack(): ModulePack {
  return (pack ??= loadModulePack({ dir: fileURLToPath(new URL("./validate", import.meta.url)) }));
}

/** {@link Program.runValidate}, from the pack. */
export function runValidate(argv: readonly string[], io: CliIo): Promise<number> {
  return (validatePack().require("run-validate.js") as typeof Program).runValidate(argv, io);
}
