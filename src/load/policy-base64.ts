/**
 * Base64 as Go's encoding/json decodes a JSON string into `[]byte`: `base64.StdEncoding` (standard alphabet,
 * `=` padding required, `\r` and `\n` ignored anywhere, trailing bits not checked), failing with
 * `illegal base64 data at input byte N`. Follows encoding/base64 `Encoding.Decode` / `decodeQuantum` (Go 1.19).
 */

const DECODE_MAP: Int16Array = (() => {
  const m = new Int16Array(128).fill(-1);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (let i = 0; i < alphabet.length; i++) m[alphabet.charCodeAt(i)] = i;
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

/**
 * Decodes `s` like Go's `base64.StdEncoding.Decode`. Offsets count UTF-8 bytes; every error position is
 * preceded only by ASCII, so they equal UTF-16 indices here.
 */
export function goBase64Decode(s: string): GoBase64Result {
  const n = s.length;
  const out = new Uint8Array(Math.floor(n / 4) * 3 + 3);
  let w = 0;
  let si = 0;
  const dbuf = [0, 0, 0, 0];
  while (si < n) {
    let dlen = 4;
    let trailingError = -1;
    let j = 0;
    for (; j < 4; j++) {
      if (si === n) {
        if (j === 0) return { ok: true, bytes: out.subarray(0, w) };
        return corrupt(si - j);
      }
      const c = s.charCodeAt(si);
      si++;
      const v = decodeValue(c);
      if (v >= 0) {
        dbuf[j] = v;
        continue;
      }
      if (c === 0x0a || c === 0x0d) {
        j--;
        continue;
      }
      if (c !== 0x3d /* = */) return corrupt(si - 1);
      // Padding reached.
      if (j === 0 || j === 1) return corrupt(si - 1);
      if (j === 2) {
        while (si < n && (s.charCodeAt(si) === 0x0a || s.charCodeAt(si) === 0x0d)) si++;
        if (si === n) return corrupt(n);
        if (s.charCodeAt(si) !== 0x3d) return corrupt(si - 1);
        si++;
      }
      while (si < n && (s.charCodeAt(si) === 0x0a || s.charCodeAt(si) === 0x0d)) si++;
      if (si < n) trailingError = si;
      dlen = j;
      break;
    }
    for (let k = dlen; k < 4; k++) dbuf[k] = 0;
    const val = (dbuf[0] << 18) | (dbuf[1] << 12) | (dbuf[2] << 6) | dbuf[3];
    const b0 = (val >> 16) & 0xff;
    const b1 = (val >> 8) & 0xff;
    const b2 = val & 0xff;
    if (dlen >= 2) out[w++] = b0;
    if (dlen >= 3) out[w++] = b1;
    if (dlen >= 4) out[w++] = b2;
    if (trailingError >= 0) return corrupt(trailingError);
  }
  return { ok: true, bytes: out.subarray(0, w) };
}

/** Standard base64 with padding of `bytes` (the canonical form stored in the IR). */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}
