/**
 * The package version, in a module of its own: `imagetrust --version` (src/cli/main.ts) prints it without loading the
 * command line program.
 */
import { readFileSync } from "node:fs";

/** Replaced by the bundler with the package's version; undeclared (so `typeof` is "undefined") when run from tsc's output. */
declare const IMAGETRUST_BUNDLED_VERSION: string | undefined;

/** The package version (from package.json, two levels above both src/cli and dist/cli). */
export function packageVersion(): string {
  // The bundled executable has it from the build (scripts/build-bundle.mjs): its chunks do not sit where
  // ../../package.json is, and reading nothing is faster.
  if (typeof IMAGETRUST_BUNDLED_VERSION === "string") return IMAGETRUST_BUNDLED_VERSION;
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}
