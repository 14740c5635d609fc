/**
 * The worked examples of spec §3.4 (identity and namespaces per transport),
 * checked against containers/image 5.23.1 through the Go harness, with the
 * spec's paths moved under a temporary directory.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGoHarness, GO_BUILD_TIMEOUT_MS, goHarnessAvailable, goReferences } from "../harness/go-harness.js";

const ci = process.env.CI === "true";
const HEX = "0123456789abcdef".repeat(4);
const ID = "a".repeat(64);

describe.skipIf(!goHarnessAvailable() && !ci)("spec §3.4 worked examples against 5.23.1", () => {
  let t = "";
  beforeAll(async () => {
    t = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "imagetrust-nsdemo-")));
    fs.mkdirSync(path.join(t, "real/sub"), { recursive: true });
    fs.symlinkSync(path.join(t, "real"), path.join(t, "link"));
    await buildGoHarness();
  }, GO_BUILD_TIMEOUT_MS);
  afterAll(() => fs.rmSync(t, { recursive: true, force: true }));

  it("matches identity and namespaces for every transport", async () => {
    // Parents of the temporary root, nearest first (the spec's "/tmp").
    const up = (p: string): string[] => {
      const out: string[] = [];
      for (let d = path.dirname(p); d !== "/"; d = path.dirname(d)) out.push(d);
      return out;
    };
    const r = `${t}/r`;
    const table: [string, string | undefined, string[] | undefined, string?][] = [
      ["docker://busybox", "docker.io/library/busybox:latest", ["docker.io/library/busybox", "docker.io/library", "docker.io", "*.io"]],
      ["docker://docker.io/library/busybox:latest", "docker.io/library/busybox:latest", ["docker.io/library/busybox", "docker.io/library", "docker.io", "*.io"]],
      [`docker://localhost:5000/a/b@sha256:${HEX}`, `localhost:5000/a/b@sha256:${HEX}`, ["localhost:5000/a/b", "localhost:5000/a", "localhost:5000"]],
      ["docker://quay.io/org/repo", "quay.io/org/repo:latest", ["quay.io/org/repo", "quay.io/org", "quay.io", "*.io"]],
      ["docker://a.b.quay.io:443/org/repo:v1", "a.b.quay.io:443/org/repo:v1", ["a.b.quay.io:443/org/repo", "a.b.quay.io:443/org", "a.b.quay.io:443", "*.b.quay.io", "*.quay.io", "*.io"]],
      ["docker://10.0.0.1:5000/x:y", "10.0.0.1:5000/x:y", ["10.0.0.1:5000/x", "10.0.0.1:5000", "*.0.0.1", "*.0.1", "*.1"]],
      ["docker://EXAMPLE.com/foo:tag", "EXAMPLE.com/foo:tag", ["EXAMPLE.com/foo", "EXAMPLE.com", "*.com"]],
      [`docker-daemon:sha256:${HEX}`, "", []],
      [`docker-archive:${t}/a.tar:busybox:v1`, "", [], "docker.io/library/busybox:v1"],
      [`dir:${t}/link/sub/img`, `${t}/real/sub/img`, [`${t}/real/sub`, `${t}/real`, t, ...up(t)]],
      [`oci:${t}/link/sub/img:myref`, `${t}/real/sub/img`, [`${t}/real/sub/img`, `${t}/real/sub`, `${t}/real`, t, ...up(t)]],
      [`oci-archive:${t}/real/a.tar:ref`, `${t}/real/a.tar`, [`${t}/real/a.tar`, `${t}/real`, t, ...up(t)]],
      [`sif:${t}/real/a.sif`, `${t}/real/a.sif`, [`${t}/real`, t, ...up(t)]],
      [`dir:${t}`, t, up(t)],
      [`oci:${t}`, t, [t, ...up(t)]],
      [`containers-storage:[vfs@${r}+${t}/run]busybox`, `[vfs@${r}]docker.io/library/busybox:latest`,
        [`[vfs@${r}]docker.io/library/busybox`, `[vfs@${r}]docker.io/library`, `[vfs@${r}]docker.io`, `[vfs@${r}]`, `[${r}]`]],
      [`containers-storage:[vfs@${r}+${t}/run]quay.io/org/repo:v1@${ID}`, `[vfs@${r}]quay.io/org/repo:v1@${ID}`,
        [`[vfs@${r}]quay.io/org/repo:v1`, `[vfs@${r}]quay.io/org/repo`, `[vfs@${r}]quay.io/org`, `[vfs@${r}]quay.io`, `[vfs@${r}]`, `[${r}]`]],
      [`containers-storage:[vfs@${r}+${t}/run]busybox:v1@sha256:${HEX}`, `[vfs@${r}]docker.io/library/busybox:v1@sha256:${HEX}`,
        [`[vfs@${r}]docker.io/library/busybox:v1`, `[vfs@${r}]docker.io/library/busybox`, `[vfs@${r}]docker.io/library`, `[vfs@${r}]docker.io`, `[vfs@${r}]`, `[${r}]`]],
      [`containers-storage:[vfs@${r}+${t}/run]@${ID}`, `[vfs@${r}]@${ID}`, [`[vfs@${r}]`, `[${r}]`]],
    ];
    const got = await goReferences(table.map(([ref]) => ref));
    for (const [i, [ref, identity, namespaces, dockerReference]] of table.entries()) {
      expect({ ref, parseError: got[i].parseError, identity: got[i].identity, namespaces: got[i].namespaces }).toEqual({
        ref,
        parseError: undefined,
        identity,
        namespaces,
      });
      if (dockerReference) expect(got[i].dockerReference).toBe(dockerReference);
    }
  });

  it("refuses what the spec says is refused", async () => {
    const got = await goReferences([
      `docker://busybox:1@sha256:${HEX}`,
      "docker-daemon:busybox",
      "atomic:registry.example/ns/stream:tag",
      "ostree:foo",
    ]);
    expect(got.map((g) => g.parseError)).toEqual([
      "Docker references with both a tag and digest are currently not supported",
      "docker-daemon: reference busybox has neither a tag nor a digest",
      'Invalid image name "atomic:registry.example/ns/stream:tag", unknown transport "atomic"',
      'The transport "ostree:" is not supported in this build',
    ]);
  });
});
