/**
 * `imagetrust simulate` at fleet scale (issue 15): references streamed from a file or standard input, results
 * written as decided (`--format jsonl`, `json`, text), lean records unless `--explain` / `--fields`, a progress
 * line only on a terminal, and peak memory that does not grow with the number of references (a resource bound on
 * the real executable, measured with /usr/bin/time -v; not a timing).
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { run, type CliIo } from "../../src/cli/run.js";
import { progressLine } from "../../src/cli/progress.js";
import { EXPLAIN_ONLY_FIELDS } from "../../src/cli/simulate-output.js";
import { REPO, expectGolden, runCli } from "./helpers.js";

const EX = "examples/hand-written";
const POLICY = `${EX}/good-policy.json`;
const REFS = ["docker://busybox", "docker://quay.io/acme/app:1", "docker://ghcr.io/x/y:1", "docker://docker.io/library/busybox:latest", "dir:/nonexistent-issue15/x", "docker:bad"];

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), "imagetrust-stream-"));
}

/** Run in-process with a TTY choice and standard input. */
async function runWith(args: string[], io: Partial<CliIo> & { input?: string } = {}) {
  let stdout = "";
  let stderr = "";
  const input = io.input;
  const code = await run(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { HOME: "/nonexistent-home" },
    isTTY: io.isTTY ?? false,
    stderrIsTTY: io.stderrIsTTY ?? false,
    cwd: REPO,
    stdin: input === undefined ? undefined : (async function* () {
      // In odd pieces, so that lines are split across chunks.
      for (let i = 0; i < input.length; i += 7) yield new TextEncoder().encode(input.slice(i, i + 7));
    })(),
  });
  return { code, stdout, stderr };
}

