/**
 * Path resolution asks `lstatIfExists` (no error thrown for a missing path) where the host has it: the answers are
 * those of the throwing `lstat` / `realpath` alone, for existing paths, missing last components, missing parents,
 * a file used as a directory, dangling and looping symlinks, relative paths.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { nodeHost } from "../../src/host/node-host.js";
import { resolvePathLeniently, resolvePathToFullyExplicit } from "../../src/reference/resolve-path.js";

describe("resolve-path with lstatIfExists", () => {
  it("answers as without it", () => {
    const d = mkdtempSync(path.join(tmpdir(), "imagetrust-lstat-if-exists-"));
    mkdirSync(path.join(d, "dir/sub"), { recursive: true });
    writeFileSync(path.join(d, "file"), "x");
    symlinkSync(path.join(d, "dir"), path.join(d, "link"));
    symlinkSync(path.join(d, "nowhere"), path.join(d, "dangling"));
    symlinkSync(path.join(d, "loop"), path.join(d, "loop"));
    const host = nodeHost();
    const withIt = host.files;
    const { lstatIfExists: _omitted, ...withoutIt } = host.files;
    expect(withIt.lstatIfExists).toBeDefined();
    const paths = ["dir", "dir/sub", "dir/missing", "missing/x", "file/x", "file", "link/sub", "link/missing", "dangling", "dangling/x", "loop", "loop/x", "dir/sub/", "missing/", ".", ""];
    for (const p of [...paths, ...paths.map((q) => path.join(d, q))]) {
      expect(resolvePathLeniently(p, d, withIt), p).toBe(resolvePathLeniently(p, d, withoutIt));
      expect(resolvePathToFullyExplicit(p, d, withIt), p).toEqual(resolvePathToFullyExplicit(p, d, withoutIt));
    }
  });
});
