import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileTrustSource } from "../../src/check/compile-source.js";
import type * as IR from "../../src/ir/types.js";
import { normalizeTrustModel } from "../../src/print/normalize-model.js";
import { nameFromPath, printTrustModel } from "../../src/print/trust-printer.js";
import { SourceFile } from "../../src/source/source-file.js";
import { expectGolden } from "./golden-helper.js";
import { modelFromPolicyJson } from "./policy-json-helper.js";
import { CORPUS, skipWithoutShared } from "../support/shared.js";

const NO_CORPUS = skipWithoutShared("the import goldens of three real-world corpus policies");

function back(model: IR.TrustModel): IR.TrustModel {
  const text = printTrustModel(model);
  const r = compileTrustSource(new SourceFile("p.trust", text), { checkKeyFiles: false });
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(`${text}\n${errors.map((d) => d.code + " " + d.message).join("\n")}`);
  return r.value!;
}

describe("key names", () => {
  it.each([
    ["/etc/pki/rpm-gpg/RPM-GPG-KEY-redhat-release", "redhat-release"],
    ["/etc/pki/containers/acme-ci.pub", "acme-ci"],
    ["/etc/pki/containers/fulcio_v1.crt.pem", "fulcio_v1"],
    ["/keys/RH-key signing key.gpg", "rh-key-signing-key"],
    ["/k/2024.pub", "k-2024"],
    ["/", ""],
  ])("%s → %s", (path, name) => {
    expect(nameFromPath(path)).toBe(name);
  });

  it("keeps names unique and away from keywords", () => {
    const text = printTrustModel(
      modelFromPolicyJson(
        JSON.stringify({
          default: [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/a/level" }],
          transports: {
            docker: {
              a: [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/b/level.gpg" }],
              b: [{ type: "signedBy", keyType: "GPGKeys", keyData: "QQ==" }],
              c: [{ type: "sigstoreSigned", keyData: "QQ==" }],
            },
          },
        }),
      ),
    );
    expect(text).toContain('key key-1 gpg file "/a/level"');
    expect(text).toContain('key key-2 gpg file "/b/level.gpg"');
    expect(text).toContain('key key-3 gpg data "QQ=="');
    expect(text).toContain('key key-4 sigstore data "QQ=="');
  });
});

describe("printer layout", () => {
  it("names repeated requirement lists as levels and nests child scopes", () => {
    const model = modelFromPolicyJson(
      JSON.stringify({
        default: [{ type: "reject" }],
        transports: {
          docker: {
            "registry.example": [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/etc/pki/rpm-gpg/RPM-GPG-KEY-acme" }],
            "registry.example/team/sandbox": [{ type: "insecureAcceptAnything" }],
            "registry.example/team": [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/etc/pki/rpm-gpg/RPM-GPG-KEY-acme" }],
            "": [{ type: "reject" }],
          },
        },
      }),
    );
    expect(printTrustModel(model)).toBe(`key acme gpg file "/etc/pki/rpm-gpg/RPM-GPG-KEY-acme"

level signed-by-acme = signed by acme

default reject

docker {
  default             reject
  "registry.example"  signed-by-acme {
    "team"  signed-by-acme {
      "sandbox"  accept
    }
  }
}
`);
    expect(normalizeTrustModel(back(model))).toEqual(normalizeTrustModel(model));
  });

  it("prints registries.d, approvals, expectations and the target, and reads them back", () => {
    const model: IR.TrustModel = {
      target: "5.24",
      policy: {
        default: [{ type: "reject" }],
        transports: [
          {
            name: "docker",
            scopes: [
              {
                scope: "docker.io/library/nginx@sha256:" + "a".repeat(64),
                requirements: [{ type: "insecureAcceptAnything" }],
                labels: { approval: 'OPS-77 "urgent"' },
              },
            ],
          },
        ],
      },
      registriesD: {
        defaultDocker: { file: "default.yaml", storage: { lookaside: "file:///var/lib/containers/sigstore" } },
        docker: [
          { scope: "quay.io", file: "quay.yaml", storage: { useSigstoreAttachments: true, sigstoreStaging: "file:///s" } },
          { scope: "ghcr.io", file: "default.yaml", storage: { useSigstoreAttachments: false, lookasideStaging: "file:///t", sigstore: "https://x" } },
          { scope: "empty.example", file: "quay.yaml", storage: {} },
        ],
      },
      expectations: [
        { verdict: "allow", reference: "docker://docker.io/library/nginx@sha256:" + "a".repeat(64) },
        { verdict: "deny", reference: "docker://docker.io/library/nginx:latest", scope: "" },
      ],
    };
    const text = printTrustModel(model);
    expect(text).toContain('approve "docker.io/library/nginx@sha256:' + "a".repeat(64) + '" because "OPS-77 \\"urgent\\""');
    expect(text).toContain('signatures "quay.yaml" {');
    const b = back(model);
    expect(normalizeTrustModel(b)).toEqual(normalizeTrustModel(model));
    expect(b.registriesD.docker.map((e) => [e.scope, e.file])).toEqual([
      ["ghcr.io", "default.yaml"],
      ["quay.io", "quay.yaml"],
      ["empty.example", "quay.yaml"],
    ]);
    expect(b.policy.transports[0].scopes[0].labels).toEqual({ approval: 'OPS-77 "urgent"' });
  });

  it.skipIf(NO_CORPUS).each(["002-containers-image-fixture-all-types", "041-soltros-eight-identical-scopes", "014-crio-test-keyless-fulcio"])("import golden: %s", (name) => {
    const model = modelFromPolicyJson(readFileSync(`${CORPUS}/policy/${name}.json`, "utf8"));
    expectGolden(`import/${name}.trust`, printTrustModel(model));
  });
});

describe("printer: any string round-trips", () => {
  const anyString = fc.string({ unit: "binary", maxLength: 30 });
  const nonEmpty = fc.string({ unit: "binary", minLength: 1, maxLength: 30 });
  it("scopes of an unknown transport, key paths, storage URLs and expectations", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(anyString, { maxLength: 6 }),
        fc.array(nonEmpty, { minLength: 1, maxLength: 3 }),
        anyString,
        fc.uniqueArray(nonEmpty, { maxLength: 3 }),
        (scopes, paths, url, storageScopes) => {
          const req: IR.Requirement = { type: "signedBy", keyType: "GPGKeys", keyPaths: paths };
          const model: IR.TrustModel = {
            policy: {
              default: [{ type: "reject" }],
              transports: [{ name: "x-transport\u0001\"", scopes: scopes.map((scope) => ({ scope, requirements: [req] })) }],
            },
            registriesD: { docker: storageScopes.map((scope) => ({ scope, file: "f.yaml", storage: { lookaside: url } })) },
            expectations: [{ verdict: "deny", reference: "docker://" + url, scope: url }],
          };
          expect(normalizeTrustModel(back(model))).toEqual(normalizeTrustModel(model));
        },
      ),
      { numRuns: 150 },
    );
  });
});
