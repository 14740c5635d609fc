/** Keeps diagnostics readable when they quote hostile input (a 1 MB name must not become a 1 MB message). */
import type { Diagnostic } from "./diagnostic.js";

/** Shorten every run of more than 240 non-space characters in a message to its two ends. */
export function elideLongRuns(message: string): string {
  return message.length <= 240 ? message : message.replace(/\S{241,}/g, (run) => `${run.slice(0, 100)}…(${run.length - 200} more characters)…${run.slice(-100)}`);
}

/** Apply `elideLongRuns` to every message, hint and related message, in place; returns the same array. */
export function elideDiagnosticMessages(diagnostics: Diagnostic[]): Diagnostic[] {
  for (const d of diagnostics) {
    d.message = elideLongRuns(d.message);
    if (d.hint !== undefined) d.hint = elideLongRuns(d.hint);
    if (d.upstreamMessage !== undefined) d.upstreamMessage = elideLongRuns(d.upstreamMessage);
    for (const rel of d.related ?? []) rel.message = elideLongRuns(rel.message);
  }
  return diagnostics;
}
