/**
 * V8 settings for a command that is over in a fraction of a second (`validate`).
 *
 * On the 2-core benchmark machine a first touch of a memory page costs ~20 µs, so what a short run costs is largely
 * the memory it touches. Measured for `validate --target 5.23` of the 10,000-scope policy.json (2.4 MB):
 *
 * - V8 compiles hot JavaScript with TurboFan on background threads, each job building its graphs in fresh memory:
 *   ~3,600 of the run's 11,700 page faults. Without TurboFan (Sparkplug's baseline code only): 7,500 faults and
 *   ~35 % less CPU time, likewise for 1,000 scopes (0.24 MB) and 40,000 (9.7 MB). Only from ~20 MB of input on does
 *   the optimised code win back its cost (100,000 scopes, 24 MB: 1.4 s with TurboFan, 1.7 s without).
 * - The loaded policy survives every scavenge, so V8 grows the young generation (to 2 × 4 MB here), only for it to
 *   hold a copy of what is promoted anyway: kept at its first size, ~1,200 fewer page faults.
 *
 * So inputs under {@link SHORT_RUN_MAX_INPUT_BYTES} run that way; larger ones keep V8's defaults.
 *
 * `compile` does several times more work per input byte (lexer, parser, CST, AST, IR, emitted text and its self-check),
 * so its crossover comes sooner. Generated .trust programs, page faults and CPU (user+sys) without → with, loaded
 * machine, median of 3: 3,000 scopes (0.16 MB) 20,600 → 12,700 faults; 10,000 (0.5 MB) 33,500 → 22,900, CPU 1.67 →
 * 1.09 s, RSS 140 → 114 MB; 20,000 (1 MB) 50,400 → 41,200, CPU 2.09 → 1.85 s; 40,000 (2.1 MB) 86,900 → 66,000 but
 * CPU 3.21 → 3.37 s; 90,000 (4.7 MB) CPU 5.4 → 8.6 s. Hence {@link COMPILE_SHORT_RUN_MAX_INPUT_BYTES}.
 *
 * The other one-shot commands, same machine and inputs (the policy.json being compile's output), faults and CPU:
 * - `lint` of the 0.5 MB .trust 28,700 → 16,400, 2.05 → 1.90 s; of its 2.1 MB policy.json 23,200 → 9,800,
 *   1.51 → 1.38 s; but of the 1 MB .trust CPU 2.8 → 4.8 s. `fmt`: 0.5 MB 25,700 → 14,100, 1.28 → 0.84 s; 1 MB
 *   1.71 → 1.77 s; 2.1 MB 2.25 → 3.73 s. `import`: 0.64 MB policy.json 24,000 → 12,100, 2.17 → 1.33 s; 2.1 MB
 *   5.45 → 9.2 s. Hence {@link FRONT_END_SHORT_RUN_MAX_INPUT_BYTES} for those three.
 * - `show` loads and prints a table, as validate loads: 2.1 MB 17,000 → 9,000, 0.82 → 0.58 s; 8.6 MB 39,200 →
 *   26,800, 1.97 → 1.63 s: validate's bound.
 * `simulate` (its own tuning) and `lsp` (long-running) are left alone.
 */
import type { Host } from "../host/host.js";
import type { CliIo } from "./io.js";

/** What a short run sets while V8 runs: no TurboFan, a young generation kept at its first size (see above). */
export const SHORT_RUN_V8_FLAGS = "--max-opt=2 --semi-space-growth-factor=1";

/** Inputs of at least this many bytes (together) keep V8's defaults. */
export const SHORT_RUN_MAX_INPUT_BYTES = 16 * 1024 * 1024;

/** `compile`'s upper bound (see above). */
export const COMPILE_SHORT_RUN_MAX_INPUT_BYTES = 2 * 1024 * 1024;

/** The upper bound of `lint`, `fmt` and `import` (see above). */
export const FRONT_END_SHORT_RUN_MAX_INPUT_BYTES = 1024 * 1024;

/**
 * Below this, nothing gets hot enough for TurboFan anyway (a hand-written policy is a few KB), and asking costs
 * more than it saves: node:v8 loads the stream modules.
 */
export const SHORT_RUN_MIN_INPUT_BYTES = 64 * 1024;

/** Before reading `paths`: a short run, when the process offers it and the inputs are within the bounds above. */
export async function preferShortRunFor(io: CliIo, host: Host, paths: readonly string[], maxBytes = SHORT_RUN_MAX_INPUT_BYTES): Promise<void> {
  if (!io.shortRun) return;
  let bytes = 0;
  for (const p of paths) {
    try {
      const st = host.files.stat(p);
      if (st.kind === "file") bytes += st.size;
    } catch {
      // missing or unreadable: the command reports it
    }
  }
  if (bytes >= SHORT_RUN_MIN_INPUT_BYTES && bytes < maxBytes) await io.shortRun();
}
