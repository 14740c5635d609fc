/**
 * Merging a directory's registries.d files as docker/registries_d.go `loadAndMergeConfig` does: `default-docker`
 * and each `docker` scope may be defined by one file only ("defined both in …"); the first conflict stops it.
 */
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { RegistriesDConfig, RegistriesDEntry } from "../../ir/types.js";
import { hasFeature } from "../../ir/versions.js";
import { goQuote } from "../../util/go-quote.js";
import type { LoadResult } from "../result.js";
import { REGISTRIES_D_CODES } from "./codes.js";
import type { RegistriesDFile, RegistriesDLoadOptions } from "./types.js";

/**
 * Merge loaded files in reading order as `loadAndMergeConfig` does: `default-docker` and each `docker` scope
 * may be defined by one file only (errors point at both definitions).
 */
export function mergeRegistriesDFiles(files: readonly RegistriesDFile[], options: RegistriesDLoadOptions = {}): LoadResult<RegistriesDConfig> {
  // Newer releases quote with %q (seen on container-libs main; assumed to come with the 5.31 %q change).
  const q = hasFeature(options.target, "goQuotedErrors") ? goQuote : (s: string) => `"${s}"`;
  const merged: RegistriesDConfig = { docker: [] };
  const diagnostics: Diagnostic[] = [];
  const byScope = new Map<string, RegistriesDEntry>();
  for (const f of files) {
    if (f.defaultDocker) {
      if (merged.defaultDocker) {
        diagnostics.push({
          code: REGISTRIES_D_CODES.defaultDockerTwice,
          severity: "error",
          message: `'default-docker' is defined both in ${merged.defaultDocker.file} and ${f.file}.`,
          span: f.defaultDocker.keyOrigin,
          file: f.file,
          related: merged.defaultDocker.keyOrigin ? [{ message: "first definition", span: merged.defaultDocker.keyOrigin }] : undefined,
          upstreamMessage: `Error parsing signature storage configuration: "default-docker" defined both in ${q(merged.defaultDocker.file)} and ${q(f.file)}`,
        });
      } else merged.defaultDocker = f.defaultDocker;
    }
    for (const e of f.docker) {
      const prev = byScope.get(e.scope);
      if (prev) {
        diagnostics.push({
          code: REGISTRIES_D_CODES.namespaceTwice,
          severity: "error",
          message: `Docker scope '${e.scope}' is defined both in ${prev.file} and ${e.file}.`,
          span: e.keyOrigin,
          file: e.file,
          related: prev.keyOrigin ? [{ message: "first definition", span: prev.keyOrigin }] : undefined,
          upstreamMessage: `Error parsing signature storage configuration: "docker" namespace ${q(e.scope)} defined both in ${q(prev.file)} and ${q(e.file)}`,
        });
      } else {
        byScope.set(e.scope, e);
        merged.docker.push(e);
      }
    }
  }
  // Upstream stops at the first conflict; only the first diagnostic carries its message.
  diagnostics.forEach((d, i) => {
    if (i > 0) delete d.upstreamMessage;
  });
  return diagnostics.length > 0 ? { diagnostics } : { value: merged, diagnostics };
}
