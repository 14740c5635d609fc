/**
 * Hostile input: empty, whitespace, binary, BOM, invalid UTF-8, 10,000-deep nesting, a 50 MB document.
 * Each gives coded diagnostics (or a value), never a throw, in bounded time.
 */
import { describe, expect, it } from "vitest";
import { decodePolicyBytes, loadPolicyJson } from "../../src/load/policy-json.js";
import { SourceFile } from "../../src/source/source-file.js";

function load(text: string, target?: [number, number, number]) {
  return loadPolicyJson(new SourceFile("policy.json", text), target ? { target } : {});
}

describe("decodePolicyBytes", () => {
  it("keeps valid UTF-8 and a BOM as they are", () => {
    expect(decodePolicyBytes(Buffer.from('\ufeff{"é":"😀"}', "utf8"))).toBe('\ufeff{"é":"😀"}');
  });

  it("replaces each invalid byte inside a string by one U+FFFD (Go's utf8.DecodeRune)", () => {
    // E2 82 is a truncated 3-byte sequence: two bytes, two replacement characters (WHATWG would give one).
    const text = decodePolicyBytes(Buffer.from([0x22, 0x61, 0xe2, 0x82, 0x62, 0xff, 0x22]));
    expect(text).toBe('"a\uFFFD\uFFFDb\uFFFD"');
    // Overlong encodings and encoded surrogates are invalid too.
    expect(decodePolicyBytes(Buffer.from([0x22, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0x22]))).toBe('"' + "\uFFFD".repeat(5) + '"');
  });

  it("keeps invalid bytes outside strings (and in escapes) recognisable for the syntax error", () => {
    const r = load(decodePolicyBytes(Buffer.from([0x7b, 0xff, 0x7d])));
    expect(r.diagnostics[0]).toMatchObject({ code: "IT1001", upstreamMessage: "invalid character 'ÿ' looking for beginning of object key string" });
    const r2 = load(decodePolicyBytes(Buffer.from([0x22, 0x5c, 0x80, 0x22])));
    expect(r2.diagnostics[0].upstreamMessage).toBe("invalid character '\\u0080' in string escape code");
  });
});

describe("hostile documents", () => {
  it("empty and whitespace-only input: IT1002, upstream 'unexpected end of JSON input'", () => {
    for (const text of ["", " \n\t\r "]) {
      const r = load(text);
      expect(r.value).toBeUndefined();
      expect(r.diagnostics).toHaveLength(1);
      expect(r.diagnostics[0]).toMatchObject({ code: "IT1002", severity: "error", upstreamMessage: "unexpected end of JSON input" });
      expect(r.diagnostics[0].span).toEqual({ file: "policy.json", start: text.length, end: text.length });
    }
  });

  it("a byte order mark: IT1003 at offset 0 with Go's message", () => {
    const r = load('\ufeff{"default":[{"type":"reject"}]}');
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({
      code: "IT1003",
      upstreamMessage: "invalid character 'ï' looking for beginning of value",
      span: { start: 0, end: 1 },
    });
    expect(r.diagnostics[0].hint).toMatch(/without BOM/);
  });

  it("binary input: a syntax diagnostic naming the first byte", () => {
    const bytes = Uint8Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) & 0xff);
    const r = load(decodePolicyBytes(bytes));
    expect(r.value).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0].code).toBe("IT1001");
    expect(r.diagnostics[0].upstreamMessage).toBe("invalid character '\\a' looking for beginning of value");
  });

  it("invalid UTF-8 inside keys and values is U+FFFD, as upstream prints it", () => {
    const bytes = Buffer.concat([Buffer.from('{"default":[{"type":"reject","'), Buffer.from([0xfe]), Buffer.from('":1}]}')]);
    const r = load(decodePolicyBytes(bytes));
    expect(r.diagnostics.map((d) => [d.code, d.upstreamMessage])).toEqual([["IT1012", 'Unknown key "\uFFFD"']]);
  });

  it("10,000-deep nesting is accepted by the parser (Go's limit) and reported by the loader; 10,001 is IT1004", () => {
    const ok = '{"default":' + "[".repeat(9999) + "]".repeat(9999) + "}";
    const t0 = performance.now();
    const r = load(ok);
    expect(r.diagnostics.map((d) => d.upstreamMessage)).toEqual(["json: cannot unmarshal array into Go value of type signature.prCommon"]);
    const tooDeep = '{"default":' + "[".repeat(10000) + "]".repeat(10000) + "}";
    const r2 = load(tooDeep);
    expect(r2.diagnostics).toHaveLength(1);
    expect(r2.diagnostics[0]).toMatchObject({
      code: "IT1004",
      upstreamMessage: "invalid character '[' exceeded max depth",
      span: { start: 11 + 9999, end: 11 + 10000 },
    });
    // Far deeper than any recursion limit: still a clean diagnostic.
    const r3 = load("{".repeat(200_000));
    expect(r3.diagnostics[0].code).toBe("IT1001");
    const r4 = load("[".repeat(200_000));
    expect(r4.diagnostics[0].code).toBe("IT1004");
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it("a 50 MB policy (200,000 scopes) loads, with spans, in bounded time", () => {
    const parts: string[] = ['{"default":[{"type":"reject"}],"transports":{"docker":{'];
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      if (i > 0) parts.push(",");
      parts.push(
        `"registry${i % 97}.example.com/team${i % 53}/app${i}":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/etc/pki/containers/key${i % 7}.gpg","signedIdentity":{"type":"matchRepository"}}]`,
      );
    }
    parts.push("}}}");
    const text = parts.join("");
    expect(text.length).toBeGreaterThan(30_000_000);
    const padded = text + " ".repeat(Math.max(0, 50_000_000 - text.length));
    const t0 = performance.now();
    const r = load(padded);
    const ms = performance.now() - t0;
    expect(r.diagnostics).toEqual([]);
    const scopes = r.value!.transports[0].scopes;
    expect(scopes).toHaveLength(n);
    const last = scopes[n - 1];
    expect(padded.slice(last.keyOrigin!.start, last.keyOrigin!.end)).toBe(`"registry${(n - 1) % 97}.example.com/team${(n - 1) % 53}/app${n - 1}"`);
    expect(ms).toBeLessThan(30_000);
  }, 60_000);

  it("a 50 MB document with an error at the very end: one syntax diagnostic", () => {
    const text = '{"default":[' + '{"type":"reject"},'.repeat(2_800_000) + "]}";
    expect(text.length).toBeGreaterThan(50_000_000);
    const r = load(text);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: "IT1001", upstreamMessage: "invalid character ']' looking for beginning of value" });
    expect(r.diagnostics[0].span!.start).toBe(text.length - 2);
  }, 60_000);

  it("never throws on random garbage", () => {
    let x = 12345;
    const rnd = () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const alphabet = ['{', '}', '[', ']', '"', ':', ',', '\\', 'u', '0', 'a', 'type', 'default', 'null', '1e400', '-', ' ', '\u0000', '\ud800', 'é'];
    for (let k = 0; k < 2000; k++) {
      let s = "";
      const len = Math.floor(rnd() * 40);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      const r = load(s);
      expect(r.value !== undefined || r.diagnostics.length > 0).toBe(true);
      for (const d of r.diagnostics) expect(d.code).toMatch(/^IT1[012]\d\d$/);
    }
  });
});
