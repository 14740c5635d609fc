// A command's program as a module pack with V8's code cache (issue 15): `validate`, `simulate`, `compile` and `lint`, each in
// dist/cli/<command>/ (the loader is src/cli/module-pack.ts, which src/cli/run-packed.ts calls from the executable,
// dist/cli/imagetrust.cjs). Called by scripts/build-bundle.mjs, once per command, from the program's entry
// src/cli/run-<command>.ts:
//
// 1. esbuild bundles the entry as ES modules with code splitting (lazily imported modules keep chunks of their own),
//    into a scratch directory;
// 2. each of those files becomes a CommonJS module body in dist/cli/<command>/ (esbuild again, without bundling; its
//    source map chained to the first one's, so it still names src/…ts);
// 3. a training run (scripts/module-pack-train.mjs, under the executable's own Node flags) runs the command on a few
//    inputs and records which modules it instantiates;
// 4. those modules go into dist/cli/<command>/pack.cjs, one script (with an index source map of one section per
//    module); the others stay files of their own, read only when required;
// 5. a second training run loads the pack without cache, runs the command on its typical input and writes V8's code
//    cache of what it compiled to dist/cli/<command>/pack.cjs.cache. V8 accepts it only under the same Node and the
//    same V8 flags (hence the launcher's NODE_FLAGS); anywhere else it is rejected and ignored. A failed training run
//    leaves the pack without cache (a warning): the executable works the same, only slower to start.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, posix, relative, resolve } from "node:path";
// The loader's own list (tsc has built dist/ before this script runs, as the training run needs it too).
import { MODULE_PARAMS } from "../dist/cli/module-pack.js";

/** The parameters of every module function, as the loader passes them. */
const PARAMS = MODULE_PARAMS.join(", ");

/**
 * Chevrotain, the one module with top-level await (src/syntax/chevrotain.ts finds the library's one-file build at run
 * time), cannot be CommonJS: in the pack its `chevrotain` is a static import of that same build (aliased, as in the
 * other bundles), which the .trust compiler's lazy chunk holds.
 */
const chevrotainStatic = {
  name: "chevrotain-static",
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]syntax[\\/]chevrotain\.ts$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      const tla = "const chevrotain = await loadChevrotain();";
      if (!text.includes(tla)) throw new Error(`${args.path}: expected "${tla}" (see scripts/module-pack.mjs)`);
      return { contents: text.replace(tla, 'import * as chevrotainBundle from "chevrotain";\nconst chevrotain = chevrotainBundle;'), loader: "ts" };
    });
  },
};

/** Every file under `dir`, relative, with forward slashes. */
function filesUnder(dir, base = dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, base) : [relative(base, path).split("\\").join("/")];
  });
}

/**
 * Build dist/cli/<command>/ from src/cli/run-<command>.ts. `common` is the bundles' shared esbuild options, `plugins`
 * theirs for this program, `nodeFlags` the executable's Node flags, `repo` the repository.
 */
export async function buildModulePack({ command, repo, common, plugins, nodeFlags }) {
  const outdir = join(repo, "dist", "cli", command);
  const scratch = join(repo, "dist", "cli", `${command}-esm`);
  rmSync(outdir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });

  // 1. ES modules, split as the ESM programs are (no banner: `require` is the pack's, a module function parameter).
  await build({
    ...common,
    banner: {},
    outdir: scratch,
    entryPoints: { [`run-${command}`]: join(repo, "src", "cli", `run-${command}.ts`) },
    chunkNames: `chunks-${command}/[name]-[hash]`,
    plugins: [...plugins, chevrotainStatic],
  });

  // 2. CommonJS bodies, `import.meta.url` a parameter (the module's own file URL).
  const ids = filesUnder(scratch).filter((f) => f.endsWith(".js"));
  await build({
    entryPoints: ids.map((id) => ({ in: join(scratch, id), out: id.replace(/\.js$/, "") })),
    outdir,
    bundle: false,
    format: "cjs",
    platform: "node",
    target: "node20",
    sourcemap: "external",
    sourcesContent: false,
    define: { "import.meta.url": "__imagetrust_url" },
    // import() becomes require() (a module function is not a module: V8 has nothing to import with).
    supported: { "dynamic-import": false },
    logLevel: "warning",
    legalComments: "none",
    minifyWhitespace: true,
    minifySyntax: true,
  });
  // src/cli/module-pack.ts settles each module's exports into plain values once it has run: sound only while no module
  // is initialised lazily (esbuild's `__esm`, for a module both imported and required) and no export is a `let`.
  for (const id of ids) {
    if (readFileSync(join(scratch, id), "utf8").includes("__esm(")) throw new Error(`${id}: a lazily initialised module (__esm): its exports cannot be settled`);
  }
  for (const file of filesUnder(join(repo, "src")).filter((f) => f.endsWith(".ts"))) {
    if (/^export (?:let|var)\b/m.test(readFileSync(join(repo, "src", file), "utf8"))) throw new Error(`src/${file}: an exported let/var (a live binding the pack settles)`);
  }
  rmSync(scratch, { recursive: true, force: true });
  for (const id of ids) {
    const code = readFileSync(join(outdir, id), "utf8");
    if (/\bimport\(/.test(code.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""'))) {
      throw new Error(`${id}: an import() esbuild did not turn into require() (a pack module cannot import)`);
    }
  }

  // 3. Which modules the command instantiates.
  const train = (mode) =>
    execFileSync(process.execPath, [...nodeFlags, join(repo, "scripts", "module-pack-train.mjs"), command, outdir, mode], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
  let eager;
  try {
    eager = JSON.parse(train("record"));
  } catch (err) {
    // Without a pack every module is read from its own file (src/cli/module-pack.ts): the same program, slower to start.
    console.warn(`${command} pack: training run failed (${err instanceof Error ? err.message.split("\n")[0] : err}); no pack`);
    return { eager: [], lazy: ids };
  }

  // 4. The pack: one object literal of module functions, each body starting on a line of its own (its section).
  let text = "(function () {\nreturn {\n";
  let line = 2;
  const sections = [];
  for (const id of eager) {
    const file = join(outdir, id);
    const body = readFileSync(file, "utf8").replace(/\n?\/\/# sourceMappingURL=[^\n]*\n?$/, "\n");
    const map = JSON.parse(readFileSync(`${file}.map`, "utf8"));
    // Sources relative to the pack's own directory, as they are to the module's.
    map.sources = map.sources.map((s) => relative(outdir, resolve(dirname(file), s)).split("\\").join("/"));
    text += `${JSON.stringify(id)}: function (${PARAMS}) {\n`;
    line += 1;
    sections.push({ offset: { line, column: 0 }, map });
    text += body.endsWith("\n") ? body : `${body}\n`;
    line += (body.endsWith("\n") ? body : `${body}\n`).split("\n").length - 1;
    text += "},\n";
    line += 1;
    rmSync(file);
    rmSync(`${file}.map`);
  }
  text += "};\n})\n//# sourceMappingURL=pack.cjs.map\n";
  writeFileSync(join(outdir, "pack.cjs"), text);
  writeFileSync(join(outdir, "pack.cjs.map"), JSON.stringify({ version: 3, file: "pack.cjs", sections }));
  for (const dir of new Set(eager.map((id) => posix.dirname(id)))) mkdirSync(join(outdir, dir), { recursive: true });

  // 5. The code cache.
  try {
    train("cache");
  } catch (err) {
    console.warn(`${command} pack: no code cache (${err instanceof Error ? err.message.split("\n")[0] : err}); ${command} starts slower`);
  }
  return { eager, lazy: ids.filter((id) => !eager.includes(id)) };
}
