/**
 * The registries side of a simulation against containers/image 5.23.1 (Go harness ops shortNames,
 * pullSources, lookaside): short-name candidates, pull sources (mirrors, blocked per attempt), and the
 * lookaside base URL of every pull source must agree. Skipped only when the harness cannot be built here
 * and CI is not "true".
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeHost } from "../../src/host/node-host.js";
import { loadRegistriesConf } from "../../src/load/registries-conf/index.js";
import { loadRegistriesDDir } from "../../src/load/registries-d/index.js";
import { renderSimulationText } from "../../src/simulate/render-text.js";
import { createSimulator } from "../../src/simulate/simulate.js";
import { goHarnessAvailable, runGoHarness } from "../harness/go-harness.js";
import { policyIR, R } from "./policy-builder.js";

const describeHarness = goHarnessAvailable() || process.env.CI === "true" ? describe : describe.skip;
const HEX = "0123456789abcdef".repeat(4);

const REGISTRIES_CONF = `
unqualified-search-registries = ["registry.fedoraproject.org", "quay.io", "docker.io"]
short-name-mode = "permissive"

[aliases]
"fedora" = "registry.fedoraproject.org/fedora"

[[registry]]
prefix = "docker.io"
location = "docker.io"
[[registry.mirror]]
location = "mirror.gcr.io"
[[registry.mirror]]
location = "mirror.internal.example:5000/hub"
insecure = true

[[registry]]
prefix = "quay.io/blocked"
location = "quay.io/blocked"
blocked = true

[[registry]]
prefix = "example.com/foo"
location = "example.com/foo"
[[registry.mirror]]
location = "mirror.example.net/foo"
pull-from-mirror = "digest-only"

[[registry]]
prefix = "blocked.example"
location = "blocked.example"
blocked = true
[[registry.mirror]]
location = "open-mirror.example"
`;

const REGISTRIES_D: Record<string, string> = {
  "hub.yaml": "docker:\n  mirror.gcr.io:\n    lookaside: https://sigs.gcr.example/hub\n  docker.io:\n    lookaside: https://sigs.docker.example/store\n",
  "quay.yaml": "docker:\n  quay.io:\n    lookaside: file:///srv/sigs/quay\n    use-sigstore-attachments: true\n",
};

describeHarness("simulation with registries.conf and registries.d vs containers/image 5.23.1", () => {
  let dir = "";
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "imagetrust-sim-reg-"));
    fs.writeFileSync(path.join(dir, "registries.conf"), REGISTRIES_CONF);
    fs.mkdirSync(path.join(dir, "registries.d"));
    for (const [n, t] of Object.entries(REGISTRIES_D)) fs.writeFileSync(path.join(dir, "registries.d", n), t);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("agrees on short-name candidates, pull sources and their lookaside", async () => {
    const conf = loadRegistriesConf({ host: nodeHost(), confPath: path.join(dir, "registries.conf"), confDirs: [], explicit: true });
    expect(conf.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const regD = loadRegistriesDDir(path.join(dir, "registries.d"), { host: nodeHost() });
    expect(regD.value).toBeDefined();
    const sim = createSimulator({
      policy: policyIR({ default: [R.reject], transports: { docker: { "docker.io/library": [R.accept], "quay.io": [R.signedBy] } } }),
      registriesConf: conf.value,
      registriesD: regD.value,
      env: { euid: 0 },
    });
    const shortNames = ["busybox", "fedora", "fedora:39", "nginx@sha256:" + HEX];
    const dockerRefs = ["docker.io/library/busybox:1", "quay.io/blocked/x:1", "example.com/foo/app:1", `example.com/foo/app@sha256:${HEX}`, "blocked.example/x/y:2", "ghcr.io/a/b:3", "quay.io/org/app:1"];
    const goShort = await runGoHarness("shortNames", { registriesConf: path.join(dir, "registries.conf"), refs: shortNames });
    const goPull = await runGoHarness("pullSources", { registriesConf: path.join(dir, "registries.conf"), refs: dockerRefs });

    let compared = 0;
    for (let i = 0; i < shortNames.length; i++) {
      const ours = sim.simulate(shortNames[i]);
      expect(ours.resolution, shortNames[i]).toBeDefined();
      expect(ours.resolution!.candidates, shortNames[i]).toEqual(goShort[i].candidates);
      expect(ours.candidates?.map((c) => c.ref), shortNames[i]).toEqual(goShort[i].candidates);
      compared++;
    }
    // Pull sources: ours for `docker://ref` against Go's PullSourcesFromReference + per-attempt blocked check.
    const sourceRefs = new Set<string>();
    for (let i = 0; i < dockerRefs.length; i++) {
      const ours = sim.simulate("docker://" + dockerRefs[i]);
      const theirs = goPull[i];
      expect(theirs.error ?? null, dockerRefs[i]).toBeNull();
      expect(
        ours.pullSources!.map((s) => ({ reference: s.reference, mirror: s.mirror, insecure: s.insecure, blocked: s.blocked })),
        dockerRefs[i],
      ).toEqual(theirs.sources.map((s: any) => ({ reference: s.reference, mirror: s.mirror, insecure: s.insecure, blocked: s.blocked })));
      for (const s of ours.pullSources!) sourceRefs.add(s.reference);
      compared++;
    }
    // The lookaside of every pull source (signatures follow the pull source).
    const refs = [...sourceRefs];
    const goL = await runGoHarness("lookaside", { registriesDDir: path.join(dir, "registries.d"), references: refs });
    const ourL = new Map<string, { lookasideBase: string | null; sigstoreAttachments: boolean }>();
    for (const r of dockerRefs) for (const s of sim.simulate("docker://" + r).pullSources!) ourL.set(s.reference, s.signatureLookup);
    for (let i = 0; i < refs.length; i++) {
      expect(ourL.get(refs[i])!.lookasideBase, refs[i]).toBe(goL[i].read);
      expect(ourL.get(refs[i])!.sigstoreAttachments, refs[i]).toBe(goL[i].useSigstoreAttachments ?? false);
      compared++;
    }
    expect(compared).toBe(shortNames.length + dockerRefs.length + refs.length);
  });

  it("explains blocked pulls, mirrors and short names", () => {
    const conf = loadRegistriesConf({ host: nodeHost(), confPath: path.join(dir, "registries.conf"), confDirs: [], explicit: true });
    const regD = loadRegistriesDDir(path.join(dir, "registries.d"), { host: nodeHost() });
    const sim = createSimulator({
      policy: policyIR({ default: [R.accept] }),
      registriesConf: conf.value,
      registriesD: regD.value,
      env: { euid: 0 },
    });
    const blocked = sim.simulate("docker://quay.io/blocked/x:1");
    expect(blocked.verdict).toBe("deny");
    expect(blocked.upstreamError).toBe(`registry quay.io/blocked is blocked in ${conf.value!.configPath} or ${conf.value!.configDirPath}`);
    // A blocked registry is still pulled through its mirror.
    const viaMirror = sim.simulate("docker://blocked.example/x/y:2");
    expect(viaMirror.verdict).toBe("allow");
    expect(viaMirror.pullSources!.map((s) => [s.reference, s.blocked])).toEqual([
      ["open-mirror.example/x/y:2", false],
      ["blocked.example/x/y:2", true],
    ]);
    const short = sim.simulate("busybox");
    expect(short.resolution).toMatchObject({ mode: "permissive", aliasUsed: null, error: null });
    expect(short.candidates!.length).toBe(3);
    expect(short.ref).toBe("busybox");
    expect(short.identity).toBe("registry.fedoraproject.org/busybox:latest");
    const alias = sim.simulate("fedora");
    expect(alias.resolution).toMatchObject({ aliasUsed: "fedora", candidates: ["registry.fedoraproject.org/fedora:latest"] });
    const hub = sim.simulate("docker://busybox");
    expect(hub.pullSources![0].signatureLookup.lookasideBase).toBe("https://sigs.gcr.example/hub/library/busybox");
    expect(hub.signatureLookup.lookasideBase).toBe("https://sigs.docker.example/store/library/busybox");
    const text = renderSimulationText([hub]);
    expect(text).toContain("pull sources (in order):");
    expect(text).toContain("mirror.internal.example:5000/hub/library/busybox:latest (mirror, insecure)");
    const enforcing = createSimulator({ policy: policyIR({ default: [R.accept] }), registriesConf: conf.value, shortNameMode: "enforcing" }).simulate("busybox");
    expect(enforcing.error).toBe("short-name resolution enforced but cannot prompt without a TTY");
    expect(enforcing.verdict).toBe("deny");
  });
});
