/**
 * A position-keeping JSON parser that accepts exactly what Go's `encoding/json` accepts and fails with Go's
 * exact syntax error text (`checkValid` + the `scanner` state machine in encoding/json/scanner.go, and the
 * unescaping of `unquote` in decode.go), so that containers/image's first error can be reproduced.
 *
 * It is iterative (an explicit stack), so 10,000-deep nesting cannot overflow the JavaScript stack, and it
 * applies Go's nesting limit (`maxNestingDepth` = 10000 → `invalid character '[' exceeded max depth`).
 * It scans the string with charCodeAt and no per-character regular expressions: 50 MB inputs are fine.
 */
import type { JsonArray, JsonMember, JsonObject, JsonValue } from "./json-tree.js";
import { firstUtf8Byte, goQuoteChar, isHighSurrogate } from "./json-go-format.js";

/** Go's encoding/json nesting limit (scanner.go `maxNestingDepth`). */
export const GO_MAX_NESTING_DEPTH = 10000;

/** A syntax error: Go's message and where it happened (the offending character, or the end of input). */
export interface JsonSyntaxError {
  /** Exactly Go's `SyntaxError.Error()` text, e.g. `invalid character '}' after object key`. */
  message: string;
  /** Which kind of problem, for choosing a diagnostic code. */
  reason: "unexpected-end" | "invalid-character" | "max-depth";
  /** UTF-16 offset of the offending character (text length for unexpected end). */
  offset: number;
  /** UTF-16 length of the offending character (0 at the end of input). */
  length: number;
}

/** The outcome of parsing: the tree, or the first syntax error in document order (Go reports only that). */
export type JsonParseResult = { ok: true; value: JsonValue } | { ok: false; error: JsonSyntaxError };

const enum C {
  Tab = 0x09,
  Lf = 0x0a,
  Cr = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Plus = 0x2b,
  Comma = 0x2c,
  Minus = 0x2d,
  Dot = 0x2e,
  Slash = 0x2f,
  Zero = 0x30,
  Nine = 0x39,
  Colon = 0x3a,
  UpperE = 0x45,
  LBracket = 0x5b,
  Backslash = 0x5c,
  RBracket = 0x5d,
  LowerE = 0x65,
  LBrace = 0x7b,
  RBrace = 0x7d,
}

