#!/usr/bin/env node
// Benchmark (issue: verify): verify 1,000 GPG simple-signing and 1,000 sigstore signatures from local files.
//
// Ours: the library's signedBy / sigstoreSigned evaluation (src/verify, compiled into bench/out/verify/dist),
// one signature per evaluation, key material imported once per requirement as the library caches it.
// Theirs, measured in the same run on the same evidence: skopeo 1.9.3 (containers/image 5.23.1 + gpgme)
//   (a) `skopeo standalone-verify` per GPG signature (a sample of SKOPEO_SAMPLE processes), and
//   (b) one `skopeo copy` of a dir: image carrying all N GPG signatures, the valid one last, so the policy
//       check verifies every signature in one process.
// Debian's skopeo rejects every sigstore signature without verifying it (a local patch), so for sigstore the
// comparison is `openssl dgst -sha256 -verify` per signature on a sample (process cost included, as for skopeo).
//
// Env: N (default 1000), SKOPEO_SAMPLE (default 50). Usage: node bench/verify.mjs
import { execFileSync, spawnSync } from "node:child_process";
import { createHash, generateKeyPairSync, sign as cryptoSign } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoDir = dirname(benchDir);
const N = Number(process.env.N ?? 1000);
const SAMPLE = Math.min(N, Number(process.env.SKOPEO_SAMPLE ?? 50));
const outDir = join(repoDir, "bench", "out", "verify");
const dist = join(outDir, "dist");
mkdirSync(outDir, { recursive: true });

// Compile only what verification needs (other modules may be mid-edit).
execFileSync(
  join(repoDir, "node_modules", ".bin", "tsc"),
  ["--outDir", dist, "--rootDir", join(repoDir, "src"), "--module", "NodeNext", "--moduleResolution", "NodeNext", "--target", "ES2022",
   "--strict", "--skipLibCheck", "--esModuleInterop", "--types", "node", "--lib", "ES2023",
   join(repoDir, "src", "verify", "signed-by.ts"), join(repoDir, "src", "verify", "sigstore.ts"), join(repoDir, "src", "verify", "stored-signature.ts")],
  { stdio: "inherit" },
);
const lib = (p) => import(pathToFileURL(join(dist, "verify", p)).href);
const { evaluateSignedBy } = await lib("signed-by.js");
const { evaluateSigstoreSigned } = await lib("sigstore.js");
const { signatureFromBlob } = await lib("stored-signature.js");
const openpgp = await import("openpgp");

const work = mkdtempSync(join(tmpdir(), "imagetrust-bench-verify-"));
process.on("exit", () => {
  spawnSync("gpgconf", ["--homedir", join(work, "gnupg"), "--kill", "gpg-agent"], { stdio: "ignore" });
  rmSync(work, { recursive: true, force: true });
});
const sha256 = (b) => createHash("sha256").update(b).digest("hex");

// ------------------------------------------------------------------ evidence
const config = Buffer.from("{}");
const layer = Buffer.alloc(32);
const manifest = Buffer.from(JSON.stringify({
  schemaVersion: 2,
  mediaType: "application/vnd.docker.distribution.manifest.v2+json",
  config: { mediaType: "application/vnd.docker.container.image.v1+json", size: config.length, digest: `sha256:${sha256(config)}` },
  layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: layer.length, digest: `sha256:${sha256(layer)}` }],
}, null, 3));
const digest = `sha256:${sha256(manifest)}`;
const payload = (type, i) => Buffer.from(JSON.stringify({
  critical: { type, image: { "docker-manifest-digest": digest }, identity: { "docker-reference": `example.com/bench/app:v${i}` } },
  optional: { creator: "bench", timestamp: 1700000000 + i },
}));

