/**
 * A port of the parts of Go's `net/url` (Go 1.19) that containers/image uses for lookaside URLs:
 * `url.Parse`, `(*URL).String`, `(*URL).EscapedPath` and the path resolution of `ResolveReference`.
 *
 * Go works on bytes; so does this module: strings are converted to "byte strings" (one UTF-16 unit per
 * UTF-8 byte) on the way in and back on the way out, so non-ASCII input escapes exactly as in Go.
 */
import { goQuote } from "../util/go-quote.js";

/** A parsed URL, field for field as Go's `url.URL` (all fields hold byte strings). */
export interface GoURL {
  scheme: string;
  opaque: string;
  user?: { username: string; password: string; passwordSet: boolean };
  host: string;
  path: string;
  rawPath: string;
  omitHost: boolean;
  forceQuery: boolean;
  rawQuery: string;
  fragment: string;
  rawFragment: string;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8");

/** Text → UTF-8 byte string (one char per byte, as Go's string holds bytes). */
export function toBytes(s: string): string {
  const bytes = utf8Encoder.encode(s);
  let out = "";
  for (let i = 0; i < bytes.length; i += 4096) out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return out;
}

/** UTF-8 byte string → text (invalid sequences become U+FFFD). */
export function fromBytes(b: string): string {
  const bytes = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) bytes[i] = b.charCodeAt(i) & 0xff;
  return utf8Decoder.decode(bytes);
}

const enum Enc {
  Path = 1,
  PathSegment,
  Host,
  Zone,
  UserPassword,
  QueryComponent,
  Fragment,
}

function isAlnum(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
}

function ishex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return 0;
}

function shouldEscape(c: number, mode: Enc): boolean {
  if (isAlnum(c)) return false;
  const ch = String.fromCharCode(c);
  if (mode === Enc.Host || mode === Enc.Zone) {
    if ("!$&'()*+,;=:[]<>\"".includes(ch)) return false;
  }
  if ("-_.~".includes(ch)) return false;
  if ("$&+,/:;=?@".includes(ch)) {
    switch (mode) {
      case Enc.Path:
        return ch === "?";
      case Enc.PathSegment:
        return ch === "/" || ch === ";" || ch === "," || ch === "?";
      case Enc.UserPassword:
        return ch === "@" || ch === "/" || ch === "?" || ch === ":";
      case Enc.QueryComponent:
        return true;
      case Enc.Fragment:
        return false;
      default:
        break;
    }
  }
  if (mode === Enc.Fragment && "!()*".includes(ch)) return false;
  return true;
}

class GoError extends Error {}

function escapeError(s: string): GoError {
  return new GoError("invalid URL escape " + goQuote(fromBytes(s)));
}

function unescape(s: string, mode: Enc): string {
  let n = 0;
  let hasPlus = false;
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      n++;
      if (i + 2 >= s.length || !ishex(s.charCodeAt(i + 1)) || !ishex(s.charCodeAt(i + 2))) {
        let t = s.slice(i);
        if (t.length > 3) t = t.slice(0, 3);
        throw escapeError(t);
      }
      if (mode === Enc.Host && unhex(s.charCodeAt(i + 1)) < 8 && s.slice(i, i + 3) !== "%25") {
        throw escapeError(s.slice(i, i + 3));
      }
      if (mode === Enc.Zone) {
        const v = (unhex(s.charCodeAt(i + 1)) << 4) | unhex(s.charCodeAt(i + 2));
        if (s.slice(i, i + 3) !== "%25" && v !== 0x20 && shouldEscape(v, Enc.Host)) throw escapeError(s.slice(i, i + 3));
      }
      i += 3;
    } else if (c === 0x2b) {
      hasPlus = mode === Enc.QueryComponent;
      i++;
    } else {
      if ((mode === Enc.Host || mode === Enc.Zone) && c < 0x80 && shouldEscape(c, mode)) {
        throw new GoError("invalid character " + goQuote(s[i]) + " in host name");
      }
      i++;
    }
  }
  if (n === 0 && !hasPlus) return s;
  let t = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      t += String.fromCharCode((unhex(s.charCodeAt(i + 1)) << 4) | unhex(s.charCodeAt(i + 2)));
      i += 2;
    } else if (c === 0x2b) {
      t += mode === Enc.QueryComponent ? " " : "+";
    } else t += s[i];
  }
  return t;
}

const UPPERHEX = "0123456789ABCDEF";

function escape(s: string, mode: Enc): string {
  let t = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20 && mode === Enc.QueryComponent) t += "+";
    else if (shouldEscape(c, mode)) t += "%" + UPPERHEX[c >> 4] + UPPERHEX[c & 15];
    else t += s[i];
  }
  return t;
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) continue;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
      if (i === 0) return ["", raw];
      continue;
    }
    if (c === 0x3a) {
      if (i === 0) throw new GoError("missing protocol scheme");
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ["", raw];
  }
  return ["", raw];
}

