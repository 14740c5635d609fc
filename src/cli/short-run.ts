/**
 * V8 tiering for a command that is over in a fraction of a second (`validate`).
 *
 * V8 compiles hot JavaScript with TurboFan on background threads. For a run of a few hundred milliseconds that
 * costs more than it saves: each compile job builds its graphs in fresh memory, and on the 2-core benchmark machine
 * a first touch of a page costs ~20 µs. Measured for `validate --target 5.23` of the 10,000-scope policy.json
 * (2.4 MB): 11,700 page faults, ~3,600 of them TurboFan's; without TurboFan 7,500 faults and ~35 % less CPU time,
 * and likewise for 1,000 scopes (0.24 MB) and 40,000 (9.7 MB). Only from ~20 MB of input on does the optimised code
 * win back its cost (100,000 scopes, 24 MB: 1.4 s with TurboFan, 1.7 s without), so larger inputs keep it.
 */
import type { Host } from "../host/host.js";
import type { CliIo } from "./io.js";

/** Inputs of at least this many bytes (together) keep V8's optimising compiler. */
export const QUICK_TIERS_MAX_INPUT_BYTES = 16 * 1024 * 1024;

/**
 * Below this, nothing gets hot enough for TurboFan anyway (a hand-written policy is a few KB), and asking costs
 * more than it saves: node:v8 loads the stream modules.
 */
export const QUICK_TIERS_MIN_INPUT_BYTES = 64 * 1024;

/** Before reading `paths`: quick tiers only, when the process offers them and the inputs are within the bounds above. */
export async function preferQuickTiersFor(io: CliIo, host: Host, paths: readonly string[]): Promise<void> {
  if (!io.preferQuickTiers) return;
  let bytes = 0;
  for (const p of paths) {
    try {
      const st = host.files.stat(p);
      if (st.kind === "file") bytes += st.size;
    } catch {
      // missing or unreadable: the command reports it
    }
  }
  if (bytes >= QUICK_TIERS_MIN_INPUT_BYTES && bytes < QUICK_TIERS_MAX_INPUT_BYTES) await io.preferQuickTiers();
}
