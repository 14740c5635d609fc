/**
 * Simulation results: reference → scope → verdict tables (spec containers-policy.md §3.4, §4.1), the JSON
 * shape, signature lookup through registries.d, warnings, the signature-evidence seam, and golden text.
 */
import { nodeHost } from "../../src/host/node-host.js";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RegistriesDConfig, SignedBy, SigstoreSigned } from "../../src/ir/types.js";
import { simulate, parseRefsFile } from "../../src/simulate/simulate-refs.js";
import { simulationExitCode } from "../../src/cli/exit-codes.js";
import { renderSimulationText } from "../../src/simulate/render-text.js";
import { createSimulator } from "../../src/simulate/simulate.js";
import { summarizeSignatureRejections, type SignatureEvidence } from "../../src/simulate/evaluate.js";
import { policyIR, R, type PolicySpec } from "./policy-builder.js";
import { checkGolden } from "./golden.js";

const HEX = "0123456789abcdef".repeat(4);

describe("reference → scope → verdict", () => {
  let tmp = "";
  beforeAll(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "imagetrust-sim-")));
    fs.mkdirSync(path.join(tmp, "real", "sub", "img"), { recursive: true });
    fs.symlinkSync(path.join(tmp, "real"), path.join(tmp, "link"));
    fs.writeFileSync(path.join(tmp, "real", "a.tar"), "");
    fs.writeFileSync(path.join(tmp, "real", "a.sif"), "");
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("follows upstream's precedence test (policy_eval_test.go TestPolicyContextRequirementsForImageRef)", () => {
    const scopes = ["", "unmatched", "deep.com", "*.very.deep.com", "*.deep.com", "deep.com/n1", "deep.com/n1/n2", "deep.com/n1/n2/n3", "deep.com/n1/n2/n3/repo", "deep.com/n1/n2/n3/repo:tag2"];
    const spec: PolicySpec = { default: [R.reject], transports: { docker: Object.fromEntries(scopes.map((s) => [s, [R.accept]])), atomic: { unmatched: [R.accept] } } };
    const table: [string, string | null][] = [
      ["docker://deep.com/n1/n2/n3/repo:tag2", "deep.com/n1/n2/n3/repo:tag2"],
      ["docker://deep.com/n1/n2/n3/repo:nottag2", "deep.com/n1/n2/n3/repo"],
      ["docker://deep.com/n1/n2/n3/notrepo:tag2", "deep.com/n1/n2/n3"],
      ["docker://deep.com/n1/n2/notn3/repo:tag2", "deep.com/n1/n2"],
      ["docker://deep.com/n1/notn2/n3/repo:tag2", "deep.com/n1"],
      ["docker://deep.com/notn1/n2/n3/repo:tag2", "deep.com"],
      ["docker://very.deep.com/n1/n2/n3/repo:tag2", "*.deep.com"],
      ["docker://not.very.deep.com/n1/n2/n3/repo:tag2", "*.very.deep.com"],
      ["docker://this.does-not/match:anything", ""],
      ["atomic:this.does-not/match/x:anything", null],
      ["dir:/tmp", null],
    ];
    const results = simulate({ policy: policyIR(spec), refs: table.map((t) => t[0]) });
    table.forEach(([ref, want], i) => {
      expect(results[i].error, ref).toBeNull();
      expect(results[i].scope?.scope ?? null, ref).toBe(want);
      expect(results[i].verdict, ref).toBe(want === null ? "deny" : "allow");
    });
    expect(results[9].scope).toBeNull();
    expect(results[9].trail.at(-1)).toBe("fell back to the global default");
  });

  it("uses each transport's identity and namespaces (spec §3.4 worked examples)", () => {
    const T = tmp;
    const cases: { ref: string; identity: string; tried: string[]; scope: string }[] = [
      { ref: "docker://busybox", identity: "docker.io/library/busybox:latest", tried: ["docker.io/library/busybox", "docker.io/library", "docker.io", "*.io"], scope: "" },
      { ref: "docker://a.b.quay.io:443/org/repo:v1", identity: "a.b.quay.io:443/org/repo:v1", tried: ["a.b.quay.io:443/org/repo", "a.b.quay.io:443/org", "a.b.quay.io:443", "*.b.quay.io", "*.quay.io"], scope: "*.quay.io" },
      { ref: `docker://localhost:5000/a/b@sha256:${HEX}`, identity: `localhost:5000/a/b@sha256:${HEX}`, tried: ["localhost:5000/a/b", "localhost:5000/a", "localhost:5000"], scope: "" },
      { ref: `docker-daemon:sha256:${HEX}`, identity: "", tried: [], scope: "" },
      { ref: `docker-archive:${T}/real/a.tar:busybox:v1`, identity: "", tried: [], scope: "" },
      { ref: `dir:${T}/link/sub/img`, identity: `${T}/real/sub/img`, tried: [`${T}/real/sub`, `${T}/real`], scope: `${T}/real` },
      // oci's namespaces start with the layout directory itself (equal to the identity, so tried again).
      { ref: `oci:${T}/link/sub/img:myref`, identity: `${T}/real/sub/img`, tried: [`${T}/real/sub/img`, `${T}/real/sub`], scope: `${T}/real/sub` },
      { ref: `containers-storage:[vfs@${T}/r+${T}/run]busybox`, identity: `[vfs@${T}/r]docker.io/library/busybox:latest`, tried: [`[vfs@${T}/r]docker.io/library/busybox`, `[vfs@${T}/r]docker.io/library`, `[vfs@${T}/r]docker.io`, `[vfs@${T}/r]`], scope: `[vfs@${T}/r]` },
      {
        ref: `containers-storage:[vfs@${T}/r]quay.io/org/repo:v1@${HEX}`,
        identity: `[vfs@${T}/r]quay.io/org/repo:v1@${HEX}`,
        tried: [`[vfs@${T}/r]quay.io/org/repo:v1`, `[vfs@${T}/r]quay.io/org/repo`, `[vfs@${T}/r]quay.io/org`, `[vfs@${T}/r]quay.io`, `[vfs@${T}/r]`],
        scope: `[vfs@${T}/r]`,
      },
      { ref: `oci-archive:${T}/link/a.tar:ref`, identity: `${T}/real/a.tar`, tried: [`${T}/real/a.tar`, `${T}/real`], scope: `${T}/real` },
      { ref: `sif:${T}/link/a.sif`, identity: `${T}/real/a.sif`, tried: [`${T}/real`], scope: `${T}/real` },
      { ref: `tarball:${T}/real/a.tar`, identity: "", tried: [], scope: "" },
    ];
    const spec: PolicySpec = {
      default: [R.reject],
      transports: {
        docker: { "*.quay.io": [R.accept], "": [R.accept] },
        "docker-daemon": { "": [R.accept] },
        "docker-archive": { "": [R.accept] },
        dir: { [`${T}/real`]: [R.accept] },
        oci: { [`${T}/real/sub`]: [R.accept] },
        "containers-storage": { [`[vfs@${T}/r]`]: [R.accept] },
        "oci-archive": { [`${T}/real`]: [R.accept] },
        sif: { [`${T}/real`]: [R.accept] },
        tarball: { "": [R.accept] },
      },
    };
    const results = simulate({ policy: policyIR(spec), refs: cases.map((c) => c.ref), parse: { host: nodeHost() } });
    cases.forEach((c, i) => {
      const r = results[i];
      expect(r.error, c.ref).toBeNull();
      expect(r.identity, c.ref).toBe(c.identity);
      expect(r.namespacesTried, c.ref).toEqual(c.tried);
      expect(r.scope?.scope, c.ref).toBe(c.scope);
      expect(r.verdict, c.ref).toBe("allow");
    });
  });

  it("reports every denial with the runtime's message, first denial wins", () => {
    const spec: PolicySpec = {
      default: [R.reject],
      transports: {
        docker: {
          "a.example/reject": [R.accept, R.reject, R.signedBy],
          "a.example/base": [R.baseLayer],
          "a.example/signed": [R.signedBy, R.reject],
          "a.example/sigstore": [R.sigstore],
          "a.example/open": [R.accept, R.accept],
        },
      },
    };
    const r = simulate({ policy: policyIR(spec), refs: ["docker://a.example/reject/x:1", "docker://a.example/base:1", "docker://a.example/signed@sha256:" + HEX, "docker://a.example/sigstore", "docker://a.example/open:1", "docker://b.example/x", "dir:/x"] });
    expect(r.map((x) => x.upstreamError)).toEqual([
      "Running image docker://a.example/reject/x:1 is rejected by policy.",
      "signedBaseLayer not implemented yet!",
      "A signature was required, but no signature exists",
      "A signature was required, but no signature exists",
      null,
      "Running image docker://b.example/x:latest is rejected by policy.",
      "Running image dir:/x is rejected by policy.",
    ]);
    expect(r[0].requirements.map((q) => q.status)).toEqual(["allow", "deny", "skipped"]);
    expect(r[2].requirements.map((q) => q.status)).toEqual(["deny", "skipped"]);
    expect(r[2].requirements[0].wouldAllow).toContain("claiming the repository a.example/signed with a tag or digest");
    expect(r[3].requirements[0].wouldAllow).toContain("claiming exactly a.example/sigstore:latest");
    expect(r[4].verdict).toBe("allow");
    expect(simulationExitCode(r)).toBe(1);
    expect(simulationExitCode([r[4]])).toBe(0);
  });

  it("fails cleanly on references that do not parse", () => {
    const r = simulate({ policy: policyIR({ default: [R.accept] }), refs: ["docker://UPPER/x", "nonsense:x:y", "docker-daemon:busybox"] });
    for (const x of r) {
      expect(x.error).not.toBeNull();
      expect(x.verdict).toBe("deny");
      expect(x.scope).toBeNull();
    }
    expect(r[0].error).toContain("repository name must be lowercase");
  });
});

