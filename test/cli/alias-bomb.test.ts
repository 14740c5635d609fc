/**
 * Alias bombs ("billion laughs": 9 levels × 9 aliases, ~387 million nodes when expanded) in every YAML imagetrust
 * reads (issue 17): .imagetrust.yaml is IT9018 (was an internal error), a test YAML is a coded structure error, and a
 * registries.d file is judged as containers/image 5.23.1 judges it (the Go harness loads the same directory: ghodss/yaml
 * converts the whole document with yaml.v2, so a bomb anywhere is "document contains excessive aliasing").
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { buildGoHarness, goHarnessAvailable, goLookaside, GO_BUILD_TIMEOUT_MS } from "../harness/go-harness.js";

const ci = process.env.CI === "true";

/** `indent` + the bomb's lines: a: &a [9 strings], b: &b [9 × *a], …, i: &i [9 × *h]. */
function bomb(indent = "", prefix = ""): string[] {
  const lines = [`${indent}${prefix}a: &a ["x","x","x","x","x","x","x","x","x"]`];
  const names = "abcdefghi";
  for (let k = 1; k < names.length; k++) lines.push(`${indent}${prefix}${names[k]}: &${names[k]} [${Array(9).fill(`*${names[k - 1]}`).join(",")}]`);
  return lines;
}

const PLAIN_POLICY = '{"default":[{"type":"reject"}]}\n';

describe("alias bombs", () => {
  it(".imagetrust.yaml: IT9018, exit 2, not an internal error", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "imagetrust-bomb-"));
    writeFileSync(path.join(dir, ".imagetrust.yaml"), ["rules: {}", ...bomb("", "x")].join("\n") + "\n");
    writeFileSync(path.join(dir, "policy.json"), PLAIN_POLICY);
    for (const cmd of [["validate", "policy.json"], ["lint", "policy.json"]]) {
      const r = await runCli(cmd, { cwd: dir });
      expect(r.stdout + r.stderr).not.toMatch(/internal error/);
      expect(r.stdout + r.stderr).toMatch(/IT9018 Too many YAML aliases: more than 100 would be expanded/);
      expect(r.code).toBe(2);
    }
  });

  it("a test YAML: a coded error, the bomb never expanded", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "imagetrust-bomb-"));
    writeFileSync(path.join(dir, "p.json"), PLAIN_POLICY);
    writeFileSync(path.join(dir, "t.yaml"), ["policy: p.json", "defs:", ...bomb("  "), "cases: *i"].join("\n") + "\n");
    const r = await runCli(["test", "t.yaml"], { cwd: dir });
    expect(r.stdout + r.stderr).not.toMatch(/internal error/);
    expect(r.stdout).toMatch(/IT5602 `cases` must be a list/);
    expect(r.code).toBe(1);
  });

  describe("registries.d", () => {
    const work = mkdtempSync(path.join(tmpdir(), "imagetrust-bomb-"));
    const dirs: Record<string, string[]> = {
      // Under keys the runtime does not know: ignored by both.
      "unknown-keys": ["docker:", "  x.example:", "    lookaside: https://x.example/sigs", ...bomb("", "x")],
      // Where a scope's settings belong: a list is no mapping.
      "scope-values": ["docker:", "  x.example:", "    lookaside: https://x.example/sigs", ...bomb("  ", "y")],
      // The whole bomb as one scope's settings.
      "aliased-scope": ["bomb:", ...bomb("  "), "docker:", "  x.example: *i"],
    };
    for (const [name, lines] of Object.entries(dirs)) {
      mkdirSync(path.join(work, name));
      writeFileSync(path.join(work, name, "a.yaml"), lines.join("\n") + "\n");
    }
    const ours: Record<string, { code: number; out: string }> = {};

    beforeAll(async () => {
      for (const name of Object.keys(dirs)) {
        // Judged as 5.23 (the harness's containers/image: yaml.v2 behind ghodss/yaml expands the whole document).
        const r = await runCli(["validate", "--target", "5.23", path.join(work, name)]);
        ours[name] = { code: r.code, out: r.stdout + r.stderr };
      }
    });

    it("never an internal error, always a verdict", () => {
      for (const [name, r] of Object.entries(ours)) {
        expect(r.out, name).not.toMatch(/internal error/);
        expect([0, 1], name).toContain(r.code);
      }
    });

    describe.skipIf(!goHarnessAvailable() && !ci)("against containers/image 5.23.1", () => {
      beforeAll(() => buildGoHarness(), GO_BUILD_TIMEOUT_MS);
      it("accepts and refuses the same directories", async () => {
        for (const name of Object.keys(dirs)) {
          const [go] = await goLookaside(path.join(work, name), ["x.example/app:1"]);
          const goAccepts = go.readError === undefined;
          expect({ name, accepts: ours[name].code === 0 }, `${ours[name].out}\nGo: ${go.readError ?? go.read}`).toEqual({ name, accepts: goAccepts });
          // Where the runtime refuses for the aliases, our upstreamMessage is its message.
          if (go.readError?.includes("excessive aliasing")) expect(ours[name].out).toContain("containers/image: " + go.readError.replace(/^Error parsing signature storage configuration: /, ""));
        }
      }, 120_000);
    });
  });
});
