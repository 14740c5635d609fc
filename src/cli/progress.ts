/**
 * A progress line on stderr for long runs (`simulate --refs` over a fleet): references done, rate and, when the
 * input's size is known, the share read and an ETA. Drawn only when stderr is a terminal and `--quiet` is not given,
 * first after a second (short runs print nothing), redrawn at most five times a second, and erased at the end so
 * the terminal is left as the output made it.
 */
import type { CliIo } from "./io.js";

/** A progress reporter; `tick` is cheap enough to call for every reference. */
export interface Progress {
  tick(done: number): void;
  /** Erase the line (if one was drawn). */
  done(): void;
}

const NONE: Progress = { tick() {}, done() {} };

/** Options of {@link progressLine}. */
export interface ProgressOptions {
  quiet?: boolean;
  /** What is counted ("references"). */
  noun: string;
  /** Bytes of input read so far, and the total when known: gives the share done and the ETA. */
  bytes?: () => { read: number; total?: number };
  /** The clock (milliseconds), a seam for tests; default performance.now. */
  now?: () => number;
}

function seconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.ceil(s - m * 60)).padStart(2, "0")}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/** The progress line of a run, or one that does nothing when stderr is not a terminal or with `quiet`. */
export function progressLine(io: CliIo, options: ProgressOptions): Progress {
  if (options.quiet || io.stderrIsTTY !== true) return NONE;
  const now = options.now ?? (() => performance.now());
  const start = now();
  let next = start + 1000;
  let drawn = false;
  return {
    tick(done) {
      // Look at the clock every 256 references only.
      if ((done & 255) !== 0) return;
      const t = now();
      if (t < next) return;
      next = t + 200;
      const elapsed = (t - start) / 1000;
      const rate = done / elapsed;
      let text = `${options.noun}: ${done.toLocaleString("en")} done, ${Math.round(rate).toLocaleString("en")}/s`;
      const b = options.bytes?.();
      if (b && b.total !== undefined && b.total > 0 && b.read > 0) {
        const share = Math.min(1, b.read / b.total);
        text += `, ${Math.floor(share * 100)}% read, ETA ${seconds((elapsed / share) * (1 - share))}`;
      }
      io.stderr.write(`\r${text}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) io.stderr.write("\r\x1b[K");
      drawn = false;
    },
  };
}
