/**
 * The back ends on whatever the front ends let through (issue 7): the simulator (with registries.d,
 * registries.conf, bare names, every transport) and its text rendering, and the lint rules, on random IRs and
 * on IRs loaded from mutated files (with real spans) never throw, stay within the per-input bound, and
 * produce well-formed results.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runLint } from "../../src/lint/run.js";
import { loadPolicyJson } from "../../src/load/policy-json.js";
import { loadRegistriesConfFile, mergeRegistriesConf } from "../../src/load/registries-conf/index.js";
import { parseVersion } from "../../src/ir/versions.js";
import { createSimulator } from "../../src/simulate/simulate.js";
import { renderSimulationText } from "../../src/simulate/render-text.js";
import { SourceFile } from "../../src/source/source-file.js";
import { JSON_DICT, REFERENCE_DICT, REFERENCE_SEEDS, TOML_DICT, policySeeds, registriesConfSeeds } from "./corpora.js";
import { trustModel } from "./ir-arbitraries.js";
import { TEST_TIMEOUT_MS, anyText, breathe, diagnosticsViolation, mutated, params, timed } from "./support.js";

const references = fc.array(
  fc.oneof(
    { arbitrary: mutated(REFERENCE_SEEDS, REFERENCE_DICT), weight: 4 },
    { arbitrary: fc.constantFrom("busybox", "quay.io/a/b:1", "ubi", "localhost/x", "docker.io/library/busybox@sha256:" + "a".repeat(64)), weight: 2 },
    { arbitrary: anyText(REFERENCE_DICT), weight: 1 },
  ),
  { minLength: 1, maxLength: 6 },
);
/** registries.conf from mutated seeds, when they load (else none). */
const registriesConf = mutated(registriesConfSeeds(), TOML_DICT).map((t) => {
  const f = loadRegistriesConfFile(new SourceFile("/etc/containers/registries.conf", t));
  return f.value ? mergeRegistriesConf(f.value, []).value : undefined;
});

describe("back ends never crash on what the front ends let through", () => {
  it("simulate + render on random trust models, registries.conf, references and bare names", async () => {
    await fc.assert(
      fc.asyncProperty(trustModel(), fc.option(registriesConf, { nil: undefined }), references, fc.boolean(), fc.constantFrom(undefined, parseVersion("5.23")), async (m, conf, refs, bareNames, target) => {
        await breathe();
        timed("simulate", { m, refs }, () => {
          const sim = createSimulator({
            policy: m.policy,
            registriesD: m.registriesD,
            registriesConf: conf,
            bareNames,
            env: { euid: 1000, home: "/home/u", target },
            parse: { target, resolvePath: (p) => (p.startsWith("/") ? p : `/cwd/${p}`), openFile: () => undefined },
          });
          const results = refs.map((r) => sim.simulate(r));
          for (const r of results) {
            expect(["allow", "deny"]).toContain(r.verdict);
            if (r.verdict === "deny") expect(r.error !== null || r.upstreamError !== null).toBe(true);
          }
          expect(typeof renderSimulationText(results)).toBe("string");
          for (const r of refs) sim.decide(r);
        });
      }),
      params(250, 0.01),
    );
  }, TEST_TIMEOUT_MS);

  it("lint on random IRs and on policies loaded from mutated files", async () => {
    const loaded = mutated(policySeeds(), JSON_DICT)
      .map((t) => ({ t, r: loadPolicyJson(new SourceFile("policy.json", t)) }))
      .filter(({ r }) => r.value !== undefined);
    await fc.assert(
      fc.asyncProperty(fc.oneof(trustModel().map((m) => ({ t: "", policy: m.policy, registriesD: m.registriesD })), loaded.map(({ t, r }) => ({ t, policy: r.value!, registriesD: undefined }))), async ({ t, policy, registriesD }) => {
        await breathe();
        const source = new SourceFile("policy.json", t);
        const ds = timed("lint", policy, () => runLint({ file: "policy.json", policy, registriesD, signatureStorage: registriesD, checkHostFiles: false, getSource: (f: string) => (f === "policy.json" ? source : undefined) } as never));
        const v = diagnosticsViolation(t, "policy.json", ds.filter((d) => d.span?.file === "policy.json" || !d.span), () => true);
        if (v) throw new Error(`lint: ${v}`);
      }),
      params(250, 0.01),
    );
  }, TEST_TIMEOUT_MS);
});
