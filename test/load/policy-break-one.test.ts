/**
 * "Break one thing" tables (containers/image policy_config_test.go style, spec §7.2): start from one valid
 * policy using every requirement and identity type, break one field per case, and check the code, the exact
 * upstream message (newest containers/image) and the span (the text it covers). Plus: every problem is
 * reported, target-version behaviour, and upstream's fixture policy.json.
 */
import { readFileSync, existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadPolicyJson, type LoadPolicyOptions } from "../../src/load/policy-json.js";
import { SourceFile } from "../../src/source/source-file.js";
import { goNormalizePolicy } from "./policy-normalize.js";

const BASE = `{
  "default": [{"type": "reject"}],
  "transports": {
    "docker": {
      "quay.io/signed": [{"type": "signedBy", "keyType": "GPGKeys", "keyPath": "/k.gpg", "signedIdentity": {"type": "matchRepository"}}],
      "quay.io/cosign": [{"type": "sigstoreSigned", "keyData": "YWJj", "rekorPublicKeyPath": "/r.pub"}],
      "quay.io/fulcio": [{"type": "sigstoreSigned", "fulcio": {"caPath": "/ca", "oidcIssuer": "https://i", "subjectEmail": "a@b"}, "rekorPublicKeyPaths": ["/r"]}],
      "quay.io/pki": [{"type": "sigstoreSigned", "pki": {"caRootsPath": "/r", "subjectHostname": "h"}}],
      "quay.io/remap": [{"type": "signedBy", "keyType": "GPGKeys", "keyPaths": ["/a"], "signedIdentity": {"type": "remapIdentity", "prefix": "quay.io", "signedPrefix": "example.com"}}],
      "quay.io/base": [{"type": "signedBaseLayer", "baseLayerIdentity": {"type": "exactReference", "dockerReference": "a/b:t"}}]
    },
    "dir": {"/srv": [{"type": "insecureAcceptAnything"}]}
  }
}`;

function load(text: string, options?: LoadPolicyOptions) {
  return loadPolicyJson(new SourceFile("policy.json", text), options);
}

function breakOne(find: string, replace: string): string {
  const i = BASE.indexOf(find);
  if (i < 0) throw new Error(`not in BASE: ${find}`);
  return BASE.slice(0, i) + replace + BASE.slice(i + find.length);
}

describe("the base policy", () => {
  it("is valid for the newest format, with spans on every node", () => {
    const r = load(BASE);
    expect(r.diagnostics).toEqual([]);
    const p = r.value!;
    expect(p.transports.map((t) => t.name)).toEqual(["docker", "dir"]);
    const docker = p.transports[0];
    expect(BASE.slice(docker.keyOrigin!.start, docker.keyOrigin!.end)).toBe('"docker"');
    const scope = docker.scopes[1];
    expect(BASE.slice(scope.keyOrigin!.start, scope.keyOrigin!.end)).toBe('"quay.io/cosign"');
    const req = scope.requirements[0];
    expect(BASE.slice(req.origin!.start, req.origin!.end)).toBe(
      '{"type": "sigstoreSigned", "keyData": "YWJj", "rekorPublicKeyPath": "/r.pub"}',
    );
    const remap = docker.scopes[4].requirements[0];
    expect(remap.type === "signedBy" && remap.signedIdentity && BASE.slice(remap.signedIdentity.origin!.start, remap.signedIdentity.origin!.end)).toBe(
      '{"type": "remapIdentity", "prefix": "quay.io", "signedPrefix": "example.com"}',
    );
    expect(BASE.slice(p.defaultOrigin!.start, p.defaultOrigin!.end)).toBe('[{"type": "reject"}]');
    expect(p.transportsPresent).toBe(true);
  });
});

