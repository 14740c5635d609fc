/**
 * Shared machinery of the fuzz tests: run sizes from the environment (scripts/fuzz.mjs sets them), a
 * per-input time bound, mutation of seed corpora, and the contract every front end must keep:
 * no exception, bounded time, and every rejection a coded diagnostic with a span inside the input.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { LoadResult } from "../../src/load/result.js";

/** The seed of this run: `FUZZ_SEED` (scripts/fuzz.mjs --seed), else a fixed seed for the npm test slice. */
export const FUZZ_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261125;
/** Scale of this run: `FUZZ_RUNS` inputs per front end (scripts/fuzz.mjs --runs); the npm test slice is small. */
export const FUZZ_RUNS = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 0;
/** True under `npm run fuzz` (long runs): tests then get no vitest timeout worth speaking of. */
export const LONG_RUN = FUZZ_RUNS > 0;
/** Per-input wall-clock bound (ms): an input slower than this is a hang. */
export const PER_INPUT_LIMIT_MS = Number(process.env.FUZZ_INPUT_LIMIT_MS ?? 2000);
/** vitest timeout for a fuzz test: generous in long runs. */
export const TEST_TIMEOUT_MS = LONG_RUN ? 24 * 3600 * 1000 : 60_000;

/** How many runs a property gets: `slice` in npm test, `FUZZ_RUNS × share` in a long run. */
export function runs(slice: number, share = 1): number {
  return LONG_RUN ? Math.max(1, Math.round(FUZZ_RUNS * share)) : slice;
}

/** fast-check parameters for one property (fixed seed, the run size, and a path that replays a failure). */
export function params(slice: number, share = 1): fc.Parameters<unknown> {
  const path = process.env.FUZZ_PATH;
  return { seed: FUZZ_SEED, numRuns: runs(slice, share), ...(path ? { path } : {}), verbose: 0 };
}

/** Counts of inputs seen per front end in this process, for the run summary. */
export const counters = new Map<string, { inputs: number; accepted: number; rejected: number; maxMs: number }>();

/** Run `f` on one input and time it; throws (failing the property) when it took longer than the bound. */
export function timed<T>(frontEnd: string, input: unknown, f: () => T): T {
  const t0 = performance.now();
  const out = f();
  const ms = performance.now() - t0;
  const c = counters.get(frontEnd) ?? { inputs: 0, accepted: 0, rejected: 0, maxMs: 0 };
  c.inputs++;
  c.maxMs = Math.max(c.maxMs, ms);
  counters.set(frontEnd, c);
  if (ms > PER_INPUT_LIMIT_MS) throw new Error(`${frontEnd}: ${ms.toFixed(0)} ms for one input (bound ${PER_INPUT_LIMIT_MS} ms): ${preview(input)}`);
  return out;
}

/** The async form of `timed`. */
export async function timedAsync<T>(frontEnd: string, input: unknown, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await f();
  const ms = performance.now() - t0;
  const c = counters.get(frontEnd) ?? { inputs: 0, accepted: 0, rejected: 0, maxMs: 0 };
  c.inputs++;
  c.maxMs = Math.max(c.maxMs, ms);
  counters.set(frontEnd, c);
  if (ms > PER_INPUT_LIMIT_MS) throw new Error(`${frontEnd}: ${ms.toFixed(0)} ms for one input (bound ${PER_INPUT_LIMIT_MS} ms): ${preview(input)}`);
  return out;
}

/** Count an outcome for the summary. */
export function tally(frontEnd: string, accepted: boolean): void {
  const c = counters.get(frontEnd);
  if (c) accepted ? c.accepted++ : c.rejected++;
}

function preview(x: unknown): string {
  const s = typeof x === "string" ? x : JSON.stringify(x) ?? String(x);
  return JSON.stringify(s.length > 200 ? s.slice(0, 200) + "…" : s);
}

const CODE = /^IT\d{4}$/;

/**
 * The diagnostics contract: coded, non-empty message, severity known, spans inside the text and in this file;
 * an error diagnostic carries a span (the input has positions) unless `spanless` allows it for that code.
 * Returns the first violation, or undefined.
 */
export function diagnosticsViolation(text: string, file: string, diagnostics: readonly Diagnostic[], spanless: (d: Diagnostic) => boolean = () => false): string | undefined {
  for (const d of diagnostics) {
    if (!CODE.test(d.code)) return `bad code ${JSON.stringify(d.code)}: ${d.message}`;
    if (typeof d.message !== "string" || d.message.length === 0) return `${d.code}: empty message`;
    if (!["error", "warning", "info"].includes(d.severity)) return `${d.code}: bad severity ${d.severity}`;
    for (const s of [d.span, ...(d.related ?? []).map((r) => r.span)]) {
      if (!s) continue;
      if (!(Number.isInteger(s.start) && Number.isInteger(s.end) && 0 <= s.start && s.start <= s.end && s.end <= text.length))
        return `${d.code}: span [${s.start}, ${s.end}) outside the text (length ${text.length}): ${d.message}`;
      if (s.file !== file) return `${d.code}: span in file ${JSON.stringify(s.file)}, expected ${JSON.stringify(file)}`;
    }
    if (d.severity === "error" && !d.span && !spanless(d)) return `${d.code}: error without a span: ${d.message}`;
  }
  return undefined;
}

/** A LoadResult keeps its contract: value exactly when no error diagnostics; every diagnostic well formed. */
export function loadResultViolation<T>(text: string, file: string, r: LoadResult<T>, spanless?: (d: Diagnostic) => boolean): string | undefined {
  if (!r || !Array.isArray(r.diagnostics)) return "no diagnostics array";
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (r.value === undefined && errors.length === 0) return "rejected without an error diagnostic";
  if (r.value !== undefined && errors.length > 0) return `value together with errors: ${errors[0].code} ${errors[0].message}`;
  return diagnosticsViolation(text, file, r.diagnostics, spanless);
}

