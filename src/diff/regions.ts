/**
 * The regions of two policies: every transport of either policy × every scope of either policy (and each
 * transport default `""`), plus the global default. A region is the set of references whose most specific
 * matching scope, in the UNION of both policies' scope sets, is that scope (containers/image
 * `signature/policy_eval.go` `requirementsForImageRef`: identity, then namespaces most specific first, then `""`,
 * then the global default). Every reference falls in exactly one region, and within a region each policy decides
 * by the same scope (the namespaces a transport tries after a scope depend only on that scope), so comparing the
 * requirement lists region by region covers every reference, not a sample.
 *
 * For each region we build a witness reference and confirm with the simulator's scope lookup that it lands there.
 * Where no reference can be built (ostree is a stub transport, an unknown transport name, a scope no parseable
 * reference reaches) the deciding scope of each policy is reasoned from the scope sets instead, and the region
 * says so.
 */
import type { Policy, Requirement, TransportPolicy } from "../ir/types.js";
import { parseImageReference } from "../reference/image-reference.js";
import type { ImageReference, ParseImageReferenceOptions } from "../reference/image-reference-types.js";
import { KNOWN_TRANSPORTS } from "../reference/scopes.js";
import { type DecidingScope, PolicyIndex, requirementsForImageRef } from "../simulate/scope-lookup.js";
import { compareRequirements, type RegionClass } from "./requirement-lattice.js";

/** How one policy decides a region. */
export interface RegionSide {
  /** The scope that decides (null: the global default). */
  decidedBy: DecidingScope | null;
  requirements: Requirement[];
  /** The requirement types, e.g. "signedBy, reject". */
  summary: string;
}

/** One region compared. */
export interface Region {
  /** The transport (null: the global default region, references of transports neither policy has a section for). */
  transport: string | null;
  /** The scope that is most specific for this region in both policies' scope sets (`""`: the transport default). */
  scope: string;
  /** A reference confirmed (by scope lookup) to fall in this region; null when the region was reasoned on the scope sets. */
  witness: string | null;
  /** Why no reference was built, when `witness` is null. */
  reasoned?: string;
  old: RegionSide;
  new: RegionSide;
  classification: RegionClass;
}

const TAG = "imagetrust-region";
const HOST = "imagetrust-region.invalid";

/** Canonical JSON without source positions. */
export function withoutOrigins(rs: readonly Requirement[]): Requirement[] {
  return JSON.parse(JSON.stringify(rs, (k, v: unknown) => (k === "origin" || k === "keyOrigin" ? undefined : v))) as Requirement[];
}

function side(decidedBy: DecidingScope | null, requirements: readonly Requirement[]): RegionSide {
  return { decidedBy, requirements: withoutOrigins(requirements), summary: requirements.map((r) => r.type).join(", ") };
}

/** Candidate references for a region, most natural first (each is confirmed by scope lookup before use). */
export function witnessCandidates(transport: string, scope: string): string[] {
  switch (transport) {
    case "docker":
    case "atomic":
    case "docker-daemon": {
      const p = transport === "docker" ? "docker://" : `${transport}:`;
      // atomic references are host/namespace/stream[:tag]: the three-component forms serve it.
      if (scope === "") return [`${p}${HOST}/region:latest`, `${p}${HOST}/region/region:latest`, `${p}imagetrust-region.example/region/region:latest`, `${p}localhost:5999/${TAG}/region:latest`];
      if (scope.startsWith("*.")) return [`${p}${TAG}${scope.slice(1)}/region:latest`, `${p}${TAG}${scope.slice(1)}:5999/region:latest`];
      if (!scope.includes("/")) return [`${p}${scope}/${TAG}:latest`, `${p}${scope}/${TAG}/region:latest`];
      return [`${p}${scope}`, `${p}${scope}:${TAG}`, `${p}${scope}/${TAG}:latest`];
    }
    case "containers-storage":
      if (scope === "") return [`${transport}:${HOST}/region:latest`, `${transport}:[vfs@/${TAG}]${HOST}/region:latest`];
      if (scope.endsWith("]")) {
        // `[graphRoot]` alone names every driver of that root; `[driver@root]` one store.
        const store = scope.includes("@") ? scope : `[vfs@${scope.slice(1)}`;
        return [`${transport}:${store}${HOST}/region:latest`];
      }
      return [`${transport}:${scope}`, `${transport}:${scope}:${TAG}`, `${transport}:${scope}/${TAG}:latest`];
    case "dir":
    case "oci":
    case "oci-archive":
    case "docker-archive":
    case "sif":
      if (scope === "") return [`${transport}:/${TAG}/region`];
      return [`${transport}:${scope}`, `${transport}:${scope}/${TAG}`];
    case "tarball":
      return scope === "" ? [`${transport}:/${TAG}/region.tar`] : [];
    default:
      return [];
  }
}

/** A policy holding every scope of both (requirements irrelevant), and `""` for every transport: the region index. */
function unionIndex(a: Policy, b: Policy): PolicyIndex {
  const transports = new Map<string, Set<string>>();
  for (const p of [a, b])
    for (const t of p.transports) {
      const s = transports.get(t.name) ?? new Set<string>([""]);
      for (const e of t.scopes) s.add(e.scope);
      transports.set(t.name, s);
    }
  const list: TransportPolicy[] = [...transports].map(([name, scopes]) => ({ name, scopes: [...scopes].map((scope) => ({ scope, requirements: [] })) }));
  return new PolicyIndex({ default: [], transports: list });
}

