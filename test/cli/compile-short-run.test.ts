/** `compile` asks the process for a short run (src/cli/short-run.ts) only for sources within its bounds. */
import { mkdtempSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli/run.js";
import { COMPILE_SHORT_RUN_MAX_INPUT_BYTES, SHORT_RUN_MIN_INPUT_BYTES } from "../../src/cli/short-run.js";

const dir = mkdtempSync(path.join(tmpdir(), "imagetrust-compile-short-"));

/** A .trust program of at least `bytes` bytes (its scopes all accept). */
function program(bytes: number): string {
  const lines = ['target "5.23"', "default reject", "docker {"];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `  "registry.example.com/team/app${i}"  accept`;
    lines.push(line);
    size += line.length + 1;
  }
  lines.push("}", "");
  return lines.join("\n");
}

async function shortRunsAsked(file: string): Promise<{ code: number; asked: number }> {
  let asked = 0;
  const code = await run(["compile", file, "--out", path.join(dir, "out")], {
    stdout: { write: () => true },
    stderr: { write: () => true },
    env: { HOME: "/nonexistent-home" },
    isTTY: false,
    cwd: dir,
    shortRun: async () => void asked++,
  });
  return { code, asked };
}

describe("compile and short runs", () => {
  it("asks for one from the lower bound on, not for a small source", async () => {
    const small = path.join(dir, "small.trust");
    writeFileSync(small, program(100));
    expect(await shortRunsAsked(small)).toEqual({ code: 0, asked: 0 });
    const medium = path.join(dir, "medium.trust");
    writeFileSync(medium, program(SHORT_RUN_MIN_INPUT_BYTES));
    expect(await shortRunsAsked(medium)).toEqual({ code: 0, asked: 1 });
  }, 60_000);

  it("does not ask from compile's upper bound on (the optimising compiler pays back sooner than for validate)", async () => {
    // A sparse file of that size: compile refuses it as too large, or not UTF-8, after deciding.
    const large = path.join(dir, "large.trust");
    writeFileSync(large, "");
    truncateSync(large, COMPILE_SHORT_RUN_MAX_INPUT_BYTES);
    expect((await shortRunsAsked(large)).asked).toBe(0);
  }, 60_000);
});

describe("other one-shot commands and short runs", () => {
  it("lint, fmt and show ask for one for a source within the bounds", async () => {
    const medium = path.join(dir, "medium-other.trust");
    writeFileSync(medium, program(SHORT_RUN_MIN_INPUT_BYTES));
    for (const args of [["lint", medium], ["fmt", medium], ["show", medium]]) {
      let asked = 0;
      await run(args, { stdout: { write: () => true }, stderr: { write: () => true }, env: { HOME: "/nonexistent-home" }, isTTY: false, cwd: dir, shortRun: async () => void asked++ });
      expect({ args: args[0], asked }).toEqual({ args: args[0], asked: 1 });
    }
  }, 60_000);
});
