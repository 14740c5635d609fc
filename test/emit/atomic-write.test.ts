import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isAtomicTempName, TreeRenameError, writeFileAtomic, writeTreeAtomic } from "../../src/util/atomic-write.js";
import type { Host } from "../../src/host/host.js";
import { nodeHost } from "../../src/host/node-host.js";

const host = nodeHost();
const nodeWrites = host.writes;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "imagetrust-atomic-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const errno = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });

/** The real machine, its writes failing the `failAt`-th writeFile (after writing half the data, like a full disk) or rename. */
function faultyFs(opts: { failWriteAt?: number; failRenameAt?: number; failSyncAt?: number }): Host & { calls: string[] } {
  let writes = 0;
  let renames = 0;
  let syncs = 0;
  const calls: string[] = [];
  return {
    ...host,
    calls,
    writes: {
      ...nodeWrites,
      async open(p, flags, mode) {
        const fh = await nodeWrites.open(p, flags, mode);
        return {
          async writeFile(data) {
            calls.push(`write ${p}`);
            if (++writes === opts.failWriteAt) {
              await fh.writeFile(typeof data === "string" ? data.slice(0, data.length >> 1) : data.subarray(0, data.length >> 1));
              throw errno("ENOSPC");
            }
            return fh.writeFile(data);
          },
          async sync() {
            if (flags !== "r" && ++syncs === opts.failSyncAt) throw errno("EIO");
            return fh.sync();
          },
          chmod: (m) => fh.chmod(m),
          close: () => fh.close(),
        };
      },
      async rename(a, b) {
        calls.push(`rename ${b}`);
        if (++renames === opts.failRenameAt) throw errno("EACCES");
        return nodeWrites.rename(a, b);
      },
    },
  };
}

/** Every file under dir with its content. */
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

function seedPrevious(): Record<string, string> {
  mkdirSync(join(dir, "registries.d"));
  writeFileSync(join(dir, "policy.json"), '{"default":[{"type":"reject"}]}\n');
  writeFileSync(join(dir, "registries.d", "quay.io.yaml"), "docker: {}\n");
  writeFileSync(join(dir, "registries.d", "old.yaml"), "# old\n");
  return snapshot(dir);
}

const newTree = [
  { path: "registries.d/quay.io.yaml", text: "docker:\n  quay.io: {}\n" },
  { path: "registries.d/new.yaml", text: "default-docker: {}\n" },
  { path: "policy.json", text: '{\n  "default": [\n    {\n      "type": "insecureAcceptAnything"\n    }\n  ]\n}\n'.repeat(50) },
];

describe("writeFileAtomic", () => {
  it("replaces the file, keeps its mode, leaves no temp", async () => {
    const p = join(dir, "policy.json");
    writeFileSync(p, "old");
    chmodSync(p, 0o600);
    await writeFileAtomic(p, "new", { host });
    expect(readFileSync(p, "utf8")).toBe("new");
    expect(statSync(p).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["policy.json"]);
  });

  it("creates a new file with mode 0644 (minus umask)", async () => {
    await writeFileAtomic(join(dir, "x.json"), "x", { host });
    expect(statSync(join(dir, "x.json")).mode & 0o022).toBe(0);
  });

  it("ENOSPC mid-write: the old file is intact and the temp is gone", async () => {
    const p = join(dir, "policy.json");
    writeFileSync(p, "previous content");
    await expect(writeFileAtomic(p, "x".repeat(10000), { host: faultyFs({ failWriteAt: 1 }) })).rejects.toMatchObject({ code: "ENOSPC" });
    expect(readFileSync(p, "utf8")).toBe("previous content");
    expect(readdirSync(dir)).toEqual(["policy.json"]);
  });

  it("EIO on fsync or EACCES on rename: the old file is intact and the temp is gone", async () => {
    const p = join(dir, "policy.json");
    writeFileSync(p, "previous content");
    await expect(writeFileAtomic(p, "new", { host: faultyFs({ failSyncAt: 1 }) })).rejects.toMatchObject({ code: "EIO" });
    await expect(writeFileAtomic(p, "new", { host: faultyFs({ failRenameAt: 1 }) })).rejects.toMatchObject({ code: "EACCES" });
    expect(readFileSync(p, "utf8")).toBe("previous content");
    expect(readdirSync(dir)).toEqual(["policy.json"]);
  });
});

describe("writeTreeAtomic", () => {
  it("writes every file, policy.json last, and removes stale files only afterwards", async () => {
    seedPrevious();
    const fs = faultyFs({});
    const r = await writeTreeAtomic(dir, newTree, { host: fs, remove: ["registries.d/old.yaml"] });
    expect(r.written).toEqual(newTree.map((f) => join(dir, f.path)));
    expect(r.removed).toEqual([join(dir, "registries.d/old.yaml")]);
    expect(snapshot(dir)).toEqual(Object.fromEntries(newTree.map((f) => [f.path, f.text])));
    // All temps were written before the first rename.
    const firstRename = fs.calls.findIndex((c) => c.startsWith("rename"));
    expect(fs.calls.slice(0, firstRename).filter((c) => c.startsWith("write"))).toHaveLength(3);
    expect(fs.calls.at(-1)).toBe(`rename ${join(dir, "policy.json")}`);
  });

  it.each([1, 2, 3])("ENOSPC while writing temp file %i: every previous file intact, no temp left, nothing removed", async (n) => {
    const before = seedPrevious();
    await expect(writeTreeAtomic(dir, newTree, { host: faultyFs({ failWriteAt: n }), remove: ["registries.d/old.yaml"] })).rejects.toMatchObject({ code: "ENOSPC" });
    expect(snapshot(dir)).toEqual(before);
  });

  it("a rename failure part-way: policy.json (renamed last) is the previous one, no temps, no removals", async () => {
    const before = seedPrevious();
    const err = await writeTreeAtomic(dir, newTree, { host: faultyFs({ failRenameAt: 2 }), remove: ["registries.d/old.yaml"] }).catch((e) => e);
    expect(err).toBeInstanceOf(TreeRenameError);
    expect((err as TreeRenameError).renamed).toEqual([join(dir, "registries.d/quay.io.yaml")]);
    const after = snapshot(dir);
    expect(after["policy.json"]).toBe(before["policy.json"]);
    expect(after["registries.d/old.yaml"]).toBe(before["registries.d/old.yaml"]);
    expect(Object.keys(after).filter((k) => isAtomicTempName(k.split("/").at(-1)!))).toEqual([]);
  });

  it("refuses paths outside the output directory", async () => {
    await expect(writeTreeAtomic(dir, [{ path: "../x", text: "" }], { host })).rejects.toThrow(/not a file inside/);
    await expect(writeTreeAtomic(dir, [{ path: "/etc/x", text: "" }], { host })).rejects.toThrow(/not a file inside/);
  });

  it("a missing stale file is fine", async () => {
    await writeTreeAtomic(dir, [{ path: "policy.json", text: "{}" }], { host, remove: ["registries.d/gone.yaml"] });
    expect(snapshot(dir)).toEqual({ "policy.json": "{}" });
  });
});
