/**
 * One registries.d file, text → IR (upstream: the body of docker/registries_d.go `loadAndMergeConfig`'s loop,
 * `yaml.Unmarshal` into `registryConfiguration`): parse, decode, and the type errors as the target's decoder
 * words them. No file access: the text comes in as a SourceFile.
 */
import type { Node as YamlNode } from "yaml";
import type { SourceFile } from "../../source/source-file.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { elideDiagnosticMessages } from "../../diagnostics/elide.js";
import type { LoadResult } from "../result.js";
import { REGISTRIES_D_CODES } from "./codes.js";
import { FileDecoder } from "./decode.js";
import { refusedMapKey } from "./map-keys.js";
import type { RegistriesDFile, RegistriesDLoadOptions } from "./types.js";
import { parseRegistriesDYaml } from "./yaml-parse.js";
import { decoderFor } from "./yaml-scalars.js";

/**
 * Load one registries.d file (upstream: the body of `loadAndMergeConfig`'s loop, `yaml.Unmarshal` into
 * `registryConfiguration`). `value` is absent exactly when containers/image would refuse the file.
 */
export function loadRegistriesDFile(source: SourceFile, options: RegistriesDLoadOptions = {}): LoadResult<RegistriesDFile> {
  return elideDiagnostics(loadRegistriesDFileUnelided(source, options));
}

/** A LoadResult with `elideLongRuns` applied to every message, hint and related message. */
export function elideDiagnostics<T>(r: LoadResult<T>): LoadResult<T> {
  elideDiagnosticMessages(r.diagnostics);
  return r;
}

function loadRegistriesDFileUnelided(source: SourceFile, options: RegistriesDLoadOptions): LoadResult<RegistriesDFile> {
  const decoder = decoderFor(options.target);
  const parsed = parseRegistriesDYaml(source, decoder);
  const diagnostics = parsed.diagnostics;
  if (parsed.failed) return { diagnostics };
  const first = parsed.first;
  const refused = refusedMapKey(source, first, decoder);
  if (refused) return { diagnostics: [...diagnostics, refused] };
  const fd = new FileDecoder(source, decoder, options.target, first);
  const value = fd.decode((first?.contents as YamlNode | null | undefined) ?? null);
  diagnostics.push(...fd.diagnostics);
  if (fd.problems.length > 0) {
    const problems = [...fd.problems];
    // ghodss/yaml returns encoding/json's first error in its decoding order; yaml.v3 lists them all.
    let upstream: string;
    if (decoder === "v2") {
      const firstProblem = [...problems].sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0))[0];
      upstream = `parsing ${source.path}: error unmarshaling JSON: while decoding JSON: ${firstProblem.goText}`;
    } else {
      upstream = `parsing ${source.path}: yaml: unmarshal errors:\n  ${problems.map((p) => p.goText).join("\n  ")}`;
    }
    problems.forEach((p, i) => {
      diagnostics.push({
        code: p.goText.includes("already defined") ? REGISTRIES_D_CODES.duplicateKey : REGISTRIES_D_CODES.typeError,
        severity: "error",
        message: p.message,
        span: p.span,
        upstreamMessage: i === 0 ? upstream : undefined,
      });
    });
    return { diagnostics: byPosition(diagnostics) };
  }
  return { value, diagnostics: byPosition(diagnostics) };
}

/** Diagnostics in file order (stable for equal positions). */
function byPosition(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => [d, i] as const)
    .sort((a, b) => (a[0].span?.start ?? -1) - (b[0].span?.start ?? -1) || a[1] - b[1])
    .map(([d]) => d);
}
