// The training run of scripts/validate-pack.mjs, run under the executable's Node flags:
//   node <flags> scripts/validate-pack-train.mjs DIR record   prints the ids of the modules a validate instantiates
//   node <flags> scripts/validate-pack-train.mjs DIR cache    writes DIR/pack.cjs.cache (V8's code cache of the pack)
// It validates what a user's validate typically reads: a policy.json of every 5.23 requirement and identity type
// (bench/gen-policy.mjs, small enough that validate does not switch V8's flags: a cache carries the flags it was
// made under, and V8 rejects it under others), and for the pack's contents also a minimal one and a broken one (the
// diagnostics and their rendering).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generatePolicy } from "../bench/gen-policy.mjs";
import { loadModulePack } from "../dist/cli/module-pack.js";

const [dir, mode] = process.argv.slice(2);
const pack = loadModulePack({ dir, useCache: false });
const scratch = mkdtempSync(join(tmpdir(), "imagetrust-pack-train-"));
try {
  const inputs = {
    "policy.json": JSON.stringify(generatePolicy(150), null, 2) + "\n",
    "minimal.json": '{"default":[{"type":"reject"}]}\n',
    "broken.json": '{"default":[{"type":"signedBy","keyType":"GPGKeys"}],"transports":{"docker":{"a/b":[{"type":"rejected"}]}}}\n',
  };
  for (const [name, text] of Object.entries(inputs)) writeFileSync(join(scratch, name), text);
  const sink = { write: () => true };
  const { runValidate } = pack.require("run-validate.js");
  // The pack holds the modules of all three; the cache only what a valid policy's validate compiles (measured on the
  // 10,000-scope policy: a cache of the broken one's diagnostics too was 10 % larger and no faster to start).
  const runs = [["validate", "--target", "5.23", "policy.json"]];
  if (mode === "record") runs.push(["validate", "minimal.json"], ["validate", "--target", "5.23", "broken.json"]);
  for (const argv of runs) {
    // No shortRun: it would change V8's flags, and with them the cache's.
    await runValidate(argv, { stdout: sink, stderr: sink, env: {}, isTTY: false, stderrIsTTY: false, cwd: scratch, euid: 0 });
  }
  if (mode === "record") {
    process.stdout.write(JSON.stringify(pack.loaded) + "\n");
  } else if (mode === "cache") {
    const data = pack.createCachedData();
    if (data === undefined) throw new Error(`no pack in ${dir}`);
    writeFileSync(join(dir, "pack.cjs.cache"), data);
  } else {
    throw new Error(`usage: ${fileURLToPath(import.meta.url)} DIR record|cache`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
