/** `imagetrust playground`: usage errors with their codes, and a server that hands out only the folder's files. */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request } from "node:http";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, runCli } from "../cli/helpers.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "imagetrust-serve-"));
  writeFileSync(path.join(dir, "index.html"), "<!doctype html><title>t</title>");
  writeFileSync(path.join(dir, "app.js"), "export {};");
  mkdirSync(path.join(dir, "empty"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bin(): string {
  const pkg = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as { bin: string | Record<string, string> };
  return path.join(REPO, typeof pkg.bin === "string" ? pkg.bin : pkg.bin.imagetrust);
}

function get(port: number, p: string, method = "GET"): Promise<{ status: number; type?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: p, method }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, type: res.headers["content-type"], body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("imagetrust playground", () => {
  it("refuses a bad port", async () => {
    const r = await runCli(["playground", "--port", "http", "--no-open", "--dir", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("invalid --port 'http'");
  });

  it("a folder without index.html is IT9075", async () => {
    const r = await runCli(["playground", "--no-open", "--dir", path.join(dir, "empty")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("IT9075");
  });

  it("a port in use is IT9076 (no silent switch to another port)", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await runCli(["playground", "--port", String(port), "--no-open", "--dir", dir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("IT9076");
      expect(r.stderr).toContain("EADDRINUSE");
    } finally {
      blocker.close();
    }
  });

  it("serves the folder read-only on 127.0.0.1 and prints the URL", async () => {
    const child = spawn(process.execPath, [bin(), "playground", "--port", "0", "--no-open", "--dir", dir], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (b: Buffer) => {
          out += b.toString();
          const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
          if (m) resolve(m[0]);
        });
        child.on("exit", (c) => reject(new Error(`exited ${c}: ${out}`)));
      });
      const port = Number(new URL(url).port);
      expect(await get(port, "/")).toMatchObject({ status: 200, type: "text/html; charset=utf-8" });
      expect(await get(port, "/app.js")).toMatchObject({ status: 200, type: "text/javascript; charset=utf-8", body: "export {};" });
      expect((await get(port, "/%2e%2e/%2e%2e/package.json")).status).toBe(404);
      expect((await get(port, "/../package.json")).status).toBe(404);
      expect((await get(port, "/missing.js")).status).toBe(404);
      expect((await get(port, "/", "POST")).status).toBe(405);
    } finally {
      child.kill("SIGTERM");
    }
  });
});
