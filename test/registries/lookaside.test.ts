/**
 * Lookaside lookup and URL construction: the spec's examples (containers-policy.md §5.3, §5.4) and the
 * observed 5.23.1 facts (observed-behaviour.md), independent of the Go harness.
 */
import { describe, expect, it } from "vitest";
import { loadRegistriesDFile } from "../../src/load/registries-d/index.js";
import { parseNormalizedNamed, type DockerReference } from "../../src/reference/docker-reference.js";
import { lookasideSignatureUrl, signatureStorageFor, sigstoreAttachmentTag } from "../../src/registries/lookaside.js";
import { SourceFile } from "../../src/source/source-file.js";
import type { RegistriesDConfig } from "../../src/ir/types.js";

const V523 = [5, 23, 1] as const;
const ROOT = { euid: 0, home: "/root", target: V523 };
const USER = { euid: 1000, home: "/home/alice", target: V523 };
const HEX = "817a12c32a39bbe394944ba49de563e085f1d3c5266eb8e9723256bc4448680e";

function ref(s: string): DockerReference {
  const r = parseNormalizedNamed(s);
  if (!r.ok) throw new Error(r.error);
  return r.ref;
}

function config(yaml: string): RegistriesDConfig {
  const r = loadRegistriesDFile(new SourceFile("/etc/containers/registries.d/t.yaml", yaml), { target: V523 });
  if (!r.value) throw new Error(JSON.stringify(r.diagnostics));
  return { defaultDocker: r.value.defaultDocker, docker: r.value.docker };
}

describe("URL construction (§5.4)", () => {
  it("a trailing slash in the base gives //", () => {
    const c = config("docker:\n  example.com:\n    lookaside: https://x.example/base/\n");
    expect(signatureStorageFor(ref("example.com/ns/repo"), c, ROOT).lookasideBase).toBe("https://x.example/base//ns/repo");
  });
  it("the query stays at the end", () => {
    const c = config("default-docker:\n  lookaside: https://q.example/p?token=1\n");
    expect(signatureStorageFor(ref("q.example/r/s"), c, ROOT).lookasideBase).toBe("https://q.example/p/r/s?token=1");
  });
  it("the full signature URL for busybox", () => {
    const u = lookasideSignatureUrl("https://example.com/lookaside", ref("busybox"), `sha256:${HEX}`, 0, ROOT);
    expect(u).toEqual({ ok: true, url: `https://example.com/lookaside/library/busybox@sha256=${HEX}/signature-1`, scheme: "https" });
  });
  it("file: URLs give the path the transport reads", () => {
    const u = lookasideSignatureUrl("file:///var/sigs", ref("quay.io/a/b:1"), `sha256:${HEX}`, 2, ROOT);
    expect(u).toMatchObject({ ok: true, filePath: `/var/sigs/a/b@sha256=${HEX}/signature-3` });
  });
  it("an opaque file:relative URL gives the same string for every repository", () => {
    const a = lookasideSignatureUrl("file:relative", ref("quay.io/a"), `sha256:${HEX}`, 0, ROOT);
    const b = lookasideSignatureUrl("file:relative", ref("quay.io/b"), `sha256:${HEX}`, 0, ROOT);
    expect(a.ok && b.ok && a.url).toBe("file:relative");
    expect(b.ok && b.url).toBe("file:relative");
    expect(a.ok && a.filePath).toBe(`/a@sha256=${HEX}/signature-1`);
  });
  it("the path is the repository without the host, whatever entry matched", () => {
    const c = config("docker:\n  example.com/ns:\n    lookaside: https://s/ns\n");
    expect(signatureStorageFor(ref("example.com/ns/app:1"), c, ROOT).lookasideBase).toBe("https://s/ns/ns/app");
  });
  it("5.23.1 resolves dot segments and keeps user:password", () => {
    const c = config("default-docker:\n  lookaside: https://u:p@h.example/a/../b/./c\n");
    expect(signatureStorageFor(ref("h.example/r"), c, ROOT).lookasideBase).toBe("https://u:p@h.example/b/c/r");
  });
  it("invalid URLs give upstream's error", () => {
    const c = config('default-docker:\n  lookaside: ":emptyscheme"\n');
    expect(signatureStorageFor(ref("busybox"), c, ROOT).error).toBe('Invalid signature storage URL :emptyscheme: parse ":emptyscheme": missing protocol scheme');
  });
  it("a scheme-less value: 5.23.1 panics; newer versions take it as a path", () => {
    const c = config("default-docker:\n  lookaside: /var/lib/sigs\n");
    const old = signatureStorageFor(ref("busybox"), c, ROOT);
    expect(old.lookasideBase).toBeNull();
    expect(old.error).toContain("panics");
    expect(signatureStorageFor(ref("busybox"), c, { ...ROOT, target: undefined }).lookasideBase).toBe("/var/lib/sigs/library/busybox");
  });
  it("sigstore attachments are tagged <algo>-<hex>.sig", () => {
    expect(sigstoreAttachmentTag(`sha256:${HEX}`)).toBe(`sha256-${HEX}.sig`);
  });
});

