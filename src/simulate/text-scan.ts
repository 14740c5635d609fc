/**
 * Where fast-decide.ts `scanText` leaves a reference's pieces (positions in its text) and `findScope` what it found,
 * in one object per decider overwritten by every scan (nothing is allocated per reference): the normalized name is `p + text[nameStart, nameEnd)`, the identity that followed by `text[nameEnd, n)` (`:latest` for a
 * name-only reference).
 */
export interface TextScan<K = unknown> {
  /** Where the reference starts (after `docker://`, `docker-daemon:`), the text's length, where the name ends. */
  s: number;
  n: number;
  nameEnd: number;
  /** Where the name's text starts (after a written docker.io domain), where its path starts, the first `/` (-1). */
  nameStart: number;
  pathStart: number;
  firstSlash: number;
  explicitDomain: boolean;
  dockerIo: boolean;
  components: number;
  /** A name-only reference (docker: `latest`). */
  bare: boolean;
  /** A digested reference (`@sha256:…`). */
  digested: boolean;
  p: string;
  /** The hash of the normalized name. */
  h: number;
  /** The `/` positions in the name (`slashes`), how many. */
  slashCount: number;
  /** After findScope: whether the identity is the scope; else how many namespaces were tried (all when none is). */
  identityMatched: boolean;
  tried: number;
  /** After findScope, no slot found: what decides a docker.io name behind its in-text namespaces (fast-decide.ts `EntryDecision`). */
  known: K | undefined;
}

/** A scan before the first reference. */
export function emptyScan<K>(): TextScan<K> {
  return {
    s: 0,
    n: 0,
    nameEnd: 0,
    nameStart: 0,
    pathStart: 0,
    firstSlash: -1,
    explicitDomain: false,
    dockerIo: false,
    components: 0,
    bare: false,
    digested: false,
    p: "",
    h: 0,
    slashCount: 0,
    identityMatched: false,
    tried: 0,
    known: undefined,
  };
}
