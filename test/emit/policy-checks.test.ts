import { describe, expect, it } from "vitest";
import { emitPolicyJson } from "../../src/emit/policy-json.js";
import { isGoStdBase64 } from "../../src/util/go-base64.js";
import type { Policy, Requirement } from "../../src/ir/types.js";
import { parseVersion, type Version } from "../../src/ir/versions.js";

const v = (s: string): Version => parseVersion(s)!;
const span = (start: number) => ({ file: "x.trust", start, end: start + 1 });

/** A policy whose docker scope "s" holds `reqs`. */
function withScope(reqs: Requirement[], scope = "quay.io/s", transport = "docker"): Policy {
  return { default: [{ type: "reject" }], transports: [{ name: transport, scopes: [{ scope, requirements: reqs, origin: span(7) }] }] };
}
const codes = (p: Policy, target?: Version) => emitPolicyJson(p, { target }).diagnostics.map((d) => d.code);

describe("validity: break one thing (nothing is emitted, one precise code)", () => {
  const cases: Array<[string, Policy, string]> = [
    ["empty default", { default: [], transports: [] }, "IT3030"],
    ["empty scope list", withScope([]), "IT3031"],
    ["duplicate transport", { default: [{ type: "reject" }], transports: [{ name: "dir", scopes: [] }, { name: "dir", scopes: [] }] }, "IT3032"],
    ["dir scope not absolute", withScope([{ type: "reject" }], "relative/path", "dir"), "IT3034"],
    ["dir scope not clean", withScope([{ type: "reject" }], "/a//b", "dir"), "IT3034"],
    ["docker-archive named scope", withScope([{ type: "reject" }], "/x", "docker-archive"), "IT3034"],
    ["signedBy bad keyType", withScope([{ type: "signedBy", keyType: "gpgkeys" as never, keyPath: "/k" }]), "IT3035"],
    ["signedBy no key source", withScope([{ type: "signedBy", keyType: "GPGKeys" }]), "IT3036"],
    ["signedBy two key sources", withScope([{ type: "signedBy", keyType: "GPGKeys", keyPath: "/k", keyData: "" }]), "IT3036"],
    ["signedBy empty keyPath", withScope([{ type: "signedBy", keyType: "GPGKeys", keyPath: "" }]), "IT3036"],
    ["signedBy keyData not base64", withScope([{ type: "signedBy", keyType: "GPGKeys", keyData: "abc" }]), "IT3037"],
    ["signedBy keyData URL alphabet", withScope([{ type: "signedBy", keyType: "GPGKeys", keyData: "ab-_" }]), "IT3037"],
    ["sigstore keyPaths []", withScope([{ type: "sigstoreSigned", keyPaths: [] }]), "IT3038"],
    ["sigstore no source", withScope([{ type: "sigstoreSigned" }]), "IT3039"],
    ["sigstore empty keyPath only", withScope([{ type: "sigstoreSigned", keyPath: "" }]), "IT3039"],
    ["sigstore keyData + keyDatas", withScope([{ type: "sigstoreSigned", keyData: "", keyDatas: ["YQ=="] }]), "IT3039"],
    ["sigstore two rekor", withScope([{ type: "sigstoreSigned", keyPath: "/k", rekorPublicKeyPath: "/r", rekorPublicKeyData: "" }]), "IT3040"],
    ["fulcio without rekor", withScope([{ type: "sigstoreSigned", fulcio: { caPath: "/ca", oidcIssuer: "i", subjectEmail: "e" } }]), "IT3041"],
    ["pki with rekor", withScope([{ type: "sigstoreSigned", pki: { caRootsPath: "/r", subjectEmail: "e" }, rekorPublicKeyPath: "/r" }]), "IT3042"],
    ["fulcio caPath + caData", withScope([{ type: "sigstoreSigned", fulcio: { caPath: "/ca", caData: "", oidcIssuer: "i", subjectEmail: "e" }, rekorPublicKeyPath: "/r" }]), "IT3043"],
    ["fulcio no oidcIssuer", withScope([{ type: "sigstoreSigned", fulcio: { caPath: "/ca", oidcIssuer: "", subjectEmail: "e" }, rekorPublicKeyPath: "/r" }]), "IT3043"],
    ["pki no roots", withScope([{ type: "sigstoreSigned", pki: { subjectEmail: "e" } }]), "IT3044"],
    ["pki no subject", withScope([{ type: "sigstoreSigned", pki: { caRootsPath: "/r" } }]), "IT3044"],
    ["pki two intermediates", withScope([{ type: "sigstoreSigned", pki: { caRootsPath: "/r", caIntermediatesPath: "/i", caIntermediatesData: "", subjectEmail: "e" } }]), "IT3044"],
    ["exactReference without tag", withScope([{ type: "signedBy", keyType: "GPGKeys", keyPath: "/k", signedIdentity: { type: "exactReference", dockerReference: "library/busybox" } }]), "IT3045"],
    ["exactReference uppercase", withScope([{ type: "signedBy", keyType: "GPGKeys", keyPath: "/k", signedIdentity: { type: "exactReference", dockerReference: "INVALIDUPPERCASE:latest" } }]), "IT3045"],
    ["exactRepository empty", withScope([{ type: "signedBy", keyType: "GPGKeys", keyPath: "/k", signedIdentity: { type: "exactRepository", dockerRepository: "" } }]), "IT3045"],
    ["remap prefix with tag", withScope([{ type: "signedBy", keyType: "GPGKeys", keyPath: "/k", signedIdentity: { type: "remapIdentity", prefix: "example.com/repo:tag", signedPrefix: "x.example" } }]), "IT3045"],
    ["baseLayerIdentity invalid", withScope([{ type: "signedBaseLayer", baseLayerIdentity: { type: "exactRepository", dockerRepository: "UPPER" } }]), "IT3045"],
    ["lone surrogate in scope", withScope([{ type: "reject" }], "a\ud800b"), "IT3046"],
    ["unknown requirement type", withScope([{ type: "signedby" } as never]), "IT3047"],
  ];
  it.each(cases)("%s", (_name, policy, code) => {
    const r = emitPolicyJson(policy);
    expect(r.text).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual([code]);
    expect(r.diagnostics[0].severity).toBe("error");
  });

  it("duplicate scopes point at both definitions", () => {
    const p: Policy = {
      default: [{ type: "reject" }],
      transports: [{ name: "docker", scopes: [
        { scope: "a", keyOrigin: span(1), requirements: [{ type: "reject" }] },
        { scope: "a", keyOrigin: span(9), requirements: [{ type: "reject" }] },
      ] }],
    };
    const [d, ...rest] = emitPolicyJson(p).diagnostics;
    expect(rest).toEqual([]);
    expect(d.code).toBe("IT3033");
    expect(d.span).toEqual(span(9));
    expect(d.related).toEqual([{ message: "first defined here", span: span(1) }]);
  });

  it("reports every problem at once, with the IR's spans", () => {
    const p: Policy = { default: [], defaultOrigin: span(3), transports: [{ name: "docker", scopes: [{ scope: "x", origin: span(5), requirements: [{ type: "signedBy", keyType: "GPGKeys", origin: span(6) }] }] }] };
    const ds = emitPolicyJson(p).diagnostics;
    expect(ds.map((d) => [d.code, d.span?.start])).toEqual([["IT3030", 3], ["IT3036", 6]]);
  });

  it("accepts what upstream accepts", () => {
    for (const p of [
      withScope([{ type: "signedBy", keyType: "GPGKeys", keyPaths: [] }]),
      withScope([{ type: "signedBy", keyType: "GPGKeys", keyData: "" }]),
      withScope([{ type: "sigstoreSigned", keyData: "" }]),
      withScope([{ type: "sigstoreSigned", keyPath: "/k", rekorPublicKeyPath: "" }]),
      withScope([{ type: "sigstoreSigned", fulcio: { caData: "", oidcIssuer: "i", subjectEmail: "e" }, rekorPublicKeyData: "" }]),
      withScope([{ type: "signedBy", keyType: "GPGKeys", keyPath: "/k", signedIdentity: { type: "remapIdentity", prefix: "shortname", signedPrefix: "UPPERCASE" } }]),
      withScope([{ type: "reject" }], "anything at all", "docker"),
      withScope([{ type: "reject" }], "[overlay@/var/lib/containers/storage+/run:opt]", "containers-storage"),
      withScope([{ type: "reject" }], "whatever", "ostree"),
    ]) {
      expect(emitPolicyJson(p).diagnostics).toEqual([]);
    }
  });

  it("base64 follows Go's StdEncoding with \\r\\n ignored", () => {
    expect(["", "YQ==", "YWI=", "YWJj", "YW\r\nJj", "bm9uc2Vuc2U="].map(isGoStdBase64)).toEqual([true, true, true, true, true, true]);
    expect(["Y", "YQ", "YQ=", "YQ===", "Y===", "YW-j", "YWJj\t", "=YQ="].map(isGoStdBase64)).toEqual([false, false, false, false, false, false, false, false]);
  });
});

