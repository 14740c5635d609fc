/**
 * Rules that need more than the policy: registries.d (signed-by-without-lookaside, staging-without-lookaside),
 * registries.conf mirrors (mirror-without-signature-config, mirror-signature-storage-differs) and the file system
 * (symlinked-path-scope, with its fix).
 */
import { describe, expect, it } from "vitest";
import { loadRegistriesDFile, mergeRegistriesDFiles } from "../../src/load/registries-d/index.js";
import { memoryHost } from "../../src/host/memory-host.js";
import { loadRegistriesConf } from "../../src/load/registries-conf/index.js";
import { runLint } from "../../src/lint/run.js";
import { signedByWithoutLookaside } from "../../src/lint/rules/signed-by-without-lookaside.js";
import { stagingWithoutLookaside } from "../../src/lint/rules/staging-without-lookaside.js";
import { mirrorWithoutSignatureConfig } from "../../src/lint/rules/mirror-without-signature-config.js";
import { mirrorSignatureStorageDiffers } from "../../src/lint/rules/mirror-signature-storage-differs.js";
import { symlinkedPathScope } from "../../src/lint/rules/symlinked-path-scope.js";
import { SourceFile } from "../../src/source/source-file.js";
import type { RegistriesDConfig } from "../../src/ir/types.js";
import { lintJson, show } from "./helpers.js";

function regD(yaml: string, file = "/d/a.yaml"): { config: RegistriesDConfig; source: SourceFile } {
  const source = new SourceFile(file, yaml);
  const f = loadRegistriesDFile(source);
  const m = mergeRegistriesDFiles([f.value!]);
  return { config: m.value!, source };
}

const GPG = '{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k.gpg"}';
const SIG = '{"type":"sigstoreSigned","keyPath":"/k.pub","signedIdentity":{"type":"matchRepository"}}';
const policy = (scopes: Record<string, string>) =>
  `{"default":[{"type":"reject"}],"transports":{"docker":{${Object.entries(scopes).map(([s, r]) => `"${s}":[${r}]`).join(",")}}}}`;

describe("signed-by-without-lookaside", () => {
  const table: Array<[string, string, string[]]> = [
    ["nothing in registries.d", "docker: {}\n", [`IT4017@${GPG}`]],
    ["a lookaside for the scope", "docker:\n  quay.io/acme:\n    lookaside: https://s.example/\n".replace("/\n", "\n"), []],
    ["a lookaside for the registry", "docker:\n  quay.io:\n    lookaside: https://s.example\n", []],
    ["deprecated sigstore key counts", "docker:\n  quay.io:\n    sigstore: https://s.example\n", []],
    ["default-docker", "default-docker:\n  lookaside: https://s.example\n", []],
    ["only another registry", "docker:\n  ghcr.io:\n    lookaside: https://s.example\n", [`IT4017@${GPG}`]],
  ];
  for (const [name, yaml, expected] of table) {
    it(name, () => {
      const { config } = regD(yaml);
      expect(lintJson(policy({ "quay.io/acme": GPG }), [signedByWithoutLookaside], { signatureStorage: config }).shown).toEqual(expected);
    });
  }
  it("does nothing when registries.d is unknown", () => {
    expect(lintJson(policy({ "quay.io/acme": GPG }), [signedByWithoutLookaside]).ds).toEqual([]);
  });
});

describe("staging-without-lookaside", () => {
  it("reports sections that only say where to write", () => {
    const yaml = "default-docker:\n  sigstore-staging: file:///s\ndocker:\n  quay.io/a:\n    lookaside-staging: file:///s\n  quay.io/b:\n    lookaside: https://x\n    lookaside-staging: file:///s\n";
    const { config, source } = regD(yaml);
    const ds = runLint({ file: "/d", registriesD: config }, { rules: [stagingWithoutLookaside] });
    expect(ds.map((d) => show(d, new Map([[source.path, source]])))).toEqual(["IT4024@default-docker", "IT4024@quay.io/a"]);
  });
});

function conf(toml: string) {
  const r = loadRegistriesConf({ host: memoryHost({ files: { "/c/registries.conf": toml } }), confPath: "/c/registries.conf", confDirs: [], explicit: true });
  return { conf: r.value!, source: new SourceFile("/c/registries.conf", toml) };
}

describe("mirrors and signature storage", () => {
  const toml = '[[registry]]\nlocation = "quay.io/acme"\n[[registry.mirror]]\nlocation = "mirror.local/acme"\n';
  const rules = [mirrorWithoutSignatureConfig, mirrorSignatureStorageDiffers];
  const table: Array<[string, string, Record<string, string>, string[]]> = [
    ["mirror without storage", "docker:\n  quay.io/acme:\n    use-sigstore-attachments: true\n", { "quay.io/acme": SIG }, ["IT4019@mirror.local/acme"]],
    [
      "mirror with other storage",
      "docker:\n  quay.io/acme:\n    use-sigstore-attachments: true\n  mirror.local/acme:\n    lookaside: https://sigs.local\n",
      { "quay.io/acme": SIG },
      ["IT4020@mirror.local/acme"],
    ],
    [
      "mirror with the same storage",
      "docker:\n  quay.io/acme:\n    use-sigstore-attachments: true\n  mirror.local:\n    use-sigstore-attachments: true\n",
      { "quay.io/acme": SIG },
      [],
    ],
    ["no signatures required", "docker:\n  quay.io/acme:\n    use-sigstore-attachments: true\n", { "quay.io/acme": '{"type":"insecureAcceptAnything"}' }, []],
    ["nothing configured for either (default-docker applies to both)", "default-docker:\n  use-sigstore-attachments: true\n", { "quay.io/acme": SIG }, []],
  ];
  for (const [name, yaml, scopes, expected] of table) {
    it(name, () => {
      const { conf: c, source } = conf(toml);
      const { config } = regD(yaml);
      const text = policy(scopes);
      const { ds } = lintJson(text, rules, { signatureStorage: config, registriesConf: c });
      expect(ds.map((d) => show(d, new Map([[source.path, source]])).replace(/@"(.*)"$/, "@$1"))).toEqual(expected);
    });
  }
});

describe("symlinked-path-scope", () => {
  const host = memoryHost({ files: { "/srv/images/a/x": "", "/var/images": { symlink: "/srv/images" } } });
  it("reports a scope through a symlink and offers the resolved path", () => {
    const text = '{"default":[{"type":"reject"}],"transports":{"dir":{"/var/images/a":[{"type":"insecureAcceptAnything"}],"/srv/images":[{"type":"insecureAcceptAnything"}]}}}';
    const { ds, shown } = lintJson(text, [symlinkedPathScope], { host, checkHostFiles: true });
    expect(shown).toEqual(['IT4018@"/var/images/a"']);
    expect(ds[0].message).toContain("resolves to '/srv/images/a'");
    expect(ds[0].fix?.edits.map((e) => e.text)).toEqual(['"/srv/images/a"']);
  });
  it("offers no fix when the resolved scope exists already", () => {
    const text = '{"default":[{"type":"reject"}],"transports":{"oci":{"/var/images/a":[{"type":"reject"}],"/srv/images/a":[{"type":"reject"}]}}}';
    const { ds } = lintJson(text, [symlinkedPathScope], { host, checkHostFiles: true });
    expect(ds).toHaveLength(1);
    expect(ds[0].fix).toBeUndefined();
  });
});