describe("JSON shape", () => {
  it("has the documented fields", () => {
    const [r] = simulate({ policy: policyIR({ default: [R.signedBy] }), refs: ["docker://quay.io/a/b:1"], env: { euid: 0 } });
    const json = JSON.parse(JSON.stringify(r));
    for (const k of ["ref", "transport", "identity", "namespacesTried", "scope", "verdict", "requirements", "reasons", "signatureLookup"]) expect(json).toHaveProperty(k);
    expect(Object.keys(json.signatureLookup).sort()).toEqual(["lookasideBase", "lookasideSignature1", "sigstoreAttachments"]);
    expect(json.scope).toBeNull();
    expect(json.verdict).toBe("deny");
    expect(json.signatureLookup).toEqual({ lookasideBase: "file:///var/lib/containers/sigstore/a/b", lookasideSignature1: null, sigstoreAttachments: false });
    expect(json.requirements[0].keys).toEqual({ keyType: "GPGKeys", keyPath: "/nonexistent/key.gpg" });
    expect(json.requirements[0].identity.meaning).toBe("matchRepoDigestOrExact (the default): a signature must claim exactly quay.io/a/b:1");
  });

  it("reads refs files", () => {
    expect(parseRefsFile("# c\ndocker://a/b\n\n  dir:/x  \r\n")).toEqual(["docker://a/b", "dir:/x"]);
  });
});

