/**
 * JSON Schema checks of emitted documents against imagetrust's schemas (schemas/policy.schema.json,
 * schemas/registries-d.schema.json). The core does not load a JSON Schema validator: ajv costs ~100 ms of CPU to
 * import and the compile path proves its output by re-loading it with our own loaders (compile-files.ts
 * `selfCheckOutput`). Whoever wants the schema check too supplies it (the tests do: test/emit/schema-check.ts).
 */

/** The schema files (each also checked against the JSON Schema 2020-12 meta-schema by the tests). */
export const SELF_CHECK_SCHEMAS = ["policy.schema.json", "registries-d.schema.json"] as const;

/** Schema checks of parsed documents: one message per error, empty when the document conforms. */
export interface SchemaChecks {
  /** A parsed policy.json against schemas/policy.schema.json. */
  policy(value: unknown): string[];
  /** One parsed registries.d YAML file against schemas/registries-d.schema.json. */
  registriesD(value: unknown): string[];
}

/** One error of a JSON Schema validator (ajv's ErrorObject has these fields). */
export interface SchemaError {
  keyword: string;
  instancePath: string;
  message?: string;
}

/** Validator errors as messages ("/path message"); `if` failures are dropped (the failing `then` is reported). */
export function describeSchemaErrors(errors: readonly SchemaError[] | null | undefined): string[] {
  return (errors ?? []).filter((e) => e.keyword !== "if").map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`);
}
