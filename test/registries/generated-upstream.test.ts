/**
 * Generated differential cases (seeded, reproducible): random registries.conf files × random references and
 * random registries.d directories × random references, through containers/image 5.23.1 and through our
 * code. Every comparison must agree.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { nodeHost } from "../../src/host/node-host.js";
import { loadRegistriesConf } from "../../src/load/registries-conf/index.js";
import { loadRegistriesDDir } from "../../src/load/registries-d/index.js";
import { parseNormalizedNamed } from "../../src/reference/docker-reference.js";
import { signatureStorageFor } from "../../src/registries/lookaside.js";
import { findRegistry, pullSources } from "../../src/registries/resolve.js";
import { runUpstream, shouldSkipUpstream } from "./upstream.js";
import { prng } from "../support/prng.js";

const HEX = "817a12c32a39bbe394944ba49de563e085f1d3c5266eb8e9723256bc4448680e";
const TARGET = [5, 23, 1] as const;


const rnd = prng(20261125);
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
const chance = (p: number) => rnd() < p;

const HOSTS = ["example.com", "a.example.com", "b.a.example.com", "example.com:5000", "docker.io", "quay.io", "localhost:5000", "127.0.0.1:5000", "ghcr.io", "x.b.example.com"];
const PATHS = ["app", "ns/app", "ns/app/sub", "library/busybox", "foo", "foo/bar", "x"];

function randomRef(): string {
  let s = `${pick(HOSTS)}/${pick(PATHS)}`;
  const r = rnd();
  if (r < 0.4) s += `:${pick(["1", "latest", "v2.0"])}`;
  else if (r < 0.7) s += `@sha256:${HEX}`;
  return s;
}

const REFS = Array.from({ length: 40 }, randomRef).concat(["busybox", `busybox@sha256:${HEX}`]);

// ---------------------------------------------------------------------------------------------------------
// registries.conf

const PREFIXES = ["", "example.com", "example.com/ns", "*.example.com", "a.example.com", "*.a.example.com", "docker.io", "docker.io/library", "quay.io", "quay.io/ns", "localhost:5000", "127.0.0.1:5000/app", "*.io", "ghcr.io/foo/"];
const LOCATIONS = ["", "mirror.example.net", "mirror.example.net/ns", "quay.io/mirror", "localhost:5001", "r.example.org:8443/deep/path", "a.example.com", "example.com"];
const MIRRORS = ["m1.example.net", "m2.example.net/ns", "localhost:6000/x", "example.com", "quay.io/m"];

function randomConf(): string {
  const lines: string[] = [];
  if (chance(0.5)) lines.push(`unqualified-search-registries = [${[pick(["quay.io", "docker.io"]), pick(["a.io", "registry.example:5000"])].map((x) => JSON.stringify(x)).join(", ")}]`);
  const n = 2 + Math.floor(rnd() * 6);
  for (let i = 0; i < n; i++) {
    lines.push("", "[[registry]]");
    const prefix = pick(PREFIXES);
    const location = pick(LOCATIONS);
    if (prefix) lines.push(`prefix = ${JSON.stringify(prefix)}`);
    if (location || !prefix) lines.push(`location = ${JSON.stringify(location || pick(LOCATIONS.slice(1)))}`);
    // Mostly consistent insecure/blocked per location so that most files load.
    const key = location || prefix;
    const h = [...key].reduce((a, c) => a + c.charCodeAt(0), 0);
    const insecure = chance(0.9) ? h % 3 === 0 : chance(0.5);
    const blocked = chance(0.9) ? h % 4 === 1 : chance(0.5);
    if (insecure) lines.push("insecure = true");
    if (blocked) lines.push("blocked = true");
    const mbdo = chance(0.2);
    if (mbdo) lines.push("mirror-by-digest-only = true");
    const m = Math.floor(rnd() * 3);
    for (let j = 0; j < m; j++) {
      lines.push("[[registry.mirror]]", `location = ${JSON.stringify(pick(MIRRORS))}`);
      if (chance(0.3)) lines.push("insecure = true");
      if (!mbdo && chance(0.4)) lines.push(`pull-from-mirror = ${JSON.stringify(pick(["all", "digest-only", "tag-only"]))}`);
    }
  }
  return lines.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------------------
// registries.d

const SCOPES = ["example.com", "example.com/ns", "example.com/ns/app", "example.com/ns/app:1", "*.example.com", "*.a.example.com", "a.example.com", "docker.io", "docker.io/library", "docker.io/library/busybox", "quay.io", "*.io", "*.com", "localhost:5000", "*.0.1", "127.0.0.1:5000", "ghcr.io/foo"];
const URLS = ["https://s.example/sigs", "https://s.example/sigs/", "file:///var/sigs", "http://h.example:8080/a/../b?x=1", "file:relative", "https://u:p@s.example/p#f", ""];

function randomNamespace(): string {
  const lines: string[] = [];
  for (const key of ["lookaside", "lookaside-staging", "sigstore", "sigstore-staging"]) {
    if (chance(0.3)) lines.push(`    ${key}: ${JSON.stringify(pick(URLS))}`);
  }
  if (chance(0.4)) lines.push(`    use-sigstore-attachments: ${pick(["true", "false", "yes", "off"])}`);
  return lines.length ? lines.join("\n") : "    {}";
}

function randomRegistriesD(): Record<string, string> {
  const files: Record<string, string> = {};
  const nFiles = 1 + Math.floor(rnd() * 3);
  const used = new Set<string>();
  for (let f = 0; f < nFiles; f++) {
    const lines: string[] = [];
    if (chance(0.3) && !used.has("default-docker")) {
      used.add("default-docker");
      lines.push("default-docker:", randomNamespace().replace(/^ {4}/gm, "  "));
    }
    lines.push("docker:");
    const n = 1 + Math.floor(rnd() * 5);
    for (let i = 0; i < n; i++) {
      let scope = pick(SCOPES);
      if (used.has(scope) && chance(0.9)) continue; // occasionally a duplicate across files (an error upstream)
      used.add(scope);
      lines.push(`  ${JSON.stringify(scope)}:`, randomNamespace());
    }
    files[`f${f}.yaml`] = lines.join("\n") + "\n";
  }
  return files;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "imagetrust-gen-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(shouldSkipUpstream())("generated cases agree with containers/image 5.23.1", () => {
  it("80 random registries.conf × 42 references (FindRegistry, PullSourcesFromReference, blocked per attempt)", () => {
    const confs = Array.from({ length: 80 }, randomConf);
    const paths = confs.map((text, i) => {
      const dir = path.join(tmp, `conf${i}`);
      fs.mkdirSync(path.join(dir, "d"), { recursive: true });
      fs.writeFileSync(path.join(dir, "registries.conf"), text);
      return dir;
    });
    const go = runUpstream<{
      loadError?: string;
      refs: Array<{ ref: string; registry?: { prefix: string }; sources?: Array<{ location: string; insecure: boolean; reference: string; blocked: boolean }>; sourcesError?: string }>;
    }>(paths.map((dir) => ({ op: "registries", conf: path.join(dir, "registries.conf"), confDir: path.join(dir, "d"), aliasCache: path.join(dir, "cache.conf"), refs: REFS, names: [] })));
    const mismatches: string[] = [];
    let compared = 0;
    let loadedCount = 0;
    paths.forEach((dir, i) => {
      const ours = loadRegistriesConf({ host: nodeHost(), confPath: path.join(dir, "registries.conf"), confDirs: [path.join(dir, "d")], explicit: true, target: TARGET });
      const g = go[i];
      compared++;
      if (g.loadError !== undefined || !ours.value) {
        const msg = ours.diagnostics.find((d) => d.upstreamMessage)?.upstreamMessage;
        if (g.loadError !== msg) mismatches.push(`conf ${i}: load\n  go:  ${g.loadError}\n  our: ${msg ?? "(loads)"}\n${confs[i]}`);
        return;
      }
      loadedCount++;
      for (const gr of g.refs) {
        compared++;
        const p = parseNormalizedNamed(gr.ref);
        if (!p.ok) continue;
        const reg = findRegistry(ours.value, `${p.ref.domain}/${p.ref.path}`);
        const ps = reg ? pullSources(ours.value, p.ref) : undefined;
        const got = {
          prefix: reg?.prefix ?? null,
          sources: ps === undefined ? null : ps.ok ? ps.sources.map((s) => ({ location: s.location, insecure: s.insecure, reference: s.referenceString, blocked: s.blockedError !== undefined })) : ps.error,
        };
        const want = { prefix: gr.registry?.prefix ?? null, sources: gr.registry ? (gr.sourcesError ?? gr.sources) : null };
        if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`conf ${i} ref ${gr.ref}\n  go:  ${JSON.stringify(want)}\n  our: ${JSON.stringify(got)}\n${confs[i]}`);
      }
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
    if (process.env.DEBUG_GEN) console.log(`registries.conf: ${loadedCount} of 80 load; ${compared} comparisons`);
    expect(loadedCount).toBeGreaterThan(20);
    expect(compared).toBeGreaterThan(1000);
  });

  it("80 random registries.d directories × 42 references (lookaside read/write, attachments)", () => {
    const dirs = Array.from({ length: 80 }, () => randomRegistriesD());
    const dirPaths = dirs.map((files, i) => {
      const dir = path.join(tmp, `rd${i}`);
      fs.mkdirSync(dir);
      for (const [n, t] of Object.entries(files)) fs.writeFileSync(path.join(dir, n), t);
      return dir;
    });
    const go = runUpstream<Array<{ ref: string; parseError?: string; read?: string; readError?: string; write?: string; writeError?: string; attachments?: boolean; loadError?: string }>>(
      dirPaths.map((dir) => ({ op: "lookaside", dir, refs: REFS })),
      { _CONTAINERS_ROOTLESS_UID: "0", HOME: "/root" },
    );
    const mismatches: string[] = [];
    let compared = 0;
    dirPaths.forEach((dir, i) => {
      const loaded = loadRegistriesDDir(dir, { host: nodeHost(), target: TARGET });
      for (const g of go[i]) {
        compared++;
        const p = parseNormalizedNamed(g.ref);
        if (!p.ok) continue;
        if (g.loadError !== undefined) {
          const msg = loaded.diagnostics.find((d) => d.upstreamMessage)?.upstreamMessage;
          if (loaded.value || msg !== g.loadError) mismatches.push(`dir ${i}: load\n  go:  ${g.loadError}\n  our: ${msg ?? "(loads)"}`);
          continue;
        }
        if (!loaded.value) {
          mismatches.push(`dir ${i}: we fail to load: ${loaded.diagnostics.map((d) => d.message).join("; ")}`);
          continue;
        }
        const r = signatureStorageFor(p.ref, loaded.value, { euid: 0, home: "/root", target: TARGET });
        const norm = (v: string | null, e: string | undefined) => (v !== null ? v : e?.includes("panics") ? "PANIC" : e);
        const got = [norm(r.lookasideBase, r.error), norm(r.lookasideWriteBase, r.writeError), r.useSigstoreAttachments];
        const goNorm = (v: string | undefined, e: string | undefined) => v ?? (e?.startsWith("PANIC") ? "PANIC" : e);
        const want = [goNorm(g.read, g.readError), goNorm(g.write, g.writeError), g.attachments];
        if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`dir ${i} ref ${g.ref}\n  go:  ${JSON.stringify(want)}\n  our: ${JSON.stringify(got)}\n${JSON.stringify(dirs[i])}`);
      }
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
    if (process.env.DEBUG_GEN) console.log(`registries.d: ${go.filter((x) => x[0]?.loadError === undefined).length} of 80 load; ${compared} comparisons`);
    expect(compared).toBe(80 * REFS.length);
  });
});
