/**
 * Helpers the command files share: repeatable options, reading a source or a manifest, loading a policy with its
 * registries.d, the options of validate and lint, the package version.
 */
import { Command, Option } from "commander";
import * as nodePath from "node:path";
import { type Policy, type RegistriesDConfig } from "../ir/types.js";
import { KNOWN_TARGETS, NEWEST_VERSION, effectiveTarget } from "../ir/versions.js";
import { readLimit } from "../host/read-limits.js";
import { INPUT_KINDS, ioErrorDiagnostic, readTextFile, type InputKind } from "../input/files.js";
import { CommandContext, InputError, UsageError, parseTarget, renderLooseDiagnostics } from "./context.js";
import type { ColorMode } from "./io.js";
import { OUTPUT_FORMATS, type OutputFormat } from "./report-output.js";

/** Commander's accumulator for a repeatable option. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `--target <version>`. */
export const targetOption = () => new Option("--target <version>", "containers/image version to judge by (default: the newest)");
/** `--color <when>`. */
export const colorOption = () => new Option("--color <when>", "colour the text output").choices(["auto", "always", "never"]).default("auto");

/** Read a text file for a command, printing the IT9xxx diagnostic and throwing InputError when it cannot be read. */
export async function readSource(ctx: CommandContext, path: string) {
  return (await readSourceFile(ctx, path)).source;
}

/** {@link readSource} with what the read found (bytes, invalid UTF-8, BOM). */
export async function readSourceFile(ctx: CommandContext, path: string) {
  const r = await readTextFile(ctx.libraryPath(path), { host: ctx.host });
  if (!r.source) {
    ctx.err(await renderLooseDiagnostics(ctx, path, r.diagnostics));
    throw new InputError(`cannot read ${path}`);
  }
  return { ...r, source: r.source };
}

/** The bytes of `--manifest FILE` (undefined without the option), printing the IT9xxx diagnostic when unreadable. */
export async function readManifest(ctx: CommandContext, path: string | undefined): Promise<Uint8Array | undefined> {
  if (path === undefined) return undefined;
  const m = await readTextFile(ctx.libraryPath(path), { host: ctx.host, maxBytes: readLimit(ctx.host, "manifest") });
  if (!m.bytes) {
    ctx.err(await renderLooseDiagnostics(ctx, path, m.diagnostics));
    throw new InputError("cannot read the manifest");
  }
  return m.bytes;
}

/** A policy input (policy.json or .trust) plus optional registries.d directory. */
export async function loadPolicyAndStorage(
  ctx: CommandContext,
  policyPath: string,
  registriesDPath: string | undefined,
  target: ReturnType<typeof parseTarget>,
): Promise<{ policy: Policy; registriesD?: RegistriesDConfig; target: ReturnType<typeof parseTarget> }> {
  // A configuration directory (a compiled output, /etc/containers) is read as the runtime reads its own: policy.json
  // and registries.d/ beside it (an absent registries.d/ is an empty configuration, as `docker.loadAndMergeConfig`
  // treats a missing directory). An explicit --registries-d wins.
  if (isDirectory(ctx, policyPath)) {
    const policyFile = nodePath.join(policyPath, "policy.json");
    const regD = nodePath.join(policyPath, "registries.d");
    const useRegD = registriesDPath ?? (isDirectory(ctx, regD) ? regD : undefined);
    return loadPolicyAndStorage(ctx, policyFile, useRegD, target);
  }
  const report = await ctx.loadModel(policyPath, { target, what: "policy" });
  const policy = report.model!.policy;
  if (!policy) {
    throw new UsageError(`${policyPath} holds no policy (expected a policy.json or a .trust file)`);
  }
  let registriesD = report.model!.registriesD;
  if (registriesDPath !== undefined) {
    const r = await ctx.loadModel(registriesDPath, { target, kind: "registries-d-dir", what: "registries.d directory" });
    registriesD = r.model!.registriesD;
  }
  return { policy, registriesD, target: effectiveTarget(target, report.model!.trust?.target) };
}

/**
 * The library path of a directory a flag names (`--registries-conf-d`), printing IT9001/IT9004 and throwing InputError
 * when it is not one: the runtime skips a missing drop-in directory, but a flag that names one means a typo.
 */
export async function requireDirectory(ctx: CommandContext, path: string, flag: string): Promise<string> {
  const full = ctx.libraryPath(path);
  if (isDirectory(ctx, path)) return full;
  let err: unknown = { code: "ENOTDIR" };
  try {
    ctx.host.files.stat(full);
  } catch (e) {
    err = e;
  }
  ctx.err(await renderLooseDiagnostics(ctx, path, [ioErrorDiagnostic(full, err, "directory")]));
  throw new InputError(`${flag} ${path} is not a directory`);
}

/** Whether `path` names a directory on the run's host (false when it does not exist). */
function isDirectory(ctx: CommandContext, path: string): boolean {
  try {
    return ctx.host.files.stat(ctx.libraryPath(path)).kind === "directory";
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Options shared by validate and lint

/** The options validate and lint share. */
export interface ReportCommandOptions {
  target?: string;
  format: string;
  kind?: string;
  color: string;
}

/** Add --target, --format, --kind and --color to validate or lint. */
export function addReportOptions(cmd: Command): Command {
  return cmd
    .option("--target <version>", `containers/image version to judge by (${KNOWN_TARGETS[0]}…${NEWEST_VERSION}; Debian 12 has 5.23)`, undefined)
    .addOption(new Option("--format <format>", "output format").choices([...OUTPUT_FORMATS]).default("text"))
    .option("--kind <kind>", `treat every input as this kind (${INPUT_KINDS.join(", ")}) instead of deciding from its name`)
    .addOption(new Option("--color <when>", "colour the text output").choices(["auto", "always", "never"]).default("auto"));
}

/** Parse and check `--format`. */
export function parseFormat(text: string): OutputFormat {
  if (!(OUTPUT_FORMATS as readonly string[]).includes(text)) {
    throw new UsageError(`invalid --format '${text}': expected one of ${OUTPUT_FORMATS.join(", ")}`);
  }
  return text as OutputFormat;
}

/** Parse and check `--kind`. */
export function parseKind(text: string | undefined): InputKind | undefined {
  if (text === undefined) return undefined;
  if (!(INPUT_KINDS as readonly string[]).includes(text)) {
    throw new UsageError(`invalid --kind '${text}': expected one of ${INPUT_KINDS.join(", ")}`);
  }
  return text as InputKind;
}

/** Parse and check `--color`. */
export function parseColor(text: string): ColorMode {
  if (text !== "auto" && text !== "always" && text !== "never") {
    throw new UsageError(`invalid --color '${text}': expected auto, always or never`);
  }
  return text;
}

export { packageVersion } from "./version.js";
