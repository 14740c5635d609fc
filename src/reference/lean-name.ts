/**
 * A lean reading of the common docker repository names, for bulk decisions (simulate/fast-path.ts): the name part of
 * a reference (before `:tag` / `@digest`) checked and normalized as `reference.ParseNormalizedNamed`
 * (docker-reference.ts: `splitDockerDomain`, then `ReferenceRegexp` on `domain/remainder`) would, without regular
 * expressions or allocation beyond the result. It accepts a subset of what the exact parser accepts and answers
 * undefined for everything else (the caller then asks the exact parser):
 *
 * - the domain (when the first component names one: it has `.` or `:`, or is `localhost`) must match upstream's
 *   `DomainRegexp` (components `[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?` joined by `.`, an optional `:port`), so that
 *   `ReferenceRegexp`'s optional domain group takes exactly it;
 * - every path component must match `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*` (upper case is an error upstream: left to it);
 * - the normalized name is at most `NameTotalLengthMax` (255) characters.
 */
import { NAME_TOTAL_LENGTH_MAX } from "./docker-reference.js";

/** A normalized repository name: `domain/path` as the exact parser gives it. */
export interface LeanName {
  domain: string;
  path: string;
}

function isLowerAlnum(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

function isAlnum(c: number): boolean {
  return isLowerAlnum(c) || (c >= 65 && c <= 90);
}

/** `s[from, to)` is a `path-component` (`[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`). */
function isPathComponent(s: string, from: number, to: number): boolean {
  if (from >= to || !isLowerAlnum(s.charCodeAt(from)) || !isLowerAlnum(s.charCodeAt(to - 1))) return false;
  for (let i = from + 1; i < to - 1; i++) {
    const c = s.charCodeAt(i);
    if (isLowerAlnum(c)) continue;
    // A separator: ".", "_", "__" or a run of "-", between alphanumerics.
    if (c === 46 /* . */) {
      if (!isLowerAlnum(s.charCodeAt(i + 1))) return false;
    } else if (c === 95 /* _ */) {
      if (s.charCodeAt(i + 1) === 95) i++;
      if (!isLowerAlnum(s.charCodeAt(i + 1))) return false;
    } else if (c === 45 /* - */) {
      while (s.charCodeAt(i + 1) === 45) i++;
      if (!isLowerAlnum(s.charCodeAt(i + 1))) return false;
    } else return false;
  }
  return true;
}

/** `s[from, to)` matches `DomainRegexp`: alphanumeric-and-hyphen labels joined by ".", then an optional ":digits". */
function isDomain(s: string, from: number, to: number): boolean {
  let end = to;
  const colon = s.indexOf(":", from);
  if (colon !== -1 && colon < to) {
    if (colon + 1 >= to) return false;
    for (let i = colon + 1; i < to; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) return false;
    }
    end = colon;
  }
  let labelStart = from;
  for (let i = from; i <= end; i++) {
    if (i === end || s.charCodeAt(i) === 46) {
      if (i === labelStart || !isAlnum(s.charCodeAt(labelStart)) || !isAlnum(s.charCodeAt(i - 1))) return false;
      for (let j = labelStart + 1; j < i - 1; j++) {
        const c = s.charCodeAt(j);
        if (!isAlnum(c) && c !== 45) return false;
      }
      labelStart = i + 1;
    }
  }
  return true;
}

/**
 * The normalized `{domain, path}` of a repository name as `ParseNormalizedNamed` gives it, or undefined when the
 * lean reading does not decide (the name may still be valid: ask the exact parser).
 */
export function leanNormalizedName(name: string): LeanName | undefined {
  const n = name.length;
  if (n === 0) return undefined;
  const slash = name.indexOf("/");
  let domain: string;
  let pathStart: number;
  // splitDockerDomain: the first component is a domain if it has "." or ":" or is "localhost".
  if (slash !== -1) {
    let named = false;
    for (let i = 0; i < slash; i++) {
      const c = name.charCodeAt(i);
      if (c === 46 || c === 58) {
        named = true;
        break;
      }
    }
    if (named || (slash === 9 && name.startsWith("localhost"))) {
      if (!isDomain(name, 0, slash)) return undefined;
      domain = name.slice(0, slash);
      pathStart = slash + 1;
    } else {
      domain = "docker.io";
      pathStart = 0;
    }
  } else {
    domain = "docker.io";
    pathStart = 0;
  }
  if (domain === "index.docker.io") domain = "docker.io";
  // Path components, separated by "/".
  let start = pathStart;
  let components = 0;
  for (let i = pathStart; i <= n; i++) {
    if (i === n || name.charCodeAt(i) === 47) {
      if (!isPathComponent(name, start, i)) return undefined;
      components++;
      start = i + 1;
    }
  }
  let path = pathStart === 0 ? name : name.slice(pathStart);
  if (domain === "docker.io" && components === 1) path = "library/" + path;
  if (domain.length + 1 + path.length > NAME_TOTAL_LENGTH_MAX) return undefined;
  return { domain, path };
}
