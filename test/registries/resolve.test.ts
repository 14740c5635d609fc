/**
 * findRegistry / pullSources / short names: the observed 5.23.1 facts (observed-behaviour.md, "Pulling")
 * as tables, independent of the Go harness.
 */
import { describe, expect, it } from "vitest";
import { loadRegistriesConfFile, mergeRegistriesConf } from "../../src/load/registries-conf/index.js";
import { parseNormalizedNamed, type DockerReference } from "../../src/reference/docker-reference.js";
import { findRegistry, isShortName, pullSources, refMatchingPrefix, resolveLocally, resolveShortName } from "../../src/registries/resolve.js";
import { pullAttempts } from "../../src/registries/pull-signatures.js";
import type { RegistriesConf } from "../../src/registries/types.js";
import { SourceFile } from "../../src/source/source-file.js";

const HEX = "817a12c32a39bbe394944ba49de563e085f1d3c5266eb8e9723256bc4448680e";

function conf(text: string, ...dropIns: string[]): RegistriesConf {
  const main = loadRegistriesConfFile(new SourceFile("/etc/containers/registries.conf", text), { target: [5, 23, 1] });
  if (!main.value) throw new Error(JSON.stringify(main.diagnostics));
  const d = dropIns.map((t, i) => {
    const r = loadRegistriesConfFile(new SourceFile(`/etc/containers/registries.conf.d/${i}.conf`, t), { forceV2: true, target: [5, 23, 1] });
    if (!r.value) throw new Error(JSON.stringify(r.diagnostics));
    return r.value;
  });
  return mergeRegistriesConf(main.value, d).value;
}

function ref(s: string): DockerReference {
  const r = parseNormalizedNamed(s);
  if (!r.ok) throw new Error(r.error);
  return r.ref;
}

describe("refMatchingPrefix", () => {
  const table: Array<[string, string, number]> = [
    ["example.com/foo", "example.com", 11],
    ["example.com:5000/foo", "example.com", 11],
    ["example.com@sha256:x", "example.com", 11],
    ["example.community/x", "example.com", -1],
    ["example.com", "example.com", 11],
    ["a.example.com/x", "*.example.com", 13],
    ["a.example.com:443/x", "*.example.com", 13],
    ["example.com/x", "*.example.com", -1],
    ["a.example.com.example.com/z", "*.example.com", -1],
    ["x/a.example.com", "*.example.com", -1],
  ];
  for (const [r, p, n] of table) it(`${r} vs ${p} → ${n}`, () => expect(refMatchingPrefix(r, p)).toBe(n));
});

describe("findRegistry", () => {
  const c = conf(`
[[registry]]
prefix = "*.example.com"
location = "wild.example.net"
[[registry]]
location = "a.example.com"
[[registry]]
location = "ab.example.com"
[[registry]]
prefix = "docker.io/nginx"
location = "never.example"
[[registry]]
prefix = "quay.io/a:tag"
location = "never.example"
`);
  it("*.example.com beats a.example.com (equal length, sorted first)", () => expect(findRegistry(c, "a.example.com/x")?.prefix).toBe("*.example.com"));
  it("a longer exact host wins", () => expect(findRegistry(c, "ab.example.com/x")?.prefix).toBe("ab.example.com"));
  it("docker.io/nginx never matches (names are normalized)", () => expect(findRegistry(c, "docker.io/library/nginx")).toBeUndefined());
  it("a prefix with a tag never matches a name", () => expect(findRegistry(c, "quay.io/a")).toBeUndefined());
});

