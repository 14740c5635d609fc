/** YAML text of emitted manifests: deterministic, block style, no line folding. */
import { stringify } from "yaml";

/** One emitted file. */
export interface EmittedFile {
  name: string;
  text: string;
}

/** Enforcement mode: deny, or only report (policy-controller `warn`, Kyverno `Audit`). */
export type Mode = "enforce" | "warn";

/** Several manifests as one multi-document YAML text. */
export function documentsText(docs: readonly object[]): string {
  return docs.map((d) => stringify(d, { lineWidth: 0, blockQuote: "literal", aliasDuplicateObjects: false })).join("---\n");
}
