#!/usr/bin/env node
// The shipped executable (issue 15): src/cli/main.ts bundled by esbuild into dist/cli/imagetrust.cjs (the `bin`, one
// CommonJS script: Node starts it without its ESM loader, and `--version` loads nothing else), and the programs it
// dispatches to, each bundled with its dependencies: run.js (every command; an ES module program, its lazily imported
// modules in chunks of their own, dist/cli/chunks/: ESM code splitting keeps `import()` lazy) and, for `validate`,
// `simulate`, `compile` and `lint`, module packs read with V8's code cache (dist/cli/<command>/, built by
// scripts/module-pack.mjs; their loader, src/cli/module-pack.ts, is in imagetrust.cjs), so that those four never load
// the ESM loader at all.
// A few files to compile instead of ~300 modules to resolve, read and link is what makes start-up fast.
// Source maps (dist/cli/**/*.map) are read when a stack trace is printed (src/cli/stack-traces.ts), so a stack trace in a
// bug report names src/…ts lines. `tsc -p tsconfig.build.json` runs first and still emits the library (dist/index.js, dist/node.js,
// .d.ts); this script replaces its dist/cli/run.js and removes its dist/cli/main.js (an unbundled ES module copy of the
// executable: the executable is imagetrust.cjs alone).
//
// Run by `npm run build` (and so by `npm ci`'s prepare step and `npm test`'s pretest).
import { build } from "esbuild";
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildModulePack } from "./module-pack.mjs";
// tsc has written dist/ before this script runs (`npm run build`): the packed commands are the loader's own list.
import { PACKED_COMMANDS } from "../dist/cli/run-packed.js";

const repo = dirname(dirname(fileURLToPath(import.meta.url)));
const outdir = join(repo, "dist", "cli");
const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8"));

/**
 * Node flags of the executable. Semi-spaces of at most 2 MB: young-generation garbage is collected often, in a
 * young generation whose pages stay touched. On this 2-core benchmark machine a first touch of a page costs ~20 µs,
 * and a streamed `simulate` allocates little that lives: 16 MB semi-spaces (the value before) only touched more
 * memory. Measured, 100,000 references against 10,000 scopes, interleaved with containers/image's loop (medians of
 * 9): 16 MB 1.04x Go's wall time by pairs, 86 MB peak RSS, 14,200 page faults; 2 MB 0.98x, 73 MB, 10,700 faults;
 * 1,000,000 references 0.72x -> 0.67x, 90 -> 73 MB. validate and compile of 10,000 scopes: the same time (compile's
 * peak RSS 117 -> 105 MB); 1 MB was no faster than 2. (64 MB semi-spaces, V8's default cap, cost ~190 MB of RSS at
 * a million references.) No `--enable-source-maps`: it reads and parses every loaded module's map;
 * src/cli/stack-traces.ts maps a stack only when one is printed. (Measured for `validate` of a 10,000-scope policy:
 * the flag cost ~20 ms of CPU; `--min-semi-space-size=16`, tried to spare the scavenges of the policy's IR, touched
 * more memory and was no faster.)
 */
export const NODE_FLAGS = ["--max-semi-space-size=2"];

/**
 * The executable's first lines: a launcher that is a shell script and JavaScript at once. Each line after `#!/bin/sh`
 * starts with `':' //;`, which `/bin/sh` runs as `:` (a no-op) and Node reads as the string `':'` followed by a
 * comment (Node skips the `#!` line itself). The shell:
 * - answers a lone `--version`/`-V` itself (what main.ts prints for it: the version known at build time). Issue 15
 *   asks for `imagetrust --version` under 80 ms; a bare `node -e 0` takes ~100 ms on the benchmark machine.
 * - moves `NODE_EXTRA_CA_CERTS` aside to `IMAGETRUST_DEFERRED_CA_CERTS`. Node 20 reads that file, and builds its
 *   whole root store, at every start (measured on the benchmark machine, which sets it: ~60 ms of CPU, 416 M of bare
 *   Node's 508 M instructions), though most commands never open a TLS connection. main.ts puts the variable back for
 *   the program and its children; the HTTPS client (src/host/node-host.ts) trusts the same certificates, Node's
 *   roots plus the file's, on its first connection. Not with `--use-openssl-ca` in NODE_OPTIONS (a root store the
 *   client cannot rebuild): Node then reads the file at start, as before.
 * - replaces itself with `node <NODE_FLAGS> <this file> <arguments>`, arguments untouched (`"$@"`), so signals,
 *   standard streams and the exit status are node's own. That exec costs every other command ~1 ms.
 * `node dist/cli/imagetrust.cjs …` (tests, benchmarks, a platform without /bin/sh) runs the same program without it.
 */
