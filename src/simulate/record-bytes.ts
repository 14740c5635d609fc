/**
 * Records written as bytes: the bulk writers (fast-record.ts, the CLI's dir: records) put each record's UTF-8 straight
 * into the output's buffer — the fixed pieces of a template encoded once, the pieces a reference fills in encoded
 * as they are copied — so that no per-record string is built, joined, or encoded again when it is written out.
 *
 * Plain Uint8Array and a hand loop (no Node Buffer): the core bundles for the browser.
 */

/** Where records are written: a buffer and a position in it (the CLI's output; a scratch one for strings). */
export interface ByteSink {
  /** The buffer; after `reserve(n)`, `buf.length - pos >= n`. */
  buf: Uint8Array;
  pos: number;
  /** Make room for `n` more bytes at `pos` (may write out what is held, or replace `buf` by a larger one). */
  reserve(n: number): void;
  /**
   * Writes `s.slice(from, to)` as UTF-8 at `pos` and moves `pos` past it (room made: {@link maxUtf8}). The CLI's
   * sink has Node encode long pieces (one native call beats a loop per character); {@link putString} is the portable
   * one.
   */
  putText(s: string, from: number, to: number): void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The UTF-8 of `s` (as Node writes a string: a lone surrogate becomes U+FFFD). */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** The most bytes `s` can take in UTF-8 (three per UTF-16 unit; a pair's four bytes are two units' six). */
export function maxUtf8(s: string): number {
  return s.length * 3;
}

/**
 * Writes `s.slice(from, to)` as UTF-8 at `buf[pos…]` (room already made: {@link maxUtf8}), returns the new position.
 * The same bytes as TextEncoder and Node's `write(string)`: a lone surrogate is written as U+FFFD (as is a pair that
 * `to` cuts).
 */
export function putString(buf: Uint8Array, pos: number, s: string, from = 0, to = s.length): number {
  const n = to;
  for (let i = from; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      buf[pos++] = c;
      continue;
    }
    if (c < 0x800) {
      buf[pos++] = 0xc0 | (c >> 6);
      buf[pos++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        buf[pos++] = 0xf0 | (c >> 18);
        buf[pos++] = 0x80 | ((c >> 12) & 0x3f);
        buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
        buf[pos++] = 0x80 | (c & 0x3f);
        continue;
      }
      c = 0xfffd;
    }
    buf[pos++] = 0xe0 | (c >> 12);
    buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
    buf[pos++] = 0x80 | (c & 0x3f);
  }
  return pos;
}

/** Copies `bytes` to `buf[pos…]` (room already made), returns the new position. */
export function putBytes(buf: Uint8Array, pos: number, bytes: Uint8Array): number {
  const n = bytes.length;
  // A call into TypedArray.prototype.set costs more than a short loop (measured on Node 20: the loop wins below ~12 bytes).
  if (n < 12) {
    for (let i = 0; i < n; i++) buf[pos + i] = bytes[i];
  } else buf.set(bytes, pos);
  return pos + n;
}

/** Writes `s` to `sink` (making room first). */
export function sinkString(sink: ByteSink, s: string): void {
  sink.reserve(maxUtf8(s));
  sink.putText(s, 0, s.length);
}

/** Writes `bytes` to `sink` (making room first). */
export function sinkBytes(sink: ByteSink, bytes: Uint8Array): void {
  sink.reserve(bytes.length);
  sink.pos = putBytes(sink.buf, sink.pos, bytes);
}

/** How many bytes `parts` hold in all. */
export function bytesIn(parts: readonly Uint8Array[]): number {
  let n = 0;
  for (let i = 0; i < parts.length; i++) n += parts[i].length;
  return n;
}

/** The pieces of a JSON list of strings written as bytes: `[]`, or `["` a `","` b `"]`. */
export const JSON_EMPTY_LIST = utf8("[]");
export const JSON_LIST_OPEN = utf8('["');
export const JSON_LIST_BETWEEN = utf8('","');
export const JSON_LIST_CLOSE = utf8('"]');

/** A sink that collects into a growing buffer, for the text of one record (templates, tests). */
export function scratchSink(size = 4096): ByteSink & { text(): string } {
  const sink = {
    buf: new Uint8Array(size),
    pos: 0,
    reserve(n: number) {
      if (sink.buf.length - sink.pos >= n) return;
      const next = new Uint8Array(Math.max(sink.buf.length * 2, sink.pos + n));
      next.set(sink.buf.subarray(0, sink.pos));
      sink.buf = next;
    },
    putText(s: string, from: number, to: number) {
      sink.pos = putString(sink.buf, sink.pos, s, from, to);
    },
    text() {
      return decoder.decode(sink.buf.subarray(0, sink.pos));
    },
  };
  return sink;
}
