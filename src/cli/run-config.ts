/**
 * The settings every command shares with `lint`: the nearest .imagetrust.yaml (or lint's `--config FILE`), where the key
 * files are (`--keys DIR` wins over the configuration's `keys:`), and the configured severities and inline
 * `imagetrust-ignore` comments applied to the warnings of validate, test and compile as lint applies them.
 */
import { Option } from "commander";
import * as nodePath from "node:path";
import type { DiagnosticCode } from "../diagnostics/catalogue/index.js";
import type { Diagnostic, Severity } from "../diagnostics/diagnostic.js";
import type { Host } from "../host/host.js";
import type { KeyLocations } from "../input/key-files.js";
import type { LintConfig } from "../lint/config.js";
import type { SourceFile } from "../source/source-file.js";
import { CommandContext, UsageError } from "./context.js";
import { displayPath } from "./io.js";
import { collect } from "./shared.js";

/** `--keys` / `keys:` naming a directory or file that is not there (a usage error: exit 2). */
const KEYS_NOT_FOUND: DiagnosticCode = "IT9050";

/** `--keys <dir>`. */
export const keysOption = () =>
  new Option("--keys <dir>", "read the key files the policy names by install path from this directory, by file name (wins over .imagetrust.yaml 'keys:')");

/** `--rule <code=severity>` for the commands other than lint: any warning/info code (e.g. IT2120=off). */
export const ruleOption = () =>
  new Option("--rule <code=severity>", "change a warning/info code's severity (off, info, warning, error), e.g. IT2120=off; repeatable").argParser(collect);

/** The lint configuration: `--config FILE`, else the nearest .imagetrust.yaml; rendered diagnostics when it is broken. */
export async function loadRunConfig(ctx: CommandContext, file: string | undefined): Promise<{ config?: LintConfig; diagnostics?: string }> {
  const { findLintConfig, parseLintConfig, readLintConfigFile } = await import("../lint/config.js");
  const { SourceFile: SF } = await import("../source/source-file.js");
  const { renderDiagnosticText, PLAIN_STYLES } = await import("../diagnostics/render-text.js");
  let found: ReturnType<typeof findLintConfig>;
  if (file !== undefined) {
    const p = nodePath.resolve(ctx.io.cwd, file);
    const r = readLintConfigFile(p, ctx.host);
    if ("absent" in r) throw new UsageError(`cannot read --config '${file}'`);
    found = { path: p, ...r };
  } else {
    found = findLintConfig(ctx.io.cwd, ctx.host);
  }
  if (!found) return {};
  if ("refused" in found) return { diagnostics: renderDiagnosticText(found.refused, { styles: PLAIN_STYLES, displayPath: (f) => displayPath(ctx.io.cwd, f) }) };
  const source = new SF(found.path, found.text);
  const r = parseLintConfig(source);
  if (r.config) return { config: r.config };
  return { diagnostics: r.diagnostics.map((d) => renderDiagnosticText(d, { getSource: () => source, styles: PLAIN_STYLES, displayPath: (f) => displayPath(ctx.io.cwd, f) })).join("\n") };
}

/** Whether a configuration file exists at or above the working directory (before loading YAML, ajv and the rules). */
function configFileNearby(ctx: CommandContext): boolean {
  for (let d = nodePath.resolve(ctx.io.cwd); ; d = nodePath.dirname(d)) {
    for (const name of [".imagetrust.yaml", ".imagetrust.yml"]) {
      try {
        ctx.host.files.stat(nodePath.join(d, name));
        return true;
      } catch {
        // not here
      }
    }
    if (nodePath.dirname(d) === d) return false;
  }
}

/** The configuration for a command that is not lint: a broken one stops the run (exit 2) as it stops lint. */
export async function requireRunConfig(ctx: CommandContext, file: string | undefined): Promise<LintConfig | undefined> {
  // validate and simulate stay light where there is no configuration (lint/config.js pulls in ajv and every rule).
  if (file === undefined && !configFileNearby(ctx)) return undefined;
  const r = await loadRunConfig(ctx, file);
  if (r.diagnostics !== undefined) {
    ctx.err(r.diagnostics.endsWith("\n") ? r.diagnostics : r.diagnostics + "\n");
    throw new UsageError("the configuration cannot be used");
  }
  return r.config;
}

/** Where this run reads key files. */
export interface RunKeys {
  /** A Host reading key files from `--keys` / `keys:` (undefined when neither is given). */
  host?: Host;
  /** False when the configuration says `checkFiles: false`: no key file is looked at. */
  check: boolean;
}

