/**
 * Base64 as Go's `encoding/base64.StdEncoding` decodes it (and so as `encoding/json` decodes a JSON string into
 * `[]byte`): standard alphabet, `=` padding required, `\r` and `\n` ignored anywhere, trailing bits not checked
 * (StdEncoding is not Strict), failing with `illegal base64 data at input byte N`. Follows `Encoding.Decode` /
 * `decodeQuantum` (Go 1.19). The one decoder of the project: the policy.json loader, the .trust checker, the
 * emitter's validity check, lint rules and the signature readers all use it.
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

const DECODE_MAP: Int16Array = (() => {
  const m = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) m[ALPHABET.charCodeAt(i)] = i;
  return m;
})();

/** The decoded bytes, or Go's error with the 0-based byte offset it names. */
export type GoBase64Result = { ok: true; bytes: Uint8Array } | { ok: false; offset: number; message: string };

function decodeValue(c: number): number {
  return c < 128 ? DECODE_MAP[c] : -1;
}

function corrupt(offset: number): GoBase64Result {
  return { ok: false, offset, message: `illegal base64 data at input byte ${offset}` };
}

function isNewline(c: number): boolean {
  return c === 0x0a || c === 0x0d;
}

/**
 * Decodes `s` like Go's `base64.StdEncoding.Decode`. Offsets count UTF-8 bytes; every error position is
 * preceded only by ASCII, so they equal UTF-16 indices here.
 */
export function goBase64Decode(s: string): GoBase64Result {
  return decode(s, new Uint8Array(Math.floor(s.length / 4) * 3 + 3));
}

/** `Encoding.Decode` into `out`, or (without `out`) only the verdict: validity checks allocate nothing. */
function decode(s: string, out: Uint8Array | undefined): GoBase64Result {
  const n = s.length;
  let w = 0;
  let si = 0;
  const dbuf = [0, 0, 0, 0];
  while (si < n) {
    let dlen = 4;
    let trailingError = -1;
    let j = 0;
    for (; j < 4; j++) {
      if (si === n) {
        if (j === 0) return done(out, w);
        return corrupt(si - j);
      }
      const c = s.charCodeAt(si);
      si++;
      const v = decodeValue(c);
      if (v >= 0) {
        dbuf[j] = v;
        continue;
      }
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== 0x3d /* = */) return corrupt(si - 1);
      // Padding reached.
      if (j === 0 || j === 1) return corrupt(si - 1);
      if (j === 2) {
        while (si < n && isNewline(s.charCodeAt(si))) si++;
        if (si === n) return corrupt(n);
        if (s.charCodeAt(si) !== 0x3d) return corrupt(si - 1);
        si++;
      }
      while (si < n && isNewline(s.charCodeAt(si))) si++;
      if (si < n) trailingError = si;
      dlen = j;
      break;
    }
    for (let k = dlen; k < 4; k++) dbuf[k] = 0;
    const val = (dbuf[0] << 18) | (dbuf[1] << 12) | (dbuf[2] << 6) | dbuf[3];
    if (out) {
      if (dlen >= 2) out[w] = (val >> 16) & 0xff;
      if (dlen >= 3) out[w + 1] = (val >> 8) & 0xff;
      if (dlen >= 4) out[w + 2] = val & 0xff;
    }
    w += dlen - 1;
    if (trailingError >= 0) return corrupt(trailingError);
  }
  return done(out, w);
}

const NO_BYTES = new Uint8Array(0);

function done(out: Uint8Array | undefined, w: number): GoBase64Result {
  return { ok: true, bytes: out ? out.slice(0, w) : NO_BYTES };
}

/** Whether Go's `base64.StdEncoding.DecodeString` accepts `s`. */
export function isGoStdBase64(s: string): boolean {
  return decode(s, undefined).ok;
}

/** The bytes Go's `base64.StdEncoding.DecodeString` makes of `s`, or undefined where it fails. */
export function decodeGoBase64(s: string): Uint8Array | undefined {
  const r = goBase64Decode(s);
  return r.ok ? r.bytes : undefined;
}

const ALPHABET_CODES: Uint8Array = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
/** The output is ASCII, for which every single-byte decoder is the identity. */
const ascii = new TextDecoder("latin1");

/** Standard base64 with padding of `bytes` (`base64.StdEncoding.EncodeToString`; the canonical form in the IR). */
export function encodeBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  const a = ALPHABET_CODES;
  let w = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[w++] = a[v >> 18];
    out[w++] = a[(v >> 12) & 63];
    out[w++] = a[(v >> 6) & 63];
    out[w++] = a[v & 63];
  }
  if (i < n) {
    const v = (bytes[i] << 16) | (i + 1 < n ? bytes[i + 1] << 8 : 0);
    out[w++] = a[v >> 18];
    out[w++] = a[(v >> 12) & 63];
    out[w++] = i + 1 < n ? a[(v >> 6) & 63] : 0x3d;
    out[w++] = 0x3d;
  }
  return ascii.decode(out);
}
