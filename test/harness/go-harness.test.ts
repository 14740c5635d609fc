import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildGoHarness,
  goBench,
  GO_BUILD_TIMEOUT_MS,
  GO_DEFAULT_MANIFEST_DIGEST,
  goEvaluate,
  goHarnessAvailable,
  goLookaside,
  goParsePolicies,
  goParsePolicy,
  goPullSources,
  goReferences,
  goShortNames,
  runGoHarness,
  runGoHarnessBatch,
} from "./go-harness.js";

// Under CI the packages are installed by .ci/run: never skip there.
const skip = !goHarnessAvailable() && process.env.CI !== "true";

const accept = [{ type: "insecureAcceptAnything" }];
const reject = [{ type: "reject" }];

describe.skipIf(skip)("Go harness (containers/image 5.23.1)", () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "imagetrust-go-harness-test-"));
    await buildGoHarness();
  }, GO_BUILD_TIMEOUT_MS);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("answers ping and reports unknown ops as harness errors", async () => {
    const [pong, bad] = await runGoHarnessBatch([{ op: "ping" }, { op: "nope" as never }]);
    expect(pong).toEqual({ ok: true, result: { pong: "containers/image 5.23.1 (Debian)" } });
    expect(bad).toEqual({ ok: false, error: 'unknown op "nope"' });
    await expect(runGoHarness("nope" as never)).rejects.toThrow(/unknown op/);
  });

  it("parses policies with NewPolicyFromBytes", async () => {
    expect(await goParsePolicy(JSON.stringify({ default: accept }))).toEqual({
      ok: true,
      normalized: { default: accept, transports: {} },
    });
    // The library's own serialisation: keyData as base64, defaults filled in.
    expect(
      await goParsePolicy('{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":"QUJD"}],"transports":{"docker":{}}}'),
    ).toEqual({
      ok: true,
      normalized: {
        default: [{ type: "signedBy", keyType: "GPGKeys", keyData: "QUJD", signedIdentity: { type: "matchRepoDigestOrExact" } }],
        transports: { docker: {} },
      },
    });
    expect(await goParsePolicy("{}")).toEqual({ ok: false, error: "Default policy is missing" });
    const verdicts = await goParsePolicies([
      "",
      '{"default":[]}',
      '{"default":[{"type":"reject"}],"transports":{"dir":{"relative/path":[{"type":"reject"}]}}}',
      '{"default":[{"type":"signedBy","keyType":"GPGKeys"}]}',
    ]);
    expect(verdicts).toEqual([
      { ok: false, error: "unexpected end of JSON input" },
      { ok: false, error: "List of verification policy requirements must not be empty" },
      { ok: false, error: 'Unknown key "relative/path"' },
      {
        ok: false,
        error: "Exactly one of keyPath, keyPaths and keyData must be specified, none of them present",
      },
    ]);
  });

  it("reports identity and namespaces per transport", async () => {
    const [busybox, local, bad, both] = await goReferences([
      "docker://busybox",
      "docker://localhost:5000/a/b:t",
      "busybox",
      "docker://busybox:1@sha256:" + "0".repeat(64),
    ]);
    expect(busybox).toMatchObject({
      transport: "docker",
      identity: "docker.io/library/busybox:latest",
      namespaces: ["docker.io/library/busybox", "docker.io/library", "docker.io", "*.io"],
      dockerReference: "docker.io/library/busybox:latest",
    });
    expect(local.namespaces).toEqual(["localhost:5000/a/b", "localhost:5000/a", "localhost:5000"]);
    expect(bad.parseError).toBe('Invalid image name "busybox", expected colon-separated transport:reference');
    expect(both.parseError).toBe("Docker references with both a tag and digest are currently not supported");
  });

  it("evaluates and reports the upstream precedence table (spec §3.4) exactly", async () => {
    const keys = [
      "",
      "unmatched",
      "deep.com",
      "*.very.deep.com",
      "*.deep.com",
      "deep.com/n1",
      "deep.com/n1/n2",
      "deep.com/n1/n2/n3",
      "deep.com/n1/n2/n3/repo",
      "deep.com/n1/n2/n3/repo:tag2",
    ];
    const policy = {
      default: reject,
      transports: {
        docker: Object.fromEntries(keys.map((k) => [k, accept])),
        atomic: { unmatched: accept },
      },
    };
    // [transport, input, expected scope or null for the global default]
    const table: [string, string, string | null][] = [
      ["docker", "deep.com/n1/n2/n3/repo:tag2", "deep.com/n1/n2/n3/repo:tag2"],
      ["docker", "deep.com/n1/n2/n3/repo:nottag2", "deep.com/n1/n2/n3/repo"],
      ["docker", "deep.com/n1/n2/n3/notrepo:tag2", "deep.com/n1/n2/n3"],
      ["docker", "deep.com/n1/n2/notn3/repo:tag2", "deep.com/n1/n2"],
      ["docker", "deep.com/n1/notn2/n3/repo:tag2", "deep.com/n1"],
      ["docker", "deep.com/notn1/n2/n3/repo:tag2", "deep.com"],
      ["docker", "very.deep.com/n1/n2/n3/repo:tag2", "*.deep.com"],
      ["docker", "not.very.deep.com/n1/n2/n3/repo:tag2", "*.very.deep.com"],
      ["docker", "this.does-not/match:anything", ""],
      ["atomic", "this.does-not/match:anything", null],
      ["dir", "what/ever", null],
    ];
    // Real docker references, and upstream's mock style for every row.
    const res = await goEvaluate(JSON.stringify(policy), [
      ...table.filter(([t]) => t === "docker").map(([, input]) => ({ reference: `docker://${input}` })),
      ...table.map(([t, input]) => ({ reference: input, mockTransport: t })),
    ]);
    expect(res.policyError).toBeUndefined();
    const expected = [...table.filter(([t]) => t === "docker"), ...table].map(([t, , scope]) =>
      scope === null ? null : { transport: t, scope },
    );
    expect(res.cases.map((c) => (c.scope ? { transport: c.scope.transport, scope: c.scope.scope } : null))).toEqual(
      expected,
    );
    // Every scope allows, the global default rejects.
    expect(res.cases.map((c) => c.allowed)).toEqual(expected.map((e) => e !== null));
    const first = res.cases[0];
    expect(first.scope).toEqual({ transport: "docker", scope: "deep.com/n1/n2/n3/repo:tag2", match: "identity" });
    expect(res.cases[1].scope?.match).toBe("namespace");
    expect(res.cases[8].scope).toEqual({ transport: "docker", scope: "", match: "transport-default" });
    expect(res.cases.at(-2)?.error).toBe("Running image atomic:this.does-not/match:anything is rejected by policy.");
  });

  it("reports denials with the library's messages and the served manifest digest", async () => {
    const policy = {
      default: reject,
      transports: {
        docker: {
          "example.com": [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/nonexistent/key.gpg" }],
        },
      },
    };
    const res = await goEvaluate(JSON.stringify(policy), [
      { reference: "docker://example.com/app:1" },
      { reference: "docker://quay.io/app" },
      { reference: "nonsense:x" },
    ]);
    expect(res.cases[0]).toMatchObject({
      allowed: false,
      error: "A signature was required, but no signature exists",
      errorKind: "requirement",
      scope: { transport: "docker", scope: "example.com", match: "namespace" },
      manifestDigest: GO_DEFAULT_MANIFEST_DIGEST,
    });
    expect(res.cases[1]).toMatchObject({
      allowed: false,
      error: "Running image docker://quay.io/app:latest is rejected by policy.",
      scope: null,
    });
    expect(res.cases[2].parseError).toBe('Invalid image name "nonsense:x", unknown transport "nonsense"');
    const broken = await goEvaluate("{}", [{ reference: "docker://busybox" }]);
    expect(broken).toEqual({ policyError: "Default policy is missing", cases: [] });
  });

  it("reports registries.d lookaside URLs and use-sigstore-attachments", async () => {
    const dir = path.join(tmp, "registries.d");
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, "a.yaml"),
      [
        "default-docker:",
        "  lookaside: https://default.example/sigs",
        "docker:",
        "  example.com:",
        "    use-sigstore-attachments: true",
        "  example.com/repo:",
        "    lookaside: file:///srv/sigs/",
        "  quay.io:",
        "    lookaside: /no/scheme",
        "",
      ].join("\n"),
    );
    fs.writeFileSync(path.join(dir, "ignored.yml"), "default-docker: {lookaside: https://never}\n");
    const [repo, other, busybox, noScheme, bad] = await goLookaside(dir, [
      "example.com/repo:1",
      "docker://example.com/other",
      "busybox",
      "quay.io/x",
      "BAD!",
    ]);
    // Trailing slash kept (//), full repository path appended, attachments inherited from the namespace.
    expect(repo).toMatchObject({ read: "file:///srv/sigs//repo", write: "file:///srv/sigs//repo", useSigstoreAttachments: true });
    // A namespace with only use-sigstore-attachments does not stop the lookaside search.
    expect(other).toMatchObject({ read: "https://default.example/sigs/other", useSigstoreAttachments: true });
    expect(busybox).toMatchObject({ read: "https://default.example/sigs/library/busybox", useSigstoreAttachments: false });
    expect(noScheme.readError).toBe("panic: runtime error: invalid memory address or nil pointer dereference");
    expect(bad.parseError).toBe("invalid reference format: repository name must be lowercase");

    const empty = path.join(tmp, "empty.d");
    fs.mkdirSync(empty);
    const [dflt] = await goLookaside(empty, ["quay.io/a/b"]);
    expect(dflt.read).toBe(
      process.getuid?.() === 0 ? "file:///var/lib/containers/sigstore/a/b" : `file://${os.homedir()}/.local/share/containers/sigstore/a/b`,
    );
  });

  it("reports pull sources, per-attempt blocking and short-name resolution", async () => {
    const conf = path.join(tmp, "registries.conf");
    fs.writeFileSync(
      conf,
      [
        'unqualified-search-registries = ["quay.io", "docker.io"]',
        'short-name-mode = "enforcing"',
        "[aliases]",
        '"fedora" = "registry.fedoraproject.org/fedora"',
        "[[registry]]",
        'prefix = "example.com"',
        'location = "example.com"',
        "blocked = true",
        "[[registry.mirror]]",
        'location = "mirror.example.net"',
        "",
      ].join("\n"),
    );
    const [blocked, plain] = await goPullSources({ registriesConf: conf }, ["example.com:5000/app", "busybox"]);
    expect(blocked.registry).toMatchObject({ prefix: "example.com", blocked: true });
    expect(blocked.sources).toEqual([
      { reference: "mirror.example.net:5000/app:latest", location: "mirror.example.net", insecure: false, mirror: true, blocked: false },
      { reference: "example.com:5000/app:latest", location: "example.com", insecure: false, mirror: false, blocked: true },
    ]);
    expect(plain).toMatchObject({ registry: null, sources: [{ reference: "docker.io/library/busybox:latest", mirror: false }] });

    const [fedora, busybox, qualified] = await goShortNames({ registriesConf: conf }, ["fedora", "busybox", "quay.io/x"]);
    expect(fedora).toMatchObject({ isShortName: true, candidates: ["registry.fedoraproject.org/fedora:latest"] });
    expect(fedora.description).toBe(`Resolved "fedora" as an alias (${conf})`);
    expect(busybox.error).toBe("short-name resolution enforced but cannot prompt without a TTY");
    expect(busybox.local).toEqual(["localhost/busybox:latest", "quay.io/busybox:latest", "docker.io/library/busybox:latest"]);
    expect(qualified).toMatchObject({ isShortName: false, candidates: ["quay.io/x:latest"] });
    const [permissive] = await goShortNames({ registriesConf: conf, shortNameMode: "permissive" }, ["busybox"]);
    expect(permissive.candidates).toEqual(["quay.io/busybox:latest", "docker.io/library/busybox:latest"]);

    // A broken file makes every lookup fail, and the next request sees the change.
    fs.writeFileSync(conf, "[[registry]]\nprefix = \"example.com\"\n");
    const [broken] = await goPullSources({ registriesConf: conf }, ["example.com/app"]);
    expect(broken.error).toBe(
      `loading registries configuration "${conf}": invalid condition: location is unset and prefix is not in the format: *.example.com`,
    );
  });

  it("times decisions with the bench op", async () => {
    const policy = JSON.stringify({
      default: reject,
      transports: { docker: { "quay.io": accept, "": [{ type: "signedBy", keyType: "GPGKeys", keyData: "" }] } },
    });
    const res = await goBench(policy, ["docker://quay.io/a", "docker://example.com/b", "dir:/x", "bad"], 3);
    expect(res).toMatchObject({ decisions: 9, allowed: 3, parseErrors: 3 });
    expect(res.seconds).toBeGreaterThan(0);
    expect(res.decisionsPerSecond).toBeCloseTo(9 / res.seconds, 5);
    await expect(goBench("{}", ["docker://a"])).rejects.toThrow("bench: policy: Default policy is missing");
  });
});
