/**
 * Which docker scopes decide which references, on the node and on the cluster.
 *
 * On the node, containers/image picks the most specific scope and ignores the rest
 * (`signature/policy_eval.go` PolicyContext.requirementsForImageRef, mirrored in src/simulate/scope-lookup.ts).
 * A "region" is the set of references a scope decides: those under it and under no more specific scope.
 * On the cluster, policy-controller applies every ClusterImagePolicy whose glob matches (all must pass) and
 * falls back to its `no-match-policy` when none does; Kyverno applies every matching rule but has
 * `skipImageReferences`, so a rule can leave out the more specific scopes exactly.
 */
import type { Diagnostic, RelatedLocation } from "../diagnostics/diagnostic.js";
import type { Requirement, ScopeEntry, TrustModel } from "../ir/types.js";
import type { Span } from "../source/source-file.js";
import { attachmentsForScope, dockerScopeAncestors } from "../check/scope-ancestors.js";
import { K8S_CODES, k8sDiagnostic } from "./codes.js";
import { MODULE_CODES } from "../check/module-codes.js";
import { scopeShape } from "./patterns.js";
import { admissionRequirement, outcomeOf, type AdmissionRequirement, type KeyMaterial, type Outcome } from "./requirements.js";

/** One docker scope (or the default, `scope` undefined) with its translated requirements. */
export interface Region {
  /** The scope text; undefined for the default (docker `""` or the global default). */
  scope?: string;
  entry?: ScopeEntry;
  requirements: AdmissionRequirement[];
  /** What the node requires here. */
  outcome: Outcome;
  /** Whether some requirement could not be translated (an error was reported). */
  untranslatable: boolean;
  /** Existing scopes that contain this one, nearest first. */
  ancestors: string[];
  /** Existing scopes contained in this one (decided elsewhere on the node). */
  descendants: string[];
  /** The trust level label, if any. */
  level?: string;
  /** Where to point diagnostics. */
  span?: Span;
  /** `enforced-by nodes`: admission lets these images through explicitly; the nodes enforce policy.json. */
  nodesOnly?: boolean;
}

/** The docker regions of a model, scopes in document order and the default last. */
export interface DockerPlan {
  scopes: Region[];
  defaultRegion: Region;
}

function translate(reqs: readonly Requirement[], keys: KeyMaterial, diagnostics: Diagnostic[]): AdmissionRequirement[] {
  return reqs.map((r) => admissionRequirement(r, keys, diagnostics));
}

/** Build the regions of the model's docker transport; reports non-docker transports and legacy scopes. */
export function planDocker(model: TrustModel, keys: KeyMaterial, diagnostics: Diagnostic[]): DockerPlan {
  const policy = model.policy;
  for (const t of policy.transports) {
    if (t.name !== "docker" && t.scopes.length > 0) {
      diagnostics.push(
        k8sDiagnostic(K8S_CODES.transportNotAdmitted, "info", `transport '${t.name}' is not seen by admission (pods name registry images only); its rules stay on the nodes`, t.keyOrigin ?? t.origin),
      );
    }
  }
  const docker = policy.transports.find((t) => t.name === "docker");
  const transportDefault = docker?.scopes.find((s) => s.scope === "");
  const entries = (docker?.scopes ?? []).filter((s) => s.scope !== "");
  const kept: ScopeEntry[] = [];
  for (const e of entries) {
    const host = e.scope.startsWith("*.") ? "" : e.scope.split("/")[0];
    if (host === "index.docker.io") {
      diagnostics.push(
        k8sDiagnostic(K8S_CODES.legacyDockerHubScope, "warning", `scope '${e.scope}' never matches on the node (containers/image spells Docker Hub 'docker.io'), but would on the cluster; it is left out`, e.keyOrigin ?? e.origin, {
          hint: `write '${e.scope.replace(/^index\.docker\.io/, "docker.io")}'`,
        }),
      );
      continue;
    }
    kept.push(e);
  }
  const existing = new Set(kept.map((e) => e.scope));
  const scopes: Region[] = kept.map((e) => {
    const nodesOnly = e.labels?.enforcedBy === "nodes";
    if (nodesOnly) diagnostics.push(nodesOnlyDiagnostic(e));
    // A node-only scope is not translated (a GPG signedBy would be IT7000): the source says the nodes enforce it.
    const requirements = nodesOnly ? [] : translate(e.requirements, keys, diagnostics);
    return {
      scope: e.scope,
      entry: e,
      requirements,
      outcome: outcomeOf(requirements),
      untranslatable: requirements.some((r) => r.kind === "untranslatable"),
      ancestors: dockerScopeAncestors(e.scope).slice(1).filter((a) => existing.has(a) && a !== e.scope),
      descendants: [],
      level: e.labels?.level,
      span: e.keyOrigin ?? e.origin,
      ...(nodesOnly ? { nodesOnly } : {}),
    };
  });
  for (const r of scopes) for (const a of r.ancestors) scopes.find((x) => x.scope === a)!.descendants.push(r.scope!);
  const defaultReqs = transportDefault ? transportDefault.requirements : policy.default;
  const defaultNodesOnly = transportDefault?.labels?.enforcedBy === "nodes";
  if (defaultNodesOnly) diagnostics.push(nodesOnlyDiagnostic(transportDefault!));
  const requirements = defaultNodesOnly ? [] : translate(defaultReqs, keys, diagnostics);
  const defaultRegion: Region = {
    entry: transportDefault,
    requirements,
    outcome: outcomeOf(requirements),
    untranslatable: requirements.some((r) => r.kind === "untranslatable"),
    ancestors: [],
    descendants: scopes.map((s) => s.scope!),
    level: (transportDefault ? transportDefault.labels : policy.defaultLabels)?.level,
    span: transportDefault ? transportDefault.keyOrigin ?? transportDefault.origin : policy.defaultOrigin ?? policy.origin,
    ...(defaultNodesOnly ? { nodesOnly: true } : {}),
  };
  reportLookaside(model, scopes, defaultRegion, diagnostics);
  return { scopes, defaultRegion };
}

