/**
 * `imagetrust diff` through the CLI (issue 13 §1): every region compared, so a change no sample reference reaches
 * still fails --fail-on-loosen; JSON regions; --refs; registries.d lookaside moves.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli/helpers.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "imagetrust-diff-"));
let n = 0;
/** Write a policy.json (a JS object) and return its path. */
function policy(p: unknown): string {
  const f = path.join(dir, `p${n++}.json`);
  writeFileSync(f, JSON.stringify(p));
  return f;
}
const REJECT = { default: [{ type: "reject" }] };
const accept = [{ type: "insecureAcceptAnything" }];
const gpg = (keyPath: string, signedIdentity?: unknown) => [{ type: "signedBy", keyType: "GPGKeys", keyPath, ...(signedIdentity ? { signedIdentity } : {}) }];

interface JsonRegion {
  transport: string | null;
  scope: string;
  witness: string | null;
  reasoned?: string;
  classification: string;
  old: { decidedBy: unknown; summary: string };
  new: { decidedBy: unknown; summary: string };
}
async function diffJson(...args: string[]) {
  const r = await runCli(["diff", "--format", "json", "--fail-on-loosen", ...args]);
  const j = JSON.parse(r.stdout) as { regions: JsonRegion[]; loosened: boolean; scopeChanges: unknown[]; samples: unknown[]; flips: unknown[]; references: { ref: string; classification: string; region: unknown }[]; signatureStorage: { namespace: string; changed: string[]; affectsDecisions: boolean }[] };
  return { code: r.code, j, region: (t: string | null, s: string) => j.regions.find((x) => x.transport === t && x.scope === s)! };
}