function isDigit(c: number): boolean {
  return c >= C.Zero && c <= C.Nine;
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

class Fail {
  constructor(readonly error: JsonSyntaxError) {}
}


/**
 * Parses `text` as one JSON document with Go's grammar and error messages. Never throws.
 * Follows encoding/json `checkValid` (syntax, whole input first) and `unquote` (string values).
 */
export function parseJson(text: string): JsonParseResult {
  try {
    return { ok: true, value: new Parser(text).parseDocument() };
  } catch (e) {
    if (e instanceof Fail) return { ok: false, error: e.error };
    throw e;
  }
}

const NO_MEMBERS: JsonMember[] = [];
const NO_ELEMENTS: JsonValue[] = [];

/** Ends a container at `end`: its children move from the shared stack (from `start` on) into it. */
function closeContainer(
  node: JsonObject | JsonArray,
  end: number,
  members: JsonMember[],
  elements: JsonValue[],
  start: number,
): JsonObject | JsonArray {
  node.end = end;
  if (node.kind === "object") {
    node.members = members.slice(start);
    members.length = start;
  } else {
    node.elements = elements.slice(start);
    elements.length = start;
  }
  return node;
}

class Parser {
  private pos = 0;
  private readonly n: number;

  constructor(private readonly text: string) {
    this.n = text.length;
  }

  /**
   * Fails at `at` in `context`. At the end of input Go's `scanner.eof` feeds one space: inside a literal, a
   * number or an escape that space is itself the invalid character; elsewhere it is "unexpected end".
   */
  private fail(context: string, at: number, insideToken = false): never {
    if (at >= this.n) {
      if (insideToken) {
        throw new Fail({ message: "invalid character ' ' " + context, reason: "unexpected-end", offset: this.n, length: 0 });
      }
      throw new Fail({ message: "unexpected end of JSON input", reason: "unexpected-end", offset: this.n, length: 0 });
    }
    const cp = this.text.codePointAt(at)!;
    throw new Fail({
      message: "invalid character " + goQuoteChar(firstUtf8Byte(this.text, at)) + " " + context,
      reason: context === "exceeded max depth" ? "max-depth" : "invalid-character",
      offset: at,
      length: cp > 0xffff ? 2 : 1,
    });
  }

  /**
   * The scanner loop. Everything frequent (whitespace, plain strings, attaching values) is inline in this one
   * function so that it is optimised early (on-stack replacement) even in a short-lived process.
   */
  parseDocument(): JsonValue {
    const t = this.text;
    const n = this.n;
    // The containers being filled, innermost last, with the pending key of each object (parallel arrays:
    // no per-level allocation besides the node itself).
    const stack: (JsonObject | JsonArray)[] = [];
    const keys: string[] = [];
    const keyStarts: number[] = [];
    const keyEnds: number[] = [];
    // Children of the open containers accumulate on two shared stacks and are sliced off into exact-size
    // arrays when their container closes (a pushed-to empty array would reserve 16 slots per node).
    const members: JsonMember[] = [];
    const elements: JsonValue[] = [];
    const childStart: number[] = [];
    let depth = -1;
    let result: JsonValue | undefined;
    // What the scanner expects next, mirroring Go's scanner states.
    const VALUE = 0;
    const VALUE_OR_CLOSE_ARRAY = 1;
    const KEY_OR_CLOSE_OBJECT = 2;
    const KEY = 3;
    const AFTER_VALUE = 4;
    let mode = VALUE;
    let p = 0;
    for (;;) {
      let c = -1;
      while (p < n) {
        c = t.charCodeAt(p);
        if (c === C.Space || c === C.Lf || c === C.Cr || c === C.Tab) p++;
        else break;
      }
      if (p >= n) c = -1;
      let value: JsonValue;
      if (mode === AFTER_VALUE) {
        if (depth < 0) {
          if (c === -1) return result!;
          this.fail("after top-level value", p);
        }
        const top = stack[depth];
        const isObject = top.kind === "object";
        if (c === C.Comma) {
          p++;
          mode = isObject ? KEY : VALUE;
          continue;
        }
        if (c !== (isObject ? C.RBrace : C.RBracket)) {
          if (c === -1) this.fail("", p);
          this.fail(isObject ? "after object key:value pair" : "after array element", p);
        }
        p++;
        value = closeContainer(top, p, members, elements, childStart[depth]);
        stack.pop();
        depth--;
      } else if (mode === KEY_OR_CLOSE_OBJECT && c === C.RBrace) {
        const top = stack[depth];
        p++;
        value = closeContainer(top, p, members, elements, childStart[depth]);
        stack.pop();
        depth--;
      } else if (mode === KEY_OR_CLOSE_OBJECT || mode === KEY) {
        if (c !== C.Quote) this.fail("looking for beginning of object key string", p);
        // Keys: plain fast path inline, escapes and surrogates in readString.
        let q = p + 1;
        let key: string | undefined;
        while (q < n) {
          const k = t.charCodeAt(q);
          if (k === C.Quote) {
            key = t.slice(p + 1, q);
            q++;
            break;
          }
          if (k === C.Backslash || k < 0x20 || (k >= 0xd800 && k <= 0xdfff)) break;
          q++;
        }
        if (key === undefined) {
          key = this.readString(p);
          q = this.pos;
        }
        keys[depth] = key;
        keyStarts[depth] = p;
        keyEnds[depth] = q;
        while (q < n) {
          const k = t.charCodeAt(q);
          if (k === C.Space || k === C.Lf || k === C.Cr || k === C.Tab) q++;
          else break;
        }
        if (q >= n) this.fail("", q);
        if (t.charCodeAt(q) !== C.Colon) this.fail("after object key", q);
        p = q + 1;
        mode = VALUE;
        continue;
      } else if (mode === VALUE_OR_CLOSE_ARRAY && c === C.RBracket) {
        const top = stack[depth];
        p++;
        value = closeContainer(top, p, members, elements, childStart[depth]);
        stack.pop();
        depth--;
      } else if (c === C.LBrace || c === C.LBracket) {
        if (depth + 2 > GO_MAX_NESTING_DEPTH) this.fail("exceeded max depth", p);
        const node: JsonObject | JsonArray =
          c === C.LBrace
            ? { kind: "object", start: p, end: -1, members: NO_MEMBERS }
            : { kind: "array", start: p, end: -1, elements: NO_ELEMENTS };
        stack.push(node);
        depth++;
        childStart[depth] = c === C.LBrace ? members.length : elements.length;
        mode = c === C.LBrace ? KEY_OR_CLOSE_OBJECT : VALUE_OR_CLOSE_ARRAY;
        p++;
        continue;
      } else if (c === C.Quote) {
        let q = p + 1;
        let str: string | undefined;
        while (q < n) {
          const k = t.charCodeAt(q);
          if (k === C.Quote) {
            str = t.slice(p + 1, q);
            q++;
            break;
          }
          if (k === C.Backslash || k < 0x20 || (k >= 0xd800 && k <= 0xdfff)) break;
          q++;
        }
        if (str === undefined) {
          str = this.readString(p);
          q = this.pos;
        }
        value = { kind: "string", start: p, end: q, value: str };
      } else if (c === C.Minus || (c >= C.Zero && c <= C.Nine)) {
        this.readNumber(p);
        value = { kind: "number", start: p, end: this.pos, raw: t.slice(p, this.pos) };
      } else if (c === 0x74 /* t */) {
        this.readLiteral(p, "true");
        value = { kind: "true", start: p, end: this.pos };
      } else if (c === 0x66 /* f */) {
        this.readLiteral(p, "false");
        value = { kind: "false", start: p, end: this.pos };
      } else if (c === 0x6e /* n */) {
        this.readLiteral(p, "null");
        value = { kind: "null", start: p, end: this.pos };
      } else {
        if (c === -1) this.fail("", p);
        this.fail("looking for beginning of value", p);
      }
      // A value is complete: attach it to its container.
      p = value.end;
      if (depth >= 0) {
        const top = stack[depth];
        if (top.kind === "array") elements.push(value);
        else members.push({ key: keys[depth], keyStart: keyStarts[depth], keyEnd: keyEnds[depth], value });
      }
      result = value;
      mode = AFTER_VALUE;
    }
  }

  private readLiteral(p: number, word: string): void {
    const t = this.text;
    for (let k = 1; k < word.length; k++) {
      const q = p + k;
      if (q >= this.n || t.charCodeAt(q) !== word.charCodeAt(k)) {
        this.fail(`in literal ${word} (expecting '${word[k]}')`, q, true);
      }
    }
    this.pos = p + word.length;
  }

  /** Go scanner states stateNeg/state0/state1/stateDot/stateDot0/stateE/stateESign/stateE0. */
  private readNumber(p: number): void {
    const t = this.text;
    let q = p;
    if (t.charCodeAt(q) === C.Minus) {
      q++;
      if (q >= this.n || !isDigit(t.charCodeAt(q))) this.fail("in numeric literal", q, true);
    }
    if (t.charCodeAt(q) === C.Zero) q++;
    else while (q < this.n && isDigit(t.charCodeAt(q))) q++;
    if (q < this.n && t.charCodeAt(q) === C.Dot) {
      q++;
      if (q >= this.n || !isDigit(t.charCodeAt(q))) this.fail("after decimal point in numeric literal", q, true);
      while (q < this.n && isDigit(t.charCodeAt(q))) q++;
    }
    if (q < this.n && (t.charCodeAt(q) === C.LowerE || t.charCodeAt(q) === C.UpperE)) {
      q++;
      if (q < this.n && (t.charCodeAt(q) === C.Plus || t.charCodeAt(q) === C.Minus)) q++;
      if (q >= this.n || !isDigit(t.charCodeAt(q))) this.fail("in exponent of numeric literal", q, true);
      while (q < this.n && isDigit(t.charCodeAt(q))) q++;
    }
    this.pos = q;
  }

  /** Reads the string starting at the quote at `p`; sets pos after the closing quote; returns its value. */
  private readString(p: number): string {
    const t = this.text;
    const n = this.n;
    let q = p + 1;
    // Fast path: no escapes, no surrogates.
    for (;;) {
      if (q >= n) this.fail("", q);
      const c = t.charCodeAt(q);
      if (c === C.Quote) {
        this.pos = q + 1;
        return t.slice(p + 1, q);
      }
      if (c === C.Backslash || (c >= 0xd800 && c <= 0xdfff)) break;
      if (c < 0x20) this.fail("in string literal", q);
      q++;
    }
    // Slow path: escapes and/or surrogates.
    let out = t.slice(p + 1, q);
    let runStart = q;
    for (;;) {
      if (q >= n) this.fail("", q);
      const c = t.charCodeAt(q);
      if (c === C.Quote) {
        out += t.slice(runStart, q);
        this.pos = q + 1;
        return out;
      }
      if (c < 0x20) this.fail("in string literal", q);
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = q + 1 < n ? t.charCodeAt(q + 1) : 0;
        if (isHighSurrogate(c) && next >= 0xdc00 && next <= 0xdfff) {
          q += 2;
          continue;
        }
        // Lone surrogate: Go would have seen invalid UTF-8 and decoded U+FFFD.
        out += t.slice(runStart, q) + "\uFFFD";
        q++;
        runStart = q;
        continue;
      }
      if (c !== C.Backslash) {
        q++;
        continue;
      }
      out += t.slice(runStart, q);
      q++;
      if (q >= n) this.fail("in string escape code", q, true);
      const e = t.charCodeAt(q);
      switch (e) {
        case C.Quote:
        case C.Backslash:
        case C.Slash:
          out += String.fromCharCode(e);
          q++;
          break;
        case 0x62: // b
          out += "\b";
          q++;
          break;
        case 0x66: // f
          out += "\f";
          q++;
          break;
        case 0x6e: // n
          out += "\n";
          q++;
          break;
        case 0x72: // r
          out += "\r";
          q++;
          break;
        case 0x74: // t
          out += "\t";
          q++;
          break;
        case 0x75: {
          // u
          const r = this.readHex4(q + 1);
          q += 5;
          if (r >= 0xd800 && r <= 0xdfff) {
            // Go's unquote: a valid \uD8xx\uDCxx pair combines; anything else is U+FFFD.
            if (r <= 0xdbff && t.charCodeAt(q) === C.Backslash && t.charCodeAt(q + 1) === 0x75) {
              const r2 = this.peekHex4(q + 2);
              if (r2 >= 0xdc00 && r2 <= 0xdfff) {
                // Still validate the escape syntactically (it is: peekHex4 succeeded).
                out += String.fromCharCode(r, r2);
                q += 6;
                break;
              }
            }
            out += "\uFFFD";
            break;
          }
          out += String.fromCharCode(r);
          break;
        }
        default:
          this.fail("in string escape code", q);
      }
      runStart = q;
    }
  }

  private readHex4(q: number): number {
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const h = q + k < this.n ? hexVal(this.text.charCodeAt(q + k)) : -1;
      if (h < 0) this.fail("in \\u hexadecimal character escape", q + k, true);
      v = v * 16 + h;
    }
    return v;
  }

  private peekHex4(q: number): number {
    if (q + 4 > this.n) return -1;
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const h = hexVal(this.text.charCodeAt(q + k));
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    return v;
  }
}
