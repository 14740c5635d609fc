/** In-process CLI runner and golden-file helper for the CLI and renderer tests. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { expect } from "vitest";
import { run, type CliIo } from "../../src/cli/run.js";

/** What one CLI run printed and returned. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI in-process with captured output (non-TTY, no NO_COLOR unless given). */
export async function runCli(args: string[], io: Partial<CliIo> = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await run(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: io.env ?? { HOME: "/nonexistent-home" },
    isTTY: io.isTTY ?? false,
    cwd: io.cwd ?? REPO,
    systemRoot: io.systemRoot,
    host: io.host,
  });
  return { code, stdout, stderr };
}

/** The repository root. */
export const REPO = path.resolve(import.meta.dirname, "../..");

/**
 * The Node flags the built executable runs with: its launcher's `exec node <flags> "$0" "$@"` line
 * (scripts/build-bundle.mjs `launcher`), so that `node <flags> dist/cli/imagetrust.cjs` runs as `imagetrust` does.
 */
export function executableNodeFlags(): string[] {
  const m = /^':' \/\/; exec node((?:\s+-\S+)*)\s+"\$0" "\$@"$/m.exec(readFileSync(path.join(REPO, "dist/cli/imagetrust.cjs"), "utf8").slice(0, 2000));
  if (!m) throw new Error("dist/cli/imagetrust.cjs has no launcher line `exec node … \"$0\" \"$@\"`");
  return m[1].trim().split(/\s+/).filter(Boolean);
}

/**
 * Compare `actual` with the golden file `test/fixtures/<rel>`. UPDATE_GOLDEN=1 rewrites it; a missing golden file
 * is written (and the test passes) except under CI=true, where it fails.
 */
export function expectGolden(rel: string, actual: string): void {
  const file = path.join(REPO, "test/fixtures", rel);
  if (process.env.UPDATE_GOLDEN === "1" || (!existsSync(file) && process.env.CI !== "true")) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file ${rel} is missing (run with UPDATE_GOLDEN=1 to create it)`);
  expect(actual).toBe(readFileSync(file, "utf8"));
}
