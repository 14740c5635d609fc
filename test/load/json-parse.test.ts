/**
 * The JSON layer against Go's encoding/json: a fixed table of Go 1.19 syntax errors, and a differential
 * run through test/load/json-oracle.go (Go's own json.Unmarshal) over ~1,000 mutated documents comparing
 * accept/reject, the exact message, the error offset (Go's SyntaxError.Offset) and the decoded value.
 * The Go run is skipped only when `go` is missing and CI is not "true".
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { decodePolicyBytes } from "../../src/load/json-decode-bytes.js";
import { goFormatFloat } from "../../src/load/json-go-format.js";
import { GO_MAX_NESTING_DEPTH, parseJson } from "../../src/load/json-parse.js";
import type { JsonValue } from "../../src/load/json-tree.js";

const haveGo = spawnSync("go", ["version"]).status === 0;
const mustRun = process.env.CI === "true";

/** Our tree as the value Go's json.Unmarshal into interface{} gives (last duplicate wins). */
function toPlain(v: JsonValue): unknown {
  switch (v.kind) {
    case "object": {
      const o: Record<string, unknown> = {};
      for (const m of v.members) Object.defineProperty(o, m.key, { value: toPlain(m.value), enumerable: true, configurable: true, writable: true });
      return o;
    }
    case "array":
      return v.elements.map(toPlain);
    case "string":
      return v.value;
    case "number":
      return Number(v.raw);
    case "null":
      return null;
    default:
      return v.kind === "true";
  }
}

describe("parseJson: Go encoding/json syntax errors (Go 1.19 texts)", () => {
  const table: [string, string | null, number?][] = [
    ["", "unexpected end of JSON input"],
    ["   ", "unexpected end of JSON input"],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string", 7],
    ["[1,]", "invalid character ']' looking for beginning of value", 3],
    ['{"a" 1}', "invalid character '1' after object key", 5],
    ['{"a":1 "b"}', "invalid character '\"' after object key:value pair", 7],
    ["[1 2]", "invalid character '2' after array element", 3],
    ["tru", "invalid character ' ' in literal true (expecting 'e')"],
    ["trux", "invalid character 'x' in literal true (expecting 'e')", 3],
    ["nul", "invalid character ' ' in literal null (expecting 'l')"],
    ["-", "invalid character ' ' in numeric literal"],
    ["-a", "invalid character 'a' in numeric literal", 1],
    ["1.", "invalid character ' ' after decimal point in numeric literal"],
    ["1.e", "invalid character 'e' after decimal point in numeric literal", 2],
    ["1e", "invalid character ' ' in exponent of numeric literal"],
    ["1e+", "invalid character ' ' in exponent of numeric literal"],
    ["01", "invalid character '1' after top-level value", 1],
    ['"\\x"', "invalid character 'x' in string escape code", 2],
    ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape", 5],
    ['"a\u0001"', "invalid character '\\x01' in string literal", 2],
    ["{} {}", "invalid character '{' after top-level value", 3],
    ["{,}", "invalid character ',' looking for beginning of object key string", 1],
    ["{'a':1}", "invalid character '\\'' looking for beginning of object key string", 1],
    ["\ufeff{}", "invalid character 'ï' looking for beginning of value", 0],
    ["é", "invalid character 'Ã' looking for beginning of value", 0],
    ['"abc', "unexpected end of JSON input"],
    ['{"a":', "unexpected end of JSON input"],
    ["\u007f", "invalid character '\\x7f' looking for beginning of value", 0],
    ["\u0000", "invalid character '\\x00' looking for beginning of value", 0],
    ['"\\', "invalid character ' ' in string escape code"],
    ["[".repeat(GO_MAX_NESTING_DEPTH) + "]".repeat(GO_MAX_NESTING_DEPTH), null],
    ["[".repeat(GO_MAX_NESTING_DEPTH + 1) + "]".repeat(GO_MAX_NESTING_DEPTH + 1), "invalid character '[' exceeded max depth", GO_MAX_NESTING_DEPTH],
  ];
  for (const [input, message, offset] of table) {
    it(JSON.stringify(input.slice(0, 24)), () => {
      const r = parseJson(input);
      if (message === null) {
        expect(r.ok).toBe(true);
        return;
      }
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.message).toBe(message);
      expect(r.error.offset).toBe(offset ?? input.length);
    });
  }

  it("keeps duplicate keys in order with their key spans, and unescapes like Go", () => {
    const text = '{"a":1,"\\u0061":"x\\ud800y\\ud83d\\ude00","b":[true,null,-0.5e1]}';
    const r = parseJson(text);
    expect(r.ok).toBe(true);
    if (!r.ok || r.value.kind !== "object") throw new Error("expected an object");
    const [m1, m2, m3] = r.value.members;
    expect([m1.key, m2.key, m3.key]).toEqual(["a", "a", "b"]);
    expect(text.slice(m2.keyStart, m2.keyEnd)).toBe('"\\u0061"');
    expect(m2.value.kind === "string" && m2.value.value).toBe("x\uFFFDy\u{1F600}");
    expect(text.slice(m3.value.start, m3.value.end)).toBe("[true,null,-0.5e1]");
    expect(m3.value.kind === "array" && m3.value.elements[2]).toMatchObject({ kind: "number", raw: "-0.5e1" });
  });

  it("formats float64 like Go's %v", () => {
    const cases: [number, string][] = [
      [1, "1"],
      [1.5, "1.5"],
      [123456, "123456"],
      [1000000, "1e+06"],
      [1234567, "1.234567e+06"],
      [0.0001, "0.0001"],
      [0.00001, "1e-05"],
      [1e20, "1e+20"],
      [123456789012, "1.23456789012e+11"],
      [1e-7, "1e-07"],
      [12345.678, "12345.678"],
      [-0, "-0"],
      [1e300, "1e+300"],
    ];
    for (const [x, s] of cases) expect(goFormatFloat(x)).toBe(s);
  });
});

