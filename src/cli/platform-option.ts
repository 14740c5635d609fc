/**
 * `--platform` for `verify` and `simulate`: which instance of a manifest list a pull takes. Checked before anything is
 * read: it applies only where there can be a list (`--online`, `--manifest`, a `dir:`/`oci:` reference), else it is
 * usage error IT5840; after reading, a single image with `--platform` is IT5840 too. This machine's platform comes
 * from the Host (`host.platform()`), so the library never asks the process.
 */
import type { EvidenceReport } from "../simulate/evidence-source.js";
import { parsePlatform } from "../verify/platform.js";
import { CommandContext, UsageError } from "./context.js";

/** The platform options for the evidence source: online ones, and offline ones. */
export interface PlatformOptions {
  online: { platform?: string; machinePlatform?: string };
  offline: { platform?: string; machinePlatform?: string };
}

/** Check `--platform` and add this machine's platform. */
export function platformOptions(ctx: CommandContext, platform: string | undefined, where: { online: boolean; manifest: boolean; refs: readonly string[] }): PlatformOptions {
  if (platform !== undefined) {
    if (parsePlatform(platform) === undefined) throw new UsageError(`IT5840: invalid --platform '${platform}': expected OS/ARCH or OS/ARCH/VARIANT (e.g. linux/arm64)`);
    const layouts = where.refs.some((r) => r.startsWith("dir:") || r.startsWith("oci:"));
    if (!where.online && !where.manifest && !layouts)
      throw new UsageError(`IT5840: --platform ${platform} does not apply: it picks an instance of a manifest list, and there is none to read (give --online, --manifest LIST.json, or a dir:/oci: layout)`);
  }
  const m = ctx.host.platform?.();
  const machinePlatform = m ? [m.os, m.architecture, m.variant].filter((x, i) => i < 2 || x !== "").join("/") : undefined;
  const o = { ...(platform !== undefined ? { platform } : {}), ...(machinePlatform !== undefined ? { machinePlatform } : {}) };
  return { online: where.online ? o : {}, offline: o };
}

/** After evidence was read: `--platform` on a single image is IT5840 (exit 2), not silently ignored. */
export function platformNotApplicable(reports: readonly (EvidenceReport | undefined)[]): void {
  for (const r of reports) {
    const f = r?.findings?.find((x) => x.code === "IT5840");
    if (f) throw new UsageError(`IT5840: ${f.message}`);
  }
}
