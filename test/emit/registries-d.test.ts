import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { emitRegistriesD, registriesDFileName, GENERATED_MARKER, type EmittedFile } from "../../src/emit/registries-d.js";
import { checkRegistriesDSchema } from "./schema-check.js";
import type { RegistriesDConfig, SignatureStorage } from "../../src/ir/types.js";
import { parseVersion } from "../../src/ir/versions.js";
import { buildGoProgram, runGoTests } from "./go-build.js";
import { expectGolden } from "./golden.js";
import { fullRegistriesD } from "./ir-fixtures.js";

const v = (s: string) => parseVersion(s)!;

function emitOk(c: RegistriesDConfig, opts: Parameters<typeof emitRegistriesD>[1] = {}): EmittedFile[] {
  const r = emitRegistriesD(c, opts);
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.files!;
}
const joinFiles = (files: EmittedFile[]) => files.map((f) => `==> ${f.name} <==\n${f.text}`).join("");

/** What upstream's struct holds for a section (absent strings read as ""). */
function upstreamView(s: SignatureStorage) {
  const o: Record<string, unknown> = { lookaside: s.lookaside ?? "", "lookaside-staging": s.lookasideStaging ?? "", sigstore: s.sigstore ?? "", "sigstore-staging": s.sigstoreStaging ?? "" };
  if (s.useSigstoreAttachments !== undefined) o["use-sigstore-attachments"] = s.useSigstoreAttachments;
  return o;
}
function expectedMerged(c: RegistriesDConfig) {
  return {
    defaultDocker: c.defaultDocker ? upstreamView(c.defaultDocker.storage) : undefined,
    docker: Object.fromEntries(c.docker.map((e) => [e.scope, upstreamView(e.storage)])),
  };
}
/** Merge parsed files (yaml lib) as upstream's loadAndMergeConfig does. */
function mergeParsed(files: EmittedFile[]) {
  let defaultDocker: Record<string, unknown> | undefined;
  const docker: Record<string, unknown> = {};
  for (const f of files) {
    const doc = parseYaml(f.text, { version: "1.1", uniqueKeys: true }) ?? {};
    expect(checkRegistriesDSchema(doc)).toEqual([]);
    expect(parseYaml(f.text, { version: "1.2", uniqueKeys: true }) ?? {}).toEqual(doc);
    const norm = (s: Record<string, unknown> | null) => {
      const o: Record<string, unknown> = { lookaside: "", "lookaside-staging": "", sigstore: "", "sigstore-staging": "", ...(s ?? {}) };
      return o;
    };
    if (doc["default-docker"] !== undefined) {
      expect(defaultDocker).toBeUndefined();
      defaultDocker = norm(doc["default-docker"]);
    }
    for (const [k, s] of Object.entries((doc.docker ?? {}) as Record<string, Record<string, unknown> | null>)) {
      expect(docker[k]).toBeUndefined();
      docker[k] = norm(s);
    }
  }
  return { defaultDocker, docker };
}

