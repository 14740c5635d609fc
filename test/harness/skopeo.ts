/**
 * skopeo 1.9.3 (containers/image 5.23.1) as a judge for differential tests:
 * policy parsing and pull decisions through `skopeo copy`, tiny `dir:` images,
 * and a throwaway local registry (Debian's docker-registry) on 127.0.0.1.
 *
 * See test/harness/README.md.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll } from "vitest";
import { goUnquote, parseLogrusLine } from "./go-unquote.js";

let skopeoCache: boolean | undefined;

/** True when the skopeo binary runs. */
export function skopeoAvailable(): boolean {
  skopeoCache ??= spawnSync("skopeo", ["--version"], { stdio: "ignore" }).status === 0;
  return skopeoCache;
}

let registryCache: boolean | undefined;

/** True when Debian's docker-registry binary is installed. */
export function registryAvailable(): boolean {
  registryCache ??= fs.existsSync("/usr/bin/docker-registry") || spawnSync("which", ["docker-registry"]).status === 0;
  return registryCache;
}

// ---------------------------------------------------------------- temp files

let scratchRoot: string | undefined;
const liveRegistries = new Set<ChildProcess>();

/**
 * Stops the gpg-agent of {@link makeGnupgHome} and removes the scratch
 * directory. Runs after the importing test file (vitest kills its workers
 * without an "exit" event) and at process exit.
 */
export function cleanupSkopeoScratch(): void {
  // Registries a test forgot to stop would outlive the killed worker.
  for (const child of liveRegistries) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  liveRegistries.clear();
  if (gnupgHome) {
    spawnSync("gpgconf", ["--homedir", gnupgHome, "--kill", "gpg-agent"], { stdio: "ignore" });
    gnupgHome = undefined;
  }
  if (scratchRoot) {
    fs.rmSync(scratchRoot, { recursive: true, force: true });
    scratchRoot = undefined;
  }
  sharedSource = undefined;
}

process.once("exit", cleanupSkopeoScratch);
try {
  afterAll(cleanupSkopeoScratch);
} catch {
  // Imported outside a vitest test file: the exit handler is all there is.
}

/** A per-test-file scratch directory (see {@link cleanupSkopeoScratch}). */
function scratch(): string {
  scratchRoot ??= fs.mkdtempSync(path.join(os.tmpdir(), "imagetrust-skopeo-"));
  return scratchRoot;
}

/** Makes a fresh temporary directory under the scratch root (removed after the test file). */
export function makeTempDir(prefix = "t-"): string {
  return fs.mkdtempSync(path.join(scratch(), prefix));
}

/** A HOME for skopeo with nothing in it, so ~/.config/containers is not read. */
function emptyHome(): string {
  const home = path.join(scratch(), "home");
  fs.mkdirSync(home, { recursive: true });
  return home;
}

/** An empty registries.conf, so the machine's /etc/containers/registries.conf is not read. */
function emptyRegistriesConf(): string {
  const p = path.join(scratch(), "empty-registries.conf");
  if (!fs.existsSync(p)) fs.writeFileSync(p, "");
  return p;
}

// ---------------------------------------------------------------- dir: images

const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

/** Options for {@link makeDirImage}. */
export interface DirImageOptions {
  /** Config blob (default `{}`). */
  config?: string | Buffer;
  /** Layer blobs (default: one gzip of an empty tar archive). */
  layers?: Buffer[];
  /** Signature blobs written as signature-1, signature-2, … */
  signatures?: Buffer[];
  /** Replaces the generated manifest.json text entirely. */
  manifest?: string;
}

/** What {@link makeDirImage} wrote. */
export interface DirImage {
  dir: string;
  /** The manifest.json bytes. */
  manifest: Buffer;
  /** "sha256:…" of manifest.json (what signatures must name). */
  manifestDigest: string;
}

/** A gzip-compressed empty tar archive, a valid minimal layer. */
export function emptyLayer(): Buffer {
  return gzipSync(Buffer.alloc(1024), { level: 9 });
}