describe("target versions", () => {
  const sig = (r: Omit<Extract<Requirement, { type: "sigstoreSigned" }>, "type">): Requirement => ({ type: "sigstoreSigned", ...r });
  const cases: Array<[string, Policy, string, string]> = [
    ["remapIdentity", withScope([{ type: "signedBy", keyType: "GPGKeys", keyPath: "/k", signedIdentity: { type: "remapIdentity", prefix: "a.example", signedPrefix: "b.example" } }]), "5.8", "5.9"],
    ["wildcard scope", withScope([{ type: "reject" }], "*.example.com"), "5.9", "5.10"],
    ["signedBy keyPaths", withScope([{ type: "signedBy", keyType: "GPGKeys", keyPaths: ["/k"] }]), "5.21", "5.22"],
    ["sigstoreSigned", withScope([sig({ keyPath: "/k" })]), "5.21", "5.22"],
    ["fulcio", withScope([sig({ fulcio: { caPath: "/ca", oidcIssuer: "i", subjectEmail: "e" }, rekorPublicKeyPath: "/r" })]), "5.23", "5.24"],
    ["rekorPublicKeyData", withScope([sig({ keyPath: "/k", rekorPublicKeyData: "YQ==" })]), "5.23", "5.24"],
    ["keyDatas", withScope([sig({ keyDatas: ["YQ=="] })]), "5.32", "5.33"],
    ["rekorPublicKeyPaths", withScope([sig({ keyPath: "/k", rekorPublicKeyPaths: ["/r"] })]), "5.32", "5.33"],
    ["pki", withScope([sig({ pki: { caRootsPath: "/r", subjectEmail: "e" } })]), "5.34", "5.35"],
  ];
  it.each(cases)("%s: error before, text from its version", (_n, p, before, since) => {
    const r = emitPolicyJson(p, { target: v(before) });
    expect(r.text).toBeUndefined();
    expect(r.diagnostics.length).toBeGreaterThan(0);
    expect(r.diagnostics.every((d) => d.code === "IT3000" || d.code === "IT3001")).toBe(true);
    expect(r.diagnostics[0].message).toContain(`needs containers/image ${since} or newer (target ${before})`);
    expect(emitPolicyJson(p, { target: v(since) }).diagnostics).toEqual([]);
    expect(emitPolicyJson(p).diagnostics).toEqual([]);
  });

  it("uses 5.23.1's sigstoreSigned key rules for targets before 5.24", () => {
    // 5.23.1 counts keys by presence: keyPath "" alone is fine there, rejected by the newest parser.
    expect(codes(withScope([sig({ keyPath: "" })]), v("5.23"))).toEqual([]);
    expect(codes(withScope([sig({ keyPath: "" })]))).toEqual(["IT3039"]);
    expect(codes(withScope([sig({ keyPath: "/k", keyData: "YQ==" })]), v("5.23"))).toEqual(["IT3039"]);
    expect(codes(withScope([sig({})]), v("5.22"))).toEqual(["IT3039"]);
  });
});
