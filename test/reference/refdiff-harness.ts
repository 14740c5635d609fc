/**
 * The refdiff Go program (fixtures/refdiff.go.txt) on containers/image 5.23.1 (Debian's Go sources under
 * /usr/share/gocode), built in GOPATH mode and cached in os.tmpdir() by source hash: the differential tests of
 * test/reference ask it what ParseNormalizedNamed, ParseNamed, digest validation, scope validation and
 * alltransports.ParseImageName say.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const GO_SOURCE = path.join(here, "fixtures", "refdiff.go.txt");
const GOPATH_SYSTEM = "/usr/share/gocode";

/** Whether a Go toolchain is installed (the tests that need it are skipped otherwise). */
export const goAvailable = spawnSync("go", ["version"], { encoding: "utf8" }).status === 0;

/** One question to the program (one JSON line). */
export interface GoRequest {
  kind: "norm" | "named" | "digest" | "prefix" | "scope" | "ref";
  input: string;
  transport?: string;
}
/** Its answer (one JSON line per question, in order). */
export interface GoResponse {
  ok: boolean;
  error?: string;
  known?: boolean;
  result?: string;
  identity: string;
  namespaces: string[];
  within?: string;
  imageName?: string;
  dockerReference?: string;
}

/** Builds (or reuses) the harness binary; throws with the compiler output on failure. */
export function harnessBinary(): string {
  const source = fs.readFileSync(GO_SOURCE, "utf8");
  const goVersion = spawnSync("go", ["version"], { encoding: "utf8" }).stdout;
  const key = createHash("sha256").update(source).update(goVersion).digest("hex").slice(0, 16);
  const binary = path.join(os.tmpdir(), `imagetrust-refdiff-${key}`);
  if (fs.existsSync(binary)) return binary;
  const gopath = fs.mkdtempSync(path.join(os.tmpdir(), "imagetrust-refdiff-gopath-"));
  try {
    const pkg = path.join(gopath, "src", "x");
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, "main.go"), source);
    // A go.mod in the package directory makes GOPATH mode map the /v5 import path (minimal module compatibility).
    fs.writeFileSync(path.join(pkg, "go.mod"), "module x\n\ngo 1.19\n");
    const tmpBinary = `${binary}.${process.pid}.tmp`;
    const r = spawnSync("go", ["build", "-o", tmpBinary, "."], {
      cwd: pkg,
      encoding: "utf8",
      env: { ...process.env, GO111MODULE: "off", GOPROXY: "off", GOFLAGS: "", GOPATH: `${gopath}:${GOPATH_SYSTEM}` },
    });
    if (r.status !== 0) throw new Error(`building the Go harness failed:\n${r.stderr}${r.stdout}`);
    fs.renameSync(tmpBinary, binary);
    return binary;
  } finally {
    fs.rmSync(gopath, { recursive: true, force: true });
  }
}

/** The answers to `requests`, asked in one run of the program in `cwd` (relative paths resolve there). */
export function askGo(binary: string, requests: GoRequest[], cwd: string): GoResponse[] {
  const r = spawnSync(binary, [], {
    cwd,
    input: requests.map((q) => JSON.stringify(q)).join("\n") + "\n",
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`Go harness failed: ${r.stderr}`);
  const lines = r.stdout.trim().split("\n");
  expect(lines.length).toBe(requests.length);
  return lines.map((l) => JSON.parse(l) as GoResponse);
}
