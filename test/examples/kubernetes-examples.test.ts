/**
 * The cluster-only examples (examples/kubernetes/*.trust): programs that name a CI workflow identity
 * (`workflow "URI"`), which admission controllers match and containers/image cannot (issue 12). Each compiles for
 * every admission target — golden manifests and diagnostics, valid for the CRDs — is canonically formatted, and
 * compiled for nodes gives exactly IT2200 at each workflow line and nothing else.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileTrustSource } from "../../src/check/compile-source.js";
import { compileToKubernetes, K8S_TARGETS } from "../../src/k8s/compile.js";
import { formatTrustSource } from "../../src/print/format.js";
import { SourceFile } from "../../src/source/source-file.js";
import { expectGolden, readKey } from "../k8s/helpers.js";
import { expectValidManifests } from "../k8s/manifests.js";

const dir = fileURLToPath(new URL("../../examples/kubernetes/", import.meta.url));
const examples = readdirSync(dir).filter((f) => f.endsWith(".trust")).sort();

function source(name: string): SourceFile {
  return new SourceFile(`examples/kubernetes/${name}`, readFileSync(dir + name, "utf8"));
}
const keys = { fileExists: (p: string) => readKey(p) !== undefined, readFile: readKey };

describe("cluster-only examples", () => {
  it("exist, and keyless-ci-cluster is one of them", () => {
    expect(examples).toContain("keyless-ci-cluster.trust");
  });

  it.each(examples)("%s: compiled for nodes, exactly IT2200 at each workflow line", (name) => {
    const s = source(name);
    const r = compileTrustSource(s, keys);
    expect(r.value).toBeUndefined();
    const workflowLines = s.text.split("\n").flatMap((l, i) => (/^\s*workflow\b/.test(l) ? [i + 1] : []));
    expect(workflowLines.length).toBeGreaterThan(0);
    expect(r.diagnostics.map((d) => `${d.code} ${s.position(d.span!.start).line}`)).toEqual(workflowLines.map((l) => `IT2200 ${l}`));
  });

  it.each(examples)("%s is formatted canonically", (name) => {
    const s = source(name);
    expect(formatTrustSource(s).text).toBe(s.text);
  });

  describe.each(K8S_TARGETS)("for %s", (target) => {
    it.each(examples)("%s: no error, golden manifests valid for the CRDs", (name) => {
      const s = source(name);
      const front = compileTrustSource(s, { ...keys, admission: true });
      expect(front.diagnostics).toEqual([]);
      const r = compileToKubernetes(front.value!, { target, readFile: readKey });
      const rendered = r.diagnostics.map((d) => {
        const p = d.span ? s.position(d.span.start) : undefined;
        return `${p ? `${p.line}:${p.column}` : "-"} ${d.severity} ${d.code} ${d.message}`;
      });
      const base = `kubernetes-${name.replace(/\.trust$/, "")}/${target}`;
      expectGolden(`${base}/diagnostics.txt`, rendered.join("\n") + "\n");
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      for (const f of r.files!) expectGolden(`${base}/${f.name}`, f.text);
      expect(expectValidManifests(r.files!)).toBeGreaterThan(0);
      expect(r.files!.map((f) => f.text).join("")).toContain("https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main");
    });
  });
});

describe("cluster-only examples through the CLI", () => {
  it("compile --target-k8s writes the manifests; compile for nodes fails with IT2200 and writes nothing", async () => {
    const { runCli } = await import("../cli/helpers.js");
    const { mkdtempSync, readdirSync: ls } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const file = "examples/kubernetes/keyless-ci-cluster.trust";
    const k8s = mkdtempSync(join(tmpdir(), "k8s-"));
    const ok = await runCli(["compile", file, "--keys", "examples/keys", "--target-k8s", "policy-controller", "--out", k8s]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ls(k8s).sort()).toEqual(["config-policy-controller.yaml", "imagetrust-main.yaml", "imagetrust-releases.yaml"]);
    const node = mkdtempSync(join(tmpdir(), "node-"));
    const refused = await runCli(["compile", file, "--keys", "examples/keys", "--out", node]);
    expect(refused.code).toBe(1);
    expect((refused.stdout + refused.stderr).match(/error IT2200/g)).toHaveLength(2);
    expect(ls(node)).toEqual([]);
  });
});
