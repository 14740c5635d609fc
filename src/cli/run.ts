/**
 * The imagetrust command line: a commander program run in-process on injected I/O. This is the only place that
 * knows about exit codes: 0 clean, 1 rejected input / error diagnostics (or too many warnings), 2 usage,
 * unreadable input or internal failure.
 */
import { Command, CommanderError, Option } from "commander";
import { readFileSync } from "node:fs";
import * as nodePath from "node:path";
import type { Severity } from "../diagnostics/diagnostic.js";
import { KNOWN_TARGETS, NEWEST_VERSION } from "../ir/versions.js";
import { INPUT_KINDS, type InputKind } from "../input/files.js";
import { validateInputs, type FileReport } from "../input/validate.js";
import { displayPath, stylesFor, useColor, type CliIo, type ColorMode } from "./io.js";
import { OUTPUT_FORMATS, renderReports, type OutputFormat } from "./report-output.js";
import { CommandContext, EXIT, InputError, UsageError, parseTarget } from "./context.js";
import { registerMoreCommands } from "./commands.js";

export type { CliIo } from "./io.js";
export { EXIT, parseTarget } from "./context.js";


/** The package version (from package.json, two levels above both src/cli and dist/cli). */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}


function parseFormat(text: string): OutputFormat {
  if (!(OUTPUT_FORMATS as readonly string[]).includes(text)) {
    throw new UsageError(`invalid --format '${text}': expected one of ${OUTPUT_FORMATS.join(", ")}`);
  }
  return text as OutputFormat;
}

function parseKind(text: string | undefined): InputKind | undefined {
  if (text === undefined) return undefined;
  if (!(INPUT_KINDS as readonly string[]).includes(text)) {
    throw new UsageError(`invalid --kind '${text}': expected one of ${INPUT_KINDS.join(", ")}`);
  }
  return text as InputKind;
}

function parseColor(text: string): ColorMode {
  if (text !== "auto" && text !== "always" && text !== "never") {
    throw new UsageError(`invalid --color '${text}': expected auto, always or never`);
  }
  return text;
}

async function parseRuleSettings(values: readonly string[]): Promise<Record<string, Severity | "off">> {
  const { findRule } = await import("../lint/registry.js");
  const out: Record<string, Severity | "off"> = {};
  for (const v of values) {
    const m = /^([\w-]+)=(off|info|warning|error)$/.exec(v);
    if (!m) throw new UsageError(`invalid --rule '${v}': expected NAME=off|info|warning|error, e.g. insecure-global-default=error`);
    const rule = findRule(m[1]);
    if (!rule) throw new UsageError(`unknown rule '${m[1]}' in --rule (see 'imagetrust rules')`);
    out[rule.meta.name] = m[2] as Severity | "off";
  }
  return out;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

interface CommonOptions {
  target?: string;
  format: string;
  kind?: string;
  color: string;
}

function addCommonOptions(cmd: Command): Command {
  return cmd
    .option("--target <version>", `containers/image version to judge by (${KNOWN_TARGETS[0]}…${NEWEST_VERSION}; Debian 12 has 5.23)`, undefined)
    .addOption(new Option("--format <format>", "output format").choices([...OUTPUT_FORMATS]).default("text"))
    .option("--kind <kind>", `treat every input as this kind (${INPUT_KINDS.join(", ")}) instead of deciding from its name`)
    .addOption(new Option("--color <when>", "colour the text output").choices(["auto", "always", "never"]).default("auto"));
}

function exitCodeFor(reports: readonly FileReport[], command: "validate" | "lint", maxWarnings?: number): number {
  if (reports.some((r) => r.fatal)) return EXIT.usage;
  if (command === "validate") return reports.every((r) => r.valid) ? EXIT.ok : EXIT.rejected;
  if (reports.some((r) => r.diagnostics.some((d) => d.severity === "error"))) return EXIT.rejected;
  if (maxWarnings !== undefined) {
    const warnings = reports.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === "warning").length, 0);
    if (warnings > maxWarnings) return EXIT.rejected;
  }
  return EXIT.ok;
}

const VALIDATE_HELP = `
Would containers/image (podman, skopeo, CRI-O, buildah) accept these files? Each FILE is judged by its name:
  *.json             a policy.json
  *.yaml, *.yml      one registries.d file
  DIR                a registries.d directory (every *.yaml in it, merged as the runtime does), or a
                     configuration directory holding policy.json and/or registries.d/ (like /etc/containers)
  *.trust            an imagetrust source
Exit status: 0 all accepted, 1 any rejected, 2 usage error or unreadable input.

Examples:
  $ imagetrust validate /etc/containers/policy.json
  $ imagetrust validate --target 5.23 policy.json registries.d/
  $ imagetrust validate --format json examples/hand-written/broken-policy.json
`;

