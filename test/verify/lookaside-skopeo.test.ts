/**
 * docker:// references with signatures in a registries.d lookaside (`file://` and `http://`), against a local
 * docker-registry, judged by skopeo 1.9.3 reading the same registries.d; plus bad lookaside servers (500, HTML,
 * redirect loop, hanging, endless body): bounded, a clear error, a deny.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyImage } from "../../src/verify/verify-image.js";
import type { RegistriesDConfig } from "../../src/ir/types.js";
import { nodeHost } from "../../src/host/node-host.js";
import { loadRegistriesDDir } from "../../src/load/registries-d/index.js";
import {
  makeDirImage,
  makeTempDir,
  pushDirImage,
  registryAvailable,
  skopeoAvailable,
  skopeoCopyVerdict,
  startRegistry,
  type DirImage,
  type LocalRegistry,
} from "../harness/skopeo.js";
import { policyIR, policyJson, type PolicySpec, type RequirementJson } from "../simulate/policy-builder.js";
import { genKey, gnupgHome, skopeoSign, type TestKey } from "./gpg-helpers.js";

const ci = process.env.CI === "true";

function registriesD(lookaside: string): { dir: string; config: RegistriesDConfig } {
  const dir = makeTempDir("regd-");
  fs.writeFileSync(path.join(dir, "default.yaml"), `default-docker:\n  lookaside: ${lookaside}\n`);
  const loaded = loadRegistriesDDir(dir, { host: nodeHost() });
  if (!loaded.value) throw new Error(JSON.stringify(loaded.diagnostics));
  return { dir, config: loaded.value };
}

/** A tiny HTTP server for lookaside trees and misbehaving servers. */
function serve(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const srv = http.createServer(handler);
    const sockets = new Set<import("node:net").Socket>();
    srv.on("connection", (s) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    });
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            srv.close(() => r());
          }),
      });
    });
  });
}

