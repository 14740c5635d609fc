import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadPolicyJson } from "../../src/load/policy-json.js";
import { requirementAlwaysDenies } from "../../src/lint/rules/requirement-always-denies.js";
import { runLint } from "../../src/lint/run.js";
import { SourceFile } from "../../src/source/source-file.js";
import { goEvaluate, goHarnessAvailable } from "../harness/go-harness.js";

const FIXTURES = "/usr/share/gocode/src/github.com/containers/image/signature/fixtures";
const KEY = `${FIXTURES}/public-key.gpg`;
const GOOD = { type: "signedBy", keyType: "GPGKeys", keyPath: KEY, signedIdentity: { type: "matchRepository" } };

/** name, transport, requirement list, expected finding messageIds. */
const TABLE: Array<[string, string, unknown[], string[]]> = [
  ["signedBy GPGKeys (baseline)", "docker", [GOOD], []],
  ["keyType X509Certificates", "docker", [{ ...GOOD, keyType: "X509Certificates" }], ["keyType"]],
  ["keyType signedByGPGKeys", "docker", [{ ...GOOD, keyType: "signedByGPGKeys" }], ["keyType"]],
  ["keyPaths: []", "docker", [{ type: "signedBy", keyType: "GPGKeys", keyPaths: [], signedIdentity: { type: "matchRepository" } }], ["noKeys"]],
  ['keyData: ""', "docker", [{ type: "signedBy", keyType: "GPGKeys", keyData: "", signedIdentity: { type: "matchRepository" } }], ["noKeys"]],
  ["signedBaseLayer with a good signedBy", "docker", [GOOD, { type: "signedBaseLayer", baseLayerIdentity: { type: "matchRepository" } }], ["signedBaseLayer"]],
  ["dir: matchRepository", "dir", [GOOD], ["identity"]],
  ["dir: default identity", "dir", [{ type: "signedBy", keyType: "GPGKeys", keyPath: KEY }], ["identity"]],
  ["dir: matchExact", "dir", [{ ...GOOD, signedIdentity: { type: "matchExact" } }], ["identity"]],
  ["dir: exactRepository", "dir", [{ ...GOOD, signedIdentity: { type: "exactRepository", dockerRepository: "testing/manifest" } }], []],
  ["dir: exactReference", "dir", [{ ...GOOD, signedIdentity: { type: "exactReference", dockerReference: "testing/manifest:latest" } }], []],
  ["oci: signedBy", "oci", [{ ...GOOD, signedIdentity: { type: "exactRepository", dockerRepository: "testing/manifest" } }], ["noSignatures"]],
  ["docker-daemon: sigstoreSigned", "docker-daemon", [{ type: "sigstoreSigned", keyPath: "/k.pub" }], ["noSignatures"]],
  ["oci: insecureAcceptAnything", "oci", [{ type: "insecureAcceptAnything" }], []],
];

function policyText(transport: string, reqs: unknown[]): string {
  return JSON.stringify({ default: [{ type: "reject" }], transports: { [transport]: { "": reqs } } });
}

function findings(text: string) {
  const loaded = loadPolicyJson(new SourceFile("p.json", text));
  expect(loaded.value, JSON.stringify(loaded.diagnostics)).toBeDefined();
  return runLint({ file: "p.json", policy: loaded.value }, { rules: [requirementAlwaysDenies] });
}

describe("requirement-always-denies", () => {
  for (const [name, transport, reqs, expected] of TABLE) {
    it(`${name} → ${expected.length ? expected.join(", ") : "clean"}`, () => {
      const text = policyText(transport, reqs);
      const ds = findings(text);
      expect(ds.map((d) => d.code)).toEqual(expected.map(() => "IT4004"));
      for (const d of ds) {
        // Points at the offending requirement object.
        expect(text.slice(d.span!.start, d.span!.end)).toMatch(/^\{"type":/);
      }
      const messages = requirementAlwaysDenies.meta.messages;
      // Each finding uses the expected message: the template's text before its first placeholder.
      expected.forEach((id, i) => expect(ds[i].message.startsWith(messages[id].split("{")[0])).toBe(true));
    });
  }
});

// "Always denies" is a claim about containers/image: evaluate each policy with a really signed image (upstream's
// dir-img-valid fixture, signed by public-key.gpg for testing/manifest) and check the verdicts.
const skip = !goHarnessAvailable() && process.env.CI !== "true";
describe.skipIf(skip)("requirement-always-denies agrees with containers/image 5.23.1", () => {
  it("flagged requirements deny a validly signed image; unflagged ones allow it", async () => {
    const manifest = readFileSync(`${FIXTURES}/dir-img-valid/manifest.json`).toString("base64");
    const signature = readFileSync(`${FIXTURES}/dir-img-valid/signature-1`).toString("base64");
    const refFor: Record<string, string> = { docker: "docker://testing/manifest:latest", dir: "dir:/tmp/imagetrust-signed-img" };
    let checked = 0;
    for (const [name, transport, reqs, expected] of TABLE) {
      const ref = refFor[transport];
      if (!ref) continue; // oci/docker-daemon: "no signatures" is a property of the transport's image source, not of evaluation
      const r = await goEvaluate(policyText(transport, reqs), [{ reference: ref, manifest, signatures: [signature] }]);
      expect(r.policyError, name).toBeUndefined();
      expect(r.cases[0].parseError, name).toBeUndefined();
      expect(r.cases[0].allowed, `${name}: ${r.cases[0].error ?? "allowed"}`).toBe(expected.length === 0);
      checked++;
    }
    expect(checked).toBe(11);
  });
});
