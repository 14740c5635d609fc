/**
 * TypeScript side of the Go conformance harness: builds test/harness/go (a
 * program on containers/image 5.23.1's public API, Debian's GOPATH sources)
 * once per source hash, and runs batches of requests through it.
 *
 * See test/harness/README.md for the operations and their payloads.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
/** The harness GOPATH (its `src/imagetrust-harness` holds the program). */
export const GO_HARNESS_GOPATH = path.join(here, "go");
const SOURCE_DIR = path.join(GO_HARNESS_GOPATH, "src", "imagetrust-harness");
const BIN_DIR = path.join(GO_HARNESS_GOPATH, "bin");
/** Debian's Go sources for containers/image and all its dependencies. */
export const DEBIAN_GOCODE = "/usr/share/gocode";
const CONTAINERS_IMAGE_SRC = path.join(DEBIAN_GOCODE, "src/github.com/containers/image");

/** Operations the harness understands (see README.md). */
export type GoHarnessOp =
  | "ping"
  | "parsePolicy"
  | "evaluate"
  | "references"
  | "lookaside"
  | "pullSources"
  | "shortNames"
  | "bench";

/** A request: the op plus its payload fields. */
export interface GoHarnessRequest {
  op: GoHarnessOp;
  [field: string]: unknown;
}

/** Thrown when the harness itself fails (not when the library says "no"). */
export class GoHarnessError extends Error {
  override name = "GoHarnessError";
}

let availableCache: boolean | undefined;

/**
 * True when the Go toolchain, a C compiler (cgo, gpgme) and Debian's
 * containers/image sources are installed, so the harness can be built.
 */
export function goHarnessAvailable(): boolean {
  if (availableCache !== undefined) return availableCache;
  const hasGo = spawnSync("go", ["version"], { stdio: "ignore" }).status === 0;
  // cgo runs "gcc" unless CC says otherwise.
  const hasCc = spawnSync(process.env.CC || "gcc", ["--version"], { stdio: "ignore" }).status === 0;
  availableCache =
    hasGo &&
    hasCc &&
    fs.existsSync(path.join(CONTAINERS_IMAGE_SRC, "signature/policy_eval.go")) &&
    fs.existsSync("/usr/include/gpgme.h");
  return availableCache;
}

function goEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GO111MODULE: "off",
    GOPROXY: "off",
    GOFLAGS: "",
    CGO_ENABLED: "1",
    GOPATH: `${GO_HARNESS_GOPATH}${path.delimiter}${DEBIAN_GOCODE}`,
  };
  // Go needs a build cache; without HOME it has no default.
  if (!env.GOCACHE && !env.HOME && !env.XDG_CACHE_HOME) {
    env.GOCACHE = path.join(os.tmpdir(), "imagetrust-go-build-cache");
  }
  return env;
}

