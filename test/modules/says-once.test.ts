/** The language says what it means, once: compile reports what lint knows about scopes, with lint's own codes. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileTrustSource } from "../../src/check/compile-source.js";
import { SourceFile } from "../../src/source/source-file.js";
import { runCli } from "../cli/helpers.js";

const NEVER = `default reject
docker {
  "busybox"          accept
  "library/busybox"  accept
  "*.internal"       reject {
    "team"  accept
  }
}
transport "Docker" {
  default  accept
}
`;

function file(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "imagetrust-once-"));
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const findings = (out: string, code: string) => out.split("\n").filter((l) => l.includes(` ${code} `)).map((l) => l.replace(/^.*?:(\d+):(\d+) /, "$1:$2 "));

describe("compile reports scopes that can never match, with lint's codes and words", () => {
  it("busybox, library/busybox, a child under a wildcard, transport \"Docker\"", async () => {
    const p = file("never.trust", NEVER);
    const compiled = await runCli(["compile", p, "--out", join(p, "..", "out")]);
    const linted = await runCli(["lint", p]);
    expect(compiled.code).toBe(0);
    const c2 = findings(compiled.stdout, "IT4002");
    expect(c2).toEqual([
      "3:3 warning IT4002 Scope 'busybox' of transport 'docker' can never match an image: scopes are compared with fully qualified names (references are normalized, scopes are not).",
      "4:3 warning IT4002 Scope 'library/busybox' of transport 'docker' can never match an image: scopes are compared with fully qualified names (references are normalized, scopes are not).",
      "6:5 warning IT4002 Scope '*.internal/team' of transport 'docker' can never match an image: wildcard scopes match hosts only, never repositories below them.",
    ]);
    expect(findings(compiled.stdout, "IT4003")).toHaveLength(1);
    // The same findings, once each, as lint reports them.
    expect(findings(linted.stdout, "IT4002")).toEqual(c2);
    expect(findings(linted.stdout, "IT4003")).toEqual(findings(compiled.stdout, "IT4003"));
  });

  it("a source without such scopes compiles with no new output", async () => {
    const r = await runCli(["compile", "examples/enterprise.trust", "--keys", "examples/keys", "--out", mkdtempSync(join(tmpdir(), "imagetrust-once-"))]);
    expect(r.stdout).not.toContain("IT40");
  });
});

describe("children of a containers-storage store scope", () => {
  it("are joined as the transport builds identities: [driver@root]name, no slash", async () => {
    const text = `default reject
containers-storage {
  "[vfs@/var/lib/containers/storage]"  reject {
    "docker.io/library/busybox"  accept
  }
}
expect allow "containers-storage:[vfs@/var/lib/containers/storage]docker.io/library/busybox:latest" by "[vfs@/var/lib/containers/storage]docker.io/library/busybox"
expect deny  "containers-storage:[vfs@/var/lib/containers/storage]docker.io/library/alpine:latest" by "[vfs@/var/lib/containers/storage]"
`;
    const r = compileTrustSource(new SourceFile("cs.trust", text), { checkKeyFiles: false });
    expect(r.diagnostics).toEqual([]);
    expect(r.value!.policy.transports[0].scopes.map((s) => s.scope)).toEqual(["[vfs@/var/lib/containers/storage]", "[vfs@/var/lib/containers/storage]docker.io/library/busybox"]);
    const t = await runCli(["test", file("cs.trust", text)]);
    expect(t.stdout).toContain("2 passed, 0 failed");
  });
});

describe("a typo in a block keyword", () => {
  it("is reported first, with a did-you-mean", () => {
    const r = compileTrustSource(new SourceFile("t.trust", `default reject\nsignatures {\n  "a.example" lookasid "https://x.example"\n}\n`), { checkKeyFiles: false });
    expect(r.diagnostics[0].code).toBe("IT2010");
    expect(r.diagnostics[0].hint).toBe("Did you mean 'lookaside'?");
  });
});

describe("import names levels so that they cannot be misread", () => {
  it("a second level on key K is signed-by-K-variant-2, never signed-by-K-2 beside a key K-2", async () => {
    const policy = JSON.stringify({
      default: [{ type: "reject" }],
      transports: {
        docker: {
          "a.example": [{ type: "sigstoreSigned", keyPath: "/k/public-key.pub", signedIdentity: { type: "matchRepository" } }],
          "b.example": [{ type: "sigstoreSigned", keyPath: "/k/public-key.pub", signedIdentity: { type: "matchRepository" } }],
          "c.example": [{ type: "sigstoreSigned", keyPath: "/k/public-key.pub" }],
          "d.example": [{ type: "sigstoreSigned", keyPath: "/k/public-key.pub" }],
          "e.example": [{ type: "sigstoreSigned", keyPath: "/j/public-key.pub" }],
          "f.example": [{ type: "sigstoreSigned", keyPath: "/j/public-key.pub" }],
        },
      },
    });
    const r = await runCli(["import", file("policy.json", policy)]);
    expect(r.code).toBe(0);
    const levels = r.stdout.split("\n").filter((l) => l.startsWith("level "));
    expect(levels).toEqual([
      "level signed-by-public-key           = signed by public-key identity repository",
      "level signed-by-public-key-variant-2 = signed by public-key",
      "level signed-by-public-key-2         = signed by public-key-2",
    ]);
  });
});

