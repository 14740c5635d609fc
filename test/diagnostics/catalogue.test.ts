/**
 * Meta-tests of the diagnostic catalogue (typescript-eslint style): every code the product can emit is registered
 * once, lint codes match their rules, and docs/codes.md is generated from it.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { catalogue, catalogueEntry, configurability, isRefusal, LINT_RULE_CODES, registeredCodes } from "../../src/diagnostics/catalogue/index.js";
import { renderCodesDocument } from "../../src/diagnostics/catalogue/render.js";
import { RULES } from "../../src/lint/registry.js";

const REPO = path.resolve(import.meta.dirname, "../..");
const SRC = path.join(REPO, "src");
const CATALOGUE_DIR = path.join(SRC, "diagnostics/catalogue");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Every src/ file outside the catalogue itself, with its text. */
const SOURCES = sourceFiles(SRC)
  .filter((f) => !f.startsWith(CATALOGUE_DIR + path.sep))
  .map((f) => ({ file: path.relative(REPO, f), text: readFileSync(f, "utf8") }));

/** The values of every `export const X_CODES = { … }` object in src/, by object. */
function codeConstants(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { file, text } of SOURCES) {
    for (const m of text.matchAll(/export const (\w+_CODES)\s*=\s*\{([\s\S]*?)\n\}/g)) {
      out.set(`${file} ${m[1]}`, [...m[2].matchAll(/:\s*"(IT\d{4})"/g)].map((x) => x[1]));
    }
  }
  return out;
}

/** Every `"IT1234"` string literal in src/ (quoted with ", ' or `). */
function codeLiterals(): Array<{ file: string; code: string }> {
  return SOURCES.flatMap(({ file, text }) => [...text.matchAll(/["'`](IT\d{4})["'`]/g)].map((m) => ({ file, code: m[1] })));
}

describe("diagnostic catalogue", () => {
  it("registers every code once, across all bands", () => {
    const codes = registeredCodes();
    const dupes = codes.filter((c, i) => codes.indexOf(c) !== i);
    expect(dupes).toEqual([]);
    expect(codes.every((c) => /^IT\d{4}$/.test(c))).toBe(true);
    expect(catalogue().map((e) => e.code)).toEqual([...codes].sort());
  });

  it("holds every *_CODES constant in src/", () => {
    const constants = codeConstants();
    expect(constants.size).toBeGreaterThanOrEqual(11);
    const missing = [...constants].flatMap(([where, codes]) => codes.filter((c) => !catalogueEntry(c)).map((c) => `${where}: ${c}`));
    expect(missing).toEqual([]);
  });

  it("holds every IT code literal in src/", () => {
    const missing = codeLiterals().filter((l) => !catalogueEntry(l.code)).map((l) => `${l.file}: ${l.code}`);
    expect(missing).toEqual([]);
  });

  it("lists no code that src/ never mentions", () => {
    const mentioned = new Set([...codeLiterals().map((l) => l.code), ...[...codeConstants().values()].flat()]);
    const unused = catalogue().map((e) => e.code).filter((c) => !mentioned.has(c));
    expect(unused).toEqual([]);
  });

  it("has every lint rule, with the rule's severity and docs", () => {
    expect([...LINT_RULE_CODES]).toEqual(RULES.map((r) => r.meta.code));
    for (const r of RULES) {
      const e = catalogueEntry(r.meta.code);
      expect(e, r.meta.code).toBeDefined();
      expect(e).toMatchObject({ severity: r.meta.defaultSeverity, title: r.meta.description, rule: r.meta.name, what: r.meta.docs.what });
    }
  });

  it("gives every code a one-line title and a page", () => {
    for (const e of catalogue()) {
      expect(e.title, e.code).toMatch(/^[^\n]{3,160}$/);
      expect(e.what.length, e.code).toBeGreaterThan(5);
      expect(e.why.length, e.code).toBeGreaterThan(5);
      expect(e.todo.length, e.code).toBeGreaterThan(2);
      expect(["error", "warning", "info", "varies"]).toContain(e.severity);
    }
  });

  it("lets warning and info codes be configured, never a refusal", () => {
    expect(configurability("IT2120").ok).toBe(true);
    expect(configurability("IT4008").ok).toBe(true);
    expect(configurability("IT1302").ok).toBe(true); // varies: only its warnings
    expect(isRefusal("IT1001")).toBe(true);
    expect(configurability("IT1001")).toMatchObject({ ok: false, reason: expect.stringContaining("refuses") });
    expect(configurability("IT7000").ok).toBe(false);
    expect(configurability("IT0000").ok).toBe(false);
  });

  it("docs/codes.md is generated from the catalogue (npm run docs:codes; UPDATE_GOLDEN=1 rewrites)", () => {
    const file = path.join(REPO, "docs/codes.md");
    const text = renderCodesDocument();
    if (process.env.UPDATE_GOLDEN === "1" || (!existsSync(file) && process.env.CI !== "true")) writeFileSync(file, text);
    expect(readFileSync(file, "utf8")).toBe(text);
    for (const e of catalogue()) expect(text).toContain(`<a id="${e.code.toLowerCase()}"></a>`);
  });
});
