/** Every example program compiles cleanly (its key files exist under examples/keys), is canonically formatted, and lowers to the golden IR. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileTrustSource } from "../../src/check/compile-source.js";
import { normalizeTrustModel } from "../../src/print/normalize-model.js";
import { formatTrustSource } from "../../src/print/format.js";
import { printTrustModel } from "../../src/print/trust-printer.js";
import { SourceFile } from "../../src/source/source-file.js";
import { expectGolden } from "../print/golden-helper.js";

const dir = fileURLToPath(new URL("../../examples/", import.meta.url));
const examples = readdirSync(dir).filter((f) => f.endsWith(".trust")).sort();
/** Key paths in the examples are the ones hosts use; the example keys live under examples/keys by file name. */
const keyFile = (p: string) => dir + "keys/" + basename(p);

function compile(name: string) {
  const source = new SourceFile("examples/" + name, readFileSync(dir + name, "utf8"));
  return { source, result: compileTrustSource(source, { fileExists: (p) => existsSync(keyFile(p)), readFile: (p) => readFileSync(keyFile(p)) }) };
}

/** The IR without spans, for golden files. */
function withoutSpans(value: unknown): string {
  return JSON.stringify(value, (k, v) => (k === "origin" || k === "keyOrigin" || k === "defaultOrigin" ? undefined : v), 2) + "\n";
}

describe("examples", () => {
  it("include the five programs the documentation promises", () => {
    for (const n of ["enterprise", "fedora-rhel", "keyless-ci", "air-gapped", "laptop"]) expect(examples).toContain(`${n}.trust`);
  });

  it.each(examples)("%s compiles with no diagnostic at all", (name) => {
    const { result } = compile(name);
    expect(result.diagnostics).toEqual([]);
    expect(result.value!.expectations.length).toBeGreaterThan(0);
  });

  it.each(examples)("%s lowers to the golden IR", (name) => {
    expectGolden(`examples/${name.replace(/\.trust$/, "")}.ir.json`, withoutSpans(compile(name).result.value));
  });

  it.each(examples)("%s keeps origins pointing into the file", (name) => {
    const { source, result } = compile(name);
    const policy = result.value!.policy;
    for (const t of policy.transports) {
      for (const s of t.scopes) {
        expect(s.origin!.file).toBe(source.path);
        const written = source.text.slice(s.keyOrigin!.start, s.keyOrigin!.end);
        expect(written === "default" || written.startsWith('"')).toBe(true);
        for (const r of s.requirements) expect(r.origin!.end).toBeGreaterThan(r.origin!.start);
      }
    }
  });

  it.each(examples)("%s is formatted canonically (fmt changes nothing)", (name) => {
    const text = readFileSync(dir + name, "utf8");
    const r = formatTrustSource(new SourceFile(name, text));
    expect(r.text).toBe(text);
  });

  it.each(examples)("%s survives print → compile unchanged", (name) => {
    const model = compile(name).result.value!;
    const printed = printTrustModel(model);
    const again = compileTrustSource(new SourceFile("printed.trust", printed), { checkKeyFiles: false });
    expect(again.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(normalizeTrustModel(again.value!)).toEqual(normalizeTrustModel(model));
    const f = formatTrustSource(new SourceFile("printed.trust", printed));
    expect(formatTrustSource(new SourceFile("p", f.text!)).text).toBe(f.text);
  });

  it.each(examples)("%s: its own expectations hold in the simulator", async (name) => {
    const { runExpectations } = await import("../../src/expectations/run.js");
    const model = compile(name).result.value!;
    const run = runExpectations({ policy: model.policy, registriesD: model.registriesD, expectations: model.expectations });
    expect(run.results.filter((r) => !r.passed).map((r) => `${r.expectation.reference}: ${r.problems.join("; ")}`)).toEqual([]);
    expect(run.passed).toBe(model.expectations.length);
  });

  it("every key file an example names exists and holds a key", () => {
    for (const name of examples) {
      const { result } = compile(name);
      expect(result.diagnostics.filter((d) => d.code === "IT2120" || d.code === "IT2121")).toEqual([]);
    }
  });
});
