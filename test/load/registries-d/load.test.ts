/**
 * registries.d loading, "break one thing" tables for both upstream decoders: ghodss/yaml (≤ 5.24, Debian's
 * 5.23.1) and yaml.v3 (5.25+). Codes, positions and upstream messages are asserted.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { goFormatFloat32, loadRegistriesDDir, loadRegistriesDFile, mergeRegistriesDFiles } from "../../../src/load/registries-d/index.js";
import { memoryHost } from "../../../src/host/memory-host.js";
import { nodeHost } from "../../../src/host/node-host.js";
import { SourceFile } from "../../../src/source/source-file.js";
import type { Diagnostic } from "../../../src/diagnostics/diagnostic.js";

const V523 = [5, 23, 1] as const;
const V525 = [5, 25, 0] as const;

function load(text: string, target: readonly [number, number, number] | undefined = V523, name = "/d/x.yaml") {
  const src = new SourceFile(name, text);
  const r = loadRegistriesDFile(src, { target });
  const at = (d: Diagnostic) => (d.span ? `${src.position(d.span.start).line}:${src.position(d.span.start).column}` : "-");
  return { ...r, src, codes: r.diagnostics.map((d) => `${d.code}@${at(d)}`) };
}

describe("a valid file", () => {
  const text = `default-docker:
  lookaside: https://sigs.example/default
docker:
  quay.io/ns:
    lookaside: https://sigs.example/quay
    lookaside-staging: file:///var/stage
    use-sigstore-attachments: true
  "*.example.com":
    use-sigstore-attachments: false
`;
  for (const target of [V523, V525, undefined]) {
    it(`loads with spans (target ${target?.join(".") ?? "newest"})`, () => {
      const r = load(text, target);
      expect(r.diagnostics).toEqual([]);
      expect(r.value?.defaultDocker?.storage.lookaside).toBe("https://sigs.example/default");
      expect(r.value?.docker.map((e) => e.scope)).toEqual(["quay.io/ns", "*.example.com"]);
      const q = r.value!.docker[0];
      expect(q.storage).toMatchObject({ lookaside: "https://sigs.example/quay", lookasideStaging: "file:///var/stage", useSigstoreAttachments: true });
      expect(r.src.position(q.keyOrigin!.start)).toEqual({ line: 4, column: 3 });
      expect(r.src.text.slice(q.keyOrigin!.start, q.keyOrigin!.end)).toBe("quay.io/ns");
      expect(r.value!.docker[1].storage.useSigstoreAttachments).toBe(false);
    });
  }
  it("empty file, comments only and {} are empty configurations", () => {
    for (const t of ["", "# nothing\n", "{}\n", "---\n"]) {
      const r = load(t);
      expect(r.value).toEqual({ file: "/d/x.yaml", docker: [] });
      expect(r.diagnostics).toEqual([]);
    }
  });
});

describe("break one thing (5.23.1: ghodss/yaml → encoding/json)", () => {
  const cases: Array<{ name: string; text: string; codes: string[]; error?: string; check?: (r: ReturnType<typeof load>) => void }> = [
    {
      name: "mis-cased key is read (case-insensitive)",
      text: "docker:\n  a.io:\n    LookAside: https://a\n",
      codes: ["IT1304@3:5"],
      check: (r) => expect(r.value?.docker[0].storage.lookaside).toBe("https://a"),
    },
    {
      name: "mis-cased top-level key",
      text: "Default-Docker:\n  lookaside: https://a\n",
      codes: ["IT1304@1:1"],
      check: (r) => expect(r.value?.defaultDocker?.storage.lookaside).toBe("https://a"),
    },
    {
      name: "misspelled key is ignored with a suggestion",
      text: "docker:\n  a.io:\n    lookasid: https://a\n",
      codes: ["IT1303@3:5"],
      check: (r) => {
        expect(r.value?.docker[0].storage.lookaside).toBeUndefined();
        expect(r.diagnostics[0].message).toContain("Did you mean 'lookaside'?");
      },
    },
    {
      name: "duplicate key: last wins, warning",
      text: "docker:\n  a.io:\n    lookaside: https://1\n    lookaside: https://2\n",
      codes: ["IT1302@4:5"],
      check: (r) => {
        expect(r.value?.docker[0].storage.lookaside).toBe("https://2");
        expect(r.diagnostics[0].related?.[0].span.start).toBe(r.src.offset({ line: 3, column: 5 }));
      },
    },
    {
      name: "duplicate scope: last wins",
      text: "docker:\n  a.io:\n    lookaside: https://1\n  a.io:\n    use-sigstore-attachments: true\n",
      codes: ["IT1302@4:3"],
      check: (r) => expect(r.value?.docker).toMatchObject([{ scope: "a.io", storage: { useSigstoreAttachments: true } }]),
    },
    {
      name: "YAML 1.1 booleans",
      text: "docker:\n  a.io:\n    use-sigstore-attachments: yes\n  b.io:\n    use-sigstore-attachments: Off\n",
      codes: [],
      check: (r) => expect(r.value?.docker.map((e) => e.storage.useSigstoreAttachments)).toEqual([true, false]),
    },
    {
      name: "quoted boolean is a string: error",
      text: "docker:\n  a.io:\n    use-sigstore-attachments: \"yes\"\n",
      codes: ["IT1301@3:31"],
      error: "parsing /d/x.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field registryNamespace.docker.use-sigstore-attachments of type bool",
    },
    {
      name: "number for a boolean",
      text: "default-docker:\n  use-sigstore-attachments: 1\n",
      codes: ["IT1301@2:29"],
      error: "parsing /d/x.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go struct field registryNamespace.default-docker.use-sigstore-attachments of type bool",
    },
    {
      name: "mapping for a URL (corpus 029)",
      text: "docker:\n  a.io:\n    sigstore:\n      public-key-file: /x\n",
      codes: ["IT1305@3:5", "IT1301@4:7"],
      error: "parsing /d/x.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go struct field registryNamespace.docker.sigstore of type string",
    },
    {
      name: "sequence for a URL",
      text: "docker:\n  a.io:\n    lookaside: [https://a]\n",
      codes: ["IT1301@3:16"],
      error: "parsing /d/x.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field registryNamespace.docker.lookaside of type string",
    },
    {
      name: "docker is a list",
      text: "docker: []\n",
      codes: ["IT1301@1:9"],
      error: "parsing /d/x.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field registryConfiguration.docker of type map[string]docker.registryNamespace",
    },
    {
      name: "a scope is a string",
      text: "docker:\n  a.io: https://a\n",
      codes: ["IT1301@2:9"],
      error: "parsing /d/x.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field registryConfiguration.docker of type docker.registryNamespace",
    },
    {
      name: "the document is a string",
      text: "hello\n",
      codes: ["IT1301@1:1"],
      error: "parsing /d/x.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type docker.registryConfiguration",
    },
    {
      name: "first error in JSON (sorted key) order carries the upstream message",
      text: "docker:\n  b.io:\n    lookaside: [x]\n  a.io:\n    sigstore: [y]\n",
      codes: ["IT1301@3:16", "IT1305@5:5", "IT1301@5:15"],
      error: "parsing /d/x.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field registryNamespace.docker.sigstore of type string",
    },
    {
      name: "numbers for URLs are re-formatted as Go does",
      text: "docker:\n  a.io:\n    lookaside: 1.50\n  b.io:\n    lookaside: 1e6\n  c.io:\n    lookaside: 0x1F\n",
      codes: ["IT1311@3:16", "IT1315@3:16", "IT1311@5:16", "IT1315@5:16", "IT1311@7:16", "IT1315@7:16"],
      check: (r) => expect(r.value?.docker.map((e) => e.storage.lookaside)).toEqual(["1.5", "1e+06", "31"]),
    },
    {
      name: "deprecated names get a fix",
      text: "default-docker:\n  sigstore-staging: file:///s\n",
      codes: ["IT1305@2:3"],
      check: (r) => {
        expect(r.diagnostics[0].fix?.edits[0].text).toBe("lookaside-staging");
        expect(r.value?.defaultDocker?.storage.sigstoreStaging).toBe("file:///s");
      },
    },
    {
      name: "default-docker without a value is not defined",
      text: "default-docker:\n",
      codes: ["IT1313@1:1"],
      check: (r) => expect(r.value?.defaultDocker).toBeUndefined(),
    },
    {
      name: "a scope without a value is defined (empty)",
      text: "docker:\n  a.io:\n",
      codes: [],
      check: (r) => expect(r.value?.docker).toMatchObject([{ scope: "a.io", storage: {} }]),
    },
    {
      name: "only the first YAML document is read",
      text: "docker:\n  a.io: {}\n---\ndefault-docker:\n  lookaside: https://b\n",
      codes: ["IT1309@3:1"],
      check: (r) => expect(r.value?.defaultDocker).toBeUndefined(),
    },
    {
      name: "YAML syntax error (corpus 012)",
      text: "docker:\n  a.io:\n    lookaside: @split-read@\n",
      codes: ["IT1300@3:16"],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = load(c.text);
      expect(r.codes).toEqual(c.codes);
      if (c.error !== undefined) {
        expect(r.value).toBeUndefined();
        expect(r.diagnostics.find((d) => d.upstreamMessage)?.upstreamMessage).toBe(c.error);
      }
      c.check?.(r);
    });
  }
});

describe("URLs that fail when used", () => {
  const table: Array<[string, string, string[]]> = [
    ["lookaside", "https://ok.example/sigs", []],
    ["lookaside", '":emptyscheme"', ["IT1314@3:16"]],
    ["lookaside", "/var/lib/sigs", ["IT1315@3:16"]],
    ["lookaside", "s3://bucket/sigs", ["IT1316@3:16"]],
    ["lookaside-staging", "https://s.example/w", ["IT1317@3:24"]],
    ["lookaside-staging", "file:///var/stage", []],
    ["sigstore", "https://s.example/base/", ["IT1305@3:5", "IT1318@3:15"]],
  ];
  for (const [key, value, codes] of table) {
    it(`${key}: ${value} → ${codes.join(", ") || "fine"}`, () => {
      expect(load(`docker:\n  a.io:\n    ${key}: ${value}\n`).codes).toEqual(codes);
    });
  }
  it("5.23.1 crashes on scheme-less values; the message says so", () => {
    const r = load("docker:\n  a.io:\n    lookaside: /var/lib/sigs\n");
    expect(r.diagnostics[0].message).toContain("5.23.1 crashes");
    expect(r.diagnostics[0].hint).toBe("Write file:///var/lib/sigs");
  });
});

describe("break one thing (5.25+: yaml.v3)", () => {
  it("duplicate keys are errors with yaml.v3's message", () => {
    const r = load("docker:\n  a.io:\n    lookaside: https://1\n    lookaside: https://2\n", V525);
    expect(r.value).toBeUndefined();
    expect(r.codes).toEqual(["IT1302@4:5"]);
    expect(r.diagnostics[0].upstreamMessage).toBe('parsing /d/x.yaml: yaml: unmarshal errors:\n  line 4: mapping key "lookaside" already defined at line 3');
  });
  it("mis-cased keys are unknown and ignored", () => {
    const r = load("docker:\n  a.io:\n    LookAside: https://a\n", V525);
    expect(r.codes).toEqual(["IT1303@3:5"]);
    expect(r.value?.docker[0].storage.lookaside).toBeUndefined();
  });
  it("quoted YAML 1.1 words still decode into a bool, quoted true does not", () => {
    expect(load('docker:\n  a.io:\n    use-sigstore-attachments: "yes"\n', V525).value?.docker[0].storage.useSigstoreAttachments).toBe(true);
    const r = load('docker:\n  a.io:\n    use-sigstore-attachments: "true"\n', V525);
    expect(r.value).toBeUndefined();
    expect(r.diagnostics[0].upstreamMessage).toBe("parsing /d/x.yaml: yaml: unmarshal errors:\n  line 3: cannot unmarshal !!str `true` into bool");
  });
  it("scalars are taken literally for URLs", () => {
    const r = load("docker:\n  a.io:\n    lookaside: 1.50\n", V525);
    expect(r.value?.docker[0].storage.lookaside).toBe("1.50");
  });
  it("all type errors are listed, in document order", () => {
    const r = load("docker:\n  a.io:\n    lookaside: [x]\n    sigstore: {a: b}\n", V525);
    expect(r.diagnostics.find((d) => d.upstreamMessage)?.upstreamMessage).toBe(
      "parsing /d/x.yaml: yaml: unmarshal errors:\n  line 3: cannot unmarshal !!seq into string\n  line 4: cannot unmarshal !!map into string",
    );
  });
});

describe("target versions", () => {
  it("lookaside keys before 5.22 are ignored", () => {
    const r = load("docker:\n  a.io:\n    lookaside: https://a\n    sigstore: https://b\n", [5, 21, 0]);
    expect(r.codes).toEqual(["IT1312@3:5"]);
    expect(r.value?.docker[0].storage).toMatchObject({ sigstore: "https://b" });
    expect(r.value?.docker[0].storage.lookaside).toBeUndefined();
  });
});

describe("merging files", () => {
  const a = load("default-docker:\n  lookaside: https://a\ndocker:\n  x.io: {}\n", V523, "/d/a.yaml").value!;
  const b = load("default-docker: {}\ndocker:\n  x.io:\n", V523, "/d/b.yaml").value!;
  it("default-docker twice: error at the second, related to the first", () => {
    const r = mergeRegistriesDFiles([a, b], { target: V523 });
    expect(r.value).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(["IT1306", "IT1307"]);
    expect(r.diagnostics[0].span?.file).toBe("/d/b.yaml");
    expect(r.diagnostics[0].related?.[0].span.file).toBe("/d/a.yaml");
    expect(r.diagnostics[0].upstreamMessage).toBe('Error parsing signature storage configuration: "default-docker" defined both in "/d/a.yaml" and "/d/b.yaml"');
    expect(r.diagnostics[1].upstreamMessage).toBeUndefined();
  });
  it("the same scope twice, even empty", () => {
    const r = mergeRegistriesDFiles([{ ...a, defaultDocker: undefined }, b], { target: V523 });
    expect(r.diagnostics.map((d) => d.code)).toEqual(["IT1307"]);
    expect(r.diagnostics[0].upstreamMessage).toBe('Error parsing signature storage configuration: "docker" namespace "x.io" defined both in "/d/a.yaml" and "/d/b.yaml"');
  });
});

describe("directories", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "imagetrust-rd-"));
  const host = nodeHost();
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  it("reads only *.yaml; other entries are noted", () => {
    fs.writeFileSync(path.join(tmp, "a.yaml"), "docker:\n  a.io:\n    lookaside: https://a\n");
    fs.writeFileSync(path.join(tmp, "b.yml"), "docker:\n  b.io:\n    lookaside: https://b\n");
    fs.writeFileSync(path.join(tmp, "README"), "x");
    const r = loadRegistriesDDir(tmp, { host, target: V523 });
    expect(r.value?.docker.map((e) => e.scope)).toEqual(["a.io"]);
    expect(r.files).toEqual([path.join(tmp, "a.yaml")]);
    const ignored = r.diagnostics.filter((d) => d.code === "IT1308");
    expect(ignored.map((d) => [path.basename(d.file!), d.severity]).sort()).toEqual([
      ["README", "warning"],
      ["b.yml", "warning"],
    ]);
  });
  it("a missing directory is an empty configuration", () => {
    const r = loadRegistriesDDir(path.join(tmp, "nope"), { host });
    expect(r.value).toEqual({ docker: [] });
    expect(r.diagnostics).toEqual([]);
  });
  it("a directory named *.yaml fails the load", () => {
    fs.mkdirSync(path.join(tmp, "dir.yaml"));
    const r = loadRegistriesDDir(tmp, { host, target: V523 });
    expect(r.value).toBeUndefined();
    expect(r.diagnostics.some((d) => d.code === "IT1310" && d.severity === "error")).toBe(true);
    fs.rmdirSync(path.join(tmp, "dir.yaml"));
  });
  it("newer versions quote file names with %q in merge errors", () => {
    const r = loadRegistriesDDir("/v", {
      target: [5, 39, 0],
      host: memoryHost({ files: { "/v/1.yaml": "default-docker: {}\n", "/v/2.yaml": "default-docker: {}\n" } }),
    });
    expect(r.diagnostics.find((d) => d.upstreamMessage)?.upstreamMessage).toBe(
      'Error parsing signature storage configuration: "default-docker" defined both in "/v/1.yaml" and "/v/2.yaml"',
    );
  });
});

describe("goFormatFloat32 (strconv.FormatFloat(f, 'g', -1, 32))", () => {
  const table: Array<[number, string]> = [
    [1.5, "1.5"],
    [0.1, "0.1"],
    [3.14159265, "3.1415927"],
    [1e6, "1e+06"],
    [123456, "123456"],
    [1234567, "1.234567e+06"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [-2.5, "-2.5"],
    [1e21, "1e+21"],
  ];
  for (const [f, s] of table) it(`${f} → ${s}`, () => expect(goFormatFloat32(f)).toBe(s));
});
