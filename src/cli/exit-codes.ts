/**
 * Exit codes: what each command's result means for the shell. The library returns data; only the CLI decides
 * 0 clean, 1 rejected input / failed check / error findings, 2 usage, unreadable input or internal failure.
 */
import type { PolicyDiff } from "../diff/analyse.js";
import type { ExpectationRun } from "../expectations/run.js";
import type { FileReport } from "../input/validate.js";
import type { SimulationResult } from "../simulate/types.js";

/** The exit codes. */
export const EXIT = { ok: 0, rejected: 1, usage: 2 } as const;

/** `validate` and `lint`: 2 when an input could not be judged; 1 when rejected, or (lint) errors or too many warnings. */
export function reportsExitCode(reports: readonly FileReport[], command: "validate" | "lint", maxWarnings?: number): number {
  if (reports.some((r) => r.fatal)) return EXIT.usage;
  if (command === "validate") return reports.every((r) => r.valid) ? EXIT.ok : EXIT.rejected;
  if (reports.some((r) => r.diagnostics.some((d) => d.severity === "error"))) return EXIT.rejected;
  if (maxWarnings !== undefined) {
    const warnings = reports.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === "warning").length, 0);
    if (warnings > maxWarnings) return EXIT.rejected;
  }
  return EXIT.ok;
}

/** `imagetrust test`: 0 when every expectation passed and every file loaded, 2 when a file could not be judged (a directory), else 1. */
export function expectationsExitCode(runs: readonly ExpectationRun[]): 0 | 1 | 2 {
  if (runs.some((r) => r.fatal)) return EXIT.usage;
  return runs.every((r) => r.failed === 0 && !r.diagnostics.some((d) => d.severity === "error")) ? 0 : 1;
}

/** `imagetrust simulate`: 0 when every reference is allowed, 1 when any is denied. */
export function simulationExitCode(results: readonly Pick<SimulationResult, "verdict">[]): 0 | 1 {
  const code = new SimulationExitCode();
  for (const r of results) code.add(r);
  return code.code;
}

/** {@link simulationExitCode} computed as results stream past (`simulate --refs`), holding none of them. */
export class SimulationExitCode {
  private denied = false;
  /** Count one result. */
  add(r: Pick<SimulationResult, "verdict">): void {
    if (r.verdict !== "allow") this.denied = true;
  }
  /** 0 when every result so far was allowed, 1 when any was denied. */
  get code(): 0 | 1 {
    return this.denied ? EXIT.rejected : EXIT.ok;
  }
}

/** `imagetrust diff`: 1 with `failOnLoosen` when anything became more permissive, else 0. */
export function diffExitCode(diff: PolicyDiff, options: { failOnLoosen?: boolean } = {}): 0 | 1 {
  return options.failOnLoosen && diff.loosened ? 1 : 0;
}
