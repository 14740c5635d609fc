/**
 * Random policies × random references (issue 7): the simulator's verdict, runtime error and deciding scope
 * equal containers/image 5.23.1's (Go harness op "evaluate", an in-memory unsigned image). Policies come from
 * the IR arbitraries (every requirement and identity type, 5.23 features, emitted for target 5.23); scopes are
 * drawn from the identities and namespaces Go reports for the references plus generated docker scopes, so many
 * entries match. Skipped only when the harness cannot be built here and CI is not "true".
 */
import { nodeHost } from "../../src/host/node-host.js";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emitPolicyJson } from "../../src/emit/policy-json.js";
import type { Policy, Requirement, ScopeEntry, TransportPolicy } from "../../src/ir/types.js";
import { parseVersion } from "../../src/ir/versions.js";
import { createSimulator } from "../../src/simulate/simulate.js";
import { GO_BUILD_TIMEOUT_MS, buildGoHarness, goHarnessAvailable, runGoHarness, runGoHarnessBatch } from "../harness/go-harness.js";
import { dockerScope, namedReference, requirement } from "./ir-arbitraries.js";
import { FUZZ_SEED, LONG_RUN, TEST_TIMEOUT_MS, runs } from "./support.js";

const ci = process.env.CI === "true";
const T523 = parseVersion("5.23")!;
const HEX = "0123456789abcdef".repeat(4);

let tmp = "";
function fixedReferences(): string[] {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "imagetrust-fuzz-sim-")));
  fs.mkdirSync(path.join(tmp, "a", "b"), { recursive: true });
  fs.mkdirSync(path.join(tmp, "store"));
  fs.mkdirSync(path.join(tmp, "run"));
  fs.writeFileSync(path.join(tmp, "a", "x.tar"), "");
  const T = tmp;
  return [
    `dir:${T}/a/b`,
    `dir:${T}/a/new`,
    `oci:${T}/a/b:ref`,
    `oci-archive:${T}/a/x.tar:r`,
    `docker-archive:${T}/a/x.tar`,
    `sif:${T}/a/x.tar`,
    `tarball:${T}/a/x.tar`,
    "docker-daemon:busybox:latest",
    `docker-daemon:quay.io/org/repo@sha256:${HEX}`,
    `containers-storage:[vfs@${T}/store+${T}/run]busybox`,
    `containers-storage:[vfs@${T}/store+${T}/run]quay.io/org/repo:v1`,
    "docker://busybox",
    "docker://docker.io/library/busybox:1",
    "docker://UPPER/x:1",
    "nonsense:x",
  ];
}

interface GoRef {
  reference: string;
  parseError?: string;
  transport?: string;
  identity?: string;
  namespaces?: string[];
}

/** A policy whose scopes come from `pool` (per transport) and generated docker scopes. */
function policyOver(pool: Map<string, string[]>): fc.Arbitrary<Policy> {
  const reqs = fc.array(requirement("5.23"), { minLength: 1, maxLength: 2 });
  const section = (name: string, scopes: string[]): fc.Arbitrary<TransportPolicy> => {
    const scope = name === "docker" ? fc.oneof(fc.constantFrom(...scopes), dockerScope) : fc.constantFrom(...scopes);
    return fc
      .uniqueArray(fc.oneof({ arbitrary: fc.constant(""), weight: 1 }, { arbitrary: scope, weight: 5 }), { maxLength: 6 })
      .chain((ss) => fc.tuple(...ss.map((s) => reqs.map((requirements): ScopeEntry => ({ scope: s, requirements })))))
      .map((scopes) => ({ name, scopes }));
  };
  const names = [...pool.keys()];
  return fc
    .tuple(reqs, fc.uniqueArray(fc.constantFrom(...names), { maxLength: names.length }))
    .chain(([def, ts]) => fc.tuple(fc.constant(def as Requirement[]), fc.tuple(...ts.map((t) => section(t, pool.get(t)!)))))
    .map(([def, transports]): Policy => ({ default: def, transports, transportsPresent: true }));
}

