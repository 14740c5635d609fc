/**
 * `verify`/`simulate --platform` (issue 12 §3): an error where it cannot apply (IT5840, exit 2), the instance a pull
 * takes on a platform from a `dir:` layout holding a list, and "the list is signed, this instance is not" (IT5841)
 * in the text report (golden). This machine's platform comes from the host (injected here).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { nodeHost } from "../../src/host/node-host.js";
import { cosignPayload, cosignSign, keyPair, sigstoreBlob } from "../verify/sigstore-helpers.js";
import { expectGolden, runCli } from "./helpers.js";
import { createHash } from "node:crypto";

const sha = (b: Buffer) => "sha256:" + createHash("sha256").update(b).digest("hex");

/** A dir: layout holding a list of two instances; the list is signed (cosign, key), the instances are not. */
function layout(): { cwd: string; policy: string } {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "imagetrust-platform-"));
  const img = path.join(cwd, "img");
  fs.mkdirSync(img);
  fs.writeFileSync(path.join(img, "version"), "Directory Transport Version: 1.1\n");
  const entries = ["amd64", "arm64"].map((arch) => {
    const m = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.docker.distribution.manifest.v2+json", config: { mediaType: "application/vnd.docker.container.image.v1+json", size: 2, digest: sha(Buffer.from(arch)) }, layers: [] }));
    fs.writeFileSync(path.join(img, `${sha(m).slice(7)}.manifest.json`), m);
    return { mediaType: "application/vnd.docker.distribution.manifest.v2+json", size: m.length, digest: sha(m), platform: { architecture: arch, os: "linux", ...(arch === "arm64" ? { variant: "v8" } : {}) } };
  });
  const list = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.docker.distribution.manifest.list.v2+json", manifests: entries }));
  fs.writeFileSync(path.join(img, "manifest.json"), list);
  const k = keyPair("p256");
  const payload = cosignPayload(sha(list), "registry.example/acme/app:1");
  fs.writeFileSync(path.join(img, "signature-1"), sigstoreBlob(payload, { "dev.cosignproject.cosign/signature": cosignSign(k.privateKey, payload).toString("base64") }));
  const policy = path.join(cwd, "policy.json");
  fs.writeFileSync(policy, JSON.stringify({ default: [{ type: "sigstoreSigned", keyData: Buffer.from(k.pem).toString("base64"), signedIdentity: { type: "exactReference", dockerReference: "registry.example/acme/app:1" } }] }));
  return { cwd, policy };
}

const arm64Host = () => ({ ...nodeHost(), platform: () => ({ os: "linux", architecture: "arm64", variant: "v8" }) });

describe("--platform", () => {
  it("is a usage error (IT5840) where there is no list to pick from", async () => {
    const { cwd, policy } = layout();
    const noList = await runCli(["verify", "--policy", policy, "--platform", "linux/amd64", "docker://registry.example/acme/app:1"], { cwd });
    expect(noList.code).toBe(2);
    expect(noList.stderr).toContain("IT5840: --platform linux/amd64 does not apply");
    const bad = await runCli(["verify", "--policy", policy, "--platform", "amd64", "dir:img"], { cwd });
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining("IT5840: invalid --platform 'amd64'")]);
    const single = path.join(cwd, "img", fs.readdirSync(path.join(cwd, "img")).find((f) => f.endsWith(".manifest.json"))!);
    const sim = await runCli(["simulate", "--policy", policy, "--platform", "linux/amd64", "--manifest", single, "docker://registry.example/acme/app:1"], { cwd });
    expect(sim.code).toBe(2);
    expect(sim.stderr).toContain("IT5840: --platform linux/amd64 does not apply: docker://registry.example/acme/app:1 is a single image, not a manifest list");
  });

  it("a dir: list: every instance, the list's own verdict and the pull on this machine (text, golden); --platform decides one", async () => {
    const { cwd, policy } = layout();
    const all = await runCli(["verify", "--policy", policy, "dir:img"], { cwd, host: arm64Host() });
    expect(all.code).toBe(1);
    expectGolden("cli/platform/verify-dir-list.txt", all.stdout.replaceAll(cwd, "<tmp>"));
    const one = await runCli(["verify", "--policy", policy, "--platform", "linux/arm64", "--format", "json", "dir:img"], { cwd, host: arm64Host() });
    const j = JSON.parse(one.stdout) as { verdict: string; instances: { platform: string }[]; pull: { from: string; platform: string } };
    expect([one.code, j.verdict, j.instances.map((i) => i.platform), j.pull.from, j.pull.platform]).toEqual([1, "deny", ["linux/arm64/v8"], "--platform", "linux/arm64"]);
    const sim = await runCli(["simulate", "--policy", policy, "--platform", "linux/amd64", "dir:img"], { cwd, host: arm64Host() });
    expect(sim.code).toBe(1);
    expect(sim.stdout).toContain("IT5841 warning: the list sha256:");
    expect(sim.stdout).toContain("pull on linux/amd64 (--platform): instance sha256:");
  });
});
