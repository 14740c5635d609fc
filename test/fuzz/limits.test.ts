/**
 * Hostile sizes and shapes (issue 7): YAML alias bombs, 10,000-deep nesting, 100 MB inputs and 1 MB lines.
 * Each front end must answer within a time bound, without growing the heap out of proportion to the input,
 * with a clear coded diagnostic (and rendering that diagnostic must not print the whole 1 MB line).
 */
import { describe, expect, it } from "vitest";
import { compileTrustSource } from "../../src/check/compile-source.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { renderDiagnosticText } from "../../src/diagnostics/render-text.js";
import { parseVersion } from "../../src/ir/versions.js";
import { loadPolicyJson } from "../../src/load/policy-json.js";
import { loadRegistriesConfFile } from "../../src/load/registries-conf/index.js";
import { loadRegistriesDFile } from "../../src/load/registries-d/index.js";
import type { LoadResult } from "../../src/load/result.js";
import { SourceFile } from "../../src/source/source-file.js";
import { loadResultViolation } from "./support.js";

const MB = 1024 * 1024;
const T523 = parseVersion("5.23")!;

/** Run one load, measure time and heap growth, check the LoadResult contract. */
function measure<T>(file: string, text: string, load: (s: SourceFile) => LoadResult<T>, maxMs: number, maxHeapFactor = 20): { r: LoadResult<T>; ms: number; heapMB: number } {
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const r = load(new SourceFile(file, text));
  const ms = performance.now() - t0;
  const heapMB = (process.memoryUsage().heapUsed - before) / MB;
  expect(loadResultViolation(text, file, r)).toBeUndefined();
  expect(ms, `${file}: ${ms.toFixed(0)} ms`).toBeLessThan(maxMs);
  // Retained heap (the result, not transient garbage) stays within a multiple of the input size (+ 64 MB slack).
  expect(heapMB, `${file}: heap grew ${heapMB.toFixed(0)} MB`).toBeLessThan((text.length / MB) * maxHeapFactor + 64);
  return { r, ms, heapMB };
}

const errors = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === "error");

describe("YAML alias bombs", () => {
  // Nine levels of nine aliases: 9^9 ≈ 387 million nodes if expanded.
  const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < 9; i++) {
    const p = String.fromCharCode(97 + i - 1);
    levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${p}`).join(", ")}]`);
  }
  const bomb = `${levels.join("\n")}\ndocker:\n  quay.io:\n    lookaside: *i\n`;
  const bombInDocker = `docker:\n  ${levels.join("\n  ")}\n`;
  const mergeBomb = `x0: &x0 {lookaside: "https://a.example"}\n${Array.from({ length: 30 }, (_, i) => `x${i + 1}: &x${i + 1} {<<: [*x${i}, *x${i}], k${i}: v}`).join("\n")}\ndocker:\n  quay.io:\n    <<: *x30\n`;
  for (const [name, text] of [["top-level bomb", bomb], ["bomb inside docker", bombInDocker], ["merge-key bomb", mergeBomb]] as const) {
    for (const target of [undefined, T523]) {
      it(`${name} (${target ? "5.23" : "newest"}): bounded, with an error`, () => {
        const { r } = measure("bomb.yaml", text, (s) => loadRegistriesDFile(s, { target }), 2000);
        expect(errors(r.diagnostics).length + (r.value ? 0 : 1)).toBeGreaterThan(0);
      });
    }
  }
});

