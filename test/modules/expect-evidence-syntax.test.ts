/**
 * issue 16: the syntax of `expect … with signatures "DIR" [manifest "FILE"] [because CODE|"text"]` — parse, lowering,
 * fmt (canonical, idempotent, comments kept), print → compile round trip, the checker's findings, `manifest` a
 * contextual keyword, and the compiled output unchanged by expectations (they are never emitted).
 */
import { describe, expect, it } from "vitest";
import { compileTrustSource } from "../../src/check/compile-source.js";
import { emitPolicyJson } from "../../src/emit/policy-json.js";
import { normalizeTrustModel } from "../../src/print/normalize-model.js";
import { formatTrustSource } from "../../src/print/format.js";
import { printTrustModel } from "../../src/print/trust-printer.js";
import { SourceFile } from "../../src/source/source-file.js";
import { parseTrust } from "../../src/syntax/parse.js";
import type { ExpectDecl } from "../../src/syntax/ast.js";

const HEAD = 'key k gpg file "/k.gpg"\ndefault reject\ndocker { "example.com/app" signed by k }\n';
const compile = (text: string) => compileTrustSource(new SourceFile("s.trust", text), { checkKeyFiles: false });

describe("expect … with signatures … because …", () => {
  it("parses the clauses and lowers them to the IR as written", () => {
    const text =
      HEAD +
      'expect allow "docker://example.com/app:v1" with signatures "ev/a" manifest "ev/a/m.json"\n' +
      'expect deny "docker://example.com/app:v1" by "example.com/app" with signatures "ev/b" because IT5801\n' +
      'expect deny "docker://example.com/app:v1" because "no signature exists"\n';
    const ast = parseTrust(new SourceFile("s.trust", text));
    expect(ast.diagnostics).toEqual([]);
    const [a, b, c] = ast.ast!.statements.filter((s): s is ExpectDecl => s.type === "expect");
    expect([a.evidence?.signatures.value, a.evidence?.manifest?.value, a.because]).toEqual(["ev/a", "ev/a/m.json", undefined]);
    expect(b.scope?.value).toBe("example.com/app");
    expect(b.because).toMatchObject({ kind: "code", code: { name: "IT5801" } });
    expect(text.slice(b.span.start, b.span.end)).toBe('expect deny "docker://example.com/app:v1" by "example.com/app" with signatures "ev/b" because IT5801');
    expect(c.because).toMatchObject({ kind: "text", text: { value: "no signature exists" } });
    const r = compile(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.value!.expectations.map(({ origin: _o, ...e }) => e)).toEqual([
      { verdict: "allow", reference: "docker://example.com/app:v1", evidence: { signatures: "ev/a", manifest: "ev/a/m.json" } },
      { verdict: "deny", reference: "docker://example.com/app:v1", scope: "example.com/app", evidence: { signatures: "ev/b" }, because: { code: "IT5801" } },
      { verdict: "deny", reference: "docker://example.com/app:v1", because: { text: "no signature exists" } },
    ]);
  });

  it("compiles to the same policy.json as without the clauses (expectations are never emitted)", () => {
    const plain = compile(HEAD + 'expect deny "docker://example.com/app:v1"\n').value!;
    const withEvidence = compile(HEAD + 'expect deny "docker://example.com/app:v1" with signatures "ev" because IT5803\n').value!;
    expect(emitPolicyJson(withEvidence.policy)).toEqual(emitPolicyJson(plain.policy));
  });

  it("fmt lays the clauses out on the expect line, keeps comments, and is idempotent", () => {
    const messy =
      HEAD +
      'expect   allow "docker://example.com/app:v1"   with   signatures "ev/a"\n' +
      '   manifest   "ev/a/m.json"  # the release build\n' +
      'profile p {\nexpect deny "docker://example.com/app:v1" with signatures "ev/b"  because   IT5803\n}\n';
    const out = formatTrustSource(new SourceFile("s.trust", messy));
    expect(out.diagnostics).toEqual([]);
    expect(out.text).toBe(
      HEAD.replace("docker {", "docker {").replace('docker { "example.com/app" signed by k }', 'docker {\n  "example.com/app"  signed by k\n}') +
        'expect allow "docker://example.com/app:v1" with signatures "ev/a" manifest "ev/a/m.json"  # the release build\n' +
        'profile p {\n  expect deny  "docker://example.com/app:v1" with signatures "ev/b" because IT5803\n}\n',
    );
    expect(formatTrustSource(new SourceFile("s.trust", out.text!)).text).toBe(out.text);
  });

  it("print → compile gives the same model (evidence and because kept, text escaped)", () => {
    const model = compile(
      HEAD +
        'expect allow "docker://example.com/app:v1" with signatures "ev dir/a" manifest "m.json"\n' +
        'expect deny "docker://example.com/app:v1" with signatures "ev" because IT5802\n' +
        'expect deny "docker://example.com/app:v1" because "quote \\" here"\n',
    ).value!;
    const printed = printTrustModel(model);
    expect(printed).toContain('expect allow "docker://example.com/app:v1" with signatures "ev dir/a" manifest "m.json"\n');
    expect(printed).toContain('expect deny  "docker://example.com/app:v1" because "quote \\" here"\n');
    const again = compile(printed);
    expect(again.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(normalizeTrustModel(again.value!)).toEqual(normalizeTrustModel(model));
  });

  it("the checker: because on allow, unknown codes (with did-you-mean), codes no denial carries", () => {
    const r = compile(
      HEAD +
        'expect allow "docker://example.com/app:v1" because IT5803\n' +
        'expect deny "docker://example.com/app:v1" because IT5081\n' +
        'expect deny "docker://example.com/app:v1" because IT2100\n' +
        'expect deny "docker://example.com/app:v1" because tag-moved\n' +
        'expect deny "docker://example.com/app:v1" because IT5806\n' +
        'expect deny "docker://example.com/app:v1" because IT5835\n',
    );
    expect(r.diagnostics.map((d) => d.code)).toEqual(["IT2261", "IT2262", "IT2263", "IT2262"]);
    const [onAllow, unknown, notDenial, word] = r.diagnostics;
    expect([onAllow.message, onAllow.hint]).toEqual(["Only a denial has a reason: `because` belongs to `expect deny`.", "Drop the `because`, or expect `deny`."]);
    expect(unknown.message).toBe("'IT5081' is not a diagnostic code imagetrust emits.");
    expect(unknown.hint).toMatch(/^Did you mean 'IT5801'/); // the closest first
    expect(notDenial.message).toMatch(/^IT2100 \(.+\) is not a code a denial carries/);
    expect(notDenial.hint).toContain('write `because "text"`');
    expect([word.message, word.hint]).toEqual(["'tag-moved' is not a diagnostic code imagetrust emits.", undefined]);
    // Each points at the code as written.
    expect(r.diagnostics.map((d) => d.span!.end - d.span!.start)).toEqual(["because IT5803".length, 6, 6, 9]);
  });

  it("'manifest' is a contextual keyword: still a name where a name is expected", () => {
    const r = compile('level manifest = reject\ndefault manifest\nkey file gpg file "/k"\nexpect deny "docker://x" by "default"\n');
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("a broken clause is one syntax error, the statements after it are read", () => {
    const r = compile(HEAD + 'expect deny "docker://example.com/app:v1" with "ev"\nexpect deny "docker://example.com/app:v2"\n');
    const errors = r.diagnostics.filter((d) => d.severity === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain("signatures");
  });
});
