/**
 * Facts about a registries.conf that loads but will not do what it says (never errors upstream): locations every
 * rewritten pull fails on (`rewriteReference` → `reference.ParseNamed`), `blocked` entries that block nothing
 * (`FindRegistry` matches the rewritten reference), prefixes that can never match.
 */
import type { Span } from "../../source/source-file.js";
import { parseNamed } from "../../reference/docker-reference.js";
import type { RegistryEntry } from "../../registries/types.js";
import { REGISTRIES_CONF_CODES } from "./codes.js";
import type { Problem } from "./problem.js";

/** Warnings for the post-processed entries of a file that loads, in entry order. */
export function usabilityWarnings(sorted: readonly RegistryEntry[]): Problem[] {
  const problems: Problem[] = [];
  for (const r of sorted) {
    const endpoints: Array<{ location: string; span?: Span; what: string }> = [{ location: r.location, span: r.locationOrigin ?? r.origin, what: "Location" }];
    for (const m of r.mirrors) if (!m.location.endsWith("/")) endpoints.push({ location: m.location, span: m.locationOrigin ?? m.origin, what: "Mirror location" });
    for (const e of endpoints) {
      if (e.location === "") continue;
      const probe = parseNamed(`${e.location}/x/y:latest`);
      if (!probe.ok) {
        problems.push({
          code: REGISTRIES_CONF_CODES.unusableLocation,
          severity: "warning",
          message: `${e.what} ${JSON.stringify(e.location)} is not a valid registry[/namespace]: every pull rewritten to it fails with "rewriting reference: ${probe.error}".`,
          span: e.span,
        });
      }
    }
    if (r.blocked && r.location !== "" && r.location !== r.prefix) {
      problems.push({
        code: REGISTRIES_CONF_CODES.blockedNotBlocking,
        severity: "warning",
        message: `'blocked = true' with a location different from the prefix does not block: containers/image checks the rewritten reference (${r.location}/…), which this entry does not match.`,
        span: r.origin,
      });
    }
    const lastSegment = r.prefix.slice(r.prefix.lastIndexOf("/") + 1);
    if (!r.prefix.startsWith("*.") && (r.prefix.includes("@") || (r.prefix.includes("/") && lastSegment.includes(":")))) {
      problems.push({
        code: REGISTRIES_CONF_CODES.unmatchablePrefix,
        severity: "warning",
        message: `Prefix '${r.prefix}' contains a tag or digest; prefixes are compared with repository names only, so it never matches.`,
        span: r.prefixOrigin ?? r.origin,
      });
    }
  }
  return problems;
}
