/** Golden-file assertions: UPDATE_GOLDEN=1 rewrites, CI=true fails on a missing file, otherwise it is created. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

/** test/fixtures/emit/ */
export const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "emit");

/** Compare `text` with the golden file `name` (relative to test/fixtures/emit/). */
export function expectGolden(name: string, text: string): void {
  const path = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === "1" || (!existsSync(path) && process.env.CI !== "true")) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden file ${path} is missing (run with UPDATE_GOLDEN=1)`);
  expect(text).toBe(readFileSync(path, "utf8"));
}
