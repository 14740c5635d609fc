/**
 * The caches of issue 15 decide nothing differently: over thousands of generated references (repeats, spellings of
 * the same image, tags, digests, bad references, every transport, short names) and a policy with every kind of
 * requirement at every kind of scope, the cached `decide` equals `decideUncached` on a fresh simulator, and the
 * run simulator's cached results (`createRunSimulator`) equal `simulateWithEvidence` + the path check, field by
 * field, reference by reference.
 */
import { describe, expect, it } from "vitest";
import { nodeHost } from "../../src/host/node-host.js";
import { checkPathOnThisMachine } from "../../src/simulate/paths-on-this-machine.js";
import { createSimulator, decideUncached, decisionDependsOnTextAlone } from "../../src/simulate/simulate.js";
import { simulateWithEvidence } from "../../src/simulate/simulate-evidence.js";
import { createRunSimulator, DECISION_FIELDS, resultDependsOnTextAlone } from "../../src/simulate/simulate-run.js";
import type { EvidenceSource } from "../../src/simulate/evidence-source.js";
import { policyIR, prng, R, type RequirementJson } from "./policy-builder.js";

const HEX = "0123456789abcdef".repeat(4);
const exact = (ref: string): RequirementJson => ({ ...R.signedBy, signedIdentity: { type: "exactReference", dockerReference: ref } });
const policy = policyIR({
  default: [R.reject],
  transports: {
    docker: {
      "": [R.signedBy],
      "quay.io": [R.accept],
      "quay.io/acme": [R.sigstore],
      "quay.io/acme/app:v1": [R.accept, R.reject],
      "docker.io/library/busybox": [R.accept],
      "docker.io/library/busybox:1.36": [exact("docker.io/library/busybox:1.36")],
      "*.example.com": [{ ...R.signedBy, signedIdentity: { type: "matchRepoDigestOrExact" } }],
      [`registry.example.com/team/app@sha256:${HEX}`]: [R.accept],
      "registry.example.com:5000/team": [R.reject],
    },
    "docker-daemon": { "": [R.accept], "quay.io/acme": [R.reject] },
    dir: { "": [R.accept] },
    "containers-storage": { "": [R.signedBy] },
  },
});

/** References with many repeats and many spellings of the same images. */
function references(n: number, seed: number): string[] {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const names = ["busybox", "library/busybox", "docker.io/library/busybox", "quay.io/acme/app", "quay.io/acme/other", "quay.io/x/y", "a.b.example.com/p/q", "registry.example.com/team/app", "registry.example.com:5000/team/app", "Bad/Name", "ghcr.io/o/r"];
  const tails = ["", ":latest", ":1.36", ":v1", ":v2", `@sha256:${HEX}`, "@sha256:abc", ":bad tag!"];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = pick(names) + pick(tails);
    const k = r();
    out.push(
      k < 0.55 ? `docker://${name}`
      : k < 0.65 ? `docker-daemon:${name}`
      : k < 0.72 ? name // a bare name, as podman takes it
      : k < 0.78 ? `containers-storage:${name}`
      : k < 0.84 ? `dir:/nonexistent-issue15/${pick(["a", "b", "a/"])}`
      : k < 0.88 ? `docker:${name}` // no //: a parse error
      : k < 0.92 ? `nosuchtransport:${name}`
      : `docker://${name}`,
    );
  }
  return out;
}

const NO_EVIDENCE: EvidenceSource = { requested: false, gather: async () => null };

describe("the decision cache (decide)", () => {
  it("equals the uncached decision for every reference, repeats included", () => {
    const refs = references(6000, 15);
    const cached = createSimulator({ policy, bareNames: false });
    const plain = createSimulator({ policy, bareNames: false });
    let cacheable = 0;
    for (const ref of refs) {
      if (decisionDependsOnTextAlone(cached, ref)) cacheable++;
      expect(cached.decide(ref), ref).toEqual(decideUncached(plain, ref));
    }
    // The second pass is served from the cache where the text alone decides: still equal.
    for (const ref of refs) expect(cached.decide(ref), ref).toEqual(decideUncached(plain, ref));
    expect(cacheable).toBeGreaterThan(3000);
    expect(new Set(refs).size).toBeLessThan(refs.length / 4);
  });
  it("is not used when signature evidence is given (the decision depends on it)", () => {
    const sim = createSimulator({ policy, evidence: { evaluate: () => ({ allowed: true, message: undefined, signatures: [] }) } });
    expect(decisionDependsOnTextAlone(sim, "docker://busybox")).toBe(false);
  });
});

