import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  classifyDirectory,
  classifyFileName,
  decodeUtf8,
  findRuntimeLocations,
  firstInvalidUtf8,
  readTextFile,
} from "../../src/input/files.js";
import type { Host } from "../../src/host/host.js";
import { memoryHost, type MemoryEntry } from "../../src/host/memory-host.js";
import { nodeHost } from "../../src/host/node-host.js";

const errno = (code: string) => Object.assign(new Error(`${code}: fake`), { code });

/** A memory host over a map; `errors` makes a path fail with that errno. */
function fakeFs(files: Record<string, Uint8Array | "dir">, errors: Record<string, string> = {}): Host {
  const entries: Record<string, MemoryEntry> = {};
  for (const [p, f] of Object.entries(files)) entries[p] = f === "dir" ? { directory: true } : f;
  const base = memoryHost({ files: entries });
  return {
    ...base,
    files: {
      ...base.files,
      stat(p) {
        if (errors[p] && errors[p] !== "EACCES") throw errno(errors[p]);
        return base.files.stat(p);
      },
      readFile(p) {
        if (errors[p]) throw errno(errors[p]);
        return base.files.readFile(p);
      },
    },
  };
}
const bytes = (s: string) => new TextEncoder().encode(s);

describe("classifying inputs", () => {
  it("by file name", () => {
    expect(classifyFileName("/etc/containers/policy.json")).toBe("policy-json");
    expect(classifyFileName("a/B.YAML")).toBe("registries-d-file");
    expect(classifyFileName("x.yml")).toBe("registries-d-file");
    expect(classifyFileName("x.trust")).toBe("trust");
    expect(classifyFileName("registries.conf")).toBe("registries-conf");
    expect(classifyFileName("README")).toBeUndefined();
  });
  it("directories: configuration root vs registries.d", async () => {
    const fs = fakeFs({ "/c": "dir", "/c/policy.json": bytes("{}"), "/r": "dir", "/r/a.yaml": bytes(""), "/d": "dir", "/d/registries.d": "dir" });
    expect(await classifyDirectory("/c", fs)).toBe("config-dir");
    expect(await classifyDirectory("/d", fs)).toBe("config-dir");
    expect(await classifyDirectory("/r", fs)).toBe("registries-d-dir");
  });
});

describe("readTextFile", () => {
  it("reports ENOENT, EACCES, EISDIR and other errors as coded diagnostics", async () => {
    const fs = fakeFs({ "/dir": "dir", "/locked": bytes("{}"), "/io": bytes("{}") }, { "/locked": "EACCES", "/io": "EIO" });
    const cases: Array<[string, string]> = [
      ["/missing", "IT9001"],
      ["/locked", "IT9002"],
      ["/dir", "IT9003"],
      ["/io", "IT9006"],
    ];
    for (const [p, code] of cases) {
      const r = await readTextFile(p, { host: fs });
      expect(r.fatal, p).toBe(true);
      expect(r.source).toBeUndefined();
      expect(r.diagnostics.map((d) => [d.code, d.severity, d.file])).toEqual([[code, "error", p]]);
    }
  });
  it("refuses files above the cap without reading them", async () => {
    let read = false;
    const base = memoryHost({ files: { "/huge.json": "" } });
    const fs: Host = {
      ...base,
      files: {
        ...base.files,
        stat: (p) => ({ ...base.files.stat(p), size: 300 * 1024 * 1024 }),
        readFile: () => {
          read = true;
          return new Uint8Array();
        },
      },
    };
    const r = await readTextFile("/huge.json", { host: fs });
    expect(read).toBe(false);
    expect(r.diagnostics[0].code).toBe("IT9005");
    expect(r.diagnostics[0].message).toContain("300 MiB");
    expect((await readTextFile("/x", { host: fakeFs({ "/x": bytes("12345") }), maxBytes: 4 })).diagnostics[0].code).toBe("IT9005");
  });
  it("notes binary content, BOM and invalid UTF-8 without refusing", async () => {
    const fs = fakeFs({
      "/bin": new Uint8Array([0x7b, 0x00, 0x01]),
      "/bom": new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
      "/bad": new Uint8Array([0x22, 0xff, 0x22]),
    });
    const bin = await readTextFile("/bin", { host: fs });
    expect([bin.fatal, bin.binaryAt]).toEqual([false, 1]);
    const bom = await readTextFile("/bom", { host: fs });
    expect(bom.bom).toBe(true);
    expect(bom.source!.text).toBe("\uFEFF{}");
    const bad = await readTextFile("/bad", { host: fs });
    expect(bad.invalidUtf8At).toBe(1);
    expect(bad.source!.text).toBe('"\uFFFD"');
  });
});

