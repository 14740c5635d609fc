/**
 * Differential test against containers/image 5.23.1 (Debian 12) through the Go harness
 * (test/harness/go-harness.ts, op "evaluate": alltransports.ParseImageName + IsRunningImageAllowed on an
 * in-memory image with no signatures): generated policies × references across every transport must agree
 * 100 % on parse failure, verdict, the runtime's error text and the deciding scope.
 *
 * Scopes are drawn from the identities and namespaces the Go transports report (op "references"), so the
 * test does not take our own reference parser's word for what can match. Skipped only when the harness
 * cannot be built here and CI is not "true".
 */
import { nodeHost } from "../../src/host/node-host.js";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { goHarnessAvailable, runGoHarness, runGoHarnessBatch } from "../harness/go-harness.js";
import { createSimulator } from "../../src/simulate/simulate.js";
import { policyIR, policyJson, prng, R, type PolicySpec, type RequirementJson } from "./policy-builder.js";

const available = goHarnessAvailable();
const mustRun = process.env.CI === "true";
const describeHarness = available || mustRun ? describe : describe.skip;

const HEX = "0123456789abcdef".repeat(4);
const HEX2 = "fedcba9876543210".repeat(4);

let tmp = "";
let refs: string[] = [];

function setupTree(): void {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "imagetrust-sim-diff-")));
  const real = path.join(tmp, "real");
  fs.mkdirSync(path.join(real, "sub", "img"), { recursive: true });
  fs.mkdirSync(path.join(real, "layout"), { recursive: true });
  fs.symlinkSync(real, path.join(tmp, "link"));
  fs.writeFileSync(path.join(real, "a.tar"), "");
  fs.writeFileSync(path.join(real, "a.sif"), "");
  fs.writeFileSync(path.join(real, "t.tar"), "");
  fs.mkdirSync(path.join(tmp, "store"), { recursive: true });
  fs.mkdirSync(path.join(tmp, "run"), { recursive: true });
  const T = tmp;
  refs = [
    // docker (spec §3.4 worked examples, wildcards, ports, digests, upper-case hosts)
    "docker://busybox",
    "docker://docker.io/library/busybox:latest",
    "docker://index.docker.io/library/busybox:1.36",
    "docker://quay.io/org/repo",
    "docker://quay.io/org/repo:v2",
    "docker://a.b.quay.io:443/org/repo:v1",
    "docker://10.0.0.1:5000/x:y",
    "docker://EXAMPLE.com/foo:tag",
    `docker://localhost:5000/a/b@sha256:${HEX}`,
    `docker://registry.example.com/ns/app@sha256:${HEX2}`,
    "docker://deep.com/n1/n2/n3/repo:tag2",
    "docker://deep.com/n1/n2/n3/repo:nottag2",
    "docker://deep.com/n1/n2/notn3/repo:tag2",
    "docker://very.deep.com/n1/n2/n3/repo:tag2",
    "docker://not.very.deep.com/n1/n2/n3/repo:tag2",
    "docker://this.does-not/match:anything",
    "docker://localhost/app:1",
    "docker://x.y.z.example.org/a/b/c/d:1",
    // docker-daemon
    "docker-daemon:busybox:latest",
    `docker-daemon:sha256:${HEX}`,
    `docker-daemon:quay.io/org/repo@sha256:${HEX}`,
    // docker-archive
    `docker-archive:${T}/real/a.tar`,
    `docker-archive:${T}/real/a.tar:busybox:v1`,
    // oci / oci-archive (through a symlink)
    `oci:${T}/link/sub/img:myref`,
    `oci:${T}/real/layout`,
    `oci-archive:${T}/real/a.tar:ref`,
    `oci-archive:${T}/link/a.tar`,
    // dir (symlink resolved; last component need not exist)
    `dir:${T}/link/sub/img`,
    `dir:${T}/real/sub/newimg`,
    `dir:${T}`,
    // containers-storage with an explicit store
    `containers-storage:[vfs@${T}/store+${T}/run]busybox`,
    `containers-storage:[vfs@${T}/store+${T}/run]quay.io/org/repo:v1@${HEX}`,
    `containers-storage:[vfs@${T}/store+${T}/run]busybox:v1@sha256:${HEX2}`,
    `containers-storage:[vfs@${T}/store+${T}/run]@${HEX}`,
    // sif, tarball
    `sif:${T}/real/a.sif`,
    `sif:${T}/link/a.sif`,
    `tarball:${T}/real/t.tar`,
    // parse failures
    "docker://UPPER/x:1",
    "docker-daemon:busybox",
    `docker://busybox:tag@sha256:${HEX}`,
    "nonsense:foo",
    "docker:busybox",
    "dir:",
  ];
}

