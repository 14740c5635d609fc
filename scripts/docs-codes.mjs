#!/usr/bin/env node
// npm run docs:codes: regenerate docs/codes.md from the diagnostic catalogue (src/diagnostics/catalogue/), read from
// the TypeScript sources through vite-node (no build needed). `--check` only reports whether the file is current.
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { renderCodesDocument } = await import(
  path.join(root, process.env.IMAGETRUST_DOCS_FROM_SRC ? "src/diagnostics/catalogue/render.ts" : "dist/diagnostics/catalogue/render.js")
);
const file = path.join(root, "docs/codes.md");
let old = "";
try {
  old = readFileSync(file, "utf8");
} catch {}
const text = renderCodesDocument();
if (old === text) process.exit(0);
if (process.argv.includes("--check")) {
  console.error("docs/codes.md is not current: run npm run docs:codes");
  process.exit(1);
}
writeFileSync(file, text);
console.log("updated docs/codes.md");
