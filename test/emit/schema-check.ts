/**
 * The JSON Schema checks of emitted documents, with ajv's JSON Schema 2020-12 build (compiled once, lazily), and
 * `selfCheckOutput` with them on: the library's self-check re-loads the output with our loaders only
 * (src/emit/self-check.ts says why); the tests keep every emitted document checked against both schemas.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { selfCheckOutput as selfCheckWithLoaders } from "../../src/compile/compile-files.js";
import type { OutputFile } from "../../src/emit/trust-model.js";
import { describeSchemaErrors, SELF_CHECK_SCHEMAS, type SchemaChecks } from "../../src/emit/self-check.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { Version } from "../../src/ir/versions.js";

export { SELF_CHECK_SCHEMAS };

function readSchema(name: string): object {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../../schemas/${name}`, import.meta.url)), "utf8")) as object;
}

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

function validator(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    // validateSchema: false: the schema files are checked against the meta-schema by schemaMetaErrors instead.
    ajv ??= new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, logger: false, validateSchema: false });
    v = ajv.compile(readSchema(name));
    compiled.set(name, v);
  }
  return v;
}

/** Errors of `value` (a parsed policy.json) against schemas/policy.schema.json; empty when it conforms. */
export function checkPolicyJsonSchema(value: unknown): string[] {
  const v = validator("policy.schema.json");
  return v(value) ? [] : describeSchemaErrors(v.errors);
}

/** Errors of `value` (one parsed registries.d YAML file) against schemas/registries-d.schema.json. */
export function checkRegistriesDSchema(value: unknown): string[] {
  const v = validator("registries-d.schema.json");
  return v(value) ? [] : describeSchemaErrors(v.errors);
}

/** Errors of one of our schema files against the JSON Schema 2020-12 meta-schema (empty when valid). */
export function schemaMetaErrors(name: (typeof SELF_CHECK_SCHEMAS)[number]): string[] {
  const meta = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, logger: false });
  return meta.validateSchema(readSchema(name)) ? [] : describeSchemaErrors(meta.errors);
}

/** The ajv-based schema checks. */
export const AJV_SCHEMA_CHECKS: SchemaChecks = { policy: checkPolicyJsonSchema, registriesD: checkRegistriesDSchema };

/** The library's self-check (re-load with our loaders) plus the schema checks. */
export function selfCheckOutput(files: OutputFile[], target: Version | undefined): Diagnostic[] {
  return selfCheckWithLoaders(files, target, { schemas: AJV_SCHEMA_CHECKS });
}
