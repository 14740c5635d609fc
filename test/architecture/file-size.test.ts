/**
 * Issue 11: no source file over 500 lines (one concern per file). Generated tables are the only exception, each
 * named here with the command that generates it.
 */
import { describe, expect, it } from "vitest";
import { readAllSources } from "./source-graph.js";

/** The most lines a hand-written source file may have. */
const MAX_LINES = 500;

/**
 * Generated tables exempt from the limit: file → how it is generated. None today (the diagnostic catalogue and the
 * rule docs are hand-written per code/rule, and docs/*.md are generated *from* src/, not into it).
 */
const GENERATED_TABLES: ReadonlyMap<string, string> = new Map<string, string>([]);

describe("source files stay small", () => {
  it(`no src/ file has more than ${MAX_LINES} lines (generated tables excepted)`, () => {
    const sources = readAllSources();
    const tooLong = sources.filter((s) => s.lines > MAX_LINES && !GENERATED_TABLES.has(s.file)).map((s) => `${s.file}: ${s.lines} lines`);
    expect(tooLong, `${tooLong.length} files over ${MAX_LINES} lines:\n${tooLong.join("\n")}\n`).toEqual([]);
  });

  it("every excepted generated table exists and is still over the limit", () => {
    const lines = new Map(readAllSources().map((s) => [s.file, s.lines]));
    const stale = [...GENERATED_TABLES.keys()].filter((f) => (lines.get(f) ?? 0) <= MAX_LINES);
    expect(stale).toEqual([]);
  });
});
