/**
 * Paths a pipeline can rely on, through the CLI and judged by containers/image 5.23.1 (skopeo 1.9.3, the Go
 * harness): `--policy DIR` reads DIR/registries.d, `--registries-conf-d` merges drop-ins, and path transports
 * that containers/image cannot resolve on this machine fail as they do there.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildGoHarness, goHarnessAvailable, goLookaside, goShortNames, GO_BUILD_TIMEOUT_MS } from "../harness/go-harness.js";
import { ACCEPT_ANYTHING_POLICY, makeTempDir, skopeoAvailable, skopeoCopyVerdict } from "../harness/skopeo.js";
import { runCli } from "./helpers.js";

const ci = process.env.CI === "true";

interface SimJson {
  ref: string;
  verdict: "allow" | "deny";
  error: string | null;
  warnings: string[];
  signatureLookup: { lookasideBase: string | null };
  resolution?: { candidates: string[]; error: string | null };
}

async function simulate(args: string[], cwd?: string): Promise<{ code: number; results: SimJson[]; stderr: string }> {
  const r = await runCli(["simulate", "--format", "json", ...args], cwd ? { cwd } : {});
  if (r.code === 2) throw new Error(`simulate failed: ${r.stderr}`);
  return { code: r.code, results: JSON.parse(r.stdout) as SimJson[], stderr: r.stderr };
}

/** A configuration directory as `compile --out` writes it: policy.json and registries.d/ with one lookaside. */
function configDir(lookaside: string): string {
  const d = makeTempDir("conf-");
  fs.writeFileSync(path.join(d, "policy.json"), ACCEPT_ANYTHING_POLICY);
  fs.mkdirSync(path.join(d, "registries.d"));
  fs.writeFileSync(path.join(d, "registries.d", "acme.yaml"), `docker:\n  quay.io/acme:\n    lookaside: ${lookaside}\n`);
  return d;
}