const LINT_HELP = `
Validate, then look for policies that load but do not do what they seem to (see 'imagetrust rules').
With no PATH, lints what containers/image reads for this user: $HOME/.config/containers/policy.json if it
exists, else /etc/containers/policy.json, and $HOME/.config/containers/registries.d if it exists, else
/etc/containers/registries.d, saying which files were read and which are shadowed.
A DIR is a registries.d directory, or a configuration directory holding policy.json and/or registries.d/.
Settings come from the nearest .imagetrust.yaml (or --config FILE): rules (by code or name: off, info, warning,
error), target, ignore (globs), maxWarnings, checkFiles. In .trust files, '# imagetrust-ignore IT4008: reason'
on a finding's line or the line before suppresses it.
Exit status: 0 no errors (and at most --max-warnings warnings), 1 errors, 2 usage error or unreadable input.

Examples:
  $ imagetrust lint
  $ imagetrust lint /etc/containers
  $ imagetrust lint --format github policy.json
  $ imagetrust lint --format sarif policy.json > imagetrust.sarif
  $ imagetrust lint --registries-d /etc/containers/registries.d --registries-conf /etc/containers/registries.conf policy.json
  $ imagetrust lint --rule insecure-global-default=error --max-warnings 0 policy.json
  $ imagetrust lint --fix policy.json          # e.g. "busybox" → "docker.io/library/busybox"
`;

const RULES_HELP = `
Examples:
  $ imagetrust rules
  $ imagetrust rules never-matching-scope
  $ imagetrust rules --format markdown
`;

const MAIN_HELP = `
Examples:
  $ imagetrust validate /etc/containers/policy.json
  $ imagetrust lint
  $ imagetrust lint --format json examples/hand-written/
  $ imagetrust compile site.trust --out /etc/containers
  $ imagetrust simulate --policy /etc/containers/policy.json docker://quay.io/acme/app:1.2
  $ imagetrust verify --policy /etc/containers/policy.json dir:/srv/images/app
  $ imagetrust import /etc/containers/policy.json -o site.trust
  $ imagetrust diff old-policy.json new-policy.json

Exit status: 0 success, 1 rejected input or error findings, 2 usage error, unreadable input or internal failure.
Colour is used only on a terminal and never when NO_COLOR is set.
`;

