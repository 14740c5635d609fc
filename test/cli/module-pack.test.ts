// src/cli/module-pack.ts on small hand-made packs: modules from the pack and from files of their own share one
// registry, exports become plain values once a module has run, a module that throws is not cached, and a garbled
// code cache is ignored.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadModulePack } from "../../src/cli/module-pack.js";

const root = mkdtempSync(path.join(tmpdir(), "imagetrust-module-pack-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PARAMS = "exports, require, module, __imagetrust_url";
/** esbuild's CommonJS shape of `export const`/`export function`: getters on the exports object. */
const getterExports = (names: string[]) =>
  `Object.defineProperty(exports, "__esModule", { value: true });\n` +
  names.map((n) => `Object.defineProperty(exports, ${JSON.stringify(n)}, { get: () => ${n}, enumerable: true });`).join("\n");

function makePack(name: string, withPack: boolean): string {
  const dir = path.join(root, name);
  mkdirSync(path.join(dir, "chunks"), { recursive: true });
  const entry = `${getterExports(["run", "url"])}
const counter = require("./chunks/counter.js");
const lazy = () => require("./chunks/lazy.js");
const fs = require("node:fs");
function run() { return [counter.next(), counter.next(), lazy().twice(21), typeof fs.readFileSync]; }
const url = __imagetrust_url;`;
  const counterModule = `${getterExports(["next"])}\nlet n = 0;\nfunction next() { return ++n; }`;
  writeFileSync(path.join(dir, "chunks/lazy.js"), `${getterExports(["twice"])}\nfunction twice(x) { return 2 * x; }`);
  writeFileSync(path.join(dir, "chunks/broken.js"), `globalThis.__packBrokenRuns = (globalThis.__packBrokenRuns ?? 0) + 1;\nthrow new Error("broken module");`);
  if (withPack) {
    writeFileSync(
      path.join(dir, "pack.cjs"),
      `(function () {\nreturn {\n"entry.js": function (${PARAMS}) {\n${entry}\n},\n"chunks/counter.js": function (${PARAMS}) {\n${counterModule}\n},\n};\n})\n`,
    );
  } else {
    writeFileSync(path.join(dir, "entry.js"), entry);
    writeFileSync(path.join(dir, "chunks/counter.js"), counterModule);
  }
  return dir;
}

describe("loadModulePack", () => {
  for (const withPack of [true, false]) {
    it(`runs modules ${withPack ? "from the pack and from files" : "from files alone (no pack.cjs)"}, each once`, () => {
      const dir = makePack(withPack ? "packed" : "files", withPack);
      const pack = loadModulePack({ dir });
      const entry = pack.require("entry.js") as { run(): unknown[]; url: string };
      expect(entry.run()).toEqual([1, 2, 42, "function"]);
      // One instance per module: the counter goes on from where it was.
      expect((pack.require("chunks/counter.js") as { next(): number }).next()).toBe(3);
      expect(pack.loaded).toEqual(["entry.js", "chunks/counter.js", "chunks/lazy.js"]);
      expect(entry.url).toBe(`file://${path.join(dir, "entry.js")}`);
      // Settled: plain data properties, no getters left.
      expect(Object.getOwnPropertyDescriptor(entry, "run")).toMatchObject({ writable: false, enumerable: true });
      expect(Object.getOwnPropertyDescriptor(entry, "run")!.get).toBeUndefined();
      expect(pack.cacheAccepted).toBe(false);
    });
  }

  it("does not cache a module that threw: requiring it again runs it again", () => {
    const pack = loadModulePack({ dir: makePack("broken", true) });
    const g = globalThis as { __packBrokenRuns?: number };
    const before = g.__packBrokenRuns ?? 0;
    expect(() => pack.require("chunks/broken.js")).toThrow("broken module");
    expect(() => pack.require("chunks/broken.js")).toThrow("broken module");
    expect(g.__packBrokenRuns).toBe(before + 2);
  });

  // Whether V8 accepts a cache is seen only in a fresh process (within one, V8's own compilation cache answers first):
  // test/cli/validate-pack.test.ts runs the shipped pack that way. Here: a garbled cache changes nothing.
  it("ignores a garbled code cache", () => {
    const dir = makePack("garbled", true);
    writeFileSync(path.join(dir, "pack.cjs"), "// garbled-cache case\n", { flag: "a" });
    writeFileSync(path.join(dir, "pack.cjs.cache"), Buffer.alloc(64, 7));
    const garbled = loadModulePack({ dir });
    expect(garbled.cacheAccepted).toBe(false);
    expect((garbled.require("entry.js") as { run(): unknown[] }).run()).toEqual([1, 2, 42, "function"]);
  });
});
