/**
 * Property tests of the round trips through the IR (issue 7): random IRs with every requirement and identity
 * type survive emit → load (policy.json) and print → compile (.trust) unchanged, origins aside.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileTrustSource } from "../../src/check/compile-source.js";
import { emitPolicyJson } from "../../src/emit/policy-json.js";
import type { Policy, ScopeEntry } from "../../src/ir/types.js";
import { parseVersion } from "../../src/ir/versions.js";
import { loadPolicyJson } from "../../src/load/policy-json.js";
import { printTrustModel } from "../../src/print/trust-printer.js";
import { SourceFile } from "../../src/source/source-file.js";
import { emitRegistriesD } from "../../src/emit/registries-d.js";
import { loadRegistriesDFile, mergeRegistriesDFiles } from "../../src/load/registries-d/index.js";
import { policy, registriesD, trustModel } from "./ir-arbitraries.js";
import { TEST_TIMEOUT_MS, breathe, params, timed } from "./support.js";

/** The IR without positions and file names (they differ between two loads by design). */
export function strip(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(strip);
  if (x && typeof x === "object") {
    return Object.fromEntries(
      Object.entries(x)
        // transportsPresent false and absent say the same (no `transports` key).
        .filter(([k, v]) => !/origins?$/i.test(k) && k !== "file" && v !== undefined && !(k === "transportsPresent" && v === false))
        .map(([k, v]) => [k, strip(v)]),
    );
  }
  return x;
}

/**
 * A policy up to presentation: labels (the printer names levels, which the compiler records) dropped, and
 * scopes of a transport sorted (keys are unique, lookup is by key, so their order means nothing; the printer
 * writes the transport default first). Requirement order is kept: it decides which error a denial reports.
 */
function canonicalPolicy(p: Policy): unknown {
  const byScope = (a: ScopeEntry, b: ScopeEntry) => (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0);
  const { defaultLabels: _dl, ...rest } = p;
  return strip({ ...rest, transports: p.transports.map((t) => ({ ...t, scopes: [...t.scopes].sort(byScope).map(({ labels: _l, ...s }) => s) })) });
}

describe("round trips through the IR", () => {
  for (const [features, target] of [["newest", undefined], ["5.23", parseVersion("5.23")]] as const) {
    it(`emit → load gives the same policy (${features})`, () => {
      let emitted = 0;
      fc.assert(
        fc.property(policy(features), (p) => {
          const out = timed("emit", p, () => emitPolicyJson(p, { target }));
          const errors = out.diagnostics.filter((d) => d.severity === "error");
          expect(errors, "the generator makes only valid IR").toEqual([]);
          emitted++;
          const back = timed("policy.json", out.text, () => loadPolicyJson(new SourceFile("emitted.json", out.text!), { target }));
          expect(back.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
          expect(strip(back.value)).toEqual(strip(p));
        }),
        params(250, 0.05),
      );
      expect(emitted).toBeGreaterThan(0);
    }, TEST_TIMEOUT_MS);
  }

  it.each(["newest", "5.23"] as const)("print → compile gives the same trust model (%s)", (features) => {
    fc.assert(
      fc.property(trustModel(features), (m) => {
        const text = timed("print", m, () => printTrustModel(m));
        const back = timed(".trust", text, () => compileTrustSource(new SourceFile("printed.trust", text), { checkKeyFiles: false }));
        const errors = back.diagnostics.filter((d) => d.severity === "error");
        if (errors.length > 0) throw new Error(`printed source does not compile: ${errors.map((e) => `${e.code} ${e.message}`).join("; ")}\n${text}`);
        const got = back.value!;
        expect(canonicalPolicy(got.policy)).toEqual(canonicalPolicy(m.policy));
        // The printer groups entries by file, so entries of interleaved files come back in another order
        // (scopes are unique, so order carries no meaning).
        const byScope = (r: typeof m.registriesD) => ({ ...r, docker: [...r.docker].sort((a, b) => (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0)) });
        expect(strip(byScope(got.registriesD))).toEqual(strip(byScope(m.registriesD)));
        expect(strip(got.expectations)).toEqual(strip(m.expectations));
        expect(got.target).toEqual(m.target);
      }),
      params(120, 0.05),
    );
  }, TEST_TIMEOUT_MS);

  it.each(["by-file", "per-host", "single"] as const)("emit → load gives the same registries.d (%s layout, newest and 5.23)", async (layout) => {
    await fc.assert(
      fc.asyncProperty(registriesD(), fc.constantFrom(undefined, parseVersion("5.23")), async (r, target) => {
        await breathe();
        const out = timed("emit registries.d", r, () => emitRegistriesD(r, { layout, target }));
        expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const files = out.files!.map((f) => {
          const l = loadRegistriesDFile(new SourceFile(f.name, f.text), { target });
          expect(l.diagnostics.filter((d) => d.severity === "error"), f.text).toEqual([]);
          return l.value!;
        });
        const merged = mergeRegistriesDFiles(files, { target });
        expect(merged.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const canon = (c: typeof r) => strip({ defaultDocker: c.defaultDocker?.storage, docker: [...c.docker].sort((a, b) => (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0)).map((e) => ({ scope: e.scope, storage: e.storage })) });
        expect(canon(merged.value!)).toEqual(canon(r));
      }),
      params(150, 0.02),
    );
  }, TEST_TIMEOUT_MS);
});