/** [name, find, replace, code, upstream message, text covered by the span] */
const CASES: [string, string, string, string, string, string][] = [
  // Policy
  ["default missing", '"default": [{"type": "reject"}],', "", "IT1101", "Default policy is missing", "<whole document>"],
  ["extra top-level key", '"default"', '"defaults": 1, "default"', "IT1012", 'Unknown key "defaults"', '"defaults"'],
  ["default 1", '"default": [{"type": "reject"}]', '"default": 1', "IT1014", "json: cannot unmarshal number into Go value of type []json.RawMessage", "1"],
  ["default {}", '"default": [{"type": "reject"}]', '"default": {}', "IT1014", "json: cannot unmarshal object into Go value of type []json.RawMessage", "{}"],
  ["default []", '"default": [{"type": "reject"}]', '"default": []', "IT1102", "List of verification policy requirements must not be empty", "[]"],
  ["transports 1", '"transports": {', '"transports": 1, "x": {', "IT1010", "JSON object expected, got 1", "1"],
  ["duplicate default", '"transports": {', '"default": [], "transports": {', "IT1011", 'Duplicate key "default"', '"default"'],
  // Scope maps
  ["scope value 1", '"/srv": [{"type": "insecureAcceptAnything"}]', '"/srv": 1', "IT1014", "json: cannot unmarshal number into Go value of type []json.RawMessage", "1"],
  ["scope value {}", '"/srv": [{"type": "insecureAcceptAnything"}]', '"/srv": {}', "IT1014", "json: cannot unmarshal object into Go value of type []json.RawMessage", "{}"],
  ["scope value []", '"/srv": [{"type": "insecureAcceptAnything"}]', '"/srv": []', "IT1102", "List of verification policy requirements must not be empty", "[]"],
  ["relative dir scope", '"/srv"', '"srv"', "IT1105", 'Unknown key "srv"', '"srv"'],
  ["duplicate scope", '"quay.io/pki"', '"quay.io/cosign"', "IT1011", 'Duplicate key "quay.io/cosign"', '"quay.io/cosign"'],
  // Requirements
  ["requirement 1", '[{"type": "reject"}]', "[1]", "IT1014", "json: cannot unmarshal number into Go value of type signature.prCommon", "1"],
  ["requirement type invalid", '{"type": "reject"}', '{"type": "this is invalid"}', "IT1103", 'Unknown policy requirement type "this is invalid"', '"this is invalid"'],
  ["requirement type 1", '{"type": "reject"}', '{"type": 1}', "IT1014", "json: cannot unmarshal number into Go struct field prCommon.type of type signature.prTypeIdentifier", "1"],
  ["reject extra key", '{"type": "reject"}', '{"type": "reject", "x": 1}', "IT1012", 'Unknown key "x"', '"x"'],
  ["insecure duplicate type", '{"type": "insecureAcceptAnything"}', '{"type": "insecureAcceptAnything", "type": "insecureAcceptAnything"}', "IT1011", 'Duplicate key "type"', '"type"'],
  // signedBy
  ["signedBy keyType invalid", '"keyType": "GPGKeys", "keyPath"', '"keyType": "gpgkeys", "keyPath"', "IT1106", 'Unrecognized keyType value "gpgkeys"', '"gpgkeys"'],
  ["signedBy keyType missing", '"keyType": "GPGKeys", "keyPath"', '"keyPath"', "IT1107", 'invalid keyType ""', '{"type": "signedBy", "keyPath": "/k.gpg", "signedIdentity": {"type": "matchRepository"}}'],
  ["signedBy no key source", '"keyPath": "/k.gpg", ', "", "IT1108", "Exactly one of keyPath, keyPaths and keyData must be specified, none of them present", '{"type": "signedBy", "keyType": "GPGKeys", "signedIdentity": {"type": "matchRepository"}}'],
  ["signedBy keyPath+keyData", '"keyPath": "/k.gpg"', '"keyPath": "/k.gpg", "keyData": "YWJj"', "IT1108", "Exactly one of keyPath, keyPaths and keyData must be specified, more than one present", '"keyData"'],
  ["signedBy keyPath empty", '"keyPath": "/k.gpg"', '"keyPath": ""', "IT1109", "exactly one of keyPath, keyPaths and keyData must be specified", '""'],
  ["signedBy keyPath 1", '"keyPath": "/k.gpg"', '"keyPath": 1', "IT1014", "json: cannot unmarshal number into Go value of type string", "1"],
  ["signedBy keyPaths [1]", '"keyPaths": ["/a"]', '"keyPaths": [1]', "IT1014", "json: cannot unmarshal number into Go value of type string", "1"],
  ["signedBy keyData bad base64", '"keyPath": "/k.gpg"', '"keyData": "YW!j"', "IT1016", "illegal base64 data at input byte 2", "!"],
  ["signedBy signedIdentity string", '"signedIdentity": {"type": "matchRepository"}', '"signedIdentity": "this is invalid"', "IT1014", "json: cannot unmarshal string into Go value of type signature.prmCommon", '"this is invalid"'],
  ["signedBy signedIdentity null", '"signedIdentity": {"type": "matchRepository"}', '"signedIdentity": null', "IT1104", 'Unknown policy reference match type ""', "null"],
  ["signedBy unknown key keypath", '"keyPath": "/k.gpg"', '"keypath": "/k.gpg"', "IT1012", 'Unknown key "keypath"', '"keypath"'],
  // Identities
  ["matchRepository extra key", '{"type": "matchRepository"}', '{"type": "matchRepository", "x": 1}', "IT1012", 'Unknown key "x"', '"x"'],
  ["identity type invalid", '{"type": "matchRepository"}', '{"type": "matchrepository"}', "IT1104", 'Unknown policy reference match type "matchrepository"', '"matchrepository"'],
  ["exactReference without tag", '"dockerReference": "a/b:t"', '"dockerReference": "a/b"', "IT1111", 'dockerReference "a/b" contains neither a tag nor digest', '"a/b"'],
  ["exactReference uppercase", '"dockerReference": "a/b:t"', '"dockerReference": "A/b:t"', "IT1110", 'Invalid format of dockerReference "A/b:t": invalid reference format: repository name must be lowercase', '"A/b:t"'],
  ["exactReference missing", ', "dockerReference": "a/b:t"', "", "IT1013", 'Key "dockerReference" missing in a JSON object', '{"type": "exactReference"}'],
  ["remap prefix invalid", '"prefix": "quay.io"', '"prefix": "quay.io/"', "IT1112", 'prefix "quay.io/" is not valid', '"quay.io/"'],
  ["remap signedPrefix 1", '"signedPrefix": "example.com"', '"signedPrefix": 1', "IT1014", "json: cannot unmarshal number into Go value of type string", "1"],
  ["baseLayerIdentity missing", ', "baseLayerIdentity": {"type": "exactReference", "dockerReference": "a/b:t"}', "", "IT1013", 'Key "baseLayerIdentity" missing in a JSON object', '{"type": "signedBaseLayer"}'],
  // sigstoreSigned
  ["sigstore keyData+keyPath", '"keyData": "YWJj", "rekorPublicKeyPath"', '"keyData": "YWJj", "keyPath": "/k", "rekorPublicKeyPath"', "IT1113", "exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio, and pki must be specified", '{"type": "sigstoreSigned", "keyData": "YWJj", "keyPath": "/k", "rekorPublicKeyPath": "/r.pub"}'],
  ["sigstore keyDatas []", '"keyData": "YWJj"', '"keyDatas": []', "IT1114", '"keyDatas" contains no entries', "[]"],
  ["sigstore two rekor keys", '"rekorPublicKeyPath": "/r.pub"', '"rekorPublicKeyPath": "/r.pub", "rekorPublicKeyData": ""', "IT1115", "at most one of rekorPublickeyPath, rekorPublicKeyPaths, rekorPublickeyData and rekorPublicKeyDatas can be used simultaneously", '{"type": "sigstoreSigned", "keyData": "YWJj", "rekorPublicKeyPath": "/r.pub", "rekorPublicKeyData": ""}'],
  ["fulcio without rekor", ', "rekorPublicKeyPaths": ["/r"]', "", "IT1116", "At least one of rekorPublickeyPath, rekorPublicKeyPaths, rekorPublickeyData and rekorPublicKeyDatas must be specified if fulcio is used", '"fulcio"'],
  ["pki with rekor", '"subjectHostname": "h"}', '"subjectHostname": "h"}, "rekorPublicKeyPath": "/r"', "IT1117", "rekorPublickeyPath, rekorPublicKeyPaths, rekorPublickeyData and rekorPublicKeyDatas are not supported for pki", '"pki"'],
  ["fulcio caPath+caData", '"caPath": "/ca"', '"caPath": "/ca", "caData": ""', "IT1118", "caPath and caData cannot be used simultaneously", '{"caPath": "/ca", "caData": "", "oidcIssuer": "https://i", "subjectEmail": "a@b"}'],
  ["fulcio no oidcIssuer", '"oidcIssuer": "https://i", ', "", "IT1119", "oidcIssuer not specified", '{"caPath": "/ca", "subjectEmail": "a@b"}'],
  ["fulcio 1", '"fulcio": {"caPath": "/ca", "oidcIssuer": "https://i", "subjectEmail": "a@b"}', '"fulcio": 1', "IT1010", "JSON object expected, got 1", "1"],
  ["pki no roots", '"caRootsPath": "/r", ', "", "IT1120", "At least one of caRootsPath and caRootsData must be specified", '{"subjectHostname": "h"}'],
  ["pki no subject", ', "subjectHostname": "h"', "", "IT1122", "At least one of subjectEmail, subjectHostname must be specified", '{"caRootsPath": "/r"}'],
  ["pki unknown key", '"subjectHostname": "h"', '"subjectHostname": "h", "oidcIssuer": "x"', "IT1012", 'Unknown key "oidcIssuer"', '"oidcIssuer"'],
];

