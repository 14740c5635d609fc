/**
 * YAML alias expansion vs containers/image 5.23.1 (yaml.v2 through YAML→JSON conversion): generated documents
 * with anchors fanned out through aliases (nested, merge keys, under unknown keys) are refused with
 * "document contains excessive aliasing" exactly when Go refuses them (Go harness op "lookaside").
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parseVersion } from "../../src/ir/versions.js";
import { loadRegistriesDFile } from "../../src/load/registries-d/index.js";
import { SourceFile } from "../../src/source/source-file.js";
import { GO_BUILD_TIMEOUT_MS, buildGoHarness, goHarnessAvailable, runGoHarnessBatch } from "../harness/go-harness.js";
import { FUZZ_SEED, LONG_RUN, TEST_TIMEOUT_MS, runs } from "./support.js";

const ci = process.env.CI === "true";
const T523 = parseVersion("5.23")!;
const dirs: string[] = [];

/** A document: `levels` anchors, each a list (or merged map) of `fan` aliases to the previous, plus filler. */
const bombDoc = fc
  .record({
    levels: fc.integer({ min: 1, max: 6 }),
    fan: fc.integer({ min: 1, max: 12 }),
    leaf: fc.integer({ min: 1, max: 30 }),
    filler: fc.integer({ min: 0, max: 3000 }),
    style: fc.constantFrom("seq", "merge"),
    where: fc.constantFrom("top", "unknown-in-namespace", "lookaside"),
  })
  .map(({ levels, fan, leaf, filler, style, where }) => {
    const lines: string[] = [];
    lines.push(style === "seq" ? `l0: &l0 [${Array.from({ length: leaf }, (_, i) => `v${i}`).join(", ")}]` : `l0: &l0 {${Array.from({ length: leaf }, (_, i) => `k${i}: v`).join(", ")}}`);
    for (let i = 1; i <= levels; i++) {
      lines.push(style === "seq" ? `l${i}: &l${i} [${Array(fan).fill(`*l${i - 1}`).join(", ")}]` : `l${i}: &l${i} {<<: [${Array(fan).fill(`*l${i - 1}`).join(", ")}], m${i}: v}`);
    }
    lines.push(`filler: [${Array.from({ length: filler }, (_, i) => i).join(", ")}]`);
    const last = `*l${levels}`;
    if (where === "unknown-in-namespace") lines.push(`docker:\n  quay.io:\n    lookaside: https://a.example\n    extra: ${last}`);
    else if (where === "lookaside") lines.push(`docker:\n  quay.io:\n    lookaside: ${last}`);
    else lines.push(`top: ${last}\ndocker:\n  quay.io:\n    lookaside: https://a.example`);
    return lines.join("\n") + "\n";
  });

describe.skipIf(!goHarnessAvailable() && !ci)("YAML alias bombs vs containers/image 5.23.1", () => {
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("'excessive aliasing' exactly when Go says so", async () => {
    await buildGoHarness();
    const docs = fc.sample(bombDoc, { seed: FUZZ_SEED, numRuns: runs(40, 0.002) });
    const answers = await runGoHarnessBatch(
      docs.map((text) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "imagetrust-fuzz-bomb-"));
        dirs.push(dir);
        fs.writeFileSync(path.join(dir, "a.yaml"), text);
        return { op: "lookaside", registriesDDir: dir, references: ["docker://quay.io/a/b:1"] };
      }),
    );
    let bombs = 0;
    const mismatches: string[] = [];
    for (let i = 0; i < docs.length; i++) {
      const a = answers[i];
      if (!a.ok) throw new Error(a.error);
      const goBomb = /excessive aliasing/.test(a.result[0].readError ?? "");
      const t0 = performance.now();
      const ours = loadRegistriesDFile(new SourceFile("a.yaml", docs[i]), { target: T523 });
      const ms = performance.now() - t0;
      expect(ms).toBeLessThan(2000);
      const ourBomb = ours.diagnostics.some((d) => d.code === "IT1320");
      if (goBomb) bombs++;
      if (goBomb !== ourBomb) mismatches.push(`Go ${goBomb ? "refuses" : "accepts"}, we ${ourBomb ? "refuse" : "accept"}:\n${docs[i].slice(0, 400)}`);
    }
    if (LONG_RUN || process.env.DEBUG_COUNTS) console.log(`alias bombs: ${docs.length} documents, ${bombs} refused by Go, ${mismatches.length} mismatches`);
    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(bombs).toBeGreaterThan(0);
    expect(bombs).toBeLessThan(docs.length);
  }, Math.max(TEST_TIMEOUT_MS, GO_BUILD_TIMEOUT_MS));
});
