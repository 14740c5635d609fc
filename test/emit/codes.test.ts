import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { EMIT_CODES } from "../../src/emit/codes.js";

describe("emitter diagnostic codes", () => {
  it("are unique, in the IT3xxx band, and each is used by some emitter or the compile API", () => {
    const codes = Object.values(EMIT_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^IT3\d{3}$/);
    const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "src");
    const sources = [
      ...readdirSync(join(root, "emit")).map((f) => join(root, "emit", f)),
      join(root, "compile", "compile-files.ts"),
    ].filter((f) => !f.endsWith("codes.ts")).map((f) => readFileSync(f, "utf8")).join("\n");
    const unused = Object.keys(EMIT_CODES).filter((k) => !sources.includes(`C.${k}`));
    expect(unused).toEqual([]);
  });
});
