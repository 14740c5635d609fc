/**
 * The JSON tokens of the policy.json fast path (policy-fast.ts): the subset a plain policy uses — objects, arrays
 * and strings without escapes, control characters or surrogates — read straight from the text with their
 * positions. Anything else throws {@link GIVE_UP}: then the exact parser (json-parse.ts) reads the document and
 * reports what Go's encoding/json would say. Whitespace is JSON's (space, tab, LF, CR), the same set for Go and
 * ECMAScript.
 */
import { encodeBase64, goBase64Decode } from "../util/go-base64.js";

/** Anything the fast path leaves to the exact parser: a backslash, a surrogate, a control other than tab/LF/CR. */
// eslint-disable-next-line no-control-regex
const UNPLAIN = /[\\\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff]/;

/** A run of JSON whitespace, matched where {@link FastJsonReader.ws} sets lastIndex (sticky: at that position only). */
const WS_RUN = /[ \t\n\r]+/y;

/** Thrown to give up on the fast path; never escapes readPolicyFast. */
export const GIVE_UP: unique symbol = Symbol("give up");

/** A fixed set of names (the keys of one kind of object, the values of a `type`), indexed by length for {@link FastJsonReader.knownKey}. */
export interface NameSet {
  readonly names: readonly string[];
  /** The indices in `names` of the names of each length (an empty list for a length no name has). */
  readonly byLength: readonly (readonly number[])[];
}

/** The {@link NameSet} of `names`. */
export function nameSet(names: readonly string[]): NameSet {
  const byLength: number[][] = [];
  for (const name of names) while (byLength.length <= name.length) byLength.push([]);
  names.forEach((name, i) => byLength[name.length].push(i));
  return { names, byLength };
}

/** A cursor over one document's text. */
export class FastJsonReader {
  protected p = 0;
  protected readonly n: number;
  /** The key just read by {@link key} or {@link knownKey}: its quoted span. */
  protected ks = 0;
  protected ke = 0;

  /**
   * Where the next tab, LF and CR are (at or after the last string read; `n` when none): a string must not hold
   * one, and finding them once per stretch of text (rather than per string) keeps the check linear.
   */
  private nextTab = -1;
  private nextLf = -1;
  private nextCr = -1;
  /** The least of the three (where the next string that reaches it must look again). */
  private nextControl = -1;

  constructor(protected readonly text: string) {
    this.n = text.length;
    // Escapes, surrogates and control characters other than JSON's whitespace are left to the exact parser,
    // wherever they are (outside strings they are errors anyway); one native scan of the whole text.
    if (UNPLAIN.test(text)) throw GIVE_UP;
    // Most documents have no tab or CR at all (two native scans): then only the next LF is looked for, per line.
    this.lfOnly = text.indexOf("\t") < 0 && text.indexOf("\r") < 0;
  }

  /** No tab or CR anywhere in the text: {@link nextControl} is the next LF. */
  private readonly lfOnly: boolean;

