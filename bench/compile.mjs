#!/usr/bin/env node
// Benchmark (issue: the trust language): `imagetrust compile` of a generated 10,000-scope .trust program,
// whole process (target < 1 s, peak RSS < 300 MB), in-process parse throughput (MB/s), and containers/image
// 5.23.1 parsing the policy.json we produced, measured in the same run.
import { writeFileSync, mkdtempSync, statSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildGoBench, cliPath, repoDir, startEnvironmentNote, timeProcess, fmtS } from "./lib.mjs";
import { generateTrust } from "./gen-trust.mjs";

const scopes = Number(process.env.SCOPES ?? 10000);
const runs = Number(process.env.RUNS ?? 5);

const dir = mkdtempSync(join(tmpdir(), "imagetrust-bench-compile-"));
const src = join(dir, "site.trust");
writeFileSync(src, generateTrust(scopes));
const size = statSync(src).size;
console.log(`compile benchmark: ${scopes} scopes, ${(size / 1e6).toFixed(2)} MB of .trust source, median of ${runs} runs`);

const whole = timeProcess(cliPath, ["compile", src, "--out", join(dir, "out")], { runs, okCodes: [0] });
console.log(`  imagetrust compile, whole process        ${fmtS(whole.seconds).padStart(10)}   peak RSS ${whole.peakMB.toFixed(0)} MB   (target < 1 s, < 300 MB)`);
if (whole.cpuSeconds !== undefined) console.log(`  imagetrust compile, CPU time (user+sys)  ${fmtS(whole.cpuSeconds).padStart(10)}`);
console.log(startEnvironmentNote());

// In-process parse throughput: lexing + parsing + checking + lowering, after a warm-up.
const { SourceFile } = await import(pathToFileURL(join(repoDir, "dist", "source", "source-file.js")).href);
const { compileTrustSource } = await import(pathToFileURL(join(repoDir, "dist", "check", "compile-source.js")).href);
const text = readFileSync(src, "utf8");
compileTrustSource(new SourceFile(src, text), { fileExists: () => true });
const t0 = process.hrtime.bigint();
const iterations = 5;
for (let i = 0; i < iterations; i++) {
  const r = compileTrustSource(new SourceFile(src, text), { fileExists: () => true });
  if (!r.value) throw new Error("benchmark program did not compile: " + JSON.stringify(r.diagnostics.slice(0, 3)));
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9 / iterations;
console.log(`  in-process front end (parse+check+lower) ${fmtS(secs).padStart(10)}   ${(size / 1e6 / secs).toFixed(1)} MB/s`);

const goBin = buildGoBench();
if (goBin) {
  const go = timeProcess(goBin, ["parse", join(dir, "out", "policy.json")], { runs });
  console.log(`  containers/image 5.23.1 parsing the output ${fmtS(go.seconds).padStart(8)}   peak RSS ${go.peakMB.toFixed(0)} MB`);
  console.log(`  ratio compile / Go parse of the result: ${(whole.seconds / go.seconds).toFixed(2)}x`);
  if (whole.cpuSeconds !== undefined && go.cpuSeconds) console.log(`  CPU time ratio compile / Go parse: ${(whole.cpuSeconds / go.cpuSeconds).toFixed(2)}x`);
}
