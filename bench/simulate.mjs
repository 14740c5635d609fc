#!/usr/bin/env node
// Benchmark (issue: simulate): 1,000,000 references against a generated 10,000-scope policy.
//
// Ours: loadPolicyJson (whole process only), then createSimulator(...).decide(ref) = parseImageReference + per-policy index lookup
// (requirementsForImageRef) + requirement evaluation without signatures; and, on a sample, the full
// explained simulate(ref). Theirs: containers/image 5.23.1 alltransports.ParseImageName +
// PolicyContext.IsRunningImageAllowed on an in-memory unsigned image (bench/simulate-go), measured in the
// same run. Both in-process throughput (decision loop only) and whole-process time (start, load the policy,
// read the references, decide all) are printed side by side. Verdict counts must agree.
//
// And the shipped executable (issue 15): `imagetrust simulate --refs F --format jsonl > file` over the first
// 100,000 references and over all of them, whole process (wall, CPU, peak RSS), each next to the Go program's
// whole process over the same file in the same run.
//
// Env: REFS (default 1000000), SCOPES (default 10000), RUNS (whole-process runs, default 3).
// Usage: node bench/simulate.mjs
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { cliPath, fmtS, inTurn, median, pairedRatio, startEnvironmentNote, summarizeRuns, timeProcess } from "./lib.mjs";

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoDir = dirname(benchDir);
const N = Number(process.env.REFS ?? 1_000_000);
const SCOPES = Number(process.env.SCOPES ?? 10_000);
const RUNS = Number(process.env.RUNS ?? 3);
const outDir = join(repoDir, "bench", "out", "simulate");
mkdirSync(outDir, { recursive: true });
// dir: references must name an existing parent directory for containers/image to parse them.
const imagesDir = join(outDir, "images");
mkdirSync(imagesDir, { recursive: true });

// ---------------------------------------------------------------------------------------------------
// Inputs: a 10,000-scope policy (valid for 5.23.1) and references hitting exact identities, repository
// scopes, parent namespaces, wildcard hosts, digests, the transport default and other transports.

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate() {
  const r = rng(42);
  const docker = { "": [{ type: "reject" }] };
  const hosts = [];
  for (let i = 0; i < SCOPES; i++) {
    const host = `registry${i % 97}.example${i % 13}.com`;
    let scope;
    switch (i % 10) {
      case 0:
        scope = `*.zone${i}.example.net`;
        break;
      case 1:
        scope = `${host}/team${i % 53}`;
        break;
      case 2:
        scope = `${host}/team${i % 53}/app${i}:v${i % 5}`;
        break;
      default:
        scope = `${host}/team${i % 53}/app${i}`;
    }
    hosts.push([i, host, scope]);
    const k = Math.floor(r() * 4);
    docker[scope] =
      k === 0
        ? [{ type: "insecureAcceptAnything" }]
        : k === 1
          ? [{ type: "signedBy", keyType: "GPGKeys", keyPath: `/etc/pki/containers/key${i % 7}.gpg` }]
          : k === 2
            ? [{ type: "insecureAcceptAnything" }, { type: "reject" }]
            : [{ type: "sigstoreSigned", keyPath: `/etc/pki/containers/cosign${i % 5}.pub`, signedIdentity: { type: "matchRepository" } }];
  }
  const policy = {
    default: [{ type: "reject" }],
    transports: {
      docker,
      "docker-daemon": { "": [{ type: "insecureAcceptAnything" }] },
      dir: { [imagesDir]: [{ type: "insecureAcceptAnything" }] },
    },
  };
  const hex = (i) => createHash("sha256").update(String(i)).digest("hex");
  const refs = [];
  for (let n = 0; n < N; n++) {
    const [i, host] = hosts[Math.floor(r() * hosts.length)];
    const kind = Math.floor(r() * 20);
    let ref;
    if (kind < 8) ref = `docker://${host}/team${i % 53}/app${i}:v${n % 5}`;
    else if (kind < 10) ref = `docker://${host}/team${i % 53}/app${i}/sub${n % 7}:1`;
    else if (kind < 12) ref = `docker://${host}/team${i % 53}/app${i}@sha256:${hex(n % 1000)}`;
    else if (kind < 14) ref = `docker://x${n % 11}.zone${i - (i % 10)}.example.net:5000/a/b:c`;
    else if (kind < 16) ref = `docker://${host}/other${n % 100}/img:1`;
    else if (kind < 17) ref = `docker://busybox:1.${n % 40}`;
    else if (kind < 18) ref = `docker://quay.io/org${n % 50}/repo`;
    else if (kind < 19) ref = `docker-daemon:${host}/img:v${n % 3}`;
    else ref = `dir:${imagesDir}/app${n % 100}`;
    refs.push(ref);
  }
  return { policy, refs };
}

// ---------------------------------------------------------------------------------------------------
// Build: our modules (only what the simulator needs, into bench/out) and the Go program.