export function launcher(version) {
  if (!/^[0-9A-Za-z.+-]+$/.test(version)) throw new Error(`package version ${JSON.stringify(version)} cannot be printed by the launcher`);
  return [
    "#!/bin/sh",
    `':' //; [ "$#" = 1 ] && case "$1" in --version|-V) printf '%s\\n' '${version}'; exit 0;; esac`,
    `':' //; case "$NODE_OPTIONS" in *openssl-ca*) ;; *) if [ -n "$NODE_EXTRA_CA_CERTS" ]; then IMAGETRUST_DEFERRED_CA_CERTS=$NODE_EXTRA_CA_CERTS; export IMAGETRUST_DEFERRED_CA_CERTS; unset NODE_EXTRA_CA_CERTS; fi;; esac`,
    `':' //; exec node ${NODE_FLAGS.join(" ")} "$0" "$@"`,
  ].join("\n");
}

/**
 * Node built-ins through `require` (the banner's createRequire in an ES module bundle), not ESM `import`: Node builds
 * an ESM facade of a built-in by reading every export, and reading `fs`'s lazy getters (promises, ReadStream, …) loads
 * modules a command may never use (measured: ~10 ms of start-up for node:fs/os/tty/path). esbuild's CommonJS interop
 * only defines getters. Commander's `require("node:child_process")` (for executable subcommands, which imagetrust does
 * not use) is deferred to first use: child_process pulls in net, dgram and more at start-up. A dynamic `import()` of a
 * built-in stays an `import()` in an ES module bundle (loaded on use anyway; a CommonJS chunk would come back as only
 * its `default`); in the CommonJS executable (`dynamicImports: "require"`) it becomes a `require` where the `import()`
 * was, since an `import()` there would start the ESM loader that this bundle exists to avoid.
 */
const builtinsThroughRequire = ({ dynamicImports = "import" } = {}) => ({
  name: "builtins-through-require",
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => {
      // The `require` inside the modules below is Node's own.
      if (args.namespace === "builtin" || args.namespace === "lazy-builtin" || (args.kind === "dynamic-import" && dynamicImports === "import")) {
        return { path: args.path, external: true };
      }
      if (args.path === "node:child_process" && /node_modules[\\/]commander[\\/]/.test(args.importer)) {
        return { path: args.path, namespace: "lazy-builtin" };
      }
      return { path: args.path, namespace: "builtin" };
    });
    b.onLoad({ filter: /.*/, namespace: "builtin" }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: "js" }));
    b.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, (args) => ({
      contents: `let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require(${JSON.stringify(args.path)}))[k] });`,
      loader: "js",
    }));
  },
});

/**
 * chalk's colour detection (supports-color) runs when chalk is imported: it loads node:tty, node:os and, through
 * tty, net and the stream modules (~5–10 ms of every start-up that renders text), only to find a default level that
 * imagetrust never uses (every Chalk it makes is given its level: src/cli/io.ts). The bundle takes chalk's own
 * no-detection variant (its `#supports-color` browser condition), which loads nothing.
 */