/** Hash of every harness source file and the Go version: the build key. */
function sourceHash(): string {
  const h = createHash("sha256");
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(SOURCE_DIR);
  files.sort();
  for (const f of files) {
    h.update(path.relative(SOURCE_DIR, f));
    h.update("\0");
    h.update(fs.readFileSync(f));
    h.update("\0");
  }
  const goVersion = spawnSync("go", ["version"], { encoding: "utf8" }).stdout ?? "";
  h.update(goVersion);
  return h.digest("hex").slice(0, 16);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes an exclusive lock file (O_EXCL create holding our pid); a lock left by
 * a dead process, or older than the timeout, is broken.
 */
async function withLock<T>(lockPath: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const start = Date.now();
  for (;;) {
    try {
      const fd = fs.openSync(lockPath, "wx");
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      let stale = false;
      try {
        const pid = Number(fs.readFileSync(lockPath, "utf8"));
        const age = Date.now() - fs.statSync(lockPath).mtimeMs;
        stale = (pid > 0 && !processAlive(pid)) || age > timeoutMs;
      } catch {
        // Lock vanished or is being written: just retry.
      }
      if (stale) {
        fs.rmSync(lockPath, { force: true });
        continue;
      }
      if (Date.now() - start > timeoutMs) {
        throw new GoHarnessError(`timed out waiting for lock ${lockPath}`);
      }
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockPath, { force: true });
  }
}

/** Timeout for a beforeAll that builds the harness (a cold build takes minutes). */
export const GO_BUILD_TIMEOUT_MS = 15 * 60_000;

let builtPath: Promise<string> | undefined;

let homeDir: string | undefined;

function removeHome(): void {
  if (homeDir) fs.rmSync(homeDir, { recursive: true, force: true });
  homeDir = undefined;
}
process.once("exit", removeHome);
try {
  // vitest kills its workers without an "exit" event: clean up per test file.
  afterAll(removeHome);
} catch {
  // Imported outside a vitest test file.
}

/** An empty directory used as the harness's HOME (removed after the test file). */
function emptyHome(): string {
  homeDir ??= fs.mkdtempSync(path.join(os.tmpdir(), "imagetrust-go-home-"));
  return homeDir;
}

/**
 * Builds the harness binary if no build for the current sources exists and
 * returns its path. Parallel vitest workers share one build through a lock.
 */
export function buildGoHarness(): Promise<string> {
  builtPath ??= doBuild().catch((e) => {
    builtPath = undefined;
    throw e;
  });
  return builtPath;
}

async function doBuild(): Promise<string> {
  if (!goHarnessAvailable()) {
    throw new GoHarnessError("Go harness unavailable: install golang-go, gcc, golang-github-containers-image-dev and libgpgme-dev");
  }
  fs.mkdirSync(BIN_DIR, { recursive: true });
  const bin = path.join(BIN_DIR, `imagetrust-harness-${sourceHash()}`);
  if (fs.existsSync(bin)) return bin;
  return withLock(path.join(BIN_DIR, ".build.lock"), 15 * 60_000, async () => {
    if (fs.existsSync(bin)) return bin;
    const tmp = `${bin}.tmp-${process.pid}`;
    const { code, stderr } = await run("go", ["build", "-trimpath", "-o", tmp, "imagetrust-harness"], {
      cwd: SOURCE_DIR,
      env: goEnv(),
    });
    if (code !== 0) {
      fs.rmSync(tmp, { force: true });
      throw new GoHarnessError(`building the Go harness failed (exit ${code}):\n${stderr}`);
    }
    fs.renameSync(tmp, bin);
    return bin;
  });
}

function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }),
    );
    child.stdin.on("error", () => {
      // The child may exit before reading everything; "close" reports it.
    });
    child.stdin.end(opts.input ?? "");
  });
}

/** One answer of the harness: ok with a result, or a harness-level error. */
export type GoHarnessAnswer = { ok: true; result: any } | { ok: false; error: string };

/**
 * Runs several requests in one harness process (the library's caches, such as
 * registries.conf, are reset per request) and returns one answer per request.
 */
export async function runGoHarnessBatch(requests: GoHarnessRequest[]): Promise<GoHarnessAnswer[]> {
  const bin = await buildGoHarness();
  const input = requests.map((r) => JSON.stringify(r)).join("\n") + "\n";
  // An empty HOME: no ~/.config/containers, no credentials of the machine's user.
  const { code, stdout, stderr } = await run(bin, [], { input, env: { ...process.env, TZ: "UTC", HOME: emptyHome() } });
  const lines = stdout.split("\n").filter((l) => l.length > 0);
  if (code !== 0 || lines.length !== requests.length) {
    throw new GoHarnessError(
      `Go harness exited with ${code}, ${lines.length}/${requests.length} answers; stderr:\n${stderr}`,
    );
  }
  return lines.map((l) => JSON.parse(l) as GoHarnessAnswer);
}

/**
 * Runs one request and returns its result; throws GoHarnessError when the
 * harness could not answer (bad payload, unknown op, crash).
 */
export async function runGoHarness(op: GoHarnessOp, payload: Record<string, unknown> = {}): Promise<any> {
  const [answer] = await runGoHarnessBatch([{ ...payload, op }]);
  if (!answer.ok) throw new GoHarnessError(`${op}: ${answer.error}`);
  return answer.result;
}

/** What `parsePolicy` answers: signature.NewPolicyFromBytes's verdict. */
export interface GoParseVerdict {
  ok: boolean;
  /** The library's exact error text when `ok` is false. */
  error?: string;
  /** When `ok`: json.Marshal of the parsed policy (what the library understood). */
  normalized?: unknown;
}

