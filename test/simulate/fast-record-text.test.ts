/**
 * The bulk records' common case written from decide()'s one scan of the text (src/simulate/fast-record-text.ts): the
 * record equals the exact path's byte for byte for every way a scope can decide (identity, repository, each parent
 * namespace down to host[:port], `*.` wildcards, docker.io's fixed namespaces behind a familiar or written name, the
 * transport's "" scope, the global default, a transport without a section), with and without a default-docker
 * lookaside, for docker and docker-daemon; and most records of a run are written that way once the repository path
 * made their templates.
 */
import { describe, expect, it } from "vitest";
import type { RegistriesDConfig } from "../../src/ir/types.js";
import { BufferedOutput, projectRecord } from "../../src/cli/simulate-output.js";
import type { EvidenceSource } from "../../src/simulate/evidence-source.js";
import { createFastRecords } from "../../src/simulate/fast-record.js";
import { createSimulator } from "../../src/simulate/simulate.js";
import { simulateWithEvidence } from "../../src/simulate/simulate-evidence.js";
import { policyIR, prng, R, type RequirementJson } from "./policy-builder.js";

const NO_EVIDENCE: EvidenceSource = { requested: false, gather: async () => null };

function policy(seed: number) {
  const r = prng(seed);
  const lists: RequirementJson[][] = [[R.accept], [R.reject], [R.signedBy], [R.sigstore], [R.accept, R.reject], [{ ...R.sigstore, signedIdentity: { type: "matchRepository" } }]];
  const pick = () => lists[Math.floor(r() * lists.length)];
  const docker: Record<string, RequirementJson[]> = {
    "quay.io/acme/app:v1": pick(),
    "quay.io/acme/app": pick(),
    "quay.io/acme": pick(),
    "quay.io": pick(),
    "registry.example.com:5000/team": pick(),
    "*.zone.example.net": pick(),
    "*.net": pick(),
    "docker.io/library/busybox": pick(),
    "docker.io/library": pick(),
    "docker.io/acme": pick(),
  };
  if (seed % 2 === 0) docker["docker.io"] = pick();
  if (seed % 3 === 0) docker["*.io"] = pick();
  if (seed % 4 !== 1) docker[""] = pick();
  const transports: Record<string, Record<string, RequirementJson[]>> = { docker };
  if (seed % 5 !== 2) transports["docker-daemon"] = { "quay.io/acme": pick(), ...(seed % 2 === 0 ? { "": pick() } : {}) };
  return policyIR({ default: seed % 2 === 0 ? [R.reject] : [R.accept], transports });
}

const NAMES = [
  "quay.io/acme/app",
  "quay.io/acme/app/sub",
  "quay.io/acme/other",
  "quay.io/x/y",
  "registry.example.com:5000/team/app",
  "registry.example.com:5000/other/app",
  "a.b.zone.example.net/p",
  "x.zone.example.net:5000/a/b",
  "other.net/a",
  "localhost:5000/app",
  "localhost/app",
  "busybox",
  "library/busybox",
  "docker.io/library/busybox",
  "index.docker.io/library/alpine",
  "acme/tool",
  "docker.io/acme/tool/sub",
  "docker.io/other/x",
  "my-registry.local/ns/img.name_x",
];
const TAILS = ["", ":latest", ":v1", ":v2", ":1.36", `@sha256:${"ab".repeat(32)}`];

describe("bulk records from the one-pass scan", () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`equal the exact path's records (policy ${seed})`, async () => {
      const registriesD: RegistriesDConfig | undefined = seed % 2 === 0 ? { docker: [], defaultDocker: { file: "/d.yaml", storage: { lookaside: "https://sigs.example.com/x", useSigstoreAttachments: seed % 4 === 0 } } } : undefined;
      const o = { policy: policy(seed), registriesD, env: { euid: seed % 3 === 0 ? 1000 : 0, home: "/home/u" }, parse: { cwd: "/" }, bareNames: false };
      const fast = createFastRecords(createSimulator(o))!;
      const plain = createSimulator(o);
      const refs: string[] = [];
      for (const name of NAMES) for (const tail of TAILS) for (const t of ["docker://", "docker-daemon:"]) if (!(t === "docker-daemon:" && tail === "")) refs.push(t + name + tail);
      // Twice: the first pass makes the templates, the second is written from the scan.
      for (const ref of [...refs, ...refs]) {
        const got = fast.record(ref);
        expect(got, ref).toBeDefined();
        const exact = await simulateWithEvidence(plain, ref, NO_EVIDENCE);
        expect(got!.json, ref).toBe(JSON.stringify(projectRecord(exact, { kind: "lean" })));
        expect(got!.verdict).toBe(exact.verdict);
      }
      // Every reference of the second pass (sha256 digests included).
      expect(fast.scanned.records).toBeGreaterThanOrEqual(refs.length);
    });
  }

  it("write long references into a small output buffer as they are (the room made for a record holds it)", async () => {
    const o = { policy: policy(6), env: { euid: 0 }, parse: { cwd: "/" }, bareNames: false };
    const fast = createFastRecords(createSimulator(o))!;
    const plain = createSimulator(o);
    // Long names: many components, many host labels (every `*.` wildcard tried), the grammar's maximum length.
    const host = Array.from({ length: 25 }, (_, i) => `l${i}`).join(".") + ".zone.example.net";
    const path = Array.from({ length: 25 }, (_, i) => `c${i}`).join("/");
    const longest = "a".repeat(255 - "quay.io/".length);
    const names = [`${host}/${path}`, `${host}:5000/${path}`, `quay.io/${longest}`, `docker.io/${path}`, path, "quay.io/acme/app"];
    const refs = names.flatMap((n) => ["", ":v1", `:${"t".repeat(128)}`, `@sha256:${"cd".repeat(32)}`].flatMap((t) => [`docker://${n}${t}`, `docker-daemon:${n}${t}`]));
    const chunks: Uint8Array[] = [];
    const out = new BufferedOutput({ write: (t) => (chunks.push(Buffer.from(t)), true), writeBytes: (b) => (chunks.push(Buffer.from(b)), true) }, 512);
    const want: string[] = [];
    for (const ref of [...refs, ...refs]) {
      const exact = JSON.stringify(projectRecord(await simulateWithEvidence(plain, ref, NO_EVIDENCE), { kind: "lean" }));
      want.push(exact);
      if (fast.prepare(ref) === undefined) out.write(exact);
      else fast.writePrepared(out);
    }
    await out.flush();
    const gotText = Buffer.concat(chunks).toString("utf8");
    const wantText = want.join("");
    expect(gotText).toBe(wantText);
    // The second pass of every reference that parses is written from the scan.
    const parsed = want.slice(0, refs.length).filter((w) => w.includes('"error":null')).length;
    expect(parsed).toBeGreaterThan(30);
    expect(fast.scanned.records).toBeGreaterThanOrEqual(parsed);
  });
});
