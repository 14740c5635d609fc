/**
 * Table tests of the rule catalogue (ESLint RuleTester style): each row is a policy.json (or .trust) text and the
 * findings expected, as `CODE@text the span covers`, so both the code and the position are asserted.
 */
import { describe, expect, it } from "vitest";
import { findRule } from "../../src/lint/registry.js";
import type { Rule } from "../../src/lint/rule.js";
import { lintJson, lintTrust } from "./helpers.js";

const A = '{"type":"insecureAcceptAnything"}';
const R = '{"type":"reject"}';
const G = (k = "/k.gpg") => `{"type":"signedBy","keyType":"GPGKeys","keyPath":"${k}"}`;
const S = '{"type":"sigstoreSigned","keyPath":"/k.pub","signedIdentity":{"type":"matchRepository"}}';
const pol = (def: string, transports: Record<string, Record<string, string>>) =>
  `{"default":[${def}],"transports":{${Object.entries(transports)
    .map(([t, scopes]) => `"${t}":{${Object.entries(scopes).map(([s, l]) => `"${s}":[${l}]`).join(",")}}`)
    .join(",")}}}`;

const rule = (n: string): Rule => {
  const r = findRule(n);
  if (!r) throw new Error(n);
  return r;
};

/** rule, policy.json text, expected findings. */
const JSON_TABLE: Array<[string, string, string[]]> = [
  // IT4007
  ["insecure-transport-default", pol(R, { docker: { "": A } }), [`IT4007@${A}`]],
  ["insecure-transport-default", pol(R, { atomic: { "": A } }), [`IT4007@${A}`]],
  ["insecure-transport-default", pol(R, { "docker-daemon": { "": A }, "containers-storage": { "": A } }), []],
  ["insecure-transport-default", pol(R, { docker: { "": `${A},${G()}` } }), []],
  // IT4008
  ["insecure-registry-scope", pol(R, { docker: { "quay.io": A } }), ['IT4008@"quay.io"']],
  ["insecure-registry-scope", pol(R, { docker: { "*.example.com": A, "localhost:5000": A } }), ['IT4008@"*.example.com"', 'IT4008@"localhost:5000"']],
  ["insecure-registry-scope", pol(R, { docker: { "quay.io/acme": A, "quay.io": G() } }), []],
  // IT4009
  ["weaker-carve-out", pol(R, { docker: { "quay.io/acme": S, "quay.io/acme/tools": A } }), ['IT4009@"quay.io/acme/tools"']],
  ["weaker-carve-out", pol(R, { docker: { "*.acme.com": G(), "r.acme.com/x": A } }), ['IT4009@"r.acme.com/x"']],
  ["weaker-carve-out", pol(R, { docker: { "": G(), "quay.io/x": A } }), ['IT4009@"quay.io/x"']],
  ["weaker-carve-out", pol(G(), { docker: { "quay.io/x": A } }), ['IT4009@"quay.io/x"']],
  ["weaker-carve-out", pol(R, { docker: { "quay.io/x": A } }), []], // an allow-list under reject
  ["weaker-carve-out", pol(R, { docker: { "quay.io/acme": R, "quay.io/acme/ok": A } }), []],
  // IT4010
  ["reject-default-without-allowance", pol(R, {}), [`IT4010@${R}`]],
  ["reject-default-without-allowance", pol(R, { docker: { "quay.io": R } }), [`IT4010@${R}`]],
  ["reject-default-without-allowance", pol(R, { docker: { "quay.io": G() } }), []],
  ["reject-default-without-allowance", pol(A, {}), []],
  // IT4011
  ["duplicate-requirement", pol(R, { docker: { "quay.io/a": `${G()},${G()}` } }), [`IT4011@${G()}`]],
  ["duplicate-requirement", pol(R, { docker: { "quay.io/a": `${G("/a")},${G("/b")}` } }), []],
  ["duplicate-requirement", pol(`${R},${R}`, {}), [`IT4011@${R}`]],
  // IT4012
  ["sigstore-default-identity", pol(R, { docker: { "quay.io/a": '{"type":"sigstoreSigned","keyPath":"/k.pub"}' } }), ['IT4012@{"type":"sigstoreSigned","keyPath":"/k.pub"}']],
  ["sigstore-default-identity", pol(R, { docker: { "quay.io/a": S } }), []],
  // IT4013
  [
    "remap-identity-mismatch",
    pol(R, { docker: { "m.local/a": '{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"remapIdentity","prefix":"quay.io/a","signedPrefix":"quay.io/a"}}' } }),
    ['IT4013@{"type":"remapIdentity","prefix":"quay.io/a","signedPrefix":"quay.io/a"}'],
  ],
  [
    "remap-identity-mismatch",
    pol(R, { docker: { "m.local/a": '{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"remapIdentity","prefix":"quay.io/a","signedPrefix":"quay.io/b"}}' } }),
    ['IT4013@{"type":"remapIdentity","prefix":"quay.io/a","signedPrefix":"quay.io/b"}'],
  ],
  [
    "remap-identity-mismatch",
    pol(R, { docker: { "m.local/a": '{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"remapIdentity","prefix":"m.local","signedPrefix":"quay.io"}}' } }),
    [],
  ],
  // IT4014
  [
    "exact-repository-with-tag",
    pol(R, { docker: { "quay.io/a": '{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"exactRepository","dockerRepository":"quay.io/a:1"}}' } }),
    ['IT4014@{"type":"exactRepository","dockerRepository":"quay.io/a:1"}'],
  ],
  [
    "exact-repository-with-tag",
    pol(R, { docker: { "quay.io/a": '{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"exactRepository","dockerRepository":"localhost:5000/a"}}' } }),
    [],
  ],
  // IT4016 (keyData "bm9uc2Vuc2U=" is base64 of "nonsense", as in upstream's fixture)
  ["inline-key-invalid", pol(R, { docker: { "quay.io/a": '{"type":"signedBy","keyType":"GPGKeys","keyData":"bm9uc2Vuc2U="}' } }), ['IT4016@{"type":"signedBy","keyType":"GPGKeys","keyData":"bm9uc2Vuc2U="}']],
  // IT4021
  ["atomic-transport", pol(R, { atomic: { "quay.io/a": G() } }), ['IT4021@"atomic"']],
  // IT4022
  ["tld-wildcard-scope", pol(R, { docker: { "*.io": A, "*.example.io": A } }), ['IT4022@"*.io"']],
  // IT4023
  ["registry-scope-under-docker-daemon", pol(A, { "docker-daemon": { "docker.io/library/hello-world": R, "": A } }), ['IT4023@"docker.io/library/hello-world"']],
  ["registry-scope-under-docker-daemon", pol(A, { docker: { "docker.io/library/x": R }, "docker-daemon": { "docker.io/library/x": R } }), []],
  // IT4026
  ["tag-scope", pol(R, { docker: { "ghcr.io/acme/os:latest": S } }), ['IT4026@"ghcr.io/acme/os:latest"']],
  ["tag-scope", pol(R, { docker: { "ghcr.io/acme/os:latest": S, "ghcr.io/acme/os": S } }), []],
  ["tag-scope", pol(R, { docker: { [`docker.io/library/busybox@sha256:${"a".repeat(64)}`]: A } }), []],
  // IT4027
  ["scope-same-as-fallback", pol(A, { "docker-daemon": { "": A } }), [`IT4027@""`]],
  ["scope-same-as-fallback", pol(R, { docker: { "quay.io/a": `${G()},${S}`, "quay.io/a/b": `${S},${G()}` } }), ['IT4027@"quay.io/a/b"']],
  ["scope-same-as-fallback", pol(R, { docker: { "quay.io/a": G(), "quay.io/a/b": G("/other.gpg") } }), []],
  ["scope-same-as-fallback", pol(R, { docker: { "m.local:5000": R, "m.local:5000/x": A } }), []], // a grouping parent
  // IT4002: a docker.io namespace that is not an official image is most likely meant as one (info, no fix)
  ["never-matching-scope", pol(R, { docker: { "docker.io/grafana": A, "docker.io/busybox": A } }), ['IT4002@"docker.io/grafana"', 'IT4002@"docker.io/busybox"']],
  // IT4008 leaves never-matching and top-level-domain scopes to IT4002 / IT4022
  ["insecure-registry-scope", pol(R, { docker: { "localhost:!!port!!": A, "*.io": A } }), []],
  // IT4015, static part: a key in a world-writable directory (corpus policy/011)
  ["key-file-problem", pol(R, { docker: { "localhost:5000": G("/tmp/key.gpg") } }), [`IT4015@${G("/tmp/key.gpg")}`]],
];

