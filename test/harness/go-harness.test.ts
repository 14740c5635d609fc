import { describe, expect, it } from "vitest";
import {
  GO_DEFAULT_MANIFEST_DIGEST,
  goEvaluate,
  goHarnessAvailable,
  goParsePolicies,
  goParsePolicy,
  goReferences,
  runGoHarness,
  runGoHarnessBatch,
} from "./go-harness.js";

// Under CI the packages are installed by .ci/run: never skip there.
const skip = !goHarnessAvailable() && process.env.CI !== "true";

const accept = [{ type: "insecureAcceptAnything" }];
const reject = [{ type: "reject" }];

describe.skipIf(skip)("Go harness (containers/image 5.23.1)", () => {
  it("answers ping and reports unknown ops as harness errors", async () => {
    const [pong, bad] = await runGoHarnessBatch([{ op: "ping" }, { op: "nope" as never }]);
    expect(pong).toEqual({ ok: true, result: { pong: "containers/image 5.23.1 (Debian)" } });
    expect(bad).toEqual({ ok: false, error: 'unknown op "nope"' });
    await expect(runGoHarness("nope" as never)).rejects.toThrow(/unknown op/);
  });

  it("parses policies with NewPolicyFromBytes", async () => {
    expect(await goParsePolicy(JSON.stringify({ default: accept }))).toEqual({ ok: true });
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
});
