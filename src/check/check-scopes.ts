/**
 * Scopes of a .trust file: the global default, transport blocks (nesting flattened, scopes validated per transport
 * as `policyTransportScopesWithTransport.UnmarshalJSON` does), approvals (docker scopes by digest) and expectations.
 */
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { parseNormalizedNamed, referenceString } from "../reference/docker-reference.js";
import { KNOWN_TRANSPORTS, validatePolicyScope } from "../reference/scopes.js";
import type { Span } from "../source/source-file.js";
import type * as A from "../syntax/ast.js";
import { STATEMENT_KEYWORDS } from "../syntax/tokens.js";
import type { FlatScope, FlatTransport, TrustCheckContext } from "./check-context.js";
import { checkLevelBody } from "./check-requirements.js";
import { CHECK_CODES as C } from "./codes.js";
import { approvalInForce } from "./check-approvals.js";

/** The global default: given once, and given at all (policy.json needs one). */
export function checkDefaults(ctx: TrustCheckContext, st: A.Statement[]): void {
  let first: A.DefaultDecl | undefined;
  for (const s of st) {
    if (s.type !== "default") continue;
    if (first) {
      // After a block that lacks its `}` (already a syntax error), this default was likely meant inside it: not a follow-on.
      if (afterUnclosedBlock(st, first, s)) continue;
      ctx.report(C.duplicateDefault, "error", "The default is given twice.", s.span, { related: [{ message: "first given here", span: first.span }] });
      continue;
    }
    first = s;
    checkLevelBody(ctx, s.body);
  }
  if (!first) {
    const end = ctx.source.text.length;
    ctx.report(C.missingDefault, "error", "There is no default: policy.json needs one for images no scope matches.", ctx.source.span(end, end), {
      hint: "Add 'default reject' (recommended) and allow what you trust by scope.",
    });
  }
}

/** Whether a transport block lacking its `}` lies between two statements. */
function afterUnclosedBlock(st: A.Statement[], first: A.Statement, second: A.Statement): boolean {
  return st.some((t) => t.type === "transport" && t.unclosed && t.span.start > first.span.start && t.span.start < second.span.start);
}

/** A transport block: unknown transport names (IT2111, the checker owns this finding), nested scopes flattened. */
export function checkTransport(ctx: TrustCheckContext, t: A.TransportBlock): void {
  const name = "name" in t.name ? t.name.name : t.name.value;
  if (t.recovered && name === "") return;
  let flat = ctx.transports.find((x) => x.name === name);
  if (!flat) {
    flat = { name, nameSpan: t.name.span, span: t.span, scopes: [] };
    ctx.transports.push(flat);
    if ("name" in t.name && !(KNOWN_TRANSPORTS as readonly string[]).includes(name)) {
      const hint = didYouMean(name, [...KNOWN_TRANSPORTS, ...STATEMENT_KEYWORDS]).trim();
      ctx.report(C.unknownTransport, "warning", `'${name}' is not a transport containers/image knows; its scopes will never match.`, t.name.span, {
        hint: hint || `Write transport "${name}" to say an unknown transport is meant.`,
      });
    }
  }
  const walk = (entries: A.ScopeEntry[], parent: string | undefined, enforced: A.EnforcedBy | undefined) => {
    for (const e of entries) {
      const enforcedBy = e.enforcedBy ?? enforced;
      let scope: string;
      let keySpan: Span;
      if (e.defaultSpan) {
        keySpan = e.defaultSpan;
        if (parent !== undefined) {
          ctx.report(C.nestedDefault, "error", "'default' belongs at the top of a transport block, not under a scope.", e.defaultSpan);
          continue;
        }
        scope = "";
      } else {
        keySpan = e.scope!.span;
        if (e.scope!.recovered) continue;
        if (parent !== undefined && e.scope!.value === "") {
          ctx.report(C.emptyChildScope, "error", "A nested scope must not be empty.", keySpan);
          continue;
        }
        scope = parent !== undefined ? joinChildScope(name, parent, e.scope!.value) : e.scope!.value;
      }
      checkLevelBody(ctx, e.body);
      const s: FlatScope = { transport: name, scope, entry: e, keySpan };
      if (ctx.inProfile !== undefined) s.profile = ctx.inProfile;
      if (enforcedBy && !enforcedBy.recovered) s.enforcedBy = enforcedBy.where;
      addScope(ctx, flat!, s);
      if (e.children.length) walk(e.children, scope, enforcedBy);
    }
  };
  walk(t.entries, undefined, t.enforcedBy);
}

/** Adds one flattened scope: not twice, valid for its transport (`policyTransportScopesWithTransport.UnmarshalJSON`), wildcards only where the target has them. */
export function addScope(ctx: TrustCheckContext, flat: FlatTransport, s: FlatScope, approval?: A.ApproveDecl): void {
  let index = ctx.scopeIndex.get(flat);
  if (!index) {
    index = new Map();
    ctx.scopeIndex.set(flat, index);
  }
  const prev = index.get(s.scope);
  if (ctx.inProfile !== undefined) s.profile ??= ctx.inProfile;
  if (prev && prev.profile === undefined && s.profile !== undefined) {
    // The selected profile replaces the base's scope, in place (check-profiles.ts).
    ctx.overrides.push({ transport: flat.name, scope: s.scope, base: prev.keySpan, profile: s.keySpan });
    flat.scopes[flat.scopes.indexOf(prev)] = s;
    index.set(s.scope, s);
    return;
  }
  if (prev) {
    ctx.report(
      C.duplicateScope,
      "error",
      s.scope === "" ? `The default of transport '${flat.name}' is given twice.` : `Scope "${s.scope}" of transport '${flat.name}' is given twice.`,
      s.keySpan,
      { related: [{ message: approval ? "also approved here" : "first given here", span: prev.keySpan }] },
    );
    return;
  }
  if (s.scope !== "") {
    const v = validatePolicyScope(flat.name, s.scope);
    if (v.error !== undefined) {
      ctx.report(C.invalidScope, "error", `"${s.scope}" is not a valid ${flat.name} scope: ${v.error}.`, s.keySpan, {
        hint: `containers/image rejects the whole policy with Unknown key "${s.scope}".`,
      });
    }
    if (s.scope.startsWith("*.") && ["docker", "atomic", "docker-daemon"].includes(flat.name)) ctx.needFeature("wildcardScopes", s.keySpan);
  }
  index.set(s.scope, s);
  flat.scopes.push(s);
}

