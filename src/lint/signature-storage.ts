/**
 * The signature storage registries.d gives a docker name (a registries.conf prefix, location or mirror location),
 * following docker/registries_d.go: `(*registryConfiguration).signatureTopLevel` tries the name, its parent namespaces
 * and `*.` wildcards, most specific first, then `default-docker`; `useSigstoreAttachments` resolves the same way per key.
 */
import { attachmentsForScope, dockerScopeAncestors } from "../check/scope-ancestors.js";
import type { Policy, RegistriesDConfig } from "../ir/types.js";

/** What registries.d says about one name. */
export interface EffectiveStorage {
  /** The lookaside URL read ("" when none is configured: the built-in local directory). */
  lookaside: string;
  /** The registries.d key that supplied it ("default-docker", a scope, or "" for none). */
  from: string;
  attachments: boolean;
}

/** The storage for images under `name`. */
export function effectiveStorage(name: string, config: RegistriesDConfig): EffectiveStorage {
  let lookaside = "";
  let from = "";
  for (const a of dockerScopeAncestors(name)) {
    const e = config.docker.find((x) => x.scope === a);
    const url = e?.storage.lookaside ?? e?.storage.sigstore;
    if (url !== undefined) {
      lookaside = url;
      from = a;
      break;
    }
  }
  if (!from) {
    const d = config.defaultDocker?.storage;
    const url = d?.lookaside ?? d?.sigstore;
    if (url !== undefined) {
      lookaside = url;
      from = "default-docker";
    }
  }
  const attachments = attachmentsForScope(name, (s) => config.docker.find((x) => x.scope === s)?.storage.useSigstoreAttachments, config.defaultDocker?.storage.useSigstoreAttachments);
  return { lookaside, from, attachments };
}

/** True when registries.d says anything about signatures for `name` beyond default-docker. */
export function hasOwnStorage(name: string, config: RegistriesDConfig): boolean {
  const ancestors = dockerScopeAncestors(name);
  return config.docker.some((e) => ancestors.includes(e.scope) && (e.storage.lookaside ?? e.storage.sigstore ?? e.storage.useSigstoreAttachments) !== undefined);
}

/** The policy scope that decides for images named exactly `name` (docker transport), with its requirements. */
export function decidingRequirements(name: string, policy: Policy): { scope?: string; requiresSignatures: boolean } {
  const docker = policy.transports.find((t) => t.name === "docker");
  const sig = (reqs: Policy["default"]) => reqs.some((r) => r.type === "signedBy" || r.type === "sigstoreSigned");
  if (docker) {
    for (const a of dockerScopeAncestors(name)) {
      const s = docker.scopes.find((x) => x.scope === a);
      if (s) return { scope: a, requiresSignatures: sig(s.requirements) };
    }
    // Scopes below the name decide for some of its images.
    const below = docker.scopes.find((x) => x.scope.startsWith(name + "/") && sig(x.requirements));
    if (below) return { scope: below.scope, requiresSignatures: true };
    const d = docker.scopes.find((x) => x.scope === "");
    if (d) return { scope: "", requiresSignatures: sig(d.requirements) };
  }
  return { requiresSignatures: sig(policy.default) };
}