describe("rule catalogue on policy.json", () => {
  for (const [name, text, expected] of JSON_TABLE) {
    it(`${name}: ${text.length > 110 ? text.slice(0, 110) + "…" : text}`, () => {
      expect(lintJson(text, [rule(name)]).shown).toEqual(expected);
    });
  }
  it("weaker-carve-out reports the parent as a related location", () => {
    const text = pol(R, { docker: { "quay.io/acme": S, "quay.io/acme/tools": A } });
    const { ds } = lintJson(text, [rule("weaker-carve-out")]);
    expect(ds[0].related?.map((r) => text.slice(r.span.start, r.span.end))).toEqual(['"quay.io/acme"']);
    expect(ds[0].message).toContain("scope 'quay.io/acme' requires signatures");
  });
  it("never-matching-scope: namespaces are info without a fix; official images keep the warning and the fix", () => {
    const { ds } = lintJson(pol(R, { docker: { "docker.io/grafana": A, "docker.io/busybox": A } }), [rule("never-matching-scope")]);
    expect(ds.map((d) => [d.severity, d.fix?.edits[0].text])).toEqual([
      ["info", undefined],
      ["warning", '"docker.io/library/busybox"'],
    ]);
  });
  it("duplicate-requirement points at the first one too", () => {
    const text = pol(R, { docker: { "quay.io/a": `${G()},${A},${G()}` } });
    const { ds } = lintJson(text, [rule("duplicate-requirement")]);
    expect(ds[0].related?.[0].span.start).toBe(text.indexOf(G()));
  });
});

/** The same rules on .trust sources: origins point into the .trust file. */
const TRUST_TABLE: Array<[string, string, string[]]> = [
  ["insecure-transport-default", 'default reject\ndocker {\n  default accept\n}\n', ["IT4007@accept"]],
  ["insecure-registry-scope", 'default reject\ndocker {\n  "quay.io" accept\n}\n', ['IT4008@"quay.io"']],
  [
    "weaker-carve-out",
    'key k gpg file "/k.gpg"\ndefault reject\ndocker {\n  "quay.io/acme" signed by k {\n    "tools" accept\n  }\n}\n',
    ['IT4009@"tools"'],
  ],
  ["tld-wildcard-scope", 'default reject\ndocker {\n  "*.io" accept\n}\n', ['IT4022@"*.io"']],
  ["reject-default-without-allowance", "default reject\n", ["IT4010@reject"]],
];

describe("rule catalogue on .trust sources", () => {
  for (const [name, text, expected] of TRUST_TABLE) {
    it(`${name}: ${JSON.stringify(text).slice(0, 100)}`, () => {
      const { ds, shown } = lintTrust(text, [rule(name)]);
      expect(shown).toEqual(expected);
      for (const d of ds) expect(d.span?.file).toBe("/p/site.trust");
    });
  }
});
