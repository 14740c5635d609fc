/** Golden files under test/fixtures/trust: UPDATE_GOLDEN=1 rewrites them; under CI=true a missing one fails. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

/** The root of the trust-language golden files. */
export const GOLDEN_DIR = fileURLToPath(new URL("../fixtures/trust/", import.meta.url));

/** Compare `actual` with the golden file `name` (relative to test/fixtures/trust). */
export function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === "1" || (!existsSync(file) && process.env.CI !== "true")) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file ${file} is missing (run with UPDATE_GOLDEN=1)`);
  expect(actual).toBe(readFileSync(file, "utf8"));
}
