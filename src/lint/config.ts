/**
 * The lint configuration file, `.imagetrust.yaml` (schema: schemas/lint-config.schema.json, validated with ajv):
 * per-rule severities by code or name (and severities of any other warning/info code), the target version, paths
 * to ignore. Found by walking up from the working directory, or named with `--config`. Problems are diagnostics
 * (IT9xxx band: configuration), never exceptions. Files are read through the {@link Host}.
 */
import { Ajv } from "ajv";
import { parseDocument } from "yaml";
import type { Diagnostic, Severity } from "../diagnostics/diagnostic.js";
import { catalogueEntry, configurability } from "../diagnostics/catalogue/index.js";
import { errorCode, FILE_TOO_LARGE, NOT_REGULAR_FILE, type Host } from "../host/host.js";
import { readBounded } from "../host/read-limits.js";
import { ioErrorDiagnostic } from "../input/files.js";
import type { KeyLocations } from "../input/key-files.js";
import { dirname, join, relative, resolve } from "../host/path.js";
import { SourceFile } from "../source/source-file.js";
import { suggestionList } from "../diagnostics/did-you-mean.js";
import { findRule, RULES } from "./registry.js";
import { compileGlob } from "./glob.js";

/** Diagnostic codes of the lint configuration. */
export const LINT_CONFIG_CODES = {
  syntax: "IT9040",
  schema: "IT9041",
  unknownRule: "IT9042",
  unreadable: "IT9043",
  /** A setting for an error code that cannot be turned off (containers/image refuses what it reports). */
  notConfigurable: "IT9044",
} as const;

/**
 * schemas/lint-config.schema.json as a constant (the library reads no files of its own; a test checks the two
 * agree). The `$schema` key is left out: ajv compiles it without fetching the meta-schema.
 */
export const LINT_CONFIG_SCHEMA = {
  $id: "https://imagetrust.dev/schemas/lint-config.schema.json",
  title: "imagetrust lint configuration (.imagetrust.yaml)",
  type: "object",
  additionalProperties: false,
  properties: {
    target: {
      description: 'The containers/image version to judge by, e.g. "5.23" (Debian 12).',
      type: "string",
      pattern: "^[0-9]+\\.[0-9]+(\\.[0-9]+)?$",
    },
    rules: {
      description: 'Per lint rule, by code (IT4008) or name (insecure-registry-scope), or any warning/info code (IT2120): a severity, or "off".',
      type: "object",
      propertyNames: { pattern: "^(IT[0-9]{4}|[a-z]+(-[a-z]+)*)$" },
      additionalProperties: { enum: ["off", "info", "warning", "error"] },
    },
    ignore: {
      description: "Paths (relative to the configuration file; `*`, `**` and `?` wildcards) not to lint.",
      type: "array",
      items: { type: "string", minLength: 1 },
    },
    maxWarnings: {
      description: "Exit 1 when there are more warnings than this (like --max-warnings).",
      type: "integer",
      minimum: 0,
    },
    checkFiles: {
      description: "Check key files and path scopes on this machine (like --check-files); false: look at no key file at all, .trust sources included.",
      type: "boolean",
    },
    keys: {
      description:
        "Where the key files the policies name by install path are (like --keys, which wins): a directory, relative to the configuration file, holding them by file name; or a map from install path to a file, relative to the configuration file.",
      oneOf: [
        { type: "string", minLength: 1 },
        {
          type: "object",
          propertyNames: { pattern: "^/" },
          additionalProperties: { type: "string", minLength: 1 },
        },
      ],
    },
  },
} as const;

/** The names the configuration file may have, in lookup order. */
export const CONFIG_FILE_NAMES = [".imagetrust.yaml", ".imagetrust.yml"] as const;

/** A loaded configuration. */
export interface LintConfig {
  /** The file it came from. */
  file: string;
  target?: string;
  /** By rule code (normalized from names), and by code for other warning/info codes. */
  severities: Record<string, Severity | "off">;
  /** Ignore patterns, relative to the configuration file's directory. */
  ignore: string[];
  maxWarnings?: number;
  checkFiles?: boolean;
  /** `keys:`, with paths made absolute against the configuration file's directory (src/input/key-files.ts). */
  keys?: KeyLocations;
}

let validator: ((v: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string; params?: Record<string, unknown> }> | null };

function schemaValidator() {
  if (!validator) {
    validator = new Ajv({ allErrors: true, strict: false, validateSchema: false }).compile(LINT_CONFIG_SCHEMA) as typeof validator;
  }
  return validator;
}

/** Aliases expanded at most in a configuration (the yaml library's own default; a bomb needs thousands). */
export const MAX_CONFIG_ALIASES = 100;

