/**
 * `imagetrust show`: golden outputs (text, json, mermaid, svg) for every example, the table's semantics checked
 * against podman's (pkg/trust `getPolicyShowOutput` / `descriptionsOfPolicyRequirements`: one row per requirement,
 * the default first, accept/reject/signed/sigstoreSigned, the registries.d lookaside of the scope or its parents,
 * else default-docker), and the key facts against gpg itself.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { describeTrust, openPgpKeyFacts, pemKeyId, renderTrustSvg } from "../../src/show/index.js";
import { loadPolicyJson } from "../../src/load/policy-json.js";
import { SourceFile } from "../../src/source/source-file.js";
import { memoryHost } from "../../src/host/memory-host.js";
import { REPO, expectGolden, runCli } from "../cli/helpers.js";

const FORMATS = ["text", "json", "mermaid", "svg"] as const;
const EXT = { text: "txt", json: "json", mermaid: "mmd", svg: "svg" } as const;

const trustExamples = readdirSync(path.join(REPO, "examples")).filter((f) => f.endsWith(".trust")).sort();
/** Every example: the .trust programs (with their keys) and the hand-written policies (with their registries.d). */
const cases: { name: string; args: string[] }[] = [
  ...trustExamples.map((f) => ({ name: f.replace(/\.trust$/, ""), args: [`examples/${f}`, "--keys", "examples/keys"] })),
  { name: "hand-written-good-policy", args: ["examples/hand-written/good-policy.json", "--registries-d", "examples/hand-written/registries.d"] },
  { name: "hand-written-lint-findings", args: ["examples/hand-written/lint-findings.json"] },
];

