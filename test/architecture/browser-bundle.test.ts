/**
 * Issue 11: the core runs in a browser. esbuild bundles it with `platform: "browser"`; any Node built-in that the
 * core (or a package it pulls in) imports is recorded by a plugin, with the file that imports it, and fails the
 * test. Two entries: the core's entry points as a user imports them (fixtures/core-entry.ts), and every file of
 * the core directories (so that a module no entry point reaches yet is held to the same rule).
 */
import * as path from "node:path";
import { build, type Message, type Plugin } from "esbuild";
import { describe, expect, it } from "vitest";
import { REPO, isNodeBuiltin, sourceFiles } from "./source-graph.js";

/** The core: what must bundle for the browser (src/verify/ may use node:crypto/node:zlib; src/cli/ is Node's). */
const CORE_DIRS = ["load", "check", "ir", "emit", "print", "simulate", "lint", "k8s", "syntax", "source", "diagnostics", "reference", "registries", "input", "diff", "expectations", "compile", "show", "lsp"];
const CORE_FILES = ["src/host/host.ts", "src/host/path.ts", "src/host/memory-host.ts"];

/** Whether a source file belongs to the core. */
function isCore(file: string): boolean {
  return CORE_FILES.includes(file) || CORE_DIRS.some((d) => file.startsWith(`src/${d}/`));
}

interface BundleReport {
  /** `importer → specifier` for every Node built-in reached. */
  builtins: string[];
  /** esbuild's errors (unresolvable modules, syntax it cannot bundle), as text. */
  errors: string[];
  /** Bundled output size in bytes (0 when the build failed). */
  bytes: number;
}

/** A plugin that records every Node built-in specifier and keeps the build going (external), so all are listed. */
function recordBuiltins(found: Set<string>): Plugin {
  return {
    name: "record-node-builtins",
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (!isNodeBuiltin(args.path)) return undefined;
        found.add(`${path.relative(REPO, args.importer) || "<entry>"} → ${args.path}`);
        return { path: args.path, external: true };
      });
    },
  };
}

function messageText(m: Message): string {
  const where = m.location ? `${m.location.file}:${m.location.line}: ` : "";
  return where + m.text + (m.notes.length ? ` (${m.notes.map((n) => n.text).join("; ")})` : "");
}

/** Bundle one entry (a file, or module text resolved from the repository root) for the browser. */
async function bundle(entry: { file: string } | { contents: string }): Promise<BundleReport> {
  const found = new Set<string>();
  const common = {
    absWorkingDir: REPO,
    bundle: true,
    write: false,
    platform: "browser" as const,
    format: "esm" as const,
    target: "es2022",
    logLevel: "silent" as const,
    plugins: [recordBuiltins(found)],
  };
  try {
    const r =
      "file" in entry
        ? await build({ ...common, entryPoints: [path.join(REPO, entry.file)] })
        : await build({ ...common, stdin: { contents: entry.contents, resolveDir: REPO, sourcefile: "core-files.ts", loader: "ts" } });
    return { builtins: [...found].sort(), errors: r.errors.map(messageText), bytes: (r.outputFiles ?? []).reduce((n, f) => n + f.contents.length, 0) };
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    return { builtins: [...found].sort(), errors: errors ? errors.map(messageText) : [String(e)], bytes: 0 };
  }
}

function explain(r: BundleReport): string {
  return [`${r.builtins.length} Node built-in imports reached:`, ...r.builtins, `${r.errors.length} esbuild errors:`, ...r.errors, ""].join("\n");
}

describe("the core bundles for the browser (esbuild, platform browser)", () => {
  it("its entry points (test/architecture/fixtures/core-entry.ts) reach no Node built-in", async () => {
    const r = await bundle({ file: "test/architecture/fixtures/core-entry.ts" });
    expect({ builtins: r.builtins, errors: r.errors }, explain(r)).toEqual({ builtins: [], errors: [] });
    expect(r.bytes).toBeGreaterThan(0);
  }, 60_000);

  it("every file of the core directories reaches no Node built-in", async () => {
    const files = sourceFiles().filter(isCore);
    expect(files.length).toBeGreaterThan(80);
    const contents = files.map((f, i) => `export * as m${i} from "./${f}";`).join("\n");
    const r = await bundle({ contents });
    expect({ builtins: r.builtins, errors: r.errors }, explain(r)).toEqual({ builtins: [], errors: [] });
  }, 60_000);
});