describe.skipIf(!goHarnessAvailable() && !ci)("--policy DIR reads DIR/registries.d (vs the Go harness's lookaside)", () => {
  beforeAll(() => buildGoHarness(), GO_BUILD_TIMEOUT_MS);

  it("simulate takes the lookaside of DIR/registries.d, as containers/image does with that registries.d", async () => {
    const dir = configDir("file:///srv/acme-sigs");
    const ref = "docker://quay.io/acme/app:1";
    const [go] = await goLookaside(path.join(dir, "registries.d"), [ref]);
    const { results } = await simulate(["--policy", dir, ref]);
    expect(go!.read).toBe("file:///srv/acme-sigs/acme/app");
    expect(results[0]!.signatureLookup.lookasideBase).toBe(go!.read);
    // The policy file alone has no registries.d: the built-in default, as before.
    const alone = await simulate(["--policy", path.join(dir, "policy.json"), ref]);
    expect(alone.results[0]!.signatureLookup.lookasideBase).not.toBe(go!.read);
  });

  it("an explicit --registries-d wins over DIR/registries.d", async () => {
    const dir = configDir("file:///srv/acme-sigs");
    const other = configDir("file:///srv/other-sigs");
    const ref = "docker://quay.io/acme/app:1";
    const [go] = await goLookaside(path.join(other, "registries.d"), [ref]);
    const { results } = await simulate(["--policy", dir, "--registries-d", path.join(other, "registries.d"), ref]);
    expect(results[0]!.signatureLookup.lookasideBase).toBe(go!.read);
    expect(go!.read).toBe("file:///srv/other-sigs/acme/app");
  });

  it("verify --policy DIR loads the same configuration; a DIR without policy.json is IT9001", async () => {
    const dir = configDir("file:///srv/acme-sigs");
    const img = makeTempDir("img-");
    const v = await runCli(["verify", "--policy", dir, "--format", "json", `dir:${img}`]);
    expect(v.code, v.stderr).not.toBe(2);
    const empty = makeTempDir("empty-");
    const r = await runCli(["simulate", "--policy", empty, "docker://busybox"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("IT9001");
    expect(r.stderr).toContain(path.join(empty, "policy.json"));
  });

  it("a broken DIR/registries.d is refused, as the runtime refuses it", async () => {
    const dir = configDir("file:///srv/acme-sigs");
    fs.writeFileSync(path.join(dir, "registries.d", "bad.yaml"), "docker: [\n");
    const r = await runCli(["simulate", "--policy", dir, "docker://quay.io/acme/app:1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("bad.yaml");
  });
});

describe.skipIf(!goHarnessAvailable() && !ci)("--registries-conf-d (vs shortnames.Resolve in the Go harness)", () => {
  beforeAll(() => buildGoHarness(), GO_BUILD_TIMEOUT_MS);

  function confWithDropIn(): { conf: string; dropIns: string } {
    const d = makeTempDir("regconf-");
    const conf = path.join(d, "registries.conf");
    fs.writeFileSync(conf, '[[registry]]\nlocation = "quay.io"\n');
    const dropIns = path.join(d, "registries.conf.d");
    fs.mkdirSync(dropIns);
    fs.writeFileSync(path.join(dropIns, "10-search.conf"), 'unqualified-search-registries = ["quay.io"]\n');
    return { conf, dropIns };
  }

  it("a short name resolves through the drop-in's unqualified-search registries", async () => {
    const { conf, dropIns } = confWithDropIn();
    const [go] = await goShortNames({ registriesConf: conf, registriesConfDir: dropIns }, ["busybox"]);
    const { results } = await simulate(["--policy", "examples/hand-written/good-policy.json", "--registries-conf", conf, "--registries-conf-d", dropIns, "busybox"]);
    expect(go!.error).toBeUndefined();
    expect(results[0]!.resolution?.candidates).toEqual(go!.candidates);
  });

  it("without the drop-in, a registries.conf with no unqualified-search-registries makes a short name an error, in upstream's words", async () => {
    const { conf } = confWithDropIn();
    const [go] = await goShortNames({ registriesConf: conf }, ["busybox"]);
    const { code, results } = await simulate(["--policy", "examples/hand-written/good-policy.json", "--registries-conf", conf, "busybox"]);
    expect(go!.error).toMatch(/did not resolve to an alias and no unqualified-search registries are defined/);
    expect(code).toBe(1);
    expect(results[0]!.verdict).toBe("deny");
    // Go names the file as it was given (absolute here).
    expect(results[0]!.error).toBe(go!.error);
  });

  it("is refused without --registries-conf, and when it is not a directory", async () => {
    const { conf } = confWithDropIn();
    const alone = await runCli(["simulate", "--policy", "examples/hand-written/good-policy.json", "--registries-conf-d", "/nonexistent-13", "busybox"]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain("--registries-conf-d needs --registries-conf");
    const missing = await runCli(["simulate", "--policy", "examples/hand-written/good-policy.json", "--registries-conf", conf, "--registries-conf-d", "/nonexistent-13", "busybox"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("IT9001");
  });

  it("lint reads the drop-ins too: a broken one is reported", async () => {
    const { conf, dropIns } = confWithDropIn();
    const ok = await runCli(["lint", "--registries-conf", conf, "--registries-conf-d", dropIns, "examples/hand-written/good-policy.json"]);
    expect(ok.stdout).not.toContain("10-search.conf");
    fs.writeFileSync(path.join(dropIns, "20-bad.conf"), "unqualified-search-registries = [\n");
    const bad = await runCli(["lint", "--registries-conf", conf, "--registries-conf-d", dropIns, "examples/hand-written/good-policy.json"]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("20-bad.conf");
    const without = await runCli(["lint", "--registries-conf", conf, "examples/hand-written/good-policy.json"]);
    expect(without.stdout).not.toContain("20-bad.conf");
  });
});

describe.skipIf(!skopeoAvailable() && !ci)("path transports that do not resolve on this machine (vs skopeo copy)", () => {
  it("fail with containers/image's error and say the answer depends on this machine", async () => {
    const tmp = makeTempDir("paths-");
    const refs = [
      `dir:${tmp}/no-parent/image`,
      `dir:${tmp}/missing/`,
      `oci:${tmp}/no-parent/layout:tag`,
      `oci:${tmp}/missing/:tag`,
      `oci-archive:${tmp}/no-parent/image.tar`,
    ];
    for (const ref of refs) {
      const sk = await skopeoCopyVerdict(ACCEPT_ANYTHING_POLICY, ref);
      const prefix = `Invalid source name ${ref}: `;
      expect(sk.fatal?.startsWith(prefix), `${ref}: ${sk.fatal}`).toBe(true);
      const { code, results } = await simulate(["--policy", "examples/hand-written/good-policy.json", ref]);
      expect(code, ref).toBe(1);
      expect(results[0]!.verdict).toBe("deny");
      expect(results[0]!.error, ref).toBe(sk.fatal!.slice(prefix.length));
      expect(results[0]!.warnings.join("\n")).toContain("the answer depends on this machine");
    }
  });

  it("paths containers/image resolves are decided as before (a missing last component included)", async () => {
    const tmp = makeTempDir("paths-");
    for (const ref of [`dir:${tmp}/missing`, `oci:${tmp}/layout:tag`]) {
      const sk = await skopeoCopyVerdict(ACCEPT_ANYTHING_POLICY, ref);
      // skopeo gets past parsing: the failure (if any) is reading the absent image, not the name.
      expect(sk.fatal ?? "").not.toContain("Invalid source name");
      const { results } = await simulate(["--policy", "examples/hand-written/good-policy.json", ref]);
      expect(results[0]!.error).toBeNull();
      expect(results[0]!.warnings.join("\n")).not.toContain("depends on this machine");
    }
  });

  it("a relative path is resolved against the working directory, as the runtime does", async () => {
    const tmp = makeTempDir("paths-");
    const { results } = await simulate(["--policy", path.resolve("examples/hand-written/good-policy.json"), "dir:missing/"], tmp);
    expect(results[0]!.error).toBe(`lstat ${tmp}/missing: no such file or directory`);
  });
});
