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
import { goTomlRefusal, type GoTomlRefusal } from "./toml-go-strict.js";
import { scanToml } from "./toml-scan.js";

/**
 * Arrays and inline tables nested this deep are refused (IT1400). BurntSushi/toml has no depth limit (it loads a
 * 2,000-deep array; its stack grows); smol-toml's default (1,000) refused what the runtime loads, and its parser
 * recurses (Node's stack ends near 2,500 nested inline tables), so the limit stays below that.
 */
export const MAX_TOML_DEPTH = 2_048;

/** The parsed document, or the TomlError smol-toml threw, or what BurntSushi/toml refuses that smol-toml accepts. */
export function parseTomlText(text: string): { doc: Record<string, TomlValue> } | { error: TomlError } | { refusal: GoTomlRefusal } {
  let doc: Record<string, TomlValue>;
  try {
    doc = parseToml(text, { integersAsBigInt: true, maxDepth: MAX_TOML_DEPTH }) as Record<string, TomlValue>;
  } catch (e) {
    // A stack overflow below the depth limit (a deep call stack around us): refused as too deep, not a crash.
    if (e instanceof RangeError) return { error: new TomlError(`document contains excessively nested structures. aborting.`, { toml: text, ptr: 0 }) };
    if (!(e instanceof TomlError)) throw e;
    return { error: e };
  }
  const refusal = goTomlRefusal(text);
  return refusal ? { refusal } : { doc };
}

/** A construct containers/image's TOML decoder refuses (IT1400), with its message as upstreamMessage. */
export function goTomlRefusalDiagnostic(source: SourceFile, r: GoTomlRefusal): Diagnostic {
  const offset = source.offset({ line: r.line, column: r.column });
  const what = r.message.replace(/^toml: line \d+(?: \(last key "(?:[^"\\]|\\.)*"\))?: /, "");
  return {
    code: REGISTRIES_CONF_CODES.tomlSyntax,
    severity: "error",
    message: `TOML syntax error (as containers/image's TOML decoder reads it): ${what}`,
    span: source.span(offset, offset),
    upstreamMessage: r.message,
  };
}

/** The duplicate-key message of BurntSushi/toml for the key on a line, when the scan can name it. */
function duplicateKeyMessage(source: SourceFile, line: number): string | undefined {
  for (const t of scanToml(source)) {
    // A [table] defined twice: BurntSushi names the table, without a "last key".
    if (!t.array && t.path !== "" && source.position(t.headerSpan.start).line === line) return `toml: line ${line}: Key '${t.path}' has already been defined.`;
    for (const k of t.keys) {
      if (k.line === line) {
        // A key defined twice inside an inline table: BurntSushi names the inner key (`foo.a`).
        const inner = duplicateInlineKey(source.text.slice(k.valueSpan.start, k.valueSpan.end));
        const p = inner === undefined ? k.path : `${k.path}.${inner}`;
        return `toml: line ${line} (last key ${goQuote(p)}): Key '${p}' has already been defined.`;
      }
    }
  }
  return undefined;
}

/** The first bare key defined twice at the top level of an inline table value (`{a=1, a=2}` → "a"). */
function duplicateInlineKey(value: string): string | undefined {
  const m = /^\{([^{}]*)\}/.exec(value.trim());
  if (!m) return undefined;
  const seen = new Set<string>();
  for (const part of m[1].split(",")) {
    const key = /^\s*([A-Za-z0-9_-]+)\s*=/.exec(part)?.[1];
    if (key === undefined) continue;
    if (seen.has(key)) return key;
    seen.add(key);
  }
  return undefined;
}

/** A registries.conf syntax error (IT1400; IT1426 with upstream's text for a key defined twice). */
export function tomlSyntaxDiagnostic(source: SourceFile, e: TomlError): Diagnostic {
  const offset = source.offset({ line: e.line, column: e.column });
  let firstLine = e.message.split("\n")[0].replace(/^Invalid TOML document: /, "");
  if (/excessively nested/.test(firstLine))
    firstLine = `arrays or inline tables nested more than ${MAX_TOML_DEPTH} levels deep (imagetrust's limit; containers/image has none)`;
  const dup = /already defined/.test(firstLine) ? duplicateKeyMessage(source, e.line) : undefined;
  // A control character: BurntSushi's words for it, from the same scan that finds its other refusals.
  const ctrl = /control character/.test(firstLine) ? goTomlRefusal(source.text) : undefined;
  return {
    code: dup ? REGISTRIES_CONF_CODES.duplicateKey : REGISTRIES_CONF_CODES.tomlSyntax,
    severity: "error",
    message: `TOML syntax error: ${firstLine}`,
    span: source.span(offset, offset),
    upstreamMessage: dup ?? (ctrl && /control characters|NULL bytes/.test(ctrl.message) ? ctrl.message : undefined),
  };
}