/** IT2240: a scope marked `enforced-by nodes` is let through admission on purpose. */
function nodesOnlyDiagnostic(e: ScopeEntry): Diagnostic {
  const what = e.scope === "" ? "the docker default" : `scope '${e.scope}'`;
  const d: Diagnostic = {
    code: MODULE_CODES.nodesOnlyPassedThrough,
    severity: "info",
    message: `${what} is enforced by the nodes only ('enforced-by nodes'): admission lets these images through, and the nodes' policy.json checks them`,
  };
  const span = e.keyOrigin ?? e.origin;
  if (span) d.span = span;
  return d;
}

/** Signatures the node reads from lookaside only, while admission reads cosign attachments. */
function reportLookaside(model: TrustModel, scopes: Region[], defaultRegion: Region, diagnostics: Diagnostic[]): void {
  const explicit = (s: string) => model.registriesD.docker.find((e) => e.scope === s)?.storage.useSigstoreAttachments;
  const defaultDocker = model.registriesD.defaultDocker?.storage.useSigstoreAttachments;
  for (const r of [...scopes, defaultRegion]) {
    if (r.outcome.deny || r.outcome.checks.size === 0) continue;
    const attachments = r.scope === undefined ? defaultDocker ?? false : attachmentsForScope(r.scope, explicit, defaultDocker);
    if (!attachments) {
      diagnostics.push(
        k8sDiagnostic(
          K8S_CODES.lookasideNotUsed,
          "info",
          `the node reads these sigstore signatures without use-sigstore-attachments (lookaside only); admission reads cosign signatures attached in the registry, so both must be published`,
          r.span,
        ),
      );
    }
  }
}

/** A stable, DNS-1123 friendly name part for a level or scope. */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return (s || "x").slice(0, 50).replace(/-+$/g, "");
}

/** Related locations for a list of regions. */
export function relatedRegions(regions: readonly Region[], message: (r: Region) => string): RelatedLocation[] {
  return regions.filter((r) => r.span).map((r) => ({ message: message(r), span: r.span! }));
}

/** True for scopes naming one tag: admission sees digests there. */
export function isTagScope(scope: string): boolean {
  return scopeShape(scope).kind === "tag";
}

/**
 * The regions that need an admission rule (everything but plain accepts), grouped into one policy per trust level
 * (or per scope without a level), in plan order, each with a unique `imagetrust-…` name. Kyverno's targets share it.
 */
export function policyGroups(plan: DockerPlan): Array<{ name: string; regions: Region[] }> {
  const groups: Array<{ base: string; regions: Region[] }> = [];
  for (const r of [...plan.scopes, plan.defaultRegion]) {
    if (!r.outcome.deny && r.outcome.checks.size === 0) continue; // accepted: nothing to check, no rule selects it
    const base = slug(r.level ?? r.scope ?? "default");
    const g = groups.find((x) => x.base === base);
    if (g) g.regions.push(r);
    else groups.push({ base, regions: [r] });
  }
  const used = new Set<string>();
  return groups.map((g) => {
    let name = `imagetrust-${g.base}`;
    for (let i = 2; used.has(name); i++) name = `imagetrust-${g.base}-${i}`;
    used.add(name);
    return { name, regions: g.regions };
  });
}
