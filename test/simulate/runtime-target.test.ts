/**
 * Judged by the version the runtime is, everywhere, against skopeo 1.9.3 (containers/image 5.23.1):
 * - a `.trust` source that declares `target "5.23"` is judged by 5.23 by `simulate`, `verify`, `test` and `diff`
 *   when no `--target` is given, as compile does (src/compile/compile-files.ts `resolveTarget`): 5.23 prints
 *   `Signature for identity X is not accepted` unquoted (newer versions quote it) and has no `@@unknown-digest@@`;
 * - `--debian` is Debian's build: no `atomic` transport (an `atomic:` reference is "unknown transport", so an
 *   `atomic` section of the policy is never consulted), on `simulate`, `verify` and `test`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeDirImage, makeTempDir, runSkopeo, skopeoAvailable, skopeoCopyVerdict } from "../harness/skopeo.js";
import { genKey, gnupgHome, skopeoSign } from "../verify/gpg-helpers.js";
import { runCli } from "../cli/helpers.js";

const ci = process.env.CI === "true";
const hasGpg = fs.existsSync("/usr/bin/gpg");

function write(dir: string, name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

async function json<T>(args: string[]): Promise<T> {
  const r = await runCli(args);
  expect(r.code, r.stderr).not.toBe(2);
  return JSON.parse(r.stdout) as T;
}

type Sim = { verdict: string; upstreamError: string | null; error: string | null }[];
type Ver = { verdict: string; error: string | null };
type TestRuns = { results: { actual: { verdict: string; error: string | null; upstreamError: string | null } }[] }[];

/** The fatal message of `skopeo copy SOURCE dir:…` after skopeo's own `Invalid source name SOURCE: ` prefix. */
async function skopeoSourceError(policyText: string, source: string): Promise<string | undefined> {
  return (await skopeoCopyVerdict(policyText, source)).message?.replace(`Invalid source name ${source}: `, "");
}

describe.skipIf((!skopeoAvailable() || !hasGpg) && !ci)("a .trust source's declared target judges simulate/verify/test/diff (vs skopeo)", () => {
  let dir: string;
  let image: string;
  let trust: string;
  let policyText: string;
  beforeAll(async () => {
    dir = makeTempDir("target-");
    const key = genKey(gnupgHome(), "Target Signer <t@example.com>");
    const base = makeDirImage(path.join(dir, "base"));
    // Signed for another identity than the policy accepts: the denial names the claimed identity.
    image = makeDirImage(path.join(dir, "img"), { signatures: [await skopeoSign(key, base.manifest, "example.com/other:v1")] }).dir;
    const signedBy = { type: "signedBy", keyType: "GPGKeys", keyPath: key.pubBinary, signedIdentity: { type: "exactReference", dockerReference: "example.com/app:v1" } };
    policyText = JSON.stringify({ default: [{ type: "reject" }], transports: { dir: { "": [signedBy] } } });
    trust = write(
      dir,
      "site.trust",
      `target "5.23"\n\nkey appkey gpg file "${key.pubBinary}"\n\nlevel app = signed by appkey identity exact-reference "example.com/app:v1"\n\ndefault reject\n\ndir {\n  default app\n}\n\nexpect deny "docker://busybox@@unknown-digest@@"\n`,
    );
  }, 60_000);

  it("simulate and verify word a denial as 5.23 (skopeo) does without --target, as the newest with --target 5.39", async () => {
    const judge = await skopeoCopyVerdict(policyText, `dir:${image}`);
    expect(judge.message).toBe("Signature for identity example.com/other:v1 is not accepted");
    const [sim] = await json<Sim>(["simulate", "--format", "json", "--policy", trust, `dir:${image}`]);
    const ver = await json<Ver>(["verify", "--format", "json", "--policy", trust, `dir:${image}`]);
    expect([sim.verdict, sim.upstreamError]).toEqual(["deny", judge.message]);
    expect([ver.verdict, ver.error]).toEqual(["deny", judge.message]);
    const [newest] = await json<Sim>(["simulate", "--format", "json", "--target", "5.39", "--policy", trust, `dir:${image}`]);
    expect(newest.upstreamError).toBe('Signature for identity "example.com/other:v1" is not accepted');
  });

  it("test: a reference 5.23 cannot parse fails to parse as in skopeo; --target 5.39 parses it", async () => {
    const theirs = await skopeoSourceError(JSON.stringify({ default: [{ type: "insecureAcceptAnything" }] }), "docker://busybox@@unknown-digest@@");
    const [run] = await json<TestRuns>(["test", "--format", "json", trust]);
    expect(run.results[0].actual).toMatchObject({ verdict: "deny", error: theirs });
    const [newest] = await json<TestRuns>(["test", "--format", "json", "--target", "5.39", trust]);
    expect(newest.results[0].actual.error).toBeNull();
  });

  it("diff: the declared target parses --ref as 5.23 does", async () => {
    const other = write(dir, "other.trust", fs.readFileSync(trust, "utf8").replace("default reject", "default accept"));
    const r = await runCli(["diff", "--format", "json", trust, other, "--ref", "docker://busybox@@unknown-digest@@"]);
    const newest = await runCli(["diff", "--format", "json", "--target", "5.39", trust, other, "--ref", "docker://busybox@@unknown-digest@@"]);
    // At 5.23 the reference does not parse, so it cannot be among the references whose verdict flips.
    expect(r.stdout).not.toEqual(newest.stdout);
  });
});

describe.skipIf(!skopeoAvailable() && !ci)("--debian: no atomic transport, as Debian's skopeo (simulate, verify, test)", () => {
  const ref = "atomic:registry.example/ns/stream:tag";
  let policy: string;
  let cases: string;
  let policyText: string;
  beforeAll(() => {
    const dir = makeTempDir("debian-");
    // An atomic section that would accept the reference: Debian's build never consults it.
    policyText = JSON.stringify({ default: [{ type: "reject" }], transports: { atomic: { "": [{ type: "insecureAcceptAnything" }] } } });
    policy = write(dir, "policy.json", policyText);
    cases = write(dir, "cases.yaml", `policy: policy.json\ncases:\n  - { ref: "${ref}", expect: deny }\n`);
  });

  it("skopeo 1.9.3 does not know the atomic transport, and loads a policy with an atomic section", async () => {
    expect(await skopeoSourceError(policyText, ref)).toBe(`Invalid image name "${ref}", unknown transport "atomic"`);
    const r = await runSkopeo(["--policy", policy, "copy", "--quiet", "dir:/nonexistent", "dir:/nonexistent2"]);
    expect(r.fatal ?? "").not.toContain("policy");
  });

  it("simulate, verify and test --debian refuse an atomic: reference with skopeo's message; without --debian the atomic section decides", async () => {
    const theirs = await skopeoSourceError(policyText, ref);
    const [sim] = await json<Sim>(["simulate", "--debian", "--format", "json", "--policy", policy, ref]);
    expect([sim.verdict, sim.error]).toEqual(["deny", theirs]);
    const ver = await json<Ver>(["verify", "--debian", "--format", "json", "--policy", policy, ref]);
    expect([ver.verdict, ver.error]).toEqual(["deny", theirs]);
    const [run] = await json<TestRuns>(["test", "--debian", "--format", "json", cases]);
    expect(run.results[0].actual).toMatchObject({ verdict: "deny", error: theirs });
    // Upstream's own build (not Debian's) has the transport, and the policy's atomic section accepts.
    const [upstream] = await json<Sim>(["simulate", "--format", "json", "--policy", policy, ref]);
    expect(upstream.verdict).toBe("allow");
  });
});
