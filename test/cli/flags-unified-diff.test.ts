/**
 * The line diff behind `fmt --check` (src/print/unified-diff.ts): hunks as `diff -u` writes them, judged by
 * patch(1), which must turn the old text into the new one for random edits (missing final newlines included).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { unifiedDiff } from "../../src/print/unified-diff.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "udiff-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A small deterministic generator (mulberry32), so a failure can be replayed by its seed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function patched(oldText: string, diff: string): string {
  const file = path.join(dir, "f");
  fs.writeFileSync(file, oldText);
  if (diff === "") return oldText;
  const p = spawnSync("patch", ["-s", "-o", "-", file], { input: diff, encoding: "utf8" });
  if (p.status !== 0) throw new Error(`patch failed: ${p.stderr}${p.stdout}\n${diff}`);
  return p.stdout;
}

describe("unifiedDiff", () => {
  it("is empty for equal texts and names both sides", () => {
    expect(unifiedDiff("a\n", "a\n", { oldName: "x", newName: "y" })).toBe("");
    expect(unifiedDiff("a\n", "b\n", { oldName: "x", newName: "y" })).toBe("--- x\n+++ y\n@@ -1 +1 @@\n-a\n+b\n");
  });

  it("marks a missing final newline as diff(1) does", () => {
    expect(unifiedDiff("a\nb", "a\nb\n", { oldName: "x", newName: "y" })).toBe("--- x\n+++ y\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
  });

  it("keeps hunks apart beyond three lines of context, as diff -u", () => {
    const old = Array.from({ length: 20 }, (_, i) => `l${i}`).join("\n") + "\n";
    const neu = old.replace("l2\n", "L2\n").replace("l17\n", "L17\n");
    const d = unifiedDiff(old, neu, { oldName: "a", newName: "b" });
    expect(d.match(/^@@ /gm)).toHaveLength(2);
    fs.writeFileSync(path.join(dir, "new"), neu);
    const gnu = spawnSync("diff", ["-u", "--label", "a", "--label", "b", "-", path.join(dir, "new")], { input: old, encoding: "utf8" });
    expect(d).toBe(gnu.stdout);
  });

  it.each(Array.from({ length: 40 }, (_, i) => i + 1))("random edits, seed %i: patch(1) applies the diff", (seed) => {
    const r = random(seed);
    const pick = (s: string) => s[Math.floor(r() * s.length)]!;
    const a = Array.from({ length: Math.floor(r() * 30) }, () => pick("abcdefg"));
    const b = [...a];
    for (let n = Math.floor(r() * 7); n > 0; n--) {
      const op = r();
      if (op < 0.4 && b.length) b.splice(Math.floor(r() * b.length), 1);
      else if (op < 0.8) b.splice(Math.floor(r() * (b.length + 1)), 0, pick("abcxyz"));
      else if (b.length) b[Math.floor(r() * b.length)] = "Q";
    }
    const text = (lines: string[]) => (lines.length ? lines.join("\n") + (r() < 0.8 ? "\n" : "") : "");
    const oldText = text(a);
    const newText = text(b);
    expect(patched(oldText, unifiedDiff(oldText, newText, { oldName: "f", newName: "f" }))).toBe(newText);
  });
});