describe("diff: defaults of transports no sample reaches (the issue's cases)", () => {
  it.each([
    ["containers-storage", "containers-storage:"],
    ["tarball", "tarball:"],
    ["docker-daemon", "docker-daemon:"],
  ])("a %s default accept added to reject-everything is a looser region, exit 1", async (t, prefix) => {
    const { code, j, region } = await diffJson(policy(REJECT), policy({ ...REJECT, transports: { [t]: { "": accept } } }));
    expect(code).toBe(1);
    expect(j.loosened).toBe(true);
    const r = region(t, "");
    expect(r).toMatchObject({ classification: "looser", old: { decidedBy: null, summary: "reject" }, new: { decidedBy: { transport: t, scope: "" }, summary: "insecureAcceptAnything" } });
    expect(r.witness?.startsWith(prefix)).toBe(true);
    // Today's fields stay.
    expect(Object.keys(j)).toEqual(expect.arrayContaining(["scopeChanges", "samples", "flips", "loosened", "regions"]));
  });

  it("an ostree default: no reference can be built, reasoned on the scope sets, and said so", async () => {
    const { code, region } = await diffJson(policy(REJECT), policy({ ...REJECT, transports: { ostree: { "": accept } } }));
    expect(code).toBe(1);
    expect(region("ostree", "")).toMatchObject({ classification: "looser", witness: null });
    expect(region("ostree", "").reasoned).toContain("decided from the scope sets");
    const text = await runCli(["diff", policy(REJECT), policy({ ...REJECT, transports: { ostree: { "": accept } } })]);
    expect(text.stdout).toMatch(/looser +ostree "" \*/);
    expect(text.stdout).toContain('* ostree "": no ostree: reference can be built');
  });

  it("the issue's exact case prints a looser region in text and exits 1", async () => {
    const r = await runCli(["diff", "--fail-on-loosen", policy(REJECT), policy({ ...REJECT, transports: { "containers-storage": { "": accept } } })]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('+ containers-storage "": [insecureAcceptAnything]');
    expect(r.stdout).toMatch(/looser +containers-storage "" +\[reject\] \(global default\) +\[insecureAcceptAnything\] \(containers-storage ""\)/);
    expect(r.stdout).toContain("more permissive");
  });

  it("a scope under a containers-storage store", async () => {
    const store = "[overlay@/var/lib/containers/storage]";
    const { code, region } = await diffJson(policy(REJECT), policy({ ...REJECT, transports: { "containers-storage": { [`${store}quay.io/acme`]: accept } } }));
    expect(code).toBe(1);
    const r = region("containers-storage", `${store}quay.io/acme`);
    expect(r.classification).toBe("looser");
    expect(r.witness).toMatch(/^containers-storage:\[overlay@\/var\/lib\/containers\/storage\]quay\.io\/acme/);
    expect(region("containers-storage", "").classification).toBe("equal");
  });

  it("a scope under a path transport, with a narrower one kept equal", async () => {
    const old = policy({ ...REJECT, transports: { dir: { "/srv/images/app": accept } } });
    const neu = policy({ ...REJECT, transports: { dir: { "/srv/images/app": accept, "/srv/images": accept } } });
    const { code, region } = await diffJson(old, neu);
    expect(code).toBe(1);
    expect(region("dir", "/srv/images")).toMatchObject({ classification: "looser", witness: "dir:/srv/images" });
    expect(region("dir", "/srv/images/app")).toMatchObject({ classification: "equal" });
  });
});

describe("diff: classification through the CLI", () => {
  const old = policy({ ...REJECT, transports: { docker: { "quay.io/acme": gpg("/keys/a.gpg", { type: "matchExact" }), "ghcr.io/acme": gpg("/keys/a.gpg") } } });

  it("a key replaced is changed, and fails --fail-on-loosen", async () => {
    const { code, region } = await diffJson(old, policy({ ...REJECT, transports: { docker: { "quay.io/acme": gpg("/keys/b.gpg", { type: "matchExact" }), "ghcr.io/acme": gpg("/keys/a.gpg") } } }));
    expect(region("docker", "quay.io/acme").classification).toBe("changed");
    expect(region("docker", "ghcr.io/acme").classification).toBe("equal");
    expect(code).toBe(1);
  });

  it("an identity widened matchExact → matchRepository is looser", async () => {
    const { code, region } = await diffJson(old, policy({ ...REJECT, transports: { docker: { "quay.io/acme": gpg("/keys/a.gpg", { type: "matchRepository" }), "ghcr.io/acme": gpg("/keys/a.gpg") } } }));
    expect(region("docker", "quay.io/acme").classification).toBe("looser");
    expect(code).toBe(1);
  });

  it("signed → accept is looser; accept → signed only tighter, exit 0", async () => {
    const looser = await diffJson(old, policy({ ...REJECT, transports: { docker: { "quay.io/acme": accept, "ghcr.io/acme": gpg("/keys/a.gpg") } } }));
    expect([looser.code, looser.region("docker", "quay.io/acme").classification]).toEqual([1, "looser"]);
    const tighter = await diffJson(old, policy({ ...REJECT, transports: { docker: { "quay.io/acme": [{ type: "reject" }], "ghcr.io/acme": gpg("/keys/a.gpg") } } }));
    expect([tighter.code, tighter.region("docker", "quay.io/acme").classification, tighter.j.loosened]).toEqual([0, "tighter", false]);
  });

  it("a scope under a looser one: the new sub-scope is its own region", async () => {
    const { code, region } = await diffJson(old, policy({ ...REJECT, transports: { docker: { "quay.io/acme": gpg("/keys/a.gpg", { type: "matchExact" }), "quay.io/acme/tools": accept, "ghcr.io/acme": gpg("/keys/a.gpg") } } }));
    expect(code).toBe(1);
    expect(region("docker", "quay.io/acme/tools")).toMatchObject({ classification: "looser", old: { decidedBy: { transport: "docker", scope: "quay.io/acme" } } });
    expect(region("docker", "quay.io/acme").classification).toBe("equal");
  });

  it("identical policies: every region equal, exit 0", async () => {
    const { code, j } = await diffJson(old, old);
    expect(code).toBe(0);
    expect(j.regions.every((r) => r.classification === "equal")).toBe(true);
    expect(j.regions.map((r) => `${r.transport} ${r.scope}`)).toEqual(["docker ", "docker ghcr.io/acme", "docker quay.io/acme", "null "]);
  });
});

describe("diff --refs and --ref", () => {
  it("adds the user's references, each with its region and classification", async () => {
    const refs = path.join(dir, "refs.txt");
    writeFileSync(refs, "# production images\ndocker://quay.io/acme/app:1\n\n  docker://docker.io/library/busybox:latest  \n");
    const old = policy({ ...REJECT, transports: { docker: { "quay.io/acme": gpg("/k") } } });
    const neu = policy({ ...REJECT, transports: { docker: { "quay.io/acme": accept } } });
    const { code, j } = await diffJson(old, neu, "--refs", refs, "--ref", "docker://ghcr.io/x/y:2");
    expect(code).toBe(1);
    expect(j.references.map((r) => [r.ref, r.classification])).toEqual([
      ["docker://ghcr.io/x/y:2", "equal"],
      ["docker://quay.io/acme/app:1", "looser"],
      ["docker://docker.io/library/busybox:latest", "equal"],
    ]);
    expect(j.references[1].region).toEqual({ transport: "docker", scope: "quay.io/acme" });
    const text = await runCli(["diff", old, neu, "--refs", refs]);
    expect(text.stdout).toMatch(/Your references:\n.*\n  looser +docker:\/\/quay\.io\/acme\/app:1 +deny \[signedBy\]/);
  });

  it("a missing --refs file is an input error", async () => {
    const r = await runCli(["diff", policy(REJECT), policy(REJECT), "--refs", path.join(dir, "nope.txt")]);
    expect(r.code).toBe(2);
  });
});

describe("diff: registries.d (where signatures are read)", () => {
  function regD(name: string, yaml: string): string {
    const d = path.join(dir, name);
    mkdirSync(d, { recursive: true });
    writeFileSync(path.join(d, "default.yaml"), yaml);
    return d;
  }
  const signed = policy({ ...REJECT, transports: { docker: { "quay.io/acme": gpg("/k") } } });
  const oldD = regD("rd-old", "docker:\n  quay.io/acme:\n    lookaside: https://sigs.example.com/acme\n");
  const newD = regD("rd-new", "docker:\n  quay.io/acme:\n    lookaside: https://attacker.example.net/acme\n");

  it("a lookaside moved for a namespace a signature requirement reads is reported and fails --fail-on-loosen", async () => {
    const { code, j } = await diffJson(signed, signed, "--registries-d-old", oldD, "--registries-d-new", newD);
    expect(j.regions.every((r) => r.classification === "equal")).toBe(true);
    expect(j.signatureStorage).toMatchObject([{ namespace: "quay.io/acme", changed: ["lookaside"], affectsDecisions: true }]);
    expect(code).toBe(1);
    const text = await runCli(["diff", signed, signed, "--registries-d-old", oldD, "--registries-d-new", newD]);
    expect(text.stdout).toContain('changed  docker "quay.io/acme": lookaside https://sigs.example.com/acme → https://attacker.example.net/acme');
  });

  it("the registries.d beside a policy given as a directory is used; a move no requirement reads only informs", async () => {
    const mk = (name: string, yaml: string) => {
      const d = path.join(dir, name);
      mkdirSync(path.join(d, "registries.d"), { recursive: true });
      writeFileSync(path.join(d, "policy.json"), JSON.stringify({ default: accept }));
      writeFileSync(path.join(d, "registries.d", "x.yaml"), yaml);
      return d;
    };
    const a = mk("conf-a", "default-docker:\n  use-sigstore-attachments: false\n");
    const b = mk("conf-b", "default-docker:\n  use-sigstore-attachments: true\n");
    const { code, j } = await diffJson(a, b);
    expect(j.signatureStorage).toMatchObject([{ namespace: "", changed: ["use-sigstore-attachments"], affectsDecisions: false }]);
    expect(code).toBe(0);
  });

  it("a .trust source carries its own registries.d: a lookaside moved there is compared", async () => {
    const src = (lookaside: string) => {
      const f = path.join(dir, `site-${n++}.trust`);
      writeFileSync(f, `key acme gpg file "/keys/acme.gpg"\ndefault reject\n\ndocker {\n  "quay.io/acme"  signed by acme\n}\n\nsignatures "site.yaml" {\n  "quay.io/acme"  lookaside "${lookaside}"\n}\n`);
      return f;
    };
    const r = await runCli(["diff", "--format", "json", "--fail-on-loosen", src("https://sigs.example.com/acme"), src("https://elsewhere.example.com/acme")]);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout).signatureStorage).toMatchObject([{ namespace: "quay.io/acme", old: { lookaside: "https://sigs.example.com/acme" }, new: { lookaside: "https://elsewhere.example.com/acme" } }]);
  });

  it("no registries.d on either side: nothing reported", async () => {
    const { j } = await diffJson(signed, signed);
    expect(j.signatureStorage).toEqual([]);
  });
});