describe("UTF-8 decoding like Go (one U+FFFD per invalid byte)", () => {
  const table: Array<[number[], string, number | undefined]> = [
    [[0x61, 0x62], "ab", undefined],
    [[0xc3, 0xa9], "é", undefined],
    [[0xff], "\uFFFD", 0],
    [[0xe2, 0x82], "\uFFFD\uFFFD", 0], // truncated 3-byte sequence: two bytes, two replacements (TextDecoder would give one)
    [[0xc0, 0xaf], "\uFFFD\uFFFD", 0], // overlong
    [[0xed, 0xa0, 0x80], "\uFFFD\uFFFD\uFFFD", 0], // surrogate
    [[0x61, 0xf0, 0x9f, 0x98, 0x80, 0x80], "a😀\uFFFD", 5],
  ];
  for (const [input, expected, invalidAt] of table) {
    it(JSON.stringify(input), () => {
      expect(decodeUtf8(new Uint8Array(input))).toBe(expected);
      expect(firstInvalidUtf8(new Uint8Array(input))).toBe(invalidAt);
    });
  }
});

describe("runtime locations (spec §5.1, §6)", () => {
  function tree(layout: { userPolicy?: boolean; systemPolicy?: boolean; userRegD?: boolean; systemRegD?: boolean }) {
    const root = mkdtempSync(path.join(os.tmpdir(), "imagetrust-loc-"));
    const home = path.join(root, "home/u");
    const userDir = path.join(home, ".config/containers");
    const sysDir = path.join(root, "etc/containers");
    mkdirSync(userDir, { recursive: true });
    mkdirSync(sysDir, { recursive: true });
    if (layout.userPolicy) writeFileSync(path.join(userDir, "policy.json"), "{}");
    if (layout.systemPolicy) writeFileSync(path.join(sysDir, "policy.json"), "{}");
    if (layout.userRegD) mkdirSync(path.join(userDir, "registries.d"));
    if (layout.systemRegD) mkdirSync(path.join(sysDir, "registries.d"));
    return { root, home, userDir, sysDir };
  }
  it("the per-user policy.json and registries.d shadow the system ones", async () => {
    const t = tree({ userPolicy: true, systemPolicy: true, userRegD: true, systemRegD: true });
    const loc = await findRuntimeLocations({ host: nodeHost({ env: { HOME: t.home } }), root: t.root });
    expect(loc.policy?.path).toBe(path.join(t.userDir, "policy.json"));
    expect(loc.registriesD.path).toBe(path.join(t.userDir, "registries.d"));
    expect(loc.notes).toHaveLength(2);
    expect(loc.notes[0]).toContain("shadows");
  });
  it("falls back to the system files; XDG_CONFIG_HOME is not used", async () => {
    const t = tree({ systemPolicy: true, systemRegD: true });
    const loc = await findRuntimeLocations({ host: nodeHost({ env: { HOME: t.home, XDG_CONFIG_HOME: path.join(t.root, "xdg") } }), root: t.root });
    expect(loc.policy?.path).toBe(path.join(t.sysDir, "policy.json"));
    expect(loc.policy?.scope).toBe("system");
    expect(loc.registriesD.path).toBe(path.join(t.sysDir, "registries.d"));
    expect(loc.notes).toEqual([]);
  });
  it("no policy.json at all; a missing registries.d is still the system path", async () => {
    const t = tree({});
    const loc = await findRuntimeLocations({ host: nodeHost({ env: { HOME: t.home } }), root: t.root });
    expect(loc.policy).toBeUndefined();
    expect(loc.policyCandidates.map((c) => c.path)).toEqual([path.join(t.userDir, "policy.json"), path.join(t.sysDir, "policy.json")]);
    expect(loc.registriesD).toMatchObject({ path: path.join(t.sysDir, "registries.d"), exists: false });
  });
});
