/** The lint configuration schema the library compiles is schemas/lint-config.schema.json (the published file). */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { LINT_CONFIG_SCHEMA } from "../../src/lint/config.js";

describe("lint configuration schema", () => {
  it("LINT_CONFIG_SCHEMA equals schemas/lint-config.schema.json (without $schema)", () => {
    const file = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../schemas/lint-config.schema.json"), "utf8")) as Record<string, unknown>;
    delete file.$schema;
    expect(LINT_CONFIG_SCHEMA).toEqual(file);
  });
});
