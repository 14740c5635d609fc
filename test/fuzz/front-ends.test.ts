/**
 * Fuzzing every front end (issue 7): generated, token-soup and mutated inputs must never throw, never take
 * longer than the per-input bound, and every rejection must be a coded diagnostic with a span in the input.
 * `npm test` runs a fixed-seed slice; `npm run fuzz -- --seed S --runs N` runs N inputs per front end.
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { compileTrustSource } from "../../src/check/compile-source.js";
import { loadPolicyJson } from "../../src/load/policy-json.js";
import { loadRegistriesConfFile } from "../../src/load/registries-conf/index.js";
import { loadRegistriesDFile } from "../../src/load/registries-d/index.js";
import { parseVersion } from "../../src/ir/versions.js";
import { parseImageReference } from "../../src/reference/image-reference.js";
import { SourceFile } from "../../src/source/source-file.js";
import { parseUntrustedPayload } from "../../src/verify/payload.js";
import { gpgVerify, importKeyring } from "../../src/verify/gpg.js";
import { signatureFromBlob } from "../../src/verify/stored-signature.js";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SIGNATURE_FIXTURES } from "./corpora.js";
import { JSON_DICT, PAYLOAD_SEEDS, REFERENCE_DICT, REFERENCE_SEEDS, TOML_DICT, TRUST_DICT, YAML_DICT, policySeeds, registriesConfSeeds, registriesDSeeds, signatureSeeds, trustSeeds } from "./corpora.js";
import { LONG_RUN, breathe, timedAsync, TEST_TIMEOUT_MS, anyText, loadResultViolation, mutated, params, summary, tally, timed } from "./support.js";

const TARGETS = [undefined, parseVersion("5.23")!];

/** Text inputs of one front end: one third each of mutated seeds, token soup and arbitrary text (weighted to mutation). */
function inputs(seeds: string[], dict: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof({ arbitrary: mutated(seeds, dict), weight: 6 }, { arbitrary: anyText(dict), weight: 2 }, { arbitrary: fc.constantFrom(...seeds), weight: 1 });
}

/** Property: loading `text` keeps the LoadResult contract. */
function loaderProperty(name: string, arb: fc.Arbitrary<string>, load: (src: SourceFile, target: (typeof TARGETS)[number]) => Parameters<typeof loadResultViolation>[2]) {
  return fc.asyncProperty(arb, fc.constantFrom(...TARGETS), async (text, target) => {
    await breathe();
    const file = `fuzz.${name}`;
    const r = timed(name, text, () => load(new SourceFile(file, text), target));
    tally(name, r.value !== undefined);
    const v = loadResultViolation(text, file, r);
    if (v) throw new Error(`${name}: ${v}`);
  });
}

afterAll(() => {
  if (LONG_RUN) console.log(summary());
});

