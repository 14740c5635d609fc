/**
 * The lint configuration file, `.imagetrust.yaml` (schema: schemas/lint-config.schema.json, validated with ajv):
 * per-rule severities by code or name, the target version, paths to ignore. Found by walking up from the working
 * directory, or named with `--config`. Problems are diagnostics (IT9xxx band: configuration), never exceptions.
 */
import * as nodePath from "node:path";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { parseDocument } from "yaml";
import type { Diagnostic, Severity } from "../diagnostics/diagnostic.js";
import { SourceFile } from "../source/source-file.js";
import { suggestionList } from "../diagnostics/did-you-mean.js";
import { findRule, RULES } from "./registry.js";

/** Diagnostic codes of the lint configuration. */
export const LINT_CONFIG_CODES = {
  syntax: "IT9040",
  schema: "IT9041",
  unknownRule: "IT9042",
  unreadable: "IT9043",
} as const;

/** The names the configuration file may have, in lookup order. */
export const CONFIG_FILE_NAMES = [".imagetrust.yaml", ".imagetrust.yml"] as const;

/** A loaded configuration. */
export interface LintConfig {
  /** The file it came from. */
  file: string;
  target?: string;
  /** By rule code (normalized from names). */
  severities: Record<string, Severity | "off">;
  /** Ignore patterns, relative to the configuration file's directory. */
  ignore: string[];
  maxWarnings?: number;
  checkFiles?: boolean;
}

let validator: ((v: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string; params?: Record<string, unknown> }> | null };

function schemaValidator() {
  if (!validator) {
    const schemaPath = nodePath.resolve(nodePath.dirname(fileURLToPath(import.meta.url)), "../../schemas/lint-config.schema.json");
    const schema = JSON.parse(readFileSync(schemaPath, "utf8")) as Record<string, unknown>;
    delete schema.$schema; // compile without fetching the meta-schema (as src/emit/self-check.ts does)
    validator = new Ajv({ allErrors: true, strict: false, validateSchema: false }).compile(schema) as typeof validator;
  }
  return validator;
}

/** Parse and validate configuration text. */
export function parseLintConfig(source: SourceFile): { config?: LintConfig; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const doc = parseDocument(source.text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) diagnostics.push({ code: LINT_CONFIG_CODES.syntax, severity: "error", message: `Not valid YAML: ${e.message.split("\n")[0]}`, span: source.span(e.pos[0], Math.max(e.pos[0], e.pos[1])) });
    return { diagnostics };
  }
  const value = (doc.toJS() as unknown) ?? {};
  const spanOf = (instancePath: string) => {
    const segs = instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    const node = segs.length ? (doc.getIn(segs, true) as { range?: [number, number, number] } | undefined) : (doc.contents as { range?: [number, number, number] } | null);
    const r = node?.range;
    return r ? source.span(r[0], r[1]) : source.span(0, 0);
  };
  const validate = schemaValidator();
  if (!validate(value)) {
    for (const e of validate.errors ?? []) {
      const extra = e.params && "additionalProperty" in e.params ? ` '${String(e.params.additionalProperty)}'` : "";
      diagnostics.push({ code: LINT_CONFIG_CODES.schema, severity: "error", message: `${e.instancePath || "configuration"}: ${e.message ?? "invalid"}${extra}`, span: spanOf(e.instancePath) });
    }
    return { diagnostics };
  }
  const v = value as { target?: string; rules?: Record<string, Severity | "off">; ignore?: string[]; maxWarnings?: number; checkFiles?: boolean };
  const severities: Record<string, Severity | "off"> = {};
  for (const [k, sev] of Object.entries(v.rules ?? {})) {
    const rule = findRule(k);
    if (!rule) {
      const names = RULES.flatMap((r) => [r.meta.name, r.meta.code]);
      const s = suggestionList(k, names);
      diagnostics.push({ code: LINT_CONFIG_CODES.unknownRule, severity: "error", message: `Unknown lint rule '${k}'.${s.length ? ` Did you mean '${s[0]}'?` : ""}`, span: spanOf(`/rules/${k}`) });
      continue;
    }
    severities[rule.meta.code] = sev;
  }
  if (diagnostics.length) return { diagnostics };
  return { config: { file: source.path, target: v.target, severities, ignore: v.ignore ?? [], maxWarnings: v.maxWarnings, checkFiles: v.checkFiles }, diagnostics };
}

/** How config lookup reaches the file system. */
export interface ConfigFileAccess {
  readFile(path: string): string | undefined;
}

/** The nearest configuration file at or above `dir`, or undefined. */
export function findLintConfig(dir: string, fs: ConfigFileAccess): { path: string; text: string } | undefined {
  for (let d = nodePath.resolve(dir); ; d = nodePath.dirname(d)) {
    for (const name of CONFIG_FILE_NAMES) {
      const p = nodePath.join(d, name);
      const text = fs.readFile(p);
      if (text !== undefined) return { path: p, text };
    }
    if (nodePath.dirname(d) === d) return undefined;
  }
}

/** A glob (`*`, `**`, `?`) as a regular expression over `/`-separated relative paths. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*") {
      re += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re.replace(/\/$/, "")}(?:/.*)?$`);
}

/** True when `file` (absolute) is ignored by the configuration. */
export function isIgnored(config: LintConfig, file: string): boolean {
  const rel = nodePath.relative(nodePath.dirname(config.file), file).split(nodePath.sep).join("/");
  if (rel.startsWith("..")) return false;
  return config.ignore.some((g) => globToRegExp(g).test(rel));
}