/** Parses a policy.json text with signature.NewPolicyFromBytes. */
export function goParsePolicy(policy: string): Promise<GoParseVerdict> {
  return runGoHarness("parsePolicy", { policy });
}

/** Parses many policy.json texts in one harness process. */
export async function goParsePolicies(policies: string[]): Promise<GoParseVerdict[]> {
  const answers = await runGoHarnessBatch(policies.map((policy) => ({ op: "parsePolicy", policy })));
  return answers.map((a, i) => {
    if (!a.ok) throw new GoHarnessError(`parsePolicy #${i}: ${a.error}`);
    return a.result as GoParseVerdict;
  });
}

/** What the library reports about a "transport:reference" string. */
export interface GoReferenceInfo {
  reference: string;
  /** alltransports.ParseImageName's error; the other fields are then absent. */
  parseError?: string;
  transport?: string;
  stringWithinTransport?: string;
  /** ref.PolicyConfigurationIdentity() */
  identity?: string;
  /** ref.PolicyConfigurationNamespaces() */
  namespaces?: string[];
  /** ref.DockerReference()?.String() */
  dockerReference?: string;
}

/** One image to decide about in `evaluate`. */
export interface GoEvaluateCase {
  /** "transport:reference", parsed by alltransports.ParseImageName. */
  reference: string;
  /**
   * Evaluate `reference` as a plain docker reference under this transport name
   * (docker identity and namespaces), like upstream's pcImageReferenceMock; for
   * transports Debian does not register, such as "atomic".
   */
  mockTransport?: string;
  /** Manifest bytes, base64; default: a small schema2 manifest. */
  manifest?: string;
  /** Override of the manifest MIME type (default: manifest.GuessMIMEType). */
  manifestMIMEType?: string;
  /** Signature blobs as stored (raw OpenPGP or 0x00-prefixed), base64. */
  signatures?: string[];
  /**
   * Open the reference's own ImageSource (`ref.NewImageSource`) instead of
   * the in-memory one: `dir:`/`oci:` layouts on disk (sigstore-format
   * signature files included), `docker://` registries with lookaside from the
   * request's `registriesDDir`. `manifest`, `signatures` and `instance` are then
   * ignored; a failure to open it comes back as `sourceError`.
   */
  realSource?: boolean;
  /**
   * Evaluate this instance of a manifest list (then `manifest` is the list),
   * as copy does per platform: `image.UnparsedInstance(src, &digest)`.
   */
  instance?: {
    /** Instance manifest, base64. */
    manifest: string;
    manifestMIMEType?: string;
    /** Signatures stored for the instance digest, base64. */
    signatures?: string[];
    /** Digest it is requested under (default: digest of its manifest). */
    digest?: string;
  };
}

/** The policy section requirementsForImageRef chose; null = global default. */
export interface GoDecidingScope {
  transport: string;
  scope: string;
  match: "identity" | "namespace" | "transport-default";
}

/** The library's decision for one case. */
export interface GoEvaluateCaseResult extends GoReferenceInfo {
  allowed: boolean;
  /** Exact error text of IsRunningImageAllowed (absent when allowed). */
  error?: string;
  /** "requirement" for a PolicyRequirementError, "other" otherwise. */
  errorKind?: "requirement" | "other";
  scope: GoDecidingScope | null;
  /** Digest of the manifest that was served. */
  manifestDigest?: string;
  /** The instance digest evaluated, if any. */
  instanceDigest?: string;
  /** realSource only: ref.NewImageSource failed, no decision was made. */
  sourceError?: string;
  /** The library's debug log for this decision. */
  log?: string[];
}

/** What `evaluate` answers: a policy parse error, or one result per case. */
export interface GoEvaluateResult {
  policyError?: string;
  cases: GoEvaluateCaseResult[];
}

/** Configuration for `realSource` cases; nothing of the machine's is read. */
export interface GoEvaluateOptions {
  /** registries.d directory (lookaside); default: none. */
  registriesDDir?: string;
  /** registries.conf file; default: an empty one. */
  registriesConf?: string;
  /** false: plain HTTP / no TLS verification for docker:// (a local registry). */
  tlsVerify?: boolean;
}

