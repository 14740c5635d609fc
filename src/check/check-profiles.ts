/**
 * Profiles: `profile laptop { … }` blocks hold defaults, transport blocks, approvals and expectations for one
 * variant of the description. Compiling with a profile checks and lowers the base (every statement outside
 * profiles) with that profile's statements on top: its global default replaces the base's, a scope it gives
 * replaces the base's scope of the same transport and string (in place, so the output keeps the base's order),
 * other scopes are added. Expectations at top level hold for the base and for every profile; those inside a
 * profile only for it. Profiles that are not selected are still checked for names (so a level used only by the
 * laptop profile is not "unused", and a typo in it is reported whichever profile is compiled).
 */
import { didYouMean } from "../diagnostics/did-you-mean.js";
import type { Span } from "../source/source-file.js";
import type * as A from "../syntax/ast.js";
import type { TrustCheckContext } from "./check-context.js";
import { checkLevelBody } from "./check-requirements.js";
import { MODULE_CODES as M } from "./module-codes.js";

/** What a profile may hold. */
const ALLOWED_IN_PROFILE: ReadonlyArray<A.Statement["type"]> = ["default", "transport", "approve", "expect"];

/** One scope or default the selected profile replaces. */
export interface ProfileOverride {
  /** The transport; undefined for the global default. */
  transport?: string;
  /** The scope ("" for a transport default); undefined for the global default. */
  scope?: string;
  /** Where the base gives it. */
  base: Span;
  /** Where the profile gives it. */
  profile: Span;
}

/** The statements to check for one profile (or the base), and the profiles that are not selected. */
export interface ProfileSelection {
  /** The profile compiled, if any (undefined: the base, also when the name is unknown). */
  profile?: string;
  effective: A.Statement[];
  /** Statements that came from the selected profile. */
  fromProfile: Set<A.Statement>;
  /** Every profile name defined, in order of first definition. */
  names: string[];
  /** The profile blocks not compiled (checked for names only: checkOtherProfiles). */
  others: A.ProfileBlock[];
}

/** Every profile name a parsed (and include-resolved) source defines, in order. */
export function profileNames(statements: readonly A.Statement[]): string[] {
  const names: string[] = [];
  for (const s of statements) if (s.type === "profile" && !s.name.recovered && !names.includes(s.name.name)) names.push(s.name.name);
  return names;
}

/** Split statements into the base plus the selected profile; report what profiles may not hold and unknown names. */
export function selectProfile(ctx: TrustCheckContext, statements: A.Statement[], name: string | undefined): ProfileSelection {
  const names = profileNames(statements);
  const base = statements.filter((s) => s.type !== "profile");
  const blocks = statements.filter((s): s is A.ProfileBlock => s.type === "profile");
  for (const b of blocks) {
    for (const s of b.statements) {
      if (s.type === "include" || ALLOWED_IN_PROFILE.includes(s.type)) continue;
      ctx.report(M.notAllowedInProfile, "error", `A profile holds defaults, transport blocks, approvals and expectations; '${s.type}' belongs at the top level, shared by every profile.`, s.span, {
        related: [{ message: `profile '${b.name.name}'`, span: b.name.span }],
      });
    }
  }
  if (name !== undefined && !names.includes(name)) {
    const hint = didYouMean(name, names).trim();
    ctx.report(
      M.unknownProfile,
      "error",
      names.length ? `There is no profile '${name}'; this source defines ${names.map((n) => `'${n}'`).join(", ")}.` : `There is no profile '${name}'; this source defines no profiles.`,
      ctx.source.span(0, 0),
      hint ? { hint } : {},
    );
    name = undefined;
  }
  const others = blocks.filter((b) => name === undefined || b.name.name !== name);
  if (name === undefined) return { effective: base, fromProfile: new Set(), names, others };
  const selected = blocks.filter((b) => b.name.name === name).flatMap((b) => b.statements.filter((s) => ALLOWED_IN_PROFILE.includes(s.type)));
  const profileDefault = selected.find((s): s is A.DefaultDecl => s.type === "default");
  let effective = base;
  if (profileDefault) {
    const baseDefault = base.find((s): s is A.DefaultDecl => s.type === "default");
    if (baseDefault) ctx.overrides.push({ base: baseDefault.span, profile: profileDefault.span });
    effective = base.filter((s) => s.type !== "default");
  }
  return { profile: name, effective: [...effective, ...selected], fromProfile: new Set(selected), names, others };
}

/** Names used by profiles that are not compiled still count as used, and typos in them are still found. */
export function checkOtherProfiles(ctx: TrustCheckContext, selection: ProfileSelection): void {
  for (const b of selection.others) for (const s of b.statements) checkBodiesOnly(ctx, s);
}

function checkBodiesOnly(ctx: TrustCheckContext, s: A.Statement): void {
  if (s.type === "default") checkLevelBody(ctx, s.body);
  else if (s.type === "approve" && s.body) checkLevelBody(ctx, s.body);
  else if (s.type === "transport") {
    const walk = (entries: A.ScopeEntry[]) => {
      for (const e of entries) {
        checkLevelBody(ctx, e.body);
        walk(e.children);
      }
    };
    walk(s.entries);
  }
}
