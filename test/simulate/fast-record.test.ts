/**
 * The fast path (src/simulate/fast-path.ts, fast-record.ts) says byte for byte what the exact path says: over generated
 * policies (every requirement type and signedIdentity rule, labels, transport defaults, wildcard hosts, no section for
 * a transport, the global default), registries.d configurations (lookasides by scope, by identity, default-docker,
 * sigstore attachments), runtime users, targets, --debian, and thousands of generated references (tags, digests,
 * name-only, docker-daemon ids, bad names, bad tags, parse errors, other transports), the fast `decide` equals
 * `decideUncached`, and the fast record equals JSON.stringify of the exact record (`simulateWithEvidence` without
 * evidence, projected as `simulate --format jsonl` projects it) for the lean record and `--fields` selections.
 */
import { describe, expect, it } from "vitest";
import type { Policy, RegistriesDConfig } from "../../src/ir/types.js";
import type { Version } from "../../src/ir/versions.js";
import { projectRecord, type RecordSelection } from "../../src/cli/simulate-output.js";
import type { EvidenceSource } from "../../src/simulate/evidence-source.js";
import { createFastDecider, fastDecideText } from "../../src/simulate/fast-decide.js";
import { fastPathOf } from "../../src/simulate/fast-path.js";
import { createFastRecords } from "../../src/simulate/fast-record.js";
import { createSimulator, decideUncached } from "../../src/simulate/simulate.js";
import { simulateWithEvidence } from "../../src/simulate/simulate-evidence.js";
import type { SimulationOptions } from "../../src/simulate/types.js";
import { policyIR, prng, R, type RequirementJson } from "./policy-builder.js";

const HEX = "0123456789abcdef".repeat(4);
const NO_EVIDENCE: EvidenceSource = { requested: false, gather: async () => null };

const IDENTITIES: (RequirementJson | undefined)[] = [
  undefined,
  { type: "matchExact" },
  { type: "matchRepoDigestOrExact" },
  { type: "matchRepository" },
  { type: "exactReference", dockerReference: "quay.io/acme/app:v1" },
  { type: "exactRepository", dockerRepository: "quay.io/acme/app" },
  { type: "remapIdentity", prefix: "quay.io/acme", signedPrefix: "registry.example.com/mirror" },
  { type: "remapIdentity", prefix: "docker.io", signedPrefix: "mirror.example.com:5000/hub" },
];

function requirementPool(r: () => number): RequirementJson[] {
  const pool: RequirementJson[] = [R.accept, R.reject, R.signedBy, R.signedByX509, R.sigstore, R.baseLayer];
  for (const id of IDENTITIES) {
    pool.push(id ? { ...R.signedBy, signedIdentity: id } : { ...R.signedBy, keyPaths: ["/k/a.gpg", "/k/b.gpg"], keyPath: undefined });
    pool.push(id ? { ...R.sigstore, signedIdentity: id } : { type: "sigstoreSigned", keyData: "QUJDRA==" });
  }
  pool.push({ type: "signedBy", keyType: "GPGKeys", keyPaths: [] });
  pool.push({ type: "sigstoreSigned", fulcio: { caPath: "/ca.pem", oidcIssuer: "https://issuer", subjectEmail: "a@b.c" }, rekorPublicKeyPath: "/rekor.pub" });
  // A policy whose own text spells the placeholder the fast path splits around must not confuse it.
  pool.push({ type: "signedBy", keyType: "GPGKeys", keyPath: "/k/\u0001imagetrust:image-name\u0001" });
  return pool.map((q) => JSON.parse(JSON.stringify(q)) as RequirementJson).filter(() => r() < 2);
}

