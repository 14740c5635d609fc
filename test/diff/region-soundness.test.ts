/**
 * Soundness of `diff --fail-on-loosen` (issue 13 §1), as a property over random policy pairs drawn from a small
 * universe of scopes (so scopes nest and collide) over many transports:
 *  - whenever the simulator finds ANY reference whose verdict goes deny → allow, the region diff reports a
 *    looser or changed region, and `diffPolicies(…).loosened` is set;
 *  - stronger: every reference falls in exactly one region, and each policy decides it by exactly the
 *    requirement list that region records for that policy (so the lattice's classification holds for it).
 * The references are a fixed list over every transport plus every region's own witness. A sample of the
 * flips is confirmed with containers/image 5.23.1 (the Go harness) where the harness is available.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffPolicies } from "../../src/diff/analyse.js";
import { policyRegions, withoutOrigins, type Region } from "../../src/diff/regions.js";
import { failsOnLoosen } from "../../src/diff/requirement-lattice.js";
import { emitPolicyJson } from "../../src/emit/policy-json.js";
import type { Policy, Requirement, TransportPolicy } from "../../src/ir/types.js";
import { parseVersion } from "../../src/ir/versions.js";
import { parseImageReference } from "../../src/reference/image-reference.js";
import { PolicyIndex, requirementsForImageRef } from "../../src/simulate/scope-lookup.js";
import { createSimulator } from "../../src/simulate/simulate.js";
import { goEvaluate, goHarnessAvailable } from "../harness/go-harness.js";
import { FUZZ_SEED, runs } from "../fuzz/support.js";

const STORE = "[overlay@/var/lib/containers/storage]";
const SCOPES: Record<string, string[]> = {
  docker: ["", "quay.io", "quay.io/acme", "quay.io/acme/app", "quay.io/acme/app:1", "*.io", "*.quay.io", "docker.io/library", "docker.io/library/busybox:latest"],
  "containers-storage": ["", STORE, "[/var/lib/containers/storage]", `${STORE}quay.io/acme`, `${STORE}docker.io/library/busybox:latest`],
  dir: ["", "/srv", "/srv/images", "/srv/images/app"],
  oci: ["", "/srv/oci", "/srv/oci:ref"],
  tarball: [""],
  "docker-daemon": [""],
};
const REFS = [
  "docker://quay.io/acme/app:1",
  "docker://quay.io/acme/app:2",
  "docker://quay.io/acme/other:1",
  "docker://quay.io/x:1",
  "docker://sub.quay.io/x:1",
  "docker://ghcr.io/x:1",
  "docker://busybox",
  "docker://docker.io/library/alpine:3",
  "containers-storage:busybox",
  "containers-storage:quay.io/acme/app:1",
  "containers-storage:[vfs@/tmp/s]busybox",
  "dir:/srv/images/app",
  "dir:/srv/images/app2",
  "dir:/srv/x",
  "dir:/tmp/a",
  "oci:/srv/oci:ref",
  "oci:/srv/oci:other",
  "tarball:/tmp/x.tar",
  "docker-daemon:busybox:latest",
  "sif:/tmp/x.sif",
];
const REQS: Requirement[][] = [
  [{ type: "insecureAcceptAnything" }],
  [{ type: "reject" }],
  [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/k1" }],
  [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/k2" }],
  [{ type: "signedBy", keyType: "GPGKeys", keyPaths: ["/k1", "/k2"] }],
  [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/k1", signedIdentity: { type: "matchRepository" } }],
  [{ type: "sigstoreSigned", keyPath: "/c.pub" }],
  [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/k1" }, { type: "sigstoreSigned", keyPath: "/c.pub" }],
];
const PARSE = { openFile: () => undefined };

const reqs = fc.constantFrom(...REQS);
const policyArb: fc.Arbitrary<Policy> = fc
  .tuple(reqs, fc.subarray(Object.keys(SCOPES)))
  .chain(([def, names]) =>
    fc.tuple(
      fc.constant(def),
      fc.tuple(...names.map((name) => fc.subarray(SCOPES[name], { minLength: 1 }).chain((ss) => fc.tuple(...ss.map((scope) => reqs.map((requirements) => ({ scope, requirements })))).map((scopes): TransportPolicy => ({ name, scopes }))))),
    ),
  )
  .map(([def, transports]) => ({ default: def, transports, transportsPresent: true }));
/** A pair: independent, or the second an edit of the first (one scope changed, added or removed), as real diffs are. */
const pairArb: fc.Arbitrary<[Policy, Policy]> = fc.oneof(
  fc.tuple(policyArb, policyArb),
  fc.tuple(policyArb, policyArb).map(([a, b]): [Policy, Policy] => {
    const t = b.transports[0];
    if (!t) return [a, { ...a, default: b.default }];
    const rest = a.transports.filter((x) => x.name !== t.name);
    const mine = a.transports.find((x) => x.name === t.name);
    const merged: TransportPolicy = { name: t.name, scopes: [...t.scopes.slice(0, 1), ...(mine?.scopes ?? []).filter((s) => s.scope !== t.scopes[0].scope)] };
    return [a, { ...a, transports: [...rest, merged] }];
  }),
);

