import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileTrustSource } from "../../src/check/compile-source.js";
import { emitTrustModel } from "../../src/compile/compile-files.js";
import { checkPolicyJsonSchema, selfCheckOutput } from "./schema-check.js";
import { parseVersion } from "../../src/ir/versions.js";
import { SourceFile } from "../../src/source/source-file.js";
import { expectGolden } from "./golden.js";
import { runSkopeoTests, skopeoLoadsPolicy } from "./skopeo-judge.js";

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "examples");
const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith(".trust")).sort();
const T523 = parseVersion("5.23")!;

function compileExample(name: string) {
  const path = join(EXAMPLES, name);
  const r = compileTrustSource(new SourceFile(`examples/${name}`, readFileSync(path, "utf8")), { checkKeyFiles: false });
  expect(r.diagnostics.filter((d) => d.severity === "error"), name).toEqual([]);
  return r.value!;
}

describe("examples/*.trust compile to the golden policy.json and registries.d files", () => {
  it("there are examples", () => expect(examples.length).toBeGreaterThanOrEqual(5));

  it.each(examples)("%s", (name) => {
    const model = compileExample(name);
    const target = model.target ? parseVersion(model.target) : undefined;
    const r = emitTrustModel(model, { target, source: ` from ${name}` });
    expect(r.diagnostics.filter((d) => d.severity === "error"), name).toEqual([]);
    expect(selfCheckOutput(r.files!, target)).toEqual([]);
    const stem = name.replace(/\.trust$/, "");
    for (const f of r.files!) expectGolden(`examples/${stem}/${f.path}`, f.text);
    expect(checkPolicyJsonSchema(JSON.parse(r.files!.at(-1)!.text))).toEqual([]);
  });
});

describe.runIf(runSkopeoTests)("skopeo 1.9.3 loads every example that fits containers/image 5.23", () => {
  it.each(examples)("%s", async (name) => {
    const r = emitTrustModel(compileExample(name), { target: T523 });
    if (!r.files) {
      // Uses a newer feature: the emitter must say which (IT3000-IT3001 / IT3100), and write nothing.
      expect(r.diagnostics.some((d) => /^IT3(00[01]|100)$/.test(d.code))).toBe(true);
      return;
    }
    const verdict = await skopeoLoadsPolicy(r.files.at(-1)!.text);
    expect(verdict.message).not.toMatch(/Error loading trust policy/);
  });
});
