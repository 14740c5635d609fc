/**
 * Hostile input sizes (issue 17): `--refs` files of 130,000 references are read without recursion or argument
 * spreading (130,000 arguments to push() overflowed the stack: "internal error: Maximum call stack size exceeded").
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

const N = 130_000;

function fixture(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "imagetrust-refs-"));
  writeFileSync(path.join(dir, "old.json"), '{"default":[{"type":"reject"}]}');
  writeFileSync(path.join(dir, "new.json"), '{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io/acme":[{"type":"insecureAcceptAnything"}]}}}');
  const lines: string[] = ["# generated"];
  for (let i = 0; i < N; i++) lines.push(`docker://quay.io/acme/app:${i}`);
  writeFileSync(path.join(dir, "refs.txt"), lines.join("\n") + "\n");
  return dir;
}

describe("--refs with 130,000 references", () => {
  const dir = fixture();
  it("simulate decides every one", async () => {
    const r = await runCli(["simulate", "--policy", "new.json", "--refs", "refs.txt", "--format", "json"], { cwd: dir });
    expect(r.stderr).not.toContain("internal error");
    const results = JSON.parse(r.stdout) as { verdict: string }[];
    expect(results.length).toBe(N);
    expect(results.every((x) => x.verdict === "allow")).toBe(true);
    expect(r.code).toBe(0);
  });
  it("diff compares every one", async () => {
    const r = await runCli(["diff", "old.json", "new.json", "--refs", "refs.txt", "--format", "json", "--fail-on-loosen"], { cwd: dir });
    expect(r.stderr).not.toContain("internal error");
    const d = JSON.parse(r.stdout) as { references?: unknown[]; loosened: boolean };
    expect(d.loosened).toBe(true);
    expect(d.references?.length).toBe(N);
    expect(r.code).toBe(1);
  });
});
