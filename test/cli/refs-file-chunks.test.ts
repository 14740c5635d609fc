/**
 * `--refs FILE` of a regular file is read in 64 KiB chunks into one buffer (src/cli/refs-stream.ts `fileChunks`), a FIFO
 * as a stream. Every reference comes out whole and in order, whichever chunk boundary it straddles: lines of every
 * length around the boundary, CRLF endings, multi-byte UTF-8 split by a boundary, comments and blank lines, a last line
 * without a newline.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, executableNodeFlags, runCli } from "./helpers.js";

const CHUNK = 1 << 16;

/**
 * References whose lines end before, at and after several multiples of CHUNK (every line length from 20 to 120 bytes),
 * and one whose `é` the boundary at 2 * CHUNK splits (its first byte the last of a chunk).
 */
function lines(): { text: string; refs: string[] } {
  const refs: string[] = [];
  const parts: string[] = [];
  let bytes = 0;
  const push = (line: string, ending: string) => {
    parts.push(line + ending);
    bytes += Buffer.byteLength(line + ending);
  };
  const split = 2 * CHUNK;
  const prefix = "docker://quay.io/acme/";
  let splitPlaced = false;
  for (let i = 0; bytes < 4 * CHUNK + 5000; i++) {
    if (!splitPlaced && bytes > split - 300) {
      // A comment that ends where the next line must start for its é to straddle the boundary.
      const start = split - prefix.length - 1;
      push("#" + "y".repeat(start - bytes - 2), "\n");
      const ref = `${prefix}é-split:v${i}`;
      refs.push(ref);
      push(ref, "\n");
      splitPlaced = true;
      continue;
    }
    const pad = "x".repeat(i % 101);
    const ref = i % 97 === 5 ? `${prefix}é${pad}:v${i}` : `${prefix}app${pad}:v${i}`;
    refs.push(ref);
    push(ref, i % 3 === 0 ? "\r\n" : "\n");
    if (i % 50 === 0) push("# a comment", "\n");
    if (i % 70 === 0) push("", "\n");
  }
  const last = `${prefix}last:1`;
  refs.push(last);
  parts.push(last);
  return { text: parts.join(""), refs };
}

/** The executable's argv (node flags included) for `simulate` of `refs`, one `{"ref":…}` line a reference. */
const simulateRefs = (refs: string): string[] => [...executableNodeFlags(), path.join(REPO, "dist/cli/imagetrust.cjs"), "simulate", "--policy", "policy.json", "--refs", refs, "--format", "jsonl", "--fields", "ref"];

/** The references of jsonl records, in order. */
const refsOf = (jsonl: string): string[] => jsonl.trimEnd().split("\n").map((l) => (JSON.parse(l) as { ref: string }).ref);

describe("--refs read from a regular file in chunks", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "imagetrust-refs-chunks-"));
  writeFileSync(path.join(dir, "policy.json"), '{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io/acme":[{"type":"insecureAcceptAnything"}]}}}');
  const { text, refs } = lines();
  writeFileSync(path.join(dir, "refs.txt"), text);

  it("writes one record per reference, whole and in order, across every chunk boundary", async () => {
    expect(Buffer.byteLength(text)).toBeGreaterThan(4 * CHUNK);
    // The boundary at 2 * CHUNK falls inside a two-byte character (the decoder carries its first byte over).
    const b = Buffer.from(text);
    expect([b[2 * CHUNK - 1], b[2 * CHUNK]]).toEqual([0xc3, 0xa9]);
    const r = await runCli(["simulate", "--policy", "policy.json", "--refs", "refs.txt", "--format", "jsonl", "--fields", "ref,verdict"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const out = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as { ref: string; verdict: string });
    expect(out.map((o) => o.ref)).toEqual(refs);
    // The references with é are no docker references: denied, the others allowed.
    expect(out.filter((o) => o.verdict === "deny").map((o) => o.ref)).toEqual(refs.filter((x) => x.includes("é")));
  });

  it("the executable reads the same file to the same records", () => {
    const r = spawnSync(process.execPath, simulateRefs("refs.txt"), { cwd: dir, encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(refsOf(r.stdout)).toEqual(refs);
  });

  it("a FIFO is read as a stream, whatever its writer's pace", async () => {
    const fifo = path.join(dir, "refs.fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const cli = spawn(process.execPath, simulateRefs("refs.fifo"), { cwd: dir });
    let stdout = "";
    cli.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    // The writer opens the FIFO only after the reader started, and writes in two steps.
    const writer = spawn("sh", ["-c", `sleep 0.3; head -c 100000 refs.txt > refs.fifo.part; { cat refs.fifo.part; sleep 0.2; tail -c +100001 refs.txt; } > refs.fifo`], { cwd: dir });
    const writerDone = new Promise((resolve) => writer.on("close", resolve));
    const code = await new Promise<number | null>((resolve) => cli.on("close", resolve));
    await writerDone;
    // 1: the references with é are denied.
    expect(code).toBe(1);
    expect(refsOf(stdout)).toEqual(refs);
  });
});