describe("lookup (§5.3)", () => {
  it("nothing configured: the built-in default for root and for others", () => {
    const c: RegistriesDConfig = { docker: [] };
    const r = signatureStorageFor(ref("busybox"), c, ROOT);
    expect(r.lookasideBase).toBe("file:///var/lib/containers/sigstore/library/busybox");
    expect(r.matched.read).toEqual({ kind: "built-in" });
    expect(signatureStorageFor(ref("busybox"), c, USER).lookasideWriteBase).toBe("file:///home/alice/.local/share/containers/sigstore/library/busybox");
  });
  it("entries without a URL fall through; staging is for writing only", () => {
    const c = config(`docker:
  example.com/ns/app:
    use-sigstore-attachments: false
  example.com/ns:
    lookaside-staging: file:///stage
  example.com:
    lookaside: ""
  "*.com":
    sigstore: https://wild.example
`);
    const r = signatureStorageFor(ref("example.com/ns/app:1"), c, ROOT);
    expect(r.lookasideBase).toBe("https://wild.example/ns/app");
    expect(r.matched.read).toMatchObject({ kind: "scope", scope: "*.com", key: "sigstore" });
    expect(r.lookasideWriteBase).toBe("file:///stage/ns/app");
    expect(r.matched.write).toMatchObject({ kind: "scope", scope: "example.com/ns", key: "lookaside-staging" });
    expect(r.useSigstoreAttachments).toBe(false);
    expect(r.matched.attachments).toMatchObject({ kind: "scope", scope: "example.com/ns/app" });
  });
  it("use-sigstore-attachments falls through independently", () => {
    const c = config("docker:\n  quay.io/a/b:\n    lookaside: https://l\n  quay.io:\n    use-sigstore-attachments: true\n");
    const r = signatureStorageFor(ref("quay.io/a/b"), c, ROOT);
    expect(r.lookasideBase).toBe("https://l/a/b");
    expect(r.useSigstoreAttachments).toBe(true);
  });
  it("keys are normalized identities: 'busybox' never matches; wildcards do", () => {
    const c = config('docker:\n  busybox:\n    lookaside: https://never\n  "*.example.io":\n    lookaside: https://io\n');
    expect(signatureStorageFor(ref("busybox"), c, ROOT).matched.read).toEqual({ kind: "built-in" });
    expect(signatureStorageFor(ref("a.b.example.io:5000/x"), c, ROOT).lookasideBase).toBe("https://io/x");
    expect(signatureStorageFor(ref("example.io/x"), c, ROOT).matched.read).toEqual({ kind: "built-in" });
  });
  it("quay.io/library/busybox and docker.io/library/busybox share a path under default-docker", () => {
    const c = config("default-docker:\n  lookaside: https://d\n");
    expect(signatureStorageFor(ref("quay.io/library/busybox"), c, ROOT).lookasideBase).toBe(signatureStorageFor(ref("busybox"), c, ROOT).lookasideBase);
  });
  it("explains its decision", () => {
    const c = config("docker:\n  example.com:\n    use-sigstore-attachments: true\ndefault-docker:\n  lookaside: https://d\n");
    const r = signatureStorageFor(ref("example.com/x"), c, ROOT);
    expect(r.trail.join("\n")).toMatch(/docker scope 'example.com'.*no read URL; falling through/);
    expect(r.trail.join("\n")).toMatch(/default-docker .* sets 'lookaside' = https:\/\/d/);
  });
});