/** An approval: one image by digest, added as a docker scope. */
export function checkApproval(ctx: TrustCheckContext, a: A.ApproveDecl): void {
  if (a.body) checkLevelBody(ctx, a.body);
  if (a.reference.recovered) return;
  if (!approvalInForce(ctx, a)) return;
  const r = parseNormalizedNamed(a.reference.value);
  if (!r.ok) {
    ctx.report(C.approvalInvalidReference, "error", `"${a.reference.value}" is not an image reference: ${r.error}.`, a.reference.span);
    return;
  }
  if (r.ref.digest === undefined) {
    ctx.report(
      C.approvalNotDigest,
      "error",
      `An approval names one image by digest, but "${a.reference.value}" has no digest: a pull by tag never matches an approval by digest.`,
      a.reference.span,
      { hint: `Write the digest the approval is for, e.g. "${r.ref.domain}/${r.ref.path}@sha256:…" (skopeo inspect shows it).` },
    );
    return;
  }
  if (r.ref.tag !== undefined) {
    ctx.report(C.approvalNotDigest, "error", "An approval must not carry both a tag and a digest: docker references with both are not supported.", a.reference.span, {
      hint: `Drop ':${r.ref.tag}'.`,
    });
    return;
  }
  const scope = referenceString(r.ref);
  let docker = ctx.transports.find((x) => x.name === "docker");
  if (!docker) {
    docker = { name: "docker", nameSpan: a.span, span: a.span, scopes: [] };
    ctx.transports.push(docker);
  }
  const before = docker.scopes.length;
  addScope(ctx, docker, { transport: "docker", scope, entry: { body: a.body ?? acceptBody(a), children: [], span: a.span }, keySpan: a.reference.span }, a);
  if (docker.scopes.length > before || ctx.overrides.some((o) => o.transport === "docker" && o.scope === scope)) ctx.approvals.push({ scope, decl: a });
}

/** An expectation: a transport-qualified reference and a scope that exists. */
export function checkExpectation(ctx: TrustCheckContext, e: A.ExpectDecl): void {
  if (e.reference.recovered) return;
  const m = /^([A-Za-z0-9][A-Za-z0-9_-]*):(.*)$/s.exec(e.reference.value);
  if (!m) {
    ctx.report(C.expectationInvalid, "error", `"${e.reference.value}" does not name a transport: write it as skopeo takes it, e.g. "docker://${e.reference.value}".`, e.reference.span);
    return;
  }
  const [, transport, rest] = m;
  // "default" / "<global default>" name policy.json's global default (as `imagetrust test` reads them).
  if (e.scope && !e.scope.recovered && !["", "default", "<global default>"].includes(e.scope.value)) {
    const t = ctx.transports.find((x) => x.name === transport);
    if (!t?.scopes.some((s) => s.scope === e.scope!.value)) {
      const hint = didYouMean(e.scope.value, t?.scopes.map((s) => s.scope).filter((s) => s !== "") ?? []).trim();
      ctx.report(C.expectationUnknownScope, "warning", `No ${transport} scope "${e.scope.value}" is defined, so it can never decide this pull.`, e.scope.span, hint ? { hint } : {});
    }
  }
  if (transport !== "docker" || e.verdict !== "allow" || !rest.startsWith("//")) return;
  // A pull by tag never matches an approval by digest: say so where the expectation expects it to.
  const r = parseNormalizedNamed(rest.slice(2));
  if (!r.ok || r.ref.digest !== undefined) return;
  const name = `${r.ref.domain}/${r.ref.path}@`;
  const approval = ctx.approvals.find((a) => a.scope.startsWith(name));
  if (approval) {
    ctx.report(
      C.expectationTagVersusApproval,
      "info",
      `This pull is by tag, and the approval of ${r.ref.domain}/${r.ref.path} is by digest: a pull by tag never matches an approval by digest.`,
      e.reference.span,
      { related: [{ message: "the approval", span: approval.decl.reference.span }], hint: `Pull by digest: "docker://${approval.scope}".` },
    );
  }
}

function acceptBody(a: A.ApproveDecl): A.LevelBody {
  const span = a.reference.span;
  return { terms: [{ kind: "requirement", requirement: { kind: "accept", span }, span }], span };
}

/**
 * A child scope joined to its parent. containers-storage identities are the store spec immediately followed by the
 * image name, with no slash (`[vfs@/var/lib/containers/storage]docker.io/library/busybox:latest`: storage_reference.go
 * `PolicyConfigurationIdentity` / `PolicyConfigurationNamespaces`), so a child of a bare store scope is joined that way;
 * everywhere else a child is a path below its parent.
 */
export function joinChildScope(transport: string, parent: string, child: string): string {
  if (transport === "containers-storage" && /^\[[^\]]*\]$/.test(parent)) return parent + child;
  return parent + "/" + child;
}