/**
 * Writes a tiny valid `dir:` image: `version`, a schema2 `manifest.json`, the
 * config blob and layer blobs named by their hex digests, and any signatures.
 */
export function makeDirImage(dir: string, opts: DirImageOptions = {}): DirImage {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "version"), "Directory Transport Version: 1.1\n");
  const config = Buffer.from(opts.config ?? "{}");
  const layers = opts.layers ?? [emptyLayer()];
  fs.writeFileSync(path.join(dir, sha256(config)), config);
  for (const l of layers) fs.writeFileSync(path.join(dir, sha256(l)), l);
  const manifestText =
    opts.manifest ??
    JSON.stringify(
      {
        schemaVersion: 2,
        mediaType: "application/vnd.docker.distribution.manifest.v2+json",
        config: {
          mediaType: "application/vnd.docker.container.image.v1+json",
          size: config.length,
          digest: `sha256:${sha256(config)}`,
        },
        layers: layers.map((l) => ({
          mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip",
          size: l.length,
          digest: `sha256:${sha256(l)}`,
        })),
      },
      null,
      3,
    );
  const manifest = Buffer.from(manifestText);
  fs.writeFileSync(path.join(dir, "manifest.json"), manifest);
  (opts.signatures ?? []).forEach((s, i) => fs.writeFileSync(path.join(dir, `signature-${i + 1}`), s));
  return { dir, manifest, manifestDigest: `sha256:${sha256(manifest)}` };
}

let sharedSource: DirImage | undefined;

/** One unsigned `dir:` image per process, used as a source by the parse judge. */
function sharedSourceImage(): DirImage {
  sharedSource ??= makeDirImage(path.join(scratch(), "source-image"));
  return sharedSource;
}

// ---------------------------------------------------------------- running skopeo

/** Upper bound of skopeo processes one test worker runs at once. */
export const SKOPEO_CONCURRENCY = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function limited<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= SKOPEO_CONCURRENCY) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Result of one skopeo run. */
export interface SkopeoRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** msg of the `level=fatal` logrus line, unquoted, if any. */
  fatal?: string;
}

/** Environment for skopeo: UTC, an empty HOME, no XDG overrides. */
function skopeoEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TZ: "UTC", HOME: emptyHome(), ...extra };
  delete env.XDG_CONFIG_HOME;
  delete env.XDG_RUNTIME_DIR;
  delete env.REGISTRIES_CONFIG_PATH;
  delete env.CONTAINERS_REGISTRIES_CONF;
  return env;
}

/**
 * Runs skopeo with the given arguments (limited concurrency, no stdin) and
 * extracts the fatal log message.
 */
export function runSkopeo(args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<SkopeoRun> {
  return limited(
    () =>
      new Promise<SkopeoRun>((resolve, reject) => {
        const child = spawn("skopeo", args, { env: skopeoEnv(opts.env), stdio: ["ignore", "pipe", "pipe"] });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 120_000);
        child.stdout.on("data", (b: Buffer) => out.push(b));
        child.stderr.on("data", (b: Buffer) => err.push(b));
        child.on("error", (e) => {
          clearTimeout(timer);
          reject(e);
        });
        child.on("close", (code) => {
          clearTimeout(timer);
          const stderr = Buffer.concat(err).toString("utf8");
          resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr, fatal: fatalMessage(stderr) });
        });
      }),
  );
}

/** The unquoted msg of the last `level=fatal` line of logrus output. */
export function fatalMessage(stderr: string): string | undefined {
  let msg: string | undefined;
  for (const line of stderr.split("\n")) {
    if (!line.includes("level=fatal")) continue;
    const fields = parseLogrusLine(line);
    if (fields?.level === "fatal" && fields.msg !== undefined) msg = fields.msg;
  }
  return msg;
}

/** skopeo's verdict on a policy text. */
export interface SkopeoParseVerdict {
  ok: boolean;
  /** The parser's message (after `invalid policy in "F": `) when not ok. */
  message?: string;
}

