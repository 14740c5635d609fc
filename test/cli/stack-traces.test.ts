// Stack traces of the bundled executable name src/…ts lines without `node --enable-source-maps` (src/cli/stack-traces.ts):
// a program bundled the way scripts/build-bundle.mjs bundles the CLI (esbuild, ESM, linked source maps) installs the
// lazy mapping and dies of an uncaught error; its stack must point into the TypeScript source, as Node's flag would.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers.js";

async function bundled(source: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "imagetrust-stack-"));
  const entry = path.join(dir, "crash.ts");
  writeFileSync(entry, source);
  const outfile = path.join(dir, "out", "crash.js");
  await build({ entryPoints: [entry], outfile, bundle: true, format: "esm", platform: "node", sourcemap: true, sourcesContent: false, logLevel: "error" });
  return outfile;
}

const CRASH = `import { mapStackTracesLazily } from ${JSON.stringify(path.join(REPO, "src/cli/stack-traces.ts"))};
mapStackTracesLazily();
function explode(): never {
  throw new Error("boom");
}
explode();
`;

describe("lazily source-mapped stack traces", () => {
  it("an uncaught error's stack names the .ts source line and column, as --enable-source-maps would", async () => {
    const file = await bundled(CRASH);
    const r = spawnSync(process.execPath, [file], { encoding: "utf8" });
    expect(r.status).toBe(1);
    const crash = path.join(path.dirname(path.dirname(file)), "crash.ts");
    expect(r.stderr).toContain("Error: boom");
    expect(r.stderr).toContain(`at explode (${crash}:4:9)`);
    expect(r.stderr).toContain(`at ${crash}:6:1`);
    // Node's own mapping gives the same frames.
    const flagged = spawnSync(process.execPath, ["--enable-source-maps", file], { encoding: "utf8" });
    expect(flagged.stderr).toContain(`at explode (${crash}:4:9)`);
  });

  it("the executable runs without --enable-source-maps and installs the mapping instead", () => {
    expect(readFileSync(path.join(REPO, "src/cli/main.ts"), "utf8")).toMatch(/^#![^\n]*\n[\s\S]*\nmapStackTracesLazily\(\);/);
    expect(readFileSync(path.join(REPO, "src/cli/main.ts"), "utf8").split("\n", 1)[0]).not.toContain("--enable-source-maps");
  });
});
