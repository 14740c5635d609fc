/** Helpers the command files share: repeatable options, reading a source or a manifest, loading a policy with its registries.d. */
import { Option } from "commander";
import { type Policy, type RegistriesDConfig } from "../ir/types.js";
import { readTextFile } from "../input/files.js";
import { CommandContext, InputError, UsageError, parseTarget, renderLooseDiagnostics } from "./context.js";

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export const targetOption = () => new Option("--target <version>", "containers/image version to judge by (default: the newest)");
export const colorOption = () => new Option("--color <when>", "colour the text output").choices(["auto", "always", "never"]).default("auto");

/** Read a text file for a command, printing the IT9xxx diagnostic and throwing InputError when it cannot be read. */
export async function readSource(ctx: CommandContext, path: string) {
  const r = await readTextFile(ctx.libraryPath(path), { fs: ctx.io.fs });
  if (!r.source) {
    ctx.err(await renderLooseDiagnostics(ctx, path, r.diagnostics));
    throw new InputError(`cannot read ${path}`);
  }
  return r.source;
}

/** The bytes of `--manifest FILE` (undefined without the option), printing the IT9xxx diagnostic when unreadable. */
export async function readManifest(ctx: CommandContext, path: string | undefined): Promise<Uint8Array | undefined> {
  if (path === undefined) return undefined;
  const m = await readTextFile(ctx.libraryPath(path), { fs: ctx.io.fs });
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
): Promise<{ policy: Policy; registriesD?: RegistriesDConfig }> {
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
  return { policy, registriesD };
}