  /**
   * Skips JSON whitespace (space, tab, LF, CR: the same set for Go and ECMAScript) and returns the next char (-1 at the
   * end). Written for code that runs once, unoptimised, where every `this.` read is an inline-cache call: past the end
   * charCodeAt gives NaN, which ends the loop without a bound read per character.
   */
  protected ws(): number {
    const t = this.text;
    let p = this.p;
    let c = t.charCodeAt(p);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      c = t.charCodeAt(++p);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        // A longer run (a pretty-printed document's line break and indentation): one native scan.
        WS_RUN.lastIndex = p;
        WS_RUN.test(t);
        p = WS_RUN.lastIndex;
        c = t.charCodeAt(p);
      }
      this.p = p;
    }
    return c === c ? c : -1;
  }

  /**
   * A string at the quote at `p` (no escapes, surrogates or controls: the constructor's scan excluded them, and the
   * whitespace controls are looked for here); `p` moves past it.
   */
  protected string(): string {
    const t = this.text;
    const start = this.p;
    if (t.charCodeAt(start) !== 0x22) throw GIVE_UP;
    const close = t.indexOf('"', start + 1);
    if (close < 0) throw GIVE_UP;
    // Most strings end before the next tab, LF or CR already found: one comparison. Else bring them up to date.
    if (this.nextControl < close) {
      if (this.lfOnly) {
        // Once per line of a pretty-printed document: one native scan to the line's end, no other call.
        const lf = t.indexOf("\n", start);
        this.nextControl = lf < 0 ? this.n : lf;
      } else {
        if (this.nextLf < start) this.nextLf = this.next("\n", start);
        if (this.nextCr < start) this.nextCr = this.next("\r", start);
        if (this.nextTab < start) this.nextTab = this.next("\t", start);
        this.nextControl = Math.min(this.nextLf, this.nextCr, this.nextTab);
      }
      if (this.nextControl < close) throw GIVE_UP;
    }
    this.p = close + 1;
    return t.slice(start + 1, close);
  }

  private next(c: string, from: number): number {
    const i = this.text.indexOf(c, from);
    return i < 0 ? this.n : i;
  }

  /** At `{`: consumes it; true when a member follows, false when the object is empty (`}` consumed). */
  protected objectStart(): boolean {
    if (this.ws() !== 0x7b) throw GIVE_UP;
    this.p++;
    const c = this.ws();
    if (c === 0x7d) {
      this.p++;
      return false;
    }
    if (c !== 0x22) throw GIVE_UP;
    return true;
  }

  /** Reads `"key":`, leaving `p` at the value (whitespace skipped); the key's span goes to ks/ke. */
  protected key(): string {
    this.ks = this.p;
    const k = this.string();
    this.colon((this.ke = this.p));
    return k;
  }

  /**
   * From just after a key's closing quote at `p`: the `:` and the whitespace after it, leaving `p` at the value. The
   * layouts printers write — `"k":v`, `"k": v` — without a call of {@link ws}; anything else through it.
   */
  private colon(p: number): void {
    const t = this.text;
    if (t.charCodeAt(p) !== 0x3a) {
      this.p = p;
      if (this.ws() !== 0x3a) throw GIVE_UP;
      p = this.p;
    }
    let c = t.charCodeAt(++p);
    if (c === 0x20) c = t.charCodeAt(++p);
    this.p = p;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.ws();
  }

  /**
   * Like {@link key} for an object with a fixed set of keys: the index of the key in `names`, without making a
   * string of it; a key not in `names` (or not plain) gives up.
   */
  protected knownKey(names: NameSet): number {
    const start = this.p;
    const found = this.quotedName(names);
    this.ks = start;
    this.colon((this.ke = this.closeQuote + 1));
    return found;
  }

  /**
   * A string value that must be one of `names` (a `type`, a `keyType`): the index of the one it is, without making a
   * string of it (the IR then holds the shared constant, not one copy per object); any other value gives up. A name
   * holds no tab, LF or CR, so a match needs none of {@link string}'s checks.
   */
  protected knownValue(names: NameSet): number {
    const found = this.quotedName(names);
    this.p = this.closeQuote + 1;
    return found;
  }

  /** The closing quote of the last {@link quotedName}. */
  private closeQuote = 0;

  /**
   * The index in `names` of the plain string at the position (its closing quote in {@link closeQuote}); a string
   * that is none of them, or no string, gives up.
   */
  private quotedName(names: NameSet): number {
    const t = this.text;
    const start = this.p;
    if (t.charCodeAt(start) !== 0x22) throw GIVE_UP;
    const close = t.indexOf('"', start + 1);
    if (close < 0) throw GIVE_UP;
    // Only the names of the string's length are compared (one for most lengths).
    const candidates = names.byLength[close - start - 1];
    if (candidates !== undefined) {
      for (let j = 0; j < candidates.length; j++) {
        const i = candidates[j];
        if (t.startsWith(names.names[i], start + 1)) {
          this.closeQuote = close;
          return i;
        }
      }
    }
    throw GIVE_UP;
  }

  /** After a member's value: true at `,` (another member follows), false at `}` (consumed). */
  protected objectNext(): boolean {
    const c = this.ws();
    this.p++;
    if (c === 0x2c) {
      if (this.ws() !== 0x22) throw GIVE_UP;
      return true;
    }
    if (c !== 0x7d) throw GIVE_UP;
    return false;
  }

  /** At `[`: consumes it; true when an element follows, false when the array is empty (`]` consumed). */
  protected arrayStart(): boolean {
    if (this.ws() !== 0x5b) throw GIVE_UP;
    this.p++;
    if (this.ws() === 0x5d) {
      this.p++;
      return false;
    }
    return true;
  }

  /** After an element: true at `,`, false at `]` (consumed). */
  protected arrayNext(): boolean {
    const c = this.ws();
    this.p++;
    if (c === 0x2c) {
      this.ws();
      return true;
    }
    if (c !== 0x5d) throw GIVE_UP;
    return false;
  }

  protected stringList(): string[] {
    if (!this.arrayStart()) return [];
    // Lists of one or two as arrays of that size (a grown one keeps room for 17, with the policy), as requirementList.
    const first = this.string();
    if (!this.arrayNext()) return [first];
    const second = this.string();
    if (!this.arrayNext()) return [first, second];
    const out = [first, second];
    do out.push(this.string());
    while (this.arrayNext());
    return out;
  }

  /** A Go `[]byte` given as a standard base64 string, in the IR's canonical base64. */
  protected bytes(): string {
    const r = goBase64Decode(this.string());
    if (!r.ok) throw GIVE_UP;
    return encodeBase64(r.bytes);
  }

  protected bytesList(): string[] {
    const out: string[] = [];
    if (!this.arrayStart()) return out;
    do out.push(this.bytes());
    while (this.arrayNext());
    return out;
  }
}
