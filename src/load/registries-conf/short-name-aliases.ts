/**
 * The machine-generated short-name alias cache, `short-name-aliases.conf` (upstream shortnames.go
 * `loadShortNameAliasConf` + `newShortNameAliasCache`), and how an alias value is printed.
 */
import type { SourceFile } from "../../source/source-file.js";
import { referenceString } from "../../reference/docker-reference.js";
import type { ShortNameAlias } from "../../registries/types.js";
import { goQuote } from "../../util/go-quote.js";
import type { LoadResult } from "../result.js";
import { REGISTRIES_CONF_CODES } from "./codes.js";
import { toDiagnostics, type Problem } from "./problem.js";
import { ConfDecoder, isTable } from "./toml-decode.js";
import { goTomlRefusalDiagnostic, parseTomlText } from "./toml-parse.js";
import { parseShortNameValue, validateShortName } from "./values.js";

/** The string form of an alias value (for messages). */
export function aliasValueString(a: ShortNameAlias): string {
  return a.value ? referenceString(a.value) : "";
}

/**
 * Load the machine-generated short-name alias cache (`short-name-aliases.conf`; upstream
 * `loadShortNameAliasConf` + `newShortNameAliasCache`). A missing file is an empty cache (callers decide).
 */
export function loadShortNameAliasCache(source: SourceFile): LoadResult<Map<string, ShortNameAlias>> {
  const wrap = (m: string) => `loading short-name aliases config file ${goQuote(source.path)}: ${m}`;
  const parsed = parseTomlText(source.text);
  if ("error" in parsed) {
    const e = parsed.error;
    const offset = source.offset({ line: e.line, column: e.column });
    return {
      diagnostics: [
        { code: REGISTRIES_CONF_CODES.tomlSyntax, severity: "error", message: `TOML syntax error: ${e.message.split("\n")[0]}`, span: source.span(offset, offset) },
      ],
    };
  }
  if ("refusal" in parsed) {
    const d = goTomlRefusalDiagnostic(source, parsed.refusal);
    return { diagnostics: [{ ...d, upstreamMessage: wrap(parsed.refusal.message) }] };
  }
  const doc = parsed.doc;
  const dec = new ConfDecoder(source);
  const out = new Map<string, ShortNameAlias>();
  const f = dec.fields(doc, ["aliases"], "", undefined, undefined);
  const problems: Problem[] = dec.problems.filter((p) => p.severity === "error");
  const al = f.get("aliases");
  if (al) {
    if (!isTable(al.value)) {
      dec.badType([al.key], al.value, "map", undefined, "'aliases' must be a table.");
    } else {
      for (const [name, value] of Object.entries(al.value)) {
        if (typeof value !== "string") {
          dec.badType([al.key, name], value, "string", undefined, `Alias '${name}' must be a string.`);
          continue;
        }
        const nameErr = validateShortName(name);
        if (nameErr) problems.push({ code: REGISTRIES_CONF_CODES.badAlias, severity: "error", message: `Alias name '${name}' must be a short name.`, go: nameErr });
        if (value === "") {
          out.set(name, { name, value: null, valueText: "", file: source.path });
          continue;
        }
        const v = parseShortNameValue(value);
        if (!v.ok) problems.push({ code: REGISTRIES_CONF_CODES.badAlias, severity: "error", message: `Alias '${name}' is invalid: ${v.error}`, go: v.error });
        else out.set(name, { name, value: v.ref, valueText: value, file: source.path });
      }
    }
  }
  problems.unshift(...dec.problems.filter((p) => p.severity === "error" && !problems.includes(p)));
  const diagnostics = toDiagnostics(problems, wrap);
  return diagnostics.some((d) => d.severity === "error") ? { diagnostics } : { value: out, diagnostics };
}