// GPG: one RSA-3072 key (gpg's default), N signatures made with gpg itself (batched through one --sign per payload
// would be N processes; openpgp.js makes the same OpenPGP signed messages).
const gnupg = join(work, "gnupg");
mkdirSync(gnupg);
chmodSync(gnupg, 0o700);
const gpg = (args, input) => execFileSync("gpg", ["--batch", "--quiet", "--homedir", gnupg, ...args], { input, env: { ...process.env, TZ: "UTC" } });
gpg(["--passphrase", "", "--pinentry-mode", "loopback", "--quick-gen-key", "Bench <bench@example.com>", "rsa3072", "sign", "never"]);
const fpr = gpg(["--with-colons", "--list-keys"]).toString().split("\n").find((l) => l.startsWith("fpr:")).split(":")[9];
const pubKey = join(work, "pub.gpg");
gpg(["--output", pubKey, "--export", fpr]);
const secret = await openpgp.readPrivateKey({ binaryKey: gpg(["--passphrase", "", "--pinentry-mode", "loopback", "--export-secret-keys", fpr]) });
const t0 = performance.now();
const gpgSigs = [];
for (let i = 0; i < N; i++) {
  const message = await openpgp.createMessage({ binary: payload("atomic container signature", i) });
  gpgSigs.push(Buffer.from(await openpgp.sign({ message, signingKeys: secret, format: "binary", config: { preferredCompressionAlgorithm: openpgp.enums.compression.zip } })));
}
console.error(`made ${N} GPG signatures in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// Sigstore: one ECDSA P-256 key (cosign's default), N cosign-format signatures.
const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const cosignPub = join(work, "cosign.pub");
writeFileSync(cosignPub, publicKey.export({ type: "spki", format: "pem" }));
const sigstoreBlobs = [];
for (let i = 0; i < N; i++) {
  const p = payload("cosign container image signature", i);
  const s = cryptoSign("sha256", p, privateKey);
  sigstoreBlobs.push({ payload: p, sig: s, blob: Buffer.concat([Buffer.from("\x00sigstore-json\n"), Buffer.from(JSON.stringify({
    mimeType: "application/vnd.dev.cosign.simplesigning.v1+json", payload: p.toString("base64"), annotations: { "dev.cosignproject.cosign/signature": s.toString("base64") },
  }))]) });
}

// ------------------------------------------------------------------ ours
const image = { manifest: { ok: true, bytes: manifest }, target: [5, 23, 1] };
const identity = { type: "exactRepository", dockerRepository: "example.com/bench/app" };
const signedBy = { type: "signedBy", keyType: "GPGKeys", keyPath: pubKey, signedIdentity: identity };
const sigstoreReq = { type: "sigstoreSigned", keyPath: cosignPub, signedIdentity: identity };

async function timeOurs(n, fn) {
  const start = performance.now();
  let accepted = 0;
  for (let i = 0; i < n; i++) if ((await fn(i)).allowed) accepted++;
  const s = (performance.now() - start) / 1000;
  return { rate: n / s, seconds: s, accepted };
}
const ctx = { keyringCache: new Map(), readFile: (p) => readFileSync(p) };
const gpgParsed = gpgSigs.map((b) => signatureFromBlob(b).signature);
const oursGpg = await timeOurs(N, (i) => evaluateSignedBy(signedBy, image, [gpgParsed[i]], ctx));
const sctx = { trustRootCache: new Map(), readFile: (p) => readFileSync(p) };
const sigstoreParsed = sigstoreBlobs.map((s) => signatureFromBlob(s.blob).signature);
const oursSigstore = await timeOurs(N, (i) => evaluateSigstoreSigned(sigstoreReq, image, [sigstoreParsed[i]], sctx));

// ------------------------------------------------------------------ theirs
const home = join(work, "home");
mkdirSync(home);
const skopeoEnv = { ...process.env, TZ: "UTC", HOME: home, GNUPGHOME: gnupg };
const manifestFile = join(work, "manifest.json");
writeFileSync(manifestFile, manifest);
let standalone = null;
if (spawnSync("skopeo", ["--version"]).status === 0) {
  const start = performance.now();
  let ok = 0;
  for (let i = 0; i < SAMPLE; i++) {
    const f = join(work, `sig-${i}`);
    writeFileSync(f, gpgSigs[i]);
    const r = spawnSync("skopeo", ["standalone-verify", manifestFile, `example.com/bench/app:v${i}`, fpr, f], { env: skopeoEnv });
    if (r.status === 0) ok++;
  }
  const s = (performance.now() - start) / 1000;
  standalone = { rate: SAMPLE / s, ok };
}
// One copy with all N signatures, only the last one acceptable (exactReference), so every signature is verified.
let copy = null;
if (spawnSync("skopeo", ["--version"]).status === 0) {
  const dir = join(work, "img");
  mkdirSync(dir);
  writeFileSync(join(dir, "version"), "Directory Transport Version: 1.1\n");
  writeFileSync(join(dir, "manifest.json"), manifest);
  writeFileSync(join(dir, sha256(config)), config);
  writeFileSync(join(dir, sha256(layer)), layer);
  gpgSigs.forEach((s, i) => writeFileSync(join(dir, `signature-${i + 1}`), s));
  const policy = join(work, "policy.json");
  writeFileSync(policy, JSON.stringify({ default: [{ ...signedBy, signedIdentity: { type: "exactReference", dockerReference: `example.com/bench/app:v${N - 1}` } }] }));
  const rc = join(work, "registries.conf");
  writeFileSync(rc, "");
  const start = performance.now();
  const r = spawnSync("skopeo", ["--policy", policy, "--registries-conf", rc, "copy", "--quiet", `dir:${dir}`, `dir:${join(work, "dst")}`], { env: skopeoEnv });
  const s = (performance.now() - start) / 1000;
  copy = { rate: N / s, ok: r.status === 0, seconds: s };
  // Ours on the same image, whole-image evaluation as the copy does it.
  const all = gpgParsed;
  const start2 = performance.now();
  const v = await evaluateSignedBy({ ...signedBy, signedIdentity: { type: "exactReference", dockerReference: `example.com/bench/app:v${N - 1}` } }, image, all, { keyringCache: new Map() });
  copy.ours = { rate: N / ((performance.now() - start2) / 1000), ok: v.allowed };
}
let openssl = null;
if (spawnSync("openssl", ["version"]).status === 0) {
  const start = performance.now();
  let ok = 0;
  for (let i = 0; i < SAMPLE; i++) {
    const p = join(work, `p-${i}`), s = join(work, `s-${i}`);
    writeFileSync(p, sigstoreBlobs[i].payload);
    writeFileSync(s, sigstoreBlobs[i].sig);
    if (spawnSync("openssl", ["dgst", "-sha256", "-verify", cosignPub, "-signature", s, p]).status === 0) ok++;
  }
  openssl = { rate: SAMPLE / ((performance.now() - start) / 1000), ok };
}

const f = (x) => (x === null ? "n/a" : `${x.toFixed(0)} sig/s`);
console.log(`verify benchmark: ${N} GPG (RSA-3072) and ${N} sigstore (ECDSA P-256) signatures, local files`);
console.log(`GPG      ours, one signature per evaluation:          ${f(oursGpg.rate)}   (${oursGpg.accepted}/${N} accepted)`);
console.log(`GPG      skopeo standalone-verify (per process, ${SAMPLE}): ${f(standalone?.rate ?? null)}   (${standalone?.ok ?? 0}/${SAMPLE} verified)`);
if (copy) {
  console.log(`GPG      skopeo copy, ${N} signatures in one image:   ${f(copy.rate)}   (allowed: ${copy.ok}, ${copy.seconds.toFixed(2)} s incl. process start)`);
  console.log(`GPG      ours, same image, one evaluation:            ${f(copy.ours.rate)}   (allowed: ${copy.ours.ok})`);
}
console.log(`sigstore ours, one signature per evaluation:          ${f(oursSigstore.rate)}   (${oursSigstore.accepted}/${N} accepted)`);
console.log(`sigstore skopeo: n/a (Debian's 5.23.1 rejects every sigstore signature unverified); openssl dgst -verify per process (${SAMPLE}): ${f(openssl?.rate ?? null)} (${openssl?.ok ?? 0}/${SAMPLE})`);
