#!/usr/bin/env node
// Long fuzz runs: `npm run fuzz -- --seed S --runs N [--path P] [--input-limit-ms MS] [file filter…]`.
// Runs the tests under test/fuzz with N generated inputs per front end (default 100000) and seed S (default:
// random, printed first so the run can be replayed). A failure prints fast-check's `{ seed, path }`: replay it
// with `npm run fuzz -- --seed S --runs N --path P test/fuzz/<file>`. See docs/fuzzing.md.
import { spawn } from "node:child_process";

const args = process.argv.slice(2);
const env = { ...process.env };
const files = [];
let seed = String(Math.floor(Math.random() * 2 ** 31));
let runs = "100000";
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const val = () => {
    const v = args[++i];
    if (v === undefined) usage(`${a} needs a value`);
    return v;
  };
  if (a === "--seed") seed = val();
  else if (a === "--runs") runs = val();
  else if (a === "--path") env.FUZZ_PATH = val();
  else if (a === "--input-limit-ms") env.FUZZ_INPUT_LIMIT_MS = val();
  else if (a === "-t" || a === "--testNamePattern") files.push("-t", val());
  else if (a === "--help" || a === "-h") usage();
  else if (a.startsWith("-")) usage(`unknown option ${a}`);
  else files.push(a);
}
if (!/^-?\d+$/.test(seed)) usage("--seed must be an integer");
if (!/^\d+$/.test(runs) || Number(runs) < 1) usage("--runs must be a positive integer");
env.FUZZ_SEED = seed;
env.FUZZ_RUNS = runs;

function usage(problem) {
  if (problem) console.error(`fuzz: ${problem}`);
  console.error("usage: npm run fuzz -- [--seed S] [--runs N] [--path P] [--input-limit-ms MS] [-t NAME] [test/fuzz/FILE…]");
  process.exit(2);
}

const targets = files.filter((f) => !f.startsWith("-") && files[files.indexOf(f) - 1] !== "-t");
console.log(`fuzz: seed ${seed}, ${runs} inputs per front end${env.FUZZ_PATH ? `, replaying path ${env.FUZZ_PATH}` : ""}`);
const child = spawn("npx", ["vitest", "run", ...(targets.length ? [] : ["test/fuzz"]), ...files, "--testTimeout", "0", "--hookTimeout", "0"], { env, stdio: "inherit" });
child.on("exit", (code, signal) => {
  console.log(`fuzz: seed ${seed}, ${runs} runs: ${code === 0 ? "no failures" : "FAILED (replay with the seed and path above)"}`);
  process.exit(code ?? (signal ? 2 : 1));
});