/**
 * The key locations of this run: `--keys DIR` (relative to the working directory) wins over the configuration's
 * `keys:`. A directory that does not exist (or is a file), or a mapped file that does not exist, is a usage error
 * with code IT9050 (exit 2): checking against nothing would pass silently.
 */
export async function runKeys(ctx: CommandContext, cliKeys: string | undefined, config: LintConfig | undefined, checkFiles?: boolean): Promise<RunKeys> {
  const check = (checkFiles ?? config?.checkFiles) !== false;
  const keys: KeyLocations | undefined = cliKeys !== undefined ? { dir: ctx.libraryPath(cliKeys), origin: "--keys" } : config?.keys;
  if (!keys) return { check };
  const { keyLocationProblems, keysHost } = await import("../input/key-files.js");
  const problems = keyLocationProblems(keys, ctx.host);
  if (problems.length > 0) {
    const where = keys.origin === "--keys" ? "--keys" : `keys: in ${ctx.display(keys.origin ?? ".imagetrust.yaml")}`;
    const p = problems[0];
    const shown = keys.origin === "--keys" ? cliKeys! : ctx.display(p.path);
    throw new UsageError(`${where} '${shown}': ${KEYS_NOT_FOUND} ${p.message} (see 'imagetrust explain ${KEYS_NOT_FOUND}')`);
  }
  return { host: keysHost(ctx.host, keys), check };
}

/** What a command's key-reading library calls take: the key host, `false` when key files are not looked at. */
export function keysFor(ctx: CommandContext, keys: RunKeys): Host | false {
  return keys.check ? (keys.host ?? ctx.host) : false;
}

/**
 * Configured severities (`rules:` with `--rule` over it: {@link codeSettings}) and inline `imagetrust-ignore`
 * comments applied to one input's diagnostics, as lint applies them (src/lint/suppressions.ts `settleFindings`),
 * for the commands other than lint.
 */
export async function settleDiagnostics(
  diagnostics: readonly Diagnostic[],
  settings: Record<string, Severity | "off">,
  source: SourceFile | undefined,
): Promise<{ diagnostics: Diagnostic[]; raised: boolean }> {
  const trust = source && source.path.endsWith(".trust") ? source : undefined;
  const configured = Object.keys(settings).length > 0;
  if (!configured && !trust?.text.includes("imagetrust-ignore")) return { diagnostics: [...diagnostics], raised: false };
  const { settleFindings } = await import("../lint/suppressions.js");
  const { RULES } = await import("../lint/registry.js");
  const { unusedSuppression } = await import("../lint/rules/unused-suppression.js");
  // No lint rule runs here, so an ignore naming a lint code is not "unused": lint alone reports those (IT4025).
  const severities: Record<string, Severity | "off"> = { ...settings, [unusedSuppression.meta.code]: "off" };
  const r = settleFindings(diagnostics, [], { severities, source: trust, knownCodes: new Set(RULES.map((x) => x.meta.code)) });
  return { diagnostics: r.front, raised: r.raised };
}

/** `--rule NAME=SEVERITY` values, by rule name (a code is accepted and turned into its rule's name). */
export async function parseRuleSettings(values: readonly string[]): Promise<Record<string, Severity | "off">> {
  // Without --rule there is nothing to look up: the rule registry (27 rule modules) is not loaded at start-up.
  if (values.length === 0) return {};
  const { findRule } = await import("../lint/registry.js");
  const out: Record<string, Severity | "off"> = {};
  for (const v of values) {
    const m = /^([\w-]+)=(off|info|warning|error)$/.exec(v);
    if (!m) throw new UsageError(`invalid --rule '${v}': expected NAME=off|info|warning|error, e.g. insecure-global-default=error`);
    const rule = findRule(m[1]);
    if (!rule) {
      // Any other warning/info code of the catalogue (e.g. IT2120=off); errors containers/image refuses stay on.
      const { catalogueEntry, configurability } = await import("../diagnostics/catalogue/index.js");
      const c = catalogueEntry(m[1]) ? configurability(m[1]) : undefined;
      if (!c) throw new UsageError(`unknown rule '${m[1]}' in --rule (see 'imagetrust rules')`);
      if (!c.ok) throw new UsageError(`--rule ${m[1]}: IT9044 ${c.reason} (see 'imagetrust explain ${m[1]}')`);
      out[m[1]] = m[2] as Severity | "off";
      continue;
    }
    out[rule.meta.name] = m[2] as Severity | "off";
  }
  return out;
}

/** The code settings of a run: the configuration's `rules:`, with `--rule` values over them. */
export async function codeSettings(config: LintConfig | undefined, rules: readonly string[] | undefined): Promise<Record<string, Severity | "off">> {
  return { ...(config?.severities ?? {}), ...(await parseRuleSettings(rules ?? [])) };
}
