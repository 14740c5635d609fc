#!/usr/bin/env node
/**
 * `npm run playground`: the static playground in playground/dist/ (index.html, style.css, app.js). The core is
 * bundled for the browser by esbuild (platform browser, as test/architecture/browser-bundle.test.ts checks), with
 * CodeMirror 6; the examples of examples/ are put in as the virtual module `imagetrust-examples`. No server code:
 * any static file server (or `imagetrust playground`) serves the folder. Prints the bundle size.
 *
 * Usage: node scripts/build-playground.mjs [--out DIR] [--no-minify]
 */
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const outIndex = args.indexOf("--out");
const out = outIndex >= 0 ? path.resolve(args[outIndex + 1]) : path.join(repo, "playground/dist");
const minify = !args.includes("--no-minify");

const examplesDir = path.join(repo, "examples");
const policies = {};
for (const f of readdirSync(examplesDir).filter((f) => f.endsWith(".trust")).sort()) {
  policies[f.replace(/\.trust$/, "")] = readFileSync(path.join(examplesDir, f), "utf8");
}
policies["good-policy.json"] = readFileSync(path.join(examplesDir, "hand-written/good-policy.json"), "utf8");
const registriesD = readFileSync(path.join(examplesDir, "hand-written/registries.d/redhat.yaml"), "utf8");

/** The examples as a module. */
const examplesPlugin = {
  name: "imagetrust-examples",
  setup(b) {
    b.onResolve({ filter: /^imagetrust-examples$/ }, () => ({ path: "imagetrust-examples", namespace: "imagetrust-examples" }));
    b.onLoad({ filter: /.*/, namespace: "imagetrust-examples" }, () => ({ contents: `export default ${JSON.stringify({ policies, registriesD })};`, loader: "js" }));
  },
};

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const started = Date.now();
const result = await build({
  absWorkingDir: repo,
  entryPoints: [path.join(repo, "playground/src/main.ts")],
  outdir: out,
  entryNames: "app",
  chunkNames: "chunks/[name]-[hash]",
  splitting: true,
  bundle: true,
  platform: "browser",
  format: "esm",
  target: "es2022",
  minify,
  legalComments: "linked",
  metafile: true,
  logLevel: "warning",
  plugins: [examplesPlugin],
});
for (const f of ["index.html", "style.css"]) copyFileSync(path.join(repo, "playground", f), path.join(out, f));
writeFileSync(path.join(out, "meta.json"), JSON.stringify(result.metafile));

const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
const js = Object.keys(result.metafile.outputs).filter((f) => f.endsWith(".js"));
const sizes = js.map((f) => {
  const bytes = readFileSync(path.join(repo, f));
  return { file: path.relative(out, path.join(repo, f)), raw: bytes.length, gz: gzipSync(bytes).length };
});
console.log(`playground built in ${Date.now() - started} ms: ${path.relative(process.cwd(), out) || "."}/`);
for (const s of sizes) console.log(`  ${s.file} ${kb(s.raw)} (${kb(s.gz)} gzipped)`);
const sum = (k) => sizes.reduce((n, s) => n + s[k], 0);
console.log(`  all JavaScript ${kb(sum("raw"))} (${kb(sum("gz"))} gzipped)`);
