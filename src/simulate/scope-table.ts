/**
 * A transport's scopes as an open-addressing hash table that is probed with a piece of a reference's text instead of a
 * string: the key is `prefix + text[from, to) + suffix`, its hash computed incrementally by the caller while it scans
 * the text, and a hit is confirmed by comparing characters. The namespace walk of `requirementsForImageRef`
 * (`PolicyConfigurationNamespaces`, most specific first) then looks up every candidate without building one substring
 * per namespace (simulate/fast-decide.ts). Keys are compared by exact string equality, as Go's map lookup does.
 *
 * Laid out for few cache misses with many scopes: a small bit set answers most misses; a slot's hash, key position
 * and the caller's note sit side by side in one typed array; the keys' characters are packed in one byte array.
 * Built once per simulator and transport; never grows (memory is the policy's).
 */
import type { ScopeEntry } from "../ir/types.js";

/** One step of the key hash (FNV-1a over UTF-16 code units). */
export function hashStep(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

/** The hash state before any character. */
export const HASH_SEED = 0x811c9dc5 | 0;

/** The hash of `s` continued from `h`. */
export function hashString(s: string, h: number = HASH_SEED): number {
  for (let i = 0; i < s.length; i++) h = hashStep(h, s.charCodeAt(i));
  return h;
}

/** The size of {@link ScopeTable}'s filter, in bits (a power of two, 2^17). */
const FILTER_BITS = 1 << 17;

/** The filter bit of a hash: its bits mixed (murmur3's finalizer), the top 17 taken. */
function filterBit(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 15;
}

/** Int32 fields per slot in {@link ScopeTable}'s slot array. */
const STRIDE = 4;
/** The fields: key hash, key length + 1 (0: empty slot), key offset in the byte array (-1: compare the string), note. */
const HASH = 0;
const LENGTH = 1;
const OFFSET = 2;
const NOTE = 3;

/** A transport's scope map, probed by pieces of text. */
export class ScopeTable {
  /** Per slot: hash, length + 1, offset, note (see {@link STRIDE}). */
  private readonly slots: Int32Array;
  /** The keys' characters, where every character of the key is below 256. */
  private readonly chars: Uint8Array;
  /** The keys, by slot. */
  private readonly keys: (string | undefined)[];
  /** The entries, by slot (the same slot a probe answers). */
  readonly entries: (ScopeEntry | undefined)[];
  private readonly mask: number;
  /** The number of slots. */
  readonly capacity: number;
  /**
   * One bit per (mixed) hash of every key: most probes ask for a key that does not exist, and this small bit set
   * (16 KiB, cache-resident) answers them without touching the table.
   */
  private readonly filter: Int32Array;
  /** Whether some key is a wildcard host scope (`*.…`): without one, wildcard namespaces need no probe. */
  readonly hasWildcards: boolean;

  constructor(scopes: ReadonlyMap<string, ScopeEntry>) {
    let capacity = 16;
    while (capacity < scopes.size * 3) capacity *= 2;
    this.mask = capacity - 1;
    this.capacity = capacity;
    this.keys = new Array<string | undefined>(capacity).fill(undefined);
    this.entries = new Array<ScopeEntry | undefined>(capacity).fill(undefined);
    this.slots = new Int32Array(capacity * STRIDE);
    this.filter = new Int32Array(FILTER_BITS >>> 5);
    let total = 0;
    scopes.forEach((_, key) => (total += key.length));
    this.chars = new Uint8Array(total);
    let offset = 0;
    let wildcards = false;
    const slots = this.slots;
    const chars = this.chars;
    const filter = this.filter;
    const mask = this.mask;
    scopes.forEach((entry, key) => {
      if (key.startsWith("*.")) wildcards = true;
      // Hashed (as hashString does) while packed.
      let h = HASH_SEED;
      let narrow = true;
      for (let k = 0; k < key.length; k++) {
        const c = key.charCodeAt(k);
        if (c > 0xff) narrow = false;
        chars[offset + k] = c;
        h = hashStep(h, c);
      }
      let i = (h ^ (h >>> 15)) & mask;
      while (slots[i * STRIDE + LENGTH] !== 0) i = (i + 1) & mask;
      slots[i * STRIDE + HASH] = h;
      slots[i * STRIDE + LENGTH] = key.length + 1;
      slots[i * STRIDE + OFFSET] = narrow ? offset : -1;
      offset += key.length;
      this.keys[i] = key;
      this.entries[i] = entry;
      const f = filterBit(h);
      filter[f >>> 5] |= 1 << (f & 31);
    });
    this.hasWildcards = wildcards;
  }

  /** The entry of the key `s` (an ordinary lookup, for constant candidates). */
  get(s: string): ScopeEntry | undefined {
    const slot = this.find(hashString(s), "", s, 0, s.length, "");
    return slot === -1 ? undefined : this.entries[slot];
  }

  /** The caller's note on a slot (0 until set). */
  note(slot: number): number {
    return this.slots[slot * STRIDE + NOTE];
  }

  /** Sets the caller's note on a slot (e.g. which of a few decision templates its entry takes). */
  setNote(slot: number, value: number): void {
    this.slots[slot * STRIDE + NOTE] = value;
  }

  /**
   * The slot of the key `prefix + text[from, to) + suffix` whose hash is `h` (as {@link hashString} of that key
   * gives it), or -1 when no scope is spelled so.
   */
  find(h: number, prefix: string, text: string, from: number, to: number, suffix: string): number {
    const f = filterBit(h);
    if ((this.filter[f >>> 5] & (1 << (f & 31))) === 0) return -1;
    const length = prefix.length + (to - from) + suffix.length + 1;
    const slots = this.slots;
    const mask = this.mask;
    for (let i = (h ^ (h >>> 15)) & mask; ; i = (i + 1) & mask) {
      const at = i * STRIDE;
      const stored = slots[at + LENGTH];
      if (stored === 0) return -1;
      if (slots[at + HASH] === h && stored === length) {
        const offset = slots[at + OFFSET];
        if (offset === -1 ? equalsPieces(this.keys[i]!, prefix, text, from, to, suffix) : charsEqualPieces(this.chars, offset, prefix, text, from, to, suffix)) return i;
      }
    }
  }
}

/** Whether `key` is `prefix + text[from, to) + suffix` (lengths already equal). */
function equalsPieces(key: string, prefix: string, text: string, from: number, to: number, suffix: string): boolean {
  let k = 0;
  for (let i = 0; i < prefix.length; i++) if (key.charCodeAt(k++) !== prefix.charCodeAt(i)) return false;
  for (let i = from; i < to; i++) if (key.charCodeAt(k++) !== text.charCodeAt(i)) return false;
  for (let i = 0; i < suffix.length; i++) if (key.charCodeAt(k++) !== suffix.charCodeAt(i)) return false;
  return true;
}

/** Whether the packed key at `chars[k…]` is `prefix + text[from, to) + suffix` (lengths already equal). */
function charsEqualPieces(chars: Uint8Array, k: number, prefix: string, text: string, from: number, to: number, suffix: string): boolean {
  for (let i = 0; i < prefix.length; i++) if (chars[k++] !== prefix.charCodeAt(i)) return false;
  for (let i = from; i < to; i++) if (chars[k++] !== text.charCodeAt(i)) return false;
  for (let i = 0; i < suffix.length; i++) if (chars[k++] !== suffix.charCodeAt(i)) return false;
  return true;
}