// ------------------------------------------------------------------------------------------------------
// Differential run against Go.

/** A small deterministic PRNG. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const SEEDS = [
  '{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io/a":[{"type":"signedBy","keyType":"GPGKeys","keyData":"YWJj"}]}}}',
  '{\n  "a": [1, -2.5e+3, 0.25, true, false, null],\n  "b\\n\\u00e9\\ud83d\\ude00": {"c": "x\\"y\\\\z\\/"}\n}',
  '[[], {}, [[{"k": 1E-2}]], "é", -0, 1e400]',
];
const INSERTS = ['{', '}', '[', ']', '"', ':', ',', '\\', ' ', '\n', 'a', 'e', 'E', '0', '1', '-', '+', '.', 't', 'n', 'u', '\u0001', 'é', '\uFEFF'];
const RAW_BYTES = [0xff, 0x80, 0xc3, 0xe2, 0xed, 0xf4];

function mutations(): Buffer[] {
  const out: Buffer[] = [];
  const rnd = prng(42);
  const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)];
  for (const seed of SEEDS) {
    const base = Buffer.from(seed, "utf8");
    out.push(base);
    for (let k = 0; k < 330; k++) {
      const b = Buffer.from(base);
      const pos = Math.floor(rnd() * (b.length + 1));
      const op = Math.floor(rnd() * 5);
      let m: Buffer;
      if (op === 0) m = Buffer.concat([b.subarray(0, pos), b.subarray(pos + 1)]);
      else if (op === 1) m = Buffer.concat([b.subarray(0, pos), Buffer.from(pick(INSERTS), "utf8"), b.subarray(pos)]);
      else if (op === 2) m = Buffer.concat([b.subarray(0, pos), Buffer.from([pick(RAW_BYTES)]), b.subarray(pos + 1)]);
      else if (op === 3) m = b.subarray(0, pos);
      else m = Buffer.concat([b.subarray(0, pos), Buffer.from(pick(INSERTS), "utf8"), b.subarray(pos + 1)]);
      out.push(m);
    }
  }
  return out;
}

/** UTF-8 byte offset of UTF-16 offset `o` in text produced by decodePolicyBytes from valid UTF-8. */
function byteOffset(text: string, o: number): number {
  return Buffer.byteLength(text.slice(0, o), "utf8");
}

describe.skipIf(!haveGo && !mustRun)("parseJson vs Go encoding/json (differential)", () => {
  it("agrees on ~1,000 mutated documents: verdict, message, offset and value", () => {
    expect(haveGo, "go must be installed when CI=true").toBe(true);
    const inputs = mutations();
    const oracle = fileURLToPath(new URL("./json-oracle.go", import.meta.url));
    const stdin = inputs.map((b) => JSON.stringify({ mode: "json", data: b.toString("base64") })).join("\n") + "\n";
    const r = spawnSync("go", ["run", oracle], {
      input: stdin,
      env: { ...process.env, GO111MODULE: "off", GOFLAGS: "" },
      maxBuffer: 1 << 28,
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    const answers = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { ok: boolean; err?: string; offset?: number; out?: string });
    expect(answers).toHaveLength(inputs.length);
    let accepted = 0;
    const mismatches: string[] = [];
    inputs.forEach((bytes, i) => {
      const go = answers[i];
      const text = decodePolicyBytes(bytes);
      const ours = parseJson(text);
      const validUtf8 = Buffer.from(text, "utf8").equals(bytes);
      if (go.ok !== ours.ok) {
        mismatches.push(`${JSON.stringify(text)}: go ${go.ok ? "ok" : go.err}, ours ${ours.ok ? "ok" : ours.error.message}`);
        return;
      }
      if (ours.ok) {
        accepted++;
        // Values: Go's own decoding (strings unescaped, invalid UTF-8 and lone surrogates as U+FFFD).
        const goValue: unknown = JSON.parse(go.out!);
        try {
          expect(toPlain(ours.value)).toEqual(goValue);
        } catch {
          mismatches.push(`${JSON.stringify(text)}: value differs from Go's ${go.out}`);
        }
        return;
      }
      if (go.err !== ours.error.message) mismatches.push(`${JSON.stringify(text)}: go ${go.err}, ours ${ours.error.message}`);
      if (validUtf8 && go.offset !== undefined) {
        const atEnd = ours.error.offset >= text.length;
        const expected = atEnd ? bytes.length : byteOffset(text, ours.error.offset) + 1;
        if (expected !== go.offset) mismatches.push(`${JSON.stringify(text)}: go offset ${go.offset}, ours ${expected}`);
      }
    });
    expect(mismatches).toEqual([]);
    expect(accepted).toBeGreaterThan(50);
    expect(inputs.length - accepted).toBeGreaterThan(500);
  }, 120_000);
});
