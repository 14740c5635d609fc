/**
 * Which policy scope of a transport section selects an image reference: the lookup order of
 * containers/image `PolicyContext.requirementsForImageRef` (signature/policy_eval.go), without the
 * requirements themselves (the simulator owns those).
 */
import type { ImageReference } from "./image-reference-types.js";

/** How a scope was selected: the identity, a parent namespace, or the transport's `""` default. */
export type ScopeMatchKind = "identity" | "namespace" | "transport-default";

/** The winning scope key and why it won. */
export interface ScopeMatch {
  scope: string;
  kind: ScopeMatchKind;
}

/**
 * The key of `scopes` (one transport's section of policy.json) that upstream would use for `ref`:
 * exact identity, else the first namespace present, else `""`; undefined means "fall back to the
 * global default". Scope strings are compared exactly, never normalised.
 */
export function matchScope(ref: ImageReference, scopes: { has(key: string): boolean }): ScopeMatch | undefined {
  if (scopes.has(ref.identity)) return { scope: ref.identity, kind: ref.identity === "" ? "transport-default" : "identity" };
  for (const ns of ref.namespaces) {
    if (scopes.has(ns)) return { scope: ns, kind: "namespace" };
  }
  if (scopes.has("")) return { scope: "", kind: "transport-default" };
  return undefined;
}