describe("emitRegistriesD", () => {
  it("by-file layout (default): the IR's file names, made safe", () => {
    const files = emitOk(fullRegistriesD());
    expect(files.map((f) => f.name)).toEqual(["default.yaml", "x.yaml"]);
    expectGolden("registries.d/by-file.txt", joinFiles(files));
    const c: RegistriesDConfig = { docker: [
      { scope: "a.example", file: "/etc/containers/registries.d/Site Config.yml", storage: {} },
      { scope: "b.example", file: "../../.hidden.yaml", storage: {} },
      { scope: "c.example", file: "", storage: {} },
    ] };
    expect(emitOk(c).map((f) => f.name)).toEqual(["Site_Config.yaml", "_hidden.yaml", "c.example.yaml"]);
  });

  it("per-host layout: golden, one file per host plus default.yaml", () => {
    const files = emitOk(fullRegistriesD(), { layout: "per-host" });
    expect(files.map((f) => f.name)).toEqual([
      "default.yaml",
      "localhost_5000.yaml",
      "empty.example.yaml",
      "quay.io.yaml",
      "registry.access.redhat.com.yaml",
      "registry.redhat.io.yaml",
      "wildcard.example.com.yaml",
    ].sort());
    for (const f of files) expect(f.text.startsWith(GENERATED_MARKER)).toBe(true);
    expectGolden("registries.d/per-host.txt", joinFiles(files));
  });

  it("single layout and a pre-5.22 target (old key names): golden", () => {
    const single = emitOk(fullRegistriesD(), { layout: "single" });
    expect(single.map((f) => f.name)).toEqual(["imagetrust.yaml"]);
    expectGolden("registries.d/single.yaml", single[0].text);
    const c = fullRegistriesD();
    c.docker = c.docker.filter((e) => e.storage.useSigstoreAttachments === undefined);
    const old = emitOk(c, { target: v("5.21"), layout: "single" });
    expect(old[0].text).not.toMatch(/lookaside/);
    expectGolden("registries.d/single-5.21.yaml", old[0].text);
    // Same meaning: lookaside values now sit under sigstore.
    const merged = mergeParsed(old);
    expect(merged.docker["registry.access.redhat.com"]).toMatchObject({ sigstore: "https://access.redhat.com/webassets/docker/content/sigstore" });
    expect(merged.defaultDocker).toMatchObject({ sigstore: "file:///var/lib/containers/sigstore", "sigstore-staging": "file:///var/lib/containers/staging" });
  });

  it("round-trips through the yaml library (1.1 and 1.2) and conforms to the schema", () => {
    for (const layout of ["by-file", "per-host", "single"] as const) {
      expect(mergeParsed(emitOk(fullRegistriesD(), { layout }))).toEqual(expectedMerged(fullRegistriesD()));
    }
  });

  it("is deterministic", () => {
    const a = joinFiles(emitOk(fullRegistriesD(), { layout: "per-host" }));
    expect(joinFiles(emitOk(fullRegistriesD(), { layout: "per-host" }))).toBe(a);
    const c = fullRegistriesD();
    c.docker = c.docker.map((e) => ({ storage: Object.fromEntries(Object.entries(e.storage).reverse()) as SignatureStorage, file: e.file, scope: e.scope }));
    expect(joinFiles(emitOk(c, { layout: "per-host" }))).toBe(a);
  });

  it("writes nothing for an empty configuration", () => {
    expect(emitRegistriesD({ docker: [] })).toEqual({ files: [], diagnostics: [] });
  });

  it("names files after the host, sanitised", () => {
    expect(["quay.io/a/b", "localhost:5000/x", "*.example.com", "Example.COM", ".hidden/x", "", "a b/c", "x".repeat(300)].map(registriesDFileName)).toEqual([
      "quay.io.yaml",
      "localhost_5000.yaml",
      "wildcard.example.com.yaml",
      "example.com.yaml",
      "_hidden.yaml",
      "_.yaml",
      "a_b.yaml",
      expect.stringMatching(/^x{90}-[0-9a-f]{8}\.yaml$/),
    ]);
  });

  it("errors: duplicate scope (both locations), use-sigstore-attachments before 5.22, unpaired surrogate", () => {
    const sp = (n: number) => ({ file: "t.trust", start: n, end: n + 1 });
    const dup = emitRegistriesD({ docker: [
      { scope: "quay.io", file: "a", keyOrigin: sp(1), storage: {} },
      { scope: "quay.io", file: "a", keyOrigin: sp(5), storage: {} },
    ] });
    expect(dup.files).toBeUndefined();
    expect(dup.diagnostics.map((d) => [d.code, d.span?.start, d.related?.[0]?.span.start])).toEqual([["IT3130", 5, 1]]);
    const old = emitRegistriesD({ docker: [{ scope: "quay.io", file: "a", storage: { useSigstoreAttachments: true } }] }, { target: v("5.21") });
    expect(old.files).toBeUndefined();
    expect(old.diagnostics.map((d) => d.code)).toEqual(["IT3100"]);
    expect(old.diagnostics[0].message).toContain("5.22");
    expect(emitRegistriesD({ docker: [{ scope: "quay.io", file: "a", storage: { useSigstoreAttachments: true } }] }, { target: v("5.22") }).files).toHaveLength(1);
    const bad = emitRegistriesD({ docker: [{ scope: "q\ud800", file: "a", storage: {} }] });
    expect(bad.diagnostics.map((d) => d.code)).toEqual(["IT3131"]);
  });

  it("warns when both a name and its deprecated alias are set for a pre-5.22 target", () => {
    const r = emitRegistriesD({ docker: [{ scope: "quay.io", file: "a", storage: { lookaside: "https://new", sigstore: "https://old" } }] }, { target: v("5.21") });
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([["IT3101", "warning"]]);
    expect(r.files![0].text).toContain('sigstore: "https://new"');
    expect(r.files![0].text).not.toContain("https://old");
  });
});

