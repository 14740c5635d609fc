/**
 * registries.d text → its first YAML document, or the syntax errors libyaml would report (with go-yaml's text as
 * `upstreamMessage`): the size cap, libyaml's reader refusing control characters, parse errors, unknown anchors,
 * extra documents (ignored upstream) and alias bombs. ghodss/yaml (v2) wraps every text in "error converting YAML
 * to JSON: "; yaml.v3 does not.
 */
import { parseAllDocuments, visit, type Document } from "yaml";
import { collapseDeepNesting, GO_YAML_MAX_DEPTH } from "./deep-nesting.js";
import type { SourceFile } from "../../source/source-file.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { excessiveAliasing } from "./alias-bomb.js";
import { MAX_REGISTRIES_D_LENGTH, REGISTRIES_D_CODES } from "./codes.js";
import type { Decoder } from "./yaml-scalars.js";

/**
 * The offset of the first character libyaml's reader refuses ("control characters are not allowed",
 * go-yaml readerc.go: only TAB, LF, CR, printable ASCII, NEL, U+00A0–U+D7FF, U+E000–U+FFFD and the
 * supplementary planes), or -1. A byte order mark at the start is the encoding's, not content. Lone
 * surrogates cannot come from UTF-8 bytes and are left to the YAML parser.
 */
export function firstYamlControlCharacter(text: string): number {
  // eslint-disable-next-line no-control-regex
  const bad = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]/g;
  bad.lastIndex = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const m = bad.exec(text);
  return m ? m.index : -1;
}

/**
 * Parse the text with the YAML version of the decoder. `first` is the document to decode; `failed` is true when
 * containers/image refuses the file before decoding it (the reason is in `diagnostics`).
 */
export function parseRegistriesDYaml(source: SourceFile, decoder: Decoder): { first?: Document.Parsed; diagnostics: Diagnostic[]; failed: boolean } {
  const diagnostics: Diagnostic[] = [];
  if (source.text.length > MAX_REGISTRIES_D_LENGTH) {
    // The YAML library needs about a second per 2 MB of comments; real files are a few hundred bytes.
    diagnostics.push({
      code: REGISTRIES_D_CODES.tooLarge,
      severity: "error",
      message: `This file is ${(source.text.length / 1048576).toFixed(1)} MB; imagetrust does not read registries.d files larger than ${MAX_REGISTRIES_D_LENGTH / 1048576} MB (containers/image would).`,
      span: source.span(0, 0),
    });
    return { diagnostics, failed: true };
  }
  const control = firstYamlControlCharacter(source.text);
  if (control >= 0) {
    const c = source.text.codePointAt(control)!;
    diagnostics.push({
      code: REGISTRIES_D_CODES.yamlSyntax,
      severity: "error",
      message: `YAML syntax error: the control character U+${c.toString(16).toUpperCase().padStart(4, "0")} is not allowed in a YAML file`,
      span: source.span(control, control + (c > 0xffff ? 2 : 1)),
      upstreamMessage: `parsing ${source.path}: ${decoder === "v2" ? "error converting YAML to JSON: " : ""}yaml: control characters are not allowed`,
    });
    return { diagnostics, failed: true };
  }
  // Deeper than the composer's stack allows: collapsed (nothing the decoder reads is that deep); deeper than go-yaml's
  // limit: its error (src/load/registries-d/deep-nesting.ts).
  const deep = collapseDeepNesting(source.text);
  if (deep.tooDeepAt !== undefined) {
    const at = Math.min(deep.tooDeepAt, source.text.length);
    diagnostics.push({
      code: REGISTRIES_D_CODES.yamlSyntax,
      severity: "error",
      message: `YAML syntax error: nested more than ${GO_YAML_MAX_DEPTH} levels deep`,
      span: source.span(at, Math.min(at + 1, source.text.length)),
      upstreamMessage: `parsing ${source.path}: ${decoder === "v2" ? "error converting YAML to JSON: " : ""}yaml: line ${source.position(at).line}: exceeded max depth of ${GO_YAML_MAX_DEPTH}`,
    });
    return { diagnostics, failed: true };
  }
  const docs = parseAllDocuments(deep.text, { uniqueKeys: false, merge: false, version: decoder === "v2" ? "1.1" : "1.2", strict: false });
  const list = Array.isArray(docs) ? docs : [docs];
  const first = list[0];
  const syntax: Array<{ code?: string; message: string; start: number; end: number; libyaml?: string }> = [];
  if (first) {
    const clean = (m: string) => m.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    for (const e of first.errors) syntax.push({ code: e.code, message: clean(e.message), start: e.pos[0], end: e.pos[1] });
    for (const w of first.warnings) {
      // libyaml knows only %YAML and %TAG.
      if (w.code === "BAD_DIRECTIVE") syntax.push({ message: clean(w.message), start: w.pos[0], end: w.pos[1], libyaml: "found unknown directive name" });
    }
    if (syntax.length === 0) {
      visit(first, {
        Alias(_, node) {
          if (node.resolve(first) === undefined) {
            const r = node.range ?? [0, 0];
            syntax.push({ message: `Unknown anchor '${node.source}'`, start: r[0], end: r[1], libyaml: `unknown anchor '${node.source}' referenced` });
          }
        },
      });
    }
  }
  if (syntax.length > 0) {
    for (const e of syntax) {
      const line = source.position(e.start).line;
      // libyaml's wording for the errors we can recognise (same line); otherwise only the frame is known.
      const known =
        e.libyaml ??
        (e.code === "BAD_SCALAR_START" || e.code === "TAB_AS_INDENT"
          ? `line ${line}: found character that cannot start any token`
          : e.code === "MISSING_CHAR" && /quote/.test(e.message)
            ? `line ${line}: found unexpected end of stream`
            : `line ${line}: …`);
      diagnostics.push({
        code: REGISTRIES_D_CODES.yamlSyntax,
        severity: "error",
        message: `YAML syntax error: ${e.message}`,
        // yaml reports end-of-stream errors one past the text: clamp to it.
        span: source.span(Math.min(e.start, source.text.length), Math.min(Math.max(e.start, e.end), source.text.length)),
        upstreamMessage:
          diagnostics.length === 0
            ? decoder === "v2"
              ? `parsing ${source.path}: error converting YAML to JSON: yaml: ${known}`
              : `parsing ${source.path}: yaml: ${known}`
            : undefined,
      });
    }
    return { diagnostics, failed: true };
  }
  if (list.length > 1) {
    const r = list[1].range;
    diagnostics.push({
      code: REGISTRIES_D_CODES.extraDocuments,
      severity: "warning",
      message: `Only the first YAML document of a registries.d file is read; ${list.length - 1} more document(s) are ignored.`,
      span: source.span(r ? r[0] : 0, r ? r[1] : 0),
    });
  }
  if (first) {
    const bomb = excessiveAliasing(first, decoder);
    if (bomb !== undefined) {
      diagnostics.push({
        code: REGISTRIES_D_CODES.excessiveAliasing,
        severity: "error",
        message: "YAML aliases expand this file far beyond its size (an alias bomb); containers/image refuses it.",
        span: bomb.alias?.range ? source.span(bomb.alias.range[0], bomb.alias.range[1]) : source.span(0, 0),
        upstreamMessage: `parsing ${source.path}: ${decoder === "v2" ? "error converting YAML to JSON: " : ""}yaml: document contains excessive aliasing`,
      });
      return { diagnostics, failed: true };
    }
  }
  return { first, diagnostics, failed: false };
}