const NAMES = [
  "busybox",
  "library/busybox",
  "docker.io/library/busybox",
  "index.docker.io/library/busybox",
  "quay.io/acme/app",
  "quay.io/acme/app/sub",
  "quay.io/acme/other",
  "quay.io/x/y",
  "a.b.example.com/p/q",
  "x.zone1.example.net:5000/a/b",
  "registry.example.com/team/app",
  "registry.example.com:5000/team/app",
  "localhost/app",
  "localhost:5000/app",
  "sha256",
  "Bad/Name",
  "ghcr.io/o/r",
  "ghcr.io/O/r",
  "my-registry.local/ns/img.name_x",
  HEX,
  "a".repeat(250),
  "quay.io/\u0001imagetrust:image-name\u0001",
];
const HEX2 = "5f".repeat(32);
const TAILS = ["", ":latest", ":1.36", ":v1", ":v2", `@sha256:${HEX}`, `@sha256:${HEX2}`, `@sha256:${"9".repeat(64)}`, `@sha512:${HEX}${HEX}`, "@sha256:abc", ":bad tag!", ":" + "t".repeat(129), ":v1@sha256:" + HEX, "@@unknown-digest@@", ":_x.y-z", ":-x", "@sha256:" + HEX.toUpperCase()];

/** A name made of the characters names are made of, in any order (the lean scanner must refuse what upstream refuses). */
function randomName(r: () => number): string {
  const alphabet = "ab9Z.-_:/";
  const parts = ["", "localhost", "localhost:5000", "docker.io", "index.docker.io", "Quay.IO", "q-1.io:80", "a..b", "-a.io", "a-.io", "x_y.io"];
  let s = r() < 0.5 ? parts[Math.floor(r() * parts.length)] + "/" : "";
  const len = 1 + Math.floor(r() * 12);
  for (let i = 0; i < len; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}

function references(n: number, seed: number): string[] {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = (r() < 0.3 ? randomName(r) : pick(NAMES)) + pick(TAILS);
    const k = r();
    out.push(
      k < 0.6 ? `docker://${name}`
      : k < 0.8 ? `docker-daemon:${name}`
      : k < 0.82 ? `docker-daemon:sha256:${HEX}`
      : k < 0.83 ? `docker-daemon:sha384:${HEX}${HEX.slice(0, 32)}`
      : k < 0.86 ? `docker:${name}`
      : k < 0.88 ? `docker:///${name}`
      : k < 0.9 ? `containers-storage:${name}`
      : k < 0.92 ? name
      : `docker://${name.toUpperCase()}`,
    );
  }
  return out;
}

const SCOPES = [
  "",
  "docker.io",
  "docker.io/library",
  "docker.io/library/busybox",
  "docker.io/library/busybox:1.36",
  "quay.io",
  "quay.io/acme",
  "quay.io/acme/app",
  "quay.io/acme/app:v1",
  `quay.io/acme/app@sha256:${HEX}`,
  "*.example.com",
  "*.example.net",
  "*.zone1.example.net",
  "x.zone1.example.net:5000",
  "registry.example.com:5000/team",
  "localhost",
  "ghcr.io/o/r:v2",
];

function generatedPolicy(seed: number): Policy {
  const r = prng(seed);
  const pool = requirementPool(r);
  const list = () => Array.from({ length: 1 + Math.floor(r() * 3) }, () => pool[Math.floor(r() * pool.length)]);
  const section = () => Object.fromEntries(SCOPES.filter(() => r() < 0.45).map((s) => [s, list()]));
  const transports: Record<string, Record<string, RequirementJson[]>> = {};
  if (r() < 0.9) transports.docker = section();
  if (r() < 0.7) transports["docker-daemon"] = section();
  const policy = policyIR({ default: list(), transports });
  // Trust levels from a .trust source label some entries.
  for (const t of policy.transports) for (const s of t.scopes) if (r() < 0.3) s.labels = { level: r() < 0.5 ? "strict" : "relaxed" };
  if (r() < 0.3) policy.defaultLabels = { level: "baseline" };
  return policy;
}