function buildOurs() {
  const dist = join(outDir, "dist");
  execFileSync(
    process.execPath,
    [
      join(repoDir, "node_modules", "typescript", "bin", "tsc"),
      "--outDir", dist, "--rootDir", join(repoDir, "src"),
      "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022",
      "--strict", "--skipLibCheck", "--types", "node", "--declaration", "false",
      join(repoDir, "src", "simulate", "simulate.ts"),
      join(repoDir, "src", "load", "policy-json.ts"),
      join(repoDir, "src", "host", "node-host.ts"),
    ],
    { stdio: "inherit", cwd: repoDir },
  );
  // A tiny whole-process driver: load the policy, read the references, decide every one.
  const driver = join(outDir, "decide-all.mjs");
  writeFileSync(
    driver,
    `import { readFileSync } from "node:fs";
import { createSimulator } from ${JSON.stringify(pathToFileURL(join(dist, "simulate", "simulate.js")).href)};
import { loadPolicyJson } from ${JSON.stringify(pathToFileURL(join(dist, "load", "policy-json.js")).href)};
import { SourceFile } from ${JSON.stringify(pathToFileURL(join(dist, "source", "source-file.js")).href)};
import { nodeHost } from ${JSON.stringify(pathToFileURL(join(dist, "host", "node-host.js")).href)};
// The real loader (strict, position-keeping), as the CLI would use it.
const loaded = loadPolicyJson(new SourceFile(process.argv[2], readFileSync(process.argv[2], "utf8")), { target: [5, 23, 1] });
if (!loaded.value) { console.error(JSON.stringify(loaded.diagnostics.slice(0, 3))); process.exit(2); }
const policy = loaded.value;
const refs = readFileSync(process.argv[3], "utf8").split("\\n").filter(Boolean);
// Path references resolve against this machine's files, as containers/image resolves them.
const sim = createSimulator({ policy, bareNames: false, parse: { strictPaths: true, debian: true, host: nodeHost() } });
let allowed = 0, parseErrors = 0;
const t0 = process.hrtime.bigint();
for (const r of refs) { const d = sim.decide(r); if (d.allowed) allowed++; if (d.parseError) parseErrors++; }
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({ references: refs.length, allowed, parseErrors, seconds }));
`,
  );
  return { dist, driver };
}

function buildGo() {
  const src = join(benchDir, "simulate-go", "src", "imagetrust-simulate-bench");
  const h = createHash("sha256");
  for (const f of ["main.go", "go.mod"]) h.update(readFileSync(join(src, f)));
  const bin = join(tmpdir(), `imagetrust-simulate-bench-${h.digest("hex").slice(0, 12)}`);
  if (existsSync(bin)) return bin;
  if (spawnSync("go", ["version"]).status !== 0) return undefined;
  execFileSync("go", ["build", "-o", bin, "imagetrust-simulate-bench"], {
    cwd: src,
    env: { ...process.env, GO111MODULE: "off", GOPROXY: "off", GOPATH: `${join(benchDir, "simulate-go")}:/usr/share/gocode` },
    stdio: "inherit",
  });
  return bin;
}

/** One whole-process run of a decision loop (ours or Go's): its wall time and the loop's own report (inner seconds). */
function runLoop(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 26 });
  const whole = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} exited ${r.status}: ${r.stderr}`);
  return { whole, inner: JSON.parse(r.stdout.trim().split("\n").pop()) };
}

/** Medians of loop runs: whole-process seconds, the loop's seconds, and its counts (the same in every run). */
function loopSummary(runs) {
  return { whole: median(runs.map((r) => r.whole)), inner: { ...runs[0].inner, seconds: median(runs.map((r) => r.inner.seconds)) } };
}

// ---------------------------------------------------------------------------------------------------

const { policy, refs } = generate();
const policyFile = join(outDir, "policy.json");
const refsFile = join(outDir, "refs.txt");
writeFileSync(policyFile, JSON.stringify(policy, null, 1) + "\n");
writeFileSync(refsFile, refs.join("\n") + "\n");
console.log(`simulate benchmark: ${N.toLocaleString("en")} references, ${SCOPES.toLocaleString("en")} docker scopes; medians of ${RUNS} runs, ours and containers/image's in turn`);

const { dist, driver } = buildOurs();
const goBin = buildGo();
// The decision loops, ours and Go's in turn.
const [oursLoops, theirsLoops] = inTurn(
  RUNS,
  () => runLoop(process.execPath, [driver, policyFile, refsFile]),
  goBin && (() => runLoop(goBin, [policyFile, refsFile])),
);
const ours = loopSummary(oursLoops);
const theirs = goBin ? loopSummary(theirsLoops) : undefined;

// The explained path, on a sample (it builds the full JSON result per reference).
const { createSimulator } = await import(pathToFileURL(join(dist, "simulate", "simulate.js")).href);
const { nodeHost } = await import(pathToFileURL(join(dist, "host", "node-host.js")).href);
const { policyFromJson } = await import(pathToFileURL(join(benchDir, "simulate-policy-ir.mjs")).href);
const sim = createSimulator({ policy: policyFromJson(policy), bareNames: false, parse: { strictPaths: true, host: nodeHost() } });
const sample = refs.slice(0, Math.min(100_000, refs.length));
let t0 = process.hrtime.bigint();
for (const r of sample) sim.simulate(r);
const explainSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