describe("pullSources", () => {
  const c = conf(`
[[registry]]
location = "blocked.example.com"
blocked = true
[[registry.mirror]]
location = "ok-mirror.example.net"

[[registry]]
prefix = "rewrite-blocked.example"
location = "elsewhere.example"
blocked = true

[[registry]]
location = "blocked-target.example"
blocked = true

[[registry]]
location = "uses-blocked.example"
[[registry.mirror]]
location = "blocked-target.example/x"

[[registry]]
prefix = "example.com"
location = "mirror.example.net"

[[registry]]
location = "digest.example"
mirror-by-digest-only = true
[[registry.mirror]]
location = "m.example"
insecure = true

[[registry]]
location = "slash.example"
[[registry.mirror]]
location = "mirror.example.net/"
`);
  it("a blocked registry is still pulled through its mirrors", () => {
    const r = pullSources(c, ref("blocked.example.com/app:1"));
    expect(r.ok && r.sources.map((s) => [s.referenceString, s.blockedError !== undefined])).toEqual([
      ["ok-mirror.example.net/app:1", false],
      ["blocked.example.com/app:1", true],
    ]);
    expect(r.ok && r.sources[1].blockedError).toBe(
      "registry blocked.example.com is blocked in /etc/containers/registries.conf or /etc/containers/registries.conf.d",
    );
  });
  it("blocked with a location different from the prefix does not block", () => {
    const r = pullSources(c, ref("rewrite-blocked.example/app:1"));
    expect(r.ok && r.sources.map((s) => [s.referenceString, s.blockedError])).toEqual([["elsewhere.example/app:1", undefined]]);
  });
  it("a mirror that falls under a blocked registry is refused for that attempt", () => {
    const r = pullSources(c, ref("uses-blocked.example/app"));
    expect(r.ok && r.sources.map((s) => s.blockedBy?.prefix)).toEqual(["blocked-target.example", undefined]);
  });
  it("the port of the reference is carried over to the location", () => {
    const r = pullSources(c, ref("example.com:5000/app:1"));
    expect(r.ok && r.sources[0].referenceString).toBe("mirror.example.net:5000/app:1");
  });
  it("mirror-by-digest-only: mirrors only for digests", () => {
    const tag = pullSources(c, ref("digest.example/a:1"));
    expect(tag.ok && tag.sources.map((s) => s.location)).toEqual(["digest.example"]);
    const dig = pullSources(c, ref(`digest.example/a@sha256:${HEX}`));
    expect(dig.ok && dig.sources.map((s) => [s.location, s.insecure])).toEqual([
      ["m.example", true],
      ["digest.example", false],
    ]);
  });
  it("a mirror location ending in / makes every pull fail", () => {
    expect(pullSources(c, ref("slash.example/a"))).toMatchObject({ ok: false, error: "rewriting reference: invalid reference format" });
  });
  it("no entry: the reference itself (as given: PullSourcesFromReference adds no tag)", () => {
    const r = pullSources(c, ref("quay.io/x"));
    expect(r.ok && r.registry).toBeUndefined();
    expect(r.ok && r.sources.map((s) => s.referenceString)).toEqual(["quay.io/x"]);
  });
  it("pull attempts carry the signature storage of the mirror's reference", () => {
    const a = pullAttempts(c, { docker: [{ scope: "ok-mirror.example.net", file: "/r/x.yaml", storage: { lookaside: "https://sigs.mirror" } }] }, ref("blocked.example.com/app:1"), {
      euid: 0,
      target: [5, 23, 1],
    });
    expect(a.ok && a.attempts.map((x) => x.storage.lookasideBase)).toEqual(["https://sigs.mirror/app", "file:///var/lib/containers/sigstore/app"]);
  });
});

describe("drop-in merging", () => {
  const c = conf(
    `unqualified-search-registries = ["a.io", "b.io"]
[[registry]]
prefix = "x.io"
location = "x1.io"
blocked = true
[[registry.mirror]]
location = "m.x.io"
[aliases]
foo = "quay.io/foo"
bar = "quay.io/bar"
`,
    '[[registry]]\nprefix = "x.io"\nlocation = "x2.io"\n[aliases]\nfoo = ""\n',
    "unqualified-search-registries = []\n",
  );
  it("a drop-in entry with the same prefix replaces the whole entry", () => {
    expect(c.registries).toMatchObject([{ prefix: "x.io", location: "x2.io", blocked: false, mirrors: [] }]);
  });
  it("an empty alias value resets the alias; [] clears the search list", () => {
    expect(c.aliases.get("foo")?.value).toBeNull();
    expect(c.unqualifiedSearchRegistries).toEqual([]);
    expect(c.unqualifiedSearchRegistriesOrigin).toBe("/etc/containers/registries.conf.d/1.conf");
    expect(resolveShortName(c, "bar")).toMatchObject({ ok: true, candidateStrings: ["quay.io/bar:latest"] });
  });
});

