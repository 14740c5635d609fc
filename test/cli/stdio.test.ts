/**
 * The executable writes its output with blocking writes on fd 1/2 (src/cli/stdio.ts) and ends once its event loop
 * is empty. These run the built executable (dist/cli/imagetrust.cjs) with the standard output a regular file, a pipe, and a
 * non-blocking pipe (writes fail with EAGAIN once its buffer is full: the rest must go through process.stdout, in
 * order, nothing lost), and compare the bytes.
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO } from "./helpers.js";
import { preferShortRunFor, SHORT_RUN_MAX_INPUT_BYTES, SHORT_RUN_MIN_INPUT_BYTES } from "../../src/cli/short-run.js";
import { nodeHost } from "../../src/host/node-host.js";

const BIN = path.join(REPO, "dist", "cli", "imagetrust.cjs");
const dir = mkdtempSync(path.join(tmpdir(), "imagetrust-stdio-"));
const policy = path.join(dir, "policy.json");
const refs = path.join(dir, "refs.txt");
const ARGS = ["simulate", "--policy", policy, "--refs", refs, "--format", "jsonl"];

beforeAll(() => {
  writeFileSync(policy, JSON.stringify({ default: [{ type: "reject" }], transports: { docker: { "example.com/ok": [{ type: "insecureAcceptAnything" }] } } }));
  const lines: string[] = [];
  for (let i = 0; i < 4000; i++) lines.push(`docker://example.com/${i % 2 === 0 ? "ok" : "no"}:${i}`);
  writeFileSync(refs, lines.join("\n") + "\n");
});

function toFile(args: string[]): { code: number | null; out: string } {
  const file = path.join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const fd = openSync(file, "w");
  const r = spawnSync(process.execPath, [BIN, ...args], { stdio: ["ignore", fd, "pipe"], encoding: "utf8" });
  closeSync(fd);
  expect(r.stderr).toBe("");
  return { code: r.status, out: readFileSync(file, "utf8") };
}

describe("the executable's standard output", () => {
  it("is the same through a pipe as into a file (more than a pipe buffer holds)", () => {
    const file = toFile(ARGS);
    expect(file.code).toBe(1);
    expect(file.out.length).toBeGreaterThan(256 * 1024);
    const piped = spawnSync(process.execPath, [BIN, ...ARGS], { encoding: "utf8", maxBuffer: 1 << 28 });
    expect([piped.status, piped.stderr]).toEqual([1, ""]);
    expect(piped.stdout).toBe(file.out);
  }, 60_000);

  it("loses nothing when the descriptor is non-blocking (EAGAIN: the rest goes through process.stdout)", async () => {
    const expected = toFile(ARGS).out;
    // A parent that shares the pipe can leave it non-blocking; here the child's own first use of process.stdout
    // does it (libuv's pipe handle sets O_NONBLOCK on the descriptor) before the executable starts. This side does
    // not read until the pipe is full, so the executable's blocking-style writes meet EAGAIN.
    const wrapper = path.join(dir, "nonblocking-stdout.mjs");
    writeFileSync(wrapper, `process.stdout;\nawait import(${JSON.stringify(pathToFileURL(BIN).href)});\n`);
    const child = spawn(process.execPath, [wrapper, ...ARGS], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.pause();
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    await new Promise((r) => setTimeout(r, 1000));
    const chunks: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => chunks.push(d));
    child.stdout.resume();
    expect(await exited).toBe(1);
    expect(stderr).toBe("");
    expect(Buffer.concat(chunks).toString("utf8")).toBe(expected);
  }, 60_000);
});

describe("quick tiers for short runs", () => {
  it("are asked for only by a process that offers them, for inputs within the bounds", async () => {
    const small = path.join(dir, "small.json");
    const medium = path.join(dir, "medium.json");
    writeFileSync(small, "x".repeat(100));
    writeFileSync(medium, "x".repeat(SHORT_RUN_MIN_INPUT_BYTES));
    const host = nodeHost({ env: {}, cwd: dir });
    const asked = async (paths: string[]) => {
      let n = 0;
      await preferShortRunFor({ stdout: { write: () => true }, stderr: { write: () => true }, env: {}, isTTY: false, cwd: dir, shortRun: async () => void n++ }, host, paths);
      return n;
    };
    expect(await asked([small])).toBe(0);
    expect(await asked([medium])).toBe(1);
    expect(await asked([medium, path.join(dir, "missing.json"), dir])).toBe(1);
    // From the upper bound on, the optimising compiler pays back and stays (a sparse file of that size).
    const large = path.join(dir, "large.json");
    writeFileSync(large, "");
    truncateSync(large, SHORT_RUN_MAX_INPUT_BYTES);
    expect(await asked([large])).toBe(0);
    // Without the capability (the CLI inside tests, the library): nothing happens.
    await preferShortRunFor({ stdout: { write: () => true }, stderr: { write: () => true }, env: {}, isTTY: false, cwd: dir }, host, [medium]);
  });
});