describe("10,000-deep nesting", () => {
  it("policy.json: Go's depth limit, reported at the offending bracket", () => {
    const deep = "[".repeat(10_001) + "]".repeat(10_001);
    const { r } = measure("deep.json", `{"default": ${deep}}`, (s) => loadPolicyJson(s), 2000);
    expect(r.value).toBeUndefined();
    expect(errors(r.diagnostics)[0].message + (errors(r.diagnostics)[0].upstreamMessage ?? "")).toMatch(/depth/);
  });
  it("policy.json: 9,990 deep in an unknown field is a coded error, not a stack overflow", () => {
    const deep = '{"a":'.repeat(9_990) + "1" + "}".repeat(9_990);
    const { r } = measure("deep.json", `{"default": [{"type": "reject"}], "x": ${deep}}`, (s) => loadPolicyJson(s), 2000);
    expect(r.value).toBeUndefined();
  });
  it("registries.d: 10,000 nested flow sequences", () => {
    const text = `docker:\n  quay.io:\n    lookaside: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`;
    const { r } = measure("deep.yaml", text, (s) => loadRegistriesDFile(s), 5000);
    expect(errors(r.diagnostics).length).toBeGreaterThan(0);
  });
  it("registries.d: 10,000 nested block mappings", () => {
    const text = Array.from({ length: 10_000 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n") + " v\n";
    measure("deep.yaml", text, (s) => loadRegistriesDFile(s), 5000);
  });
  it("registries.conf: 10,000 nested arrays", () => {
    const text = `unqualified-search-registries = ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`;
    const { r } = measure("deep.conf", text, (s) => loadRegistriesConfFile(s), 5000);
    expect(errors(r.diagnostics).length).toBeGreaterThan(0);
  });
  it("registries.conf: 10,000 nested inline tables", () => {
    const text = `aliases = ${"{a = ".repeat(10_000)}"x"${"}".repeat(10_000)}\n`;
    const { r } = measure("deep.conf", text, (s) => loadRegistriesConfFile(s), 5000);
    expect(errors(r.diagnostics).length).toBeGreaterThan(0);
  });
  it(".trust: 10,000 nested braces", () => {
    const text = `default reject\ndocker ${'{ "a" '.repeat(10_000)}${"}".repeat(10_000)}\n`;
    const { r } = measure("deep.trust", text, (s) => compileTrustSource(s, { checkKeyFiles: false }), 5000);
    expect(errors(r.diagnostics).length).toBeGreaterThan(0);
  });
});

describe("100 MB inputs", () => {
  const big = (n: number, unit: string) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
  it("policy.json: 100 MB of whitespace around a valid policy is read", () => {
    const text = `{"default": [{"type": "reject"}]${big(100 * MB, " ")}}`;
    const { r } = measure("big.json", text, (s) => loadPolicyJson(s), 15_000, 3);
    expect(r.value).toBeDefined();
  }, 60_000);
  it("policy.json: a 100 MB string in an unknown field is rejected with a short message", () => {
    const text = `{"default": [{"type": "reject"}], "x": "${big(100 * MB, "a")}"}`;
    const { r } = measure("big.json", text, (s) => loadPolicyJson(s), 15_000, 3);
    expect(r.value).toBeUndefined();
    for (const d of r.diagnostics) expect(d.message.length).toBeLessThan(2000);
  }, 60_000);
  it(".trust: refused quickly above the size limit", () => {
    const text = `default reject\n${big(100 * MB, "# comment\n")}`;
    const { r } = measure("big.trust", text, (s) => compileTrustSource(s, { checkKeyFiles: false }), 5000, 3);
    expect(errors(r.diagnostics).length).toBeGreaterThan(0);
  }, 60_000);
  it("registries.d: 100 MB is refused at once with IT1319 (the YAML library needs ~0.5 s per MB)", () => {
    const text = `docker:\n  quay.io:\n    lookaside: https://a.example/s\n${big(100 * MB, "# comment\n")}`;
    const { r } = measure("big.yaml", text, (s) => loadRegistriesDFile(s), 1000, 5);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["IT1319"]);
  }, 120_000);
  it("registries.d: 6 MB (below the limit) is read within the bound", () => {
    const text = `docker:\n  quay.io:\n    lookaside: https://a.example/s\n${big(6 * MB, "# comment\n")}`;
    const { r } = measure("big.yaml", text, (s) => loadRegistriesDFile(s), 30_000, 30);
    expect(r.value?.docker.map((e) => e.scope)).toEqual(["quay.io"]);
  }, 120_000);
  it("registries.conf: 100 MB of comments", () => {
    const text = `unqualified-search-registries = ["docker.io"]\n${big(100 * MB, "# comment\n")}`;
    measure("big.conf", text, (s) => loadRegistriesConfFile(s), 30_000, 5);
  }, 120_000);
});

describe("1 MB lines", () => {
  const line = "a".repeat(MB);
  const cases: Array<[string, string, (s: SourceFile) => LoadResult<unknown>]> = [
    ["line.json", `{"default": [{"type": "reject"}], "transports": {"docker": {"${line}": [{"type": "reject"}]}}}`, (s) => loadPolicyJson(s)],
    ["line.json", `{"default": [{"type": "signedBy", "keyType": "GPGKeys", "keyData": "${line}!"}]}`, (s) => loadPolicyJson(s)],
    ["line.yaml", `docker:\n  ${line}:\n    lookaside: x${line}\n`, (s) => loadRegistriesDFile(s)],
    ["line.conf", `unqualified-search-registries = ["${line}"]\n[[registry]]\nlocation = "${line}/"\n`, (s) => loadRegistriesConfFile(s)],
  ];
  // Was: IT2101 quoted the 1 MB name in full (rendered: 1,048,891 characters).
  it("line.trust: the rendered diagnostics do not print the whole line", () => {
    const text = `default reject\ndocker {\n  "${line}" ${line}\n}\n`;
    const { r } = measure("line.trust", text, (s) => compileTrustSource(s, { checkKeyFiles: false }), 5000);
    for (const d of r.diagnostics) expect(d.message.length).toBeLessThan(20_000);
  });
  it.each(cases)("%s: bounded, and the rendered diagnostics do not print the whole line", (file, text, load) => {
    const { r } = measure(file, text, load, 5000);
    const source = new SourceFile(file, text);
    for (const d of r.diagnostics) {
      const out = renderDiagnosticText(d, { getSource: (f) => (f === file ? source : undefined) });
      expect(out.length, `${d.code} renders ${out.length} characters`).toBeLessThan(20_000);
    }
  });
});