interface GoRef {
  reference: string;
  parseError?: string;
  transport?: string;
  identity?: string;
  namespaces?: string[];
}

/** Candidate scopes per transport: every identity and namespace the Go transports report, plus decoys. */
function candidateScopes(infos: GoRef[]): Map<string, string[]> {
  const m = new Map<string, Set<string>>();
  for (const i of infos) {
    if (i.parseError !== undefined || !i.transport) continue;
    let s = m.get(i.transport);
    if (!s) m.set(i.transport, (s = new Set()));
    if (i.identity) s.add(i.identity);
    for (const ns of i.namespaces ?? []) s.add(ns);
  }
  m.get("docker")?.add("unmatched");
  m.get("docker")?.add("*.nomatch.example");
  m.get("docker")?.add("docker.io/busybox");
  m.get("dir")?.add(`${tmp}/link`);
  return new Map([...m].map(([k, v]) => [k, [...v]]));
}

const REQUIREMENT_LISTS: RequirementJson[][] = [
  [R.accept],
  [R.reject],
  [R.signedBy],
  [R.sigstore],
  [R.baseLayer],
  [R.signedByX509],
  [R.accept, R.accept],
  [R.accept, R.reject],
  [R.accept, R.signedBy],
  [R.signedBy, R.reject],
  [R.accept, R.baseLayer, R.reject],
];

function randomPolicy(rand: () => number, scopes: Map<string, string[]>): PolicySpec {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const spec: PolicySpec = { default: pick(REQUIREMENT_LISTS) };
  const transports: Record<string, Record<string, RequirementJson[]>> = {};
  const density = 0.1 + rand() * 0.5;
  for (const [t, ss] of scopes) {
    if (rand() < 0.2) continue; // no section for this transport
    const section: Record<string, RequirementJson[]> = {};
    for (const s of ss) if (rand() < density) section[s] = pick(REQUIREMENT_LISTS);
    if (rand() < 0.4) section[""] = pick(REQUIREMENT_LISTS);
    transports[t] = section;
  }
  if (rand() < 0.1) transports["Docker"] = { "": [R.accept] }; // case-sensitive transport names
  spec.transports = transports;
  return spec;
}

