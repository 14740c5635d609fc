#!/usr/bin/env node
// npm run docs:rules: regenerate docs/rules.md and the README's rule table (between <!-- rules:start --> and
// <!-- rules:end --> only) from the lint rules, read from the TypeScript sources through vite-node (no build needed).
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { renderRulesDocument, renderRuleTable, replaceMarkedBlock } = await import(path.join(root, process.env.IMAGETRUST_DOCS_FROM_SRC ? "src/lint/docs.ts" : "dist/lint/docs.js"));
const check = process.argv.includes("--check");
let stale = false;
const update = (file, text) => {
  const p = path.join(root, file);
  const old = readFileSync(p, "utf8");
  if (old === text) return;
  stale = true;
  if (check) console.error(`${file} is not current: run npm run docs:rules`);
  else {
    writeFileSync(p, text);
    console.log(`updated ${file}`);
  }
};
let doc = "";
try {
  doc = readFileSync(path.join(root, "docs/rules.md"), "utf8");
} catch {}
if (!doc && !check) writeFileSync(path.join(root, "docs/rules.md"), "");
update("docs/rules.md", renderRulesDocument());
const readme = readFileSync(path.join(root, "README.md"), "utf8");
const next = replaceMarkedBlock(readme, renderRuleTable());
if (next === undefined) console.error("README.md has no <!-- rules:start --> … <!-- rules:end --> markers; left alone");
else update("README.md", next);
process.exitCode = check && stale ? 1 : 0;
