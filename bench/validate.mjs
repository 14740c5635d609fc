#!/usr/bin/env node
// Benchmark (issue: validate/lint): `imagetrust validate` on a 10,000-scope policy.json, whole process,
// against containers/image 5.23.1's own parser (signature.NewPolicyFromFile in a Go program, process
// start included) and `skopeo --policy F copy` (parse + a tiny dir: copy), measured in the same run.
import { writeFileSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { buildGoBench, cliNodeFlags, cliPath, inTurn, pairedRatio, startEnvironmentNote, summarizeRuns, timeProcess, fmtS } from "./lib.mjs";
import { generatePolicy } from "./gen-policy.mjs";

const scopes = Number(process.env.SCOPES ?? 10000);
const runs = Number(process.env.RUNS ?? 7);
const dir = mkdtempSync(join(tmpdir(), "imagetrust-bench-validate-"));
const policyFile = join(dir, "policy.json");
writeFileSync(policyFile, JSON.stringify(generatePolicy(scopes), null, 2) + "\n");
const size = statSync(policyFile).size;

console.log(`validate benchmark: ${scopes} scopes, ${(size / 1e6).toFixed(2)} MB, median of ${runs} runs (imagetrust and Go interleaved)`);
const goBin = buildGoBench();
const [oursRuns, goRuns] = inTurn(
  runs,
  () => timeProcess(cliPath, ["validate", "--target", "5.23", policyFile], { runs: 1 }),
  goBin && (() => timeProcess(goBin, ["parse", policyFile], { runs: 1 })),
);
const ours = summarizeRuns(oursRuns);
console.log(`  imagetrust validate (node ${process.version})   ${fmtS(ours.seconds).padStart(10)}   peak RSS ${ours.peakMB.toFixed(0)} MB`);

let goRes;
if (goBin) {
  goRes = summarizeRuns(goRuns);
  console.log(`  containers/image 5.23.1 NewPolicyFromFile   ${fmtS(goRes.seconds).padStart(10)}   peak RSS ${goRes.peakMB.toFixed(0)} MB`);
  console.log(`  ratio imagetrust / Go parser: ${(ours.seconds / goRes.seconds).toFixed(2)}x; median of the run-by-run ratios ${pairedRatio(oursRuns, goRuns).toFixed(2)}x (target <= 0.7x, issue 15; peak RSS < 200 MB)`);
  if (ours.cpuSeconds !== undefined && goRes.cpuSeconds) {
    console.log(`  CPU time (user+sys): imagetrust ${fmtS(ours.cpuSeconds)}, Go ${fmtS(goRes.cpuSeconds)}, ratio ${(ours.cpuSeconds / goRes.cpuSeconds).toFixed(2)}x`);
  }
} else {
  console.log("  (go not installed: containers/image comparison skipped)");
}

// Start-up (issue 15: < 80 ms): the executable itself, as `imagetrust --version` runs it (its /bin/sh launcher
// answers a lone --version without starting node), next to the same program through node (`node <flags> imagetrust.cjs
// --version`: what every other command's start costs) and a bare `node -e 0` of the same run.
{
  const n = Math.max(runs, 15);
  const vRuns = [];
  const nodeRuns = [];
  const bareRuns = [];
  for (let i = 0; i < n; i++) {
    vRuns.push(timeProcess(cliPath, ["--version"], { runs: 1 }));
    nodeRuns.push(timeProcess(process.execPath, [...cliNodeFlags(), cliPath, "--version"], { runs: 1 }));
    bareRuns.push(timeProcess(process.execPath, ["-e", "0"], { runs: 1 }));
  }
  const v = summarizeRuns(vRuns);
  const viaNode = summarizeRuns(nodeRuns);
  const bare = summarizeRuns(bareRuns);
  console.log(`  imagetrust --version                        ${fmtS(v.seconds).padStart(10)}   peak RSS ${v.peakMB.toFixed(0)} MB   (target < 80 ms)`);
  console.log(`    the same through node (node <flags> imagetrust.cjs --version) ${fmtS(viaNode.seconds)}; bare node -e 0: ${fmtS(bare.seconds)}`);
  console.log(startEnvironmentNote());
}


if (spawnSync("skopeo", ["--version"]).status === 0) {
  // A tiny dir: image so that skopeo copy spends its time on the policy.
  const src = join(dir, "src");
  const { mkdirSync } = await import("node:fs");
  const { createHash } = await import("node:crypto");
  mkdirSync(src);
  const config = Buffer.from("{}");
  const cd = createHash("sha256").update(config).digest("hex");
  writeFileSync(join(src, cd), config);
  writeFileSync(join(src, "version"), "Directory Transport Version: 1.1\n");
  writeFileSync(
    join(src, "manifest.json"),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.docker.distribution.manifest.v2+json",
      config: { mediaType: "application/vnd.docker.container.image.v1+json", size: config.length, digest: `sha256:${cd}` },
      layers: [],
    }),
  );
  const sk = timeProcess("skopeo", ["--policy", policyFile, "copy", "--quiet", `dir:${src}`, `dir:${join(dir, "dst")}`], { runs });
  console.log(`  skopeo 1.9.3 copy (parse + tiny copy)       ${fmtS(sk.seconds).padStart(10)}   peak RSS ${sk.peakMB.toFixed(0)} MB`);
  console.log(`  ratio imagetrust / skopeo: ${(ours.seconds / sk.seconds).toFixed(2)}x`);
}
