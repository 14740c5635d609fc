import { describe, expect, it } from "vitest";
import { compileTrustSource } from "../../src/check/compile-source.js";
import { parseVersion } from "../../src/ir/versions.js";
import { SourceFile } from "../../src/source/source-file.js";
import { at } from "../syntax/parse-helpers.js";

const GPG = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEaQ==\n-----END PGP PUBLIC KEY BLOCK-----\n";
const PUB = "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n";
const CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const FILES: Record<string, string> = {
  "/k/gpg.asc": GPG,
  "/k/cosign.pub": PUB,
  "/k/rekor.pub": PUB,
  "/k/fulcio.pem": CERT,
  "/k/empty.gpg": "",
  "/k/not-a-key.pub": "hello",
};

function compile(text: string, target?: string) {
  const s = new SourceFile("t.trust", text);
  const r = compileTrustSource(s, {
    target: target ? parseVersion(target) : undefined,
    fileExists: (p) => p in FILES,
    readFile: (p) => (p in FILES ? new TextEncoder().encode(FILES[p]) : undefined),
  });
  return { ...r, s, where: r.diagnostics.map((d) => `${at(s, d)} ${d.severity}`) };
}

const BASE = `key g gpg file "/k/gpg.asc"
level l = signed by g
default reject
docker { "a.example" l }
`;

describe("checker: a valid program", () => {
  it("has no diagnostics", () => {
    const r = compile(BASE);
    expect(r.diagnostics).toEqual([]);
    expect(r.value).toBeDefined();
  });
});

