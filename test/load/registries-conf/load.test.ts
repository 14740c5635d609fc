/**
 * registries.conf loading: "break one thing" from a valid file, asserting code, position and upstream's
 * message; warnings for what upstream accepts silently.
 */
import { describe, expect, it } from "vitest";
import { loadRegistriesConf, loadRegistriesConfFile } from "../../../src/load/registries-conf/index.js";
import { memoryHost } from "../../../src/host/memory-host.js";
import { SourceFile } from "../../../src/source/source-file.js";
import type { Diagnostic } from "../../../src/diagnostics/diagnostic.js";

const F = "/etc/containers/registries.conf";

function load(text: string, forceV2 = false, target: readonly [number, number, number] | "newest" = [5, 23, 1]) {
  const src = new SourceFile(F, text);
  const r = loadRegistriesConfFile(src, { forceV2, target: target === "newest" ? undefined : target });
  const at = (d: Diagnostic) => (d.span ? `${src.position(d.span.start).line}:${src.position(d.span.start).column}` : "-");
  return { ...r, src, codes: r.diagnostics.map((d) => `${d.code}@${at(d)}`) };
}

const VALID = `unqualified-search-registries = ["registry.fedoraproject.org", "quay.io"]
short-name-mode = "enforcing"

[[registry]]
prefix = "example.com/foo"
location = "internal.example.com/bar"
insecure = true

[[registry.mirror]]
location = "mirror-1.example.com/foo"
pull-from-mirror = "digest-only"

[aliases]
"fedora" = "registry.fedoraproject.org/fedora"
`;

describe("a valid file", () => {
  it("loads with spans", () => {
    const r = load(VALID);
    expect(r.diagnostics).toEqual([]);
    const v = r.value!;
    expect(v.unqualifiedSearchRegistries).toEqual(["registry.fedoraproject.org", "quay.io"]);
    expect(v.shortNameMode).toBe("enforcing");
    expect(v.registries).toHaveLength(1);
    const reg = v.registries[0];
    expect(reg).toMatchObject({ prefix: "example.com/foo", location: "internal.example.com/bar", insecure: true, file: F });
    expect(r.src.position(reg.origin!.start)).toEqual({ line: 4, column: 1 });
    expect(r.src.position(reg.prefixOrigin!.start)).toEqual({ line: 5, column: 10 });
    expect(r.src.position(reg.mirrors[0].origin!.start)).toEqual({ line: 9, column: 1 });
    expect(reg.mirrors[0]).toMatchObject({ location: "mirror-1.example.com/foo", pullFromMirror: "digest-only", insecure: false });
    expect(v.aliases.map((a) => [a.name, a.valueText])).toEqual([["fedora", "registry.fedoraproject.org/fedora"]]);
    expect(r.src.position(v.aliases[0].origin!.start)).toEqual({ line: 14, column: 1 });
  });
});

