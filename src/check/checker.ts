/**
 * Semantic checks of a parsed .trust file: names (undefined, duplicate, wrong kind, unused, cycles between
 * levels), scopes per transport (as `policyTransportScopesWithTransport.UnmarshalJSON` validates them),
 * keys (clauses, base64, key files), identities (`newPRMExactReference`, `newPRMExactRepository`,
 * `newPRMRemapIdentity`), sigstore/Rekor combinations (`newPRSigstoreSigned`), signature storage
 * (`registriesDirConfig` resolution of use-sigstore-attachments), approvals and target versions.
 * Diagnostics IT2100–IT2499; the result also carries what lowering needs (symbols, flattened scopes).
 *
 * One concern per file: check-context.ts (state, report, resolve), check-names.ts, check-keys.ts,
 * check-identities.ts, check-requirements.ts, check-scopes.ts, check-storage.ts; the upstream constructor rules
 * themselves live in src/ir/constraints.ts.
 */
import { KNOWN_TARGETS, parseVersion } from "../ir/versions.js";
import type { SourceFile } from "../source/source-file.js";
import type * as A from "../syntax/ast.js";
import { TrustCheckContext, type CheckOptions, type CheckResult } from "./check-context.js";
import { checkIdentitySpec } from "./check-identities.js";
import { checkKey, checkKeyFeatures } from "./check-keys.js";
import { checkLevelGraph, checkOutputSize, declareNames, reportUnusedNames } from "./check-names.js";
import { checkLevelBody } from "./check-requirements.js";
import { checkApproval, checkDefaults, checkExpectation, checkTransport } from "./check-scopes.js";
import { checkSignatures, checkSigstoreStorage } from "./check-storage.js";
import { checkExpectationClauses } from "./check-expect-evidence.js";
import { CHECK_CODES as C } from "./codes.js";
import { checkOtherProfiles, selectProfile, type ProfileSelection } from "./check-profiles.js";

export type { CheckOptions, CheckResult, ExpandedRequirement, FlatScope, FlatTransport, NamedDecl } from "./check-context.js";
export { expandBody, MAX_EXPANDED_REQUIREMENTS } from "./check-names.js";

/** Every check of a parsed file, in the order later checks depend on. */
function runChecks(ctx: TrustCheckContext, file: A.TrustFile): ProfileSelection {
  const selection = selectProfile(ctx, file.statements, ctx.options.profile);
  const st = selection.effective;
  const profileOf = (s: A.Statement) => (selection.fromProfile.has(s) ? selection.profile : undefined);
  checkTargets(ctx, st);
  declareNames(ctx, st);
  const levelSizes = checkLevelGraph(ctx);
  checkOutputSize(ctx, st, levelSizes);
  checkOtherProfiles(ctx, selection);
  // Storage first: the sigstore check on scopes needs it.
  for (const s of st) if (s.type === "signatures") checkSignatures(ctx, s);
  for (const s of st) {
    switch (s.type) {
      case "key":
        checkKey(ctx, s);
        break;
      case "identity":
        checkIdentitySpec(ctx, s.spec);
        break;
      case "level":
        checkLevelBody(ctx, s.body);
        break;
      default:
        break;
    }
  }
  checkDefaults(ctx, st);
  for (const s of st) if (s.type === "transport") withProfile(ctx, profileOf(s), () => checkTransport(ctx, s));
  for (const s of st) if (s.type === "approve") withProfile(ctx, profileOf(s), () => checkApproval(ctx, s));
  for (const s of st) if (s.type === "expect") checkExpectation(ctx, s);
  for (const s of st) if (s.type === "expect") checkExpectationClauses(ctx, s);
  checkSigstoreStorage(ctx, st);
  for (const d of ctx.names.values()) if (d.type === "key" && ctx.used.has(d.name.name)) checkKeyFeatures(ctx, d);
  reportUnusedNames(ctx);
  return selection;
}

function withProfile(ctx: TrustCheckContext, profile: string | undefined, f: () => void): void {
  ctx.inProfile = profile;
  try {
    f();
  } finally {
    ctx.inProfile = undefined;
  }
}

/** The `target` statement: given once, a containers/image version; the caller's target overrides it. */
function checkTargets(ctx: TrustCheckContext, st: A.Statement[]): void {
  let first: A.TargetDecl | undefined;
  for (const s of st) {
    if (s.type !== "target") continue;
    if (first) {
      ctx.report(C.duplicateTarget, "error", "The target version is given twice.", s.span, {
        related: [{ message: "first given here", span: first.span }],
      });
      continue;
    }
    first = s;
    if (s.recovered) continue;
    const v = parseVersion(s.version.value);
    if (!v) {
      ctx.report(C.invalidTarget, "error", `"${s.version.value}" is not a containers/image version.`, s.version.span, {
        hint: `Write a version such as ${KNOWN_TARGETS.slice(0, 4).map((k) => `"${k}"`).join(", ")} or "latest".`,
      });
    } else ctx.target = v;
  }
  if (ctx.options.target) ctx.target = ctx.options.target;
}

/** Check a parsed .trust file. */
export function checkTrustFile(source: SourceFile, file: A.TrustFile, options: CheckOptions = {}): CheckResult {
  const c = new TrustCheckContext(source, options);
  const selection = runChecks(c, file);
  c.diagnostics.sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0));
  const result: CheckResult = { diagnostics: c.diagnostics, names: c.names, transports: c.transports, target: c.target, approvals: c.approvals };
  // Only sources with profiles carry these (the result of every other source stays as it was).
  if (selection.names.length > 0 || selection.effective.length !== file.statements.length) {
    result.statements = selection.effective;
    result.profiles = selection.names;
    if (selection.profile !== undefined) {
      result.profile = selection.profile;
      result.overrides = c.overrides;
    }
  }
  return result;
}
