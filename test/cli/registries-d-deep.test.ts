/**
 * registries.d nested deeper than the YAML composer's stack (issue 17): ~900 levels overflowed it and were refused
 * as a syntax error, while containers/image 5.23.1 loads up to 10,000 levels and then says "exceeded max depth of
 * 10000". Each shape is judged by us (validate --target 5.23) and by the Go harness on the same directory.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { buildGoHarness, goHarnessAvailable, goLookaside, GO_BUILD_TIMEOUT_MS } from "../harness/go-harness.js";

const ci = process.env.CI === "true";
const HEAD = "docker:\n  x.example:\n    lookaside: https://x.example/sigs\n";

const SHAPES: Record<string, string> = {
  "flow-seq-900": HEAD + "extra: " + "[".repeat(900) + "]".repeat(900) + "\n",
  "flow-seq-3000": HEAD + "extra: " + "[".repeat(3000) + "]".repeat(3000) + "\n",
  "flow-seq-12000": HEAD + "extra: " + "[".repeat(12000) + "]".repeat(12000) + "\n",
  "flow-map-3000": HEAD + "extra: " + "{a: ".repeat(3000) + "1" + "}".repeat(3000) + "\n",
  "flow-map-12000": HEAD + "extra: " + "{a: ".repeat(12000) + "1" + "}".repeat(12000) + "\n",
  "block-map-2000": HEAD + "extra:\n" + Array.from({ length: 2000 }, (_, i) => " ".repeat(i + 1) + `k${i}:\n`).join("") + " ".repeat(2001) + "v\n",
  "block-seq-3000": HEAD + "extra:\n" + "- ".repeat(3000) + "x\n",
  // Deep where the runtime reads a scope's settings: a type error for both.
  "scope-value-3000": "docker:\n  x.example: " + "[".repeat(3000) + "]".repeat(3000) + "\n",
  // Shallow settings after a deep unknown key: still read.
  "after-deep": "extra: " + "[".repeat(2000) + "]".repeat(2000) + "\n" + HEAD,
};

describe("deeply nested registries.d", () => {
  const work = mkdtempSync(path.join(tmpdir(), "imagetrust-deep-"));
  const ours: Record<string, { code: number; out: string }> = {};
  beforeAll(async () => {
    for (const [name, text] of Object.entries(SHAPES)) {
      mkdirSync(path.join(work, name));
      writeFileSync(path.join(work, name, "a.yaml"), text);
      const r = await runCli(["validate", "--target", "5.23", path.join(work, name)]);
      ours[name] = { code: r.code, out: r.stdout + r.stderr };
    }
  }, 120_000);

  it("never overflows the stack; deeper than 10,000 levels is go-yaml's error", () => {
    for (const [name, r] of Object.entries(ours)) {
      expect(r.out, name).not.toMatch(/Maximum call stack|internal error/);
      expect([0, 1], name).toContain(r.code);
    }
    expect(ours["flow-seq-3000"].code).toBe(0);
    expect(ours["block-map-2000"].code).toBe(0);
    expect(ours["flow-seq-12000"].out).toMatch(/containers\/image: parsing .*flow-seq-12000\/a\.yaml: error converting YAML to JSON: yaml: line 4: exceeded max depth of 10000/);
  });

  describe.skipIf(!goHarnessAvailable() && !ci)("against containers/image 5.23.1", () => {
    beforeAll(() => buildGoHarness(), GO_BUILD_TIMEOUT_MS);
    it("loads and refuses the same files, with the same message for the depth limit", async () => {
      for (const name of Object.keys(SHAPES)) {
        const [go] = await goLookaside(path.join(work, name), ["x.example/app:1"]);
        expect({ name, accepts: ours[name].code === 0 }, `${ours[name].out}\nGo: ${go.readError ?? go.read}`).toEqual({ name, accepts: go.readError === undefined });
        if (go.readError?.includes("exceeded max depth")) expect(ours[name].out).toContain(go.readError.replace(/^Error parsing signature storage configuration: /, ""));
        if (go.readError === undefined) expect(go.read).toBe("https://x.example/sigs/app");
      }
    }, 120_000);
  });
});