describe("imagetrust show: golden outputs for every example", () => {
  it("covers all five .trust examples", () => expect(trustExamples.length).toBeGreaterThanOrEqual(5));
  for (const c of cases) {
    for (const format of FORMATS) {
      it(`${c.name} --format ${format}`, async () => {
        const r = await runCli(["show", ...c.args, "--format", format]);
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        if (format === "json") expect(() => JSON.parse(r.stdout)).not.toThrow();
        expectGolden(`show/${c.name}.${EXT[format]}`, r.stdout);
      });
    }
  }

  it("a compiled configuration directory shows the same rows as its .trust source, less the level names", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "imagetrust-show-"));
    try {
      expect((await runCli(["compile", "examples/enterprise.trust", "--keys", "examples/keys", "--out", out])).code).toBe(0);
      const fromDir = JSON.parse((await runCli(["show", out, "--keys", "examples/keys", "--format", "json"])).stdout) as { rows: Record<string, unknown>[] };
      const fromTrust = JSON.parse((await runCli(["show", "examples/enterprise.trust", "--keys", "examples/keys", "--format", "json"])).stdout) as { rows: Record<string, unknown>[] };
      const strip = (rows: Record<string, unknown>[]) =>
        rows.map(({ level: _l, approval: _a, store, ...rest }) => ({ ...rest, store: store && { ...(store as object), lookasideFrom: String((store as { lookasideFrom: string }).lookasideFrom).replace(/ \(.*\)$/, "") } }));
      expect(strip(fromDir.rows)).toEqual(strip(fromTrust.rows));
      expect(fromTrust.rows.some((r) => r.level !== undefined)).toBe(true);
      expect(fromDir.rows.some((r) => r.level !== undefined)).toBe(false);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("a policy the runtime refuses is reported with its diagnostics and exit 2", async () => {
    const r = await runCli(["show", "examples/hand-written/broken-policy.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("IT1012");
    expect(r.stdout).toBe("");
  });

  it("an unknown format is a usage error", async () => {
    const r = await runCli(["show", "examples/laptop.trust", "--format", "png"]);
    expect(r.code).toBe(2);
  });
});

function policy(text: string) {
  const r = loadPolicyJson(new SourceFile("policy.json", text));
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.value!;
}

describe("the table follows podman image trust show", () => {
  const p = policy(
    JSON.stringify({
      default: [{ type: "reject" }],
      transports: {
        docker: {
          "quay.io/acme/app": [
            { type: "signedBy", keyType: "GPGKeys", keyPath: "/k/a.gpg" },
            { type: "signedBy", keyType: "GPGKeys", keyPath: "/k/b.gpg" },
          ],
          "quay.io": [{ type: "sigstoreSigned", keyPath: "/k/c.pub" }],
          "docker.io": [{ type: "insecureAcceptAnything" }],
        },
        atomic: { "": [{ type: "reject" }] },
      },
    }),
  );
  const registriesD = {
    defaultDocker: { file: "default.yaml", storage: { lookaside: "file:///var/lib/sigs" } },
    docker: [
      { scope: "quay.io", file: "quay.yaml", storage: { lookaside: "https://sigs.quay.example", useSigstoreAttachments: true } },
      { scope: "quay.io/acme", file: "acme.yaml", storage: { sigstore: "https://old.acme.example" } },
    ],
  };
  const d = describeTrust({ policy: p, registriesD });

  it("one row per requirement, the global default first as transport 'all'", () => {
    expect(d.rows.map((r) => [r.transport, r.name, r.type])).toEqual([
      ["all", "default", "reject"],
      ["docker", "quay.io/acme/app", "signed"],
      ["docker", "quay.io/acme/app", "signed"],
      ["docker", "quay.io", "sigstoreSigned"],
      ["docker", "docker.io", "accept"],
      ["atomic", "(default)", "reject"],
    ]);
  });

  it("the store is the lookaside of the scope or its nearest parent namespace (deprecated sigstore counts), else default-docker", () => {
    // podman registriesDConfigurationForScope: "quay.io/acme/app" → "quay.io/acme" (sigstore: …) before "quay.io".
    expect(d.rows[1].store?.lookaside).toBe("https://old.acme.example");
    expect(d.rows[1].store?.lookasideFrom).toBe("docker scope 'quay.io/acme' (acme.yaml)");
    // use-sigstore-attachments falls through independently (upstream useSigstoreAttachments): quay.io sets it.
    expect(d.rows[1].store?.useSigstoreAttachments).toBe(true);
    expect(d.rows[3].store?.lookaside).toBe("https://sigs.quay.example");
    expect(d.rows[4].store?.lookaside).toBe("file:///var/lib/sigs");
    expect(d.rows[0].store?.lookasideFrom).toBe("default-docker (default.yaml)");
    expect(d.rows[5].store).toBeUndefined();
  });

  it("categories: a reject or signedBaseLayer anywhere rejects, a signature check is signed, else accept", () => {
    expect(d.rows.map((r) => r.category)).toEqual(["reject", "signed", "signed", "signed", "accept", "reject"]);
  });
});

const keysDir = path.join(REPO, "examples/keys");

/** gpg's own view of a key file: fingerprints of primary keys and user IDs (`gpg --with-colons --show-keys`). */
function gpgShow(file: string): { fingerprints: string[]; uids: string[] } | undefined {
  const home = mkdtempSync(path.join(tmpdir(), "imagetrust-gpg-"));
  try {
    const out = execFileSync("gpg", ["--batch", "--with-colons", "--show-keys", file], { encoding: "utf8", env: { ...process.env, GNUPGHOME: home }, stdio: ["ignore", "pipe", "ignore"] });
    const lines = out.split("\n").map((l) => l.split(":"));
    const fingerprints: string[] = [];
    const uids: string[] = [];
    let afterPub = false;
    for (const l of lines) {
      if (l[0] === "pub") afterPub = true;
      else if (l[0] === "sub") afterPub = false;
      else if (l[0] === "fpr" && afterPub) {
        fingerprints.push(l[9]);
        afterPub = false;
      } else if (l[0] === "uid") uids.push(l[9].replace(/\\x3a/g, ":"));
    }
    return { fingerprints, uids };
  } catch {
    return undefined;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

describe("key facts", () => {
  const gpgKeys = readdirSync(keysDir).filter((f) => /\.(gpg|asc)$|RPM-GPG-KEY/.test(f));
  it.each(gpgKeys)("%s: fingerprints and user IDs as gpg prints them", (f) => {
    const file = path.join(keysDir, f);
    const expected = gpgShow(file);
    if (!expected) {
      if (process.env.CI === "true") throw new Error("gpg is needed under CI");
      console.log(`skipped: gpg is not installed`);
      return;
    }
    const facts = openPgpKeyFacts(readFileSync(file))!;
    expect(facts.map((k) => k.fingerprint)).toEqual(expected.fingerprints);
    expect(facts.flatMap((k) => k.userIds)).toEqual(expected.uids);
  });

  it("a sigstore public key's id is the SHA-256 of its DER (as `openssl pkey -pubin -outform DER | sha256sum`)", () => {
    const pem = readFileSync(path.join(keysDir, "cosign-laptop.pub"), "utf8");
    const b64 = pem.replace(/-----[^-]+-----/g, "").replace(/\s/g, "");
    expect(pemKeyId(new TextEncoder().encode(pem))).toBe("SHA256:" + createHash("sha256").update(Buffer.from(b64, "base64")).digest("hex"));
  });

  it("keys that cannot be read say so instead of failing", () => {
    const p = policy(JSON.stringify({ default: [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/nowhere.gpg" }] }));
    const d = describeTrust({ policy: p, keys: memoryHost({ files: { "/other": "x" } }) });
    expect(d.rows[0].keys[0]).toMatchObject({ path: "/nowhere.gpg", fingerprints: [], problem: "missing" });
  });

  it("inline GPG key data is read too", () => {
    const data = readFileSync(path.join(keysDir, "acme-release.gpg")).toString("base64");
    const p = policy(JSON.stringify({ default: [{ type: "signedBy", keyType: "GPGKeys", keyData: data }] }));
    const d = describeTrust({ policy: p });
    expect(d.rows[0].keys[0].inline).toBe("keyData");
    expect(d.rows[0].keys[0].fingerprints).toEqual(gpgShow(path.join(keysDir, "acme-release.gpg"))?.fingerprints ?? d.rows[0].keys[0].fingerprints);
    expect(d.rows[0].keys[0].fingerprints).toHaveLength(1);
  });
});

describe("svg", () => {
  it("is deterministic and escapes scope text", () => {
    const p = policy(JSON.stringify({ default: [{ type: "reject" }], transports: { dir: { "/a&b<c>": [{ type: "insecureAcceptAnything" }] } } }));
    const a = renderTrustSvg(p);
    expect(a).toBe(renderTrustSvg(p));
    expect(a).toContain("/a&amp;b&lt;c&gt;");
    expect(a).not.toContain("<c>");
  });
});

describe("the store of a scope is what containers/image reads for the images inside it", () => {
  // signatureStorageFor is checked against containers/image 5.23.1 (test/registries); a scope's store must be what it
  // gives for a reference just inside the scope that no more specific registries.d section names.
  const config = {
    defaultDocker: { file: "default.yaml", storage: { lookaside: "https://default.example/sigs", useSigstoreAttachments: false } },
    docker: [
      { scope: "quay.io", file: "a.yaml", storage: { lookaside: "https://quay.example/sigs" } },
      { scope: "quay.io/acme", file: "a.yaml", storage: { useSigstoreAttachments: true } },
      { scope: "quay.io/acme/app", file: "b.yaml", storage: { sigstore: "file:///srv/old" } },
      { scope: "registry.example:5000/x", file: "b.yaml", storage: { lookasideStaging: "file:///srv/staging" } },
    ],
  };
  const scopes = ["quay.io", "quay.io/acme", "quay.io/acme/app", "quay.io/other", "registry.example:5000", "registry.example:5000/x", "example.com/a/b"];
  it.each(scopes)("%s", async (scope) => {
    const { signatureStorageFor, signatureStorageForScope } = await import("../../src/registries/lookaside.js");
    const { parseNormalizedNamed } = await import("../../src/reference/docker-reference.js");
    const parsed = parseNormalizedNamed(`${scope}/zz-unconfigured/leaf:1`);
    if (!parsed.ok) throw new Error(parsed.error);
    const ref = signatureStorageFor(parsed.ref, config);
    const mine = signatureStorageForScope(scope, config);
    expect([mine.lookasideTopLevel, mine.useSigstoreAttachments, mine.read, mine.attachments]).toEqual([ref.lookasideTopLevel, ref.useSigstoreAttachments, ref.matched.read, ref.matched.attachments]);
  });
});
