/**
 * Upstream's value parsers for registries.conf (system_registries_v2.go `parseLocation`, `parseProxy`;
 * shortnames.go `parseShortNameValue`, `validateShortName`): each returns upstream's error text.
 */
import { goParseURL } from "../../registries/go-url.js";
import { goQuote } from "../../util/go-quote.js";
import { parseNormalizedNamed, parseReference, type DockerReference } from "../../reference/docker-reference.js";

/** Upstream `parseLocation`: trim trailing `/`, refuse http(s):// (error text or the trimmed value). */
export function parseLocation(input: string): { ok: true; value: string } | { ok: false; error: string } {
  const trimmed = input.replace(/\/+$/, "");
  if (trimmed.startsWith("http://") || trimmed.startsWith("https://")) {
    return { ok: false, error: `invalid location '${input}': URI schemes are not supported` };
  }
  return { ok: true, value: trimmed };
}

/** Upstream `parseProxy` (newest): "" = none; a URL with scheme http, https, socks5 or socks5h. */
export function parseProxy(input: string): { ok: true; set: boolean } | { ok: false; error: string } {
  if (input === "") return { ok: true, set: false };
  const u = goParseURL(input);
  if (!u.ok) return { ok: false, error: `parsing proxy URL ${goQuote(input)}: ${u.error}` };
  if (!["http", "https", "socks5", "socks5h"].includes(u.url.scheme)) {
    return { ok: false, error: `proxy URL scheme "${u.url.scheme}" is not supported. Supported are http, https, socks5, socks5h` };
  }
  return { ok: true, set: true };
}

/** Upstream `parseShortNameValue`: an alias value must be `registry/repo` without tag or digest. */
export function parseShortNameValue(alias: string): { ok: true; ref: DockerReference } | { ok: false; error: string } {
  const r = parseReference(alias);
  if (!r.ok) return { ok: false, error: `parsing alias ${goQuote(alias)}: ${r.error}` };
  if (r.ref.digest !== undefined) return { ok: false, error: `invalid alias ${goQuote(alias)}: must not contain digest` };
  if (r.ref.tag !== undefined) return { ok: false, error: `invalid alias ${goQuote(alias)}: must not contain tag` };
  const registry = r.ref.domain;
  if (!(registry.includes(".") || registry.includes(":") || registry === "localhost")) {
    return { ok: false, error: `invalid alias ${goQuote(alias)}: must contain registry and repository` };
  }
  const n = parseNormalizedNamed(alias);
  if (!n.ok) return { ok: false, error: n.error };
  return { ok: true, ref: n.ref };
}

/** Upstream `validateShortName`: an alias name must be a repository without registry, tag or digest. */
export function validateShortName(name: string): string | undefined {
  const r = parseReference(name);
  if (!r.ok) return `cannot parse short name: ${goQuote(name)}: ${r.error}`;
  if (r.ref.digest !== undefined) return `invalid short name ${goQuote(name)}: must not contain digest`;
  if (r.ref.tag !== undefined) return `invalid short name ${goQuote(name)}: must not contain tag`;
  const registry = r.ref.domain;
  if (registry.includes(".") || registry.includes(":") || registry === "localhost") {
    return `invalid short name ${goQuote(name)}: must not contain registry`;
  }
  return undefined;
}
