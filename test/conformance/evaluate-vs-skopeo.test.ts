/**
 * The Go harness's `evaluate` (in-memory source, and the transport's own
 * source) decides exactly as `skopeo copy` does, on generated policies over
 * dir: images, unsigned and GPG-signed: the simulator's differential tests rely
 * on the in-memory source standing in for the real one.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGoHarness, GO_BUILD_TIMEOUT_MS, goEvaluate, goHarnessAvailable } from "../harness/go-harness.js";
import {
  type DirImage,
  makeDirImage,
  skopeoAvailable,
  skopeoCopyVerdict,
  skopeoStandaloneSign,
  TEST_PUBLIC_KEY,
  UPSTREAM_SIGNATURE_FIXTURES,
} from "../harness/skopeo.js";

const ci = process.env.CI === "true";

/** Small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.skipIf(!ci && (!goHarnessAvailable() || !skopeoAvailable()))("Go evaluate vs skopeo copy", () => {
  let root = "";
  let images: { img: DirImage; signatures: Buffer[] }[] = [];
  beforeAll(async () => {
    await buildGoHarness();
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "imagetrust-eval-vs-skopeo-")));
    const unsigned = makeDirImage(path.join(root, "a/unsigned"));
    const sig = await skopeoStandaloneSign(unsigned.manifest, "example.com/app:v1");
    const other = await skopeoStandaloneSign(unsigned.manifest, "example.com/other:v1");
    images = [
      { img: unsigned, signatures: [] },
      { img: makeDirImage(path.join(root, "a/b/signed"), { signatures: [sig] }), signatures: [sig] },
      { img: makeDirImage(path.join(root, "a/b/c/two"), { signatures: [other, sig] }), signatures: [other, sig] },
      { img: makeDirImage(path.join(root, "d/garbage"), { signatures: [Buffer.from("garbage")] }), signatures: [Buffer.from("garbage")] },
    ];
  }, GO_BUILD_TIMEOUT_MS);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("agrees on verdict and message for generated policies", async () => {
    const rnd = prng(523);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
    const requirement = (): object =>
      pick([
        { type: "insecureAcceptAnything" },
        { type: "reject" },
        { type: "signedBaseLayer", baseLayerIdentity: { type: "matchRepository" } },
        { type: "signedBy", keyType: "GPGKeys", keyPath: TEST_PUBLIC_KEY, signedIdentity: { type: "exactReference", dockerReference: "example.com/app:v1" } },
        { type: "signedBy", keyType: "GPGKeys", keyPath: TEST_PUBLIC_KEY, signedIdentity: { type: "exactRepository", dockerRepository: "example.com/other" } },
        { type: "signedBy", keyType: "GPGKeys", keyPath: TEST_PUBLIC_KEY },
        { type: "signedBy", keyType: "GPGKeys", keyPath: path.join(UPSTREAM_SIGNATURE_FIXTURES, "public-key-2.gpg"), signedIdentity: { type: "exactReference", dockerReference: "example.com/app:v1" } },
        { type: "signedBy", keyType: "GPGKeys", keyData: "" },
      ]);
    const scopes = ["", root, `${root}/a`, `${root}/a/b`, `${root}/a/b/signed`, `${root}/a/b/c`, `${root}/d`, `${root}/a/unsigned`];
    const policies: string[] = [];
    for (let i = 0; i < 30; i++) {
      const dir: Record<string, object[]> = {};
      for (const s of scopes) if (rnd() < 0.35) dir[s] = Array.from({ length: 1 + Math.floor(rnd() * 2) }, requirement);
      policies.push(JSON.stringify({ default: [requirement()], transports: rnd() < 0.9 ? { dir } : {} }));
    }

    const mismatches: unknown[] = [];
    let allowed = 0;
    let total = 0;
    for (const policy of policies) {
      const cases = images.flatMap(({ img, signatures }) => [
        { reference: `dir:${img.dir}`, manifest: img.manifest.toString("base64"), signatures: signatures.map((s) => s.toString("base64")) },
        { reference: `dir:${img.dir}`, realSource: true },
      ]);
      const [go, sk] = await Promise.all([
        goEvaluate(policy, cases),
        Promise.all(images.map(({ img }) => skopeoCopyVerdict(policy, `dir:${img.dir}`))),
      ]);
      images.forEach(({ img }, i) => {
        total++;
        // The policy allowed the image, then copying its (garbage) signatures failed.
        const copyFailedAfterPolicy = sk[i].allowed === null && sk[i].message?.startsWith("reading signatures: ");
        const theirs = copyFailedAfterPolicy ? { allowed: true, message: undefined } : { allowed: sk[i].allowed, message: sk[i].message };
        if (theirs.allowed) allowed++;
        // A blob that is no stored signature at all: the public ImageSource API
        // hands it to gpgme as simple signing ("No data"), while the dir:
        // transport refuses to parse it; only the real source can agree there.
        const garbage = img.dir.endsWith("/garbage");
        for (const mine of garbage ? [go.cases[2 * i + 1]] : [go.cases[2 * i], go.cases[2 * i + 1]]) {
          const got = { allowed: mine.allowed, message: mine.error };
          if (JSON.stringify(got) !== JSON.stringify(theirs)) mismatches.push({ policy, image: img.dir, go: got, skopeo: theirs });
        }
      });
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
    // Both outcomes are well represented.
    expect(allowed).toBeGreaterThan(total / 10);
    expect(total - allowed).toBeGreaterThan(total / 10);
  }, 300_000);

  it("documents where the in-memory source differs: blobs that are no stored signature", async () => {
    const { img } = images[3];
    const policy = JSON.stringify({ default: [{ type: "signedBy", keyType: "GPGKeys", keyPath: TEST_PUBLIC_KEY }] });
    const go = await goEvaluate(policy, [
      { reference: `dir:${img.dir}`, manifest: img.manifest.toString("base64"), signatures: [Buffer.from("garbage").toString("base64")] },
      { reference: `dir:${img.dir}`, realSource: true },
    ]);
    const sk = await skopeoCopyVerdict(policy, `dir:${img.dir}`);
    const refused = `parsing signature "${img.dir}/signature-1": unrecognized signature format, starting with binary 0x67`;
    expect(sk).toMatchObject({ allowed: false, message: refused });
    expect(go.cases[1]).toMatchObject({ allowed: false, error: refused });
    expect(go.cases[0].allowed).toBe(false);
    expect(go.cases[0].error).not.toBe(refused);
  });
});