/** Thrown when skopeo failed in a way the harness cannot interpret. */
export class SkopeoError extends Error {
  override name = "SkopeoError";
}

function writePolicy(policyText: string): string {
  const dir = makeTempDir("policy-");
  const file = path.join(dir, "policy.json");
  fs.writeFileSync(file, policyText);
  return file;
}

/**
 * Judges a policy.json text with `skopeo --policy F copy --quiet dir:SRC
 * dir:DST`: a rejected policy ends with `Error loading trust policy: invalid
 * policy in "F": <message>`; anything else means the policy parsed.
 */
export async function skopeoParsePolicy(policyText: string): Promise<SkopeoParseVerdict> {
  const file = writePolicy(policyText);
  const src = sharedSourceImage();
  const dst = path.join(path.dirname(file), "dst");
  try {
    const run = await runSkopeo([
      "--policy",
      file,
      "--registries-conf",
      emptyRegistriesConf(),
      "copy",
      "--quiet",
      `dir:${src.dir}`,
      `dir:${dst}`,
    ]);
    const prefix = `Error loading trust policy: invalid policy in ${JSON.stringify(file)}: `;
    if (run.fatal?.startsWith(prefix)) return { ok: false, message: run.fatal.slice(prefix.length) };
    if (run.fatal?.startsWith("Error loading trust policy")) {
      throw new SkopeoError(`unexpected policy error: ${run.fatal}`);
    }
    if (run.code !== 0 && !run.fatal?.startsWith("Source image rejected: ")) {
      throw new SkopeoError(`skopeo copy failed (exit ${run.code}): ${run.stderr}`);
    }
    return { ok: true };
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

/** Options for {@link skopeoCopyVerdict}. */
export interface SkopeoCopyOptions {
  /** registries.d directory (`--registries.d`). */
  registriesD?: string;
  /** registries.conf file (`--registries-conf`); default: an empty file. */
  registriesConf?: string;
  /** For docker:// sources: `--src-tls-verify` (default true; false for a local registry). */
  srcTlsVerify?: boolean;
  /** Extra environment, e.g. GNUPGHOME. */
  env?: NodeJS.ProcessEnv;
}

/** skopeo's pull decision. */
export interface SkopeoCopyVerdict {
  /** true: copied; false: `Source image rejected`; null: failed for another reason. */
  allowed: boolean | null;
  /** The rejection reason (after `Source image rejected: `), or the other fatal error. */
  message?: string;
  /** The whole fatal message. */
  fatal?: string;
  stderr: string;
}

/**
 * Copies `source` (e.g. `dir:/x`, `oci:/y:t`, `docker://127.0.0.1:5000/a:b`)
 * to a temporary dir: destination under the given policy and reports the
 * decision (`Source image rejected: <msg>` on denial).
 */
export async function skopeoCopyVerdict(
  policyText: string,
  source: string,
  opts: SkopeoCopyOptions = {},
): Promise<SkopeoCopyVerdict> {
  const file = writePolicy(policyText);
  const dst = path.join(path.dirname(file), "dst");
  const args = ["--policy", file, "--registries-conf", opts.registriesConf ?? emptyRegistriesConf()];
  if (opts.registriesD) args.push("--registries.d", opts.registriesD);
  args.push("copy", "--quiet");
  if (opts.srcTlsVerify === false) args.push("--src-tls-verify=false");
  args.push(source, `dir:${dst}`);
  try {
    const run = await runSkopeo(args, { env: opts.env });
    if (run.code === 0) return { allowed: true, stderr: run.stderr };
    const fatal = run.fatal;
    const m = fatal?.match(/^(?:copying system image from manifest list: )?Source image rejected: ([\s\S]*)$/);
    if (m) return { allowed: false, message: m[1], fatal, stderr: run.stderr };
    return { allowed: null, message: fatal, fatal, stderr: run.stderr };
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

/** An accept-anything policy text. */
export const ACCEPT_ANYTHING_POLICY = JSON.stringify({ default: [{ type: "insecureAcceptAnything" }] });

// ---------------------------------------------------------------- local registry

/** A running local registry. */
export interface LocalRegistry {
  /** host:port, e.g. `127.0.0.1:40123`. */
  url: string;
  /** Storage root directory. */
  storage: string;
  /** Stops the registry and removes its storage (also done after the test file if forgotten). */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      const res = await fetch(`http://${url}/v2/`);
      if (res.status === 200) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * Starts `docker-registry serve CONFIG.yml` on 127.0.0.1 and a free port with
 * filesystem storage in a temporary directory; resolves once `/v2/` answers.
 */
export async function startRegistry(): Promise<LocalRegistry> {
  let lastErr = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const root = makeTempDir("registry-");
    const storage = path.join(root, "storage");
    fs.mkdirSync(storage);
    const port = await freePort();
    const url = `127.0.0.1:${port}`;
    const config = path.join(root, "config.yml");
    fs.writeFileSync(
      config,
      [
        "version: 0.1",
        "log:",
        "  level: error",
        "  accesslog:",
        "    disabled: true",
        "storage:",
        "  filesystem:",
        `    rootdirectory: ${storage}`,
        "  delete:",
        "    enabled: true",
        "http:",
        `  addr: ${url}`,
        "",
      ].join("\n"),
    );
    const child = spawn("docker-registry", ["serve", config], { stdio: ["ignore", "ignore", "pipe"] });
    liveRegistries.add(child);
    const err: Buffer[] = [];
    child.stderr!.on("data", (b: Buffer) => err.push(b));
    const exited = new Promise<void>((r) =>
      child.once("exit", () => {
        liveRegistries.delete(child);
        r();
      }),
    );
    if (await waitReady(url, child, 15_000)) {
      let stopped = false;
      return {
        url,
        storage,
        async stop() {
          if (stopped) return;
          stopped = true;
          if (child.exitCode === null && child.signalCode === null) {
            child.kill("SIGTERM");
            const t = setTimeout(() => child.kill("SIGKILL"), 5_000);
            await exited;
            clearTimeout(t);
          }
          fs.rmSync(root, { recursive: true, force: true });
        },
      };
    }
    lastErr = Buffer.concat(err).toString("utf8");
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
    fs.rmSync(root, { recursive: true, force: true });
  }
  throw new SkopeoError(`docker-registry did not start: ${lastErr}`);
}

/** Options for {@link pushDirImage}. */
export interface PushOptions {
  /** `--registries.d` (where `--sign-by` writes lookaside signatures). */
  registriesD?: string;
  /** `--sign-by FINGERPRINT` with the fixtures' keys ({@link makeGnupgHome}). */
  signBy?: string;
  /** More `skopeo copy` options. */
  copyArgs?: string[];
}

/**
 * Pushes a `dir:` image to `docker://<registry>/<repoAndTag>` over plain HTTP,
 * with an accept-anything policy; returns the pushed docker reference.
 */
export async function pushDirImage(
  dir: string,
  registry: LocalRegistry | string,
  repoAndTag: string,
  opts: PushOptions = {},
): Promise<string> {
  const host = typeof registry === "string" ? registry : registry.url;
  const file = writePolicy(ACCEPT_ANYTHING_POLICY);
  const ref = `${host}/${repoAndTag}`;
  const args = ["--policy", file, "--registries-conf", emptyRegistriesConf()];
  if (opts.registriesD) args.push("--registries.d", opts.registriesD);
  args.push("copy", "--quiet", "--dest-tls-verify=false");
  if (opts.signBy) args.push("--sign-by", opts.signBy);
  args.push(...(opts.copyArgs ?? []), `dir:${dir}`, `docker://${ref}`);
  try {
    const run = await runSkopeo(args, { env: opts.signBy ? { GNUPGHOME: makeGnupgHome() } : {} });
    if (run.code !== 0) throw new SkopeoError(`push to ${ref} failed (exit ${run.code}): ${run.stderr}`);
    return ref;
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- GPG signing

/** containers/image's signed test fixtures (from golang-github-containers-image-dev). */
export const UPSTREAM_SIGNATURE_FIXTURES = "/usr/share/gocode/src/github.com/containers/image/signature/fixtures";

/** Fingerprint of the passphrase-less test key in the fixtures' secring.gpg (public: public-key.gpg). */
export const TEST_KEY_FINGERPRINT = "1D8230F6CDB6A06716E414C1DB72F2188BB46CC8";

/** The public half of {@link TEST_KEY_FINGERPRINT}, usable as a policy `keyPath`. */
export const TEST_PUBLIC_KEY = path.join(UPSTREAM_SIGNATURE_FIXTURES, "public-key.gpg");

let gnupgHome: string | undefined;

/**
 * A temporary GNUPGHOME holding the fixtures' secret keys (imported with gpg),
 * one per process; pass it as `env: { GNUPGHOME }` to skopeo signing commands.
 */
export function makeGnupgHome(): string {
  if (gnupgHome) return gnupgHome;
  const home = makeTempDir("gnupg-");
  fs.chmodSync(home, 0o700);
  const res = spawnSync(
    "gpg",
    ["--batch", "--quiet", "--homedir", home, "--import", path.join(UPSTREAM_SIGNATURE_FIXTURES, "secring.gpg")],
    { encoding: "utf8", env: { ...process.env, TZ: "UTC" } },
  );
  if (res.status !== 0) throw new SkopeoError(`gpg --import failed: ${res.stderr}`);
  gnupgHome = home;
  return home;
}

/**
 * Signs a manifest for `dockerReference` with `skopeo standalone-sign`
 * (simple signing, GPG) and returns the signature blob.
 */
export async function skopeoStandaloneSign(
  manifest: Buffer | string,
  dockerReference: string,
  fingerprint = TEST_KEY_FINGERPRINT,
): Promise<Buffer> {
  const dir = makeTempDir("sign-");
  try {
    const manifestPath = path.join(dir, "manifest.json");
    fs.writeFileSync(manifestPath, manifest);
    const out = path.join(dir, "signature");
    const run = await runSkopeo(["standalone-sign", manifestPath, dockerReference, fingerprint, "-o", out], {
      env: { GNUPGHOME: makeGnupgHome() },
    });
    if (run.code !== 0) throw new SkopeoError(`standalone-sign failed: ${run.fatal ?? run.stderr}`);
    return fs.readFileSync(out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `skopeo standalone-verify`'s verdict. */
export interface StandaloneVerifyVerdict {
  ok: boolean;
  /** stdout on success (`Signature verified, digest sha256:…`), else the fatal message. */
  message: string;
}

/**
 * Verifies one signature blob with `skopeo standalone-verify MANIFEST
 * DOCKER-REFERENCE FINGERPRINT SIGNATURE` against the keys in `gnupgHome`
 * (default: {@link makeGnupgHome}).
 */
export async function skopeoStandaloneVerify(
  manifest: Buffer | string,
  dockerReference: string,
  fingerprint: string,
  signature: Buffer,
  gnupgHome = makeGnupgHome(),
): Promise<StandaloneVerifyVerdict> {
  const dir = makeTempDir("verify-");
  try {
    const manifestPath = path.join(dir, "manifest.json");
    const sigPath = path.join(dir, "signature");
    fs.writeFileSync(manifestPath, manifest);
    fs.writeFileSync(sigPath, signature);
    const run = await runSkopeo(["standalone-verify", manifestPath, dockerReference, fingerprint, sigPath], {
      env: { GNUPGHOME: gnupgHome },
    });
    if (run.code === 0) return { ok: true, message: run.stdout.trim() };
    if (run.fatal === undefined) throw new SkopeoError(`standalone-verify failed: ${run.stderr}`);
    return { ok: false, message: run.fatal };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export { goUnquote };