describe("front ends never crash, never hang, and reject with coded, positioned diagnostics", async () => {
  it("policy.json (loadPolicyJson)", async () => {
    await fc.assert(loaderProperty("policy.json", inputs(policySeeds(), JSON_DICT), (s, target) => loadPolicyJson(s, { target })), params(1500));
  }, TEST_TIMEOUT_MS);

  it("registries.d YAML (loadRegistriesDFile)", async () => {
    await fc.assert(loaderProperty("registries.d", inputs(registriesDSeeds(), YAML_DICT), (s, target) => loadRegistriesDFile(s, { target })), params(1500));
  }, TEST_TIMEOUT_MS);

  it("registries.conf TOML (loadRegistriesConfFile), also as a v2-only drop-in", async () => {
    await fc.assert(
      loaderProperty("registries.conf", inputs(registriesConfSeeds(), TOML_DICT), (s, target) => loadRegistriesConfFile(s, { target, forceV2: s.text.length % 2 === 0 })),
      params(1500),
    );
  }, TEST_TIMEOUT_MS);

  it(".trust sources (compileTrustSource)", async () => {
    await fc.assert(loaderProperty(".trust", inputs(trustSeeds(), TRUST_DICT), (s, target) => compileTrustSource(s, { target, checkKeyFiles: false })), params(600));
  }, TEST_TIMEOUT_MS);

  it("image references (parseImageReference): a reference or upstream's error text", async () => {
    const arb = fc.oneof({ arbitrary: mutated(REFERENCE_SEEDS, REFERENCE_DICT), weight: 6 }, { arbitrary: anyText(REFERENCE_DICT), weight: 2 });
    await fc.assert(
      fc.asyncProperty(arb, fc.constantFrom(...TARGETS), async (text, target) => {
        await breathe();
        const r = timed("reference", text, () => parseImageReference(text, { target, resolvePath: (p) => (p.startsWith("/") ? p : `/cwd/${p}`), openFile: () => undefined }));
        tally("reference", r.ok);
        if (r.ok) {
          expect(typeof r.ref.transport).toBe("string");
          expect(typeof r.ref.identity).toBe("string");
          expect(Array.isArray(r.ref.namespaces)).toBe(true);
        } else expect(r.error.length).toBeGreaterThan(0);
      }),
      params(3000),
    );
  }, TEST_TIMEOUT_MS);

  it("stored signatures (signatureFromBlob) and payloads (parseUntrustedPayload)", async () => {
    const seeds = signatureSeeds().map((b) => Buffer.from(b).toString("latin1"));
    const blob = fc.oneof(
      { arbitrary: mutated(seeds, ["\u0000", "sigstore-json\n", "simple-signing\n", '{"payload":', '"mimeType"', '"annotations":{', "null", "\u00a3", "\u0089", "\u0090"]).map((s) => Buffer.from(s, "latin1")), weight: 4 },
      { arbitrary: fc.uint8Array({ maxLength: 300 }), weight: 1 },
    );
    await fc.assert(
      fc.asyncProperty(blob, async (b) => {
        await breathe();
        const r = timed("signature", b, () => signatureFromBlob(b));
        tally("signature", r.ok);
        if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
      }),
      params(3000),
    );
    const payload = fc.oneof({ arbitrary: mutated(PAYLOAD_SEEDS, JSON_DICT), weight: 4 }, { arbitrary: anyText(JSON_DICT), weight: 1 });
    await fc.assert(
      fc.asyncProperty(payload, fc.constantFrom("simple" as const, "sigstore" as const), async (p, kind) => {
        await breathe();
        const r = timed("payload", p, () => parseUntrustedPayload(Buffer.from(p, "utf8"), kind));
        tally("payload", r.ok);
        if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
      }),
      params(3000),
    );
  }, TEST_TIMEOUT_MS);

  it.runIf(existsSync(SIGNATURE_FIXTURES))("GPG signatures (gpgVerify on mutated upstream fixtures): a verdict or upstream's error text", async () => {
    const keyring = await importKeyring([readFileSync(join(SIGNATURE_FIXTURES, "public-key.gpg"))]);
    const seeds = signatureSeeds().filter((b) => b[0] !== 0).map((b) => Buffer.from(b).toString("latin1"));
    const blob = fc.oneof(
      { arbitrary: mutated(seeds, ["\u0000", "\u00a3", "\u0089", "\u0090", "\u00c2", "\u00ff", "\u0004", "\u0001"]).map((s) => Buffer.from(s, "latin1")), weight: 5 },
      { arbitrary: fc.uint8Array({ maxLength: 200 }), weight: 1 },
    );
    await fc.assert(
      fc.asyncProperty(blob, async (b) => {
        await breathe();
        const r = await timedAsync("gpg", b, () => gpgVerify(keyring, b, { now: new Date("2026-01-01T00:00:00Z") }));
        tally("gpg", r.ok);
        if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
      }),
      params(300, 0.1),
    );
  }, TEST_TIMEOUT_MS);
});
