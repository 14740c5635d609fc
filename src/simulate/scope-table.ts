/**
 * A transport's scopes as an open-addressing hash table that is probed with a piece of a reference's text instead of a
 * string: the key is `prefix + text[from, to) + suffix`, its hash computed incrementally by the caller while it scans
 * the text, and a hit is confirmed by comparing characters. The namespace walk of `requirementsForImageRef`
 * (`PolicyConfigurationNamespaces`, most specific first) then looks up every candidate without building one substring
 * per namespace (simulate/fast-decide.ts). Keys are compared by exact string equality, as Go's map lookup does.
 *
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

/** A transport's scope map, probed by pieces of text. */
export class ScopeTable {
  private readonly keys: (string | undefined)[];
  private readonly hashes: Int32Array;
  /** The entries, by slot (the same slot a probe answers). */
  readonly entries: (ScopeEntry | undefined)[];
  private readonly mask: number;
  /** The number of slots (entries.length). */
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
    this.hashes = new Int32Array(capacity);
    this.filter = new Int32Array(FILTER_BITS >>> 5);
    let wildcards = false;
    for (const [key, entry] of scopes) {
      if (key.startsWith("*.")) wildcards = true;
      const h = hashString(key);
      let i = (h ^ (h >>> 15)) & this.mask;
      while (this.keys[i] !== undefined) i = (i + 1) & this.mask;
      this.keys[i] = key;
      this.hashes[i] = h;
      this.entries[i] = entry;
      const f = filterBit(h);
      this.filter[f >>> 5] |= 1 << (f & 31);
    }
    this.hasWildcards = wildcards;
  }

  /** The entry of the key `s` (an ordinary lookup, for constant candidates). */
  get(s: string): ScopeEntry | undefined {
    const slot = this.find(hashString(s), "", s, 0, s.length, "");
    return slot === -1 ? undefined : this.entries[slot];
  }

  /**
   * The slot of the key `prefix + text[from, to) + suffix` whose hash is `h` (as {@link hashString} of that key
   * gives it), or -1 when no scope is spelled so.
   */
  find(h: number, prefix: string, text: string, from: number, to: number, suffix: string): number {
    const f = filterBit(h);
    if ((this.filter[f >>> 5] & (1 << (f & 31))) === 0) return -1;
    const length = prefix.length + (to - from) + suffix.length;
    const keys = this.keys;
    const mask = this.mask;
    for (let i = (h ^ (h >>> 15)) & mask; ; i = (i + 1) & mask) {
      const key = keys[i];
      if (key === undefined) return -1;
      if (this.hashes[i] === h && key.length === length && equalsPieces(key, prefix, text, from, to, suffix)) return i;
    }
  }
}

/** Whether `key` is `prefix + text[from, to) + suffix` (lengths already equal). */
function equalsPieces(key: string, prefix: string, text: string, from: number, to: number, suffix: string): boolean {
  if (prefix.length === 0 && suffix.length === 0) return text.startsWith(key, from);
  let k = 0;
  for (let i = 0; i < prefix.length; i++) if (key.charCodeAt(k++) !== prefix.charCodeAt(i)) return false;
  for (let i = from; i < to; i++) if (key.charCodeAt(k++) !== text.charCodeAt(i)) return false;
  for (let i = 0; i < suffix.length; i++) if (key.charCodeAt(k++) !== suffix.charCodeAt(i)) return false;
  return true;
}
