/**
 * Every local input is read only when it is a regular file, and only up to a cap (issue 17). For each kind of input
 * the CLI reads, the file is replaced by /dev/zero (a symlink to it), a FIFO with no writer, and a 10 GiB sparse
 * file; the CLI runs as a child process under a timeout, so a hang (a FIFO read blocks, /dev/zero never ends) fails
 * the test instead of blocking it, and the run must end with a coded refusal.
 */
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, ftruncateSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers.js";

const BIN = path.join(REPO, "dist/cli/imagetrust.cjs");
const TIMEOUT_MS = 20_000;

type Special = "zero" | "fifo" | "sparse";

/** Make `file` one of the special files. */
function makeSpecial(file: string, kind: Special): void {
  mkdirSync(path.dirname(file), { recursive: true });
  if (kind === "zero") symlinkSync("/dev/zero", file);
  else if (kind === "fifo") execFileSync("mkfifo", [file]);
  else {
    const fd = openSync(file, "w");
    ftruncateSync(fd, 10 * 1024 * 1024 * 1024); // 10 GiB of holes: no disk space used
    closeSync(fd);
  }
}

/** Run the built CLI in `cwd`; `timedOut` when it had to be killed. */
function runChild(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; out: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH ?? "", HOME: cwd, ...env } });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, TIMEOUT_MS);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out, timedOut });
    });
  });
}

const ACCEPT = '{"default":[{"type":"insecureAcceptAnything"}]}\n';
const MANIFEST =
  '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":1,"digest":"sha256:' +
  "a".repeat(64) +
  '"},"layers":[]}\n';
const TRUST = 'key k gpg file "/etc/pki/containers/k.gpg"\ndefault signed by k\n';

/** The refusal in each case: the special file's kind decides the wording. */
const REFUSED = /IT9013|IT9005|not a regular file|too large|exceeded maximum allowed size|more than the 256 MiB imagetrust reads/;

interface Case {
  name: string;
  /** Prepare `dir`; returns the special file's path (relative to dir) and the command line. */
  setup(dir: string): { special: string; args: string[]; cwd?: string };
  code: number;
  /** What the output must say besides the refusal (the code that carries it). */
  says?: RegExp;
}

const CASES: Case[] = [
  { name: "a policy.json given to validate", setup: () => ({ special: "policy.json", args: ["validate", "policy.json"] }), code: 2 },
  {
    name: "a registries.d file",
    setup: (d) => (writeFileSync(path.join(d, "policy.json"), ACCEPT), { special: "regd/a.yaml", args: ["validate", "regd"] }),
    code: 1,
    says: /IT1310/,
  },
  {
    name: "a dir: image's signature-1",
    setup: (d) => (mkdirSync(path.join(d, "img")), writeFileSync(path.join(d, "img/manifest.json"), MANIFEST), writeFileSync(path.join(d, "policy.json"), ACCEPT), { special: "img/signature-1", args: ["verify", "--policy", "policy.json", "dir:img"] }),
    code: 1,
    says: /reading signatures: .*img\/signature-1/,
  },
  {
    name: "a dir: image's manifest.json",
    setup: (d) => (writeFileSync(path.join(d, "policy.json"), ACCEPT), { special: "img/manifest.json", args: ["verify", "--policy", "policy.json", "dir:img"] }),
    code: 0,
    says: /manifest: open img\/manifest\.json/,
  },
  {
    name: "--manifest FILE",
    setup: (d) => (writeFileSync(path.join(d, "policy.json"), ACCEPT), { special: "m.json", args: ["verify", "--policy", "policy.json", "--manifest", "m.json", "docker://x.example/a:1"] }),
    code: 2,
  },
  {
    name: "--authfile",
    setup: (d) => (writeFileSync(path.join(d, "policy.json"), ACCEPT), mkdirSync(path.join(d, "img")), writeFileSync(path.join(d, "img/manifest.json"), MANIFEST), { special: "auth.json", args: ["verify", "--policy", "policy.json", "--authfile", "auth.json", "dir:img"] }),
    code: 2,
  },
  {
    name: ".imagetrust.yaml found by walking up",
    setup: (d) => (mkdirSync(path.join(d, "sub")), writeFileSync(path.join(d, "sub/policy.json"), ACCEPT), { special: ".imagetrust.yaml", args: ["validate", "policy.json"], cwd: path.join(d, "sub") }),
    code: 2,
  },
  { name: "--config FILE", setup: (d) => (writeFileSync(path.join(d, "policy.json"), ACCEPT), { special: "c.yaml", args: ["lint", "--config", "c.yaml", "policy.json"] }), code: 2 },
  { name: "a test YAML", setup: () => ({ special: "t.yaml", args: ["test", "t.yaml"] }), code: 1, says: /IT5605/ },
  {
    name: "the policy a test YAML names",
    setup: (d) => (writeFileSync(path.join(d, "t.yaml"), 'policy: p.json\ncases:\n  - { ref: "docker://busybox", expect: allow }\n'), { special: "p.json", args: ["test", "t.yaml"] }),
    code: 1,
    says: /IT5605/,
  },
  {
    name: "policy.json in a compile --out directory",
    setup: (d) => (writeFileSync(path.join(d, "a.trust"), "default accept\n"), { special: "out/policy.json", args: ["compile", "a.trust", "--out", "out"] }),
    code: 1,
    says: /IT3201/,
  },
  {
    name: "a registries.d file in a compile --out directory",
    setup: (d) => (writeFileSync(path.join(d, "a.trust"), "default accept\n"), { special: "out/registries.d/x.yaml", args: ["compile", "a.trust", "--out", "out"] }),
    code: 1,
    says: /IT3201/,
  },
  {
    name: "a .trust source",
    setup: () => ({ special: "a.trust", args: ["compile", "a.trust", "--out", "out"] }),
    code: 2,
  },
];

