// Shared helpers for imagetrust's benchmarks: building the containers/image side, timing whole processes.
import { spawnSync, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const benchDir = dirname(fileURLToPath(import.meta.url));
export const repoDir = dirname(benchDir);
/**
 * The executable, run as a user runs `imagetrust` (its /bin/sh launcher execs node with the shipped flags; with
 * NODE_EXTRA_CA_CERTS set, as on the benchmark machine, the launcher defers that file to the first TLS connection).
 */
export const cliPath = join(repoDir, "dist", "cli", "imagetrust.cjs");

/** One line on how this machine's environment bears on Node's start (printed by the benchmarks). */
export function startEnvironmentNote() {
  return process.env.NODE_EXTRA_CA_CERTS
    ? `  (NODE_EXTRA_CA_CERTS is set here: bare node reads it at every start; imagetrust's launcher defers it to the first TLS connection)`
    : `  (NODE_EXTRA_CA_CERTS is not set here)`;
}

/**
 * The node options the executable passes: its launcher line `exec node <flags> "$0" "$@"` (scripts/build-bundle.mjs;
 * an older build's `#!/usr/bin/env -S node <flags>` shebang is read too), so that `node <flags> dist/cli/imagetrust.cjs`
 * in the benchmarks runs exactly as the installed `imagetrust` does.
 */
export function cliNodeFlags() {
  if (!existsSync(cliPath)) return [];
  const head = readFileSync(cliPath, "utf8").slice(0, 2000);
  const m = /^':' \/\/; exec node((?:\s+-\S+)*)\s+"\$0"/m.exec(head) ?? /^#!\S*env\s+(?:-S\s+)?node((?:\s+-\S+)*)\s*$/m.exec(head.split("\n", 1)[0]);
  return m ? m[1].trim().split(/\s+/).filter(Boolean) : [];
}

/** Build (once, cached by source hash) the Go program that calls containers/image 5.23.1 directly. */
export function buildGoBench() {
  const src = join(benchDir, "go", "src", "imagetrust-bench");
  const hash = createHash("sha256");
  for (const f of ["main.go", "go.mod"]) hash.update(readFileSync(join(src, f)));
  const out = join(tmpdir(), `imagetrust-bench-${hash.digest("hex").slice(0, 12)}`);
  if (existsSync(out)) return out;
  const which = spawnSync("go", ["version"]);
  if (which.status !== 0) return undefined;
  execFileSync("go", ["build", "-o", out, "imagetrust-bench"], {
    cwd: src,
    env: { ...process.env, GO111MODULE: "off", GOPROXY: "off", GOPATH: `${join(benchDir, "go")}:/usr/share/gocode` },
    stdio: ["ignore", "inherit", "inherit"],
  });
  return out;
}

/**
 * Run a command `runs` times; returns the median wall time (s), the median CPU time (user + system, s, from
 * GNU time: steadier than wall time on a shared, loaded machine) and the largest peak RSS (MB).
 */
export function timeProcess(cmd, args, { runs = 5, okCodes = [0], stdoutFile } = {}) {
  const times = [];
  const cpus = [];
  let peak = 0;
  let lastOut = "";
  const haveGnuTime = existsSync("/usr/bin/time");
  for (let i = 0; i < runs; i++) {
    // stdoutFile: the output goes to that file (as `> out` in a shell), not through a pipe into this process. Opened (and
    // so truncated) before the clock starts, as the shell does before the command starts: truncating the previous run's
    // output (154 MB for 100,000 simulated references) takes ~70 ms on this machine, none of it the command's.
    const out = stdoutFile === undefined ? "pipe" : openSync(stdoutFile, "w");
    const t0 = process.hrtime.bigint();
    const opts = { encoding: "utf8", maxBuffer: 1 << 28, stdio: ["ignore", out, "pipe"] };
    const r = haveGnuTime ? spawnSync("/usr/bin/time", ["-f", "MAXRSS %M CPU %U %S", cmd, ...args], opts) : spawnSync(cmd, args, opts);
    if (out !== "pipe") closeSync(out);
    const t1 = process.hrtime.bigint();
    if (!okCodes.includes(r.status ?? -1)) {
      throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${(r.stderr || "").slice(0, 2000)}`);
    }
    const m = /MAXRSS (\d+)/.exec(r.stderr || "");
    if (m) peak = Math.max(peak, Number(m[1]) / 1024);
    const c = /CPU ([\d.]+) ([\d.]+)/.exec(r.stderr || "");
    if (c) cpus.push(Number(c[1]) + Number(c[2]));
    times.push(Number(t1 - t0) / 1e9);
    lastOut = r.stdout ?? "";
  }
  return { seconds: median(times), cpuSeconds: cpus.length ? median(cpus) : undefined, peakMB: peak, stdout: lastOut };
}

/**
 * `runs` runs of `ours` and of `theirs` (absent: ours only), one of each in turn (A B A B …), so that load from other
 * work on the machine falls on both alike; each side's results in run order.
 */
export function inTurn(runs, ours, theirs) {
  const a = [];
  const b = [];
  for (let i = 0; i < runs; i++) {
    a.push(ours());
    if (theirs) b.push(theirs());
  }
  return [a, b];
}

/** Medians (wall, CPU) and the largest peak RSS of single runs from timeProcess. */
export function summarizeRuns(results) {
  const cpus = results.map((r) => r.cpuSeconds).filter((c) => c !== undefined);
  return {
    seconds: median(results.map((r) => r.seconds)),
    cpuSeconds: cpus.length ? median(cpus) : undefined,
    peakMB: Math.max(...results.map((r) => r.peakMB)),
  };
}

/** The median of `ours[i] / theirs[i]` (runs made in turn, A B A B …): each ratio is of two runs a moment apart. */
export function pairedRatio(ours, theirs, value = (r) => r.seconds) {
  return median(ours.slice(0, theirs.length).map((r, i) => value(r) / value(theirs[i])));
}

/** The median of numbers (the upper one of an even count). */
export function median(xs) {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

/** Make a directory (recursively) and return it. */
export function ensureDir(d) {
  mkdirSync(d, { recursive: true });
  return d;
}

/** Format a number of seconds for the tables. */
export function fmtS(s) {
  return s < 1 ? `${(s * 1000).toFixed(1)} ms` : `${s.toFixed(2)} s`;
}
