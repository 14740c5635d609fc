/**
 * A comparable form of a trust model: what containers/image would act on, without origins, labels or
 * document order. Two models with equal normal forms mean the same policy.json and registries.d. Follows
 * upstream's reading: scopes are map keys (order irrelevant), an absent signedIdentity is
 * matchRepoDigestOrExact, an absent signedBy keyType cannot happen (the loader requires it).
 */
import type * as IR from "../ir/types.js";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function sortKeys(v: unknown): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const out: { [k: string]: Json } = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined || k === "origin" || k === "keyOrigin" || k === "fieldOrigins" || k === "labels") continue;
      out[k] = sortKeys(x);
    }
    return out;
  }
  return v as Json;
}

function requirement(r: IR.Requirement): Json {
  const c = { ...r } as Record<string, unknown>;
  if ((r.type === "signedBy" || r.type === "sigstoreSigned") && !r.signedIdentity) c.signedIdentity = { type: "matchRepoDigestOrExact" };
  return sortKeys(c);
}

/** The normal form of a policy. */
export function normalizePolicy(p: IR.Policy): Json {
  const transports: { [k: string]: Json } = {};
  for (const t of [...p.transports].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const scopes: { [k: string]: Json } = {};
    for (const s of [...t.scopes].sort((a, b) => (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0))) scopes[s.scope] = s.requirements.map(requirement);
    transports[t.name] = scopes;
  }
  return { default: p.default.map(requirement), transports };
}

/** The normal form of a registries.d configuration (file names kept: they decide merge errors). */
export function normalizeRegistriesD(r: IR.RegistriesDConfig): Json {
  const docker: { [k: string]: Json } = {};
  for (const e of [...r.docker].sort((a, b) => (a.scope < b.scope ? -1 : 1))) docker[e.scope] = sortKeys(e.storage);
  return { defaultDocker: r.defaultDocker ? sortKeys(r.defaultDocker.storage) : null, docker };
}

/** The normal form of a whole model: policy, registries.d, expectations (in order) and target. */
export function normalizeTrustModel(m: IR.TrustModel): Json {
  return {
    policy: normalizePolicy(m.policy),
    registriesD: normalizeRegistriesD(m.registriesD),
    expectations: m.expectations.map((e) => sortKeys(e)),
    target: m.target ?? null,
  };
}