/**
 * Run the CLI on `argv` (the arguments after the program name) and return the exit code.
 * Never throws and never calls process.exit.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const ctx = new CommandContext(io);
  const out = (s: string) => ctx.out(s);
  const err = (s: string) => ctx.err(s);

  const program = new Command("imagetrust");
  program
    .description("Container image trust policy toolchain: validate and lint containers-policy.json and registries.d.")
    .exitOverride()
    .configureOutput({ writeOut: out, writeErr: err, outputError: (s, write) => write(s) })
    .showHelpAfterError("(run 'imagetrust --help' for usage)")
    .version(packageVersion(), "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .addHelpText("after", MAIN_HELP);

  addCommonOptions(
    program
      .command("validate")
      .description("check that containers/image would accept each file")
      .argument("<files...>", "policy.json, registries.d file or directory, or .trust file")
      .addHelpText("after", VALIDATE_HELP),
  ).action(async (files: string[], opts: CommonOptions) => {
      const target = parseTarget(opts.target);
      const format = parseFormat(opts.format);
      const kind = parseKind(opts.kind);
      const color = useColor(io, parseColor(opts.color)) && format === "text";
      const reports = await validateInputs(
        files.map((f) => ctx.libraryPath(f)),
        { target, kind, fs: io.fs },
      );
      out(await renderReports(reports, { format, command: "validate", styles: stylesFor(color), displayPath: (f) => displayPath(io.cwd, f), fs: io.fs }));
      ctx.exitCode = exitCodeFor(reports, "validate");
    });

  addCommonOptions(
    program
      .command("lint")
      .description("validate, then find policies that load but do not do what they seem to")
      .argument("[paths...]", "files or directories (default: the configuration the runtime reads)")
      .addHelpText("after", LINT_HELP),
  )
    .option("--max-warnings <n>", "exit 1 when there are more warnings than this")
    .option("--rule <name=severity>", "change a rule's severity (off, info, warning, error); repeatable", collect)
    .option("--fix", "apply the safe fixes lint findings offer (renamed scopes and transports), then lint again")
    .option("--config <file>", "lint configuration (default: the nearest .imagetrust.yaml at or above the working directory)")
    .option("--registries-d <dir>", "the registries.d directory used with the policies (for cross-file rules); linted too")
    .option("--registries-conf <file>", "the registries.conf used with the policies (mirrors, for cross-file rules)")
    .option("--check-files", "check key files and path scopes on this machine (default only when linting the runtime's own files)")
    .action(async (paths: string[], opts: CommonOptions & { maxWarnings?: string; rule?: string[]; fix?: boolean; config?: string; registriesD?: string; registriesConf?: string; checkFiles?: boolean }) => {
      const target = parseTarget(opts.target);
      const format = parseFormat(opts.format);
      const kind = parseKind(opts.kind);
      const color = useColor(io, parseColor(opts.color)) && format === "text";
      let maxWarnings: number | undefined;
      if (opts.maxWarnings !== undefined) {
        maxWarnings = Number(opts.maxWarnings);
        if (!Number.isInteger(maxWarnings) || maxWarnings < 0) throw new UsageError(`invalid --max-warnings '${opts.maxWarnings}': expected a whole number ≥ 0`);
      }
      const config = await loadConfigForCli(ctx, opts.config);
      if (config.diagnostics) {
        out(config.diagnostics);
        ctx.exitCode = EXIT.usage;
        return;
      }
      const lintConfig = config.config;
      const severities = { ...(lintConfig?.severities ?? {}), ...(await parseRuleSettings(opts.rule ?? [])) };
      if (maxWarnings === undefined) maxWarnings = lintConfig?.maxWarnings;
      const effectiveTarget = target ?? (lintConfig?.target !== undefined ? parseTarget(lintConfig.target) : undefined);
      const checkHostFiles = opts.checkFiles ?? lintConfig?.checkFiles;
      const { isIgnored } = await import("../lint/config.js");
      const lintPaths = paths.map((p) => ctx.libraryPath(p)).filter((p) => !lintConfig || !isIgnored(lintConfig, nodePath.resolve(io.cwd, p)));
      // Loaded here, not at start-up: `validate` needs none of the lint machinery.
      const { applyLintFixes, lintInputs, lintRuntimeConfiguration, verifyLintFixes } = await import("../lint/lint-inputs.js");
      const { ruleNameOfCode } = await import("../lint/registry.js");
      const styles = stylesFor(color);
      const lintOnce = async () =>
        paths.length === 0
          ? await lintRuntimeConfiguration({ env: io.env, root: io.systemRoot, fs: io.fs }, { target: effectiveTarget, severities, fs: io.fs, checkHostFiles })
          : {
              reports: await lintInputs(lintPaths, {
                target: effectiveTarget,
                kind,
                severities,
                fs: io.fs,
                checkHostFiles,
                registriesDPath: opts.registriesD !== undefined ? ctx.libraryPath(opts.registriesD) : undefined,
                registriesConfPath: opts.registriesConf !== undefined ? ctx.libraryPath(opts.registriesConf) : undefined,
              }),
              locations: undefined,
            };
      let result = await lintOnce();
      if (opts.fix) {
        // Re-validated in memory first: a fix whose result the loader would reject is not written.
        const verified = await verifyLintFixes(applyLintFixes(result.reports), result.reports, { target: effectiveTarget, kind, fs: io.fs });
        for (const r of verified.rejected) err(`${displayPath(io.cwd, r.file)}: fixes not applied (the result would not load: ${r.reason})\n`);
        const fixed = verified.accepted;
        for (const f of fixed) {
          const { writeFileAtomic } = await import("../util/atomic-write.js");
          await writeFileAtomic(f.file, f.text);
          // Notes go to stderr in machine formats, so stdout stays one JSON document.
          for (const a of f.applied) (format === "text" ? out : err)(`${styles.location(displayPath(io.cwd, f.file))}: fixed: ${a}\n`);
        }
        if (fixed.length > 0) result = await lintOnce();
      }
      const reports: FileReport[] = result.reports;
      const locations = result.locations;
      if (locations && format === "text") {
        out(styles.dim("Linting the configuration containers/image reads for this user:") + "\n");
        out(`  policy.json:  ${locations.policy ? locations.policy.path : "(none found)"}\n`);
        out(`  registries.d: ${locations.registriesD.path}${locations.registriesD.exists ? "" : " (does not exist)"}\n`);
        for (const n of locations.notes) out(`  ${n}\n`);
        out("\n");
      }
      out(await renderReports(reports, { format, command: "lint", styles, displayPath: (f) => displayPath(io.cwd, f), fs: io.fs, ruleName: ruleNameOfCode, toolVersion: packageVersion() }));
      ctx.exitCode = exitCodeFor(reports, "lint", maxWarnings);
    });

  program
    .command("rules")
    .description("list the lint rules, or explain one")
    .argument("[rule]", "a rule name or code: show its documentation")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "markdown"]).default("text"))
    .addHelpText("after", RULES_HELP)
    .action(async (name: string | undefined, opts: { format: string }) => {
      if (name === undefined) {
        out(await renderRules(opts.format as "text" | "json" | "markdown"));
        return;
      }
      const { RULES, findRule } = await import("../lint/registry.js");
      const rule = findRule(name);
      if (!rule) {
        const { didYouMean } = await import("../diagnostics/did-you-mean.js");
        throw new UsageError(`unknown rule '${name}'.${didYouMean(name, RULES.map((r) => r.meta.name))}`);
      }
      if (opts.format === "json") {
        out(JSON.stringify(rule.meta, null, 2) + "\n");
        return;
      }
      const m = rule.meta;
      out(
        [
          `${m.name} (${m.code}): ${m.description}`,
          `category: ${m.category}, default severity: ${m.defaultSeverity}`,
          "",
          "What it does",
          `  ${m.docs.what}`,
          "",
          "Why it matters",
          `  ${m.docs.why}`,
          "",
          "Example",
          ...m.docs.example.split("\n").map((l) => `  ${l}`),
          "",
          "Instead",
          ...m.docs.instead.split("\n").map((l) => `  ${l}`),
          "",
        ].join("\n"),
      );
    });

  registerMoreCommands(program, ctx);

  try {
    await program.parseAsync([...argv], { from: "user" });
    return ctx.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof InputError) return EXIT.usage;
    if (e instanceof UsageError) {
      err(`error: ${e.message}\n(run 'imagetrust --help' for usage)\n`);
      return EXIT.usage;
    }
    const msg = e instanceof Error ? e.message : String(e);
    err(`imagetrust: internal error: ${msg}\nThis is a bug in imagetrust; please report it.\n`);
    return EXIT.usage;
  }
}

/** The lint configuration: `--config FILE`, else the nearest .imagetrust.yaml; rendered diagnostics when it is broken. */
async function loadConfigForCli(ctx: CommandContext, file: string | undefined): Promise<{ config?: import("../lint/config.js").LintConfig; diagnostics?: string }> {
  const { findLintConfig, parseLintConfig } = await import("../lint/config.js");
  const { SourceFile } = await import("../source/source-file.js");
  const { renderDiagnosticText, PLAIN_STYLES } = await import("../diagnostics/render-text.js");
  const read = (p: string): string | undefined => {
    try {
      return readFileSync(p, "utf8");
    } catch {
      return undefined;
    }
  };
  let found: { path: string; text: string } | undefined;
  if (file !== undefined) {
    const p = nodePath.resolve(ctx.io.cwd, file);
    const text = read(p);
    if (text === undefined) throw new UsageError(`cannot read --config '${file}'`);
    found = { path: p, text };
  } else {
    found = findLintConfig(ctx.io.cwd, { readFile: read });
  }
  if (!found) return {};
  const source = new SourceFile(found.path, found.text);
  const r = parseLintConfig(source);
  if (r.config) return { config: r.config };
  return { diagnostics: r.diagnostics.map((d) => renderDiagnosticText(d, { getSource: () => source, styles: PLAIN_STYLES, displayPath: (f) => displayPath(ctx.io.cwd, f) })).join("\n") };
}

/** The rule list in text, JSON or a Markdown table (for the README). */
export async function renderRules(format: "text" | "json" | "markdown"): Promise<string> {
  const { RULES } = await import("../lint/registry.js");
  if (format === "json") {
    return JSON.stringify(RULES.map((r) => r.meta), null, 2) + "\n";
  }
  if (format === "markdown") {
    // The README's rule table (between <!-- rules:start --> and <!-- rules:end -->) is exactly this (npm run docs:rules).
    const { renderRuleTable } = await import("../lint/docs.js");
    return renderRuleTable(RULES);
  }
  const width = Math.max(...RULES.map((r) => r.meta.name.length));
  return RULES.map((r) => `${r.meta.code}  ${r.meta.name.padEnd(width)}  ${r.meta.category.padEnd(11)}  ${r.meta.defaultSeverity.padEnd(7)}  ${r.meta.description}`).join("\n") + "\n";
}