describe("signature lookup and warnings", () => {
  const registriesD: RegistriesDConfig = {
    docker: [
      { scope: "quay.io/acme", file: "/etc/containers/registries.d/acme.yaml", storage: { lookaside: "https://sigs.acme.example/store", useSigstoreAttachments: true } },
      { scope: "registry.example", file: "/etc/containers/registries.d/x.yaml", storage: { lookaside: "https://sigs.example/base/" } },
    ],
  };
  const manifest = new TextEncoder().encode("{}");
  const digestHex = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
  const spec: PolicySpec = { default: [R.signedBy], transports: { docker: { "quay.io/acme": [R.sigstore] }, oci: { "": [R.signedBy] }, dir: { "": [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/k", signedIdentity: { type: "matchRepository" } }] } } };

  it("computes lookaside URLs from registries.d and the manifest digest", () => {
    const [a, b, c] = simulate({ policy: policyIR(spec), registriesD, manifest, env: { euid: 0 }, refs: ["docker://quay.io/acme/app:1", "docker://registry.example/ns/app:1", `docker://other.example/app@sha256:${HEX}`] });
    expect(a.signatureLookup).toEqual({
      lookasideBase: "https://sigs.acme.example/store/acme/app",
      lookasideSignature1: `https://sigs.acme.example/store/acme/app@sha256=${digestHex}/signature-1`,
      sigstoreAttachments: true,
    });
    expect(a.requirements[0].signatureSource).toContain(`sha256-${digestHex}.sig`);
    expect(a.warnings).toEqual([]);
    // A trailing slash in the base gives "//" (spec §5.4).
    expect(b.signatureLookup.lookasideBase).toBe("https://sigs.example/base//ns/app");
    expect(b.warnings).toEqual([]);
    // A digest reference names its own digest; nothing configured → the built-in default for root.
    expect(c.signatureLookup.lookasideSignature1).toBe(`file:///var/lib/containers/sigstore/app@sha256=${HEX}/signature-1`);
    expect(c.warnings.join("\n")).toContain("only from the built-in default local directory");
  });

  it("reports a lookaside that containers/image 5.23.1 cannot use", () => {
    const bad: RegistriesDConfig = { docker: [{ scope: "x.example", file: "/r.d/x.yaml", storage: { lookaside: "/var/lib/sigs" } }] };
    const [r] = simulate({ policy: policyIR(spec), registriesD: bad, env: { euid: 0 }, parse: { target: [5, 23, 1] }, refs: ["docker://x.example/app:1"] });
    expect(r.signatureLookup.lookasideBase).toBeNull();
    expect(r.warnings.join("\n")).toContain("panics");
  });

  it("uses the non-root built-in default", () => {
    const [r] = simulate({ policy: policyIR(spec), env: { euid: 1000, home: "/home/u" }, refs: ["docker://x.example/app:1"] });
    expect(r.signatureLookup.lookasideBase).toBe("file:///home/u/.local/share/containers/sigstore/app");
  });

  it("warns when the lookup can never find anything", () => {
    const noAttach = simulate({ policy: policyIR(spec), registriesD: { docker: [] }, env: { euid: 0 }, refs: ["docker://quay.io/acme/app:1"] })[0];
    expect(noAttach.warnings.join("\n")).toContain("use-sigstore-attachments is not enabled");
    const oci = simulate({ policy: policyIR(spec), refs: ["oci:/tmp/layout"] })[0];
    expect(oci.warnings.join("\n")).toContain("the oci transport never provides signatures");
    expect(oci.warnings.join("\n")).toContain("has no Docker reference");
    const dir = simulate({ policy: policyIR(spec), refs: ["dir:/tmp/img"] })[0];
    expect(dir.warnings.join("\n")).toContain("signedIdentity matchRepository can never be satisfied");
    expect(dir.requirements[0].signatureSource).toContain("signature-1, signature-2");
  });
});

describe("signature evidence seam", () => {
  const spec: PolicySpec = { default: [R.reject], transports: { docker: { "quay.io": [R.signedBy, R.sigstore] } } };
  it("lets verified signatures allow, and reports their rejections", () => {
    const calls: string[] = [];
    const accepting: SignatureEvidence = {
      evaluate(req: SignedBy | SigstoreSigned, image) {
        calls.push(`${req.type} ${image.imageName}`);
        return { allowed: true, signatures: [{ index: 0, accepted: true, claimedIdentity: "quay.io/a:1" }] };
      },
    };
    const [ok] = simulate({ policy: policyIR(spec), refs: ["docker://quay.io/a:1"], evidence: accepting });
    expect(ok.verdict).toBe("allow");
    expect(calls).toEqual(["signedBy docker://quay.io/a:1", "sigstoreSigned docker://quay.io/a:1"]);
    const rejecting: SignatureEvidence = {
      evaluate: (req) =>
        req.type === "signedBy"
          ? { allowed: true }
          : { allowed: false, message: summarizeSignatureRejections(["Signature for identity \"x\" is not accepted", "cryptographic signature verification failed"]) },
    };
    const [no] = simulate({ policy: policyIR(spec), refs: ["docker://quay.io/a:1"], evidence: rejecting });
    expect(no.upstreamError).toBe('None of the signatures were accepted, reasons: Signature for identity "x" is not accepted; cryptographic signature verification failed');
    expect(summarizeSignatureRejections([], { nonSigstoreSignatures: 1, nonSignatureAttachments: 0 })).toBe(
      "A signature was required, but no signature exists (1 non-sigstore signatures, 0 sigstore non-signature attachments)",
    );
  });
});

describe("text rendering (golden)", () => {
  const spec: PolicySpec = {
    default: [R.reject],
    transports: { docker: { "quay.io/acme": [R.signedBy], "docker.io/library": [R.accept], "*.example.com": [R.sigstore] } },
  };
  const refs = ["docker://quay.io/acme/app:1", "docker://busybox", "docker://a.example.com/x@sha256:" + HEX, "docker://ghcr.io/x/y:2", "docker://Bad/Ref"];
  it("renders a table for several references", () => {
    const out = renderSimulationText(simulate({ policy: policyIR(spec), refs, env: { euid: 0 } }));
    checkGolden("simulate/table.txt", out);
    expect(out).toContain("1 allowed, 4 denied");
    expect(out).toMatch(/DENY +docker:\/\/Bad\/Ref +- +invalid reference format/);
  });
  it("renders a full explanation for one reference", () => {
    const out = renderSimulationText(simulate({ policy: policyIR(spec), refs: [refs[0]], env: { euid: 0 }, manifest: new TextEncoder().encode("{}") }));
    checkGolden("simulate/explain-signed.txt", out);
    expect(out).toContain("matched scope \"quay.io/acme\"");
  });
  it("is the same through a prepared simulator", () => {
    const sim = createSimulator({ policy: policyIR(spec), env: { euid: 0 }, parse: { host: nodeHost() } });
    expect(sim.simulate(refs[1]).verdict).toBe("allow");
    expect(sim.decide(refs[1])).toEqual({ allowed: true, error: null, parseError: false, scope: { transport: "docker", scope: "docker.io/library" } });
  });
});

describe("short names", () => {
  it("follows podman: candidates in order, a policy rejection moves on to the next", async () => {
    const { loadRegistriesConf } = await import("../../src/load/registries-conf/index.js");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "imagetrust-short-"));
    try {
      fs.writeFileSync(path.join(dir, "registries.conf"), 'unqualified-search-registries = ["registry.fedoraproject.org", "docker.io"]\n');
      const conf = loadRegistriesConf({ host: (await import("../../src/host/node-host.js")).nodeHost(), confPath: path.join(dir, "registries.conf"), confDirs: [], explicit: true }).value!;
      const spec: PolicySpec = { default: [R.reject], transports: { docker: { "docker.io/library": [R.accept] } } };
      const [r] = simulate({ policy: policyIR(spec), registriesConf: conf, refs: ["busybox"] });
      expect(r.verdict).toBe("allow");
      expect(r.identity).toBe("docker.io/library/busybox:latest");
      expect(r.candidates!.map((c) => [c.ref, c.verdict])).toEqual([
        ["registry.fedoraproject.org/busybox:latest", "deny"],
        ["docker.io/library/busybox:latest", "allow"],
      ]);
      expect(r.reasons[1]).toContain("the earlier candidates are denied by the policy");
      expect(r.warnings.join("\n")).toContain("decided differently");
      const [none] = simulate({ policy: policyIR({ default: [R.reject] }), registriesConf: conf, refs: ["busybox"] });
      expect(none.verdict).toBe("deny");
      expect(none.identity).toBe("registry.fedoraproject.org/busybox:latest");
      // Without registries.conf a short name is normalized the docker way, with a warning.
      const [plain] = simulate({ policy: policyIR(spec), refs: ["busybox"] });
      expect(plain.identity).toBe("docker.io/library/busybox:latest");
      expect(plain.warnings.join("\n")).toContain("no registries.conf was given");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("JSON output (golden)", () => {
  it("keeps the documented shape for a signed docker image, a short name with mirrors, and a dir image", async () => {
    const { loadRegistriesConf } = await import("../../src/load/registries-conf/index.js");
    const confText = 'unqualified-search-registries = ["quay.io", "docker.io"]\n[[registry]]\nprefix = "quay.io/acme"\nlocation = "quay.io/acme"\n[[registry.mirror]]\nlocation = "mirror.example.net/acme"\n';
    const conf = loadRegistriesConf({ host: (await import("../../src/host/memory-host.js")).memoryHost({ files: { "/etc/containers/registries.conf": confText } }), confPath: "/etc/containers/registries.conf", confDirs: [], explicit: true }).value!;
    const registriesD: RegistriesDConfig = {
      docker: [
        { scope: "quay.io/acme", file: "/etc/containers/registries.d/acme.yaml", storage: { lookaside: "https://sigs.acme.example", useSigstoreAttachments: true } },
        { scope: "mirror.example.net", file: "/etc/containers/registries.d/mirror.yaml", storage: { lookaside: "file:///srv/mirror-sigs" } },
      ],
    };
    const spec: PolicySpec = {
      default: [R.reject],
      transports: {
        docker: { "quay.io/acme": [R.sigstore, { type: "signedBy", keyType: "GPGKeys", keyPaths: ["/etc/pki/a.gpg", "/etc/pki/b.gpg"], signedIdentity: { type: "remapIdentity", prefix: "quay.io/acme", signedPrefix: "registry.acme.example" } }] },
        dir: { "/srv/images": [R.accept] },
      },
    };
    const results = simulate({
      policy: policyIR(spec),
      registriesD,
      registriesConf: conf,
      manifest: new TextEncoder().encode("{}"),
      env: { euid: 0 },
      refs: ["docker://quay.io/acme/app:1", "acme/app", "dir:/srv/images/app"],
    });
    checkGolden("simulate/results.json", JSON.stringify(results, null, 2) + "\n");
    expect(results[1].candidates!.length).toBe(2);
    expect(results[0].pullSources!.map((p) => p.reference)).toEqual(["mirror.example.net/acme/app:1", "quay.io/acme/app:1"]);
  });
});
