import { describe, expect, it } from "vitest";
import { dockerScopeProblem, neverMatchingScope } from "../../src/lint/rules/never-matching-scope.js";
import { runLint } from "../../src/lint/run.js";
import type { Policy } from "../../src/ir/types.js";
import { SourceFile } from "../../src/source/source-file.js";
import { goHarnessAvailable, runGoHarnessBatch } from "../harness/go-harness.js";

/** scope → expected: undefined (can match), or [partial?, suggestion?]. */
const TABLE: Array<[string, null | { partial?: boolean; suggestion?: string }]> = [
  ["", null],
  ["docker.io", null],
  ["docker.io/library", null],
  ["docker.io/library/busybox", null],
  ["docker.io/library/busybox:latest", null],
  ["docker.io/library/busybox@sha256:" + "a".repeat(64), null],
  ["quay.io", null],
  ["quay.io/acme", null],
  ["quay.io/acme/app:v1", null],
  ["localhost", null],
  ["localhost:5000", null],
  ["localhost:5000/a/b", null],
  ["10.0.0.1:5000/x", null],
  ["*.example.com", null],
  ["*.io", null],
  ["EXAMPLE.com/foo", null],
  ["busybox", { suggestion: "docker.io/library/busybox" }],
  ["busybox:latest", { suggestion: "docker.io/library/busybox:latest" }],
  ["library/busybox", { suggestion: "docker.io/library/busybox" }],
  ["acme/app", { suggestion: "docker.io/acme/app" }],
  ["myregistry", { suggestion: "docker.io/library/myregistry" }],
  ["docker.io/busybox", { partial: true, suggestion: "docker.io/library/busybox" }],
  ["docker.io/busybox:latest", { suggestion: "docker.io/library/busybox:latest" }],
  ["index.docker.io", { suggestion: "docker.io" }],
  ["index.docker.io/library/busybox", { suggestion: "docker.io/library/busybox" }],
  ["index.docker.io/busybox", { suggestion: "docker.io/library/busybox" }],
  ["quay.io/acme/", { suggestion: "quay.io/acme" }],
  ["quay.io/", { suggestion: "quay.io" }],
  ["quay.io/acme/app:v1@sha256:" + "b".repeat(64), { suggestion: "quay.io/acme/app@sha256:" + "b".repeat(64) }],
  ["quay.io/Acme/App", { suggestion: "quay.io/acme/app" }],
  ["*.example.com:5000", { suggestion: "*.example.com" }],
  ["*.example.com/ns", { suggestion: "*.example.com" }],
  ["example*.*.com", {}],
  ["*example.com", {}],
  ["*", {}],
  ["*.*.example.com", {}],
  ["quay.io/acme app", {}],
];

describe("never-matching-scope: dockerScopeProblem", () => {
  for (const [scope, expected] of TABLE) {
    it(`${JSON.stringify(scope)} → ${expected === null ? "can match" : "never matches"}`, () => {
      const p = dockerScopeProblem(scope);
      if (expected === null) {
        expect(p).toBeUndefined();
        return;
      }
      expect(p).toBeDefined();
      expect(p!.partial ?? false).toBe(expected.partial ?? false);
      expect(p!.suggestion).toBe(expected.suggestion);
    });
  }
});

describe("never-matching-scope: the rule", () => {
  const text = `{"default":[{"type":"reject"}],"transports":{"docker":{"busybox":[{"type":"reject"}],"quay.io/acme":[{"type":"reject"}]},"dir":{"busybox":[]},"atomic":{"docker.io/busybox":[{"type":"reject"}]}}}`;
  const src = new SourceFile("p.json", text);
  const at = (s: string) => {
    const i = text.indexOf(`"${s}"`);
    return src.span(i, i + s.length + 2);
  };
  const policy: Policy = {
    default: [{ type: "reject" }],
    transports: [
      {
        name: "docker",
        scopes: [
          { scope: "busybox", keyOrigin: at("busybox"), requirements: [{ type: "reject" }] },
          { scope: "quay.io/acme", keyOrigin: at("quay.io/acme"), requirements: [{ type: "reject" }] },
        ],
      },
      { name: "dir", scopes: [{ scope: "busybox", requirements: [{ type: "reject" }] }] },
      { name: "atomic", scopes: [{ scope: "docker.io/busybox", keyOrigin: at("docker.io/busybox"), requirements: [{ type: "reject" }] }] },
    ],
  };
  it("reports code, position, message and hint for docker-style transports only", () => {
    const ds = runLint({ file: "p.json", policy }, { rules: [neverMatchingScope] });
    expect(ds.map((d) => [d.code, d.severity, d.span?.start])).toEqual([
      ["IT4002", "warning", text.indexOf('"busybox"')],
      ["IT4002", "warning", text.indexOf('"docker.io/busybox"')],
    ]);
    expect(ds[0].message).toBe(
      "Scope 'busybox' of transport 'docker' can never match an image: scopes are compared with fully qualified names (references are normalized, scopes are not).",
    );
    expect(ds[0].hint).toBe("Write 'docker.io/library/busybox'.");
    expect(ds[1].message).toMatch(/^Scope 'docker.io\/busybox' of transport 'atomic' does not match the image it seems to name/);
  });
  it("can be turned off or made an error", () => {
    expect(runLint({ file: "p.json", policy }, { rules: [neverMatchingScope], severities: { "never-matching-scope": "off" } })).toEqual([]);
    const ds = runLint({ file: "p.json", policy }, { rules: [neverMatchingScope], severities: { IT4002: "error" } });
    expect(ds.every((d) => d.severity === "error")).toBe(true);
  });
});