function validOptionalPort(port: string): boolean {
  if (port === "") return true;
  if (port[0] !== ":") return false;
  for (let i = 1; i < port.length; i++) {
    const c = port.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function parseHost(host: string): string {
  if (host.startsWith("[")) {
    const i = host.lastIndexOf("]");
    if (i < 0) throw new GoError("missing ']' in host");
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) throw new GoError(`invalid port ${goQuote(fromBytes(colonPort))} after host`);
    const zone = host.slice(0, i).indexOf("%25");
    if (zone >= 0) {
      return unescape(host.slice(0, zone), Enc.Host) + unescape(host.slice(zone, i), Enc.Zone) + unescape(host.slice(i), Enc.Host);
    }
  } else {
    const i = host.lastIndexOf(":");
    if (i !== -1) {
      const colonPort = host.slice(i);
      if (!validOptionalPort(colonPort)) throw new GoError(`invalid port ${goQuote(fromBytes(colonPort))} after host`);
    }
  }
  return unescape(host, Enc.Host);
}

function validUserinfo(s: string): boolean {
  // Go ranges over runes here; bytes ≥ 0x80 are never valid either way.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isAlnum(c)) continue;
    if ("-._:~!$&'()*+,;=%@".includes(s[i])) continue;
    return false;
  }
  return true;
}

function parseAuthority(authority: string): Pick<GoURL, "user" | "host"> {
  const i = authority.lastIndexOf("@");
  const host = parseHost(i < 0 ? authority : authority.slice(i + 1));
  if (i < 0) return { host };
  const userinfo = authority.slice(0, i);
  if (!validUserinfo(userinfo)) throw new GoError("net/url: invalid userinfo");
  const colon = userinfo.indexOf(":");
  if (colon < 0) return { host, user: { username: unescape(userinfo, Enc.UserPassword), password: "", passwordSet: false } };
  return {
    host,
    user: {
      username: unescape(userinfo.slice(0, colon), Enc.UserPassword),
      password: unescape(userinfo.slice(colon + 1), Enc.UserPassword),
      passwordSet: true,
    },
  };
}

function setPath(u: GoURL, p: string): void {
  const path = unescape(p, Enc.Path);
  u.path = path;
  u.rawPath = escape(path, Enc.Path) === p ? "" : p;
}

function validEncoded(s: string, mode: Enc): boolean {
  for (let i = 0; i < s.length; i++) {
    if ("!$&'()*+,;=:@[]%".includes(s[i])) continue;
    if (shouldEscape(s.charCodeAt(i), mode)) return false;
  }
  return true;
}

/** Go's `(*URL).EscapedPath` (byte string in, byte string out). */
export function escapedPath(u: GoURL): string {
  if (u.rawPath !== "" && validEncoded(u.rawPath, Enc.Path)) {
    try {
      if (unescape(u.rawPath, Enc.Path) === u.path) return u.rawPath;
    } catch {
      // fall through
    }
  }
  if (u.path === "*") return "*";
  return escape(u.path, Enc.Path);
}

function escapedFragment(u: GoURL): string {
  if (u.rawFragment !== "" && validEncoded(u.rawFragment, Enc.Fragment)) {
    try {
      if (unescape(u.rawFragment, Enc.Fragment) === u.fragment) return u.rawFragment;
    } catch {
      // fall through
    }
  }
  return escape(u.fragment, Enc.Fragment);
}

/** A URL with every field empty (Go's zero url.URL). */
export function emptyURL(): GoURL {
  return {
    scheme: "",
    opaque: "",
    host: "",
    path: "",
    rawPath: "",
    omitHost: false,
    forceQuery: false,
    rawQuery: "",
    fragment: "",
    rawFragment: "",
  };
}