describe("simulate --format jsonl", () => {
  it("one compact object a line, the same records as --format json (golden)", async () => {
    const l = await runCli(["simulate", "--policy", POLICY, "--format", "jsonl", ...REFS]);
    expect(l.code).toBe(1);
    expectGolden("cli/simulate-stream/few.jsonl", l.stdout);
    const lines = l.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(REFS.length);
    const j = await runCli(["simulate", "--policy", POLICY, "--format", "json", ...REFS]);
    expect(lines.map((x) => JSON.parse(x))).toEqual(JSON.parse(j.stdout));
    // Not on a terminal: compact, one record a line inside the array.
    expect(j.stdout.split("\n")).toHaveLength(REFS.length + 3);
  });
  it("json on a terminal is pretty, exactly as JSON.stringify(results, null, 2)", async () => {
    const r = await runWith(["simulate", "--policy", POLICY, "--format", "json", ...REFS], { isTTY: true });
    expect(r.stdout).toBe(JSON.stringify(JSON.parse(r.stdout), null, 2) + "\n");
  });
  it("records are lean by default: no trail; --explain adds the trail and the normalized names", async () => {
    const lean = JSON.parse((await runCli(["simulate", "--policy", POLICY, "--format", "jsonl", "docker://busybox"])).stdout) as Record<string, unknown>;
    const full = JSON.parse((await runCli(["simulate", "--policy", POLICY, "--format", "jsonl", "--explain", "docker://busybox"])).stdout) as Record<string, unknown>;
    for (const f of EXPLAIN_ONLY_FIELDS) {
      expect(lean).not.toHaveProperty(f);
      expect(full).toHaveProperty(f);
    }
    expect(full.trail).toEqual(expect.arrayContaining([expect.stringContaining("docker.io/library/busybox")]));
    // Every field the JSON contract names stays.
    for (const f of ["ref", "error", "transport", "identity", "namespacesTried", "scope", "verdict", "upstreamError", "requirements", "reasons", "signatureLookup", "warnings", "signatures"])
      expect(lean, f).toHaveProperty(f);
    const { trail: _t, imageName: _i, dockerReference: _d, ...rest } = full;
    expect(lean).toEqual(rest);
  });
  it("--fields picks fields in record order; an unknown one is a usage error with a suggestion", async () => {
    const r = await runCli(["simulate", "--policy", POLICY, "--format", "jsonl", "--fields", "verdict,ref,trail", "docker://busybox"]);
    expect(r.stdout).toBe(`{"ref":"docker://busybox","verdict":"allow","trail":${JSON.stringify(JSON.parse(r.stdout).trail)}}\n`);
    const bad = await runCli(["simulate", "--policy", POLICY, "--format", "jsonl", "--fields", "ref,verdct", "docker://busybox"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown field 'verdct' in --fields. Did you mean 'verdict'?");
    expect((await runCli(["simulate", "--policy", POLICY, "--fields", "ref", "docker://busybox"])).code).toBe(2);
  });
});

describe("simulate --refs streamed", () => {
  it("--refs - reads standard input, lines split across chunks, comments and CRLF skipped", async () => {
    const r = await runWith(["simulate", "--policy", POLICY, "--refs", "-", "--format", "jsonl", "--fields", "ref,verdict"], {
      input: "# fleet\r\ndocker://busybox\r\n\n  docker://quay.io/acme/app:1  \ndocker://busybox",
    });
    expect(r.stdout).toBe(
      '{"ref":"docker://busybox","verdict":"allow"}\n{"ref":"docker://quay.io/acme/app:1","verdict":"deny"}\n{"ref":"docker://busybox","verdict":"allow"}\n',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
  });
  it("arguments first, then the file; a file with no reference is a usage error; a missing file is exit 2", async () => {
    const d = tmp();
    writeFileSync(path.join(d, "refs.txt"), "docker://quay.io/acme/app:1\n");
    writeFileSync(path.join(d, "empty.txt"), "# nothing\n");
    const r = await runCli(["simulate", "--policy", path.join(REPO, POLICY), "--refs", "refs.txt", "--format", "jsonl", "--fields", "ref", "docker://busybox"], { cwd: d });
    expect(r.stdout).toBe('{"ref":"docker://busybox"}\n{"ref":"docker://quay.io/acme/app:1"}\n');
    const empty = await runCli(["simulate", "--policy", path.join(REPO, POLICY), "--refs", "empty.txt"], { cwd: d });
    expect([empty.code, empty.stdout]).toEqual([2, ""]);
    expect(empty.stderr).toContain("simulate needs at least one image reference: empty.txt held none");
    const missing = await runCli(["simulate", "--policy", path.join(REPO, POLICY), "--refs", "nope.txt"], { cwd: d });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.txt/);
  });
  it("no progress line when stderr is not a terminal, nor with --quiet", async () => {
    const r = await runWith(["simulate", "--policy", POLICY, "--format", "jsonl", ...REFS], { stderrIsTTY: false });
    expect(r.stderr).toBe("");
    const q = await runWith(["simulate", "--quiet", "--policy", POLICY, "--format", "jsonl", ...REFS], { stderrIsTTY: true });
    expect(q.stderr).toBe("");
  });
});

describe("the progress line", () => {
  const sink = () => {
    const writes: string[] = [];
    return { writes, io: { stdout: { write() {} }, stderr: { write: (s: string) => writes.push(s) }, env: {}, isTTY: false, cwd: "/" } };
  };
  it("on a terminal: after a second, done, rate, share read and ETA; erased at the end", () => {
    const { writes, io } = sink();
    let t = 0;
    const p = progressLine({ ...io, stderrIsTTY: true }, { noun: "simulate", now: () => t, bytes: () => ({ read: 250, total: 1000 }) });
    p.tick(256); // before a second: nothing
    expect(writes).toEqual([]);
    t = 2000;
    p.tick(512);
    expect(writes).toEqual(["\rsimulate: 512 done, 256/s, 25% read, ETA 6s\x1b[K"]);
    p.done();
    expect(writes[1]).toBe("\r\x1b[K");
  });
  it("nothing when stderr is not a terminal or with quiet", () => {
    for (const [tty, quiet] of [[false, false], [true, true]] as const) {
      const { writes, io } = sink();
      let t = 0;
      const p = progressLine({ ...io, stderrIsTTY: tty }, { noun: "simulate", quiet, now: () => t });
      t = 5000;
      p.tick(1024);
      p.done();
      expect(writes).toEqual([]);
    }
  });
});

const BIN = path.join(REPO, "dist/cli/imagetrust.cjs");
const N = 200_000;

describe.skipIf(!existsSync("/usr/bin/time") || !existsSync(BIN))("200,000 references through the built executable", () => {
  it("every line written, verdicts as the non-streamed path decides them, peak RSS under 250 MB", async () => {
    const d = tmp();
    const lines: string[] = [];
    const hosts = ["quay.io/acme", "quay.io/other", "docker.io/library", "ghcr.io/x", "registry.example.com/team"];
    for (let i = 0; i < N; i++) lines.push(`docker://${hosts[i % hosts.length]}/app${i % 997}:${i % 13}`);
    writeFileSync(path.join(d, "refs.txt"), lines.join("\n") + "\n");
    // Through its shebang, with the node flags the executable ships with; lean records (the explained path, not the
    // --fields decision path), written to a file as a user would.
    const outFile = path.join(d, "out.jsonl");
    const fd = openSync(outFile, "w");
    const r = spawnSync("/usr/bin/time", ["-v", BIN, "simulate", "--policy", path.join(REPO, POLICY), "--refs", "refs.txt", "--format", "jsonl"], {
      cwd: d,
      encoding: "utf8",
      stdio: ["ignore", fd, "pipe"],
      timeout: 600_000,
    });
    closeSync(fd);
    expect(r.status, r.stderr.slice(-2000)).toBe(1);
    const out = readFileSync(outFile, "utf8").trimEnd().split("\n");
    expect(out).toHaveLength(N);
    // A sample, decided again in-process without streaming (arguments, --format json): the same records.
    const sample = Array.from({ length: 40 }, (_, k) => lines[(k * 4999) % N]);
    const whole = JSON.parse((await runCli(["simulate", "--policy", POLICY, "--format", "json", ...sample])).stdout) as unknown[];
    for (let k = 0; k < sample.length; k++) expect(JSON.parse(out[(k * 4999) % N]), sample[k]).toEqual(whole[k]);
    const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]);
    expect(rssKb).toBeGreaterThan(0);
    expect(rssKb / 1024).toBeLessThan(250);
  }, 600_000);
});