describe.runIf(runGoTests)("containers/image's YAML readers decode the emitted files to the IR", () => {
  function goDecode(files: EmittedFile[]) {
    const dir = mkdtempSync(join(tmpdir(), "imagetrust-regd-"));
    try {
      const paths = files.map((f, i) => {
        const p = join(dir, `${i}-${f.name}`);
        writeFileSync(p, f.text);
        return p;
      });
      return JSON.parse(execFileSync(buildGoProgram("decode-registries-d"), paths).toString()) as Array<Record<string, any>>;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  function goMerged(rows: Array<Record<string, any>>, which: "ghodss" | "v3") {
    let defaultDocker: unknown;
    const docker: Record<string, unknown> = {};
    for (const r of rows) {
      expect(r[which + "Error"]).toBeUndefined();
      const c = r[which];
      if (c["default-docker"]) defaultDocker = c["default-docker"];
      Object.assign(docker, c.docker ?? {});
    }
    return { defaultDocker, docker };
  }

  it("ghodss/yaml (5.23.1) and yaml.v3 (5.25+) agree with the IR for the full fixture", () => {
    const rows = goDecode(emitOk(fullRegistriesD(), { layout: "per-host" }));
    const expected = expectedMerged(fullRegistriesD());
    expect(goMerged(rows, "ghodss")).toEqual(expected);
    expect(goMerged(rows, "v3")).toEqual(expected);
  });

  it("every escaped character class decodes exactly (C0, DEL, C1, NEL, LS/PS, BOM, noncharacters, quotes)", () => {
    const chars = [...Array.from({ length: 0xa1 }, (_, i) => String.fromCharCode(i)), "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "\u{1f600}", "é"];
    const cfg: RegistriesDConfig = { docker: chars.map((c, i) => ({ scope: `s${i}${c}x`, file: "x", storage: { lookaside: `u${c}` } })) };
    const files = emitOk(cfg, { layout: "single" });
    const rows = goDecode(files);
    const expected = expectedMerged(cfg);
    expect(goMerged(rows, "v3")).toEqual(expected);
    expect(goMerged(rows, "ghodss")).toEqual(expected);
    expect(mergeParsed(files)).toEqual(expected);
  });

  it("very long scopes (over YAML's 1024-character implicit-key limit) survive both readers", () => {
    const long = (n: number, c: string) => "quay.io/" + c.repeat(n);
    const cfg: RegistriesDConfig = { docker: [
      { scope: long(2000, "a"), file: "x", storage: { lookaside: "https://x", useSigstoreAttachments: true } },
      { scope: long(995, "b"), file: "x", storage: {} },
      { scope: long(1500, "\u00e9"), file: "x", storage: {} },
      { scope: "short", file: "x", storage: { sigstore: "s" } },
    ] };
    const files = emitOk(cfg, { layout: "single" });
    expect(files[0].text).toMatch(/^  \? "quay.io\/a{2000}"\n  :\n    lookaside:/m);
    const rows = goDecode(files);
    const expected = expectedMerged(cfg);
    expect(goMerged(rows, "v3")).toEqual(expected);
    expect(goMerged(rows, "ghodss")).toEqual(expected);
    expect(mergeParsed(files)).toEqual(expected);
  });

  it("arbitrary scope and URL strings survive both readers (property, one batch of 150)", () => {
    const text = fc.string({ unit: "binary", maxLength: 16 });
    const configs = fc.sample(
      fc.record({ scope: text, lookaside: fc.option(text, { nil: undefined }), sigstoreStaging: fc.option(text, { nil: undefined }), attach: fc.option(fc.boolean(), { nil: undefined }) }),
      { numRuns: 150, seed: 7 },
    );
    const cfg: RegistriesDConfig = { docker: [] };
    const seen = new Set<string>();
    for (const c of configs) {
      if (seen.has(c.scope)) continue;
      seen.add(c.scope);
      cfg.docker.push({ scope: c.scope, file: "x", storage: { lookaside: c.lookaside, sigstoreStaging: c.sigstoreStaging, useSigstoreAttachments: c.attach } });
    }
    const files = emitOk(cfg, { layout: "single" });
    const rows = goDecode(files);
    const expected = expectedMerged(cfg);
    expect(goMerged(rows, "v3")).toEqual(expected);
    expect(goMerged(rows, "ghodss")).toEqual(expected);
    expect(mergeParsed(files)).toEqual(expected);
  });
});
