/**
 * Differential test: registries.conf (+ drop-ins + alias cache) × references × short names through
 * containers/image 5.23.1 (`sysregistriesv2.GetRegistries` / `FindRegistry` / `PullSourcesFromReference`,
 * the per-attempt blocked check, `shortnames.Resolve` / `ResolveLocally`), compared with
 * loadRegistriesConf + findRegistry / pullSources / resolveShortName / resolveLocally. 100 % agreement.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { nodeHost } from "../../src/host/node-host.js";
import { loadRegistriesConf, loadShortNameAliasCache } from "../../src/load/registries-conf/index.js";
import { parseNormalizedNamed } from "../../src/reference/docker-reference.js";
import { findRegistry, pullSources, resolveLocally, resolveShortName } from "../../src/registries/resolve.js";
import type { RegistryEntry, ShortNameAlias } from "../../src/registries/types.js";
import { SourceFile } from "../../src/source/source-file.js";
import { runUpstream, shouldSkipUpstream } from "./upstream.js";

const HEX = "817a12c32a39bbe394944ba49de563e085f1d3c5266eb8e9723256bc4448680e";

interface Case {
  name: string;
  main?: string;
  dropIns?: Record<string, string>;
  aliasCache?: string;
}

const BIG = `
unqualified-search-registries = ["registry.fedoraproject.org", "quay.io", "docker.io"]
short-name-mode = "enforcing"

[[registry]]
prefix = "example.com/foo"
location = "internal.example.com/bar"
insecure = true
[[registry.mirror]]
location = "mirror-1.example.com/foo"
[[registry.mirror]]
location = "mirror-2.example.com"
insecure = true
pull-from-mirror = "digest-only"
[[registry.mirror]]
location = "mirror-3.example.com/x"
pull-from-mirror = "tag-only"

[[registry]]
location = "blocked.example.com"
blocked = true
[[registry.mirror]]
location = "ok-mirror.example.net"

[[registry]]
prefix = "*.wild.example.com"
location = "rewritten.example.net/w"

[[registry]]
prefix = "*.example.com"

[[registry]]
location = "a.example.com"
insecure = true

[[registry]]
prefix = "ab.example.com"
location = "ab.example.net"

[[registry]]
prefix = "docker.io/library"
location = "quay.io/libpod"
mirror-by-digest-only = true
[[registry.mirror]]
location = "mirror.gcr.io/library"

[[registry]]
prefix = "docker.io"
location = "docker.io"
[[registry.mirror]]
location = "mirror.example.net/"

[[registry]]
location = "blocked-target.example"
blocked = true

[[registry]]
location = "uses-blocked.example"
[[registry.mirror]]
location = "blocked-target.example/x"

[[registry]]
prefix = "rewrite-blocked.example"
location = "elsewhere.example"
blocked = true

[[registry]]
prefix = "example.com"
location = "mirror.example.net"

[[registry]]
prefix = "example.org/foo"
location = "example.org/foo"
[[registry.mirror]]
location = "mirror2.local"

[[registry]]
prefix = "quay.io/a:tag"
location = "never.example"

[[registry]]
prefix = "dup.example"
location = "first.example"
[[registry]]
prefix = "dup.example"
location = "second.example"

[aliases]
"fedora" = "registry.fedoraproject.org/fedora"
"library/fedora" = "quay.io/lib/fedora"
"reset" = ""
"localhost" = "quay.io/x/localhost"
"nginx" = "docker.io/nginx"
`;

const CASES: Case[] = [
  { name: "big", main: BIG },
  { name: "empty", main: "" },
  { name: "comments only", main: "# nothing\n" },
  { name: "missing main file" },
  {
    name: "drop-ins",
    main: `unqualified-search-registries = ["a.io", "b.io"]
short-name-mode = "enforcing"
[[registry]]
prefix = "x.io"
location = "x-mirror.io"
[[registry.mirror]]
location = "m.x.io"
[[registry]]
location = "keep.io"
blocked = true
[aliases]
foo = "quay.io/foo"
baz = "quay.io/baz"
`,
    dropIns: {
      "10-a.conf": `[[registry]]
prefix = "x.io"
location = "x2.io"
insecure = true
[aliases]
foo = ""
bar = "docker.io/bar"
`,
      "20-b.conf": 'unqualified-search-registries = ["c.io"]\nshort-name-mode = "disabled"\n',
      "30-c.conf": "unqualified-search-registries = []\n",
      "notes.txt": "not read",
    },
  },
  { name: "drop-in keeps search", main: 'unqualified-search-registries = ["a.io", "b.io"]\n', dropIns: { "a.conf": '[aliases]\nq = "q.io/q"\n' } },
  { name: "drop-in v1", main: "", dropIns: { "a.conf": '[registries.search]\nregistries = ["a.io"]\n' } },
  { name: "drop-in error", main: 'unqualified-search-registries = ["a.io"]\n', dropIns: { "a.conf": 'short-name-mode = "nope"\n' } },
  { name: "v1", main: '[registries.search]\nregistries = ["docker.io", "quay.io"]\n[registries.insecure]\nregistries = ["localhost:5000/"]\n[registries.block]\nregistries = ["bad.io", "localhost:5000"]\n' },
  { name: "v1 mixed", main: '[registries.search]\nregistries = ["docker.io"]\n[[registry]]\nlocation = "a.io"\n' },
  { name: "v1 scheme", main: '[registries.block]\nregistries = ["https://bad.io"]\n' },
  { name: "v1 empty lists", main: '[registries.search]\nregistries = []\n' },
  { name: "one search enforcing", main: 'unqualified-search-registries = ["quay.io"]\nshort-name-mode = "enforcing"\n' },
  { name: "no search", main: 'short-name-mode = "enforcing"\n' },
  { name: "permissive", main: 'unqualified-search-registries = ["quay.io", "docker.io", "quay.io"]\nshort-name-mode = "permissive"\n' },
  { name: "disabled", main: 'unqualified-search-registries = ["quay.io", "docker.io"]\nshort-name-mode = "disabled"\n' },
  { name: "alias tag", main: '[aliases]\nfoo = "quay.io/foo:1"\n' },
  { name: "alias digest", main: `[aliases]\nfoo = "quay.io/foo@sha256:${HEX}"\n` },
  { name: "alias no registry", main: '[aliases]\nfoo = "foo/bar"\n' },
  { name: "alias name with registry", main: '[aliases]\n"quay.io/foo" = "quay.io/foo"\n' },
  { name: "alias name with tag", main: '[aliases]\n"foo:1" = "quay.io/foo"\n' },
  { name: "alias bad value", main: '[aliases]\nfoo = "Quay.io/UPPER"\n' },
  { name: "location scheme", main: '[[registry]]\nlocation = "https://a.io"\n' },
  { name: "prefix scheme", main: '[[registry]]\nprefix = "http://a.io"\nlocation = "a.io"\n' },
  { name: "no location no prefix", main: "[[registry]]\ninsecure = true\n" },
  { name: "prefix without location", main: '[[registry]]\nprefix = "mirror-test.com"\n' },
  { name: "pull-from-mirror on primary", main: '[[registry]]\nlocation = "a.io"\npull-from-mirror = "all"\n' },
  { name: "mirror without location", main: '[[registry]]\nlocation = "a.io"\n[[registry.mirror]]\ninsecure = true\n' },
  { name: "mirror slash only", main: '[[registry]]\nlocation = "a.io"\n[[registry.mirror]]\nlocation = "/"\n' },
  { name: "mirror usage conflict", main: '[[registry]]\nlocation = "a.io"\nmirror-by-digest-only = true\n[[registry.mirror]]\nlocation = "m.io"\npull-from-mirror = "all"\n' },
  { name: "bad pull-from-mirror", main: '[[registry]]\nlocation = "a.io"\n[[registry.mirror]]\nlocation = "m.io"\npull-from-mirror = "digests"\n' },
  { name: "insecure conflict", main: '[[registry]]\nprefix = "a.io/x"\nlocation = "a.io"\ninsecure = true\n[[registry]]\nprefix = "a.io/y"\nlocation = "a.io"\n' },
  { name: "blocked conflict", main: '[[registry]]\nprefix = "a.io/x"\nlocation = "a.io"\nblocked = true\n[[registry]]\nprefix = "a.io/y"\nlocation = "a.io/"\n' },
  { name: "bad search", main: 'unqualified-search-registries = ["quay.io/ns"]\n' },
  { name: "search scheme", main: 'unqualified-search-registries = ["https://quay.io"]\n' },
  { name: "search trailing slash", main: 'unqualified-search-registries = ["quay.io/"]\n' },
  { name: "bad mode", main: 'short-name-mode = "Enforcing"\n' },
  { name: "wildcard port", main: '[[registry]]\nprefix = "*.example.com:5000"\nlocation = "a.io"\n' },
  { name: "case keys", main: '[[Registry]]\nPrefix = "a.io"\nLocation = "b.io"\nInsecure = true\n[[Registry.Mirror]]\nLOCATION = "m.io"\n' },
  { name: "unknown keys", main: 'foo = 1\n[[registry]]\nlocation = "a.io"\nloction = "x"\n' },
  { name: "duplicate key", main: '[[registry]]\nlocation = "a.io"\nlocation = "b.io"\n' },
  { name: "type bool", main: '[[registry]]\nlocation = "a.io"\ninsecure = "yes"\n' },
  { name: "type string", main: '[[registry]]\nlocation = 5\n' },
  { name: "type registry", main: 'registry = "x"\n' },
  { name: "type search", main: 'unqualified-search-registries = "quay.io"\n' },
  { name: "syntax", main: '[[registry]\nlocation = "a.io"\n' },
  { name: "alias cache", main: 'unqualified-search-registries = ["a.io", "b.io"]\n[aliases]\nfoo = "quay.io/conf-foo"\nbar = "quay.io/conf-bar"\n', aliasCache: '[aliases]\nfoo = "quay.io/cache-foo"\nbar = ""\n' },
  { name: "bad alias cache", main: 'unqualified-search-registries = ["a.io"]\n', aliasCache: '[aliases]\nfoo = "foo"\n' },
  { name: "wildcard with location", main: '[[registry]]\nprefix = "*.example.com"\nlocation = "w.example.net/ns"\n[[registry.mirror]]\nlocation = "wm.example.net"\n' },
  { name: "prefix with port rewrite", main: '[[registry]]\nprefix = "example.com"\nlocation = "mirror.example.net"\n[[registry]]\nprefix = "example.com/foo"\nlocation = "mirror2.local"\n[[registry.mirror]]\nlocation = "m3.local/x"\n' },
  { name: "inline tables", main: 'registry = [{ prefix = "a.io", location = "b.io", mirror = [{ location = "m.io", insecure = true }] }]\n' },
];

const REFS = [
  "busybox",
  `busybox@sha256:${HEX}`,
  `docker.io/library/busybox@sha256:${HEX}`,
  "example.com/foo/bar:1",
  `example.com/foo/bar@sha256:${HEX}`,
  "example.com/foo",
  "example.com:5000/app",
  "example.com/other",
  "a.example.com/x",
  "ab.example.com/x",
  "x.wild.example.com/y",
  "a.example.com.example.com/z",
  "blocked.example.com/app",
  "uses-blocked.example/app",
  "rewrite-blocked.example/app",
  "elsewhere.example/app",
  "example.org/foo",
  "example.org/foo/bar",
  "quay.io/a",
  "quay.io/a:tag",
  "x.io/r",
  "keep.io/r",
  "a.io/b",
  "a.io/x/y",
  "dup.example/r",
  "localhost:5000/a",
  "docker.io/nginx",
  "bad.io/x",
];

const NAMES = [
  "fedora",
  "fedora:39",
  `fedora@sha256:${HEX}`,
  `fedora:39@sha256:${HEX}`,
  "library/fedora",
  "reset",
  "localhost",
  "myregistry:5000",
  "nginx",
  "foo",
  "bar",
  "baz",
  "q",
  "quay.io/x",
  "localhost/x",
  "UPPER",
  "a..b",
  "docker.io/Upper",
  "ns/app:tag",
];

interface GoEndpoint {
  location: string;
  insecure: boolean;
  pullFromMirror?: string;
}
interface GoRegistry {
  prefix: string;
  location: string;
  insecure: boolean;
  blocked: boolean;
  mirrorByDigestOnly: boolean;
  mirrors: GoEndpoint[];
}
interface GoOut {
  loadError?: string;
  search: string[] | null;
  searchFrom: string;
  mode: number;
  registries: GoRegistry[];
  refs: Array<{
    ref: string;
    parseError?: string;
    findError?: string;
    registry?: GoRegistry;
    sources?: Array<{ location: string; insecure: boolean; reference: string; blocked: boolean }>;
    sourcesError?: string;
  }>;
  names: Array<{ name: string; error?: string; candidates?: string[]; description?: string; local?: string[]; localError?: string }>;
}

const MODES = ["invalid", "disabled", "permissive", "enforcing"];

function ourRegistry(r: RegistryEntry): GoRegistry {
  return {
    prefix: r.prefix,
    location: r.location,
    insecure: r.insecure,
    blocked: r.blocked,
    mirrorByDigestOnly: r.mirrorByDigestOnly,
    mirrors: r.mirrors.map((m) => ({ location: m.location, insecure: m.insecure, ...(m.pullFromMirror ? { pullFromMirror: m.pullFromMirror } : {}) })),
  };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "imagetrust-regconf-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(shouldSkipUpstream())("registries.conf agrees with containers/image 5.23.1", () => {
  it(`${CASES.length} configurations × (${REFS.length} references + ${NAMES.length} names)`, () => {
    const setups = CASES.map((c, i) => {
      const dir = path.join(tmp, `c${i}`);
      fs.mkdirSync(dir);
      const conf = path.join(dir, "registries.conf");
      if (c.main !== undefined) fs.writeFileSync(conf, c.main);
      const confDir = path.join(dir, "registries.conf.d");
      fs.mkdirSync(confDir);
      fs.mkdirSync(path.join(confDir, "sub.conf"));
      for (const [n, t] of Object.entries(c.dropIns ?? {})) fs.writeFileSync(path.join(confDir, n), t);
      const aliasCache = path.join(dir, "cache", "short-name-aliases.conf");
      if (c.aliasCache !== undefined) {
        fs.mkdirSync(path.dirname(aliasCache));
        fs.writeFileSync(aliasCache, c.aliasCache);
      }
      return { conf, confDir, aliasCache };
    });
    const go = runUpstream<GoOut>(setups.map((s) => ({ op: "registries", conf: s.conf, confDir: s.confDir, aliasCache: s.aliasCache, refs: REFS, names: NAMES })));
    const mismatches: string[] = [];
    let compared = 0;
    CASES.forEach((c, i) => {
      const s = setups[i];
      const g = go[i];
      const where = `case '${c.name}'`;
      const loaded = loadRegistriesConf({ host: nodeHost(), confPath: s.conf, confDirs: [s.confDir], explicit: true, target: [5, 23, 1] });
      compared++;
      if (g.loadError !== undefined) {
        if (loaded.value) {
          mismatches.push(`${where}: upstream fails to load (${g.loadError}), we load`);
          return;
        }
        const ours = loaded.diagnostics.find((d) => d.severity === "error" && d.upstreamMessage)?.upstreamMessage;
        if (ours !== undefined && ours !== g.loadError) mismatches.push(`${where}: load error\n  go:  ${g.loadError}\n  our: ${ours}`);
        if (ours === undefined && !/toml: line \d+: /.test(g.loadError)) mismatches.push(`${where}: we give no upstream message for: ${g.loadError}`);
        return;
      }
      if (!loaded.value) {
        mismatches.push(`${where}: upstream loads, we fail: ${loaded.diagnostics.filter((d) => d.severity === "error").map((d) => d.upstreamMessage ?? d.message).join("; ")}`);
        return;
      }
      const conf = loaded.value;
      const cmp = (what: string, a: unknown, b: unknown) => {
        compared++;
        if (JSON.stringify(a) !== JSON.stringify(b)) mismatches.push(`${where}: ${what}\n  go:  ${JSON.stringify(a)}\n  our: ${JSON.stringify(b)}`);
      };
      cmp("registries", g.registries, conf.registries.map(ourRegistry));
      cmp("search", g.search ?? [], conf.unqualifiedSearchRegistries);
      cmp("searchFrom", g.searchFrom, conf.unqualifiedSearchRegistriesOrigin);
      cmp("mode", MODES[g.mode], conf.shortNameMode);
      let aliasCache: Map<string, ShortNameAlias> | undefined;
      let aliasCacheError: string | undefined;
      if (fs.existsSync(s.aliasCache)) {
        const ac = loadShortNameAliasCache(new SourceFile(s.aliasCache, fs.readFileSync(s.aliasCache, "utf8")));
        aliasCache = ac.value;
        aliasCacheError = ac.diagnostics.find((d) => d.upstreamMessage)?.upstreamMessage;
      }
      for (const gr of g.refs) {
        const p = parseNormalizedNamed(gr.ref);
        if (!p.ok) {
          cmp(`${gr.ref} parse`, gr.parseError, p.error);
          continue;
        }
        const name = p.ref.domain + "/" + p.ref.path;
        const reg = findRegistry(conf, name);
        cmp(`${gr.ref} registry`, gr.registry ?? null, reg ? ourRegistry(reg) : null);
        if (!gr.registry) continue;
        const ps = pullSources(conf, p.ref);
        if (gr.sourcesError !== undefined) cmp(`${gr.ref} sources error`, gr.sourcesError, ps.ok ? ps.sources : ps.error);
        else
          cmp(
            `${gr.ref} sources`,
            gr.sources,
            ps.ok ? ps.sources.map((x) => ({ location: x.location, insecure: x.insecure, reference: x.referenceString, blocked: x.blockedError !== undefined })) : ps.error,
          );
      }
      for (const gn of g.names) {
        const r = resolveShortName(conf, gn.name, { aliasCache, aliasCacheError });
        if (gn.error !== undefined) cmp(`${gn.name} resolve error`, gn.error, r.ok ? r.candidateStrings : r.error);
        else cmp(`${gn.name} resolve`, { c: gn.candidates, d: gn.description ?? "" }, r.ok ? { c: r.candidateStrings, d: r.description } : r.error);
        const l = resolveLocally(conf, gn.name, { aliasCache, aliasCacheError });
        if (gn.localError !== undefined) cmp(`${gn.name} local error`, gn.localError, l.ok ? l.candidateStrings : l.error);
        else cmp(`${gn.name} local`, gn.local, l.ok ? l.candidateStrings : l.error);
      }
    });
    if (process.env.DEBUG_COUNTS) console.log(`registries.conf: ${compared} comparisons`);
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(1000);
    // Both outcomes are exercised.
    expect(go.filter((g) => g.loadError !== undefined).length).toBeGreaterThan(20);
    expect(go.filter((g) => g.loadError === undefined).length).toBeGreaterThan(15);
    if (process.env.DEBUG_REGCONF) console.log(go.map((g, i) => `${CASES[i].name}: ${g.loadError ?? "ok"}`).join("\n"));
  });
});
