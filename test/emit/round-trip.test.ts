import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { emitPolicyJson } from "../../src/emit/policy-json.js";
import { emitRegistriesD } from "../../src/emit/registries-d.js";
import { checkPolicyJsonSchema } from "./schema-check.js";
import type { Policy } from "../../src/ir/types.js";
import { parseVersion } from "../../src/ir/versions.js";
import { loadPolicyJson } from "../../src/load/policy-json.js";
import { loadRegistriesDFile } from "../../src/load/registries-d/index.js";
import { SourceFile } from "../../src/source/source-file.js";
import { debianPolicy, fullRegistriesD, newestPolicy, shippedDefaultPolicy } from "./ir-fixtures.js";
import { CORPUS, POLICY_PARSE_VECTORS, skipWithoutShared } from "../support/shared.js";

const VECTORS = POLICY_PARSE_VECTORS;
const NO_CORPUS = skipWithoutShared("the real-world corpus checks");

/** The IR without positions (origin spans and file names differ between the two loads by design). */
function strip(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(strip);
  if (x && typeof x === "object") {
    return Object.fromEntries(
      Object.entries(x)
        .filter(([k, v]) => !/origins?$/i.test(k) && k !== "file" && v !== undefined)
        .map(([k, v]) => [k, strip(v)]),
    );
  }
  return x;
}

/** load → emit → load: the same IR, and emitting again gives the same bytes. */
function roundTrip(text: string, name: string, target?: ReturnType<typeof parseVersion>): void {
  const first = loadPolicyJson(new SourceFile(name, text), { target });
  expect(first.value, name).toBeDefined();
  const emitted = emitPolicyJson(first.value!, { target });
  expect(emitted.diagnostics, name).toEqual([]);
  expect(checkPolicyJsonSchema(JSON.parse(emitted.text!)), name).toEqual([]);
  const second = loadPolicyJson(new SourceFile("emitted.json", emitted.text!), { target });
  expect(second.diagnostics.filter((d) => d.severity === "error"), name).toEqual([]);
  expect(strip(second.value), name).toEqual(strip(first.value));
  expect(emitPolicyJson(second.value!, { target }).text, name).toBe(emitted.text);
}

describe("policy.json: load → emit → load gives the same IR", () => {
  it("IR fixtures (emit → load → emit is a fixpoint)", () => {
    for (const [p, t] of [[debianPolicy(), "5.23"], [newestPolicy(), undefined], [shippedDefaultPolicy(), undefined]] as Array<[Policy, string | undefined]>) {
      const target = t ? parseVersion(t) : undefined;
      const text = emitPolicyJson(p, { target }).text!;
      roundTrip(text, "fixture", target);
      expect(strip(loadPolicyJson(new SourceFile("f.json", text), { target }).value)).toEqual(strip({ ...p, transportsPresent: p.transports.length > 0 || p.transportsPresent ? true : undefined }));
    }
  });

  it("every accepted upstream vector", () => {
    const rows = readFileSync(VECTORS, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { name: string; input: string; ok: boolean });
    const ok = rows.filter((r) => r.ok);
    for (const r of ok) roundTrip(r.input, r.name);
    expect(ok.length).toBe(45);
  });

  it.skipIf(NO_CORPUS)("every real-world policy the newest runtime accepts", () => {
    const rows = readFileSync(`${CORPUS}/policy-verdicts.jsonl`, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const ok = rows.filter((r) => (r.newerFields ? r.newerExpected : r.containersImage523) === "OK");
    for (const r of ok) roundTrip(readFileSync(`${CORPUS}/${r.file}`, "utf8"), r.file);
    // …and those 5.23.1 accepts, for target 5.23.
    for (const r of rows.filter((x) => x.containersImage523 === "OK")) roundTrip(readFileSync(`${CORPUS}/${r.file}`, "utf8"), r.file, parseVersion("5.23"));
    expect(ok.length).toBeGreaterThan(30);
  });
});

describe("registries.d: load → emit → load gives the same entries", () => {
  function roundTripYaml(text: string, name: string): void {
    const first = loadRegistriesDFile(new SourceFile(name, text));
    if (!first.value) return;
    const emitted = emitRegistriesD({ defaultDocker: first.value.defaultDocker, docker: first.value.docker }, { layout: "single" });
    expect(emitted.diagnostics.filter((d) => d.severity === "error"), name).toEqual([]);
    const text2 = emitted.files!.map((f) => f.text).join("");
    const second = loadRegistriesDFile(new SourceFile("emitted.yaml", text2));
    expect(second.diagnostics.filter((d) => d.severity === "error"), name).toEqual([]);
    expect(strip({ d: second.value!.defaultDocker, x: second.value!.docker }), name).toEqual(strip({ d: first.value.defaultDocker, x: first.value.docker }));
  }

  it("the full fixture", () => {
    const files = emitRegistriesD(fullRegistriesD(), { layout: "single" }).files!;
    roundTripYaml(files[0].text, "fixture");
    const loaded = loadRegistriesDFile(new SourceFile("f.yaml", files[0].text)).value!;
    expect(strip(loaded.docker)).toEqual(strip(fullRegistriesD().docker));
  });

  it.skipIf(NO_CORPUS)("every real-world registries.d file that loads", () => {
    const rows = readFileSync(`${CORPUS}/registries-d-verdicts.jsonl`, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    let n = 0;
    for (const r of rows.filter((x) => !String(x.file).includes("+"))) {
      roundTripYaml(readFileSync(`${CORPUS}/${r.file}`, "utf8"), r.file);
      n++;
    }
    expect(n).toBeGreaterThan(5);
  });
});
