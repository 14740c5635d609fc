/**
 * `simulate` loads its policy without the optimising compiler and gives it back before the streaming loop
 * (src/cli/policy-load-phase.ts), through the process's `setV8Flags` (absent in tests: nothing changes there).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli/run.js";
import { policyLoadPhase } from "../../src/cli/policy-load-phase.js";
import type { CliIo } from "../../src/cli/io.js";

const dir = mkdtempSync(path.join(tmpdir(), "imagetrust-load-phase-"));
const policy = path.join(dir, "policy.json");
writeFileSync(policy, JSON.stringify({ default: [{ type: "reject" }], transports: { docker: { "quay.io/acme": [{ type: "insecureAcceptAnything" }] } } }));

function io(flags: string[], env: Record<string, string> = {}): CliIo {
  return {
    stdout: { write: () => true },
    stderr: { write: () => true },
    env: { HOME: "/nonexistent-home", ...env },
    isTTY: false,
    cwd: dir,
    setV8Flags: async (f) => void flags.push(f),
  };
}

describe("simulate's policy load phase", () => {
  it("turns the optimising compiler and young-generation growth off for the load, back on before the loop, once", async () => {
    const flags: string[] = [];
    const end = await policyLoadPhase(io(flags));
    expect(flags).toEqual(["--max-opt=2 --semi-space-growth-factor=1"]);
    await end();
    await end();
    expect(flags).toEqual(["--max-opt=2 --semi-space-growth-factor=1", "--max-opt=999 --turbofan --semi-space-growth-factor=8"]);
  });

  it("changes nothing when the user tunes the compiler (NODE_OPTIONS) or the process offers no flags", async () => {
    const flags: string[] = [];
    await (await policyLoadPhase(io(flags, { NODE_OPTIONS: "--max-opt=1" })))();
    await (await policyLoadPhase(io(flags, { NODE_OPTIONS: "--no-turbofan" })))();
    await (await policyLoadPhase(io(flags, { NODE_OPTIONS: "--max-semi-space-size=64 --semi-space-growth-factor=4" })))();
    expect(flags).toEqual([]);
    const { setV8Flags: _, ...without } = io(flags);
    await (await policyLoadPhase(without))();
    expect(flags).toEqual([]);
  });

  it("simulate asks for both, and the same records come out", async () => {
    const flags: string[] = [];
    let withFlags = "";
    const code = await run(["simulate", "--policy", policy, "--format", "jsonl", "docker://quay.io/acme/app:1", "docker://busybox"], {
      ...io(flags),
      stdout: { write: (t: string) => void (withFlags += t) },
    });
    let without = "";
    const { setV8Flags: _, ...plain } = io([]);
    const code2 = await run(["simulate", "--policy", policy, "--format", "jsonl", "docker://quay.io/acme/app:1", "docker://busybox"], {
      ...plain,
      stdout: { write: (t: string) => void (without += t) },
    });
    expect(flags).toEqual(["--max-opt=2 --semi-space-growth-factor=1", "--max-opt=999 --turbofan --semi-space-growth-factor=8"]);
    expect({ code, out: withFlags }).toEqual({ code: code2, out: without });
    expect(withFlags.split("\n").filter(Boolean)).toHaveLength(2);
  }, 60_000);
});