// ---------------------------------------------------------------------------------------------------------
// Seed corpora and mutation

/** The text of every file under `dir` whose name passes `keep` (recursively; unreadable entries skipped). */
export function readCorpus(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names.sort()) {
      const p = join(d, n);
      try {
        if (statSync(p).isDirectory()) walk(p);
        else if (keep(n)) out.push(readFileSync(p, "utf8"));
      } catch {
        /* skip */
      }
    }
  };
  walk(dir);
  return out;
}

/** One edit of a mutation. */
type Mutation =
  | { op: "insert"; at: number; text: string }
  | { op: "delete"; at: number; len: number }
  | { op: "replace"; at: number; len: number; text: string }
  | { op: "duplicate"; at: number; len: number; to: number }
  | { op: "truncate"; at: number }
  | { op: "swapLines"; a: number; b: number };

function applyMutation(s: string, m: Mutation): string {
  const p = (n: number) => (s.length === 0 ? 0 : n % (s.length + 1));
  switch (m.op) {
    case "insert":
      return s.slice(0, p(m.at)) + m.text + s.slice(p(m.at));
    case "delete":
      return s.slice(0, p(m.at)) + s.slice(p(m.at) + m.len);
    case "replace":
      return s.slice(0, p(m.at)) + m.text + s.slice(p(m.at) + m.len);
    case "duplicate": {
      const piece = s.slice(p(m.at), p(m.at) + m.len);
      return s.slice(0, p(m.to)) + piece + s.slice(p(m.to));
    }
    case "truncate":
      return s.slice(0, p(m.at));
    case "swapLines": {
      const lines = s.split("\n");
      if (lines.length < 2) return s;
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join("\n");
    }
  }
}

/** Characters that break parsers: controls, quotes, escapes, surrogates, BOM, separators, non-ASCII. */
const NASTY = ["\u0000", "\t", "\r", "\n", "\r\n", "\\", '"', "'", "\u00a0", "\ufeff", "\ud800", "\udfff", "\u2028", "é", "☃", "😀", "\u007f", "\u0085", " ", "#", "{", "}", "[", "]", ":", ",", "=", "@", "/", "*", "-", "."];

/** Text to insert: a dictionary token, a nasty character, or a short random string. */
function insertion(dictionary: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...dictionary), weight: 5 },
    { arbitrary: fc.constantFrom(...NASTY), weight: 3 },
    { arbitrary: fc.string({ unit: "binary", maxLength: 8 }), weight: 2 },
    { arbitrary: fc.string({ unit: fc.constantFrom(..."0123456789abcdefABC-_.:/@ \"'\n{}[]"), maxLength: 12 }), weight: 2 },
  );
}

function mutation(dictionary: readonly string[]): fc.Arbitrary<Mutation> {
  const at = fc.nat({ max: 100_000 });
  const len = fc.nat({ max: 40 });
  return fc.oneof(
    { arbitrary: fc.record({ op: fc.constant("insert" as const), at, text: insertion(dictionary) }), weight: 5 },
    { arbitrary: fc.record({ op: fc.constant("delete" as const), at, len }), weight: 3 },
    { arbitrary: fc.record({ op: fc.constant("replace" as const), at, len: fc.nat({ max: 6 }), text: insertion(dictionary) }), weight: 4 },
    { arbitrary: fc.record({ op: fc.constant("duplicate" as const), at, len, to: at }), weight: 1 },
    { arbitrary: fc.record({ op: fc.constant("truncate" as const), at }), weight: 1 },
    { arbitrary: fc.record({ op: fc.constant("swapLines" as const), a: fc.nat(), b: fc.nat() }), weight: 1 },
  );
}

/** A seed from the corpus with 1–8 mutations applied (the mutation list shrinks toward the seed itself). */
export function mutated(seeds: readonly string[], dictionary: readonly string[]): fc.Arbitrary<string> {
  if (seeds.length === 0) throw new Error("empty seed corpus");
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(mutation(dictionary), { minLength: 1, maxLength: 8 }))
    .map(([seed, ms]) => ms.reduce(applyMutation, seed));
}

/** Dictionary tokens glued together: text that looks like the language but is mostly wrong. */
export function tokenSoup(dictionary: readonly string[]): fc.Arbitrary<string> {
  return fc.array(fc.oneof({ arbitrary: fc.constantFrom(...dictionary), weight: 4 }, fc.constantFrom(...NASTY)), { maxLength: 40 }).map((a) => a.join(""));
}

/** Any input at all: random code units (lone surrogates included), random printable text, token soup. */
export function anyText(dictionary: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: "binary", maxLength: 200 }),
    fc.string({ unit: "grapheme-ascii", maxLength: 200 }),
    tokenSoup(dictionary),
  );
}

/** Print the counters (long runs; called from afterAll). */
export function summary(): string {
  return [...counters]
    .map(([k, c]) => `${k}: ${c.inputs} inputs (${c.accepted} accepted, ${c.rejected} rejected), slowest ${c.maxMs.toFixed(1)} ms`)
    .join("\n");
}

let sinceBreath = 0;
/**
 * Let the event loop run every few hundred inputs: a long synchronous property starves vitest's worker RPC
 * ("Timeout calling onTaskUpdate"). Properties call this and are async for that reason alone.
 */
export async function breathe(): Promise<void> {
  if (++sinceBreath < 500) return;
  sinceBreath = 0;
  await new Promise((r) => setImmediate(r));
}
