/**
 * `lint --fix` and `fmt --write` write through a symlink to its target (as editors do), keep the link, keep the file's
 * mode (and its owner when run as root), and a directory they cannot write is IT9016 (exit 2), not an internal error
 * (issue 17).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli } from "./helpers.js";

const BIN = path.join(REPO, "dist/cli/imagetrust.cjs");
const UNFORMATTED = "default   reject\ndocker {\n\"quay.io/acme\"   accept\n}\n";
const FIXABLE = '{\n  "default": [{"type": "reject"}],\n  "transports": {"docker": {"docker.io/busybox": [{"type": "insecureAcceptAnything"}]}}\n}\n';
const isRoot = process.geteuid?.() === 0;

function setup(name: string, text: string): { dir: string; target: string; link: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "imagetrust-write-"));
  mkdirSync(path.join(dir, "real"));
  const target = path.join(dir, "real", name);
  writeFileSync(target, text);
  chmodSync(target, 0o640);
  const link = path.join(dir, name);
  symlinkSync(path.join("real", name), link);
  return { dir, target, link };
}

describe("rewriting through a symlink", () => {
  it("fmt --write formats the target, keeps the link and the mode", async () => {
    const { dir, target, link } = setup("site.trust", UNFORMATTED);
    const r = await runCli(["fmt", "--write", "site.trust"], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, "utf8")).not.toBe(UNFORMATTED);
    expect(readFileSync(target, "utf8")).toMatch(/\n  "quay\.io\/acme"\s+accept\n/);
    expect(statSync(target).mode & 0o777).toBe(0o640);
    // No temp file left beside the link or the target.
    expect(readdirSync(dir).sort()).toEqual(["real", "site.trust"]);
    expect(readdirSync(path.join(dir, "real"))).toEqual(["site.trust"]);
    const again = await runCli(["fmt", "--check", "site.trust"], { cwd: dir });
    expect(again.code).toBe(0);
  });

  it("lint --fix fixes the target, keeps the link and the mode", async () => {
    const { dir, target, link } = setup("policy.json", FIXABLE);
    const r = await runCli(["lint", "--fix", "policy.json"], { cwd: dir });
    expect(r.stdout + r.stderr).toContain("fixed: Replace 'docker.io/busybox' with 'docker.io/library/busybox'");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, "utf8")).toContain('"docker.io/library/busybox"');
    expect(statSync(target).mode & 0o777).toBe(0o640);
  });

  it.skipIf(!isRoot)("as root, keeps the owner of the file it rewrites", async () => {
    const { dir, target } = setup("site.trust", UNFORMATTED);
    chownSync(target, 65534, 65534);
    const r = await runCli(["fmt", "--write", "site.trust"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(statSync(target)).toMatchObject({ uid: 65534, gid: 65534 });
  });
});

describe("a directory that cannot be written", () => {
  // Root writes anywhere: run the CLI as nobody then (spawn's uid/gid), else as ourselves.
  const asUser = isRoot ? { uid: 65534, gid: 65534 } : {};
  for (const [name, args, text] of [
    ["fmt --write", ["fmt", "--write", "site.trust"], UNFORMATTED],
    ["lint --fix", ["lint", "--fix", "policy.json"], FIXABLE],
  ] as const) {
    it(`${name}: IT9016, exit 2, the file unchanged`, () => {
      const dir = mkdtempSync(path.join(tmpdir(), "imagetrust-ro-"));
      chmodSync(dir, 0o755);
      const file = path.join(dir, args[2]);
      writeFileSync(file, text);
      chmodSync(file, 0o644);
      chmodSync(dir, 0o555);
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: "utf8", timeout: 30_000, env: { PATH: process.env.PATH ?? "", HOME: "/nonexistent" }, ...asUser });
      const out = r.stdout + r.stderr;
      expect(out).not.toMatch(/internal error|This is a bug/);
      expect(out).toMatch(/IT9016 Cannot write .*: permission denied/);
      expect(r.status, out).toBe(2);
      expect(readFileSync(file, "utf8")).toBe(text);
      chmodSync(dir, 0o755);
    });
  }
});
