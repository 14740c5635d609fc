/**
 * Issue 11: the library does not know it runs in Node. Outside src/cli/ and the Node host adapter
 * (src/host/node-host.ts) nothing in src/ imports a Node built-in or reads `process`; src/verify/ alone may use
 * node:crypto and node:zlib (signature checks). Everything else reaches the machine through the `Host` it is given.
 */
import { describe, expect, it } from "vitest";
import { builtinName, isNodeBuiltin, readAllSources, type SourceInfo } from "./source-graph.js";

/** Where anything of Node's may be used. */
const NODE_ALLOWED = (file: string) => file.startsWith("src/cli/") || file === "src/host/node-host.ts";

/** Built-ins src/verify/ may import (hashes, signatures, decompression; a browser build swaps them). */
const VERIFY_BUILTINS = new Set(["crypto", "zlib"]);

/**
 * TEMPORARY, and empty in every commit: files still being converted, as `file` (every offence in it) or
 * `file:line`. Lets a helper land part of the conversion with the test green; remove entries, never add for good.
 */
const KNOWN_OFFENDERS: ReadonlySet<string> = new Set<string>([]);

const sources = readAllSources();

function known(file: string, line: number): boolean {
  return KNOWN_OFFENDERS.has(file) || KNOWN_OFFENDERS.has(`${file}:${line}`);
}

/** `file:line  what` for every Node built-in imported where it may not be. */
function builtinOffences(s: SourceInfo): string[] {
  if (NODE_ALLOWED(s.file)) return [];
  return s.references
    .filter((r) => isNodeBuiltin(r.specifier) && !r.typeOnly)
    .filter((r) => !(s.file.startsWith("src/verify/") && VERIFY_BUILTINS.has(builtinName(r.specifier))))
    .filter((r) => !known(s.file, r.line))
    .map((r) => `${s.file}:${r.line}  ${r.kind} "${r.specifier}"`);
}

/** `file:line  process` for every read of `process` where it may not be. */
function processOffences(s: SourceInfo): string[] {
  if (NODE_ALLOWED(s.file)) return [];
  return s.globals.filter((g) => g.name === "process" && !known(s.file, g.line)).map((g) => `${s.file}:${g.line}  reads process`);
}

describe("no Node built-in or process outside src/cli/ and src/host/node-host.ts", () => {
  it("reads every source file", () => {
    expect(sources.length).toBeGreaterThan(100);
  });

  it("imports no Node built-in (node:crypto and node:zlib only under src/verify/)", () => {
    const offences = sources.flatMap(builtinOffences);
    expect(offences, `${offences.length} Node built-in imports outside the CLI and host adapter:\n${offences.join("\n")}\n`).toEqual([]);
  });

  it("reads no process", () => {
    const offences = sources.flatMap(processOffences);
    expect(offences, `${offences.length} reads of process outside the CLI and host adapter:\n${offences.join("\n")}\n`).toEqual([]);
  });

  it("uses no other Node-only global (Buffer, global, __dirname, __filename, require, module, setImmediate)", () => {
    // A browser has none of them: the core must not reach for them (Uint8Array, TextDecoder/TextEncoder instead).
    // src/verify/ may keep Buffer, which goes with the node:crypto it is allowed.
    const allowed = (file: string, name: string) => NODE_ALLOWED(file) || (file.startsWith("src/verify/") && name === "Buffer");
    const offences = sources.flatMap((s) =>
      s.globals.filter((g) => g.name !== "process" && !allowed(s.file, g.name) && !known(s.file, g.line)).map((g) => `${s.file}:${g.line}  ${g.name}`),
    );
    expect(offences, `${offences.length} uses of Node-only globals outside the CLI and host adapter:\n${offences.join("\n")}\n`).toEqual([]);
  });

  it("the allowlist of files still being converted is empty", () => {
    expect([...KNOWN_OFFENDERS]).toEqual([]);
  });
});
