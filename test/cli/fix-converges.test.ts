/**
 * `lint --fix` converges in one run (issue 17): a fix that uncovers another (renaming the transport "Docker" lets
 * the scope rules see "docker.io/busybox" under it) is applied in the same run, and a second run changes nothing.
 * The result is checked with skopeo where it is installed: the fixed policy must load.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

const POLICY = `{
  "default": [{"type": "reject"}],
  "transports": {
    "Docker": {
      "docker.io/busybox": [{"type": "insecureAcceptAnything"}],
      "quay.io/acme": [{"type": "reject"}]
    }
  }
}
`;

describe("lint --fix", () => {
  it("applies fixes uncovered by earlier fixes in the same run; a second run changes nothing", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "imagetrust-fix-"));
    const file = path.join(dir, "policy.json");
    writeFileSync(file, POLICY);

    const first = await runCli(["lint", "--fix", "policy.json"], { cwd: dir });
    const once = readFileSync(file, "utf8");
    expect(first.stderr + first.stdout).toContain("fixed: Rename transport 'Docker' to 'docker'");
    expect(first.stderr + first.stdout).toContain("fixed: Replace 'docker.io/busybox' with 'docker.io/library/busybox'");
    expect(once).toContain('"docker": {');
    expect(once).toContain('"docker.io/library/busybox"');
    expect(once).toContain('"quay.io/acme"');
    expect(first.code).toBe(0);

    const second = await runCli(["lint", "--fix", "policy.json"], { cwd: dir });
    expect(readFileSync(file, "utf8")).toBe(once);
    expect(second.stderr + second.stdout).not.toContain("fixed:");
    expect(second.code).toBe(0);

    // containers/image 5.23.1 loads the result (skopeo's policy parser), where skopeo is installed.
    if (spawnSync("skopeo", ["--version"]).status === 0) {
      // copy loads the policy before it opens the (missing) source: a policy it refuses fails with "invalid policy".
      const r = spawnSync("skopeo", ["--policy", file, "copy", "dir:" + path.join(dir, "missing"), "dir:" + path.join(dir, "out")], { encoding: "utf8" });
      expect(r.stderr).not.toMatch(/trust policy|invalid policy/i);
      expect(r.stderr).toMatch(/manifest\.json: no such file or directory/);
    } else if (process.env.CI === "true") {
      throw new Error("skopeo is required under CI");
    }
  });
});
