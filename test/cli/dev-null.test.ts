// `imagetrust … > /dev/null` (only the exit status wanted): /dev/null is a character device, like a terminal, but the
// executable answers "not a terminal" from fstat alone (src/cli/stdio.ts isTerminal), without loading node:tty and,
// with it, net and the stream modules (~140 page faults of every such run).
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers.js";

const STDIO = path.join(REPO, "dist/cli/stdio.js");

function probe(stdout: "devnull" | "pipe"): { tty: boolean; loaded: string[] } {
  const script = `
    const { isTerminal } = await import(${JSON.stringify(STDIO)});
    const tty = await isTerminal(1);
    const loaded = process.moduleLoadList.filter((m) => /^NativeModule (tty|net)$/.test(m));
    (await import("node:fs")).writeSync(2, JSON.stringify({ tty, loaded }));`;
  const fd = stdout === "devnull" ? openSync("/dev/null", "w") : "pipe";
  try {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", fd, "pipe"], encoding: "utf8" });
    expect(r.status).toBe(0);
    return JSON.parse(r.stderr) as { tty: boolean; loaded: string[] };
  } finally {
    if (typeof fd === "number") closeSync(fd);
  }
}

describe.skipIf(!existsSync("/dev/null"))("standard output to /dev/null", () => {
  it("is not a terminal, and asking loads neither node:tty nor node:net", () => {
    expect(probe("devnull")).toEqual({ tty: false, loaded: [] });
    expect(probe("pipe")).toEqual({ tty: false, loaded: [] });
  });

  it("leaves the executable's output and exit status as they were", () => {
    const fd = openSync("/dev/null", "w");
    try {
      const r = spawnSync(process.execPath, [path.join(REPO, "dist/cli/imagetrust.cjs"), "validate", "examples/hand-written/broken-policy.json"], {
        cwd: REPO,
        stdio: ["ignore", fd, "pipe"],
        encoding: "utf8",
      });
      expect([r.status, r.stderr]).toEqual([1, ""]);
    } finally {
      closeSync(fd);
    }
  });
});