describe("checker: break one thing", () => {
  // [what, program, expected "CODE start-end severity" list]
  const table: Array<[string, string, string[]]> = [
    ["undefined level", BASE.replace('"a.example" l', '"a.example" lvl'), ["IT2109 2:7-2:8 warning", "IT2101 4:22-4:25 error"]],
    ["undefined key", BASE.replace("signed by g", "signed by gg"), ["IT2109 1:5-1:6 warning", "IT2101 2:21-2:23 error"]],
    ["duplicate name", BASE + "level g = accept\n", ["IT2100 5:7-5:8 error"]],
    ["wrong kind: level used as key", BASE.replace("signed by g", "signed by l"), ["IT2109 1:5-1:6 warning", "IT2102 2:21-2:22 error"]],
    ["cycle between levels", 'level a = b\nlevel b = a and accept\ndefault a\n', ["IT2103 2:11-2:12 error"]],
    ["self reference", "level a = a\ndefault a\n", ["IT2103 1:11-1:12 error"]],
    ["missing default", 'key g gpg file "/k/gpg.asc"\ndocker { "a" signed by g }\n', ["IT2107 3:1-3:1 error"]],
    ["two defaults", BASE + "default accept\n", ["IT2108 5:1-5:15 error"]],
    ["invalid dir scope", BASE + 'dir { "relative/path" accept }\n', ["IT2110 5:7-5:22 error"]],
    ["invalid docker-archive scope", BASE + 'docker-archive { "/x" accept }\n', ["IT2110 5:18-5:22 error"]],
    ["unknown transport name", BASE + 'dokcer { "a" accept }\n', ["IT2111 5:1-5:7 warning"]],
    ["quoted unknown transport is fine", BASE + 'transport "registry" { "a" accept }\n', []],
    ["duplicate scope through nesting", BASE.replace('"a.example" l', '"a.example" l { "b" accept }\n "a.example/b" reject'), ["IT2112 5:2-5:15 error"]],
    ["nested default", BASE.replace('"a.example" l', '"a.example" l { default accept }'), ["IT2114 4:26-4:33 error"]],
    ["missing key file", BASE.replace("/k/gpg.asc", "/k/missing.asc"), ["IT2120 1:16-1:32 warning"]],
    ["key file without a key", BASE.replace("/k/gpg.asc", "/k/empty.gpg"), ["IT2121 1:16-1:30 warning"]],
    ["sigstore key file holding text", 'key c sigstore file "/k/not-a-key.pub"\ndefault signed by c\n', ["IT2121 1:21-1:39 warning", "IT2151 2:1-2:20 warning"]],
    ["bad base64", 'key g gpg data "not base64!"\ndefault signed by g\n', ["IT2122 1:16-1:29 error"]],
    ["relative key path", 'key g gpg file "gpg.asc"\ndefault signed by g\n', ["IT2128 1:16-1:25 warning", "IT2120 1:16-1:25 warning"]],
    ["fulcio without issuer", 'key f fulcio ca file "/k/fulcio.pem" email "a@b"\nkey r rekor file "/k/rekor.pub"\ndefault signed by f with r\nsignatures { default attachments }\n', ["IT2123 1:5-1:6 error"]],
    ["fulcio without rekor", 'key f fulcio ca file "/k/fulcio.pem" issuer "i" email "a@b"\ndefault signed by f\nsignatures { default attachments }\n', ["IT2126 2:9-2:20 error"]],
    ["pki with rekor", 'key p pki roots file "/k/fulcio.pem" email "a@b"\nkey r rekor file "/k/rekor.pub"\ndefault signed by p with r\nsignatures { default attachments }\n', ["IT2127 3:26-3:27 error"]],
    ["gpg with rekor", 'key g gpg file "/k/gpg.asc"\nkey r rekor file "/k/rekor.pub"\ndefault signed by g with r\n', ["IT2127 3:26-3:27 error"]],
    ["pki without subject", 'key p pki roots file "/k/fulcio.pem"\ndefault signed by p\nsignatures { default attachments }\n', ["IT2123 1:5-1:6 error"]],
    ["duplicate clause", 'key f fulcio ca file "/k/fulcio.pem" issuer "i" email "a@b" email "c@d"\nkey r rekor file "/k/rekor.pub"\ndefault signed by f with r\nsignatures { default attachments }\n', ["IT2129 1:61-1:66 error"]],
    ["invalid keytype", 'key g gpg keytype GPGKey file "/k/gpg.asc"\ndefault signed by g\n', ["IT2124 1:19-1:25 error"]],
    ["gpg datas", 'key g gpg datas "QQ=="\ndefault signed by g\n', ["IT2125 1:11-1:23 error", "IT2121 1:17-1:23 warning"]],
    ["sigstore empty files", 'key c sigstore files\ndefault signed by c\nsignatures { default attachments }\n', ["IT2131 1:16-1:21 error"]],
    ["gpg empty files is only a warning", 'key g gpg files\ndefault signed by g\n', ["IT2131 1:11-1:16 warning"]],
    ["exact-reference without tag", BASE.replace("signed by g", 'signed by g identity exact-reference "r.example/x"'), ["IT2140 2:48-2:61 error"]],
    ["exact-repository invalid", BASE.replace("signed by g", 'signed by g identity exact-repository "R.example/UP"'), ["IT2140 2:49-2:63 error"]],
    ["remap prefix invalid", BASE.replace("signed by g", 'signed by g identity remap "r.example/" to "x.example"'), ["IT2141 2:38-2:50 error"]],
    ["undefined identity rule", BASE.replace("signed by g", "signed by g identity mirorr"), ["IT2101 2:32-2:38 error"]],
    [
      "sigstore scope without attachments (signatures block present)",
      'key c sigstore file "/k/cosign.pub"\ndefault reject\ndocker { "ghcr.io/acme" signed by c }\nsignatures { "ghcr.io" lookaside "https://l" }\n',
      ["IT2150 3:10-3:24 error"],
    ],
    [
      "attachments set on a parent namespace are found",
      'key c sigstore file "/k/cosign.pub"\ndefault reject\ndocker { "ghcr.io/acme/x" signed by c }\nsignatures { "ghcr.io/acme" lookaside "https://l" "ghcr.io" attachments }\n',
      [],
    ],
    [
      "lookaside on the namespace does not stop the attachments fall-through to default",
      'key c sigstore file "/k/cosign.pub"\ndefault reject\ndocker { "ghcr.io/acme" signed by c }\nsignatures { default attachments "ghcr.io/acme" lookaside "https://l" }\n',
      [],
    ],
    [
      "an explicit 'no attachments' wins over the default",
      'key c sigstore file "/k/cosign.pub"\ndefault reject\ndocker { "ghcr.io/acme" signed by c }\nsignatures { default attachments "ghcr.io" no attachments }\n',
      ["IT2150 3:10-3:24 error"],
    ],
    ["approval by tag", BASE + 'approve "nginx:1.27" because "OPS-1"\n', ["IT2160 5:9-5:21 error"]],
    ["approval not a reference", BASE + 'approve "Nginx@sha256:00" because "OPS-1"\n', ["IT2161 5:9-5:26 error"]],
    [
      "approval duplicating a scope",
      BASE.replace('"a.example" l', '"docker.io/library/nginx@sha256:' + "0".repeat(64) + '" accept') + 'approve "nginx@sha256:' + "0".repeat(64) + '" because "x"\n',
      ["IT2109 2:7-2:8 warning", "IT2112 5:9-5:88 error"],
    ],
    ["expectation without transport", BASE + 'expect allow "a.example/x:1"\n', ["IT2170 5:14-5:29 error"]],
    ["duplicate storage scope", BASE + 'signatures { "a" lookaside "x" }\nsignatures "b.yaml" { "a" attachments }\n', ["IT2190 6:23-6:26 error"]],
    ["duplicate storage setting", BASE + 'signatures { "a" lookaside "x" lookaside "y" }\n', ["IT2191 5:32-5:45 error"]],
    ["invalid target", "target \"five\"\n" + BASE, ["IT2106 1:8-1:14 error"]],
    ["unused key", 'key g gpg file "/k/gpg.asc"\ndefault reject\n', ["IT2109 1:5-1:6 warning"]],
  ];
  it.each(table)("%s", (_what, text, expected) => {
    const r = compile(text);
    expect(r.where).toEqual(expected);
    expect(r.value === undefined).toBe(expected.some((e) => e.endsWith("error")));
  });

  it("reports both locations of a duplicate", () => {
    const r = compile(BASE + "level g = accept\n");
    const d = r.diagnostics.find((x) => x.code === "IT2100")!;
    expect(d.related!.map((x) => at(r.s, { ...d, span: x.span }))).toEqual(["IT2100 1:5-1:6"]);
  });

  it("suggests the closest name", () => {
    const r = compile(BASE.replace('"a.example" l', '"a.example" strickt') + "level strict = reject\n");
    expect(r.diagnostics.find((d) => d.code === "IT2101")!.hint).toBe("Did you mean 'strict'?");
  });

  it("says plainly that a tag never matches an approval by digest", () => {
    const r = compile(BASE + 'approve "docker.io/library/nginx:1.27" because "OPS-1"\n');
    expect(r.diagnostics[0].message).toContain("a pull by tag never matches an approval by digest");
  });
});