const chalkWithoutDetection = {
  name: "chalk-without-detection",
  setup(b) {
    // The importer is chalk's source/index.js; the variant sits beside the Node one it names.
    b.onResolve({ filter: /^#supports-color$/ }, (args) =>
      /node_modules[\\/]chalk[\\/]source[\\/]index\.js$/.test(args.importer)
        ? { path: join(dirname(args.importer), "vendor", "supports-color", "browser.js") }
        : undefined,
    );
  },
};

/**
 * Bundles sharing no chunk with one another: the entry (imagetrust.cjs, one CommonJS file: `--version` and the
 * dispatch), and the programs it runs — run.js (every command; its lazily imported modules in chunks/) and the module
 * packs of `validate`, `simulate`, `compile` and `lint` (below), commands that must start fast (compile of a small
 * .trust file: 320 -> 220 ms wall, of 10,000 scopes 890 -> 790 ms; lint of a small policy.json 330 -> 240 ms, of
 * 10,000 scopes 1.78 -> 1.44 s; medians of 5 to 11 interleaved runs). Node's ESM loader
 * spends ~1 ms per module (resolve, read, compile, link) on this machine, and ~15–20 ms to start at all: `validate` of
 * a policy.json loaded 38 files from one shared build, 19 from an ESM program of its own, and now 3 (imagetrust.cjs,
 * the pack and its cache), none of them an ES module. The same source sits in several bundles (a larger package, nothing else): each is a whole
 * program, and the entry hands the programs nothing but plain values and objects (CliIo).
 */
const PROGRAMS = [{ entry: "run", chunks: "chunks" }];


/** `import("./run.js")` in main.ts stays an import of the file the program build writes. */
const programsExternal = {
  name: "programs-external",
  setup(b) {
    const names = new Set(PROGRAMS.map((o) => `./${o.entry}.js`));
    b.onResolve({ filter: /^\.\/run[a-z-]*\.js$/ }, (args) =>
      names.has(args.path) && /src[\\/]cli[\\/]main\.ts$/.test(args.importer) ? { path: args.path, external: true } : undefined,
    );
  },
};

/** What every bundle shares. */
const common = {
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  sourcesContent: false,
  // Chevrotain's one-file ESM build, not its entry point that pulls in lodash-es (see src/syntax/chevrotain.ts).
  alias: { chevrotain: join(repo, "node_modules", "chevrotain", "lib", "chevrotain.mjs") },
  // The version is known at build time: `--version` reads no package.json (packageVersion in src/cli/shared.ts).
  define: { IMAGETRUST_BUNDLED_VERSION: JSON.stringify(pkg.version) },
  // CommonJS dependencies (ajv) call require() for Node built-ins; ESM output needs a real one.
  banner: { js: 'import { createRequire as __imagetrustCreateRequire } from "node:module"; const require = __imagetrustCreateRequire(import.meta.url);' },
  logLevel: "warning",
  legalComments: "none",
  // Less text for V8 to scan at every start (~10 ms of CPU for validate); identifiers are kept, so the frames of
  // a stack trace keep their function names (and are mapped to src/…ts when printed).
  minifyWhitespace: true,
  minifySyntax: true,
};

// The executable: CommonJS. `import.meta.url` (src/cli/run-packed.ts finds the packs beside it) is the file's own URL.
await build({
  ...common,
  entryPoints: { imagetrust: join(repo, "src", "cli", "main.ts") },
  outExtension: { ".js": ".cjs" },
  format: "cjs",
  splitting: false,
  // ("use strict" first: the banner comes before esbuild's own directive, which would then be a plain string.)
  banner: { js: '"use strict"; const __imagetrust_main_url = require("node:url").pathToFileURL(__filename).href;' },
  define: { ...common.define, "import.meta.url": "__imagetrust_main_url" },
  plugins: [builtinsThroughRequire({ dynamicImports: "require" }), programsExternal],
});
// tsc's unbundled ES module copy of the executable would run the same program, slowly, through the ESM loader:
// imagetrust.cjs is the one executable.
for (const f of ["main.js", "main.js.map", "main.d.ts"]) rmSync(join(outdir, f), { force: true });
for (const program of PROGRAMS) {
  rmSync(join(outdir, program.chunks), { recursive: true, force: true });
  await build({
    ...common,
    entryPoints: { [program.entry]: join(repo, "src", "cli", `${program.entry}.ts`) },
    chunkNames: `${program.chunks}/[name]-[hash]`,
    plugins: [builtinsThroughRequire(), chalkWithoutDetection],
  });
}

// `validate`, `simulate`, `compile` and `lint`: their programs as module packs with V8's code cache (scripts/module-pack.mjs; their
// loader, src/cli/run-packed.ts, is bundled into imagetrust.cjs).
for (const command of PACKED_COMMANDS) {
  rmSync(join(outdir, `chunks-${command}`), { recursive: true, force: true });
  await buildModulePack({
    command,
    repo,
    common,
    plugins: [builtinsThroughRequire(), chalkWithoutDetection],
    nodeFlags: NODE_FLAGS,
  });
}

// The launcher goes on the executable only, in place of esbuild's `#!` line; its source map moves down with the code.
const main = join(outdir, "imagetrust.cjs");
const bundled = readFileSync(main, "utf8");
const text = bundled.replace(/^#![^\n]*\n/, "");
const head = `${launcher(pkg.version)}\n`;
writeFileSync(main, head + text);
chmodSync(main, 0o755);
const map = JSON.parse(readFileSync(`${main}.map`, "utf8"));
const shift = head.split("\n").length - (bundled.length - text.length > 0 ? 2 : 1);
map.mappings = ";".repeat(shift) + map.mappings;
writeFileSync(`${main}.map`, JSON.stringify(map));
