/**
 * Decoded policy.json fields as the constructor rules of src/ir/constraints.ts see them: absent, Go's zero value
 * (`""`, JSON null), an empty list, or set. A field whose value failed to decode counts as set: its own error is
 * already reported, and upstream would have stopped there.
 */
import type { FieldState } from "../ir/constraints.js";
import type { BytesField, StringField } from "./policy-decode.js";

/** A decoded string field. */
export function stringFieldState(f: StringField | undefined): FieldState {
  if (!f) return "absent";
  return f.bad || f.value !== "" ? "set" : "zero";
}

/** A decoded `[]byte` field (JSON null is Go's nil; `""` is empty but non-nil bytes). */
export function bytesFieldState(f: BytesField | undefined): FieldState {
  if (!f) return "absent";
  return f.bad || f.base64 !== undefined ? "set" : "zero";
}

/** A decoded list field (null is nil, `[]` is empty). */
export function listFieldState(f: { bad: boolean; values?: readonly unknown[] } | undefined): FieldState {
  if (!f) return "absent";
  if (f.bad) return "set";
  return f.values === undefined ? "zero" : f.values.length === 0 ? "empty" : "set";
}
