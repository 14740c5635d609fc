#!/usr/bin/env node
// Benchmark (issue 15, start-up): whole processes of the shipped executable where start-up weighs most, each run under
// /usr/bin/time (wall, user and system CPU, peak RSS, minor page faults), medians; with OLD_CLI=<an older build's
// executable> (e.g. a copy of dist/ made before a change: OLD_CLI=/tmp/old/dist/cli/main.js) the two alternate run by
// run, so that the machine's drift falls on both alike. validate is also run against containers/image's parser (Go).
//
//   validate-10k   validate --target 5.23 of a generated 10,000-scope policy.json (2.4 MB), output to a pipe
//   validate-tiny  validate examples/hand-written/good-policy.json
//   simulate-1     simulate --format jsonl of one reference against bench/out/simulate/policy.json (10,000 scopes;
//                  made by bench/simulate.mjs, skipped without it)
//   simulate-100k  simulate --refs bench/out/simulate/refs.txt --format jsonl --quiet > file (skipped without it)
//   version        imagetrust --version (the launcher answers it); version-node: node <flags> <executable> --version
//   lint           lint examples/ (a command of the ES module program dist/cli/run.js)
//
// Env: RUNS (default 9), CASES (comma-separated names, default all), OLD_CLI.
// Usage: node bench/startup.mjs
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generatePolicy } from "./gen-policy.mjs";
import { buildGoBench, cliNodeFlags, cliPath, repoDir, startEnvironmentNote } from "./lib.mjs";

const RUNS = Number(process.env.RUNS ?? 9);
const builds = { now: cliPath, ...(process.env.OLD_CLI ? { old: process.env.OLD_CLI } : {}) };
const scratch = mkdtempSync(join(tmpdir(), "imagetrust-bench-startup-"));
const policy10k = join(scratch, "policy.json");
writeFileSync(policy10k, JSON.stringify(generatePolicy(10_000), null, 2) + "\n");
const simDir = join(repoDir, "bench", "out", "simulate");
const simPolicy = join(simDir, "policy.json");
const simRefs = join(simDir, "refs.txt");
const oneRef = join(scratch, "one-ref.txt");
writeFileSync(oneRef, "docker://registry38.example5.com/other0/img:1\n");
const goBin = buildGoBench();

const cases = {
  "validate-10k": { args: ["validate", "--target", "5.23", policy10k], go: goBin && [goBin, "parse", policy10k] },
  "validate-tiny": { args: ["validate", "examples/hand-written/good-policy.json"] },
  "simulate-1": { args: ["simulate", "--policy", simPolicy, "--refs", oneRef, "--format", "jsonl"], needs: simPolicy },
  "simulate-100k": { args: ["simulate", "--policy", simPolicy, "--refs", simRefs, "--format", "jsonl", "--quiet"], needs: simRefs, toFile: true },
  version: { args: ["--version"] },
  "version-node": { args: ["--version"], viaNode: true },
  lint: { args: ["lint", "examples/"] },
};

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** One whole process under /usr/bin/time: [wall s, user s, sys s, peak RSS KB, minor faults]. */
function measure(cmd) {
  const out = join(scratch, "out");
  const fd = openSync(out, "w");
  const t0 = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "TIME %U %S %M %R", ...cmd], { cwd: repoDir, stdio: ["ignore", fd, "pipe"], encoding: "utf8" });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  closeSync(fd);
  const m = /TIME (\S+) (\S+) (\S+) (\S+)\s*$/.exec(r.stderr);
  if (!m) throw new Error(`${cmd.join(" ")}: ${r.stderr}`);
  return [wall, ...m.slice(1).map(Number)];
}

console.log(`start-up benchmark: medians of ${RUNS} runs, ${Object.keys(builds).join(" and ")} alternating (node ${process.version})`);
console.log(startEnvironmentNote());
for (const name of (process.env.CASES ?? Object.keys(cases).join(",")).split(",")) {
  const c = cases[name];
  if (c === undefined) throw new Error(`unknown case ${name}`);
  if (c.needs && !existsSync(c.needs)) {
    console.log(`${name}: skipped (${c.needs} missing: run bench/simulate.mjs first)`);
    continue;
  }
  const sides = { ...Object.fromEntries(Object.entries(builds).map(([k, bin]) => [k, c.viaNode ? [process.execPath, ...cliNodeFlags(), bin, ...c.args] : [bin, ...c.args]])), ...(c.go ? { go: c.go } : {}) };
  const results = Object.fromEntries(Object.keys(sides).map((k) => [k, []]));
  for (let i = 0; i < RUNS; i++) {
    const order = Object.keys(sides);
    if (i % 2) order.reverse();
    for (const k of order) results[k].push(measure(sides[k]));
  }
  console.log(name);
  const goWall = c.go ? median(results.go.map((r) => r[0])) : undefined;
  for (const [k, runs] of Object.entries(results)) {
    const col = (j) => median(runs.map((r) => r[j]));
    const ratio = goWall && k !== "go" ? `  ${(col(0) / goWall).toFixed(2)}x Go's wall` : "";
    console.log(
      `  ${k.padEnd(4)} wall ${(col(0) * 1000).toFixed(0).padStart(5)} ms  CPU ${(median(runs.map((r) => r[1] + r[2])) * 1000).toFixed(0).padStart(5)} ms  ` +
        `${(col(3) / 1024).toFixed(0).padStart(3)} MB  ${String(col(4)).padStart(6)} faults${ratio}`,
    );
  }
}
rmSync(scratch, { recursive: true, force: true });
