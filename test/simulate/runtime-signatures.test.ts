/**
 * Signatures are read when the runtime reads them, judged by skopeo 1.9.3 (containers/image 5.23.1): a policy
 * requirement that reads signatures (`prSignedBy.isRunningImageAllowed` → `GetSignaturesWithFormat`) or the copy
 * after the policy allowed (`copy.go` `copyOneImage`: "reading signatures: …"). An unparseable `signature-1`:
 * - under `insecureAcceptAnything` (global default or an approval-style scope): the policy allows, and the copy
 *   then fails reading it — skopeo exits 1 with `reading signatures: parsing signature "img/signature-1": …`;
 * - under `reject`: the policy denies first, nothing is read (`Running image … is rejected by policy.`);
 * - under `signedBy`: the requirement reads it and denies with the parse error.
 * Messages name the file by the path as typed (upstream `dirReference.signaturePath` joins `ref.path`).
 * `simulate` and `verify` (through the CLI) must give skopeo's verdict and message in each case.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fatalMessage, makeDirImage, makeTempDir, skopeoAvailable } from "../harness/skopeo.js";
import { runCli } from "../cli/helpers.js";

const ci = process.env.CI === "true";

interface Judged {
  allowed: boolean;
  message: string | null;
}

/** `skopeo copy dir:img dir:out` run in `cwd` (so the path is relative, as typed), with an empty HOME. */
function skopeoCopyIn(cwd: string, policyFile: string, source: string, extra: string[] = []): Promise<Judged> {
  const home = makeTempDir("home-");
  const conf = path.join(home, "registries.conf");
  fs.writeFileSync(conf, "");
  const out = `dir:${makeTempDir("out-")}`;
  return new Promise((resolve, reject) => {
    const child = spawn("skopeo", ["--policy", policyFile, "--registries-conf", conf, "copy", "--quiet", ...extra, source, out], {
      cwd,
      env: { PATH: process.env.PATH, HOME: home },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) return resolve({ allowed: true, message: null });
      const fatal = fatalMessage(stderr) ?? stderr;
      resolve({ allowed: false, message: fatal.replace(/^Source image rejected: /, "") });
    });
  });
}

interface Decided extends Judged {
  notRead?: string;
  readError?: string;
}

async function simulateIn(cwd: string, args: string[]): Promise<Decided> {
  const r = await runCli(["simulate", "--format", "json", "--target", "5.23", ...args], { cwd });
  expect(r.code, r.stderr).not.toBe(2);
  const [s] = JSON.parse(r.stdout) as { verdict: string; upstreamError: string | null; signatures: { notRead?: string; readError?: string } | null }[];
  expect(r.code).toBe(s.verdict === "allow" ? 0 : 1);
  return { allowed: s.verdict === "allow", message: s.upstreamError, notRead: s.signatures?.notRead, readError: s.signatures?.readError };
}

async function verifyIn(cwd: string, args: string[]): Promise<Decided> {
  const r = await runCli(["verify", "--format", "json", "--target", "5.23", ...args], { cwd });
  expect(r.code, r.stderr).not.toBe(2);
  const v = JSON.parse(r.stdout) as { verdict: string; error: string | null; evidence: { notRead?: string; readError?: string } };
  expect(r.code).toBe(v.verdict === "allow" ? 0 : 1);
  return { allowed: v.verdict === "allow", message: v.error, notRead: v.evidence.notRead, readError: v.evidence.readError };
}

const CORRUPT: Record<string, Buffer> = {
  "binary garbage": Buffer.from("\x00garbage", "latin1"),
  empty: Buffer.alloc(0),
  "not OpenPGP": Buffer.from("notpgp"),
};

describe.skipIf(!skopeoAvailable() && !ci)("an unparseable signature-1 is read only where the runtime reads it (vs skopeo copy)", () => {
  let root: string;
  let policies: Record<string, string>;
  beforeAll(() => {
    root = makeTempDir("rt-sig-");
    for (const [i, blob] of Object.values(CORRUPT).entries()) makeDirImage(path.join(root, `img${i}`), { signatures: [blob] });
    const write = (name: string, value: unknown) => {
      const p = path.join(root, `${name}.json`);
      fs.writeFileSync(p, JSON.stringify(value));
      return p;
    };
    policies = {
      accept: write("accept", { default: [{ type: "insecureAcceptAnything" }] }),
      // An approval: one image accepted by its own scope under a reject-everything default.
      approval: write("approval", { default: [{ type: "reject" }], transports: { dir: { [path.join(root, "img0")]: [{ type: "insecureAcceptAnything" }] } } }),
      reject: write("reject", { default: [{ type: "reject" }] }),
      signedBy: write("signedBy", {
        default: [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/nonexistent/key.gpg", signedIdentity: { type: "exactReference", dockerReference: "example.com/app:v1" } }],
      }),
    };
  });

  const cases = Object.keys(CORRUPT).flatMap((sig, i) => ["accept", "reject", "signedBy"].map((policy) => ({ sig, i, policy })));
  cases.push({ sig: "binary garbage", i: 0, policy: "approval" });

  it.each(cases)("$policy, $sig signature-1: simulate and verify decide and word it as skopeo copy", async ({ i, policy }) => {
    const ref = `dir:img${i}`;
    const judge = await skopeoCopyIn(root, policies[policy], ref);
    const sim = await simulateIn(root, ["--policy", policies[policy], ref]);
    const ver = await verifyIn(root, ["--policy", policies[policy], ref]);
    expect({ allowed: sim.allowed, message: sim.message }).toEqual(judge);
    expect({ allowed: ver.allowed, message: ver.message }).toEqual(judge);
    // Under reject nothing reads the signatures, and the report says so instead of a read error.
    if (policy === "reject") {
      for (const d of [sim, ver]) expect([d.notRead, d.readError]).toEqual(["the policy denied before any requirement read them", undefined]);
    } else for (const d of [sim, ver]) expect(d.readError).toContain(`parsing signature "img${i}/signature-1"`);
    // The policy itself never read the file under an accept: skopeo copy --remove-signatures (no copy of them)
    // allows, and our reasons say the requirements accepted and the copy's read failed.
    if (policy === "accept" || policy === "approval") {
      expect(await skopeoCopyIn(root, policies[policy], ref, ["--remove-signatures"])).toEqual({ allowed: true, message: null });
      const text = await runCli(["simulate", "--target", "5.23", "--policy", policies[policy], ref], { cwd: root });
      expect(text.stdout).toContain("the requirements accepted the image, but the pull fails: reading signatures:");
    }
  });

  it("--signatures DIR decides a docker:// reference as skopeo decides the dir: image holding those files", async () => {
    for (const policy of ["accept", "reject", "signedBy"]) {
      const judge = await skopeoCopyIn(root, policies[policy], "dir:img0");
      const args = ["--policy", policies[policy], "--manifest", "img0/manifest.json", "--signatures", "img0", "docker://example.com/app:v1"];
      for (const d of [await simulateIn(root, args), await verifyIn(root, args)]) expect(d.allowed, policy).toBe(judge.allowed);
    }
  });

  it("a lookaside we cannot locate (no --manifest) does not deny an accepted docker:// pull", async () => {
    const sim = await simulateIn(root, ["--policy", policies.accept, "--lookaside", "docker://example.com/app:v1"]);
    expect(sim).toMatchObject({ allowed: true, message: null });
  });
});
