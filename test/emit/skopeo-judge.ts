/**
 * skopeo 1.9.3 (containers/image 5.23.1) as the judge of emitted policy.json files
 * (shared/spec/testing-against-upstream.md "skopeo as a judge").
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** True when a skopeo binary is on PATH (tests skip only when it is missing and CI is not "true"). */
export function skopeoAvailable(): boolean {
  return ["/usr/bin/skopeo", "/usr/local/bin/skopeo"].some((p) => existsSync(p));
}

/** Whether skopeo tests must run: skopeo present, or CI=true (then a missing skopeo fails the tests). */
export const runSkopeoTests = skopeoAvailable() || process.env.CI === "true";

const sha = (b: string) => createHash("sha256").update(b).digest("hex");

/** A minimal valid `dir:` image (version, schema2 manifest, a `{}` config blob, one layer blob). */
export function makeDirImage(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const config = "{}";
  const layer = "not really a tarball";
  writeFileSync(join(dir, "version"), "Directory Transport Version: 1.1\n");
  writeFileSync(join(dir, sha(config)), config);
  writeFileSync(join(dir, sha(layer)), layer);
  const manifest = {
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: { mediaType: "application/vnd.docker.container.image.v1+json", size: config.length, digest: "sha256:" + sha(config) },
    layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: layer.length, digest: "sha256:" + sha(layer) }],
  };
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
}

/** The verdict on a policy text: `loaded` false with upstream's message when skopeo refused to load it. */
export interface SkopeoPolicyVerdict {
  loaded: boolean;
  message: string;
}

let counter = 0;

/** Run `skopeo --policy F copy --quiet dir:SRC dir:DST` and report whether the policy loaded. */
export function skopeoLoadsPolicy(policyText: string): Promise<SkopeoPolicyVerdict> {
  const work = mkdtempSync(join(tmpdir(), "imagetrust-emit-skopeo-"));
  const src = join(work, "src");
  makeDirImage(src);
  const policy = join(work, `policy-${counter++}.json`);
  writeFileSync(policy, policyText);
  const home = join(work, "home");
  mkdirSync(home);
  return new Promise((resolve) => {
    execFile(
      "skopeo",
      ["--policy", policy, "copy", "--quiet", "dir:" + src, "dir:" + join(work, "dst")],
      { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, TZ: "UTC" }, timeout: 60_000 },
      (err, _stdout, stderr) => {
        const text = String(stderr);
        rmSync(work, { recursive: true, force: true });
        if (/Error loading trust policy/.test(text)) resolve({ loaded: false, message: text.trim() });
        else resolve({ loaded: true, message: err ? text.trim() : "copied" });
      },
    );
  });
}
