/**
 * Test helper: GPG keys made with `gpg --batch --passphrase '' --quick-gen-key` in temporary GNUPGHOMEs,
 * and signatures made by skopeo (`standalone-sign`), so our verifier is judged on what the real tools produce.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { makeTempDir, runSkopeo } from "../harness/skopeo.js";

/** A generated key. */
export interface TestKey {
  home: string;
  /** Fingerprint of the primary key. */
  fpr: string;
  /** Public key, binary (`gpg --export`). */
  pubBinary: string;
  /** Public key, ASCII-armored. */
  pubArmored: string;
}

function gpg(home: string, args: string[], input?: string): string {
  const r = spawnSync("gpg", ["--batch", "--quiet", "--no-tty", "--homedir", home, ...args], {
    encoding: "utf8",
    input,
    env: { ...process.env, TZ: "UTC", GNUPGHOME: home },
  });
  if (r.status !== 0) throw new Error(`gpg ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

/** A fresh GNUPGHOME; `faked` puts `faked-system-time` into gpg.conf (for keys that are expired now). */
export function gnupgHome(faked?: string): string {
  const home = makeTempDir("gpg-");
  fs.chmodSync(home, 0o700);
  // gpg starts an agent per home; stop it when the test process ends (before the home is removed).
  process.once("exit", () => spawnSync("gpgconf", ["--homedir", home, "--kill", "gpg-agent"], { stdio: "ignore" }));
  if (faked) fs.writeFileSync(path.join(home, "gpg.conf"), `faked-system-time ${faked}\n`);
  return home;
}

/** `gpg --quick-gen-key uid algo usage expire` and export of the public key (binary and armored). */
export function genKey(home: string, uid: string, algo = "default", usage = "default", expire = "never"): TestKey {
  gpg(home, ["--passphrase", "", "--pinentry-mode", "loopback", "--quick-gen-key", uid, algo, usage, expire]);
  const fpr = fprOf(home, uid);
  return exportKey(home, fpr);
}

/** Fingerprint of the primary key with this uid. */
export function fprOf(home: string, uid: string): string {
  const out = gpg(home, ["--with-colons", "--list-keys", uid]);
  const line = out.split("\n").find((l) => l.startsWith("fpr:"));
  if (!line) throw new Error(`no fingerprint for ${uid}`);
  return line.split(":")[9];
}

/** Export a key's public half (after changes like added subkeys). */
export function exportKey(home: string, fpr: string): TestKey {
  const dir = makeTempDir("pub-");
  const pubBinary = path.join(dir, `${fpr}.gpg`);
  const pubArmored = path.join(dir, `${fpr}.asc`);
  gpg(home, ["--output", pubBinary, "--export", fpr]);
  gpg(home, ["--armor", "--output", pubArmored, "--export", fpr]);
  return { home, fpr, pubBinary, pubArmored };
}

/** Add a subkey (`--quick-add-key fpr algo usage expire`). */
export function addSubkey(key: TestKey, algo = "ed25519", usage = "sign", expire = "never"): TestKey {
  gpg(key.home, ["--passphrase", "", "--pinentry-mode", "loopback", "--quick-add-key", key.fpr, algo, usage, expire]);
  return exportKey(key.home, key.fpr);
}

/** Revoke a key (import its revocation certificate) and re-export. */
export function revokeKey(key: TestKey): TestKey {
  const rev = path.join(key.home, "openpgp-revocs.d", `${key.fpr}.rev`);
  const text = fs.readFileSync(rev, "utf8").replace(/^:-----BEGIN/m, "-----BEGIN");
  gpg(key.home, ["--import"], text);
  return exportKey(key.home, key.fpr);
}

/** `skopeo standalone-sign MANIFEST REF FPR` with the key's GNUPGHOME. */
export async function skopeoSign(key: TestKey, manifest: Buffer, dockerReference: string, signWith = key.fpr): Promise<Buffer> {
  const dir = makeTempDir("sign-");
  const m = path.join(dir, "manifest.json");
  fs.writeFileSync(m, manifest);
  const out = path.join(dir, "sig");
  const run = await runSkopeo(["standalone-sign", m, dockerReference, signWith, "-o", out], { env: { GNUPGHOME: key.home } });
  if (run.code !== 0) throw new Error(`standalone-sign failed: ${run.stderr}`);
  return fs.readFileSync(out);
}