describe("the run cache (simulate --refs)", () => {
  it("gives the result the uncached path gives, field by field", async () => {
    const refs = references(3000, 1515);
    const host = nodeHost();
    const parse = { cwd: "/" };
    const run = createRunSimulator({ policy, host, parse, pathCheck: { host, parse }, evidenceSource: NO_EVIDENCE });
    const plain = createSimulator({ policy, host, parse });
    for (const ref of refs) {
      const expected = checkPathOnThisMachine(await simulateWithEvidence(plain, ref, NO_EVIDENCE), { host, parse });
      expect(JSON.stringify(await run.simulate(ref)), ref).toBe(JSON.stringify(expected));
    }
  });
  it("the bare decision (--fields ref,verdict,scope) gives the explained record's decision fields", async () => {
    const refs = references(3000, 151515);
    const host = nodeHost();
    const parse = { cwd: "/" };
    const run = createRunSimulator({ policy, host, parse, pathCheck: { host, parse }, evidenceSource: NO_EVIDENCE });
    let used = 0;
    for (const ref of refs) {
      const d = run.decision(ref);
      if (d === undefined) continue;
      used++;
      const full = (await run.simulate(ref)) as unknown as Record<string, unknown>;
      const expected = Object.fromEntries(Object.keys(full).filter((k) => DECISION_FIELDS.has(k)).map((k) => [k, full[k]]));
      expect(JSON.stringify(d), ref).toBe(JSON.stringify(expected));
    }
    expect(used).toBeGreaterThan(1500);
    // Not where the answer needs more than the decision: short names, path transports, evidence.
    expect(run.decision("busybox")).toBeUndefined();
    expect(run.decision("dir:/x")).toBeUndefined();
    const withEvidence = createRunSimulator({ policy, evidenceSource: { requested: true, gather: async () => null } });
    expect(withEvidence.decision("docker://busybox")).toBeUndefined();
  });
  it("caches only what the text alone decides", () => {
    expect(resultDependsOnTextAlone("docker://busybox", NO_EVIDENCE)).toBe(true);
    expect(resultDependsOnTextAlone("busybox", NO_EVIDENCE)).toBe(true);
    expect(resultDependsOnTextAlone("dir:/x", NO_EVIDENCE)).toBe(false);
    expect(resultDependsOnTextAlone("docker://busybox", { requested: true })).toBe(false);
  });
});

describe("path references in a run (simulate --refs)", () => {
  it("parsing and the path check share one resolution per reference, asked again for the next", async () => {
    const real = nodeHost();
    const calls = new Map<string, number>();
    const count = (op: string, p: string) => calls.set(op + " " + p, (calls.get(op + " " + p) ?? 0) + 1);
    const files = Object.create(real.files) as typeof real.files;
    files.realpath = (p) => (count("realpath", p), real.files.realpath(p));
    files.lstat = (p) => (count("lstat", p), real.files.lstat(p));
    files.stat = (p) => (count("stat", p), real.files.stat(p));
    files.lstatIfExists = (p) => (count("lstatIfExists", p), real.files.lstatIfExists!(p));
    const host = { ...real, files };
    const parse = { cwd: "/" };
    const run = createRunSimulator({ policy, host, parse, pathCheck: { host, parse }, evidenceSource: NO_EVIDENCE });
    const plain = createSimulator({ policy, host: real, parse });
    const ref = "dir:/nonexistent-imagetrust-dir/img";
    const expected = checkPathOnThisMachine(await simulateWithEvidence(plain, ref, NO_EVIDENCE), { host: real, parse });
    expect(JSON.stringify(await run.simulate(ref))).toBe(JSON.stringify(expected));
    expect(calls.size).toBeGreaterThan(0);
    for (const [k, n] of calls) expect(n, k).toBe(1);
    // The next reference (the same text) is resolved against the machine again: nothing is remembered across references.
    await run.simulate(ref);
    for (const [k, n] of calls) expect(n, k).toBe(2);
  });
});
