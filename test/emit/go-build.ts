/** Builds the small Go programs under test/emit/go/ (GOPATH mode against Debian's /usr/share/gocode). */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** Whether Go and Debian's Go sources are installed (or CI=true, where their absence must fail the tests). */
export const runGoTests = (existsSync("/usr/bin/go") && existsSync("/usr/share/gocode/src")) || process.env.CI === "true";

/** Build test/emit/go/<name>.go into a temp dir and return the binary path. */
export function buildGoProgram(name: string): string {
  const outDir = join(tmpdir(), `imagetrust-emit-go-${process.pid}`);
  mkdirSync(outDir, { recursive: true });
  const bin = join(outDir, name);
  if (existsSync(bin)) return bin;
  const env = {
    ...process.env,
    GO111MODULE: "off",
    GOPROXY: "off",
    GOFLAGS: "",
    GOCACHE: join(tmpdir(), "imagetrust-gocache"),
    GOPATH: "/usr/share/gocode",
  };
  execFileSync("go", ["build", "-o", bin, join(here, "go", `${name}.go`)], { env, timeout: 300_000, stdio: ["ignore", "ignore", "pipe"] });
  return bin;
}
