/**
 * The example programs compiled for both admission targets: golden manifests and diagnostics, CRD validity,
 * and a reference table per example comparing the cluster's verdict with the node's.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileTrustSource } from "../../src/check/compile-source.js";
import { compileToKubernetes, K8S_TARGETS } from "../../src/k8s/compile.js";
import { K8S_CODES } from "../../src/k8s/codes.js";
import { SourceFile } from "../../src/source/source-file.js";
import { checkReferences, expectValidManifests } from "./manifests.js";
import { expectGolden, readKey } from "./helpers.js";

const dir = fileURLToPath(new URL("../../examples/", import.meta.url));

function compileExample(name: string) {
  const source = new SourceFile(`examples/${name}.trust`, readFileSync(`${dir}${name}.trust`, "utf8"));
  const result = compileTrustSource(source, { fileExists: (p) => readKey(p) !== undefined, readFile: readKey });
  expect(result.diagnostics).toEqual([]);
  return { source, model: result.value! };
}

/** References per example: the deciding scopes and their neighbours. */
const TABLES: Record<string, string[]> = {
  "keyless-ci": ["ghcr.io/acme/api:1.0", "ghcr.io/acme/legacy-tools/x:1", "ghcr.io/acme/release/x:1", "ghcr.io/acme:1", "ghcr.io/other/api:1.0", "docker.io/library/alpine:3"],
  laptop: [
    "docker.io/library/alpine:3.20",
    "registry.acme.example/scratch/tool:dev",
    "registry.acme.example/payments/api:2.4.1",
    "registry.acme.example/dev/x:1",
    "quay.io/x/y:1",
    "docker.io/library/busybox:1",
  ],
};

/** Examples whose requirements have no admission equivalent (GPG), with the lines the errors point at. */
const UNTRANSLATABLE: Record<string, number[]> = {
  enterprise: [13, 14, 15, 16],
  "fedora-rhel": [7],
  "air-gapped": [9, 10],
};

describe.each(K8S_TARGETS)("examples for %s", (target) => {
  it.each(Object.keys(TABLES))("%s: golden manifests, valid for the CRDs, verdicts as the node's where claimed", (name) => {
    const { source, model } = compileExample(name);
    const r = compileToKubernetes(model, { target, readFile: readKey });
    const rendered = r.diagnostics.map((d) => {
      const p = d.span ? source.position(d.span.start) : undefined;
      return `${p ? `${p.line}:${p.column}` : "-"} ${d.severity} ${d.code} ${d.message}`;
    });
    expectGolden(`${name}/${target}/diagnostics.txt`, rendered.join("\n") + "\n");
    expect(r.files).toBeDefined();
    for (const f of r.files!) expectGolden(`${name}/${target}/${f.name}`, f.text);
    expect(expectValidManifests(r.files!)).toBeGreaterThan(0);
    const [same, stricter] = checkReferences(model, target, r.files!, r.diagnostics, TABLES[name]);
    expect(same + stricter).toBeGreaterThanOrEqual(TABLES[name].length);
  });

  it.each(Object.keys(UNTRANSLATABLE))("%s: GPG requirements are errors at their lines, nothing is emitted", (name) => {
    const { source, model } = compileExample(name);
    const r = compileToKubernetes(model, { target, readFile: readKey });
    expect(r.files).toBeUndefined();
    const lines = r.diagnostics.filter((d) => d.code === K8S_CODES.gpgSignedBy).map((d) => source.position(d.span!.start).line);
    expect([...new Set(lines)].sort((a, b) => a - b)).toEqual(UNTRANSLATABLE[name]);
  });
});

it("keyless-ci under policy-controller: the release scope is stricter (IT7020), under Kyverno exact", () => {
  const { source, model } = compileExample("keyless-ci");
  const pc = compileToKubernetes(model, { target: "policy-controller", readFile: readKey });
  const d = pc.diagnostics.filter((x) => x.code === K8S_CODES.scopeStricter);
  expect(d.map((x) => source.position(x.span!.start))).toEqual([{ line: 28, column: 5 }]);
  expect(checkReferences(model, "policy-controller", pc.files!, pc.diagnostics, TABLES["keyless-ci"])).toEqual([5, 1]);
  const ky = compileToKubernetes(model, { target: "kyverno", readFile: readKey });
  expect(ky.diagnostics.filter((x) => x.code === K8S_CODES.scopeStricter)).toEqual([]);
  expect(checkReferences(model, "kyverno", ky.files!, ky.diagnostics, TABLES["keyless-ci"])).toEqual([7, 0]);
});
