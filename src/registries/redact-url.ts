/**
 * Credentials never printed: a URL as Go's `(*url.URL).Redacted()` renders it (Go 1.15+): when the URL has a
 * password (`user:password@`, even an empty one), the password is replaced by `xxxxx`; the user name stays.
 * Every renderer and message that shows a lookaside or registry URL goes through {@link redactUrl} (one URL) or
 * {@link redactUrlsIn} (URLs inside a message, e.g. a parse error quoting one). Errors of Go's HTTP client itself
 * (`Get "…": …`) name the URL as net/http's `stripPassword` does (`user:***@`): {@link goHttpClientUrl}.
 */
import { goParseURL, goURLString } from "./go-url.js";

/** Go's `url.Redacted()` placeholder for a password. */
export const REDACTED_PASSWORD = "xxxxx";

/** `url` with its password replaced by `xxxxx` (Go's `URL.Redacted`); unchanged when it has none or does not parse. */
export function redactUrl(url: string): string {
  if (!url.includes("@")) return url;
  const p = goParseURL(url);
  if (p.ok) {
    if (!p.url.user?.passwordSet) return url;
    return goURLString({ ...p.url, user: { ...p.url.user, password: REDACTED_PASSWORD } });
  }
  return redactUrlsIn(url);
}

// scheme://user:password@ — the password is everything up to the last '@' before the host part ends.
const USERINFO = /([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s/?#@:"']*):([^\s/?#"']*)@/g;

/** Every `scheme://user:password@` in `text` with the password replaced by `xxxxx` (messages that quote URLs). */
export function redactUrlsIn(text: string): string {
  if (!text.includes("@")) return text;
  return text.replace(USERINFO, (_m, scheme: string, user: string) => `${scheme}${user}:${REDACTED_PASSWORD}@`);
}

/** A URL as Go's net/http client names it in its errors (`stripPassword`, Go 1.19): the password becomes `***`. */
export function goHttpClientUrl(url: string): string {
  const r = redactUrl(url);
  return r === url ? url : r.replace(`:${REDACTED_PASSWORD}@`, ":***@");
}