describe("checker: target versions", () => {
  const table: Array<[string, string, string, string[]]> = [
    ["remap on 5.8", "5.8", BASE.replace("signed by g", 'signed by g identity remap "a.example" to "b.example"'), ["IT2180 2:32-2:64 error"]],
    ["sigstore on 5.21", "5.21", 'key c sigstore file "/k/cosign.pub"\ndefault signed by c\nsignatures { default attachments }\n', ["IT2180 1:7-1:36 error", "IT2180 3:22-3:33 error"]],
    ["fulcio on 5.23", "5.23", 'key f fulcio ca file "/k/fulcio.pem" issuer "i" email "e"\nkey r rekor file "/k/rekor.pub"\ndefault signed by f with r\nsignatures { default attachments }\n', ["IT2180 1:7-1:58 error", "IT2180 2:7-2:32 error"]],
    ["sigstore key lists on 5.32", "5.32", 'key c sigstore files "/k/cosign.pub"\ndefault signed by c\nsignatures { default attachments }\n', ["IT2180 1:16-1:37 error"]],
    ["pki on 5.34", "5.34", 'key p pki roots file "/k/fulcio.pem" email "e"\ndefault signed by p\nsignatures { default attachments }\n', ["IT2180 1:7-1:47 error"]],
    ["wildcard scope on 5.9", "5.9", BASE + 'docker { "*.example.com" accept }\n', ["IT2180 5:10-5:25 error"]],
    ["gpg files on 5.21", "5.21", 'key g gpg files "/k/gpg.asc"\ndefault signed by g\n', ["IT2180 1:11-1:29 error"]],
    ["everything fine on 5.39", "5.39", 'key p pki roots file "/k/fulcio.pem" email "e"\ndefault signed by p\nsignatures { default attachments }\n', []],
  ];
  it.each(table)("%s", (_what, target, text, expected) => {
    const viaOption = compile(text, target);
    expect(viaOption.where).toEqual(expected);
    const viaFile = compile(`target "${target}"\n` + text);
    expect(viaFile.diagnostics.map((d) => d.code)).toEqual(expected.map((e) => e.split(" ")[0]));
  });

  it("names the version in the message", () => {
    const r = compile('key f fulcio ca file "/k/fulcio.pem" issuer "i" email "e"\nkey r rekor file "/k/rekor.pub"\ndefault signed by f with r\n', "5.23");
    expect(r.diagnostics[0].message).toBe("sigstoreSigned.fulcio needs containers/image 5.24 or newer, but the target is 5.23.");
  });
});