describe("break one thing (newest format)", () => {
  for (const [name, find, replace, code, upstream, spanText] of CASES) {
    it(name, () => {
      const text = breakOne(find, replace);
      const r = load(text);
      expect(r.value).toBeUndefined();
      const first = r.diagnostics[0];
      expect(first).toBeDefined();
      expect({ code: first.code, upstream: first.upstreamMessage }).toEqual({ code, upstream });
      expect(text.slice(first.span!.start, first.span!.end)).toBe(spanText === "<whole document>" ? text : spanText);
      expect(r.diagnostics.filter((d) => d.upstreamMessage !== undefined)).toHaveLength(1);
      expect(first.message.length).toBeGreaterThan(10);
    });
  }
});

describe("every problem is reported, each once", () => {
  it("reports problems in several places, in upstream's order, upstreamMessage on the first", () => {
    const text = `{
  "transports": {
    "docker": {"a": [{"type": "signedBy", "keyType": "GPGKey", "keyPath": "/k"}]},
    "dir": {"rel": [{"type": "reject"}], "/ok": [{"type": "reject", "extra": true}]}
  },
  "default": [{"type": "sigstoreSigned", "keyData": "!"}]
}`;
    const r = load(text);
    expect(r.value).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, text.slice(d.span!.start, d.span!.end)])).toEqual([
      ["IT1106", '"GPGKey"'],
      ["IT1105", '"rel"'],
      ["IT1012", '"extra"'],
      // keyData is given (if badly): no follow-on "exactly one of … must be specified".
      ["IT1016", "!"],
    ]);
    expect(r.diagnostics[0].upstreamMessage).toBe('Unrecognized keyType value "GPGKey"');
    expect(r.diagnostics[0].message).toMatch(/Did you mean 'GPGKeys'\?/);
    expect(r.diagnostics.slice(1).every((d) => d.upstreamMessage === undefined)).toBe(true);
  });

  it("suggests the right spelling of unknown keys", () => {
    const r = load('{"default":[{"type":"signedBy","keyType":"GPGKeys","keypath":"/k"}]}');
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0].message).toMatch(/Did you mean 'keyPath'/);
    const r2 = load('{"Default":[{"type":"reject"}]}');
    expect(r2.diagnostics.map((d) => d.code)).toEqual(["IT1012", "IT1101"]);
    expect(r2.diagnostics[0].message).toMatch(/Did you mean 'default'\?/);
  });

  it("points a duplicate key at the first definition too", () => {
    const text = '{"default":[{"type":"reject"}],"default":[{"type":"reject"}]}';
    const d = load(text).diagnostics[0];
    expect(d.code).toBe("IT1011");
    expect(d.span!.start).toBe(text.lastIndexOf('"default"'));
    expect(d.related![0].span.start).toBe(1);
  });
});

