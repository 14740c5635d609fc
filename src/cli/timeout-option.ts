/** `--timeout DURATION` (verify, simulate --online/--lookaside): the total deadline of one reference's network reads. */
import { parseDuration } from "../verify/limits.js";
import { UsageError } from "./context.js";

/** Milliseconds from a Go duration (`90s`, `1m30s`, `500ms`); undefined when not given; a usage error when malformed or zero. */
export function parseTimeoutOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new UsageError(`invalid --timeout '${text}': expected a positive duration such as 30s, 2m or 1m30s`);
  return ms;
}