describe("break one thing", () => {
  const cases: Array<{ name: string; from: string; to: string; codes: string[]; upstream?: string }> = [
    { name: "location with a scheme", from: 'location = "internal', to: 'location = "https://internal', codes: ["IT1407@6:12"], upstream: "invalid location 'https://internal.example.com/bar': URI schemes are not supported" },
    { name: "location removed", from: 'location = "internal.example.com/bar"', to: "", codes: ["IT1409@5:10"], upstream: "invalid condition: location is unset and prefix is not in the format: *.example.com" },
    { name: "bad pull-from-mirror", from: '"digest-only"', to: '"digest"', codes: ["IT1413@9:1"], upstream: 'unsupported pull-from-mirror value "digest" for mirror "mirror-1.example.com/foo"' },
    { name: "bad short-name-mode", from: '"enforcing"', to: '"strict"', codes: ["IT1417@2:19"], upstream: 'invalid short-name mode: "strict"' },
    { name: "search registry with a namespace", from: '"quay.io"]', to: '"quay.io/ns"]', codes: ["IT1416@1:33"], upstream: 'Invalid unqualified-search-registries entry "quay.io/ns"' },
    { name: "alias with a tag", from: 'fedora"\n', to: 'fedora:39"\n', codes: ["IT1419@14:12"], upstream: 'validating short-name aliases: invalid alias "registry.fedoraproject.org/fedora:39": must not contain tag' },
    { name: "insecure as a string", from: "insecure = true", to: 'insecure = "true"', codes: ["IT1401@7:12"], upstream: 'toml: line 7 (last key "registry.insecure"): incompatible types: TOML value has type string; destination has type boolean' },
    { name: "misspelled key", from: "insecure = true", to: "insecur = true", codes: ["IT1402@7:1"] },
    { name: "mis-cased key is read", from: "insecure = true", to: "Insecure = true", codes: ["IT1403@7:1"] },
    { name: "duplicate key", from: "insecure = true", to: "insecure = true\ninsecure = false", codes: ["IT1426@8:1"], upstream: "toml: line 8 (last key \"registry.insecure\"): Key 'registry.insecure' has already been defined." },
    { name: "mirror location with a trailing slash", from: 'location = "mirror-1.example.com/foo"', to: 'location = "mirror-1.example.com/foo/"', codes: ["IT1421@10:12"] },
    { name: "wildcard prefix with a port", from: '"example.com/foo"', to: '"*.example.com:5000"', codes: ["IT1418@5:10"], upstream: 'Wildcarded prefix should be in the format: *.example.com. Current prefix "*.example.com:5000" is incorrectly formatted' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(VALID.includes(c.from)).toBe(true);
      const r = load(VALID.replace(c.from, c.to));
      expect(r.codes).toEqual(c.codes);
      if (c.upstream !== undefined) {
        expect(r.value).toBeUndefined();
        expect(r.diagnostics.find((d) => d.upstreamMessage)?.upstreamMessage).toBe(c.upstream);
      } else {
        expect(r.value).toBeDefined();
      }
    });
  }
});

describe("hints", () => {
  it("an error says what to write instead", () => {
    const r = load('[[registry]]\nprefix = "a.io"\n');
    expect(r.diagnostics[0].hint).toContain("Add a location");
  });
});

describe("silently accepted upstream", () => {
  it("a second entry with the same prefix is ignored", () => {
    const r = load('[[registry]]\nlocation = "a.io"\n[[registry]]\nprefix = "a.io"\nlocation = "b.io"\n');
    expect(r.codes).toEqual(["IT1420@4:10"]);
    expect(r.value?.registries.map((x) => x.location)).toEqual(["a.io"]);
  });
  it("blocked with a rewriting location does not block", () => {
    const r = load('[[registry]]\nprefix = "a.io"\nlocation = "b.io"\nblocked = true\n');
    expect(r.codes).toEqual(["IT1422@1:1"]);
  });
  it("a prefix with a tag never matches", () => {
    expect(load('[[registry]]\nprefix = "quay.io/a:tag"\nlocation = "b.io"\n').codes).toEqual(["IT1425@2:10"]);
  });
  it("docker.io as a location is fine (names below it are canonical)", () => {
    expect(load('[[registry]]\nprefix = "docker.io"\nlocation = "docker.io"\n').codes).toEqual([]);
  });
  it("a placeholder location fails every rewritten pull", () => {
    const r = load('[[registry]]\nprefix = "docker.io"\nlocation = "<your-id>.mirror.aliyuncs.com"\n');
    expect(r.codes).toEqual(["IT1427@3:12"]);
  });
});