// The shipped executable, streaming jsonl to a file, vs Go's bare decision loop over the same file (whole processes).
const cliRuns = [];
for (const n of [...new Set([Math.min(100_000, N), N])]) {
  const file = n === N ? refsFile : join(outDir, `refs-${n}.txt`);
  if (n !== N) writeFileSync(file, refs.slice(0, n).join("\n") + "\n");
  const runs = n > 100_000 ? 1 : RUNS;
  const [cliOnce, goOnce] = inTurn(
    runs,
    () => timeProcess(cliPath, ["simulate", "--policy", policyFile, "--refs", file, "--format", "jsonl", "--quiet"], { runs: 1, okCodes: [0, 1], stdoutFile: join(outDir, `out-${n}.jsonl`) }),
    goBin && (() => timeProcess(goBin, [policyFile, file], { runs: 1, okCodes: [0] })),
  );
  cliRuns.push({ n, cli: summarizeRuns(cliOnce), go: goBin ? summarizeRuns(goOnce) : undefined, paired: goBin ? pairedRatio(cliOnce, goOnce) : undefined });
}

const rate = (n, s) => `${Math.round(n / s).toLocaleString("en")} refs/s`;
const rows = [
  ["", "in-process", "whole process", "allowed"],
  ["imagetrust decide()", rate(N, ours.inner.seconds), `${ours.whole.toFixed(2)} s`, String(ours.inner.allowed)],
  ["imagetrust simulate() (explained)", rate(sample.length, explainSeconds), "-", "-"],
];
if (theirs) rows.push(["containers/image 5.23.1", rate(N, theirs.inner.seconds), `${theirs.whole.toFixed(2)} s`, String(theirs.inner.allowed)]);
const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(w[i])).join("  "));
if (theirs) {
  console.log(`throughput ratio (ours / containers/image, in-process): ${(theirs.inner.seconds / ours.inner.seconds).toFixed(2)}x; run by run ${pairedRatio(theirsLoops, oursLoops, (r) => r.inner.seconds).toFixed(2)}x (median)`);
  console.log(`whole-process ratio (containers/image time / ours): ${(theirs.whole / ours.whole).toFixed(2)}x`);
  if (theirs.inner.allowed !== ours.inner.allowed || theirs.inner.parseErrors !== ours.inner.parseErrors) {
    console.log(`VERDICTS DIFFER: ours ${ours.inner.allowed} allowed / ${ours.inner.parseErrors} parse errors, containers/image ${theirs.inner.allowed} / ${theirs.inner.parseErrors}`);
    process.exitCode = 1;
  } else console.log(`verdicts agree: ${ours.inner.allowed} allowed, ${N - ours.inner.allowed} denied`);
} else console.log("containers/image side unavailable (no Go toolchain): ours only");

console.log("\nimagetrust simulate --format jsonl > file (the shipped executable), whole process:");
console.log(startEnvironmentNote());
for (const { n, cli, go, paired } of cliRuns) {
  const cpu = cli.cpuSeconds !== undefined ? `, CPU ${fmtS(cli.cpuSeconds)}` : "";
  let line = `  ${n.toLocaleString("en").padStart(9)} refs: ${fmtS(cli.seconds)}${cpu}, peak RSS ${cli.peakMB.toFixed(0)} MB, ${Math.round(n / cli.seconds).toLocaleString("en")} refs/s`;
  if (go) {
    line += ` | containers/image loop ${fmtS(go.seconds)}${go.cpuSeconds !== undefined ? `, CPU ${fmtS(go.cpuSeconds)}` : ""}, peak RSS ${go.peakMB.toFixed(0)} MB`;
    line += ` | ratio ${(cli.seconds / go.seconds).toFixed(2)}x wall${go.cpuSeconds && cli.cpuSeconds ? `, ${(cli.cpuSeconds / go.cpuSeconds).toFixed(2)}x CPU` : ""}`;
    if (paired !== undefined && n <= 100_000) line += `; run by run ${paired.toFixed(2)}x wall (median)`;
  }
  console.log(line);
}
console.log("  targets: 100k <= 1.0x containers/image's loop and < 250 MB; 1M < 250 MB (flat), time linear");
if (cliRuns.length === 2) {
  const [a, b] = cliRuns;
  console.log(`  linearity: ${(b.n / a.n).toFixed(0)}x the references took ${(b.cli.seconds / a.cli.seconds).toFixed(2)}x the time; peak RSS ${a.cli.peakMB.toFixed(0)} -> ${b.cli.peakMB.toFixed(0)} MB`);
}
console.log(`  in-process decide() / containers/image decisions per second: ${theirs ? (theirs.inner.seconds / ours.inner.seconds).toFixed(2) + "x" : "-"} (target >= 5x)`);
