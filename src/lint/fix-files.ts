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
  /** Files rewritten, in order, with the fixes applied to each (once per pass that changed them). */
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
 * anything changed, until a pass offers no fix that loads (a file fixed in two passes appears twice in `written`). `lint` is the caller's choice of inputs (given paths, or the runtime's own configuration).
 * A failed write rejects with a {@link FixWriteError} (the files written before it stay written, and were told).
 */
export async function lintAndFix<R extends { reports: FileReport[] }>(
  lint: () => Promise<R>,
  options: LintOptions,
  progress: LintFixProgress = {},
): Promise<LintFixOutcome<R>> {
  let result = await lint();
  const written: FixedFile[] = [];
  const rejected: RejectedFix[] = [];
  const told = new Set<string>();
  // A fix can uncover another (renaming "Docker" to "docker" lets the scope rules see the scopes under it): fix
  // and lint again until nothing changes, at most MAX_FIX_PASSES times (ESLint's bound), so one run converges.
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const verified = await verifyLintFixes(applyLintFixes(result.reports), result.reports, options);
    for (const r of verified.rejected) {
      const key = `${r.file}\0${r.reason}`;
      if (told.has(key)) continue;
      told.add(key);
      rejected.push(r);
      progress.rejected?.(r);
    }
    if (verified.accepted.length === 0) break;
    for (const f of verified.accepted) {
      try {
        await writeFileAtomic(f.file, f.text, { host: options.host });
      } catch (e) {
        throw new FixWriteError(f.file, e);
      }
      written.push(f);
      progress.written?.(f);
    }
    result = await lint();
  }
  return { result, written, rejected };
}

/** A fixed file could not be written (`file` is the file as linted; `cause` the host's error). */
export class FixWriteError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`cannot write ${file}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** How many fix-and-lint passes one `--fix` run makes at most (ESLint's bound: 10). */
export const MAX_FIX_PASSES = 10;
