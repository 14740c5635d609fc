/**
 * A compile interrupted anywhere (issue 7): `compileToFiles` over a previous output directory, with the
 * injectable file system failing at a random operation — ENOSPC after half a write, EIO, or a simulated crash
 * after which nothing more happens (no clean-up). Whatever the point, policy.json is the previous or the new
 * one in full, every registries.d file is the previous or the new one in full, policy.json is new only when
 * every new registries.d file is in place, stale files are gone only after policy.json is new, and after an
 * error (not a crash) no temp file is left.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { compileToFiles } from "../../src/compile/compile-files.js";
import type { Host } from "../../src/host/host.js";
import { nodeHost } from "../../src/host/node-host.js";
import { SourceFile } from "../../src/source/source-file.js";
import { isAtomicTempName } from "../../src/util/atomic-write.js";
import { TEST_TIMEOUT_MS, params } from "./support.js";

const OLD = `default reject
docker {
  "quay.io/a"  accept
}
signatures "s.yaml" {
  "quay.io"    lookaside "https://old.example/q"
}
signatures "d.yaml" {
  "docker.io"  lookaside "https://old.example/d"
}
`;
const NEW = `default accept
docker {
  "quay.io/b"  reject
}
signatures "s.yaml" {
  "quay.io"  lookaside "https://new.example/q"
}
signatures "g.yaml" {
  "ghcr.io"  lookaside "https://new.example/g"
}
`;

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), rel + e.name + "/");
      else out[rel + e.name] = readFileSync(join(d, e.name), "utf8");
    }
  };
  walk(root, "");
  return out;
}

class Crash extends Error {}
const errno = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });

const node = nodeHost();

/** The real machine, its file operations failing at the `failAt`-th (counting every call: reads and writes) in the given way. */
function faultyFs(failAt: number, how: "ENOSPC" | "EIO" | "crash"): Host & { ops: number; crashed: boolean } {
  const state = { ops: 0, crashed: false };
  /** Counts one operation; true when it is the one that fails (after a crash, every operation fails). */
  const fails = (): boolean => {
    if (state.crashed) throw new Crash("the process is gone");
    if (++state.ops !== failAt) return false;
    if (how === "crash") {
      state.crashed = true;
      throw new Crash("simulated crash");
    }
    return true;
  };
  const step = async <T>(op: () => Promise<T>, half?: () => Promise<unknown>): Promise<T> => {
    if (fails()) {
      if (half) await half();
      throw errno(how);
    }
    return op();
  };
  const stepSync = <T>(op: () => T): T => {
    if (fails()) throw errno(how);
    return op();
  };
  const fs: Host & { ops: number; crashed: boolean } = {
    ...node,
    get ops() {
      return state.ops;
    },
    get crashed() {
      return state.crashed;
    },
    files: {
      ...node.files,
      readDir: (p, o) => stepSync(() => node.files.readDir(p, o)),
      readFile: (p) => stepSync(() => node.files.readFile(p)),
    },
    writes: {
      open: (p, flags, mode) =>
        step(async () => {
          const fh = await node.writes.open(p, flags, mode);
          return {
            writeFile: (data: string | Uint8Array) =>
              step(
                () => fh.writeFile(data),
                () => fh.writeFile(typeof data === "string" ? data.slice(0, data.length >> 1) : data.subarray(0, data.length >> 1)),
              ),
            sync: () => step(() => fh.sync()),
            chmod: (m: number) => step(() => fh.chmod(m)),
            // Closing always happens (the kernel closes a dead process's files).
            close: () => fh.close(),
          };
        }),
      rename: (a, b) => step(() => node.writes.rename(a, b)),
      unlink: (p) => step(() => node.writes.unlink(p)),
      mkdir: (p, o) => step(() => node.writes.mkdir(p, o)),
      stat: (p) => step(() => node.writes.stat(p)),
      readdir: (p) => step(() => node.writes.readdir!(p)),
    },
  };
  return fs;
}

async function compileInto(dir: string, text: string, fs: Host = node) {
  try {
    return await compileToFiles(new SourceFile("site.trust", text), { outDir: dir, host: fs, compile: { checkKeyFiles: false } });
  } catch (e) {
    if (e instanceof Crash) return undefined;
    throw e;
  }
}

describe("a compile interrupted anywhere leaves a usable previous or new output", () => {
  it("every failure point, every way of failing", async () => {
    // The reference outputs, and how many file-system operations a full run takes.
    const base = mkdtempSync(join(tmpdir(), "imagetrust-fuzz-atomic-"));
    roots.push(base);
    const oldDir = join(base, "old");
    const newDir = join(base, "new");
    expect((await compileInto(oldDir, OLD))!.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const before = snapshot(oldDir);
    const counting = faultyFs(Number.MAX_SAFE_INTEGER, "EIO");
    await compileInto(oldDir, NEW, counting);
    const after = snapshot(oldDir);
    const total = counting.ops;
    expect(Object.keys(before)).toContain("registries.d/d.yaml");
    expect(after["policy.json"]).not.toBe(before["policy.json"]);
    expect(Object.keys(after)).not.toContain("registries.d/d.yaml");
    rmSync(oldDir, { recursive: true, force: true });
    let run = 0;
    const outcomes = { old: 0, mixed: 0, new: 0 };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: total }), fc.constantFrom("ENOSPC" as const, "EIO" as const, "crash" as const), async (failAt, how) => {
        const dir = join(base, `run-${run++}`);
        await compileInto(dir, OLD);
        const fs = faultyFs(failAt, how);
        const r = await compileInto(dir, NEW, fs);
        const now = snapshot(dir);
        // The output directory's lock (issue 17) is a leftover like the temp files when the process dies (or its
        // removal fails); a later compile takes it over once that process is gone.
        const temps = Object.keys(now).filter((k) => isAtomicTempName(k.split("/").at(-1)!) || k === ".imagetrust.lock");
        if (how !== "crash") {
          expect(temps.filter((k) => k !== ".imagetrust.lock"), `${how} at ${failAt}`).toEqual([]);
          expect(r!.diagnostics.some((d) => d.severity === "error") || r!.written.length > 0 || now["policy.json"] === after["policy.json"]).toBe(true);
        }
        const files = Object.fromEntries(Object.entries(now).filter(([k]) => !temps.includes(k)));
        for (const [k, v] of Object.entries(files)) expect([before[k], after[k]], `${k} after ${how} at op ${failAt}`).toContain(v);
        const policyNew = files["policy.json"] === after["policy.json"];
        expect(files["policy.json"], "policy.json is never missing").toBeDefined();
        if (policyNew) {
          for (const k of Object.keys(after)) expect(files[k], `${k} in place before policy.json`).toBe(after[k]);
          outcomes.new++;
        } else {
          for (const k of Object.keys(before)) expect(files[k], `${k} not removed while policy.json is the old one`).toBeDefined();
          const same = Object.keys(files).every((k) => files[k] === before[k]) && Object.keys(files).length === Object.keys(before).length;
          same ? outcomes.old++ : outcomes.mixed++;
        }
        rmSync(dir, { recursive: true, force: true });
      }),
      params(60, 0.0005),
    );
    if (process.env.DEBUG_COUNTS || process.env.FUZZ_RUNS) console.log(`atomic: ${total} operations per compile; outcomes ${JSON.stringify(outcomes)}`);
    expect(outcomes.old).toBeGreaterThan(0);
    expect(outcomes.new).toBeGreaterThan(0);
  }, TEST_TIMEOUT_MS);
});
