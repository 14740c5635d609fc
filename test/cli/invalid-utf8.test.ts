/**
 * Files that are not valid UTF-8 are neither compiled nor rewritten (issue 17): `compile` refused with IT9012 at the
 * first bad byte and nothing written (it used to write U+FFFD into policy.json), `fmt --write` and `lint --fix`
 * refused with IT9017 and the file byte-identical; and a fix on a valid file changes only the bytes of its span.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));
const tmp = () => mkdtempSync(path.join(tmpdir(), "imagetrust-utf8-"));

describe("invalid UTF-8", () => {
  it("compile refuses the source at the first invalid byte and writes nothing", async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, "a.trust"), bytes("default reject\n# caf", [0xe9], " au lait\ndocker {\n  \"quay.io/acme\" accept\n}\n"));
    const r = await runCli(["compile", "a.trust", "--out", "out"], { cwd: dir });
    expect(r.stdout).toContain("a.trust:2:6 error IT9012 The source is not valid UTF-8; nothing was written (byte 0xe9 at line 2, column 6).");
    expect(r.stdout).toContain("a.trust: not compiled");
    expect(r.code).toBe(1);
    expect(existsSync(path.join(dir, "out"))).toBe(false);
  });

  it("fmt --write refuses to rewrite it (IT9017) and leaves every byte", async () => {
    const dir = tmp();
    const original = bytes("default   reject   # ", [0xff, 0xfe], " comment\n");
    writeFileSync(path.join(dir, "a.trust"), original);
    const r = await runCli(["fmt", "--write", "a.trust"], { cwd: dir });
    expect(r.stdout).toMatch(/a\.trust:1:22 error IT9017 Not rewritten: the file is not valid UTF-8 \(byte 0xff at line 1, column 22\)/);
    expect(r.code).toBe(1);
    expect(readFileSync(path.join(dir, "a.trust")).equals(original)).toBe(true);
  });

  it("lint --fix refuses to rewrite it (IT9017) and leaves every byte", async () => {
    const dir = tmp();
    const original = bytes('{\n  "default": [{"type": "reject"}],\n  "transports": {"docker": {\n    "docker.io/busybox": [{"type": "insecureAcceptAnything"}],\n    "quay.io/caf', [0xe9], '": [{"type": "reject"}]\n  }}\n}\n');
    writeFileSync(path.join(dir, "policy.json"), original);
    const r = await runCli(["lint", "--fix", "policy.json"], { cwd: dir });
    expect(r.stderr).toContain("policy.json: fixes not applied (IT9017 the file is not valid UTF-8, and rewriting it would change bytes no fix asked for (byte 0xe9 at line 5, column 17).)");
    expect(r.stdout + r.stderr).not.toContain("fixed:");
    expect(readFileSync(path.join(dir, "policy.json")).equals(original)).toBe(true);
  });

  it("a fix on a valid file changes only its span (CRLF line ends, a BOM-free non-ASCII key path, tabs kept)", async () => {
    const dir = tmp();
    const original = bytes(
      '{\r\n\t"default": [{"type": "reject"}],\r\n\t"transports": {"docker": {\r\n\t\t"docker.io/busybox":   [{"type": "insecureAcceptAnything"}],\r\n',
      '\t\t"quay.io/acme": [{"type": "signedBy", "keyType": "GPGKeys", "keyPath": "/etc/pki/containers/cl\u00e9-\u00fcber.gpg"}]\r\n\t}}\r\n}\r\n',
    );
    writeFileSync(path.join(dir, "policy.json"), original);
    const r = await runCli(["lint", "--fix", "policy.json"], { cwd: dir });
    expect(r.stdout + r.stderr).toContain("fixed: Replace 'docker.io/busybox' with 'docker.io/library/busybox'");
    const expected = Buffer.from(original.toString("utf8").replace('"docker.io/busybox"', '"docker.io/library/busybox"'), "utf8");
    expect(readFileSync(path.join(dir, "policy.json")).equals(expected)).toBe(true);
  });
});