/** Key files are looked at, never read to the end: the run finishes (a special file is not a key file here: IT2120, a huge one is not read). */
const KEY_CASES: Case[] = [
  {
    name: "a key file in --keys DIR",
    setup: (d) => (writeFileSync(path.join(d, "a.trust"), TRUST), { special: "keys/k.gpg", args: ["validate", "a.trust", "--keys", "keys"] }),
    code: 0,
  },
];

describe("special and huge files as inputs: refused with a code, never read to the end, never a hang", () => {
  for (const kind of ["zero", "fifo", "sparse"] as const) {
    for (const c of [...CASES, ...KEY_CASES]) {
      it(`${c.name}: ${kind}`, async () => {
        const dir = mkdtempSync(path.join(tmpdir(), "imagetrust-special-"));
        const s = c.setup(dir);
        makeSpecial(path.join(dir, s.special), kind);
        const r = await runChild(s.args, s.cwd ?? dir);
        expect(r.timedOut, r.out).toBe(false);
        expect(r.out).not.toMatch(/internal error|This is a bug|bad_alloc|heap out of memory/);
        if (!KEY_CASES.includes(c)) expect(r.out).toMatch(REFUSED);
        if (c.says) expect(r.out).toMatch(c.says);
        expect(r.code, r.out).toBe(c.code);
      }, TIMEOUT_MS + 5_000);
    }
  }

  it("IMAGETRUST_MAX_READ_BYTES changes the cap", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "imagetrust-special-"));
    writeFileSync(path.join(dir, "policy.json"), ACCEPT);
    const small = await runChild(["validate", "policy.json"], dir, { IMAGETRUST_MAX_READ_BYTES: "10" });
    expect(small.out).toMatch(/IT9005/);
    expect(small.code).toBe(2);
    const fine = await runChild(["validate", "policy.json"], dir, { IMAGETRUST_MAX_READ_BYTES: "4096" });
    expect(fine.code, fine.out).toBe(0);
  });

  for (const out of ["/proc/imagetrust-out", "/proc/self/imagetrust-out", "/sys/imagetrust-out"]) {
    it(`compile --out ${out} fails fast (IT9014) instead of spinning`, async () => {
      const dir = mkdtempSync(path.join(tmpdir(), "imagetrust-special-"));
      writeFileSync(path.join(dir, "a.trust"), "default accept\n");
      const r = await runChild(["compile", "a.trust", "--out", out], dir);
      expect(r.timedOut, r.out).toBe(false);
      expect(r.out).toMatch(/IT9014 .* is on the kernel's (proc|sysfs) file system/);
      expect(r.code).toBe(1);
    }, TIMEOUT_MS + 5_000);
  }
});
