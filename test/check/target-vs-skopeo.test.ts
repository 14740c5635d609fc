/**
 * The checker's target-version verdicts against containers/image 5.23.1 itself: a program compiles with
 * `target "5.23"` exactly when skopeo 1.9.3 loads the policy.json it compiles to (for the newest format).
 */
import { describe, expect, it } from "vitest";
import { compileTrustSource } from "../../src/check/compile-source.js";
import { emitPolicyJson } from "../../src/emit/policy-json.js";
import { parseVersion } from "../../src/ir/versions.js";
import { SourceFile } from "../../src/source/source-file.js";
import { runSkopeoTests, skopeoLoadsPolicy } from "../emit/skopeo-judge.js";

const KEYS = 'key g gpg file "/k/g.gpg"\nkey c sigstore file "/k/c.pub"\nkey r rekor file "/k/r.pub"\n';
const PROGRAMS: Array<[string, string]> = [
  ["gpg keyPath", "default signed by g"],
  ["gpg keyPaths", 'key gs gpg files "/a" "/b"\ndefault signed by gs'],
  ["gpg keyData", 'key gd gpg data "QQ=="\ndefault signed by gd'],
  ["gpg keytype X509Certificates", 'key x gpg keytype X509Certificates file "/x"\ndefault signed by x'],
  ["remapIdentity", 'default signed by g identity remap "a.example/x" to "b.example/x"'],
  ["exactReference", 'default signed by g identity exact-reference "a.example/x:1"'],
  ["signedBaseLayer", 'default signed base layer identity exact-repository "a.example/x"'],
  ["wildcard scope", 'default reject\ndocker { "*.example.com" signed by g }'],
  ["sigstore keyPath", "default signed by c\nsignatures { default attachments }"],
  ["sigstore keyData", 'key cd sigstore data "QQ=="\ndefault signed by cd\nsignatures { default attachments }'],
  ["sigstore with a Rekor key", "default signed by c with r\nsignatures { default attachments }"],
  ["sigstore keyPaths", 'key cs sigstore files "/a" "/b"\ndefault signed by cs\nsignatures { default attachments }'],
  ["sigstore keyDatas", 'key cds sigstore datas "QQ=="\ndefault signed by cds\nsignatures { default attachments }'],
  ["fulcio", 'key f fulcio ca file "/f" issuer "https://i" email "e@x"\ndefault signed by f with r\nsignatures { default attachments }'],
  ["pki", 'key p pki roots file "/p" email "e@x"\ndefault signed by p\nsignatures { default attachments }'],
  ["dir scope and docker-daemon scope", 'default reject\ndir { "/srv/images" accept }\ndocker-daemon { "docker.io/library/busybox:latest" accept }'],
];

describe.runIf(runSkopeoTests)("target 5.23 verdicts agree with skopeo 1.9.3 (containers/image 5.23.1)", () => {
  const T523 = parseVersion("5.23")!;
  it.each(PROGRAMS)("%s", async (_name, body) => {
    const text = KEYS + body + "\n";
    const newest = compileTrustSource(new SourceFile("n.trust", text), { checkKeyFiles: false });
    expect(newest.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const ours = compileTrustSource(new SourceFile("t.trust", text), { checkKeyFiles: false, target: T523 });
    const emitted = emitPolicyJson(newest.value!.policy);
    expect(emitted.text).toBeDefined();
    const upstream = await skopeoLoadsPolicy(emitted.text!);
    expect({ loads: ours.value !== undefined, codes: [...new Set(ours.diagnostics.filter((d) => d.severity === "error").map((d) => d.code))] }).toEqual({
      loads: upstream.loaded,
      codes: upstream.loaded ? [] : ["IT2180"],
    });
  });
});
