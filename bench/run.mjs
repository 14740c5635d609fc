#!/usr/bin/env node
// Runs every benchmark in turn (`npm run bench`), or the ones named: `npm run bench -- validate compile`.
// Each prints its own figures with the containers/image / skopeo comparison measured in the same run.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { benchDir, cliPath } from "./lib.mjs";

const all = ["validate", "compile", "simulate", "verify", "playground", "lsp"];
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : all;
if (!existsSync(cliPath)) {
  console.error("bench: dist/ is missing; run `npm run build` first");
  process.exit(2);
}
let failed = 0;
for (const name of chosen) {
  if (!all.includes(name)) {
    console.error(`bench: unknown benchmark '${name}' (have: ${all.join(", ")})`);
    process.exit(2);
  }
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(process.execPath, [join(benchDir, `${name}.mjs`)], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
