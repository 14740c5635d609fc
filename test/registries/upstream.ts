/**
 * Builds and runs a small Go program on containers/image 5.23.1 (Debian's sources in /usr/share/gocode)
 * for differential tests. The binary is cached in os.tmpdir(), keyed by a hash of the Go source.
 */
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), "upstream.go.txt");

/** True when a Go toolchain is on PATH. */
export function haveGo(): boolean {
  const r = spawnSync("go", ["version"], { encoding: "utf8" });
  return r.status === 0;
}

/** Skip differential tests only when Go is missing and we are not in CI. */
export function shouldSkipUpstream(): boolean {
  return !haveGo() && process.env.CI !== "true";
}

let cached: string | undefined;

/** Path of the compiled harness (built on first use). */
export function harnessBinary(): string {
  if (cached) return cached;
  const src = fs.readFileSync(SOURCE, "utf8");
  const hash = createHash("sha256").update(src).update(process.version).digest("hex").slice(0, 16);
  const root = path.join(os.tmpdir(), `imagetrust-registries-harness-${hash}`);
  const bin = path.join(root, "harness");
  if (fs.existsSync(bin)) return (cached = bin);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "imagetrust-registries-build-"));
  const pkg = path.join(work, "src", "x");
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(pkg, "main.go"), src);
  // A go.mod makes Go map the /v5 import path onto Debian's GOPATH sources (it is not used for resolution).
  fs.writeFileSync(path.join(pkg, "go.mod"), "module x\n\ngo 1.19\n");
  // An assembly file allows the body-less go:linkname declarations.
  fs.writeFileSync(path.join(pkg, "link.s"), "");
  fs.mkdirSync(root, { recursive: true });
  const tmpBin = path.join(root, `harness.${process.pid}.tmp`);
  const r = spawnSync("go", ["build", "-o", tmpBin, "."], {
    cwd: pkg,
    encoding: "utf8",
    env: { ...process.env, GO111MODULE: "off", GOPROXY: "off", GOPATH: `${work}:/usr/share/gocode`, GOFLAGS: "" },
    timeout: 600_000,
  });
  if (r.status !== 0) throw new Error(`building the Go harness failed:\n${r.stderr}${r.stdout}`);
  fs.renameSync(tmpBin, bin);
  fs.rmSync(work, { recursive: true, force: true });
  return (cached = bin);
}

/** Run requests through the harness; `env` adds environment variables (e.g. HOME, _CONTAINERS_ROOTLESS_UID). */
export function runUpstream<T = unknown>(requests: unknown[], env: Record<string, string> = {}): T[] {
  const bin = harnessBinary();
  const r = spawnSync(bin, [], {
    input: JSON.stringify(requests),
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 256 * 1024 * 1024,
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`Go harness failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T[];
}