function registriesD(seed: number): RegistriesDConfig | undefined {
  const r = prng(seed);
  if (r() < 0.25) return undefined;
  const docker: RegistriesDConfig["docker"] = [];
  const add = (scope: string, storage: RegistriesDConfig["docker"][number]["storage"]) => docker.push({ scope, file: "/etc/containers/registries.d/x.yaml", storage });
  if (r() < 0.6) add("quay.io", { lookaside: "https://sigs.example.com/quay", useSigstoreAttachments: r() < 0.5 });
  if (r() < 0.5) add("quay.io/acme/app:v1", { lookaside: "file:///srv/sigs/v1" }); // a section for one identity
  if (r() < 0.3) add(`quay.io/acme/app@sha256:${HEX2}`, { lookaside: "file:///srv/sigs/digest", useSigstoreAttachments: true });
  if (r() < 0.3) add("a.b.example.com/p", { lookaside: "https://example.com/a%20b/", useSigstoreAttachments: true });
  if (r() < 0.5) add("docker.io/library/busybox:1.36", { useSigstoreAttachments: true });
  if (r() < 0.4) add("registry.example.com", { lookaside: "https://user:secret@sigs.example.com/r" });
  if (r() < 0.3) add("ghcr.io", { lookaside: "not a url" });
  const config: RegistriesDConfig = { docker };
  if (r() < 0.5) config.defaultDocker = { file: "/etc/containers/registries.d/default.yaml", storage: { lookaside: "file:///var/lib/sigs" } };
  return config;
}

const TARGETS: (Version | undefined)[] = [undefined, [5, 23, 1], [5, 30, 0], [5, 36, 0]];

function options(seed: number): SimulationOptions {
  const r = prng(seed * 7 + 1);
  const target = TARGETS[Math.floor(r() * TARGETS.length)];
  const debian = r() < 0.3;
  return {
    policy: generatedPolicy(seed),
    registriesD: registriesD(seed),
    env: r() < 0.5 ? { euid: 0 } : { euid: 1000, home: "/home/u" },
    parse: { cwd: "/", target, debian },
    bareNames: false,
  };
}

const SELECTIONS: RecordSelection[] = [
  { kind: "lean" },
  { kind: "fields", fields: new Set(["ref", "verdict", "scope"]) },
  { kind: "fields", fields: new Set(["requirements", "identity", "signatures", "warnings"]) },
  { kind: "fields", fields: new Set(["signatureLookup", "namespacesTried", "upstreamError", "reasons", "error", "transport", "pullSources"]) },
];

