/**
 * `lint --fix` (ESLint's fix pass): lint, apply the safe fixes the findings offer, keep only the fixed texts the
 * loaders still accept (never write what containers/image would reject), write them atomically through the host,
 * then lint again so the report describes the files as they now are.
 */
import type { FileReport } from "../input/validate.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { applyLintFixes, verifyLintFixes, type FixedFile, type LintOptions, type RejectedFix } from "./lint-inputs.js";

/** What a fix pass did, and the lint result after it. */
export interface LintFixOutcome<R extends { reports: FileReport[] }> {
  /** The lint result of the files as they are now (linted again when anything was written). */
  result: R;
  /** Files rewritten, in order, with the fixes applied to each. */
  written: FixedFile[];
  /** Files whose fixes were not applied: the result would not load. */
  rejected: RejectedFix[];
}

/** Told as the pass goes, so a caller can report each step even when a later write fails. */
export interface LintFixProgress {
  rejected?(fix: RejectedFix): void;
  written?(file: FixedFile): void;
}

/**
 * Run `lint`, apply and verify its fixes, write the accepted ones with `options.host`, and run `lint` again when
 * anything changed. `lint` is the caller's choice of inputs (given paths, or the runtime's own configuration).
 * A failed write rejects with the host's error (the files written before it stay written, and were told).
 */
export async function lintAndFix<R extends { reports: FileReport[] }>(
  lint: () => Promise<R>,
  options: LintOptions,
  progress: LintFixProgress = {},
): Promise<LintFixOutcome<R>> {
  const first = await lint();
  const verified = await verifyLintFixes(applyLintFixes(first.reports), first.reports, options);
  for (const r of verified.rejected) progress.rejected?.(r);
  const written: FixedFile[] = [];
  for (const f of verified.accepted) {
    await writeFileAtomic(f.file, f.text, { host: options.host });
    written.push(f);
    progress.written?.(f);
  }
  return { result: written.length > 0 ? await lint() : first, written, rejected: verified.rejected };
}
