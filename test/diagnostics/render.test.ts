import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { renderDiagnosticGithub, renderDiagnosticsGithub } from "../../src/diagnostics/render-github.js";
import { diagnosticToJson, renderJsonReport } from "../../src/diagnostics/render-json.js";
import { codeFrame, renderDiagnosticsText, summarizeCounts, type TextStyles } from "../../src/diagnostics/render-text.js";
import { SourceFile } from "../../src/source/source-file.js";
import { expectGolden } from "../cli/helpers.js";

const text = [
  "{",
  '  "default": [{"type": "signedBy", "keypath": "/k"}],',
  '  "transports": {',
  '\t"docker": {"busybox": [',
  '      {"type": "reject"}]}',
  "  }",
  "}",
].join("\n");
const src = new SourceFile("policy.json", text);
const at = (needle: string, len = needle.length) => {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(needle);
  return src.span(i, i + len);
};
const longLine = "x".repeat(300) + '"needle"' + "y".repeat(300);
const longSrc = new SourceFile("long.json", longLine);
const binSrc = new SourceFile("bin.json", 'ab\u0000cd\u001b[31mred');
const sources = new Map([
  ["policy.json", src],
  ["long.json", longSrc],
  ["bin.json", binSrc],
]);
const getSource = (f: string) => sources.get(f);

const DIAGS: Diagnostic[] = [
  {
    code: "IT1101",
    severity: "error",
    message: 'Unknown key "keypath". Did you mean "keyPath"?',
    span: at('"keypath"'),
    hint: 'Write "keyPath".',
    upstreamMessage: 'Unknown key "keypath"',
  },
  {
    code: "IT4002",
    severity: "warning",
    message: "Scope 'busybox' of transport 'docker' can never match an image.",
    span: at('"busybox"'),
    related: [{ message: "the transport section", span: at('"docker"') }],
  },
  { code: "IT4001", severity: "info", message: "A multi-line span.", span: src.span(text.indexOf('"busybox"'), text.indexOf("}]}")) },
  { code: "IT9001", severity: "error", message: "No such file: missing.json.", file: "missing.json" },
  { code: "IT9900", severity: "warning", message: "Empty span at the end.", span: src.span(text.length, text.length) },
  { code: "IT1000" as Diagnostic["code"], severity: "error", message: "Long line.", span: longSrc.span(300, 308) },
  { code: "IT9004", severity: "error", message: "Control characters\nin text.", span: binSrc.span(2, 3) },
];

const TAGS: TextStyles = {
  error: (s) => `<E>${s}</E>`,
  warning: (s) => `<W>${s}</W>`,
  info: (s) => `<I>${s}</I>`,
  dim: (s) => `<d>${s}</d>`,
  location: (s) => `<l>${s}</l>`,
  hint: (s) => `<h>${s}</h>`,
};

describe("text renderer", () => {
  it("renders location, severity, code, message, frame with carets, hint, upstream, related (golden)", () => {
    expectGolden("diagnostics/render.txt", renderDiagnosticsText(DIAGS, { getSource }));
  });
  it("applies injected styles (golden)", () => {
    expectGolden("diagnostics/render-styled.txt", renderDiagnosticsText(DIAGS.slice(0, 2), { getSource, styles: TAGS }));
  });
  it("puts carets exactly under the span, tabs expanded", () => {
    const frame = codeFrame(src, at('"busybox"'));
    expect(frame[0]).toBe(' 4 |     "docker": {"busybox": [');
    expect(frame[1]).toBe("   |                ^^^^^^^^^");
    expect(frame[1].indexOf("^")).toBe(frame[0].indexOf('"busybox"'));
  });
  it("windows long lines around the span", () => {
    const frame = codeFrame(longSrc, longSrc.span(300, 308));
    expect(frame[0].length).toBeLessThan(140);
    const caret = frame[1].indexOf("^");
    expect(frame[0].slice(caret, caret + 8)).toBe('"needle"');
    expect(frame[1].match(/\^+/)![0]).toHaveLength(8);
    expect(frame[0]).toMatch(/^ 1 \| …x+"needle"y+…$/);
  });
  it("never lets control characters through", () => {
    const out = renderDiagnosticsText([DIAGS[6]], { getSource });
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(out).toContain("\u2400");
  });
  it("without a source prints the location line only", () => {
    expect(renderDiagnosticsText([DIAGS[0]], {})).toBe(
      'policy.json error IT1101 Unknown key "keypath". Did you mean "keyPath"?\n  hint: Write "keyPath".\n  containers/image: Unknown key "keypath"\n  see: imagetrust explain IT1101\n',
    );
  });
  it("summarizes counts", () => {
    expect(summarizeCounts(DIAGS)).toBe("4 errors, 2 warnings, 1 info");
    expect(summarizeCounts([])).toBe("no problems");
  });
});

describe("JSON renderer", () => {
  it("renders the validate shape (golden)", () => {
    expectGolden(
      "diagnostics/render.json",
      renderJsonReport(
        [
          { file: "policy.json", valid: false, diagnostics: DIAGS.slice(0, 3) },
          { file: "missing.json", valid: false, diagnostics: [DIAGS[3]] },
        ],
        { getSource, ruleName: (c) => (c === "IT4002" ? "never-matching-scope" : undefined) },
      ),
    );
  });
  it("uses 1-based lines/columns with an exclusive end, null without a location", () => {
    const j = diagnosticToJson(DIAGS[0], "policy.json", { getSource });
    expect(j).toMatchObject({ line: 2, column: 36, endLine: 2, endColumn: 45, upstreamMessage: 'Unknown key "keypath"' });
    expect(j.file).toBeUndefined();
    const n = diagnosticToJson(DIAGS[3], "missing.json", { getSource });
    expect([n.line, n.column, n.endLine, n.endColumn]).toEqual([null, null, null, null]);
    expect("upstreamMessage" in n).toBe(false);
  });
});

describe("GitHub renderer", () => {
  it("emits workflow commands with escaped properties and data (golden)", () => {
    expectGolden("diagnostics/render-github.txt", renderDiagnosticsGithub(DIAGS, { getSource }));
  });
  it("escapes %, newlines, ':' and ',' as the Actions toolkit does", () => {
    const line = renderDiagnosticGithub({ code: "IT1" as Diagnostic["code"], severity: "warning", message: "100% a\nb", file: "a,b:c.json" });
    expect(line).toBe("::warning file=a%2Cb%3Ac.json,title=IT1::100%25 a%0Ab\n");
  });
});
