/**
 * containers/image's constructor rules (src/ir/constraints.ts), one table per constructor, with upstream's own
 * cases (signature/policy_config_test.go, policy_config_sigstore_test.go) as the facts they reduce to.
 */
import { describe, expect, it } from "vitest";
import {
  newPRMExactReference,
  newPRMExactRepository,
  newPRMRemapIdentity,
  newPRSignedBy,
  newPRSigstoreSigned,
  newPRSigstoreSignedFulcio,
  newPRSigstoreSignedPKI,
  prSignedByKeySourcesPresent,
} from "../../src/ir/constraints.js";

describe("newPRSignedBy", () => {
  it("needs a valid keyType and exactly one non-empty key source", () => {
    expect(newPRSignedBy({ keyType: "GPGKeys", keyPath: "set", keyPaths: "absent", keyData: "absent" })).toEqual([]);
    expect(newPRSignedBy({ keyType: "GPGKeys", keyPath: "absent", keyPaths: "empty", keyData: "absent" })).toEqual([]);
    expect(newPRSignedBy({ keyType: "GPGKeys", keyPath: "zero", keyPaths: "absent", keyData: "absent" })).toEqual([{ rule: "keySourceCount", count: 0 }]);
    expect(newPRSignedBy({ keyType: "GPGKeys", keyPath: "absent", keyPaths: "zero", keyData: "absent" })).toEqual([{ rule: "keySourceCount", count: 0 }]);
    expect(newPRSignedBy({ keyType: "nope", keyPath: "set", keyPaths: "absent", keyData: "set" })).toEqual([
      { rule: "invalidKeyType", field: "keyType" },
      { rule: "keySourceCount", count: 2 },
    ]);
  });
  it("prSignedBy.UnmarshalJSON counts the sources present", () => {
    expect(prSignedByKeySourcesPresent([])).toEqual([{ rule: "noKeySource" }]);
    expect(prSignedByKeySourcesPresent(["keyPath"])).toEqual([]);
    expect(prSignedByKeySourcesPresent(["keyPath", "keyData"])).toEqual([{ rule: "severalKeySources", fields: ["keyPath", "keyData"] }]);
  });
});

describe("newPRSigstoreSigned", () => {
  it("newest: one key source, at most one Rekor source, fulcio needs Rekor, pki takes none, lists need entries", () => {
    expect(newPRSigstoreSigned({ keyPath: "set" }, "newest")).toEqual([]);
    expect(newPRSigstoreSigned({ keyPath: "zero" }, "newest")).toEqual([{ rule: "keySourceCount", count: 0 }]);
    expect(newPRSigstoreSigned({ keyPath: "set", keyData: "set" }, "newest")).toEqual([{ rule: "keySourceCount", count: 2 }]);
    expect(newPRSigstoreSigned({ fulcio: "set" }, "newest")).toEqual([{ rule: "fulcioNeedsRekor", field: "fulcio" }]);
    expect(newPRSigstoreSigned({ fulcio: "set", rekorPublicKeyData: "set" }, "newest")).toEqual([]);
    expect(newPRSigstoreSigned({ pki: "set", rekorPublicKeyPath: "set" }, "newest")).toEqual([{ rule: "pkiWithRekor", field: "pki" }]);
    expect(newPRSigstoreSigned({ keyPaths: "empty", rekorPublicKeyPath: "set", rekorPublicKeyDatas: "set" }, "newest")).toEqual([
      { rule: "emptyList", field: "keyPaths" },
      { rule: "rekorSourceCount", count: 2 },
    ]);
  });
  it("5.24–5.32: keyPath, keyData or fulcio; one Rekor field", () => {
    expect(newPRSigstoreSigned({ keyPath: "set", rekorPublicKeyPath: "set", rekorPublicKeyData: "set" }, "5.24")).toEqual([{ rule: "rekorSourceCount", count: 2 }]);
    expect(newPRSigstoreSigned({ fulcio: "set" }, "5.24")).toEqual([{ rule: "fulcioNeedsRekor", field: "fulcio" }]);
  });
  it("5.23.1: keyPath and keyData by presence", () => {
    expect(newPRSigstoreSigned({ keyPath: "zero" }, "5.23")).toEqual([]);
    expect(newPRSigstoreSigned({}, "5.23")).toEqual([{ rule: "legacyNoKey" }]);
    expect(newPRSigstoreSigned({ keyPath: "set", keyData: "zero" }, "5.23")).toEqual([{ rule: "legacyKeyPathAndKeyData" }]);
  });
});

describe("newPRSigstoreSignedFulcio / newPRSigstoreSignedPKI", () => {
  it("fulcio: one CA source, an issuer and an e-mail", () => {
    expect(newPRSigstoreSignedFulcio({ caPath: "set", caData: "absent", oidcIssuer: "set", subjectEmail: "set" })).toEqual([]);
    expect(newPRSigstoreSignedFulcio({ caPath: "set", caData: "set", oidcIssuer: "zero", subjectEmail: "absent" })).toEqual([
      { rule: "caPathAndCaData" },
      { rule: "missing", field: "oidcIssuer" },
      { rule: "missing", field: "subjectEmail" },
    ]);
  });
  it("pki: one roots source, not both intermediates, a subject", () => {
    const ok = { caRootsPath: "set", caRootsData: "absent", caIntermediatesPath: "absent", caIntermediatesData: "absent", subjectEmail: "absent", subjectHostname: "set" } as const;
    expect(newPRSigstoreSignedPKI(ok)).toEqual([]);
    expect(newPRSigstoreSignedPKI({ ...ok, caRootsPath: "zero", caIntermediatesPath: "set", caIntermediatesData: "set", subjectHostname: "zero" })).toEqual([
      { rule: "noRoots" },
      { rule: "intermediatesPathAndData" },
      { rule: "noSubject" },
    ]);
  });
});

describe("identity constructors", () => {
  it("newPRMExactReference needs a tag or digest; newPRMExactRepository any valid name", () => {
    expect(newPRMExactReference("busybox:latest")).toEqual([]);
    expect(newPRMExactReference("busybox")).toEqual([{ rule: "nameOnly" }]);
    expect(newPRMExactReference("UPPER")[0].rule).toBe("invalidReference");
    expect(newPRMExactRepository("busybox")).toEqual([]);
    expect(newPRMExactRepository("UPPER")[0].rule).toBe("invalidReference");
  });
  it("newPRMRemapIdentity checks both prefixes", () => {
    expect(newPRMRemapIdentity("example.com/a", "example.net")).toEqual([]);
    expect(newPRMRemapIdentity("example.com/", "x:tag")).toEqual([
      { rule: "invalidPrefix", field: "prefix" },
      { rule: "invalidPrefix", field: "signedPrefix" },
    ]);
  });
});