/** The region a reference falls in: most specific matching scope in the union of both scope sets. */
function regionFor(regions: Region[], before: Policy, after: Policy, ref: string): Region | undefined {
  const r = parseImageReference(ref, PARSE);
  if (!r.ok) return undefined;
  const union = new Map<string, Set<string>>();
  for (const p of [before, after]) for (const t of p.transports) for (const s of ["", ...t.scopes.map((x) => x.scope)]) union.set(t.name, (union.get(t.name) ?? new Set()).add(s));
  const idx = new PolicyIndex({ default: [], transports: [...union].map(([name, ss]) => ({ name, scopes: [...ss].map((scope) => ({ scope, requirements: [] })) })) });
  const scope = idx.lookup(r.ref.transport, r.ref.identity, r.ref.namespaces)?.scope;
  return scope === undefined ? regions.find((g) => g.transport === null) : regions.find((g) => g.transport === r.ref.transport && g.scope === scope);
}

const flipsSeen: { before: Policy; after: Policy; ref: string }[] = [];

/** Deny → allow flips of sampled pairs on the fixed references, into `flipsSeen`. */
function collectFlips(): void {
  for (const [before, after] of fc.sample(pairArb, { seed: FUZZ_SEED, numRuns: 150 })) {
    const simA = createSimulator({ policy: before, parse: PARSE });
    const simB = createSimulator({ policy: after, parse: PARSE });
    for (const ref of REFS) if (flipsSeen.length < 40 && !simA.decide(ref).allowed && simB.decide(ref).allowed) flipsSeen.push({ before, after, ref });
  }
}

describe("region diff soundness (property)", () => {
  it("every deny → allow the simulator finds is in a looser or changed region, and every reference is decided by its region's lists", () => {
    let flips = 0;
    fc.assert(
      fc.property(pairArb, ([before, after]) => {
        const regions = policyRegions(before, after);
        const simA = createSimulator({ policy: before, parse: PARSE });
        const simB = createSimulator({ policy: after, parse: PARSE });
        const refs = [...REFS, ...regions.flatMap((g) => (g.witness === null ? [] : [g.witness]))];
        for (const ref of refs) {
          const region = regionFor(regions, before, after, ref);
          if (region === undefined) continue;
          const parsed = parseImageReference(ref, PARSE);
          if (!parsed.ok) continue;
          expect(withoutOrigins(requirementsForImageRef(before, parsed.ref).requirements), `${ref} old`).toEqual(region.old.requirements);
          expect(withoutOrigins(requirementsForImageRef(after, parsed.ref).requirements), `${ref} new`).toEqual(region.new.requirements);
          if (!simA.decide(ref).allowed && simB.decide(ref).allowed) {
            flips++;
            if (flipsSeen.length < 40) flipsSeen.push({ before, after, ref });
            expect(failsOnLoosen(region.classification), `${ref} in ${region.transport} ${JSON.stringify(region.scope)}`).toBe(true);
          }
        }
        if (regions.some((g) => failsOnLoosen(g.classification))) expect(diffPolicies(before, after, { noDerivedSamples: true }).loosened).toBe(true);
      }),
      { seed: FUZZ_SEED, numRuns: runs(150) },
    );
    // The property must have had something to check.
    expect(flips).toBeGreaterThan(20);
  });

  it("region witnesses land where they claim, for every region of a pair", () => {
    fc.assert(
      fc.property(pairArb, ([before, after]) => {
        const regions = policyRegions(before, after);
        for (const g of regions) if (g.witness !== null && g.transport !== null) expect(regionFor(regions, before, after, g.witness)).toBe(g);
      }),
      { seed: FUZZ_SEED, numRuns: runs(60) },
    );
  });

  it.skipIf(!goHarnessAvailable())("containers/image 5.23.1 agrees with the simulator on a sample of the flips", async () => {
    if (flipsSeen.length === 0) collectFlips(); // run alone (-t): find flips the same way
    expect(flipsSeen.length).toBeGreaterThan(0);
    const T523 = parseVersion("5.23")!;
    let checked = 0;
    for (const { before, after, ref } of flipsSeen.slice(0, 12)) {
      if (!ref.startsWith("docker://") && !ref.startsWith("docker-daemon:")) continue; // no files or stores needed
      const [a, b] = await Promise.all([before, after].map((p) => goEvaluate(emitPolicyJson(p, { target: T523 }).text!, [{ reference: ref }])));
      expect([a.cases[0].allowed, b.cases[0].allowed], ref).toEqual([false, true]);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  }, 120_000);
});
