/**
 * The executable's /bin/sh launcher (scripts/build-bundle.mjs `launcher`): what it hands node, and the
 * NODE_EXTRA_CA_CERTS it moves aside so that Node does not build its root store at every start. The HTTPS client
 * must then trust exactly what Node would have: checked against an HTTPS server on loopback whose certificate only
 * the extra file vouches for (test/fixtures/tls: a self-signed certificate for 127.0.0.1, valid until 2126).
 */
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO } from "./helpers.js";

const BIN = path.join(REPO, "dist/cli/imagetrust.cjs");
const CERT = path.join(REPO, "test/fixtures/tls/cert.pem");
const KEY = path.join(REPO, "test/fixtures/tls/key.pem");

/** Run a program without blocking this process's event loop (the HTTPS server below answers from it). */
function run(file: string, args: string[], env: Record<string, string | undefined>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env: env as NodeJS.ProcessEnv, encoding: "utf8", timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The environment of this process minus the variables under test. */
function baseEnv(extra: Record<string, string>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  delete env.IMAGETRUST_DEFERRED_CA_CERTS;
  delete env.NODE_OPTIONS;
  return { ...env, ...extra };
}

describe.skipIf(!existsSync(BIN))("the launcher", () => {
  // A `node` that prints what it was given: the launcher's exec, seen from the other side.
  const fake = mkdtempSync(path.join(tmpdir(), "imagetrust-fake-node-"));
  writeFileSync(path.join(fake, "node"), '#!/bin/sh\nprintf "ARGS %s\\n" "$*"\nenv | grep -E "^(NODE_EXTRA_CA_CERTS|IMAGETRUST_DEFERRED_CA_CERTS)="\nexit 7\n');
  chmodSync(path.join(fake, "node"), 0o755);
  const PATH = `${fake}:${process.env.PATH ?? ""}`;

  it("execs node with the shipped flags, this file and the arguments, and returns node's status", async () => {
    const r = await run(BIN, ["simulate", "a b", ""], baseEnv({ PATH }));
    expect(r.code).toBe(7);
    expect(r.stdout.split("\n")[0]).toBe(`ARGS --max-semi-space-size=2 ${BIN} simulate a b `);
  });

  it("moves NODE_EXTRA_CA_CERTS aside, so that node does not read it at start", async () => {
    const r = await run(BIN, ["lint"], baseEnv({ PATH, NODE_EXTRA_CA_CERTS: "/etc/some ca.pem" }));
    expect(r.stdout.split("\n").slice(1).filter(Boolean)).toEqual(["IMAGETRUST_DEFERRED_CA_CERTS=/etc/some ca.pem"]);
  });

  it("leaves it in place with --use-openssl-ca in NODE_OPTIONS (Node's store then cannot be rebuilt)", async () => {
    const r = await run(BIN, ["lint"], baseEnv({ PATH, NODE_EXTRA_CA_CERTS: "/etc/ca.pem", NODE_OPTIONS: "--use-openssl-ca" }));
    expect(r.stdout.split("\n").slice(1).filter(Boolean)).toEqual(["NODE_EXTRA_CA_CERTS=/etc/ca.pem"]);
  });
});

describe.skipIf(!existsSync(BIN))("NODE_EXTRA_CA_CERTS through the launcher, against an HTTPS server on loopback", () => {
  let server: https.Server;
  let origin: string;
  const policy = path.join(mkdtempSync(path.join(tmpdir(), "imagetrust-ca-")), "policy.json");
  writeFileSync(policy, '{"default":[{"type":"insecureAcceptAnything"}]}\n');

  beforeAll(async () => {
    // Every request is answered 404: reaching it at all means the certificate was trusted.
    server = https.createServer({ cert: readFileSync(CERT), key: readFileSync(KEY) }, (_req, res) => {
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const verify = (env: Record<string, string>) => run(BIN, ["verify", "--policy", policy, "--online", `docker://${origin}/x/y:1`], baseEnv(env));

  it("without the file, the server's certificate is refused", async () => {
    const r = await verify({});
    expect(r.stdout).toContain("self-signed certificate");
  });

  it("with it, the certificate is trusted (as Node trusts it when it reads the file at start)", async () => {
    const r = await verify({ NODE_EXTRA_CA_CERTS: CERT });
    expect(r.stdout).toContain("status 404");
    expect(r.stdout).not.toContain("certificate");
    expect(r.stderr).toBe("");
  });

  it("with --use-openssl-ca, Node reads the file at start, and it is trusted too", async () => {
    const r = await verify({ NODE_EXTRA_CA_CERTS: CERT, NODE_OPTIONS: "--use-openssl-ca" });
    expect(r.stdout).toContain("status 404");
  });

  it("a file that cannot be read is ignored with Node's warning", async () => {
    const r = await verify({ NODE_EXTRA_CA_CERTS: "/nonexistent/ca.pem" });
    expect(r.stderr).toContain("Warning: Ignoring extra certs from `/nonexistent/ca.pem`, load failed");
    expect(r.stdout).toContain("self-signed certificate");
  });

  it("the program sees NODE_EXTRA_CA_CERTS as the user set it (main.ts puts it back)", async () => {
    const script = `process.env.IMAGETRUST_DEFERRED_CA_CERTS = "/etc/some ca.pem"; await import(${JSON.stringify(BIN)}); process.stderr.write("SEEN=" + process.env.NODE_EXTRA_CA_CERTS)`;
    const r = await run(process.execPath, ["--input-type=module", "-e", script, "--", "x", "--version"], baseEnv({}));
    expect(r.stderr).toBe("SEEN=/etc/some ca.pem");
  });
});