function parseNoFragment(raw: string): GoURL {
  for (let i = 0; i < raw.length; i++) {
    const b = raw.charCodeAt(i);
    if (b < 0x20 || b === 0x7f) throw new GoError("net/url: invalid control character in URL");
  }
  const url = emptyURL();
  if (raw === "*") {
    url.path = "*";
    return url;
  }
  let [scheme, rest] = getScheme(raw);
  url.scheme = scheme.toLowerCase();
  if (rest.endsWith("?") && rest.split("?").length === 2) {
    url.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf("?");
    if (q >= 0) {
      url.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith("/")) {
    if (url.scheme !== "") {
      url.opaque = rest;
      return url;
    }
    const slash = rest.indexOf("/");
    const segment = slash >= 0 ? rest.slice(0, slash) : rest;
    if (segment.includes(":")) throw new GoError("first path segment in URL cannot contain colon");
  }
  if ((url.scheme !== "" || !rest.startsWith("///")) && rest.startsWith("//")) {
    let authority = rest.slice(2);
    rest = "";
    const i = authority.indexOf("/");
    if (i >= 0) {
      rest = authority.slice(i);
      authority = authority.slice(0, i);
    }
    const a = parseAuthority(authority);
    url.user = a.user;
    url.host = a.host;
  } else if (url.scheme !== "" && rest.startsWith("/")) {
    url.omitHost = true;
  }
  setPath(url, rest);
  return url;
}

/** Go's `url.Parse` on a byte string: the URL, or Go's error text (`parse "<u>": <reason>`). */
export function goParseURLBytes(raw: string): { ok: true; url: GoURL } | { ok: false; error: string } {
  const hash = raw.indexOf("#");
  const u = hash >= 0 ? raw.slice(0, hash) : raw;
  const frag = hash >= 0 ? raw.slice(hash + 1) : "";
  let url: GoURL;
  try {
    url = parseNoFragment(u);
  } catch (e) {
    if (e instanceof GoError) return { ok: false, error: `parse ${goQuote(fromBytes(u))}: ${e.message}` };
    throw e;
  }
  if (frag === "") return { ok: true, url };
  try {
    url.fragment = unescape(frag, Enc.Fragment);
    url.rawFragment = escape(url.fragment, Enc.Fragment) === frag ? "" : frag;
  } catch (e) {
    if (e instanceof GoError) return { ok: false, error: `parse ${goQuote(fromBytes(raw))}: ${e.message}` };
    throw e;
  }
  return { ok: true, url };
}

/** Go's `url.Parse` on text. */
export function goParseURL(raw: string): { ok: true; url: GoURL } | { ok: false; error: string } {
  return goParseURLBytes(toBytes(raw));
}

/** Go's `resolvePath(base, ref)` (RFC 3986 dot-segment removal as Go implements it). */
export function goResolvePath(base: string, ref: string): string {
  let full: string;
  if (ref === "") full = base;
  else if (ref[0] !== "/") full = base.slice(0, base.lastIndexOf("/") + 1) + ref;
  else full = ref;
  if (full === "") return "";
  let dst = "/";
  let first = true;
  let elem = "";
  let remaining = full;
  let found = true;
  while (found) {
    const i = remaining.indexOf("/");
    if (i >= 0) {
      elem = remaining.slice(0, i);
      remaining = remaining.slice(i + 1);
    } else {
      elem = remaining;
      remaining = "";
      found = false;
    }
    if (elem === ".") {
      first = false;
      continue;
    }
    if (elem === "..") {
      const str = dst.slice(1);
      const index = str.lastIndexOf("/");
      dst = "/";
      if (index === -1) first = true;
      else dst += str.slice(0, index);
    } else {
      if (!first) dst += "/";
      dst += elem;
      first = false;
    }
  }
  if (elem === "." || elem === "..") dst += "/";
  if (dst.length > 1 && dst[1] === "/") dst = dst.slice(1);
  return dst;
}

/**
 * What `(*URL).Parse` on a nil receiver does in containers/image 5.23.1 (`lookasideStorageBaseURL`, where a
 * local `url` shadows the package): for absolute URLs, `ResolveReference` re-sets the path through
 * `resolvePath`; for scheme-less input it dereferences nil and panics (returned as `panics: true`).
 */
export function goNilResolveReference(ref: GoURL): { panics: true } | { panics: false; url: GoURL } {
  if (ref.scheme === "") return { panics: true };
  const url: GoURL = { ...ref };
  setPath(url, goResolvePath(escapedPath(ref), ""));
  return { panics: false, url };
}

/** Go's `(*URL).String`, as text. */
export function goURLString(u: GoURL): string {
  let buf = "";
  if (u.scheme !== "") buf += u.scheme + ":";
  if (u.opaque !== "") {
    buf += u.opaque;
  } else {
    if (u.scheme !== "" || u.host !== "" || u.user) {
      if (!(u.omitHost && u.host === "" && !u.user)) {
        if (u.host !== "" || u.path !== "" || u.user) buf += "//";
        if (u.user) {
          let s = escape(u.user.username, Enc.UserPassword);
          if (u.user.passwordSet) s += ":" + escape(u.user.password, Enc.UserPassword);
          buf += s + "@";
        }
        if (u.host !== "") buf += escape(u.host, Enc.Host);
      }
    }
    const path = escapedPath(u);
    if (path !== "" && path[0] !== "/" && u.host !== "") buf += "/";
    if (buf.length === 0) {
      const slash = path.indexOf("/");
      const segment = slash >= 0 ? path.slice(0, slash) : path;
      if (segment.includes(":")) buf += "./";
    }
    buf += path;
  }
  if (u.forceQuery || u.rawQuery !== "") buf += "?" + u.rawQuery;
  if (u.fragment !== "") buf += "#" + escapedFragment(u);
  return fromBytes(buf);
}
