/**
 * What the executable imports for `validate` (scripts/build-bundle.mjs bundles this file as dist/cli/run-validate.js):
 * the program of src/cli/run-validate.ts, loaded from its module pack (dist/cli/validate/, src/cli/module-pack.ts) with
 * V8's code cache instead of through Node's ESM loader.
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
