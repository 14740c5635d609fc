/**
 * `simulate`'s start-up (reading the policy, its checks, the scope index) without V8's optimising compiler, which
 * comes back for the streaming loop.
 *
 * The start-up is run-once code over a large input: nothing in it is called often enough to repay TurboFan, whose
 * compile jobs build their graphs in fresh memory on background threads (on the 2-core benchmark machine a first touch
 * of a page costs ~20 µs). The decision loop over 100,000 references is the opposite: it needs the optimised code.
 * So the optimising tier is off (`--max-opt=2`, which also turns `--turbofan` off) until the loop starts, then back
 * at V8's defaults (`--max-opt=999 --turbofan`); V8 reads both where it decides to tier up, so a function hot in the
 * loop is optimised as before. Measured (simulate of one reference, 10,000-scope policy): see the README.
 *
 * Left alone when the user tunes the compiler themselves (node flags or NODE_OPTIONS naming it): restoring "the
 * defaults" would override them.
 */
import type { CliIo } from "./io.js";

/** Flags that mean the user chose the compiler's tiers: then the phase changes nothing. */
const COMPILER_FLAGS = /--(?:no-)?(?:max-opt|turbofan|opt|jitless|maglev|sparkplug|always-sparkplug|always-turbofan|always-opt)\b/;

/** Starts the load phase; the function returned ends it (call it before the streaming loop; again is harmless). */
export async function policyLoadPhase(io: CliIo): Promise<() => Promise<void>> {
  const set = io.setV8Flags;
  if (set === undefined || userTunesCompiler(io)) return async () => {};
  await set("--max-opt=2");
  let ended = false;
  return async () => {
    if (ended) return;
    ended = true;
    await set("--max-opt=999 --turbofan");
  };
}

function userTunesCompiler(io: CliIo): boolean {
  return COMPILER_FLAGS.test(process.execArgv.join(" ")) || COMPILER_FLAGS.test(io.env.NODE_OPTIONS ?? "");
}
