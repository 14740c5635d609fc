/**
 * A scope, explained as the simulator explains a pull: which references it decides (those under it that no more
 * specific scope takes; containers/image `requirementsForImageRef` picks the most specific) and what they need,
 * shown on a reference built to fall exactly under it (the `diff` command's region witnesses) and simulated.
 */
import { dockerScopeAncestors } from "../check/scope-ancestors.js";
import { witnessCandidates } from "../diff/regions.js";
import type { Host } from "../host/host.js";
import type { Policy, RegistriesDConfig, ScopeEntry, TransportPolicy } from "../ir/types.js";
import { parseImageReference } from "../reference/image-reference.js";
import { renderSimulationExplanation } from "../simulate/render-text.js";
import { indexPolicy } from "../simulate/scope-lookup.js";
import { createSimulator } from "../simulate/simulate.js";

const DOCKER_STYLE = new Set(["docker", "atomic", "docker-daemon"]);

/** The scopes of a transport that `scope` encloses: they decide their own references. */
function innerScopes(transport: TransportPolicy, scope: string): string[] {
  if (scope === "") return transport.scopes.map((s) => s.scope).filter((s) => s !== "");
  const docker = DOCKER_STYLE.has(transport.name);
  const below = (s: string) =>
    docker ? dockerScopeAncestors(s).slice(1).includes(scope) : s.startsWith(scope.endsWith("/") ? scope : `${scope}/`) || (scope.endsWith("]") && s.startsWith(scope));
  return transport.scopes.map((s) => s.scope).filter((s) => s !== scope && below(s));
}

/** A reference that the policy decides by exactly this scope, or undefined when none can be built. */
function witnessFor(policy: Policy, transport: string, scope: string): string | undefined {
  const index = indexPolicy(policy);
  for (const text of witnessCandidates(transport, scope)) {
    const r = parseImageReference(text, { openFile: () => undefined });
    if (!r.ok || r.ref.transport !== transport) continue;
    if (index.lookup(transport, r.ref.identity, r.ref.namespaces)?.scope === scope) return text;
  }
  return undefined;
}

function scopeWords(transport: string, scope: string): string {
  if (scope === "") return `every \`${transport}\` reference that no scope of the transport matches (the transport default)`;
  if (DOCKER_STYLE.has(transport)) {
    if (scope.startsWith("*.")) return `\`${transport}\` images on every registry host under \`${scope.slice(2)}\``;
    if (/[:@][^/]*$/.test(scope) && scope.includes("/")) return `the one \`${transport}\` image \`${scope}\``;
    return `\`${transport}\` images of \`${scope}\` and of every namespace below it`;
  }
  return `\`${transport}\` images at \`${scope}\` and below it`;
}

/** Options of {@link explainScope}. */
export interface ExplainScopeOptions {
  registriesD?: RegistriesDConfig;
  /** Who pulls (the built-in lookaside depends on the user). */
  host?: Pick<Host, "euid" | "home">;
}

/** Markdown: which references `entry` decides and what they need. */
export function explainScope(policy: Policy, transport: TransportPolicy, entry: ScopeEntry, options: ExplainScopeOptions = {}): string {
  const out = [`**${transport.name} scope ${JSON.stringify(entry.scope)}**${entry.labels?.level ? ` — level \`${entry.labels.level}\`` : ""}`, ""];
  out.push(`Decides ${scopeWords(transport.name, entry.scope)}.`);
  const inner = innerScopes(transport, entry.scope);
  if (inner.length) {
    const shown = inner.slice(0, 8).map((s) => `\`${s}\``).join(", ");
    out.push("", `More specific scopes decide their own images: ${shown}${inner.length > 8 ? ` and ${inner.length - 8} more` : ""}.`);
  }
  out.push("", `Requires: ${entry.requirements.map((r) => `\`${r.type}\``).join(" and ")}.`);
  const witness = witnessFor(policy, transport.name, entry.scope);
  if (witness === undefined) {
    out.push("", "_No reference can be built that this scope decides (it may never match)._");
    return out.join("\n");
  }
  const sim = createSimulator({ policy, registriesD: options.registriesD, host: options.host, bareNames: false });
  const result = sim.simulate(witness);
  out.push("", `For example, without signatures (\`imagetrust simulate\`):`, "", "```text", renderSimulationExplanation(result).trimEnd(), "```");
  return out.join("\n");
}

/** The transport section and scope entry whose key span holds `offset`, in a policy's IR. */
export function scopeAt(policy: Policy, file: string, offset: number): { transport: TransportPolicy; entry: ScopeEntry } | undefined {
  for (const t of policy.transports) {
    for (const e of t.scopes) {
      const k = e.keyOrigin;
      if (k && k.file === file && k.start <= offset && offset <= k.end) return { transport: t, entry: e };
    }
  }
  return undefined;
}
