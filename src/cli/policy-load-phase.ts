/**
 * `simulate`'s start-up (reading the policy, its checks, the scope index) as a short run, with V8's optimising compiler
 * and young-generation growth given back for the streaming loop.
 *
 * The start-up is run-once code over a large input: nothing in it is called often enough to repay TurboFan, whose
 * compile jobs build their graphs in fresh memory on background threads (on the 2-core benchmark machine a first touch
 * of a page costs ~20 µs), and the policy's IR survives every scavenge, so a young generation grown meanwhile (to 8 MB
 * semi-spaces for 10,000 scopes) only holds copies of it on their way to the old generation. So the load runs with
 * `--max-opt=2` (which also turns `--turbofan` off) and `--semi-space-growth-factor=1` (set while V8 runs, it keeps the
 * young generation at its first size; given on the command line it does not). The decision loop over 100,000
 * references is the opposite: it needs optimised code and the young generation up to the cap the executable's launcher
 * gives node (2 MB semi-spaces, scripts/build-bundle.mjs NODE_FLAGS). So before the loop TurboFan is back at V8's
 * defaults (`--max-opt=999 --turbofan`: V8 reads them where it decides to tier up, so a function hot in the loop is
 * optimised as before) and the young generation grows from its first size to its cap in one step
 * (`--semi-space-growth-factor=8`; measured when the cap was 16 MB: with V8's default 2 the 100,000-reference run paid
 * ~400 page faults more). Measured: see the README.
 *
 * Left alone when the user tunes these themselves (node flags or NODE_OPTIONS naming them): setting "the defaults"
 * back would override them.
 */
import type { CliIo } from "./io.js";
import { SHORT_RUN_V8_FLAGS } from "./short-run.js";

/** The load phase: a short run's (baseline code only, a young generation kept at its first size). */
const LOAD_FLAGS = SHORT_RUN_V8_FLAGS;
/** The streaming loop: TurboFan as V8's defaults have it, the young generation straight to its cap at its next growth. */
const LOOP_FLAGS = "--max-opt=999 --turbofan --semi-space-growth-factor=8";

/** Flags that mean the user chose the compiler's tiers or the young generation's growth: then the phase does nothing. */
const COMPILER_FLAGS = /--(?:no-)?(?:max-opt|turbofan|opt|jitless|maglev|sparkplug|always-sparkplug|always-turbofan|always-opt|semi-space-growth-factor)\b/;

/** Starts the load phase; the function returned ends it (call it before the streaming loop; again is harmless). */
export async function policyLoadPhase(io: CliIo): Promise<() => Promise<void>> {
  const set = io.setV8Flags;
  if (set === undefined || userTunesCompiler(io)) return async () => {};
  await set(LOAD_FLAGS);
  let ended = false;
  return async () => {
    if (ended) return;
    ended = true;
    await set(LOOP_FLAGS);
  };
}

function userTunesCompiler(io: CliIo): boolean {
  return COMPILER_FLAGS.test(process.execArgv.join(" ")) || COMPILER_FLAGS.test(io.env.NODE_OPTIONS ?? "");
}
