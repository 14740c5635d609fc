/**
 * A program shipped as CommonJS modules in one *pack*, loaded with V8's code cache (the executable's `validate` and
 * `simulate`, run by src/cli/run-packed.ts; scripts/module-pack.mjs builds them). Node 20 has no on-disk compile cache
 * for ES modules (`module.enableCompileCache` is 22.1+), and its ESM loader spends ~1–2 ms per module on resolve,
 * translate and link: `validate` spent ~40 ms of its start-up there. The pack is one `vm.Script` — an object literal of module functions,
 * `{ "<id>": function (exports, require, module, __imagetrust_url) { … } }` — compiled against the cache the build
 * made after running the program (`script.createCachedData()`), so the functions a run needs come back compiled.
 *
 * The cache is an optimisation only: a missing, truncated or foreign one (another Node, other V8 flags) is rejected by
 * V8 (`cachedDataRejected`) and the pack is compiled from its source as any script is. A module the pack does not hold
 * (code the command rarely runs: the .trust compiler, registries.d, lint configuration) is read from `<dir>/<id>` on
 * first `require`, with `vm.compileFunction`, so that its positions match its source map. Node built-ins are Node's.
 * Every module is instantiated once, whichever way it came, so modules share state as the ES modules they were.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { posix } from "node:path";
import { pathToFileURL } from "node:url";
import { Script, compileFunction } from "node:vm";

/** The parameters every module function takes (the build defines `import.meta.url` as `__imagetrust_url`). */
export const MODULE_PARAMS = ["exports", "require", "module", "__imagetrust_url"] as const;

type ModuleFunction = (exports: object, require: (id: string) => unknown, module: { exports: unknown }, url: string) => void;

/** A loaded pack: its modules by id (paths like `run-validate.js`, `chunks-validate/chunk-X.js`). */
export interface ModulePack {
  /** The exports of module `id`, instantiated on first use. */
  require(id: string): unknown;
  /** Whether V8 took the code cache (false: no cache, or one it rejected). */
  readonly cacheAccepted: boolean;
  /** The ids instantiated so far, in order (the build's training run reads them). */
  readonly loaded: readonly string[];
  /** V8's code cache of the pack as compiled so far (the build writes it after a training run); undefined without a pack. */
  createCachedData(): Buffer | undefined;
}

/** Options of {@link loadModulePack}. */
export interface ModulePackOptions {
  /** The directory of the modules: `pack.cjs` (may be absent: every module from its own file), `pack.cjs.cache`, `<id>`. */
  dir: string;
  /** Read `pack.cjs.cache` (default true; the build's training run compiles without it). */
  useCache?: boolean;
}

/** Open the pack in `dir` (see the module comment). */
export function loadModulePack(options: ModulePackOptions): ModulePack {
  const { dir } = options;
  const nodeRequire = createRequire(pathToFileURL(`${dir}/pack.cjs`).href);
  let functions: Record<string, ModuleFunction> = {};
  let script: Script | undefined;
  let cacheAccepted = false;
  const packFile = `${dir}/pack.cjs`;
  let source: string | undefined;
  try {
    source = readFileSync(packFile, "utf8");
  } catch {
    source = undefined; // no pack: every module from its own file
  }
  if (source !== undefined) {
    let cachedData: Buffer | undefined;
    if (options.useCache !== false) {
      try {
        cachedData = readFileSync(`${packFile}.cache`);
      } catch {
        cachedData = undefined; // no cache: compiled from source
      }
    }
    script = new Script(source, { filename: packFile, cachedData });
    cacheAccepted = cachedData !== undefined && script.cachedDataRejected === false;
    functions = (script.runInThisContext() as () => Record<string, ModuleFunction>)();
  }
  const modules = new Map<string, { exports: unknown }>();
  const loaded: string[] = [];
  const load = (id: string): unknown => {
    const done = modules.get(id);
    if (done) return done.exports;
    const file = `${dir}/${id}`;
    let fn = Object.hasOwn(functions, id) ? functions[id] : undefined;
    if (fn === undefined) {
      const code = readFileSync(file, "utf8");
      fn = compileFunction(code, [...MODULE_PARAMS], { filename: file }) as ModuleFunction;
    }
    const module = { exports: {} as unknown };
    modules.set(id, module);
    loaded.push(id);
    const requireFrom = (spec: string): unknown =>
      spec.startsWith("./") || spec.startsWith("../") ? load(posix.join(posix.dirname(id), spec)) : nodeRequire(spec);
    try {
      fn.call(module.exports, module.exports as object, requireFrom, module, pathToFileURL(file).href);
    } catch (err) {
      // As Node's CommonJS loader: a module that threw is not cached, so the next require runs (and throws) again.
      modules.delete(id);
      throw err;
    }
    module.exports = settledExports(module.exports);
    return module.exports;
  };
  return {
    require: load,
    get cacheAccepted() {
      return cacheAccepted;
    },
    loaded,
    createCachedData: () => script?.createCachedData(),
  };
}

/**
 * esbuild's CommonJS exports are getters (`get: () => binding`, twice over through `__toCommonJS`), which keep ES
 * modules' live bindings; every call into another module then runs two getters. Once a module has run, its bindings
 * are settled (the source exports no `let`, and no chunk is wrapped in esbuild's lazy `__esm` initialiser; the build
 * checks both), so the module's importers get a copy of plain values. (A module in an import cycle that took the
 * exports object before its module finished keeps the getters: slower, the same values.)
 */
function settledExports(exports: unknown): unknown {
  if (exports === null || typeof exports !== "object") return exports;
  const settled = Object.create(Object.getPrototypeOf(exports) as object | null) as Record<string, unknown>;
  for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(exports))) {
    Object.defineProperty(settled, key, {
      value: descriptor.get !== undefined ? descriptor.get.call(exports) : descriptor.value,
      enumerable: descriptor.enumerable,
      writable: false,
    });
  }
  return settled;
}
