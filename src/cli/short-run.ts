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
 */
import type { Host } from "../host/host.js";
import type { CliIo } from "./io.js";

/** Inputs of at least this many bytes (together) keep V8's defaults. */
export const SHORT_RUN_MAX_INPUT_BYTES = 16 * 1024 * 1024;

/**
 * Below this, nothing gets hot enough for TurboFan anyway (a hand-written policy is a few KB), and asking costs
 * more than it saves: node:v8 loads the stream modules.
 */
export const SHORT_RUN_MIN_INPUT_BYTES = 64 * 1024;

/** Before reading `paths`: a short run, when the process offers it and the inputs are within the bounds above. */
export async function preferShortRunFor(io: CliIo, host: Host, paths: readonly string[]): Promise<void> {
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
  if (bytes >= SHORT_RUN_MIN_INPUT_BYTES && bytes < SHORT_RUN_MAX_INPUT_BYTES) await io.shortRun();
}
