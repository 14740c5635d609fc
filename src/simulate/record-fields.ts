/**
 * The top-level fields of a `simulate` record (json / jsonl), in the order records have them, and those only
 * `--explain` (or a `--fields` selection) adds. One home for the CLI's projection (src/cli/simulate-output.ts)
 * and the bulk writer (fast-record.ts).
 */
export const RECORD_FIELDS = [
  "ref",
  "error",
  "transport",
  "identity",
  "namespacesTried",
  "scope",
  "verdict",
  "upstreamError",
  "requirements",
  "reasons",
  "signatureLookup",
  "trail",
  "warnings",
  "imageName",
  "dockerReference",
  "resolution",
  "candidates",
  "pullSources",
  "signatures",
] as const;

/** The fields only `--explain` (or `--fields`) adds: the step-by-step trail and the normalized names. */
export const EXPLAIN_ONLY_FIELDS: ReadonlySet<string> = new Set(["trail", "imageName", "dockerReference"]);