describe.skipIf((!skopeoAvailable() || !registryAvailable()) && !ci)("lookaside signatures for docker:// references vs skopeo", () => {
  let registry: LocalRegistry;
  let key: TestKey;
  let img: DirImage;
  let host: string;
  let treeServer: { url: string; close(): Promise<void> };
  const hex = () => img.manifestDigest.slice("sha256:".length);

  /** A lookaside tree with these signatures for acme/app. */
  function tree(sigs: Buffer[]): string {
    const root = makeTempDir("lookaside-");
    const d = path.join(root, "acme", "app@sha256=" + hex());
    fs.mkdirSync(d, { recursive: true });
    sigs.forEach((s, i) => fs.writeFileSync(path.join(d, `signature-${i + 1}`), s));
    return root;
  }

  beforeAll(async () => {
    registry = await startRegistry();
    host = registry.url;
    key = genKey(gnupgHome(), "Lookaside Signer <l@example.com>");
    img = makeDirImage(makeTempDir("push-"));
    await pushDirImage(img.dir, registry, "acme/app:v1");
    await pushDirImage(img.dir, registry, "acme/app:v2");
    treeServer = await serve((req, res) => {
      // /<tree-id>/acme/app@sha256=<hex>/signature-N served from the temp dir named by tree-id.
      const [, id, ...rest] = decodeURIComponent(req.url ?? "").split("/");
      const file = path.join(path.dirname(makeTempDir("probe-")), id, ...rest);
      if (id && fs.existsSync(file) && fs.statSync(file).isFile()) {
        res.writeHead(200, { "Content-Type": "application/octet-stream" });
        res.end(fs.readFileSync(file));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
  }, 120_000);
  afterAll(async () => {
    await treeServer?.close();
    await registry?.stop();
  });

  it("agrees with skopeo on signatures read from file:// and http:// lookasides", async () => {
    const repo = `${host}/acme/app`;
    const sign = (id: string) => skopeoSign(key, img.manifest, id);
    const good = await sign(`${repo}:v1`);
    const v2 = await sign(`${repo}:v2`);
    const otherRepo = await sign(`${host}/acme/other:v1`);
    const nameOnly = await sign(repo);
    const mirror = await sign(`mirror.example/acme/app:v1`);
    const sb = (identity?: RequirementJson): RequirementJson => ({
      type: "signedBy",
      keyType: "GPGKeys",
      keyPath: key.pubBinary,
      ...(identity ? { signedIdentity: identity } : {}),
    });
    const refTag = `docker://${repo}:v1`;
    const refDigest = `docker://${repo}@${img.manifestDigest}`;
    const cases: { name: string; sigs: Buffer[]; policy: PolicySpec; ref: string; http?: boolean }[] = [
      { name: "default identity, tag ref", sigs: [good], policy: { default: [sb()] }, ref: refTag },
      { name: "default identity, tag ref, other tag signed", sigs: [v2], policy: { default: [sb()] }, ref: refTag },
      { name: "default identity, digest ref, any tag signed", sigs: [v2], policy: { default: [sb()] }, ref: refDigest },
      { name: "default identity, name-only signature", sigs: [nameOnly], policy: { default: [sb()] }, ref: refTag },
      { name: "matchRepository, name-only signature", sigs: [nameOnly], policy: { default: [sb({ type: "matchRepository" })] }, ref: refTag },
      { name: "matchExact, digest ref", sigs: [good], policy: { default: [sb({ type: "matchExact" })] }, ref: refDigest },
      { name: "other repository", sigs: [otherRepo], policy: { default: [sb()] }, ref: refTag },
      { name: "remapIdentity", sigs: [mirror], policy: { default: [sb({ type: "remapIdentity", prefix: host, signedPrefix: "mirror.example" })] }, ref: refTag },
      { name: "exactRepository", sigs: [otherRepo], policy: { default: [sb({ type: "exactRepository", dockerRepository: `${host}/acme/other` })] }, ref: refTag },
      { name: "no signatures", sigs: [], policy: { default: [sb()] }, ref: refTag },
      { name: "mixed", sigs: [otherRepo, v2, good], policy: { default: [sb()] }, ref: refTag },
      { name: "scoped policy", sigs: [good], policy: { default: [{ type: "reject" }], transports: { docker: { [`${host}/acme`]: [sb()] } } }, ref: refTag },
      { name: "http: default identity", sigs: [good], policy: { default: [sb()] }, ref: refTag, http: true },
      { name: "http: mixed", sigs: [otherRepo, nameOnly], policy: { default: [sb()] }, ref: refTag, http: true },
      { name: "http: no signatures (404)", sigs: [], policy: { default: [sb()] }, ref: refTag, http: true },
      { name: "garbage blob", sigs: [Buffer.from("<html>hi</html>")], policy: { default: [sb()] }, ref: refTag },
    ];
    const results = await Promise.all(
      cases.map(async (c) => {
        const root = tree(c.sigs);
        const url = c.http ? `${treeServer.url}/${path.basename(root)}` : `file://${root}`;
        const regd = registriesD(url);
        const mine = await verifyImage({ host: nodeHost(), policy: policyIR(c.policy), registriesD: regd.config, ref: c.ref, manifest: img.manifest, target: "5.23" });
        const theirs = await skopeoCopyVerdict(policyJson(c.policy), c.ref, { registriesD: regd.dir, srcTlsVerify: false });
        return { name: c.name, mine: { allowed: mine.verdict === "allow", message: mine.error ?? undefined }, theirs: { allowed: theirs.allowed === true, message: theirs.message } };
      }),
    );
    const disagree = results.filter((r) => r.mine.allowed !== r.theirs.allowed || (!r.mine.allowed && r.mine.message !== r.theirs.message));
    expect(disagree).toEqual([]);
    expect(results.filter((r) => r.theirs.allowed).length).toBeGreaterThanOrEqual(5);
  }, 300_000);

  it("agrees with skopeo on misbehaving http lookaside servers (500, HTML, redirect loop)", async () => {
    const srv = await serve((req, res) => {
      if (req.url?.startsWith("/500/")) {
        res.writeHead(500);
        res.end("oops");
      } else if (req.url?.startsWith("/html/")) {
        res.writeHead(200, { "Content-Type": "text/html" });
        res.end("<html><body>login</body></html>");
      } else if (req.url?.startsWith("/loop/")) {
        res.writeHead(302, { Location: req.url });
        res.end();
      } else if (req.url?.startsWith("/403/")) {
        res.writeHead(403);
        res.end();
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    try {
      const policy: PolicySpec = { default: [{ type: "signedBy", keyType: "GPGKeys", keyPath: key.pubBinary }] };
      const ref = `docker://${host}/acme/app:v1`;
      for (const kind of ["500", "html", "loop", "403"]) {
        const regd = registriesD(`${srv.url}/${kind}`);
        const mine = await verifyImage({ host: nodeHost(), policy: policyIR(policy), registriesD: regd.config, ref, manifest: img.manifest, target: "5.23" });
        const theirs = await skopeoCopyVerdict(policyJson(policy), ref, { registriesD: regd.dir, srcTlsVerify: false });
        expect(mine.verdict, kind).toBe("deny");
        expect(theirs.allowed, kind).not.toBe(true);
        expect({ kind, message: mine.error }).toEqual({ kind, message: theirs.message });
      }
    } finally {
      await srv.close();
    }
  }, 120_000);
});

describe("bounded lookaside reads (no skopeo needed)", () => {
  it("a hanging server, an endless body and a huge body all deny within the bounds", async () => {
    const srv = await serve((req, res) => {
      if (req.url?.startsWith("/hang/")) return; // never answers
      if (req.url?.startsWith("/endless/")) {
        res.writeHead(200);
        const chunk = Buffer.alloc(64 * 1024, 0x41);
        const pump = () => {
          while (res.write(chunk)) {
            /* keep writing */
          }
          res.once("drain", pump);
        };
        res.on("error", () => undefined);
        pump();
        return;
      }
      res.writeHead(404);
      res.end();
    });
    try {
      const policy = policyIR({ default: [{ type: "signedBy", keyType: "GPGKeys", keyPath: "/nonexistent" }] });
      const manifest = Buffer.from('{"schemaVersion":2}');
      const ref = "docker://registry.example/acme/app:v1";
      const t0 = Date.now();
      const hang = await verifyImage({ host: nodeHost(), policy, registriesD: registriesD(`${srv.url}/hang`).config, ref, manifest, http: { timeoutMs: 500 } });
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(hang.verdict).toBe("deny");
      expect(hang.error).toMatch(/timeout after 500 ms/);
      const endless = await verifyImage({ host: nodeHost(), policy, registriesD: registriesD(`${srv.url}/endless`).config, ref, manifest, http: { timeoutMs: 10_000 } });
      expect(endless.verdict).toBe("deny");
      expect(endless.error).toBe("exceeded maximum allowed size of 4194304 bytes");
      const unsupported = await verifyImage({ host: nodeHost(), policy, registriesD: registriesD("ftp://example.com/sigs").config, ref, manifest });
      expect(unsupported.verdict).toBe("deny");
      expect(unsupported.error).toMatch(/^Unsupported scheme when reading signature from ftp:\/\/example.com\/sigs\/acme\/app@sha256=[0-9a-f]{64}\/signature-1$/);
    } finally {
      await srv.close();
    }
  }, 30_000);
});