describe("target versions", () => {
  const T523: LoadPolicyOptions = { target: [5, 23, 1] };
  it("5.23: newer keys are IT1201 naming the version, upstream says Unknown key", () => {
    const r = load(BASE, T523);
    expect(r.value).toBeUndefined();
    const newer = r.diagnostics.filter((d) => d.code === "IT1201");
    expect(newer.map((d) => d.message)).toEqual([
      "rekorPublicKeyPath needs containers/image 5.24 or newer (target 5.23.1)",
      "fulcio needs containers/image 5.24 or newer (target 5.23.1)",
      "rekorPublicKeyPaths needs containers/image 5.33 or newer (target 5.23.1)",
      "pki needs containers/image 5.35 or newer (target 5.23.1)",
    ]);
    expect(r.diagnostics[0].upstreamMessage).toBe('Unknown key "rekorPublicKeyPath"');
  });

  it("5.23: %s formatting of messages (no Go escaping), bare dockerReference", () => {
    expect(load('{"default":[{"type":"reject","a\\"b":1}]}', T523).diagnostics[0].upstreamMessage).toBe('Unknown key "a"b"');
    expect(load('{"default":[{"type":"reject","a\\"b":1}]}').diagnostics[0].upstreamMessage).toBe('Unknown key "a\\"b"');
    expect(load('{"default":[{"type":"reject"}],"transports":null}', T523).diagnostics[0].upstreamMessage).toBe(
      'JSON object expected, got "%!s(<nil>)"',
    );
    const ref = '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"exactReference","dockerReference":"a"}}]}';
    expect(load(ref, T523).diagnostics[0].upstreamMessage).toBe("dockerReference a contains neither a tag nor digest");
    expect(load(ref, { target: [5, 31, 0] }).diagnostics[0].upstreamMessage).toBe('dockerReference "a" contains neither a tag nor digest');
    expect(load('{"default":[{"type":"reject"}],"transports":[]}', { target: [5, 30, 0] }).diagnostics[0].upstreamMessage).toBe(
      'JSON object expected, got "["',
    );
  });

  it("5.23: sigstoreSigned presence rules; atomic is an unknown transport", () => {
    expect(load('{"default":[{"type":"sigstoreSigned","keyPath":""}]}', T523).value).toBeDefined();
    expect(load('{"default":[{"type":"sigstoreSigned","keyPath":""}]}').diagnostics[0].code).toBe("IT1113");
    const atomic = '{"default":[{"type":"reject"}],"transports":{"atomic":{"h/ns/stream/extra":[{"type":"reject"}]}}}';
    expect(load(atomic, T523).value).toBeDefined();
    expect(load(atomic).diagnostics[0]).toMatchObject({ code: "IT1105", upstreamMessage: 'Unknown key "h/ns/stream/extra"' });
  });

  it("5.24 – 5.32: the intermediate sigstoreSigned messages", () => {
    const t = { target: [5, 28, 0] as const };
    const both = '{"default":[{"type":"sigstoreSigned","keyPath":"/k","keyData":""}]}';
    expect(load(both, t).diagnostics[0].upstreamMessage).toBe("exactly one of keyPath, keyData and fulcio must be specified");
    const fulcio = '{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/c","oidcIssuer":"i","subjectEmail":"e"}}]}';
    expect(load(fulcio, t).diagnostics[0].upstreamMessage).toBe(
      "At least one of RekorPublickeyPath and RekorPublickeyData must be specified if fulcio is used",
    );
    expect(load('{"default":[{"type":"sigstoreSigned","keyDatas":["YWJj"]}]}', t).diagnostics[0]).toMatchObject({
      code: "IT1201",
      upstreamMessage: 'Unknown key "keyDatas"',
    });
  });

  it("older targets: requirement and identity types that did not exist yet", () => {
    const r = load('{"default":[{"type":"sigstoreSigned","keyPath":"/k"}]}', { target: [5, 21, 0] });
    expect(r.diagnostics[0]).toMatchObject({ code: "IT1202", upstreamMessage: 'Unknown policy requirement type "sigstoreSigned"' });
    const remap = '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"remapIdentity","prefix":"a.com","signedPrefix":"b.com"}}]}';
    expect(load(remap, { target: [5, 8, 0] }).diagnostics[0]).toMatchObject({
      code: "IT1203",
      upstreamMessage: 'Unknown policy reference match type "remapIdentity"',
    });
    expect(load(remap, { target: [5, 9, 0] }).value).toBeDefined();
  });
});

