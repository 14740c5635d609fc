/**
 * Self-check of emitted documents against imagetrust's JSON Schemas (schemas/policy.schema.json,
 * schemas/registries-d.schema.json), compiled once, lazily, with ajv's JSON Schema 2020-12 build.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Ajv2020 as Ajv2020Class, ErrorObject, ValidateFunction } from "ajv/dist/2020.js";

/**
 * ajv's 2020-12 build, required on first use: importing it costs ~100 ms of CPU (it is ~60 CommonJS modules),
 * which processes that never check a schema (a plain `imagetrust compile`) should not pay.
 */
function ajv2020(): typeof Ajv2020Class {
  return (createRequire(import.meta.url)("ajv/dist/2020.js") as { Ajv2020: typeof Ajv2020Class }).Ajv2020;
}

/** The package's schemas/ directory (same relative place from src/emit/ and dist/emit/). */
function schemaPath(name: string): string {
  return fileURLToPath(new URL(`../../schemas/${name}`, import.meta.url));
}

let ajv: Ajv2020Class | undefined;
const compiled = new Map<string, ValidateFunction>();

/** The schemas this module checks against (each is itself checked against the 2020-12 meta-schema by schemaMetaErrors). */
export const SELF_CHECK_SCHEMAS = ["policy.schema.json", "registries-d.schema.json"] as const;

function readSchema(name: string): object {
  return JSON.parse(readFileSync(schemaPath(name), "utf8")) as object;
}

function validator(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    // validateSchema: false skips compiling the 2020-12 meta-schema on every run (~190 ms of a compile): our
    // schemas are fixed files, checked against the meta-schema by the tests (schemaMetaErrors) instead.
    ajv ??= new (ajv2020())({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, logger: false, validateSchema: false });
    v = ajv.compile(readSchema(name));
    compiled.set(name, v);
  }
  return v;
}

function describe(errors: ErrorObject[] | null | undefined): string[] {
  // `if` failures only say "must match then schema": the failing `then` branch is reported separately.
  return (errors ?? []).filter((e) => e.keyword !== "if").map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`);
}

/** Errors of `value` (a parsed policy.json) against schemas/policy.schema.json; empty when it conforms. */
export function checkPolicyJsonSchema(value: unknown): string[] {
  const v = validator("policy.schema.json");
  return v(value) ? [] : describe(v.errors);
}

/** Errors of `value` (one parsed registries.d YAML file) against schemas/registries-d.schema.json. */
export function checkRegistriesDSchema(value: unknown): string[] {
  const v = validator("registries-d.schema.json");
  return v(value) ? [] : describe(v.errors);
}

/** Errors of one of our schema files against the JSON Schema 2020-12 meta-schema (for tests; empty when valid). */
export function schemaMetaErrors(name: (typeof SELF_CHECK_SCHEMAS)[number]): string[] {
  const meta = new (ajv2020())({ strict: true, strictTypes: false, strictRequired: false, logger: false });
  return meta.validateSchema(readSchema(name)) ? [] : describe(meta.errors);
}
