/** Builds the small Go programs under test/emit/go/ (GOPATH mode against Debian's /usr/share/gocode). */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** Whether Go and Debian's Go sources are installed (or CI=true, where their absence must fail the tests). */
export const runGoTests = (existsSync("/usr/bin/go") && existsSync("/usr/share/gocode/src")) || process.env.CI === "true";

/**
 * Build test/emit/go/<name>.go and return the binary path. The binary is keyed by a hash of the source and
 * reused across runs; each build goes to a private path first and is renamed into place, so parallel vitest
 * workers never see a half-written binary.
 */
export function buildGoProgram(name: string): string {
  const source = join(here, "go", `${name}.go`);
  const hash = createHash("sha256").update(readFileSync(source)).digest("hex").slice(0, 16);
  const outDir = join(tmpdir(), "imagetrust-emit-go");
  mkdirSync(outDir, { recursive: true });
  const bin = join(outDir, `${name}-${hash}`);
  if (existsSync(bin)) return bin;
  const env = {
    ...process.env,
    GO111MODULE: "off",
    GOPROXY: "off",
    GOFLAGS: "",
    GOCACHE: join(tmpdir(), "imagetrust-gocache"),
    GOPATH: "/usr/share/gocode",
  };
  const tmp = `${bin}.${process.pid}.tmp`;
  execFileSync("go", ["build", "-o", tmp, source], { env, timeout: 300_000, stdio: ["ignore", "ignore", "pipe"] });
  renameSync(tmp, bin);
  return bin;
}
