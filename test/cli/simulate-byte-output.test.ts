/**
 * simulate's output as bytes (src/simulate/record-bytes.ts, src/cli/simulate-output.ts BufferedOutput): strings are
 * encoded as TextEncoder (and Node's write of a string) encodes them, whatever their characters; records larger than
 * the buffer, text longer than the buffer, text and byte records interleaved and the last flush come out whole and in
 * order, to a byte sink and to a text sink alike; and the shipped executable writes references and dir: paths with
 * characters JSON escapes, or non-ASCII ones, as JSON.stringify does, and still ends with 141 when its reader goes away.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BufferedOutput, jsonArrayWriter, jsonlWriter, type PreparedRecord } from "../../src/cli/simulate-output.js";
import { type ByteSink, putString, scratchSink, sinkString } from "../../src/simulate/record-bytes.js";
import { REPO, runCli } from "./helpers.js";

const ODD = [
  "",
  "plain ascii",
  'quote " backslash \\ tab \t nl \n',
  "\u0000\u0001\u001f\u007f",
  "é ü ß — € 中文",
  "emoji 😀 pair",
  "lone high \ud800 x",
  "lone low \udc00 x",
  "high at end \ud83d",
  "\ufffd\uffff",
];

describe("putString", () => {
  it("writes what TextEncoder writes", () => {
    const enc = new TextEncoder();
    for (const s of ODD) {
      const buf = new Uint8Array(s.length * 3 + 4);
      const end = putString(buf, 2, s);
      expect(Buffer.from(buf.subarray(2, end)).equals(Buffer.from(enc.encode(s))), JSON.stringify(s)).toBe(true);
      // And what Node writes for the string.
      expect(Buffer.from(buf.subarray(2, end)).equals(Buffer.from(s, "utf8"))).toBe(true);
    }
  });
  it("starts where asked", () => {
    const buf = new Uint8Array(16);
    expect(new TextDecoder().decode(buf.subarray(0, putString(buf, 0, "docker://x", 9)))).toBe("x");
  });
});

/** A record that writes `text` through the sink, piece by piece (as fast-record.ts writes its template). */
function record(text: string, pieces = 3): PreparedRecord {
  return {
    writePrepared(sink: ByteSink) {
      const step = Math.ceil(text.length / pieces) || 1;
      for (let i = 0; i < text.length; i += step) sinkString(sink, text.slice(i, i + step));
    },
  };
}

