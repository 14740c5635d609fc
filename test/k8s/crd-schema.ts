/**
 * Validate emitted manifests against the CRDs in test/fixtures/crds: the served version's openAPIV3Schema
 * turned into a JSON Schema for ajv. Kubernetes prunes unknown fields of structural schemas, so objects
 * with `properties` get `additionalProperties: false` (a misspelt key would silently vanish on the cluster)
 * unless `x-kubernetes-preserve-unknown-fields`; `x-kubernetes-int-or-string` becomes integer|string;
 * `nullable` adds null; the other x-kubernetes-* keywords (CEL rules, list types) are dropped.
 */
import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import { parse } from "yaml";
import { CRD_FIXTURES } from "../support/shared.js";

/** Where the CRDs are. */
export const CRD_DIR = CRD_FIXTURES;

type Schema = Record<string, unknown>;

/** Convert one OpenAPI v3 (Kubernetes structural) schema node to JSON Schema. */
export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== "object") return node;
  const s = node as Schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    if (k.startsWith("x-kubernetes-") || k === "nullable" || k === "description" || k === "format" || k === "example") continue;
    if (k === "properties") {
      out.properties = Object.fromEntries(Object.entries(v as Schema).map(([p, ps]) => [p, toJsonSchema(ps)]));
    } else if (k === "default") {
      out.default = v;
    } else out[k] = toJsonSchema(v);
  }
  if (s["x-kubernetes-int-or-string"] === true) {
    delete out.type;
    if (!out.anyOf) out.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  if (s.nullable === true && typeof out.type === "string") out.type = [out.type, "null"];
  const preserve = s["x-kubernetes-preserve-unknown-fields"] === true;
  if (out.properties && out.additionalProperties === undefined && !preserve) out.additionalProperties = false;
  return out;
}

/** A validator for one kind and version of a CRD file: apiVersion, kind, metadata.name and spec. */
export function crdValidator(file: string, version: string): ValidateFunction {
  const crd = parse(readFileSync(CRD_DIR + file, "utf8"), { maxAliasCount: -1 }) as Schema;
  const spec = crd.spec as { group: string; names: { kind: string }; versions: Array<{ name: string; schema: { openAPIV3Schema: Schema } }> };
  const v = spec.versions.find((x) => x.name === version);
  if (!v) throw new Error(`${file} has no version ${version}`);
  const schema = toJsonSchema(v.schema.openAPIV3Schema) as Schema;
  const props = schema.properties as Schema;
  const root = {
    type: "object",
    required: ["apiVersion", "kind", "metadata", "spec"],
    additionalProperties: false,
    properties: {
      apiVersion: { const: `${spec.group}/${version}` },
      kind: { const: spec.names.kind },
      metadata: {
        type: "object",
        required: ["name"],
        additionalProperties: false,
        properties: {
          // metav1 DNS-1123 subdomain
          name: { type: "string", maxLength: 253, pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$" },
          annotations: { type: "object", additionalProperties: { type: "string" } },
          labels: { type: "object", additionalProperties: { type: "string" } },
        },
      },
      spec: props.spec,
    },
  };
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  return ajv.compile(root);
}