describe("short names", () => {
  const several = conf('unqualified-search-registries = ["registry.fedoraproject.org", "quay.io", "docker.io"]\nshort-name-mode = "enforcing"\n[aliases]\nfedora = "registry.fedoraproject.org/fedora"\n');
  it("a name with only a digest is a short name", () => expect(isShortName(`nginx@sha256:${HEX}`)).toBe(true));
  it("localhost alone and myregistry:5000 are short names", () => {
    expect(isShortName("localhost")).toBe(true);
    expect(isShortName("myregistry:5000")).toBe(true);
    expect(isShortName("localhost/x")).toBe(false);
  });
  it("enforcing + several candidates + no TTY is an error", () => {
    expect(resolveShortName(several, "nginx")).toEqual({ ok: false, error: "short-name resolution enforced but cannot prompt without a TTY" });
  });
  it("enforcing with a TTY would prompt", () => {
    expect(resolveShortName(several, "nginx", { tty: true })).toMatchObject({ ok: true, rationale: "prompt" });
  });
  it("an alias resolves even when enforcing, keeping tag and digest", () => {
    expect(resolveShortName(several, `fedora:39@sha256:${HEX}`)).toEqual({
      ok: true,
      candidates: [{ domain: "registry.fedoraproject.org", path: "fedora", tag: "39", digest: `sha256:${HEX}` }],
      candidateStrings: [`registry.fedoraproject.org/fedora:39@sha256:${HEX}`],
      rationale: "alias",
      description: 'Resolved "fedora" as an alias (/etc/containers/registries.conf)',
      alias: several.aliases.get("fedora"),
    });
  });
  it("keys match the typed repository exactly", () => {
    expect(resolveShortName(several, "library/fedora", { mode: "permissive" })).toMatchObject({ rationale: "unqualified-search" });
  });
  it("permissive and disabled use every search registry", () => {
    for (const mode of ["permissive", "disabled"] as const) {
      expect(resolveShortName(several, "localhost", { mode })).toMatchObject({
        ok: true,
        candidateStrings: ["registry.fedoraproject.org/localhost:latest", "quay.io/localhost:latest", "docker.io/library/localhost:latest"],
        description: 'Resolving "localhost" using unqualified-search registries (/etc/containers/registries.conf)',
      });
    }
  });
  it("one search registry: no error even when enforcing", () => {
    const one = conf('unqualified-search-registries = ["quay.io"]\nshort-name-mode = "enforcing"\n');
    expect(resolveShortName(one, "myregistry:5000")).toMatchObject({ ok: true, candidateStrings: ["quay.io/myregistry:5000"] });
  });
  it("no search registries", () => {
    const none = conf("");
    expect(resolveShortName(none, "nginx")).toEqual({
      ok: false,
      error: 'short-name "nginx" did not resolve to an alias and no unqualified-search registries are defined in "/etc/containers/registries.conf"',
    });
  });
  it("Podman's forced Docker Hub prints a Go formatting artifact", () => {
    expect(resolveShortName(several, "nginx", { forceDockerHub: true })).toMatchObject({
      candidateStrings: ["docker.io/library/nginx:latest"],
      description: "Resolving %!q(<nil>) to docker.io (enforced by caller)",
    });
  });
  it("ResolveLocally: alias, then localhost and the search registries", () => {
    expect(resolveLocally(several, "fedora")).toMatchObject({
      candidateStrings: [
        "registry.fedoraproject.org/fedora:latest",
        "localhost/fedora:latest",
        "registry.fedoraproject.org/fedora:latest",
        "quay.io/fedora:latest",
        "docker.io/library/fedora:latest",
      ],
    });
  });
});