describe("the fast path says what the exact path says", () => {
  it("decide: equal to decideUncached over generated policies and references", () => {
    let fastUsed = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const o = options(seed);
      const fast = createSimulator(o);
      const plain = createSimulator(o);
      const decider = createFastDecider(fastPathOf(createSimulator(o)));
      for (const ref of references(400, seed)) {
        const d = fast.decide(ref);
        expect(d, `${seed} ${ref}`).toEqual(decideUncached(plain, ref));
        // decide() took the one-scan path (fast-decide.ts) for this reference.
        if (fastDecideText(decider, ref) !== undefined) fastUsed++;
      }
    }
    expect(fastUsed).toBeGreaterThan(3000);
  });

  it("records: byte-identical to the exact record, lean and --fields selections", async () => {
    let fastUsed = 0;
    let fallbacks = 0;
    const counts = { templated: 0, explained: 0 };
    for (let seed = 1; seed <= 40; seed++) {
      const o = options(seed);
      const selection = SELECTIONS[seed % SELECTIONS.length];
      const fast = createFastRecords(createSimulator(o), selection.kind === "fields" ? selection.fields : undefined)!;
      expect(fast).toBeDefined();
      const plain = createSimulator(o);
      const refs = references(400, seed * 31);
      // Twice: the second pass is served from the per-repository and per-list memos.
      for (const ref of [...refs, ...refs]) {
        const got = fast.record(ref);
        if (got === undefined) {
          fallbacks++;
          continue;
        }
        fastUsed++;
        const exact = await simulateWithEvidence(plain, ref, NO_EVIDENCE);
        expect(got.json, `seed ${seed} ${ref}`).toBe(JSON.stringify(projectRecord(exact, selection)));
        expect(got.verdict).toBe(exact.verdict);
      }
      counts.templated += fast.counts.templated;
      counts.explained += fast.counts.explained;
    }
    // Filled in from templates (signature requirements included), explained exactly only where a template cannot stand.
    expect(counts.templated).toBeGreaterThan(7000);
    expect(counts.explained).toBeGreaterThan(100);
    expect(fastUsed).toBeGreaterThan(6000);
    expect(fallbacks).toBeGreaterThan(1000);
  });

  it("signature requirements: every signedIdentity rule, GPG and sigstore, lookaside and attachments, from templates", async () => {
    const registries: RegistriesDConfig = {
      docker: [
        { scope: "quay.io", file: "/etc/containers/registries.d/q.yaml", storage: { lookaside: "https://sigs.example.com/quay", useSigstoreAttachments: true } },
        { scope: "ghcr.io/o", file: "/etc/containers/registries.d/g.yaml", storage: { lookaside: "file:///srv/sigs" } },
      ],
      defaultDocker: { file: "/etc/containers/registries.d/default.yaml", storage: { lookaside: "file:///var/lib/sigs" } },
    };
    const names = ["quay.io/acme/app", "quay.io/acme/app/sub", "quay.io/acme/other", "ghcr.io/o/r", "ghcr.io/o/s/t", "docker.io/library/busybox", "registry.example.com/mirror/x"];
    const tails = [":v1", ":v2", ":latest", `@sha256:${HEX}`, `@sha256:${HEX2}`, `@sha512:${HEX}${HEX}`];
    const refs: string[] = [];
    for (const n of names) for (const t of tails) refs.push(`docker://${n}${t}`, `docker-daemon:${n}${t}`);
    for (const id of IDENTITIES) {
      for (const base of [R.signedBy, R.sigstore]) {
        const req = id ? { ...base, signedIdentity: id } : base;
        for (const registriesD of [registries, undefined]) {
          const o: SimulationOptions = {
            policy: policyIR({ default: [req], transports: { docker: { "quay.io/acme": [req], "ghcr.io": [R.accept, req], "": [req] } } }),
            registriesD,
            env: { euid: 1000, home: "/home/u" },
            parse: { cwd: "/" },
            bareNames: false,
          };
          const fast = createFastRecords(createSimulator(o))!;
          const plain = createSimulator(o);
          for (const ref of [...refs, ...refs]) {
            const got = fast.record(ref);
            if (got === undefined) continue;
            const exact = await simulateWithEvidence(plain, ref, NO_EVIDENCE);
            expect(got.json, `${JSON.stringify(req)} ${ref}`).toBe(JSON.stringify(projectRecord(exact, { kind: "lean" })));
          }
          const label = `${req.type} ${id?.type ?? "default"}`;
          // A reference under a remapIdentity prefix is rewritten and parsed: explained exactly; everything else is filled in.
          if (id?.type === "remapIdentity") expect(fast.counts.explained, label).toBeGreaterThan(0);
          else expect(fast.counts.explained, label).toBe(0);
          expect(fast.counts.templated, label).toBeGreaterThan(refs.length);
        }
      }
    }
  });

  it("a policy that spells a template's marker itself is explained exactly", async () => {
    const req = { ...R.signedBy, keyPath: "/k/\u0001D\u0001/\u0001P\u0001" };
    const o: SimulationOptions = { policy: policyIR({ default: [req], transports: { docker: { "": [req] } } }), parse: { cwd: "/" }, bareNames: false };
    const fast = createFastRecords(createSimulator(o))!;
    const plain = createSimulator(o);
    for (const ref of ["docker://quay.io/a/b:v1", "docker://quay.io/a/c:v1", "docker://ghcr.io/x/y:1"]) {
      const exact = await simulateWithEvidence(plain, ref, NO_EVIDENCE);
      expect(fast.record(ref)!.json).toBe(JSON.stringify(projectRecord(exact, { kind: "lean" })));
    }
    expect(fast.counts).toEqual({ templated: 0, explained: 3 });
  });

  it("is not offered where the record depends on more than the text (evidence, registries.conf, a manifest, --explain)", () => {
    const policy = generatedPolicy(3);
    expect(createFastRecords(createSimulator({ policy, manifest: new Uint8Array([1]) }))).toBeUndefined();
    expect(createFastRecords(createSimulator({ policy, evidence: { evaluate: () => ({ allowed: true }) } }))).toBeUndefined();
    expect(createFastRecords(createSimulator({ policy }), new Set(["ref", "trail"]))).toBeUndefined();
    const fast = createFastRecords(createSimulator({ policy }))!;
    for (const ref of ["dir:/x", "oci:/x:y", "busybox", "containers-storage:busybox", "docker:busybox", "docker://Bad"]) expect(fast.record(ref), ref).toBeUndefined();
  });
});
