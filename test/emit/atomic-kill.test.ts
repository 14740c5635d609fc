import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { readdirSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { writeTreeAtomic } from "../../src/util/atomic-write.js";
import { nodeHost } from "../../src/host/node-host.js";

const here = dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(join(tmpdir(), "imagetrust-kill-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A child process that rewrites policy.json + registries.d with writeTreeAtomic in a loop, forever. */
function startWriter(outDir: string): ReturnType<typeof spawn> {
  // atomic-write.ts and the host files it needs, transpiled beside each other as in src/ (an ES module package).
  const lib = join(work, "util", "atomic-write.js");
  const nodeHostLib = join(work, "host", "node-host.js");
  if (!existsSync(lib)) {
    writeFileSync(join(work, "package.json"), '{"type":"module"}\n');
    for (const rel of ["util/atomic-write.ts", "host/host.ts", "host/path.ts", "host/node-host.ts"]) {
      const src = readFileSync(join(here, "..", "..", "src", rel), "utf8");
      mkdirSync(dirname(join(work, rel)), { recursive: true });
      writeFileSync(join(work, rel.replace(/\.ts$/, ".js")), ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText);
    }
  }
  const script = join(work, "writer.mjs");
  writeFileSync(
    script,
    `import { writeTreeAtomic } from ${JSON.stringify(lib)};
import { nodeHost } from ${JSON.stringify(nodeHostLib)};
const host = nodeHost();
const out = process.argv[2];
const doc = (g) => JSON.stringify({ default: [{ type: "reject" }], gen: g, pad: "x".repeat(200000 + (g % 7) * 1000) }) + "\\n";
process.stdout.write("ready\\n");
for (let g = 1; ; g++) {
  await writeTreeAtomic(out, [{ path: "registries.d/a.yaml", text: "# gen " + g + "\\n" + "y".repeat(50000) + "\\n" }, { path: "policy.json", text: doc(g) }], { host });
}
`,
  );
  return spawn(process.execPath, [script, outDir], { stdio: ["ignore", "pipe", "inherit"] });
}

const generations: number[] = [];
afterAll(() => {
  // The kills really landed while later generations were being written.
  expect(Math.max(...generations)).toBeGreaterThan(1);
});

describe("a compile killed at a random moment never leaves a missing, empty or half-written policy.json", () => {
  it.each([1, 2, 3, 4, 5, 6])("kill #%i", async (i) => {
    const outDir = join(work, `out-${i}`);
    const child = startWriter(outDir);
    await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
    // Let a first generation land, then kill somewhere in the middle of later ones.
    const path = join(outDir, "policy.json");
    for (let t = 0; t < 200 && !existsSync(path); t++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50 + Math.floor(Math.random() * 300)));
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const doc = JSON.parse(readFileSync(path, "utf8"));
    generations.push(doc.gen);
    // The next successful write clears the temp files the killed writer left behind.
    await writeTreeAtomic(outDir, [{ path: "registries.d/a.yaml", text: "a\n" }, { path: "policy.json", text: "{}\n" }], { host: nodeHost() });
    expect(readdirSync(outDir).sort()).toEqual(["policy.json", "registries.d"]);
    expect(readdirSync(join(outDir, "registries.d"))).toEqual(["a.yaml"]);
    expect(doc.default).toEqual([{ type: "reject" }]);
    expect(doc.pad.length).toBe(200000 + (doc.gen % 7) * 1000);
  }, 30_000);
});