describe("BufferedOutput", () => {
  const texts = ["{\"a\":1}", "x".repeat(100), "é".repeat(70), "{\"big\":\"" + "y".repeat(1000) + "\"}", "😀".repeat(50), "z"];
  for (const kind of ["bytes", "text"] as const) {
    it(`keeps order and content across buffer boundaries (${kind} sink)`, async () => {
      const chunks: Uint8Array[] = [];
      let text = "";
      const sink =
        kind === "bytes"
          ? { write: (s: string) => chunks.push(Buffer.from(s, "utf8")), writeBytes: (b: Uint8Array) => chunks.push(Uint8Array.from(b)) }
          : { write: (s: string) => (text += s) };
      // A 64-byte buffer: most records and strings are larger than it.
      const out = new BufferedOutput(sink, 64);
      const w = jsonlWriter(out, { kind: "lean" });
      let want = "";
      for (let i = 0; i < 40; i++) {
        const t = texts[i % texts.length];
        if (i % 3 === 0) w.addJson!(t);
        else if (w.addPrepared!(record(t, 1 + (i % 4)))) await out.flush();
        want += t + "\n";
        if (i % 3 === 0) out.write("");
      }
      await out.flush();
      const got = kind === "bytes" ? Buffer.concat(chunks).toString("utf8") : text;
      expect(got).toBe(want);
    });
  }
  it("json array: the same records between [ and ]", async () => {
    let text = "";
    const out = new BufferedOutput({ write: (s: string) => (text += s) }, 32);
    const w = jsonArrayWriter(out, { kind: "lean" }, false);
    w.addPrepared!(record("{\"a\":\"é\"}"));
    w.addJson!("{\"b\":2}");
    w.addPrepared!(record("{\"c\":" + "3".repeat(80) + "}"));
    w.end();
    await out.flush();
    expect(text).toBe('[\n{"a":"é"},\n{"b":2},\n{"c":' + "3".repeat(80) + "}\n]\n");
  });
  it("nothing held is lost at the end, and an empty output writes nothing", async () => {
    const writes: string[] = [];
    const out = new BufferedOutput({ write: (s: string) => writes.push(s) });
    await out.flush();
    expect(writes).toEqual([]);
    out.write("tail");
    await out.flush();
    expect(writes).toEqual(["tail"]);
  });
  it("waits for drain when the sink asks for it", async () => {
    let drain: (() => void) | undefined;
    const writes: string[] = [];
    const sink = { write: (s: string) => (writes.push(s), false), once: (_e: "drain", l: () => void) => (drain = l) };
    const out = new BufferedOutput(sink, 16);
    out.write("0123456789abcdef!");
    let done = false;
    const p = out.flush().then(() => (done = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(done).toBe(false);
    drain!();
    await p;
    expect(writes.join("")).toBe("0123456789abcdef!");
  });
});

describe("scratchSink", () => {
  it("grows to hold a record", () => {
    const s = scratchSink(4);
    sinkString(s, "é".repeat(100));
    expect(s.text()).toBe("é".repeat(100));
  });
});

describe("simulate: odd characters in references and dir: paths", () => {
  it("are written as JSON.stringify writes them (jsonl and json, bulk and exact records mixed)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "imagetrust-bytes-"));
    mkdirSync(path.join(dir, "imgs"));
    const policy = path.join(dir, "policy.json");
    writeFileSync(
      policy,
      JSON.stringify({
        default: [{ type: "reject" }],
        transports: {
          docker: { "": [{ type: "reject" }], "quay.io/ü": [{ type: "insecureAcceptAnything" }], "quay.io/acme": [{ type: "insecureAcceptAnything" }] },
          dir: { "": [{ type: "insecureAcceptAnything" }], [path.join(dir, "imgs", "ünï")]: [{ type: "reject" }] },
        },
      }),
    );
    const refs = [
      "docker://quay.io/acme/app:1",
      'docker://quay.io/a"b:1',
      "docker://quay.io/a\\b",
      "docker://quay.io/ü/x:1",
      "docker://quay.io/acme/app:1\u0001",
      `dir:${dir}/imgs/ünï`,
      `dir:${dir}/imgs/中文😀`,
      `dir:${dir}/imgs/quote"d`,
      `dir:${dir}/imgs/back\\slash`,
      `dir:${dir}/imgs/plain1`,
      `dir:${dir}/imgs/plain2`,
      `dir:${dir}/imgs/plain3`,
      "docker://quay.io/acme/app@sha256:" + "ab".repeat(32),
      "docker-daemon:quay.io/acme/app:v2",
    ];
    const refsFile = path.join(dir, "refs.txt");
    writeFileSync(refsFile, refs.join("\n") + "\n");
    const args = ["simulate", "--policy", policy, "--refs", refsFile, "--quiet"];
    const jsonl = await runCli([...args, "--format", "jsonl"], { cwd: dir });
    const explained = await runCli([...args, "--format", "jsonl", "--explain"], { cwd: dir });
    const lines = jsonl.stdout.trimEnd().split("\n");
    const full = explained.stdout.trimEnd().split("\n");
    expect(lines.length).toBe(refs.length);
    for (let i = 0; i < refs.length; i++) {
      const rec = JSON.parse(lines[i]) as Record<string, unknown>;
      expect(rec.ref).toBe(refs[i]);
      const want = JSON.parse(full[i]) as Record<string, unknown>;
      for (const k of ["trail", "imageName", "dockerReference"]) delete want[k];
      expect(lines[i]).toBe(JSON.stringify(want));
    }
    const json = await runCli([...args, "--format", "json"], { cwd: dir });
    expect(json.stdout).toBe("[\n" + lines.join(",\n") + "\n]\n");
  });

  it("the executable writes the same bytes, and ends with 141 when its reader goes away mid-record", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "imagetrust-bytes-pipe-"));
    const policy = path.join(dir, "policy.json");
    writeFileSync(policy, JSON.stringify({ default: [{ type: "reject" }], transports: { docker: { "": [{ type: "insecureAcceptAnything" }] } } }));
    const refsFile = path.join(dir, "refs.txt");
    writeFileSync(refsFile, Array.from({ length: 200_000 }, (_, i) => (i % 7 === 0 ? `dir:${dir}/ü${i % 5}` : `docker://quay.io/a${i % 300}/b:${i % 9}`)).join("\n") + "\n");
    const bin = path.join(REPO, "dist", "cli", "imagetrust.cjs");
    const r = await new Promise<{ code: number | null; stderr: string; first: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, "simulate", "--policy", policy, "--refs", refsFile, "--format", "jsonl"], { stdio: ["ignore", "pipe", "pipe"], cwd: dir });
      let out = Buffer.alloc(0);
      let stderr = "";
      let first = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.stdout.on("data", (d: Buffer) => {
        out = Buffer.concat([out, d]);
        // Past the first 100 KiB (several buffer writes), close in the middle of whatever comes.
        if (out.length > 100_000 && first === "") {
          first = out.toString("utf8").split("\n")[0];
          child.stdout.destroy();
        }
      });
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stderr, first }));
    });
    expect(JSON.parse(r.first).ref).toBe(`dir:${dir}/ü0`);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(141);
  }, 60_000);
});
