/**
 * Mutated configuration vs containers/image 5.23.1 (issue 7: compare semantics with the runtime, not only our
 * reading of the spec): for mutated policy.json seeds, `loadPolicyJson(…, { target: 5.23 })` accepts exactly
 * when `signature.NewPolicyFromBytes` does (Go harness op "parsePolicy"), and when both reject, the first
 * error's `upstreamMessage` is counted against Go's text (reported, not asserted: wording is the loader's
 * own differential tests' business).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseVersion } from "../../src/ir/versions.js";
import { loadPolicyJson } from "../../src/load/policy-json.js";
import { SourceFile } from "../../src/source/source-file.js";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { emitPolicyJson } from "../../src/emit/policy-json.js";
import { loadRegistriesDFile } from "../../src/load/registries-d/index.js";
import { GO_BUILD_TIMEOUT_MS, buildGoHarness, goHarnessAvailable, goParsePolicies, runGoHarnessBatch } from "../harness/go-harness.js";
import { JSON_DICT, YAML_DICT, policySeeds, registriesDSeeds } from "./corpora.js";
import { policy } from "./ir-arbitraries.js";
import { FUZZ_SEED, LONG_RUN, TEST_TIMEOUT_MS, mutated, runs } from "./support.js";

const ci = process.env.CI === "true";
const T523 = parseVersion("5.23")!;
/** Lone surrogates replaced by U+FFFD (String.prototype.toWellFormed, which the TS lib here does not type). */
const wellFormed = (t: string): string => t.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
/** FUZZ_STRICT_YAML=1 counts YAML grammar differences as mismatches too (they are known: docs/fuzzing.md). */
const STRICT_YAML = process.env.FUZZ_STRICT_YAML === "1";

describe.skipIf(!goHarnessAvailable() && !ci)("mutated policy.json vs containers/image 5.23.1", () => {
  it("accepted exactly when NewPolicyFromBytes accepts", async () => {
    await buildGoHarness();
    // The harness speaks UTF-8: lone surrogates would reach Go as U+FFFD, so give both sides the same text.
    // Mutated seeds, and mutated emitted random policies (every requirement and identity type).
    const emitted = policy("5.23").chain((p) => mutated([emitPolicyJson(p, { target: T523 }).text!], JSON_DICT));
    const texts = fc.sample(fc.oneof(mutated(policySeeds(), JSON_DICT), emitted), { seed: FUZZ_SEED, numRuns: runs(1500, 0.02) }).map(wellFormed);
    const go = await goParsePolicies(texts);
    const mismatches: string[] = [];
    let accepted = 0;
    let sameText = 0;
    let bothRejected = 0;
    for (let i = 0; i < texts.length; i++) {
      const ours = loadPolicyJson(new SourceFile("policy.json", texts[i]), { target: T523 });
      const ok = ours.value !== undefined;
      if (go[i].ok) accepted++;
      if (ok !== go[i].ok) {
        mismatches.push(`Go ${go[i].ok ? "accepts" : `rejects (${go[i].error})`}, we ${ok ? "accept" : `reject (${ours.diagnostics.find((d) => d.severity === "error")?.message})`}: ${JSON.stringify(texts[i])}`);
      } else if (!ok) {
        bothRejected++;
        if (ours.diagnostics.find((d) => d.upstreamMessage)?.upstreamMessage === go[i].error) sameText++;
      }
    }
    if (LONG_RUN || process.env.DEBUG_COUNTS) console.log(`policy.json vs Go: ${texts.length} mutated documents, ${accepted} accepted by Go, ${mismatches.length} verdict mismatches; upstream text equal in ${sameText}/${bothRejected} rejections`);
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(accepted).toBeGreaterThan(0);
  }, Math.max(TEST_TIMEOUT_MS, GO_BUILD_TIMEOUT_MS));

  it("registries.d: a file loads exactly when containers/image 5.23.1 loads it", async () => {
    await buildGoHarness();
    const texts = fc.sample(mutated(registriesDSeeds(), YAML_DICT), { seed: FUZZ_SEED, numRuns: runs(300, 0.005) }).map(wellFormed);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "imagetrust-fuzz-regd-go-"));
    try {
      const answers = await runGoHarnessBatch(
        texts.map((t, i) => {
          const dir = path.join(root, String(i));
          fs.mkdirSync(dir);
          fs.writeFileSync(path.join(dir, "a.yaml"), t);
          return { op: "lookaside", registriesDDir: dir, references: ["docker://busybox"] };
        }),
      );
      const mismatches: string[] = [];
      const grammarMismatches: string[] = [];
      let loaded = 0;
      for (let i = 0; i < texts.length; i++) {
        const a = answers[i];
        if (!a.ok) throw new Error(a.error);
        const err: string | undefined = a.result[0].readError;
        const goLoads = !(err ?? "").startsWith("parsing ");
        const ours = loadRegistriesDFile(new SourceFile(path.join(root, String(i), "a.yaml"), texts[i]), { target: T523 });
        if (goLoads) loaded++;
        // YAML grammar differences between the `yaml` package and libyaml (indentation and plain-scalar
        // edge cases: one side reports a syntax error) are counted apart; see docs/fuzzing.md.
        const grammar = ours.diagnostics.some((d) => d.code === "IT1300") || (!goLoads && !/unmarshal errors|excessive aliasing/.test(err ?? ""));
        if (goLoads !== (ours.value !== undefined) && grammar && !STRICT_YAML) grammarMismatches.push(texts[i]);
        else if (goLoads !== (ours.value !== undefined))
          mismatches.push(`Go ${goLoads ? "loads" : `fails (${err})`}, we ${ours.value ? "load" : `fail (${ours.diagnostics.find((d) => d.severity === "error")?.message})`}: ${JSON.stringify(texts[i])}`);
      }
      if (LONG_RUN || process.env.DEBUG_COUNTS) console.log(`registries.d vs Go: ${texts.length} mutated files, ${loaded} loaded by Go, ${mismatches.length} mismatches, ${grammarMismatches.length} YAML grammar differences`);
      expect(mismatches.slice(0, 5)).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, Math.max(TEST_TIMEOUT_MS, GO_BUILD_TIMEOUT_MS));
});
