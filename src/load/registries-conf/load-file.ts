/**
 * One registries.conf file, text → IR, as containers/image's `loadConfigFile` (pkg/sysregistriesv2/
 * system_registries_v2.go): TOML decoding, v1/v2 detection and `ConvertToV2`, then `postProcess` and its checks.
 * No file access: the text comes in as a SourceFile.
 */
import type { SourceFile } from "../../source/source-file.js";
import { elideDiagnosticMessages } from "../../diagnostics/elide.js";
import type { Version } from "../../ir/versions.js";
import type { RegistriesConfFile } from "../../registries/types.js";
import type { LoadResult } from "../result.js";
import { REGISTRIES_CONF_CODES } from "./codes.js";
import { confMode, type ConfMode, type DecodedConf } from "./decoded.js";
import { postProcess } from "./post-process.js";
import { toDiagnostics, type Problem } from "./problem.js";
import { ConfDecoder } from "./toml-decode.js";
import { goTomlRefusalDiagnostic, parseTomlText, tomlSyntaxDiagnostic } from "./toml-parse.js";
import { convertV1, nonEmptyV1, nonEmptyV2 } from "./v1.js";

/** Options for one file. */
export interface RegistriesConfFileOptions {
  /** Drop-in files must be v2 (upstream `forceV2`). */
  forceV2?: boolean;
  target?: Version;
}

/**
 * Load one registries.conf file (upstream `loadConfigFile`). `value` is absent exactly when containers/image
 * refuses the file; `upstreamMessage` of the first error is the text upstream returns, unwrapped (callers
 * add `loading registries configuration "<path>": ` — loadRegistriesConf does).
 */
export function loadRegistriesConfFile(source: SourceFile, options: RegistriesConfFileOptions = {}): LoadResult<RegistriesConfFile> {
  const r = loadRegistriesConfFileUnelided(source, options);
  elideDiagnosticMessages(r.diagnostics);
  return r;
}

function loadRegistriesConfFileUnelided(source: SourceFile, options: RegistriesConfFileOptions): LoadResult<RegistriesConfFile> {
  const parsed = parseTomlText(source.text);
  if ("error" in parsed) return { diagnostics: [tomlSyntaxDiagnostic(source, parsed.error)] };
  if ("refusal" in parsed) return { diagnostics: [goTomlRefusalDiagnostic(source, parsed.refusal)] };
  const mode = confMode(options.target);
  const dec = new ConfDecoder(source, mode);
  const decoded = dec.decode(parsed.doc);
  const problems = dec.problems;
  if (problems.some((p) => p.severity === "error")) return { diagnostics: toDiagnostics(problems, (g) => g) };
  const format = resolveFormat(decoded, problems, mode, options.forceV2 === true);
  if (!format) return { diagnostics: toDiagnostics(problems, (g) => g) };
  const value = postProcess(source.path, { ...format.conf, additionalLayerStoreAuthHelper: decoded.additionalLayerStoreAuthHelper }, problems, mode);
  value.v1 = format.v1;
  const diagnostics = toDiagnostics(problems, (g) => g);
  if (diagnostics.some((x) => x.severity === "error")) return { diagnostics };
  return { value, diagnostics };
}

/**
 * `loadConfigFile`'s format decision: a non-empty v1 table is refused in drop-ins (`forceV2`) and next to v2
 * settings, else converted (`ConvertToV2`). Undefined when the file is refused (the reason is in `problems`).
 */
function resolveFormat(decoded: DecodedConf, problems: Problem[], mode: ConfMode, forceV2: boolean): { conf: DecodedConf; v1: boolean } | undefined {
  if (!nonEmptyV1(decoded, mode)) return { conf: decoded, v1: false };
  if (forceV2) {
    problems.push({ code: REGISTRIES_CONF_CODES.v1InDropIn, severity: "error", message: "Drop-in files must use the v2 format ([[registry]] tables).", go: "registry must be in v2 format but is in v1", span: decoded.v1?.span });
    return undefined;
  }
  if (nonEmptyV2(decoded, mode)) {
    // The newest releases append a Go %#v dump of the whole decoded file, not reproduced here.
    const go = mode === "newest" ? "mixing sysregistry v1/v2 is not supported: …" : "mixing sysregistry v1/v2 is not supported";
    problems.push({ code: REGISTRIES_CONF_CODES.mixedV1V2, severity: "error", message: "The v1 [registries.*] tables and v2 settings cannot be mixed in one file.", go, span: decoded.v1?.span });
    return undefined;
  }
  problems.push({
    code: REGISTRIES_CONF_CODES.v1Format,
    severity: "warning",
    message: "This is the deprecated v1 format ([registries.search]/[registries.insecure]/[registries.block]); it is converted, but drop-in files may not use it. Prefer v2: unqualified-search-registries and [[registry]] tables.",
    span: decoded.v1?.span,
  });
  const c = convertV1(decoded, problems);
  return c ? { conf: c, v1: true } : undefined;
}