/** Parse and validate configuration text. */
export function parseLintConfig(source: SourceFile): { config?: LintConfig; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const doc = parseDocument(source.text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) diagnostics.push({ code: LINT_CONFIG_CODES.syntax, severity: "error", message: `Not valid YAML: ${e.message.split("\n")[0]}`, span: source.span(e.pos[0], Math.max(e.pos[0], e.pos[1])) });
    return { diagnostics };
  }
  let value: unknown;
  try {
    // The yaml library stops an alias bomb ("billion laughs") at MAX_CONFIG_ALIASES expanded aliases: IT9018.
    value = (doc.toJS({ maxAliasCount: MAX_CONFIG_ALIASES }) as unknown) ?? {};
  } catch (e) {
    if (!(e instanceof ReferenceError) && !/alias/i.test((e as Error).message)) throw e;
    return {
      diagnostics: [
        {
          code: "IT9018",
          severity: "error",
          message: `Too many YAML aliases: more than ${MAX_CONFIG_ALIASES} would be expanded (an alias bomb); the configuration is not used.`,
          span: source.span(0, 0),
        },
      ],
    };
  }
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
  const v = value as { target?: string; rules?: Record<string, Severity | "off">; ignore?: string[]; maxWarnings?: number; checkFiles?: boolean; keys?: string | Record<string, string> };
  const severities: Record<string, Severity | "off"> = {};
  for (const [k, sev] of Object.entries(v.rules ?? {})) {
    const rule = findRule(k);
    if (!rule && catalogueEntry(k)) {
      // Any other code the catalogue knows: only warning/info codes may be changed (see configurability).
      const c = configurability(k);
      if (c.ok) severities[k] = sev;
      else diagnostics.push({ code: LINT_CONFIG_CODES.notConfigurable, severity: "error", message: `${c.reason}.`, span: spanOf(`/rules/${k}`) });
      continue;
    }
    if (!rule) {
      const names = RULES.flatMap((r) => [r.meta.name, r.meta.code]);
      const s = suggestionList(k, names);
      diagnostics.push({ code: LINT_CONFIG_CODES.unknownRule, severity: "error", message: `Unknown lint rule '${k}'.${s.length ? ` Did you mean '${s[0]}'?` : ""}`, span: spanOf(`/rules/${k}`) });
      continue;
    }
    severities[rule.meta.code] = sev;
  }
  if (diagnostics.length) return { diagnostics };
  const config: LintConfig = { file: source.path, target: v.target, severities, ignore: v.ignore ?? [], maxWarnings: v.maxWarnings, checkFiles: v.checkFiles };
  if (v.keys !== undefined) config.keys = configKeys(v.keys, source.path);
  return { config, diagnostics };
}

/** `keys:` as key locations: relative paths are relative to the configuration file (as `ignore:` globs are). */
function configKeys(keys: string | Record<string, string>, configFile: string): KeyLocations {
  const base = dirname(configFile);
  if (typeof keys === "string") return { dir: resolve(base, keys), origin: configFile };
  return { files: Object.fromEntries(Object.entries(keys).map(([install, file]) => [install, resolve(base, file)])), origin: configFile };
}

/** The text of a configuration file, or undefined when it cannot be read (decoded as Node's "utf8": BOM kept). */
export function readLintConfigText(path: string, host: Host): string | undefined {
  const r = readLintConfigFile(path, host);
  return "text" in r ? r.text : undefined;
}

/**
 * A configuration file's text; `absent` when there is none to read here (missing, a directory); `refused` with a
 * coded diagnostic when something is there that must not be read: a device, FIFO or socket (IT9013: a FIFO named
 * .imagetrust.yaml would hang every command run below it) or a file above the cap (IT9005).
 */
export function readLintConfigFile(path: string, host: Host): { text: string } | { absent: true } | { refused: Diagnostic } {
  try {
    return { text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(readBounded(host, path, "config")) };
  } catch (e) {
    const code = errorCode(e);
    if (code === NOT_REGULAR_FILE || code === FILE_TOO_LARGE) return { refused: ioErrorDiagnostic(path, e) };
    return { absent: true };
  }
}

/** The nearest configuration file at or above `dir` (relative to the host's working directory), or undefined. */
export function findLintConfig(dir: string, host: Host): { path: string; text: string } | { path: string; refused: Diagnostic } | undefined {
  for (let d = resolve(host.cwd(), dir); ; d = dirname(d)) {
    for (const name of CONFIG_FILE_NAMES) {
      const p = join(d, name);
      const r = readLintConfigFile(p, host);
      if ("text" in r) return { path: p, text: r.text };
      if ("refused" in r) return { path: p, refused: r.refused };
    }
    if (dirname(d) === d) return undefined;
  }
}

/** True when `file` (absolute) is ignored by the configuration. */
export function isIgnored(config: LintConfig, file: string): boolean {
  // Both paths are absolute, so the working directory `relative` resolves against does not matter.
  const rel = relative("/", dirname(config.file), file);
  if (rel.startsWith("..")) return false;
  // Linear-time matching (src/lint/glob.ts): a regular expression backtracks exponentially on `a*a*…b`.
  return config.ignore.some((g) => compileGlob(g).test(rel));
}
