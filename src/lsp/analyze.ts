/**
 * One open document, judged as the CLI judges it: `lintInputs` (src/lint/lint-inputs.ts: validate by kind, then the
 * lint rules) through an overlay Host, with the nearest `.imagetrust.yaml`'s target, rules and keys. Cross-file
 * inputs come along as the CLI's own options would bring them: a policy.json is linted with the `registries.d/`
 * beside it (`--registries-d`), a registries.d file as part of its directory, a .trust source with its key files.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Host } from "../host/host.js";
import { basename, dirname, join } from "../host/path.js";
import { keysHost } from "../input/key-files.js";
import type { FileReport, LoadedModel } from "../input/validate.js";
import type { InputKind } from "../input/files.js";
import { findLintConfig, parseLintConfig, type LintConfig } from "../lint/config.js";
import { lintInputs, type LintOptions } from "../lint/lint-inputs.js";
import { parseVersion } from "../ir/versions.js";
import { SourceFile } from "../source/source-file.js";
import { overlayHost, type OverlayTexts } from "./overlay-host.js";

/** The kinds of document the server understands. */
export type DocumentKind = "trust" | "policy-json" | "registries-d-file" | "registries-conf";

/** What one analysis found for one document. */
export interface Analysis {
  path: string;
  kind: DocumentKind;
  /** The diagnostics located in this document (or about it as a whole), in the CLI's order. */
  diagnostics: Diagnostic[];
  /** Every text the analysis read, by path (for positions of related locations in other files). */
  sources: Map<string, SourceFile>;
  /** The IR, when the document is accepted (a policy.json or .trust source; a registries.d directory). */
  model?: LoadedModel;
  /** Every path the analysis looked at: when one of them changes, the document is analysed again. */
  reads: Set<string>;
}

/** Whether JSON text is a containers policy (has a top-level `default` or `transports` member). */
export function looksLikePolicy(text: string): boolean {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === "object" && v !== null && !Array.isArray(v) && ("default" in v || "transports" in v);
  } catch {
    // Mid-edit: judge by the first member names.
    return /^\s*\{\s*"(default|transports)"\s*:/.test(text);
  }
}

/**
 * The kind of a document from its path (and, for JSON, its text), or undefined for a document the server leaves
 * alone (a JSON file that is not a policy, the lint configuration).
 */
export function documentKind(path: string, text: string): DocumentKind | undefined {
  const name = basename(path);
  if (name.endsWith(".trust")) return "trust";
  if (name.endsWith(".json")) return name === "policy.json" || looksLikePolicy(text) ? "policy-json" : undefined;
  if (name === ".imagetrust.yaml" || name === ".imagetrust.yml") return undefined;
  if (name.endsWith(".yaml") || name.endsWith(".yml")) return "registries-d-file";
  if (name === "registries.conf" || name.endsWith(".conf")) return "registries-conf";
  return undefined;
}

function isDirectory(host: Host, path: string): boolean {
  try {
    return host.files.stat(path).kind === "directory";
  } catch {
    return false;
  }
}

/** The nearest `.imagetrust.yaml` at or above `dir`, parsed (undefined when there is none, it is refused or invalid). */
function lintConfigFor(dir: string, host: Host): LintConfig | undefined {
  const found = findLintConfig(dir, host);
  if (!found || !("text" in found)) return undefined;
  return parseLintConfig(new SourceFile(found.path, found.text)).config;
}

/** Options of {@link analyzeDocument}. */
export interface AnalyzeOptions {
  /** The machine underneath (the CLI's Node host). */
  host: Host;
  /** Open documents by absolute path. */
  texts: OverlayTexts;
}

/** Judge one document (by absolute path) as `imagetrust lint` would, with its neighbours. */
export async function analyzeDocument(path: string, kind: DocumentKind, options: AnalyzeOptions): Promise<Analysis> {
  const reads = new Set<string>([path]);
  const host = overlayHost(options.host, options.texts, reads);
  const dir = dirname(path);
  const config = lintConfigFor(dir, host);
  const target = config?.target !== undefined ? (parseVersion(config.target) ?? undefined) : undefined;
  const lintOptions: LintOptions = { host, target, severities: config?.severities };
  if (config?.checkFiles === false) lintOptions.keys = false;
  else if (config?.keys) lintOptions.keys = keysHost(host, config.keys);
  if (config?.checkFiles !== undefined) lintOptions.checkHostFiles = config.checkFiles;

  let inputs: string[] = [path];
  let inputKind: InputKind = kind;
  if (kind === "policy-json") {
    // As `lint --registries-d DIR policy.json` with the directory beside it, or a configuration directory.
    const regD = join(dir, "registries.d");
    if (isDirectory(host, regD)) lintOptions.registriesDPath = regD;
  } else if (kind === "registries-d-file" && basename(dir) === "registries.d") {
    // The runtime merges the whole directory: duplicates across files are only seen so.
    inputs = [dir];
    inputKind = "registries-d-dir";
  }
  lintOptions.kind = inputKind;
  const reports = await lintInputs(inputs, lintOptions);
  return collect(path, kind, reports, reads);
}

/** The diagnostics of `path` out of every report, and the sources and model that came with them. */
function collect(path: string, kind: DocumentKind, reports: readonly FileReport[], reads: Set<string>): Analysis {
  const sources = new Map<string, SourceFile>();
  const diagnostics: Diagnostic[] = [];
  let model: LoadedModel | undefined;
  for (const r of reports) {
    for (const [k, v] of r.sources) sources.set(k, v);
    if (r.file === path || (kind === "registries-d-file" && r.kind === "registries-d-dir")) model ??= r.model;
    for (const d of r.diagnostics) {
      const file = d.span?.file ?? d.file ?? r.file;
      if (file === path) diagnostics.push(d);
    }
  }
  return { path, kind, diagnostics, sources, model, reads };
}
