/** The requirement lattice `imagetrust diff` classifies regions with: one table, every row able to fail. */
import { describe, expect, it } from "vitest";
import type { Requirement } from "../../src/ir/types.js";
import { acceptsAtMost, compareRequirements, failsOnLoosen, identityAtMostAsWide, type RegionClass } from "../../src/diff/requirement-lattice.js";

const accept: Requirement = { type: "insecureAcceptAnything" };
const reject: Requirement = { type: "reject" };
const baseLayer: Requirement = { type: "signedBaseLayer", baseLayerIdentity: { type: "matchRepository" } };
const gpg = (keyPath: string, extra: Partial<Requirement> = {}): Requirement => ({ type: "signedBy", keyType: "GPGKeys", keyPath, ...extra }) as Requirement;
const gpgs = (...keyPaths: string[]): Requirement => ({ type: "signedBy", keyType: "GPGKeys", keyPaths });
const x509: Requirement = { type: "signedBy", keyType: "X509Certificates", keyPath: "/k.pem" };
const cosign = (extra: Record<string, unknown> = {}): Requirement => ({ type: "sigstoreSigned", keyPath: "/c.pub", ...extra }) as Requirement;
const fulcio = { oidcIssuer: "https://issuer", subjectEmail: "a@b", caPath: "/ca.pem" };
const id = (type: string, more: Record<string, string> = {}) => ({ signedIdentity: { type, ...more } }) as Partial<Requirement>;

const TABLE: [string, Requirement[], Requirement[], RegionClass][] = [
  ["same list", [gpg("/k1")], [gpg("/k1")], "equal"],
  ["origins are not meaning", [gpg("/k1")], [{ ...gpg("/k1"), origin: { file: "x", start: 0, end: 1 } } as unknown as Requirement], "equal"],
  ["reject → signed", [reject], [gpg("/k1")], "looser"],
  ["signed → accept", [gpg("/k1")], [accept], "looser"],
  ["reject → accept", [reject], [accept], "looser"],
  ["accept → reject", [accept], [reject], "tighter"],
  ["accept → signed", [accept], [cosign()], "tighter"],
  ["reject and signedBaseLayer both accept nothing", [reject], [baseLayer], "equal"],
  ["a non-GPG keyType is rejected at evaluation", [reject], [x509], "equal"],
  ["an empty list accepts nothing", [], [reject], "equal"],
  ["insecureAcceptAnything is the AND's unit", [gpg("/k1"), accept], [gpg("/k1")], "equal"],
  ["key replaced", [gpg("/k1")], [gpg("/k2")], "changed"],
  ["keyPath → keyData of (maybe) the same key", [gpg("/k1")], [{ type: "signedBy", keyType: "GPGKeys", keyData: "AAAA" }], "changed"],
  ["key added to keyPaths", [gpgs("/k1")], [gpgs("/k1", "/k2")], "looser"],
  ["keyPath → keyPaths with it and another", [gpg("/k1")], [gpgs("/k1", "/k2")], "looser"],
  ["key removed from keyPaths", [gpgs("/k1", "/k2")], [gpgs("/k1")], "tighter"],
  ["fewer required signatures", [gpg("/k1"), cosign()], [gpg("/k1")], "looser"],
  ["one more required signature", [gpg("/k1")], [gpg("/k1"), cosign()], "tighter"],
  ["signedBy → sigstoreSigned", [gpg("/k1")], [cosign()], "changed"],
  ["matchExact → matchRepository", [gpg("/k1", id("matchExact"))], [gpg("/k1", id("matchRepository"))], "looser"],
  ["matchRepoDigestOrExact (default) → matchRepository", [gpg("/k1")], [gpg("/k1", id("matchRepository"))], "looser"],
  ["explicit default identity", [gpg("/k1")], [gpg("/k1", id("matchRepoDigestOrExact"))], "equal"],
  ["matchRepository → matchExact", [cosign(id("matchRepository"))], [cosign(id("matchExact"))], "tighter"],
  ["a remapIdentity", [gpg("/k1")], [gpg("/k1", id("remapIdentity", { prefix: "a.io", signedPrefix: "b.io" }))], "changed"],
  ["exactReference changed", [gpg("/k1", id("exactReference", { dockerReference: "a.io/x:1" }))], [gpg("/k1", id("exactReference", { dockerReference: "a.io/x:2" }))], "changed"],
  ["Fulcio trust added", [{ type: "sigstoreSigned", keyDatas: ["AA=="] }], [{ type: "sigstoreSigned", keyDatas: ["AA=="], fulcio } as Requirement], "looser"],
  ["Rekor requirement dropped", [cosign({ rekorPublicKeyPath: "/r.pub" })], [cosign()], "looser"],
  ["Rekor requirement added", [cosign()], [cosign({ rekorPublicKeyPath: "/r.pub" })], "tighter"],
  ["Rekor key replaced", [cosign({ rekorPublicKeyPath: "/r1.pub" })], [cosign({ rekorPublicKeyPath: "/r2.pub" })], "changed"],
  ["PKI trust replaced", [{ type: "sigstoreSigned", pki: { caRootsPath: "/a" } }], [{ type: "sigstoreSigned", pki: { caRootsPath: "/b" } }], "changed"],
  ["keyType changed", [gpg("/k1")], [{ ...gpg("/k1"), keyType: "signedByGPGKeys" } as Requirement], "tighter"],
];

describe("compareRequirements", () => {
  it.each(TABLE)("%s", (_name, before, after, want) => {
    expect(compareRequirements(before, after)).toBe(want);
  });
  it("is antisymmetric: swapping old and new swaps looser and tighter", () => {
    const flip: Record<RegionClass, RegionClass> = { looser: "tighter", tighter: "looser", changed: "changed", equal: "equal" };
    for (const [, before, after, want] of TABLE) expect(compareRequirements(after, before)).toBe(flip[want]);
  });
  it("fails --fail-on-loosen on looser and changed only", () => {
    expect((["looser", "changed", "tighter", "equal"] as RegionClass[]).map(failsOnLoosen)).toEqual([true, true, false, false]);
  });
});

describe("order pieces", () => {
  it("orders identities matchExact ⊑ matchRepoDigestOrExact ⊑ matchRepository", () => {
    expect(identityAtMostAsWide({ type: "matchExact" }, undefined)).toBe(true);
    expect(identityAtMostAsWide(undefined, { type: "matchExact" })).toBe(false);
    expect(identityAtMostAsWide({ type: "exactRepository", dockerRepository: "a" }, { type: "matchRepository" })).toBe(false);
  });
  it("never accepts at most anything; anything accepts at most only anything", () => {
    expect(acceptsAtMost([reject], [gpg("/k")])).toBe(true);
    expect(acceptsAtMost([accept], [gpg("/k")])).toBe(false);
  });
});
