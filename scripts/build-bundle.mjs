#!/usr/bin/env node
// The shipped executable (issue 15): src/cli/main.ts and everything it imports, dependencies included, bundled
// by esbuild into dist/cli/main.js (the `bin`), with each command and each lazily imported library module in its
// own chunk under dist/cli/chunks/ (ESM code splitting keeps `import()` lazy: `--version` loads the entry only).
// One file to compile instead of ~300 modules to resolve, read and link is what makes start-up fast.
// Source maps (dist/cli/*.map) are read with --enable-source-maps, so a stack trace in a bug report names
// src/…ts lines. `tsc -p tsconfig.build.json` runs first and still emits the library (dist/index.js, dist/node.js,
// .d.ts); this script replaces only its dist/cli/main.js.
//
// Run by `npm run build` (and so by `npm ci`'s prepare step and `npm test`'s pretest).
import { build } from "esbuild";
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = dirname(dirname(fileURLToPath(import.meta.url)));
const outdir = join(repo, "dist", "cli");
const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8"));

/**
 * Node flags of the executable. Semi-space 16 MB: young-generation garbage is collected often enough that a
 * streamed `simulate` of millions of references stays under 250 MB peak RSS (64 MB semi-spaces alone cost
 * ~190 MB of RSS). Source maps on for readable stack traces.
 */
export const SHEBANG = "#!/usr/bin/env -S node --enable-source-maps --max-semi-space-size=16";

rmSync(join(outdir, "chunks"), { recursive: true, force: true });
await build({
  entryPoints: { main: join(repo, "src", "cli", "main.ts") },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  sourcesContent: false,
  chunkNames: "chunks/[name]-[hash]",
  // Chevrotain's one-file ESM build, not its entry point that pulls in lodash-es (see src/syntax/chevrotain.ts).
  alias: { chevrotain: join(repo, "node_modules", "chevrotain", "lib", "chevrotain.mjs") },
  // The version is known at build time: `--version` reads no package.json (packageVersion in src/cli/shared.ts).
  define: { IMAGETRUST_BUNDLED_VERSION: JSON.stringify(pkg.version) },
  // CommonJS dependencies (ajv) call require() for Node built-ins; ESM output needs a real one.
  banner: { js: 'import { createRequire as __imagetrustCreateRequire } from "node:module"; const require = __imagetrustCreateRequire(import.meta.url);' },
  logLevel: "warning",
  legalComments: "none",
});

// The shebang goes on the entry only (esbuild's banner is on every chunk).
const main = join(outdir, "main.js");
const text = readFileSync(main, "utf8").replace(/^#![^\n]*\n/, "");
writeFileSync(main, `${SHEBANG}\n${text}`);
chmodSync(main, 0o755);
