/**
 * issue 16: `expect … with signatures "DIR" [manifest "FILE"] [because CODE|"text"]` and the YAML equivalent, run by
 * `imagetrust test` (in-process CLI) on real evidence: keys made by gpg, signatures made by `skopeo standalone-sign`,
 * `dir:` layouts as skopeo writes them. Where the policy decides a `dir:` image, skopeo 1.9.3 judges the same images
 * with the compiled policy.json, and its message is what `because "…"` must find in our denial.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeDirImage, makeTempDir, skopeoAvailable, skopeoCopyVerdict, type DirImage } from "../harness/skopeo.js";
import { genKey, gnupgHome, skopeoSign, type TestKey } from "../verify/gpg-helpers.js";
import { runCli } from "../cli/helpers.js";

const ci = process.env.CI === "true";
const hasGpg = fs.existsSync("/usr/bin/gpg");

interface TestJson {
  file: string;
  passed: number;
  failed: number;
  results: {
    passed: boolean;
    problems: string[];
    codes?: string[];
    location?: { file: string; line: number; column: number };
    expectation: { reference: string; verdict: string; because?: unknown; evidence?: { signatures: string; manifest?: string } };
    actual: { verdict: string; upstreamError: string | null; signatures?: unknown };
  }[];
  diagnostics: { code: string; severity: string; message: string; span?: { file: string; start: number } }[];
}

async function testJson(file: string): Promise<{ code: number; runs: TestJson[]; stderr: string }> {
  const r = await runCli(["test", "--format", "json", file]);
  if (r.code === 2) throw new Error(`test failed to run: ${r.stderr}${r.stdout}`);
  return { code: r.code, runs: JSON.parse(r.stdout) as TestJson[], stderr: r.stderr };
}

function write(dir: string, name: string, text: string): string {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

/** A copy of a dir: image under `dir/name` (the evidence beside a source). */
function copyImage(img: DirImage, dir: string, name: string): string {
  const to = path.join(dir, name);
  fs.cpSync(img.dir, to, { recursive: true });
  return to;
}