describe("checker: expectations", () => {
  const digest = "sha256:" + "1".repeat(64);
  it("says a tag pull does not match an approval by digest", () => {
    const r = compile(BASE + `approve "nginx@${digest}" because "OPS-1"\nexpect allow "docker://nginx:1.27"\n`);
    expect(r.where).toEqual(["IT2171 6:14-6:35 info"]);
    expect(r.diagnostics[0].message).toContain("a pull by tag never matches an approval by digest");
    expect(r.diagnostics[0].related![0].span.start).toBe(r.s.text.indexOf('"nginx@'));
    expect(r.value).toBeDefined();
  });

  it("warns about a 'by' scope nobody defines", () => {
    const r = compile(BASE + 'expect deny "docker://a.example/x:1" by "a.exmple"\n');
    expect(r.where).toEqual(["IT2172 5:41-5:51 warning"]);
    expect(r.diagnostics[0].hint).toBe("Did you mean 'a.example'?");
  });
});

describe("checker: identity rules", () => {
  it("follows chains of named rules", () => {
    const r = compile(BASE.replace("signed by g", "signed by g identity outer") + 'identity outer = inner\nidentity inner = exact-repository "r.example/x"\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.value!.policy.transports[0].scopes[0].requirements[0]).toMatchObject({ signedIdentity: { type: "exactRepository", dockerRepository: "r.example/x" } });
  });

  it("reports a cycle between named rules once", () => {
    const r = compile(BASE.replace("signed by g", "signed by g identity a") + "identity a = b\nidentity b = a\n");
    expect(r.where).toEqual(["IT2142 5:10-5:11 error"]);
  });
});

describe("checker: misspelt keywords", () => {
  it.each([
    ["levl a = accept\ndefault a", "IT2013", "Did you mean 'level'?"],
    ["defualt reject", "IT2013", "Did you mean 'default'?"],
    ["default reject\nsignatues { }", "IT2111", "Did you mean 'signatures'?"],
    ['key k gpg flie "x"\ndefault signed by k', "IT2011", "Did you mean 'file'?"],
    ['default reject\ndocker { "a" acept }', "IT2101", "Did you mean 'accept'?"],
    ["default rejec", "IT2101", "Did you mean 'reject'?"],
    ['key k gpg file "/k/gpg.asc"\ndefault signed by k identity exatc', "IT2101", "Did you mean 'exact'?"],
  ])("%j", (text, code, hint) => {
    const r = compile(text);
    expect(r.diagnostics[0].code).toBe(code);
    expect(r.diagnostics[0].hint).toBe(hint);
  });

  it("does not add 'no default' or 'never used' noise after a syntax error", () => {
    const r = compile('key k gpg file "/k/gpg.asc"\nlevel a = = accept\n');
    expect(r.diagnostics.map((d) => d.code)).toEqual(["IT2011"]);
  });
});
