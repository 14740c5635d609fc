/** Golden files for simulator text (test/fixtures/<name>): UPDATE_GOLDEN=1 rewrites; under CI=true a missing file fails. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures");

/** Compare `text` with test/fixtures/`name`. */
export function checkGolden(name: string, text: string): void {
  const file = join(FIXTURES, name);
  if (process.env.UPDATE_GOLDEN === "1" || (!existsSync(file) && process.env.CI !== "true")) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file ${file} is missing (run with UPDATE_GOLDEN=1)`);
  expect(text).toBe(readFileSync(file, "utf8"));
}