describeHarness("simulator vs containers/image 5.23.1 (Go harness)", () => {
  beforeAll(setupTree);
  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("agrees on the upstream precedence table (spec §3.4)", async () => {
    const spec: PolicySpec = {
      default: [R.reject],
      transports: {
        docker: Object.fromEntries(
          [
            "",
            "unmatched",
            "deep.com",
            "*.very.deep.com",
            "*.deep.com",
            "deep.com/n1",
            "deep.com/n1/n2",
            "deep.com/n1/n2/n3",
            "deep.com/n1/n2/n3/repo",
            "deep.com/n1/n2/n3/repo:tag2",
          ].map((s, i) => [s, i % 2 ? [R.accept] : [R.signedBy]]),
        ),
        atomic: { unmatched: [R.accept] },
      },
    };
    const table: [string, string | null][] = [
      ["docker://deep.com/n1/n2/n3/repo:tag2", "deep.com/n1/n2/n3/repo:tag2"],
      ["docker://deep.com/n1/n2/n3/repo:nottag2", "deep.com/n1/n2/n3/repo"],
      ["docker://deep.com/n1/n2/n3/notrepo:tag2", "deep.com/n1/n2/n3"],
      ["docker://deep.com/n1/n2/notn3/repo:tag2", "deep.com/n1/n2"],
      ["docker://deep.com/n1/notn2/n3/repo:tag2", "deep.com/n1"],
      ["docker://deep.com/notn1/n2/n3/repo:tag2", "deep.com"],
      ["docker://very.deep.com/n1/n2/n3/repo:tag2", "*.deep.com"],
      ["docker://not.very.deep.com/n1/n2/n3/repo:tag2", "*.very.deep.com"],
      ["docker://this.does-not/match:anything", ""],
      [`dir:${tmp}/real/sub/img`, null],
    ];
    const sim = createSimulator({ policy: policyIR(spec), parse: { strictPaths: true, debian: true, host: nodeHost() }, bareNames: false });
    const go = await runGoHarness("evaluate", { policy: policyJson(spec), cases: table.map(([reference]) => ({ reference })) });
    for (let i = 0; i < table.length; i++) {
      const [reference, want] = table[i];
      const ours = sim.simulate(reference);
      const theirs = go.cases[i];
      expect(ours.scope?.scope ?? null, reference).toBe(want);
      expect(theirs.scope?.scope ?? null, `Go: ${reference}`).toBe(want);
      expect(ours.verdict === "allow", reference).toBe(theirs.allowed);
      expect(ours.upstreamError ?? "", reference).toBe(theirs.error ?? "");
    }
    // atomic with only "unmatched": the global default (Debian has no atomic transport: the harness mocks it).
    const atomic = await runGoHarness("evaluate", {
      policy: policyJson(spec),
      cases: [{ reference: "this.does-not/match:anything", mockTransport: "atomic" }],
    });
    expect(atomic.cases[0].scope).toBeNull();
  });

  it("agrees on verdict, error and deciding scope for generated policies × references of every transport", async () => {
    const infos: GoRef[] = await runGoHarness("references", { references: refs });
    // Our parser must agree on which references parse at all (detailed identity checks live in test/reference).
    const scopes = candidateScopes(infos);
    expect([...scopes.keys()].sort()).toEqual(
      ["containers-storage", "dir", "docker", "docker-archive", "docker-daemon", "oci", "oci-archive", "sif", "tarball"].sort(),
    );
    const rand = prng(20261125);
    const specs: PolicySpec[] = [];
    for (let i = 0; i < 150; i++) specs.push(randomPolicy(rand, scopes));
    const answers = await runGoHarnessBatch(specs.map((s) => ({ op: "evaluate", policy: policyJson(s), cases: refs.map((reference) => ({ reference })) })));
    let compared = 0;
    let decidedByScope = 0;
    const mismatches: string[] = [];
    for (let p = 0; p < specs.length; p++) {
      const a = answers[p];
      if (!a.ok) throw new Error(`harness: ${a.error}`);
      expect(a.result.policyError, `policy ${p} must be valid`).toBeUndefined();
      const sim = createSimulator({ policy: policyIR(specs[p]), parse: { strictPaths: true, debian: true, host: nodeHost() }, bareNames: false });
      for (let i = 0; i < refs.length; i++) {
        const theirs = a.result.cases[i];
        const ours = sim.simulate(refs[i]);
        compared++;
        const tag = `policy ${p}, ${refs[i]}`;
        if ((theirs.parseError !== undefined) !== (ours.error !== null)) {
          mismatches.push(`${tag}: parse error Go=${theirs.parseError} ours=${ours.error}`);
          continue;
        }
        if (theirs.parseError !== undefined) continue;
        const goScope = theirs.scope ? { transport: theirs.scope.transport, scope: theirs.scope.scope } : null;
        if (goScope) decidedByScope++;
        if (JSON.stringify(ours.scope) !== JSON.stringify(goScope))
          mismatches.push(`${tag}: scope Go=${JSON.stringify(goScope)} ours=${JSON.stringify(ours.scope)}`);
        if ((ours.verdict === "allow") !== theirs.allowed) mismatches.push(`${tag}: verdict Go=${theirs.allowed} ours=${ours.verdict}`);
        if ((ours.upstreamError ?? "") !== (theirs.error ?? "")) mismatches.push(`${tag}: error Go=${theirs.error} ours=${ours.upstreamError}`);
        if (ours.identity !== theirs.identity) mismatches.push(`${tag}: identity Go=${theirs.identity} ours=${ours.identity}`);
        // The trail's namespaces: Go's namespaces up to the one that matched (none when the identity matched or the
        // policy has no section for the transport; all of them when a default decided).
        const hasSection = specs[p].transports?.[theirs.transport] !== undefined;
        const goNs: string[] = theirs.namespaces ?? [];
        let expectedTried: string[] = [];
        if (hasSection && theirs.scope?.match !== "identity") {
          const k = theirs.scope?.match === "namespace" ? goNs.indexOf(theirs.scope.scope) : -1;
          expectedTried = k >= 0 ? goNs.slice(0, k + 1) : goNs;
        }
        if (JSON.stringify(ours.namespacesTried) !== JSON.stringify(expectedTried))
          mismatches.push(`${tag}: namespacesTried Go=${JSON.stringify(expectedTried)} ours=${JSON.stringify(ours.namespacesTried)}`);
        // The bulk path must agree too.
        const fast = sim.decide(refs[i]);
        if (fast.allowed !== theirs.allowed || (fast.error ?? "") !== (theirs.error ?? "") || JSON.stringify(fast.scope) !== JSON.stringify(goScope))
          mismatches.push(`${tag}: decide() Go=${theirs.allowed}/${JSON.stringify(goScope)} ours=${fast.allowed}/${JSON.stringify(fast.scope)}`);
      }
    }
    expect(mismatches.length, mismatches.slice(0, 30).join("\n")).toBe(0);
    expect(compared).toBe(specs.length * refs.length);
    console.log(`differential: ${compared} cases (${specs.length} policies × ${refs.length} references), ${decidedByScope} decided by a transport scope, ${mismatches.length} mismatches`);
    // The generator must exercise scopes, not only defaults.
    expect(decidedByScope).toBeGreaterThan(compared / 3);
  });

  it("agrees on randomly generated docker / docker-daemon / containers-storage references", async () => {
    const rand = prng(777);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const hosts = ["quay.io", "a.b.quay.io", "registry.example.com", "registry.example.com:5000", "localhost", "localhost:5000", "10.1.2.3:443", "docker.io", "index.docker.io", "EXAMPLE.com", "x.y.z.example.org", ""];
    const segs = ["a", "b", "ns", "team-1", "app", "app.v2", "x__y", "library"];
    const tags = ["", ":latest", ":1", ":v1.2.3", ":UPPER_tag", `@sha256:${HEX}`, `@sha256:${HEX2}`];
    const genRef = (): string => {
      const h = pick(hosts);
      const n = 1 + Math.floor(rand() * 3);
      const path = Array.from({ length: n }, () => pick(segs)).join("/");
      return (h ? `${h}/` : "") + path + pick(tags);
    };
    const generated = new Set<string>();
    while (generated.size < 250) {
      const r = genRef();
      const k = rand();
      if (k < 0.75) generated.add(`docker://${r}`);
      else if (k < 0.9) generated.add(`docker-daemon:${r}`);
      else generated.add(`containers-storage:[vfs@${tmp}/store+${tmp}/run]${r}`);
    }
    const genRefs = [...generated];
    const infos: GoRef[] = await runGoHarness("references", { references: genRefs });
    const scopes = candidateScopes(infos);
    const specs: PolicySpec[] = [];
    for (let i = 0; i < 40; i++) specs.push(randomPolicy(rand, scopes));
    const answers = await runGoHarnessBatch(specs.map((s) => ({ op: "evaluate", policy: policyJson(s), cases: genRefs.map((reference) => ({ reference })) })));
    const mismatches: string[] = [];
    let parsed = 0;
    for (let p = 0; p < specs.length; p++) {
      const a = answers[p];
      if (!a.ok) throw new Error(`harness: ${a.error}`);
      expect(a.result.policyError).toBeUndefined();
      const sim = createSimulator({ policy: policyIR(specs[p]), parse: { strictPaths: true, debian: true, host: nodeHost() }, bareNames: false });
      for (let i = 0; i < genRefs.length; i++) {
        const theirs = a.result.cases[i];
        const ours = sim.simulate(genRefs[i]);
        const tag = `policy ${p}, ${genRefs[i]}`;
        if ((theirs.parseError !== undefined) !== (ours.error !== null)) {
          mismatches.push(`${tag}: parse error Go=${theirs.parseError} ours=${ours.error}`);
          continue;
        }
        if (theirs.parseError !== undefined) continue;
        parsed++;
        const goScope = theirs.scope ? { transport: theirs.scope.transport, scope: theirs.scope.scope } : null;
        if (JSON.stringify(ours.scope) !== JSON.stringify(goScope)) mismatches.push(`${tag}: scope Go=${JSON.stringify(goScope)} ours=${JSON.stringify(ours.scope)}`);
        if ((ours.verdict === "allow") !== theirs.allowed) mismatches.push(`${tag}: verdict`);
        if ((ours.upstreamError ?? "") !== (theirs.error ?? "")) mismatches.push(`${tag}: error Go=${theirs.error} ours=${ours.upstreamError}`);
      }
    }
    console.log(`differential (generated references): ${specs.length * genRefs.length} cases, ${parsed} with a parsed reference, ${mismatches.length} mismatches`);
    expect(mismatches.length, mismatches.slice(0, 30).join("\n")).toBe(0);
    expect(parsed).toBeGreaterThan(specs.length * genRefs.length * 0.4);
  });
});
