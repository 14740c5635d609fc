/**
 * The shipped executable's bulk path (src/simulate/fast-record.ts) writes what the full path writes: the same
 * references through `simulate --format jsonl` (the bulk path for docker:// and docker-daemon:) and through
 * `--explain` (every record built by the full explanation), the latter projected to the lean record or the
 * `--fields` selection, compared line by line, byte for byte. Over a generated policy with every requirement type and
 * signedIdentity rule, a registries.d directory (lookasides, sigstore attachments), every transport (dir: images that
 * exist, are missing or are symlinks), parse errors and bare names, with --debian and --target.
 */
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { prng } from "../support/prng.js";

const HEX = "0123456789abcdef".repeat(4);
const LEAN_DROPPED = ["trail", "imageName", "dockerReference"];

function setup(): { dir: string; policy: string; refs: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "imagetrust-fast-records-"));
  const signed = { type: "signedBy", keyType: "GPGKeys", keyPath: "/k/key.gpg" };
  const sigstore = { type: "sigstoreSigned", keyPath: "/k/cosign.pub", signedIdentity: { type: "matchRepository" } };
  const policy = {
    default: [{ type: "reject" }],
    transports: {
      docker: {
        "": [{ type: "reject" }],
        "quay.io": [{ type: "insecureAcceptAnything" }],
        "quay.io/acme": [sigstore],
        "quay.io/acme/app:v1": [{ type: "insecureAcceptAnything" }, { type: "reject" }],
        "docker.io/library/busybox": [signed],
        "*.example.com": [{ ...signed, signedIdentity: { type: "remapIdentity", prefix: "a.example.com", signedPrefix: "mirror.example.net/a" } }],
        [`ghcr.io/o/r@sha256:${HEX}`]: [{ type: "insecureAcceptAnything" }],
        "registry.example.com:5000/team": [{ type: "signedBaseLayer", baseLayerIdentity: { type: "matchRepository" } }],
        // Every signedIdentity rule, GPG and sigstore (records filled in from templates).
        "quay.io/id/exact": [{ ...signed, signedIdentity: { type: "matchExact" } }],
        "quay.io/id/digest": [{ ...sigstore, signedIdentity: { type: "matchRepoDigestOrExact" } }],
        "quay.io/id/ref": [{ ...signed, signedIdentity: { type: "exactReference", dockerReference: "quay.io/acme/app:v1" } }],
        "quay.io/id/repo": [{ ...sigstore, signedIdentity: { type: "exactRepository", dockerRepository: "quay.io/acme/app" } }],
        "ghcr.io": [{ type: "sigstoreSigned", keyData: "QUJDRA==" }, signed],
      },
      "docker-daemon": { "": [{ type: "insecureAcceptAnything" }], "quay.io/acme": [signed] },
      dir: { "": [{ type: "insecureAcceptAnything" }], [path.join(dir, "img0")]: [signed], [path.join(dir, "rejected")]: [{ type: "reject" }] },
    },
  };
  const policyDir = path.join(dir, "policy");
  mkdirSync(path.join(policyDir, "registries.d"), { recursive: true });
  writeFileSync(path.join(policyDir, "policy.json"), JSON.stringify(policy, null, 2));
  writeFileSync(
    path.join(policyDir, "registries.d", "default.yaml"),
    "docker:\n  quay.io:\n    lookaside: https://sigs.example.com/quay\n    use-sigstore-attachments: true\n  quay.io/acme/app:v2:\n    lookaside: file:///srv/v2\ndefault-docker:\n  lookaside: file:///var/lib/sigs\n",
  );
  // dir: images: one with a manifest, one missing, one a symlink to the first.
  mkdirSync(path.join(dir, "img0"));
  mkdirSync(path.join(dir, "rejected"));
  writeFileSync(path.join(dir, "img0", "manifest.json"), JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", config: {}, layers: [] }));
  symlinkSync(path.join(dir, "img0"), path.join(dir, "img2"));
  const r = prng(1515);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const names = ["busybox", "library/busybox", "quay.io/acme/app", "quay.io/acme/other/x", "quay.io/x/y", "a.example.com/p/q", "ghcr.io/o/r", "registry.example.com:5000/team/app", "Bad/Name", "localhost:5000/app", HEX, "quay.io/id/exact/a", "quay.io/id/digest", "quay.io/id/ref/b", "quay.io/id/repo", "ghcr.io/o/s", "b.example.com/p"];
  const tails = ["", ":latest", ":v1", ":v2", `@sha256:${HEX}`, `@sha256:${"5f".repeat(32)}`, "@sha256:abc", ":bad tag!"];
  const refs: string[] = [];
  for (let i = 0; i < 600; i++) {
    const name = pick(names) + pick(tails);
    const k = r();
    refs.push(k < 0.6 ? `docker://${name}` : k < 0.8 ? `docker-daemon:${name}` : k < 0.85 ? name : k < 0.9 ? `docker:${name}` : k < 0.93 ? `dir:${dir}/img${i % 3}` : k < 0.95 ? `dir:${dir}/${pick(["missing1", "missing2", "missing3", "nope/x", "missing1/", "rejected/a", "rejected/b"])}` : `containers-storage:${name}`);
  }
  const refsFile = path.join(dir, "refs.txt");
  writeFileSync(refsFile, refs.join("\n") + "\n");
  return { dir, policy: policyDir, refs: refsFile };
}

