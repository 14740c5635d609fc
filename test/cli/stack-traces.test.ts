// Stack traces of the bundled executable name src/…ts lines without `node --enable-source-maps` (src/cli/stack-traces.ts):
// a program bundled the way scripts/build-bundle.mjs bundles the CLI (esbuild, ESM, linked source maps) installs the
// lazy mapping and dies of an uncaught error; its stack must point into the TypeScript source, as Node's flag would.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { SourceMap } from "node:module";
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

  it("the executable's source map accounts for the launcher put above the bundle", () => {
    const bin = path.join(REPO, "dist/cli/imagetrust.cjs");
    if (!existsSync(bin)) return;
    const text = readFileSync(bin, "utf8");
    const map = new SourceMap(JSON.parse(readFileSync(`${bin}.map`, "utf8")) as ConstructorParameters<typeof SourceMap>[0]);
    // The top-level call in src/cli/main.ts (the bundle keeps identifiers), not the function's definition.
    const at = /(?<!function )\bmapStackTracesLazily\(\);/.exec(text)!.index;
    const before = text.slice(0, at).split("\n");
    const entry = map.findEntry(before.length - 1, before.at(-1)!.length) as { originalSource?: string; originalLine?: number };
    expect(entry.originalSource).toMatch(/src\/cli\/main\.ts$/);
    const source = readFileSync(path.join(REPO, "src/cli/main.ts"), "utf8").split("\n");
    expect(source[entry.originalLine!]).toBe("mapStackTracesLazily();");
  });
});