/** The scopes of a transport in a policy (undefined: no section). */
function scopesOf(p: Policy, transport: string): Map<string, Requirement[]> | undefined {
  const t = p.transports.filter((x) => x.name === transport);
  if (t.length === 0) return undefined;
  const m = new Map<string, Requirement[]>();
  for (const x of t) for (const s of x.scopes) if (!m.has(s.scope)) m.set(s.scope, s.requirements);
  return m;
}

/** Whether scope `outer` encloses scope `inner` (a path, repository or store prefix), for regions without a witness. */
function encloses(outer: string, inner: string): boolean {
  if (outer === "" || outer === inner || !inner.startsWith(outer)) return false;
  return outer.endsWith("]") || "/:@".includes(inner[outer.length]);
}

/**
 * How a policy decides a region no reference could be built for, reasoned on its scope sets: the scope itself,
 * else the most specific (longest) enclosing scope, else the transport default, else the global default.
 */
function reasonedSide(p: Policy, transport: string, scope: string): RegionSide {
  const scopes = scopesOf(p, transport);
  if (scopes === undefined) return side(null, p.default);
  let best: string | undefined = scopes.has(scope) ? scope : undefined;
  if (best === undefined) for (const s of scopes.keys()) if (encloses(s, scope) && (best === undefined || s.length > best.length)) best = s;
  if (best === undefined && scopes.has("")) best = "";
  return best === undefined ? side(null, p.default) : side({ transport, scope: best }, scopes.get(best)!);
}

function lookupSide(p: Policy, ref: ImageReference): RegionSide {
  const l = requirementsForImageRef(p, ref);
  return side(l.decided, l.requirements);
}

/** Options of `policyRegions`. */
export interface RegionOptions {
  /** The containers/image version whose reference syntax applies. */
  target?: ParseImageReferenceOptions["target"];
  /** Debian's 5.23.1 build (no atomic transport). */
  debian?: boolean;
}

/** Every region of two policies, compared. */
export function policyRegions(before: Policy, after: Policy, options: RegionOptions = {}): Region[] {
  const union = unionIndex(before, after);
  // Witnesses resolve lexically and never touch the machine: the region, not this host's files, is the question.
  const parse: ParseImageReferenceOptions = { openFile: () => undefined, target: options.target, debian: options.debian };
  const out: Region[] = [];
  const transports = [...new Set([...before.transports, ...after.transports].map((t) => t.name))];
  for (const transport of transports) {
    const scopes = [...(union.scopesOf(transport)?.keys() ?? [])].sort((x, y) => (x === "" ? -1 : y === "" ? 1 : x < y ? -1 : x > y ? 1 : 0));
    for (const scope of scopes) {
      let witness: { text: string; ref: ImageReference } | undefined;
      for (const text of witnessCandidates(transport, scope)) {
        const r = parseImageReference(text, parse);
        if (!r.ok || r.ref.transport !== transport) continue;
        // Confirm it lands exactly in this region: decided by this scope and no more specific one in either policy.
        if (union.lookup(transport, r.ref.identity, r.ref.namespaces)?.scope === scope) {
          witness = { text, ref: r.ref };
          break;
        }
      }
      const o = witness ? lookupSide(before, witness.ref) : reasonedSide(before, transport, scope);
      const n = witness ? lookupSide(after, witness.ref) : reasonedSide(after, transport, scope);
      const region: Region = { transport, scope, witness: witness?.text ?? null, old: o, new: n, classification: compareRequirements(o.requirements, n.requirements) };
      if (!witness) region.reasoned = noWitnessReason(transport, scope, parse);
      out.push(region);
    }
  }
  out.push(globalRegion(before, after, new Set(transports), parse));
  return out;
}

function noWitnessReason(transport: string, scope: string, parse: ParseImageReferenceOptions): string {
  const probe = parseImageReference(`${transport}:x`, parse);
  if (!probe.ok && /not supported in this build|Invalid image name|[Uu]nknown transport/.test(probe.error))
    return `no ${transport}: reference can be built (${probe.error}); decided from the scope sets`;
  return `no ${transport}: reference built falls exactly under ${JSON.stringify(scope)} (perhaps none can: the scope may be unreachable); decided from the scope sets`;
}

/** The global default region: references of a transport neither policy has a section for. */
function globalRegion(before: Policy, after: Policy, sectioned: ReadonlySet<string>, parse: ParseImageReferenceOptions): Region {
  const o = side(null, before.default);
  const n = side(null, after.default);
  const free = KNOWN_TRANSPORTS.find((t) => !sectioned.has(t) && witnessCandidates(t, "").some((c) => parseImageReference(c, parse).ok));
  const witness = free === undefined ? null : witnessCandidates(free, "").find((c) => parseImageReference(c, parse).ok)!;
  const region: Region = { transport: null, scope: "", witness, old: o, new: n, classification: compareRequirements(o.requirements, n.requirements) };
  if (witness === null) region.reasoned = "every transport has a section in one of the policies; the global default decides references of unknown transports and scopes no section matches";
  return region;
}
