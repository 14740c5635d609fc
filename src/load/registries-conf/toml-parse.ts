/**
 * TOML text → document (smol-toml, integers as bigint as BurntSushi/toml keeps int64), and a syntax error as a
 * diagnostic. A duplicate key gets BurntSushi's own error text, which is what containers/image returns for it.
 */
import { parse as parseToml, TomlError } from "smol-toml";
import type { SourceFile } from "../../source/source-file.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { goQuote } from "../../util/go-quote.js";
import { REGISTRIES_CONF_CODES } from "./codes.js";
import type { TomlValue } from "./toml-decode.js";
import { scanToml } from "./toml-scan.js";

/** The parsed document, or the TomlError smol-toml threw (any other exception propagates). */
export function parseTomlText(text: string): { doc: Record<string, TomlValue> } | { error: TomlError } {
  try {
    return { doc: parseToml(text, { integersAsBigInt: true }) as Record<string, TomlValue> };
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    return { error: e };
  }
}

/** The duplicate-key message of BurntSushi/toml for the key on a line, when the scan can name it. */
function duplicateKeyMessage(source: SourceFile, line: number): string | undefined {
  for (const t of scanToml(source)) {
    for (const k of t.keys) {
      if (k.line === line) return `toml: line ${line} (last key ${goQuote(k.path)}): Key '${k.path}' has already been defined.`;
    }
  }
  return undefined;
}

/** A registries.conf syntax error (IT1400; IT1426 with upstream's text for a key defined twice). */
export function tomlSyntaxDiagnostic(source: SourceFile, e: TomlError): Diagnostic {
  const offset = source.offset({ line: e.line, column: e.column });
  const firstLine = e.message.split("\n")[0].replace(/^Invalid TOML document: /, "");
  const dup = /already defined/.test(firstLine) ? duplicateKeyMessage(source, e.line) : undefined;
  return {
    code: dup ? REGISTRIES_CONF_CODES.duplicateKey : REGISTRIES_CONF_CODES.tomlSyntax,
    severity: "error",
    message: `TOML syntax error: ${firstLine}`,
    span: source.span(offset, offset),
    upstreamMessage: dup,
  };
}