/** Decides every case with PolicyContext.IsRunningImageAllowed under one policy. */
export function goEvaluate(policy: string, cases: GoEvaluateCase[], opts: GoEvaluateOptions = {}): Promise<GoEvaluateResult> {
  return runGoHarness("evaluate", { ...opts, policy, cases });
}

/** Reports identity, namespaces and docker reference for each "transport:ref". */
export function goReferences(references: string[]): Promise<GoReferenceInfo[]> {
  return runGoHarness("references", { references });
}

/** The schema2 manifest `evaluate` serves by default (digest in every result). */
export const GO_DEFAULT_MANIFEST_DIGEST =
  "sha256:9dfab5e26be65ac1a7bf320cab5b897f15d16091e2e9b7899d4a0c3d3fde4652";

/** registries.d lookaside configuration for one docker reference. */
export interface GoLookasideResult {
  reference: string;
  parseError?: string;
  /** docker.SignatureStorageBaseURL(sys, ref, false) */
  read?: string;
  readError?: string;
  /** docker.SignatureStorageBaseURL(sys, ref, true) */
  write?: string;
  writeError?: string;
  /** The library's own (unexported) useSigstoreAttachments decision. */
  useSigstoreAttachments?: boolean;
  useSigstoreAttachmentsError?: string;
  log?: string[];
}

/**
 * Asks the library for lookaside base URLs and use-sigstore-attachments of
 * docker references ("quay.io/a/b:t" or "docker://…") under a registries.d dir.
 */
export function goLookaside(registriesDDir: string, references: string[]): Promise<GoLookasideResult[]> {
  return runGoHarness("lookaside", { registriesDDir, references });
}

/** Which registries.conf files to use (nothing of the machine's is read). */
export interface GoRegistriesOptions {
  registriesConf: string;
  /** registries.conf.d; default: a directory that does not exist. */
  registriesConfDir?: string;
  /** short-name alias cache file; default: a file that does not exist. */
  aliasCache?: string;
  shortNameMode?: "disabled" | "permissive" | "enforcing";
}

/** One pull attempt (mirror or primary). */
export interface GoPullSource {
  reference: string;
  location: string;
  insecure: boolean;
  mirror: boolean;
  /** FindRegistry(reference.Name()) is blocked: the transport refuses this attempt. */
  blocked: boolean;
  blockedError?: string;
}

/** FindRegistry + PullSourcesFromReference for one reference. */
export interface GoPullSourcesResult {
  ref: string;
  parseError?: string;
  error?: string;
  registry: {
    prefix: string;
    location: string;
    insecure: boolean;
    blocked: boolean;
    mirrorByDigestOnly: boolean;
    mirrors: { location: string; insecure: boolean; pullFromMirror?: string }[];
  } | null;
  sources: GoPullSource[];
}

/** Pull sources (mirrors first) per reference, as the docker transport tries them. */
export function goPullSources(opts: GoRegistriesOptions, refs: string[]): Promise<GoPullSourcesResult[]> {
  return runGoHarness("pullSources", { ...opts, refs });
}

/** shortnames.Resolve and ResolveLocally for one name. */
export interface GoShortNameResult {
  name: string;
  isShortName: boolean;
  candidates: string[];
  description: string;
  error?: string;
  local: string[];
  localError?: string;
}

/** Resolves names with shortnames.Resolve (no TTY) and ResolveLocally. */
export function goShortNames(opts: GoRegistriesOptions, names: string[]): Promise<GoShortNameResult[]> {
  return runGoHarness("shortNames", { ...opts, refs: names });
}

/** Timing of ParseImageName + IsRunningImageAllowed (see README). */
export interface GoBenchResult {
  decisions: number;
  allowed: number;
  parseErrors: number;
  /** NewPolicyFromBytes + NewPolicyContext. */
  policySeconds: number;
  /** The decision loop alone. */
  seconds: number;
  decisionsPerSecond: number;
}

/**
 * Times the library deciding about unsigned images (default manifest) for each
 * reference, `iterations` times over, with its debug logging off.
 */
export function goBench(policy: string, references: string[], iterations = 1): Promise<GoBenchResult> {
  return runGoHarness("bench", { policy, references, iterations });
}