describe("v1 format", () => {
  const V1 = '[registries.search]\nregistries = ["docker.io"]\n[registries.block]\nregistries = ["bad.io"]\n';
  it("is converted with a warning", () => {
    const r = load(V1);
    expect(r.codes).toEqual(["IT1404@1:1"]);
    expect(r.value?.v1).toBe(true);
    expect(r.value?.registries).toMatchObject([{ prefix: "bad.io", location: "bad.io", blocked: true }]);
  });
  it("is refused in drop-ins", () => {
    const r = load(V1, true);
    expect(r.value).toBeUndefined();
    expect(r.diagnostics.find((d) => d.upstreamMessage)?.upstreamMessage).toBe("registry must be in v2 format but is in v1");
  });
});

describe("files and directories", () => {
  const host = memoryHost({
    files: {
      "/c/registries.conf": 'unqualified-search-registries = ["a.io"]\n',
      "/c/d/b.conf": "short-name-mode = 'disabled'\n",
      "/c/d/a.conf": "short-name-mode = 'enforcing'\n",
      "/c/d/z.txt": "not toml",
      "/c/d/sub.conf": { directory: true },
    },
  });
  it("drop-ins are read in lexical order, *.conf only", () => {
    const r = loadRegistriesConf({ host, confPath: "/c/registries.conf", confDirs: ["/c/d"], target: [5, 23, 1] });
    expect(r.files).toEqual(["/c/registries.conf", "/c/d/a.conf", "/c/d/b.conf"]);
    expect(r.value?.shortNameMode).toBe("disabled");
  });
  it("a missing main file: empty unless named explicitly", () => {
    expect(loadRegistriesConf({ host, confPath: "/nope" }).value?.registries).toEqual([]);
    const r = loadRegistriesConf({ host, confPath: "/nope", explicit: true });
    expect(r.value).toBeUndefined();
    expect(r.diagnostics[0].upstreamMessage).toBe('loading registries configuration "/nope": open /nope: no such file or directory');
  });
});

describe("newest releases (container-libs main, read from the source)", () => {
  const NEWEST = "newest" as const;
  it("mirror locations are trimmed, no warning", () => {
    const r = load('[[registry]]\nlocation = "a.io"\n[[registry.mirror]]\nlocation = "m.io/"\n', false, NEWEST);
    expect(r.codes).toEqual([]);
    expect(r.value?.registries[0].mirrors[0].location).toBe("m.io");
  });
  it("proxy is known and validated", () => {
    expect(load('[[registry]]\nlocation = "a.io"\nproxy = "socks5://p:1080"\n', false, NEWEST).value?.registries[0].proxy).toBe("socks5://p:1080");
    const bad = load('[[registry]]\nlocation = "a.io"\nproxy = "ftp://p"\n', false, NEWEST);
    expect(bad.diagnostics.find((d) => d.upstreamMessage)?.upstreamMessage).toBe('proxy URL scheme "ftp" is not supported. Supported are http, https, socks5, socks5h');
    expect(load('[[registry]]\nlocation = "a.io"\nproxy = "ftp://p"\n').codes).toEqual(["IT1402@3:1"]);
  });
  it("two entries for one location conflict as soon as one sets a proxy", () => {
    const r = load('[[registry]]\nprefix = "a.io/x"\nlocation = "a.io"\nproxy = "http://p"\n[[registry]]\nprefix = "a.io/y"\nlocation = "a.io"\nproxy = "http://p"\n', false, NEWEST);
    expect(r.diagnostics.find((d) => d.upstreamMessage)?.upstreamMessage).toBe("registry 'a.io' is defined multiple times with conflicting 'proxy' setting");
  });
  it("v1 tables count as v1 even when empty", () => {
    const t = 'unqualified-search-registries = ["a.io"]\n[registries.search]\nregistries = []\n';
    expect(load(t).value).toBeDefined();
    expect(load(t, false, NEWEST).value).toBeUndefined();
  });
  it("additional-layer-store-auth-helper is known", () => {
    expect(load('additional-layer-store-auth-helper = "h"\n', false, NEWEST).value?.additionalLayerStoreAuthHelper).toBe("h");
  });
});
