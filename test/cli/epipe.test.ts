/**
 * A reader that stops early (`imagetrust … | head -1`) ends the run quietly with status 141 (128 + SIGPIPE, as a
 * Unix tool killed by SIGPIPE), with nothing on stderr, instead of an unhandled EPIPE stack trace.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers.js";

const BIN = path.join(REPO, "dist", "cli", "imagetrust.cjs");

function firstLineThenClose(args: string[]): Promise<{ first: string; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let first = "";
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf("\n");
      if (nl >= 0 && first === "") {
        first = out.slice(0, nl);
        child.stdout.destroy();
      }
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ first, code, stderr }));
  });
}

describe("a reader that closes the pipe early", () => {
  it("ends simulate --refs quietly with status 141", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "imagetrust-epipe-"));
    const policy = path.join(dir, "policy.json");
    writeFileSync(policy, JSON.stringify({ default: [{ type: "reject" }] }));
    const refs = path.join(dir, "refs.txt");
    writeFileSync(refs, "docker://example.com/a/b:1\n".repeat(300_000));
    const r = await firstLineThenClose(["simulate", "--policy", policy, "--refs", refs, "--format", "jsonl"]);
    expect(JSON.parse(r.first).verdict).toBe("deny");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(141);
  }, 60_000);
});
