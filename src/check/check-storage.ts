/**
 * Signature storage of a .trust file (the signatures block, lowered to registries.d): duplicate settings, URLs
 * `docker.SignatureStorageBaseURL` would refuse, and sigstore requirements without use-sigstore-attachments
 * (resolved as `registriesDirConfig` resolves it).
 */
import { goParseURL } from "../registries/go-url.js";
import type { Span } from "../source/source-file.js";
import type * as A from "../syntax/ast.js";
import type { TrustCheckContext } from "./check-context.js";
import { expandBody } from "./check-names.js";
import { CHECK_CODES as C } from "./codes.js";
import { attachmentsForScope } from "./scope-ancestors.js";

/** The signatures block: settings given once per scope, valid storage URLs, features the target has. */
export function checkSignatures(ctx: TrustCheckContext, s: A.SignaturesBlock): void {
  ctx.hasSignaturesBlock = true;
  for (const e of s.entries) {
    if (e.recovered && !e.scope) continue;
    const seen = new Map<string, A.StorageSetting>();
    let attachments: boolean | undefined;
    let attachmentsSpan: Span | undefined;
    for (const set of e.settings) {
      const prev = seen.get(set.kind);
      if (prev) {
        ctx.report(C.duplicateStorageSetting, "error", `'${set.kind === "attachments" ? "attachments" : set.kind}' is given twice for this scope.`, set.span, {
          related: [{ message: "first given here", span: prev.span }],
        });
        continue;
      }
      seen.set(set.kind, set);
      if (set.kind === "attachments") {
        attachments = set.value;
        attachmentsSpan = set.span;
        ctx.needFeature("lookaside", set.span, "use-sigstore-attachments");
      } else if (set.kind === "lookaside" || set.kind === "staging") {
        ctx.needFeature("lookaside", set.span, set.kind === "lookaside" ? "lookaside" : "lookaside-staging");
      }
      if (set.kind !== "attachments") {
        // docker.SignatureStorageBaseURL parses the URL on every pull: one net/url refuses fails them all.
        const parsed = goParseURL(set.url.value);
        if (!parsed.ok) {
          ctx.report(C.invalidStorageUrl, "warning", `This URL cannot be used: containers/image fails every pull under it with "Invalid signature storage URL …: ${parsed.error}".`, set.url.span, {
            hint: "percent-encode control characters and spaces (e.g. %09 for a tab)",
          });
        }
      }
    }
    if (!e.scope) {
      if (ctx.storageDefault) {
        ctx.report(C.duplicateStorageDefault, "error", "The signature storage default is given twice.", e.span, {
          related: [{ message: "first given here", span: ctx.storageDefault.entry.span }],
        });
        continue;
      }
      ctx.storageDefault = { entry: e, attachments };
      continue;
    }
    const prev = ctx.storageScopes.get(e.scope.value);
    if (prev) {
      ctx.report(C.duplicateStorageScope, "error", `Signature storage for "${e.scope.value}" is given twice.`, e.scope.span, {
        related: [{ message: "first given here", span: prev.entry.scope!.span }],
      });
      continue;
    }
    ctx.storageScopes.set(e.scope.value, { entry: e, attachments, attachmentsSpan });
  }
}

/** upstream use-sigstore-attachments resolution: first explicit setting on the scope's lookup path, else default-docker. */
export function attachmentsFor(ctx: TrustCheckContext, scope: string): boolean {
  return attachmentsForScope(scope, (s) => ctx.storageScopes.get(s)?.attachments, ctx.storageDefault?.attachments);
}

/** Docker scopes (and the default) that require sigstore signatures must get use-sigstore-attachments (IT2150, the checker owns this finding for .trust sources). */
export function checkSigstoreStorage(ctx: TrustCheckContext, st: A.Statement[]): void {
  // Scopes mostly name one level: its answer is computed once (the names no longer change at this point).
  const byLevel = new Map<string, A.Requirement | undefined>();
  const usesSigstore = (body: A.LevelBody): A.Requirement | undefined => {
    const only = body.terms.length === 1 ? body.terms[0] : undefined;
    if (only?.kind !== "levelRef") return expand(body);
    const name = only.name.name;
    if (byLevel.has(name)) return byLevel.get(name);
    const r = expand(body);
    byLevel.set(name, r);
    return r;
  };
  const expand = (body: A.LevelBody): A.Requirement | undefined => {
    for (const x of expandBody(body, ctx.names)) {
      const r = x.requirement;
      if (r.kind !== "signedBy") continue;
      const d = ctx.names.get(r.key.name);
      if (d?.type === "key" && d.spec.kind !== "gpg") return r;
    }
    return undefined;
  };
  const check = (scope: string, body: A.LevelBody, span: Span, label: string) => {
    const r = usesSigstore(body);
    if (!r || attachmentsFor(ctx, scope)) return;
    const fix = scope === "" ? "default attachments" : `"${scope}" attachments`;
    if (ctx.hasSignaturesBlock) {
      ctx.report(
        C.sigstoreWithoutAttachments,
        "error",
        `${label} requires sigstore signatures, but registries.d does not turn on use-sigstore-attachments for it: every pull would be denied.`,
        span,
        { hint: `Add ${fix} to the signatures block.`, related: [{ message: "the sigstore requirement", span: r.span }] },
      );
    } else {
      ctx.report(
        C.sigstoreAttachmentsUnknown,
        "warning",
        `${label} requires sigstore signatures; make sure registries.d sets use-sigstore-attachments for it (this file has no signatures block).`,
        span,
        { hint: `Describe the storage here: signatures { ${fix} }` },
      );
    }
  };
  const docker = ctx.transports.find((t) => t.name === "docker");
  for (const s of docker?.scopes ?? []) {
    check(s.scope, s.entry.body, s.keySpan, s.scope === "" ? "The docker default" : `Docker scope "${s.scope}"`);
  }
  if (!docker?.scopes.some((s) => s.scope === "")) {
    const d = st.find((s): s is A.DefaultDecl => s.type === "default");
    if (d) check("", d.body, d.span, "The default");
  }
}