// The claim "never matches" is about containers/image: check it against the real library (5.23.1).
const skip = !goHarnessAvailable() && process.env.CI !== "true";
describe.skipIf(skip)("never-matching-scope agrees with containers/image's scope lookup", () => {
  it("flagged scopes never decide, unflagged ones decide for some reference, suggestions decide for the intended image", async () => {
    const probes = (scope: string): string[] => {
      const s = scope.replace(/^\*\./, "a.").replace(/\/+$/, "");
      const out = [
        "docker://" + s,
        "docker://" + s + "/x",
        "docker://" + s + "/x/y:t",
        "docker://" + s + ":t",
        "docker://" + s.toLowerCase(),
        "docker://" + s.toLowerCase() + "/x",
      ];
      const p = dockerScopeProblem(scope);
      if (p?.suggestion) out.push("docker://" + p.suggestion.replace(/^\*\./, "a."), "docker://" + p.suggestion.replace(/^\*\./, "a.") + "/x");
      return out;
    };
    const cases = TABLE.filter(([s]) => s !== "");
    const requests = cases.map(([scope]) => ({
      op: "evaluate" as const,
      policy: JSON.stringify({ default: [{ type: "reject" }], transports: { docker: { [scope]: [{ type: "insecureAcceptAnything" }] } } }),
      cases: probes(scope).map((reference) => ({ reference })),
    }));
    // The suggestions, each in its own policy, must decide for the first probe built from the suggestion.
    const suggested = cases.filter(([scope]) => dockerScopeProblem(scope)?.suggestion !== undefined);
    const suggestionRequests = suggested.map(([scope]) => {
      const sug = dockerScopeProblem(scope)!.suggestion!;
      return {
        op: "evaluate" as const,
        policy: JSON.stringify({ default: [{ type: "reject" }], transports: { docker: { [sug]: [{ type: "insecureAcceptAnything" }] } } }),
        cases: [{ reference: "docker://" + sug.replace(/^\*\./, "a.") }, { reference: "docker://" + sug.replace(/^\*\./, "a.") + "/x" }],
      };
    });
    const answers = await runGoHarnessBatch([...requests, ...suggestionRequests]);
    let agreed = 0;
    cases.forEach(([scope, expected], i) => {
      const a = answers[i];
      expect(a.ok, JSON.stringify(a)).toBe(true);
      const result = (a as { ok: true; result: { policyError?: string; cases: Array<{ scope: { scope: string } | null }> } }).result;
      expect(result.policyError).toBeUndefined();
      const decided = result.cases.some((c) => c.scope?.scope === scope);
      const flaggedNever = expected !== null && !expected.partial;
      expect(decided, `scope ${JSON.stringify(scope)}`).toBe(!flaggedNever);
      agreed++;
    });
    suggested.forEach(([scope], j) => {
      const a = answers[cases.length + j] as { ok: true; result: { cases: Array<{ scope: { scope: string } | null }> } };
      const sug = dockerScopeProblem(scope)!.suggestion!;
      expect(a.result.cases.some((c) => c.scope?.scope === sug), `suggestion ${sug} for ${scope}`).toBe(true);
    });
    expect(agreed).toBe(cases.length);
  });
});

describe("never-matching-scope in registries.d", () => {
  it("reports docker: keys that never match, at the key", () => {
    const span = { file: "d/a.yaml", start: 10, end: 17 };
    const ds = runLint(
      {
        file: "d",
        registriesD: {
          docker: [
            { scope: "busybox", keyOrigin: span, file: "d/a.yaml", storage: { lookaside: "https://x" } },
            { scope: "quay.io/acme", file: "d/a.yaml", storage: {} },
            { scope: "*.example.com:5000", file: "d/b.yaml", storage: {} },
          ],
        },
      },
      { rules: [neverMatchingScope] },
    );
    expect(ds.map((d) => [d.code, d.span ?? d.file])).toEqual([
      ["IT4002", span],
      ["IT4002", "d/b.yaml"],
    ]);
    expect(ds[0].message).toMatch(/^registries.d scope 'busybox' can never match an image/);
  });
});

describe.skipIf(skip)("never-matching-scope agrees with containers/image's registries.d lookup", () => {
  it("flagged registries.d keys never provide a lookaside, unflagged ones do for some reference", async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const { goLookaside } = await import("../harness/go-harness.js");
    const base = mkdtempSync(path.join(os.tmpdir(), "imagetrust-nms-"));
    let checked = 0;
    for (const [i, [scope, expected]] of TABLE.entries()) {
      if (scope === "" || scope.includes(" ")) continue;
      const dir = path.join(base, String(i));
      mkdirSync(dir);
      writeFileSync(path.join(dir, "a.yaml"), JSON.stringify({ docker: { [scope]: { lookaside: "https://marker.example/s" } } }));
      const s = scope.replace(/^\*\./, "a.").replace(/\/+$/, "");
      const refs = [s, `${s}/x`, `${s}/x/y:t`, `${s}:t`, s.toLowerCase(), `${s.toLowerCase()}/x`].map((r) => "docker://" + r);
      const results = await goLookaside(dir, refs);
      const matched = results.some((r) => r.read?.startsWith("https://marker.example/s"));
      const flaggedNever = expected !== null && !expected.partial;
      expect(matched, `registries.d scope ${JSON.stringify(scope)}`).toBe(!flaggedNever);
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
  });
});