const UPSTREAM_FIXTURE = "/usr/share/gocode/src/github.com/containers/image/signature/fixtures/policy.json";

describe.skipIf(!existsSync(UPSTREAM_FIXTURE))("upstream's fixture policy.json (5.23.1)", () => {
  it("loads for 5.23 and the newest format, defaults filled as upstream expects", () => {
    const text = readFileSync(UPSTREAM_FIXTURE, "utf8");
    for (const options of [{ target: [5, 23, 1] as const }, {}]) {
      const r = loadPolicyJson(new SourceFile(UPSTREAM_FIXTURE, text), options);
      expect(r.diagnostics).toEqual([]);
      const n = goNormalizePolicy(r.value!) as { transports: Record<string, Record<string, unknown[]>> };
      expect(Object.keys(n.transports.docker)).toContain("example.com/hardened");
      expect(n.transports.docker["example.com/production"][0]).toEqual({
        type: "signedBy",
        keyType: "GPGKeys",
        keyPath: "/keys/employee-gpg-keyring",
        signedIdentity: { type: "matchRepoDigestOrExact" },
      });
      expect(n.transports.docker["bogus/key-data-example"][0]).toMatchObject({ keyData: "bm9uc2Vuc2U=" });
    }
  });
});

describe("messages", () => {
  it("says where a misplaced key belongs instead of guessing", () => {
    const r = load('{"default":[{"type":"sigstoreSigned","keyPath":"/k","keyType":"GPGKeys"}]}');
    expect(r.diagnostics[0].message).toBe(
      'Unknown key "keyType" in a sigstoreSigned requirement. ("keyType" belongs in signedBy requirements.)',
    );
    expect(r.diagnostics[0].hint).toMatch(/allowed keys: type, keyPath, keyPaths, keyData/);
  });

  it("has unique codes in the loader's band", async () => {
    const { POLICY_CODES } = await import("../../src/load/policy-codes.js");
    const codes = Object.values(POLICY_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^IT1[012]\d\d$/);
  });
});

describe("problems behind the first one", () => {
  it("still checks the requirements of a scope the transport rejects", () => {
    const text = '{"default":[{"type":"reject"}],"transports":{"dir":{"rel":[{"type":"rejekt"}]}}}';
    const r = load(text);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["IT1105", "IT1103"]);
    expect(r.diagnostics[0].upstreamMessage).toBe('Unknown key "rel"');
    expect(r.diagnostics[1].message).toMatch(/Did you mean 'reject'\?/);
  });
});
