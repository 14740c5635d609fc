/**
 * `imagetrust simulate` with real signature evidence, run in-process through `run(argv, io)` and judged by skopeo
 * 1.9.3 (containers/image 5.23.1): gpg-made keys, signatures made by `skopeo standalone-sign` and
 * `skopeo copy --sign-by`, `dir:` images signed / unsigned / by the wrong key / for the wrong identity / over
 * another manifest. Each verdict and message must equal `skopeo --policy F copy dir:IMG dir:DST`
 * (`Source image rejected: <msg>`), and `--signatures DIR --manifest FILE docker://…` must decide as the dir: case.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeDirImage, makeTempDir, runSkopeo, skopeoAvailable, skopeoCopyVerdict, type DirImage } from "../harness/skopeo.js";
import { genKey, gnupgHome, skopeoSign, type TestKey } from "../verify/gpg-helpers.js";
import { expectGolden, runCli } from "./helpers.js";

const ci = process.env.CI === "true";
const hasGpg = fs.existsSync("/usr/bin/gpg");
const FIXTURES = "/usr/share/gocode/src/github.com/containers/image/signature/fixtures";

interface SimJson {
  ref: string;
  verdict: "allow" | "deny";
  upstreamError: string | null;
  reasons: string[];
  warnings: string[];
  signatures: null | {
    source: string;
    locations: string[];
    manifestDigest: string | null;
    requirements: { index: number; type: string; allowed: boolean; message: string | null; signatures: { index: number; accepted: boolean; reason?: string; claimedIdentity?: string; signer?: string }[] }[];
  };
}

function writeJson(value: unknown): string {
  const p = path.join(makeTempDir("policy-"), "policy.json");
  fs.writeFileSync(p, JSON.stringify(value));
  return p;
}

async function simulateJson(args: string[]): Promise<{ code: number; results: SimJson[]; stderr: string }> {
  const r = await runCli(["simulate", "--format", "json", "--target", "5.23", ...args]);
  if (r.code === 2) throw new Error(`simulate failed: ${r.stderr}`);
  return { code: r.code, results: JSON.parse(r.stdout) as SimJson[], stderr: r.stderr };
}

describe.skipIf((!skopeoAvailable() || !hasGpg) && !ci)("simulate with signatures from gpg and skopeo, vs skopeo copy", () => {
  let key: TestKey;
  let other: TestKey;
  let policyText: string;
  let policyFile: string;
  const images = new Map<string, DirImage>();

  beforeAll(async () => {
    key = genKey(gnupgHome(), "Simulate Signer <sim@example.com>");
    other = genKey(gnupgHome(), "Other Signer <other@example.com>");
    const signedBy = { type: "signedBy", keyType: "GPGKeys", keyPath: key.pubBinary, signedIdentity: { type: "exactReference", dockerReference: "example.com/app:v1" } };
    // The same requirement for dir: and docker:, so both decide (and word) the same signatures the same way.
    const policy = { default: [{ type: "reject" }], transports: { dir: { "": [signedBy] }, docker: { "": [signedBy] } } };
    policyText = JSON.stringify(policy);
    policyFile = writeJson(policy);

    const base = makeDirImage(makeTempDir("base-"));
    const sign = (k: TestKey, ref: string, manifest = base.manifest) => skopeoSign(k, manifest, ref);
    const withSigs = (...sigs: Buffer[]) => makeDirImage(makeTempDir("img-"), { signatures: sigs });
    const good = await sign(key, "example.com/app:v1");
    images.set("signed", withSigs(good));
    images.set("unsigned", withSigs());
    images.set("wrong key", withSigs(await sign(other, "example.com/app:v1")));
    images.set("wrong identity", withSigs(await sign(key, "example.com/other:v1")));
    images.set("bad then good", withSigs(await sign(key, "example.com/other:v1"), good));
    const another = makeDirImage(makeTempDir("another-"), { config: '{"another":true}' });
    images.set("signature over another manifest", withSigs(await sign(key, "example.com/app:v1", another.manifest)));
    // A signed image whose manifest was changed afterwards.
    const modified = withSigs(good);
    const m = JSON.parse(modified.manifest.toString("utf8")) as Record<string, unknown>;
    fs.writeFileSync(path.join(modified.dir, "manifest.json"), JSON.stringify({ ...m, annotations: { changed: "yes" } }, null, 3));
    images.set("modified manifest", { ...modified, manifest: fs.readFileSync(path.join(modified.dir, "manifest.json")) });

    // skopeo copy --sign-by writes the signature into the dir: destination itself.
    const acceptAll = writeJson({ default: [{ type: "insecureAcceptAnything" }] });
    const dst = path.join(makeTempDir("copied-"), "img");
    const copy = await runSkopeo(
      ["--policy", acceptAll, "copy", "--quiet", "--sign-by", key.fpr, "--sign-identity", "example.com/app:v1", `dir:${base.dir}`, `dir:${dst}`],
      { env: { GNUPGHOME: key.home } },
    );
    if (copy.code !== 0) throw new Error(`skopeo copy --sign-by failed: ${copy.stderr}`);
    images.set("skopeo copy --sign-by", { dir: dst, manifest: fs.readFileSync(path.join(dst, "manifest.json")), manifestDigest: "" });
  }, 120_000);

  const cases = ["signed", "unsigned", "wrong key", "wrong identity", "bad then good", "signature over another manifest", "modified manifest", "skopeo copy --sign-by"];

  it.each(cases)("dir: image, %s: simulate decides and words it as skopeo copy does", async (name) => {
    const img = images.get(name)!;
    const judge = await skopeoCopyVerdict(policyText, `dir:${img.dir}`);
    expect(judge.allowed, judge.stderr).not.toBeNull();
    const { code, results } = await simulateJson(["--policy", policyFile, `dir:${img.dir}`]);
    const [r] = results;
    expect({ allowed: r.verdict === "allow", message: r.upstreamError ?? undefined }).toEqual({ allowed: judge.allowed, message: judge.message });
    expect(code).toBe(judge.allowed ? 0 : 1);
    // The evidence is the image's own signature files, and the reasons agree with the verdict.
    expect(r.signatures?.source).toBe(`dir:${img.dir}`);
    expect(r.signatures?.requirements).toHaveLength(1);
    expect(r.signatures!.requirements[0].allowed).toBe(judge.allowed);
    if (!judge.allowed) expect(r.reasons.join("\n")).toContain(judge.message!);
    else expect(r.reasons).toContain("every requirement accepted the image");
  });

  it.each(cases)("--signatures DIR --manifest FILE docker://…, %s: the same decision as the dir: image", async (name) => {
    const img = images.get(name)!;
    const dir = (await simulateJson(["--policy", policyFile, `dir:${img.dir}`])).results[0];
    const { results } = await simulateJson(["--policy", policyFile, "--manifest", path.join(img.dir, "manifest.json"), "--signatures", img.dir, "docker://example.com/app:v1"]);
    const [r] = results;
    expect([r.verdict, r.upstreamError]).toEqual([dir.verdict, dir.upstreamError]);
    expect(r.signatures?.source).toBe(`dir:${img.dir}`);
    expect(r.signatures?.requirements.map((q) => q.signatures)).toEqual(dir.signatures?.requirements.map((q) => q.signatures));
  });

  it("per-signature checks: claimed identity, signer, which was accepted and why the others were rejected", async () => {
    const img = images.get("bad then good")!;
    const { results } = await simulateJson(["--policy", policyFile, `dir:${img.dir}`]);
    const checks = results[0].signatures!.requirements[0].signatures;
    expect(checks).toEqual([
      { index: 0, accepted: false, reason: "Signature for identity example.com/other:v1 is not accepted", claimedIdentity: "example.com/other:v1", signer: key.fpr },
      { index: 1, accepted: true, claimedIdentity: "example.com/app:v1", signer: key.fpr },
    ]);
    const text = await runCli(["simulate", "--target", "5.23", "--policy", policyFile, `dir:${img.dir}`]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`    signature 1: rejected: Signature for identity example.com/other:v1 is not accepted (claims example.com/other:v1, signed by ${key.fpr})\n`);
    expect(text.stdout).toContain(`    signature 2: accepted (claims example.com/app:v1, signed by ${key.fpr})\n`);
  });

  it("--no-signatures decides as before evidence existed: every signature requirement denies", async () => {
    const img = images.get("signed")!;
    const { code, results } = await simulateJson(["--policy", policyFile, "--no-signatures", `dir:${img.dir}`]);
    expect(code).toBe(1);
    expect(results[0]).toMatchObject({ verdict: "deny", upstreamError: "A signature was required, but no signature exists", signatures: null });
  });

  it("docker:// references read no signatures unless asked (no network by default)", async () => {
    const img = images.get("signed")!;
    const { results } = await simulateJson(["--policy", policyFile, "--manifest", path.join(img.dir, "manifest.json"), "docker://example.com/app:v1"]);
    expect(results[0]).toMatchObject({ verdict: "deny", upstreamError: "A signature was required, but no signature exists", signatures: null });
  });

  it("--lookaside: a file:// lookaside configured in registries.d is read at the manifest's digest", async () => {
    const img = images.get("bad then good")!;
    const root = makeTempDir("lookaside-");
    const regd = path.join(root, "registries.d");
    fs.mkdirSync(regd);
    fs.writeFileSync(path.join(regd, "example.yaml"), `docker:\n  example.com:\n    lookaside: file://${root}/store\n`);
    const digest = (await simulateJson(["--policy", policyFile, `dir:${img.dir}`])).results[0].signatures!.manifestDigest!;
    const sigDir = path.join(root, "store", `app@${digest.replace(":", "=")}`);
    fs.mkdirSync(sigDir, { recursive: true });
    fs.copyFileSync(path.join(img.dir, "signature-1"), path.join(sigDir, "signature-1"));
    fs.copyFileSync(path.join(img.dir, "signature-2"), path.join(sigDir, "signature-2"));
    const args = ["--policy", policyFile, "--registries-d", regd, "--manifest", path.join(img.dir, "manifest.json"), "docker://example.com/app:v1"];
    const { code, results } = await simulateJson(["--lookaside", ...args]);
    expect(code).toBe(0);
    expect(results[0].signatures).toMatchObject({ source: "lookaside", locations: [`file://${sigDir}/signature-1`, `file://${sigDir}/signature-2`] });
    expect(results[0].signatures!.requirements[0].signatures.map((c) => c.accepted)).toEqual([false, true]);
    // Without the flag the lookaside is not read.
    expect((await simulateJson(args)).results[0]).toMatchObject({ verdict: "deny", signatures: null });
  });

  it("--lookaside over http://: signatures served by a local server; a failing server denies even an accept-anything policy", async () => {
    const img = images.get("bad then good")!;
    const digest = (await simulateJson(["--policy", policyFile, `dir:${img.dir}`])).results[0].signatures!.manifestDigest!;
    const prefix = `/store/app@${digest.replace(":", "=")}/`;
    let fail = false;
    const server = http.createServer((req, res) => {
      const name = req.url?.startsWith(prefix) ? req.url.slice(prefix.length) : "";
      const file = path.join(img.dir, name);
      if (fail) res.writeHead(500).end("broken");
      else if (/^signature-\d+$/.test(name) && fs.existsSync(file)) res.writeHead(200).end(fs.readFileSync(file));
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const port = (server.address() as AddressInfo).port;
      const regd = path.join(makeTempDir("regd-"), "registries.d");
      fs.mkdirSync(regd);
      fs.writeFileSync(path.join(regd, "example.yaml"), `docker:\n  example.com:\n    lookaside: http://127.0.0.1:${port}/store\n`);
      const args = ["--registries-d", regd, "--lookaside", "--manifest", path.join(img.dir, "manifest.json"), "docker://example.com/app:v1"];
      const ok = await simulateJson(["--policy", policyFile, ...args]);
      expect(ok.code).toBe(0);
      expect(ok.results[0].signatures).toMatchObject({ source: "lookaside", locations: [1, 2].map((i) => `http://127.0.0.1:${port}${prefix}signature-${i}`) });
      expect(ok.results[0].signatures!.requirements[0].signatures.map((c) => c.accepted)).toEqual([false, true]);
      fail = true;
      const acceptAll = writeJson({ default: [{ type: "insecureAcceptAnything" }] });
      const bad = await simulateJson(["--policy", acceptAll, ...args]);
      expect(bad.code).toBe(1);
      const r = bad.results[0];
      expect(r.verdict).toBe("deny");
      expect(r.upstreamError).toMatch(/^reading signatures: .*500/);
      expect(r.reasons).toContain(`the requirements accepted the image, but the pull fails: ${r.upstreamError}`);
      expect(r.signatures!.requirements).toEqual([]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it("a bare name is decided without the evidence, and says so", async () => {
    const img = images.get("signed")!;
    const { results } = await simulateJson(["--policy", policyFile, "--signatures", img.dir, "example.com/app:v1"]);
    expect(results[0]).toMatchObject({ verdict: "deny", signatures: null });
    expect(results[0].warnings.join("\n")).toContain("signatures are read only for transport:reference inputs");
  });

  it("several references: the table, then each reference's signatures", async () => {
    const refs = ["signed", "wrong key"].map((n) => `dir:${images.get(n)!.dir}`);
    const r = await runCli(["simulate", "--policy", policyFile, ...refs]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("1 allowed, 1 denied");
    expect(r.stdout).toContain(`${refs[0]}:\n  signatures read: ${refs[0]} (`);
    expect(r.stdout).toMatch(/signature 1: rejected: Invalid GPG signature: .*\n/);
  });
});

describe.skipIf(!fs.existsSync(path.join(FIXTURES, "dir-img-valid")) && !ci)("simulate on upstream's signed fixtures", () => {
  const policy = (keyFile: string) => ({
    default: [{ type: "reject" }],
    transports: {
      dir: { "": [{ type: "signedBy", keyType: "GPGKeys", keyPath: `${FIXTURES}/${keyFile}`, signedIdentity: { type: "exactRepository", dockerRepository: "testing/manifest" } }] },
    },
  });
  const fixtures = ["dir-img-valid", "dir-img-valid-2", "dir-img-mixed", "dir-img-modified-manifest", "dir-img-unsigned", "dir-img-no-manifest", "dir-img-manifest-digest-error"];

  it.skipIf(!skopeoAvailable() && !ci).each(fixtures)("%s with public-key.gpg: the verdict and message skopeo gives", async (name) => {
    const text = JSON.stringify(policy("public-key.gpg"));
    const judge = await skopeoCopyVerdict(text, `dir:${FIXTURES}/${name}`);
    const { results } = await simulateJson(["--policy", writeJson(policy("public-key.gpg")), `dir:${FIXTURES}/${name}`]);
    if (judge.allowed === null) {
      // skopeo failed outside the policy (e.g. no manifest to copy): the policy decision itself is not comparable.
      expect(judge.message).toBeDefined();
      return;
    }
    expect({ allowed: results[0].verdict === "allow", message: results[0].upstreamError ?? undefined }).toEqual({ allowed: judge.allowed, message: judge.message });
  });

  it("dir-img-valid: text and JSON evidence (golden), accepted with its key, rejected with another", async () => {
    const ok = await runCli(["simulate", "--policy", writeJson(policy("public-key.gpg")), `dir:${FIXTURES}/dir-img-valid`]);
    expect(ok.code, ok.stderr).toBe(0);
    expectGolden("cli/simulate-evidence/dir-img-valid.txt", ok.stdout);
    const bad = await simulateJson(["--policy", writeJson(policy("public-key-2.gpg")), `dir:${FIXTURES}/dir-img-valid`]);
    expect(bad.code).toBe(1);
    expectGolden("cli/simulate-evidence/dir-img-valid-other-key.json", JSON.stringify(bad.results[0].signatures, null, 2) + "\n");
    expect(bad.results[0].signatures!.requirements[0].signatures[0]).toMatchObject({ accepted: false });
  });

  it("dir-img-mixed: several signatures in the text output (golden)", async () => {
    const r = await runCli(["simulate", "--policy", writeJson(policy("public-key.gpg")), `dir:${FIXTURES}/dir-img-mixed`]);
    expect(r.code).toBe(0);
    expectGolden("cli/simulate-evidence/dir-img-mixed.txt", r.stdout);
  });

  it("usage: --signatures with --online, --no-signatures with --lookaside, a bad --tls-verify", async () => {
    const p = writeJson(policy("public-key.gpg"));
    for (const extra of [["--signatures", FIXTURES, "--online"], ["--no-signatures", "--lookaside"], ["--tls-verify", "maybe"]]) {
      const r = await runCli(["simulate", "--policy", p, ...extra, "docker://example.com/app:v1"]);
      expect(r.code, extra.join(" ")).toBe(2);
      expect(r.stderr).toContain("error: ");
    }
  });

  it("--help documents the evidence options", async () => {
    const r = await runCli(["simulate", "--help"]);
    for (const flag of ["--signatures <dir>", "--no-signatures", "--lookaside", "--online", "Signature evidence"]) expect(r.stdout).toContain(flag);
  });
});
