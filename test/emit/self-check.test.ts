import { describe, expect, it } from "vitest";
import { checkRegistriesDSchema, schemaMetaErrors, SELF_CHECK_SCHEMAS } from "./schema-check.js";

describe("self-check schemas", () => {
  // The self-check compiles without meta-schema validation (startup cost); this keeps the schema files honest.
  it.each(SELF_CHECK_SCHEMAS)("%s is a valid JSON Schema 2020-12 document", (name) => {
    expect(schemaMetaErrors(name)).toEqual([]);
  });

  it("still rejects a registries.d document with an unknown key", () => {
    expect(checkRegistriesDSchema({ docker: { "quay.io": { lookaside: "https://x" } } })).toEqual([]);
    expect(checkRegistriesDSchema({ docker: { "quay.io": { lookasid: "https://x" } } }).length).toBeGreaterThan(0);
  });
});
