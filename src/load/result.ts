/** The result of loading a file into the IR. */
import type { Diagnostic } from "../diagnostics/diagnostic.js";

/** `value` is present exactly when the runtime would accept the input (no error diagnostics). */
export interface LoadResult<T> {
  value?: T;
  diagnostics: Diagnostic[];
}