/** A full record projected as the writer projects it: without the --explain fields, or to a --fields selection. */
function project(line: string, fields: string[] | undefined): string {
  const full = JSON.parse(line) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(full)) {
    if (fields ? !fields.includes(k) : LEAN_DROPPED.includes(k)) continue;
    out[k] = k === "candidates" && !fields && Array.isArray(v) ? v.map((c) => JSON.parse(project(JSON.stringify(c), undefined))) : v;
  }
  return JSON.stringify(out);
}

describe("simulate's bulk path (the shipped executable)", () => {
  const { dir, policy, refs } = setup();
  const cases: { flags: string[]; fields?: string[] }[] = [
    { flags: [] },
    { flags: ["--debian"] },
    { flags: ["--no-signatures"] },
    { flags: ["--target", "5.36"] },
    { flags: ["--fields", "ref,verdict,scope,requirements"], fields: ["ref", "verdict", "scope", "requirements"] },
    { flags: ["--fields", "signatureLookup,warnings,upstreamError"], fields: ["signatureLookup", "warnings", "upstreamError"] },
  ];
  for (const c of cases) {
    it(`writes the full path's records byte for byte (${c.flags.join(" ") || "lean"})`, async () => {
      const args = ["simulate", "--policy", policy, "--refs", refs, "--format", "jsonl", "--quiet", ...c.flags];
      const fast = await runCli(args, { cwd: dir });
      const full = await runCli([...args.filter((a, i) => a !== "--fields" && args[i - 1] !== "--fields"), "--explain"], { cwd: dir });
      expect(fast.code).toBe(full.code);
      const a = fast.stdout.trimEnd().split("\n");
      const b = full.stdout.trimEnd().split("\n");
      expect(a.length).toBe(600);
      expect(b.length).toBe(600);
      for (let i = 0; i < a.length; i++) expect(a[i], `line ${i + 1}`).toBe(project(b[i], c.fields));
    });
  }
  it("--format json (compact, not a terminal) has the same records", async () => {
    const args = ["simulate", "--policy", policy, "--refs", refs, "--quiet"];
    const jsonl = (await runCli([...args, "--format", "jsonl"], { cwd: dir })).stdout.trimEnd().split("\n");
    const json = (await runCli([...args, "--format", "json"], { cwd: dir })).stdout;
    expect(json).toBe("[\n" + jsonl.join(",\n") + "\n]\n");
  });
});
