/** The IT7xxx codes: unique, in their band, and each one reported somewhere in src/k8s. */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { K8S_CODES } from "../../src/k8s/codes.js";

const dir = fileURLToPath(new URL("../../src/k8s/", import.meta.url));
const sources = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && f !== "codes.ts")
  .map((f) => readFileSync(dir + f, "utf8"))
  .join("\n");

describe("K8S_CODES", () => {
  const entries = Object.entries(K8S_CODES);
  it("are unique and within IT7000–IT7999", () => {
    const values = entries.map(([, v]) => v);
    expect(new Set(values).size).toBe(values.length);
    for (const v of values) expect(v).toMatch(/^IT7\d{3}$/);
  });
  it.each(entries)("%s is reported by the compiler", (name) => {
    expect(sources).toContain(`K8S_CODES.${name}`);
  });
});