describe.skipIf((!skopeoAvailable() || !hasGpg) && !ci)("expect … with signatures: signed cases unit-tested in the source", () => {
  let key: TestKey;
  let other: TestKey;
  let signed: DirImage;
  let otherKey: DirImage;
  let rebuilt: DirImage;
  let wrongTag: DirImage;

  beforeAll(async () => {
    key = genKey(gnupgHome(), "Evidence Signer <ev@example.com>");
    other = genKey(gnupgHome(), "Someone Else <else@example.com>");
    const base = makeDirImage(makeTempDir("ev-base-"));
    const good = await skopeoSign(key, base.manifest, "example.com/app:v1");
    signed = makeDirImage(makeTempDir("ev-signed-"), { signatures: [good] });
    otherKey = makeDirImage(makeTempDir("ev-other-"), { signatures: [await skopeoSign(other, base.manifest, "example.com/app:v1")] });
    // The tag pushed again after signing: another manifest, the first build's signature.
    rebuilt = makeDirImage(makeTempDir("ev-rebuilt-"), { config: '{"rebuilt":true}', signatures: [good] });
    wrongTag = makeDirImage(makeTempDir("ev-tag-"), { signatures: [await skopeoSign(key, base.manifest, "example.com/app:v2")] });
  });

  /** A source in a fresh directory with the evidence copied beside it (evidence/NAME), and the key file. */
  function project(body: string): { dir: string; file: string } {
    const dir = makeTempDir("ev-src-");
    copyImage(signed, dir, "evidence/signed");
    copyImage(otherKey, dir, "evidence/other-key");
    copyImage(rebuilt, dir, "evidence/rebuilt");
    copyImage(wrongTag, dir, "evidence/v2");
    const head = `key k gpg file ${JSON.stringify(key.pubBinary)}\nlevel released = signed by k\ndefault reject\n`;
    return { dir, file: write(dir, "site.trust", head + body) };
  }

  it("decides signed pulls on the evidence: allow, wrong key (IT5803), tag moved (IT5801), claimed reference (IT5802), unsigned (text)", async () => {
    const { file } = project(
      [
        'docker { "example.com/app" released }',
        'expect allow "docker://example.com/app:v1" with signatures "evidence/signed"',
        'expect deny  "docker://example.com/app:v1" with signatures "evidence/other-key" because IT5803',
        'expect deny  "docker://example.com/app:v1" with signatures "evidence/rebuilt" because IT5801',
        // An explicit manifest: the signed directory's signatures over the rebuilt image's manifest.
        'expect deny  "docker://example.com/app:v1" with signatures "evidence/signed" manifest "evidence/rebuilt/manifest.json" because IT5801',
        'expect deny  "docker://example.com/app:v1" with signatures "evidence/v2" because IT5802',
        'expect deny  "docker://example.com/app:v1" because "no signature exists"',
        "",
      ].join("\n"),
    );
    const { code, runs } = await testJson(file);
    expect(runs[0].results.filter((r) => !r.passed).map((r) => r.problems)).toEqual([]);
    expect(code).toBe(0);
    expect([runs[0].passed, runs[0].failed]).toEqual([6, 0]);
    const [allow, wrongKey, moved] = runs[0].results;
    expect(allow.actual.verdict).toBe("allow");
    expect(allow.codes).toEqual([]);
    expect(wrongKey.codes).toEqual(["IT5803"]);
    expect(wrongKey.actual.upstreamError).toMatch(/^Invalid GPG signature: gpgme\.Signature\{/);
    expect(moved.codes).toEqual(["IT5801"]);
  });

  it("a failing expectation shows what was expected and what came, at FILE:LINE:COLUMN (text and JSON)", async () => {
    const { file } = project(
      ['docker { "example.com/app" released }', "", 'expect deny "docker://example.com/app:v1" with signatures "evidence/other-key" because IT5801', ""].join("\n"),
    );
    const text = await runCli(["test", file]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`FAIL ${file}:6:1: expect deny docker://example.com/app:v1 with signatures ${JSON.stringify(path.join(path.dirname(file), "evidence/other-key"))} because IT5801`);
    expect(text.stdout).toContain("    expected the denial to carry IT5801, but it carries IT5803\n");
    expect(text.stdout).toMatch(/\n {4}got: deny, carrying IT5803: Invalid GPG signature: gpgme\.Signature\{/);
    // The evidence: the rejected signature, why in plain words, and the code's page.
    expect(text.stdout).toContain(`why: signed by key ${other.fpr}, which is not in the policy's keyring; the policy trusts key ${key.fpr}`);
    expect(text.stdout).toContain("see: imagetrust explain IT5803");
    const { runs } = await testJson(file);
    const r = runs[0].results[0];
    expect(r).toMatchObject({ passed: false, codes: ["IT5803"], location: { file, line: 6, column: 1 } });
    expect(r.problems).toEqual(["expected the denial to carry IT5801, but it carries IT5803"]);
    expect(runs[0].diagnostics.map((d) => d.code)).toEqual(["IT5610"]);
  });

  it("because \"text\" must occur in the denial's reasons; a verdict mismatch is reported as before", async () => {
    const { file } = project(
      [
        'docker { "example.com/app" released }',
        'expect deny "docker://example.com/app:v1" with signatures "evidence/rebuilt" because "does not match"',
        'expect deny "docker://example.com/app:v1" with signatures "evidence/rebuilt" because "is not accepted"',
        'expect deny "docker://example.com/app:v1" with signatures "evidence/signed"',
        "",
      ].join("\n"),
    );
    const { runs } = await testJson(file);
    expect(runs[0].results.map((r) => r.problems)).toEqual([
      [],
      ['expected the denial\'s reasons to contain "is not accepted", but they do not (it carries IT5801)'],
      ["expected deny, got allow"],
    ]);
  });

  it("missing evidence is a coded diagnostic at the expect line (IT2264), not a stack trace; the other expectations still run", async () => {
    const { file, dir } = project(
      [
        'docker { "example.com/app" released }',
        'expect allow "docker://example.com/app:v1" with signatures "evidence/nope"',
        'expect allow "docker://example.com/app:v1" with signatures "evidence/signed" manifest "nope.json"',
        'expect allow "docker://example.com/app:v1" with signatures "site.trust"',
        'expect allow "docker://example.com/app:v1" with signatures "evidence/signed"',
        "",
      ].join("\n"),
    );
    const text = await runCli(["test", file]);
    expect(text.code).toBe(1);
    expect(text.stderr).toBe("");
    expect(text.stdout).toContain(`${file}:5:1 error IT2264 The signatures directory ${path.join(dir, "evidence/nope")} does not exist: the expectation cannot be decided.`);
    expect(text.stdout).toContain(`${file}:6:1 error IT2264 The manifest ${path.join(dir, "nope.json")} does not exist`);
    expect(text.stdout).toContain(`${file}:7:1 error IT2264 The signatures directory ${file} is not a directory`);
    expect(text.stdout).toContain(`${file}: 1 passed, 3 failed`);
    expect(text.stdout).not.toMatch(/\n\s+at .*\.ts:\d+/);
  });

  it("the checker: because on allow (IT2261), an unknown code with did-you-mean (IT2262), a code no denial carries (IT2263)", async () => {
    const { file } = project(
      [
        'docker { "example.com/app" released }',
        'expect allow "docker://example.com/app:v1" with signatures "evidence/signed" because IT5803',
        'expect deny  "docker://example.com/app:v1" with signatures "evidence/rebuilt" because IT5081',
        'expect deny  "docker://example.com/app:v1" with signatures "evidence/rebuilt" because IT2100',
        "",
      ].join("\n"),
    );
    const text = await runCli(["test", file]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`${file}:5:78 error IT2261 Only a denial has a reason: \`because\` belongs to \`expect deny\`.`);
    expect(text.stdout).toContain(`${file}:6:87 error IT2262 'IT5081' is not a diagnostic code imagetrust emits.`);
    expect(text.stdout).toContain("hint: Did you mean 'IT5801'");
    expect(text.stdout).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:7:87 error IT2263 IT2100 \\(.*\\) is not a code a denial carries`));
    // lint reports the same findings (the checker owns them).
    const lint = await runCli(["lint", file]);
    expect(lint.stdout).toContain("IT2261");
    expect(lint.stdout).toContain("IT2262");
  });

  it("an included file's evidence paths are relative to the included file", async () => {
    const dir = makeTempDir("ev-inc-");
    copyImage(signed, dir, "shared/evidence/signed");
    copyImage(otherKey, dir, "shared/evidence/other-key");
    write(
      dir,
      "shared/common.trust",
      [
        `key k gpg file ${JSON.stringify(key.pubBinary)}`,
        "default reject",
        'docker { "example.com/app" signed by k }',
        'expect allow "docker://example.com/app:v1" with signatures "evidence/signed"',
        'expect deny  "docker://example.com/app:v1" with signatures "evidence/other-key" because IT5803',
        "",
      ].join("\n"),
    );
    const site = write(dir, "site.trust", 'include "shared/common.trust"\n');
    const { code, runs } = await testJson(site);
    expect(runs[0].results.map((r) => [r.passed, r.expectation.evidence?.signatures, r.location?.file])).toEqual([
      [true, path.join(dir, "shared/evidence/signed"), path.join(dir, "shared/common.trust")],
      [true, path.join(dir, "shared/evidence/other-key"), path.join(dir, "shared/common.trust")],
    ]);
    expect(code).toBe(0);
    // From the including file's directory the same path names nothing: a failure there points into the included file.
    write(dir, "shared/common.trust", fs.readFileSync(path.join(dir, "shared/common.trust"), "utf8") + 'expect allow "docker://example.com/app:v1" with signatures "shared/evidence/signed"\n');
    const text = await runCli(["test", site]);
    expect(text.stdout).toContain(`${path.join(dir, "shared/common.trust")}:6:1 error IT2264 The signatures directory ${path.join(dir, "shared/shared/evidence/signed")} does not exist`);
  });

  it("profile-scoped expectations with evidence hold for their profile only", async () => {
    const { file } = project(
      [
        'docker { "example.com/app" released }',
        "profile server {",
        '  expect allow "docker://example.com/app:v1" with signatures "evidence/signed"',
        "}",
        "profile quarantine {",
        '  docker { "example.com/app" reject }',
        '  expect deny "docker://example.com/app:v1" with signatures "evidence/signed" because "is rejected by policy"',
        "}",
        "",
      ].join("\n"),
    );
    const { code, runs } = await testJson(file);
    expect(runs[0].results.map((r) => [r.passed, r.actual.verdict])).toEqual([
      [true, "allow"],
      [true, "deny"],
    ]);
    expect(code).toBe(0);
    // The quarantine expectation against the server profile's policy would fail: it is not run there.
    const broken = file.replace(/site\.trust$/, "broken.trust");
    fs.writeFileSync(broken, fs.readFileSync(file, "utf8").replace('"is rejected by policy"', "IT5803"));
    const r = await testJson(broken);
    expect(r.runs[0].results[1].problems).toEqual(["profile quarantine: expected the denial to carry IT5803, but it carries no code"]);
  });

  it("YAML cases take signatures:, manifest: and because: (relative to the YAML file)", async () => {
    const dir = makeTempDir("ev-yaml-");
    copyImage(signed, dir, "evidence/signed");
    copyImage(otherKey, dir, "evidence/other-key");
    copyImage(rebuilt, dir, "evidence/rebuilt");
    const signedBy = { type: "signedBy", keyType: "GPGKeys", keyPath: key.pubBinary };
    write(dir, "policy/policy.json", JSON.stringify({ default: [{ type: "reject" }], transports: { docker: { "example.com/app": [signedBy] } } }, null, 2));
    const yaml = write(
      dir,
      "cases.yaml",
      [
        "policy: policy/policy.json",
        "cases:",
        "  - { ref: docker://example.com/app:v1, expect: allow, signatures: evidence/signed }",
        "  - { ref: docker://example.com/app:v1, expect: deny, signatures: evidence/other-key, because: IT5803 }",
        "  - ref: docker://example.com/app:v1",
        "    expect: deny",
        "    signatures: evidence/signed",
        "    manifest: evidence/rebuilt/manifest.json",
        "    because: IT5801",
        "  - { ref: docker://example.com/app:v1, expect: deny, signatures: evidence/rebuilt, because: does not match }",
        "  - { ref: docker://example.com/app:v1, expect: deny, signatures: evidence/rebuilt, because: IT5803 }",
        "",
      ].join("\n"),
    );
    const { code, runs } = await testJson(yaml);
    expect(runs[0].results.map((r) => r.passed)).toEqual([true, true, true, true, false]);
    expect(runs[0].results[4]).toMatchObject({ location: { file: yaml, line: 11, column: 5 }, problems: ["expected the denial to carry IT5803, but it carries IT5801"] });
    expect(code).toBe(1);

    const bad = write(
      dir,
      "bad.yaml",
      [
        "policy: policy/policy.json",
        "cases:",
        "  - { ref: docker://example.com/app:v1, expect: allow, signatures: evidence/signed, because: IT5803 }",
        "  - { ref: docker://example.com/app:v1, expect: deny, signatures: evidence/signed, because: IT5081 }",
        "  - { ref: docker://example.com/app:v1, expect: deny, manifest: evidence/signed/manifest.json }",
        "  - { ref: docker://example.com/app:v1, expect: allow, signatures: evidence/nope }",
        "",
      ].join("\n"),
    );
    const b = await testJson(bad);
    expect(b.runs[0].diagnostics.map((d) => d.code)).toEqual(["IT2261", "IT2262", "IT5603"]);
    expect(b.runs[0].diagnostics[1].message).toBe("'IT5081' is not a diagnostic code imagetrust emits.");
    const missing = write(
      dir,
      "missing.yaml",
      "policy: policy/policy.json\ncases:\n  - { ref: docker://example.com/app:v1, expect: allow, signatures: evidence/nope }\n  - { ref: example.com/app:v1, expect: allow, signatures: evidence/signed }\n",
    );
    const m = await testJson(missing);
    expect(m.runs[0].diagnostics.map((d) => d.code)).toEqual(["IT2264", "IT5610", "IT2264", "IT5610"]);
    expect(m.runs[0].diagnostics[0].message).toContain(`The signatures directory ${path.join(dir, "evidence/nope")} does not exist`);
    // A bare name is decided without evidence (as simulate decides one): evidence for it would go unused.
    expect(m.runs[0].diagnostics[2].message).toBe(
      'Signature evidence is read for transport:reference inputs only: write "example.com/app:v1" with its transport (e.g. docker://example.com/app:v1).',
    );
  });

  it("decides dir: images as skopeo copy does (the compiled policy.json), and finds skopeo's message with because \"…\"", async () => {
    const dir = makeTempDir("ev-skopeo-");
    const src = write(
      dir,
      "dir.trust",
      [
        `key k gpg file ${JSON.stringify(key.pubBinary)}`,
        "default reject",
        'dir { default signed by k identity exact-reference "example.com/app:v1" }',
        "",
      ].join("\n"),
    );
    const out = path.join(dir, "out");
    expect((await runCli(["compile", src, "--out", out, "--target", "5.23"])).code).toBe(0);
    const policyText = fs.readFileSync(path.join(out, "policy.json"), "utf8");
    const verdicts = new Map<string, Awaited<ReturnType<typeof skopeoCopyVerdict>>>();
    for (const [name, img] of [["signed", signed], ["other-key", otherKey], ["rebuilt", rebuilt]] as const) verdicts.set(name, await skopeoCopyVerdict(policyText, `dir:${img.dir}`));
    expect(verdicts.get("signed")!.allowed).toBe(true);
    expect(verdicts.get("other-key")!.allowed).toBe(false);
    expect(verdicts.get("rebuilt")!.allowed).toBe(false);
    const line = (verdict: string, img: DirImage, because = "") => `expect ${verdict} ${JSON.stringify(`dir:${img.dir}`)} with signatures ${JSON.stringify(img.dir)}${because}`;
    fs.appendFileSync(
      src,
      [
        line("allow", signed),
        line("deny ", otherKey, ` because ${JSON.stringify(verdicts.get("other-key")!.message)}`),
        line("deny ", otherKey, " because IT5803"),
        line("deny ", rebuilt, ` because ${JSON.stringify(verdicts.get("rebuilt")!.message)}`),
        line("deny ", rebuilt, " because IT5801"),
        "",
      ].join("\n"),
    );
    const r = await runCli(["test", "--target", "5.23", src]);
    expect(r.stdout).toBe(`${src}: 5 passed, 0 failed\n5 passed, 0 failed\n`);
    expect(r.code).toBe(0);
  });
});