describe.skipIf(!goHarnessAvailable() && !ci)("simulator vs containers/image 5.23.1 on random policies × references", () => {
  beforeAll(() => buildGoHarness(), GO_BUILD_TIMEOUT_MS);
  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("verdict, error and deciding scope agree", async () => {
    // References: fixed ones of every transport plus generated docker references (and children of them).
    const generated = fc.sample(fc.tuple(namedReference, fc.constantFrom("", "/x", "/x/y")).map(([r, child]) => {
      const cut = r.search(/[:@][^/]*$/);
      return `docker://${cut > 0 && child ? r.slice(0, cut) + child + r.slice(cut) : r}`;
    }), { seed: FUZZ_SEED, numRuns: 40 });
    const refs = [...fixedReferences(), ...generated];
    const infos: GoRef[] = await runGoHarness("references", { references: refs });
    const pool = new Map<string, Set<string>>();
    for (const i of infos) {
      if (i.parseError !== undefined || !i.transport) continue;
      const s = pool.get(i.transport) ?? new Set<string>();
      if (i.identity) s.add(i.identity);
      for (const n of i.namespaces ?? []) s.add(n);
      if (s.size > 0) pool.set(i.transport, s);
    }
    const scopes = new Map([...pool].map(([k, v]) => [k, [...v]]));
    const policies = fc.sample(policyOver(scopes), { seed: FUZZ_SEED, numRuns: runs(40, 0.002) });
    const texts = policies.map((p) => {
      const e = emitPolicyJson(p, { target: T523 });
      expect(e.diagnostics.filter((d) => d.severity === "error"), JSON.stringify(p)).toEqual([]);
      return e.text!;
    });
    const mismatches: string[] = [];
    let compared = 0;
    let byScope = 0;
    for (let start = 0; start < policies.length; start += 50) {
      const batch = policies.slice(start, start + 50);
      const answers = await runGoHarnessBatch(batch.map((_, k) => ({ op: "evaluate", policy: texts[start + k], cases: refs.map((reference) => ({ reference })) })));
      for (let k = 0; k < batch.length; k++) {
        const a = answers[k];
        if (!a.ok) throw new Error(`harness: ${a.error}`);
        expect(a.result.policyError, texts[start + k]).toBeUndefined();
        const sim = createSimulator({ policy: batch[k], parse: { strictPaths: true, debian: true, target: T523, host: nodeHost() }, bareNames: false, env: { target: T523 } });
        for (let i = 0; i < refs.length; i++) {
          const theirs = a.result.cases[i];
          const ours = sim.decide(refs[i]);
          compared++;
          const tag = `policy ${start + k} ${texts[start + k].replace(/\s+/g, "")} × ${refs[i]}`;
          if ((theirs.parseError !== undefined) !== ours.parseError) {
            mismatches.push(`${tag}: parse error Go=${theirs.parseError} ours=${ours.error}`);
            continue;
          }
          if (theirs.parseError !== undefined) continue;
          const goScope = theirs.scope ? { transport: theirs.scope.transport, scope: theirs.scope.scope } : null;
          if (goScope) byScope++;
          if (ours.allowed !== theirs.allowed) mismatches.push(`${tag}: verdict Go=${theirs.allowed} ours=${ours.allowed}`);
          if (JSON.stringify(ours.scope) !== JSON.stringify(goScope)) mismatches.push(`${tag}: scope Go=${JSON.stringify(goScope)} ours=${JSON.stringify(ours.scope)}`);
          if ((ours.error ?? "") !== (theirs.error ?? "")) mismatches.push(`${tag}: error Go=${theirs.error} ours=${ours.error}`);
        }
      }
    }
    if (LONG_RUN || process.env.DEBUG_COUNTS) console.log(`simulate-vs-go: ${policies.length} policies × ${refs.length} references = ${compared} decisions, ${byScope} decided by a scope, ${mismatches.length} mismatches`);
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(byScope).toBeGreaterThan(compared / 10);
  }, TEST_TIMEOUT_MS);
});
