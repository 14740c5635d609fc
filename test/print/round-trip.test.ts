/**
 * import → compile round trip: printing the IR of a policy.json as .trust and compiling that gives back a
 * semantically equal policy, for every document upstream's parser accepts in the spec vectors and every
 * corpus file containers/image accepts (5.23.1, or the newest parser for files with newer fields).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileTrustSource } from "../../src/check/compile-source.js";
import type { TrustModel } from "../../src/ir/types.js";
import { normalizeTrustModel } from "../../src/print/normalize-model.js";
import { formatTrustSource } from "../../src/print/format.js";
import { printTrustModel } from "../../src/print/trust-printer.js";
import { SourceFile } from "../../src/source/source-file.js";
import { modelFromPolicyJson } from "./policy-json-helper.js";
import { CORPUS as CORPUS_DIR, POLICY_PARSE_VECTORS, skipWithoutShared } from "../support/shared.js";

const SPEC = POLICY_PARSE_VECTORS;
const CORPUS = CORPUS_DIR + "/";
const NO_CORPUS = skipWithoutShared("the import round trip over the real-world corpus");

interface Vector {
  name: string;
  input: string;
  ok: boolean;
}
const vectors = readFileSync(SPEC, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Vector)
  .filter((v) => v.ok);

interface Verdict {
  file: string;
  containersImage523: string;
  newerExpected?: string;
}
// Under CI a missing corpus throws here and fails the file.
const corpus = NO_CORPUS
  ? []
  : readFileSync(CORPUS + "policy-verdicts.jsonl", "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Verdict)
      .filter((v) => v.containersImage523 === "OK" || v.newerExpected === "OK");

function roundTrip(model: TrustModel): { text: string; back?: TrustModel; errors: string[] } {
  const text = printTrustModel(model);
  const r = compileTrustSource(new SourceFile("imported.trust", text), { checkKeyFiles: false });
  // What import prints is already in fmt's canonical layout.
  expect(formatTrustSource(new SourceFile("imported.trust", text)).text).toBe(text);
  return { text, back: r.value, errors: r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`) };
}

describe("import → compile round trip", () => {
  it("covers the expected number of vectors", () => {
    expect(vectors.length).toBe(45);
  });

  it.skipIf(NO_CORPUS)("covers the expected number of corpus documents", () => {
    expect(corpus.length).toBe(36);
  });

  it.each(vectors.map((v) => [v.name, v.input] as const))("vector: %s", (_name, input) => {
    const model = modelFromPolicyJson(input);
    const r = roundTrip(model);
    expect(r.errors).toEqual([]);
    expect(normalizeTrustModel(r.back!)).toEqual(normalizeTrustModel(model));
  });

  it.each(corpus.map((v) => [v.file] as const))("corpus: %s", (file) => {
    const model = modelFromPolicyJson(readFileSync(CORPUS + file, "utf8"));
    const r = roundTrip(model);
    expect(r.errors).toEqual([]);
    expect(normalizeTrustModel(r.back!)).toEqual(normalizeTrustModel(model));
  });
});

describe.skipIf(NO_CORPUS)("import through the real loaders → compile round trip", () => {
  it("every corpus policy.json the newest loader accepts", async () => {
    const { loadPolicyJson } = await import("../../src/load/policy-json.js");
    const { readdirSync } = await import("node:fs");
    let accepted = 0;
    for (const f of readdirSync(CORPUS + "policy").sort()) {
      const loaded = loadPolicyJson(new SourceFile(f, readFileSync(`${CORPUS}policy/${f}`, "utf8")));
      if (!loaded.value) continue;
      accepted++;
      const model: TrustModel = { policy: loaded.value, registriesD: { docker: [] }, expectations: [] };
      const r = roundTrip(model);
      expect(r.errors, f).toEqual([]);
      expect(normalizeTrustModel(r.back!), f).toEqual(normalizeTrustModel(model));
    }
    expect(accepted).toBe(36);
  });

  it("every corpus registries.d file the loader accepts, each with a policy that needs no storage", async () => {
    const { loadRegistriesDFile, mergeRegistriesDFiles } = await import("../../src/load/registries-d/index.js");
    const { readdirSync } = await import("node:fs");
    let accepted = 0;
    for (const f of readdirSync(CORPUS + "registries.d").sort()) {
      const file = loadRegistriesDFile(new SourceFile(f, readFileSync(`${CORPUS}registries.d/${f}`, "utf8")));
      if (!file.value) continue;
      const merged = mergeRegistriesDFiles([file.value]);
      if (!merged.value) continue;
      accepted++;
      const model: TrustModel = { policy: { default: [{ type: "reject" }], transports: [] }, registriesD: merged.value, expectations: [] };
      const r = roundTrip(model);
      expect(r.errors, f).toEqual([]);
      expect(normalizeTrustModel(r.back!), f).toEqual(normalizeTrustModel(model));
      expect(r.back!.registriesD.docker.map((e) => e.file)).toEqual(model.registriesD.docker.map((e) => e.file));
    }
    expect(accepted).toBeGreaterThan(20);
  });
});
