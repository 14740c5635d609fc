/**
 * CST → AST for the trust language, tolerant of trees the parser recovered: tokens inserted during
 * recovery (NaN offsets) are placed at the end of the previous real token (as Langium does), missing
 * children become `recovered` nodes, and nothing here throws on a partial tree.
 */
import type { CstNode, IToken } from "chevrotain";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile, Span } from "../source/source-file.js";
import type * as A from "./ast.js";
import { LEX_CODES } from "./lexer.js";
import { unescapeString } from "./strings.js";

type Children = Record<string, Array<CstNode | IToken> | undefined>;

function isToken(x: CstNode | IToken): x is IToken {
  return (x as IToken).tokenType !== undefined;
}

/** Builds AST nodes from one file's CST, tracking the last real token seen for inserted tokens. */
class Builder {
  private lastEnd = 0;
  readonly diagnostics: Diagnostic[] = [];
  constructor(private readonly source: SourceFile) {}

  private real(t: IToken | undefined): t is IToken {
    return !!t && !t.isInsertedInRecovery && Number.isFinite(t.startOffset);
  }

  /** The span of a token; inserted or missing tokens get an empty span after the previous real token. */
  tokSpan(t: IToken | undefined): Span {
    if (this.real(t)) {
      const end = (Number.isFinite(t.endOffset) ? t.endOffset! : t.startOffset + t.image.length - 1) + 1;
      this.lastEnd = Math.max(this.lastEnd, end);
      return this.source.span(t.startOffset, end);
    }
    return this.source.span(this.lastEnd, this.lastEnd);
  }

  /** A span from `a` to `b` (both inclusive of their extent). */
  join(a: Span, b: Span): Span {
    return this.source.span(Math.min(a.start, b.start), Math.max(a.end, b.end));
  }

  nodeSpan(n: CstNode | undefined): Span {
    const loc = n?.location;
    if (loc && Number.isFinite(loc.startOffset) && Number.isFinite(loc.endOffset)) {
      return this.source.span(loc.startOffset, loc.endOffset! + 1);
    }
    return this.source.span(this.lastEnd, this.lastEnd);
  }

  isRecovered(n: CstNode | undefined, ...toks: Array<IToken | undefined>): boolean {
    return !n || !!n.recoveredNode || toks.some((t) => !this.real(t));
  }

  name(t: IToken | undefined): A.Name {
    const span = this.tokSpan(t);
    return { name: this.real(t) ? t.image : "", span, recovered: !this.real(t) || undefined };
  }

  str(t: IToken | undefined): A.StringLit {
    const span = this.tokSpan(t);
    if (!this.real(t)) return { value: "", span, recovered: true };
    const { value, problems } = unescapeString(t.image);
    for (const p of problems) {
      this.diagnostics.push({
        code: LEX_CODES.invalidEscape,
        severity: "error",
        message: `Invalid escape in string: ${p.message}.`,
        span: this.source.span(t.startOffset + p.offset, t.startOffset + p.offset + p.length),
      });
    }
    return { value, span };
  }
}

function ch(n: CstNode | undefined): Children {
  return (n?.children ?? {}) as Children;
}
function tok(n: CstNode | undefined, key: string, i = 0): IToken | undefined {
  const x = ch(n)[key]?.[i];
  return x && isToken(x) ? x : undefined;
}
function toks(n: CstNode | undefined, key: string): IToken[] {
  return (ch(n)[key] ?? []).filter(isToken);
}
function sub(n: CstNode | undefined, key: string, i = 0): CstNode | undefined {
  const x = ch(n)[key]?.[i];
  return x && !isToken(x) ? x : undefined;
}
function subs(n: CstNode | undefined, key: string): CstNode[] {
  return (ch(n)[key] ?? []).filter((x): x is CstNode => !isToken(x));
}
/** All children of a node (tokens and nodes) in document order; inserted tokens sort by their neighbours. */
function ordered(n: CstNode | undefined): Array<CstNode | IToken> {
  const groups = Object.values(ch(n));
  // One kind of child (a level body of one term, the common case): already in document order, as each
  // kind's children are in the order they were consumed; the sort below would keep that order.
  if (groups.length === 1) return groups[0] ? groups[0].slice() : [];
  const all: Array<CstNode | IToken> = [];
  for (const arr of groups) if (arr) all.push(...arr);
  const off = (x: CstNode | IToken) => (isToken(x) ? x.startOffset : (x.location?.startOffset ?? NaN));
  return all
    .map((x, i) => ({ x, i, o: off(x) }))
    .sort((a, b) => (Number.isFinite(a.o) && Number.isFinite(b.o) ? a.o - b.o : a.i - b.i))
    .map((e) => e.x);
}

/** Convert a parsed `file` CST into the AST; escape problems in strings come back as diagnostics. */
export function cstToAst(source: SourceFile, cst: CstNode): { ast: A.TrustFile; diagnostics: Diagnostic[] } {
  const b = new Builder(source);
  const statements: A.Statement[] = [];
  for (const st of subs(cst, "statement")) {
    const s = statement(b, st);
    if (s) statements.push(s);
  }
  const ast: A.TrustFile = { statements, span: source.span(0, source.text.length) };
  return { ast, diagnostics: b.diagnostics };
}

function statement(b: Builder, st: CstNode): A.Statement | undefined {
  const c = ch(st);
  if (c.targetDecl) {
    const n = sub(st, "targetDecl")!;
    const kw = b.tokSpan(tok(n, "Kw_target"));
    const version = b.str(tok(n, "StringLiteral"));
    return { type: "target", version, span: b.join(kw, version.span), recovered: b.isRecovered(n) || undefined };
  }
  if (c.keyDecl) return keyDecl(b, sub(st, "keyDecl")!);
  if (c.identityDecl) {
    const n = sub(st, "identityDecl")!;
    const kw = b.tokSpan(tok(n, "Kw_identity"));
    const name = b.name(tok(n, "Name") ?? tok(n, "Reserved"));
    b.tokSpan(tok(n, "Equals"));
    const spec = identitySpec(b, sub(n, "identitySpec"));
    return { type: "identity", name, spec, span: b.join(kw, spec.span), recovered: b.isRecovered(n) || undefined };
  }
  if (c.levelDecl) {
    const n = sub(st, "levelDecl")!;
    const kw = b.tokSpan(tok(n, "Kw_level"));
    const name = b.name(tok(n, "Name") ?? tok(n, "Reserved"));
    b.tokSpan(tok(n, "Equals"));
    const body = levelBody(b, sub(n, "levelBody"));
    return { type: "level", name, body, span: b.join(kw, body.span), recovered: b.isRecovered(n) || undefined };
  }
  if (c.defaultDecl) {
    const n = sub(st, "defaultDecl")!;
    const kw = b.tokSpan(tok(n, "Kw_default"));
    const body = levelBody(b, sub(n, "levelBody"));
    return { type: "default", body, span: b.join(kw, body.span), recovered: b.isRecovered(n) || undefined };
  }
  if (c.transportBlock) return transportBlock(b, sub(st, "transportBlock")!);
  if (c.approveDecl) {
    const n = sub(st, "approveDecl")!;
    const kw = b.tokSpan(tok(n, "Kw_approve"));
    const reference = b.str(tok(n, "StringLiteral", 0));
    const bodyNode = sub(n, "levelBody");
    const body = bodyNode ? levelBody(b, bodyNode) : undefined;
    b.tokSpan(tok(n, "Kw_because"));
    const reason = b.str(tok(n, "StringLiteral", 1));
    let end = reason.span;
    let approver: A.StringLit | undefined;
    if (tok(n, "Kw_by")) {
      b.tokSpan(tok(n, "Kw_by"));
      approver = b.str(tok(n, "StringLiteral", 2));
      end = approver.span;
    }
    let until: A.DateLit | undefined;
    if (tok(n, "Kw_until")) {
      b.tokSpan(tok(n, "Kw_until"));
      const d = tok(n, "DateLiteral");
      const span = b.tokSpan(d);
      until = { value: d && !d.isInsertedInRecovery ? d.image : "", span, recovered: !d || d.isInsertedInRecovery || undefined };
      end = span;
    }
    return {
      type: "approve",
      reference,
      body,
      reason,
      ...(approver ? { approver } : {}),
      ...(until ? { until } : {}),
      span: b.join(kw, end),
      recovered: b.isRecovered(n) || undefined,
    };
  }
  if (c.expectDecl) {
    const n = sub(st, "expectDecl")!;
    const kw = b.tokSpan(tok(n, "Kw_expect"));
    const verdict = tok(n, "Kw_deny") ? "deny" : "allow";
    b.tokSpan(tok(n, "Kw_allow") ?? tok(n, "Kw_deny"));
    const reference = b.str(tok(n, "StringLiteral", 0));
    let scope: A.StringLit | undefined;
    if (tok(n, "Kw_by")) {
      b.tokSpan(tok(n, "Kw_by"));
      scope = b.str(tok(n, "StringLiteral", 1));
    }
    let end = (scope ?? reference).span;
    let evidence: A.ExpectEvidence | undefined;
    const ev = sub(n, "evidenceClause");
    if (ev) {
      const w = b.tokSpan(tok(ev, "Kw_with"));
      b.tokSpan(tok(ev, "Kw_signatures"));
      const signatures = b.str(tok(ev, "StringLiteral", 0));
      evidence = { signatures, span: b.join(w, signatures.span), recovered: b.isRecovered(ev) || undefined };
      if (tok(ev, "Kw_manifest")) {
        b.tokSpan(tok(ev, "Kw_manifest"));
        evidence.manifest = b.str(tok(ev, "StringLiteral", 1));
        evidence.span = b.join(w, evidence.manifest.span);
      }
      end = evidence.span;
    }
    let because: A.ExpectBecause | undefined;
    const bc = sub(n, "becauseClause");
    if (bc) {
      const k = b.tokSpan(tok(bc, "Kw_because"));
      const recovered = b.isRecovered(bc) || undefined;
      if (tok(bc, "Name")) {
        const code = b.name(tok(bc, "Name"));
        because = { kind: "code", code, span: b.join(k, code.span), recovered };
      } else {
        const text = b.str(tok(bc, "StringLiteral"));
        because = { kind: "text", text, span: b.join(k, text.span), recovered };
      }
      end = because.span;
    }
    return {
      type: "expect",
      verdict,
      reference,
      scope,
      ...(evidence ? { evidence } : {}),
      ...(because ? { because } : {}),
      span: b.join(kw, end),
      recovered: b.isRecovered(n) || undefined,
    };
  }
  if (c.signaturesBlock) return signaturesBlock(b, sub(st, "signaturesBlock")!);
  if (c.includeDecl) {
    const n = sub(st, "includeDecl")!;
    const kw = b.tokSpan(tok(n, "Kw_include"));
    const path = b.str(tok(n, "StringLiteral"));
    return { type: "include", path, span: b.join(kw, path.span), recovered: b.isRecovered(n) || undefined };
  }
  if (c.profileBlock) {
    const n = sub(st, "profileBlock")!;
    const kw = b.tokSpan(tok(n, "Kw_profile"));
    const name = b.name(tok(n, "Name") ?? tok(n, "Reserved"));
    b.tokSpan(tok(n, "LCurly"));
    const statements: A.Statement[] = [];
    for (const inner of subs(n, "statement")) {
      const x = statement(b, inner);
      if (x) statements.push(x);
    }
    const end = b.tokSpan(tok(n, "RCurly"));
    return { type: "profile", name, statements, span: b.join(kw, end), recovered: b.isRecovered(n) || undefined };
  }
  return undefined;
}

function keySource(b: Builder, n: CstNode | undefined): A.KeySource {
  const form = tok(n, "Kw_files") ? "files" : tok(n, "Kw_datas") ? "datas" : tok(n, "Kw_data") ? "data" : "file";
  const kw = b.tokSpan(tok(n, "Kw_" + form));
  const values = toks(n, "StringLiteral").map((t) => b.str(t));
  if (values.length === 0 && (form === "file" || form === "data")) values.push(b.str(undefined));
  const end = values.length ? values[values.length - 1].span : kw;
  return { form, values, span: b.join(kw, end), recovered: b.isRecovered(n) || undefined };
}

function keyDecl(b: Builder, n: CstNode): A.KeyDecl {
  const kw = b.tokSpan(tok(n, "Kw_key"));
  const name = b.name(tok(n, "Name") ?? tok(n, "Reserved"));
  const specNode = sub(n, "keySpec");
  const sc = ch(specNode);
  let spec: A.KeySpec;
  if (sc.gpgKey) {
    const g = sub(specNode, "gpgKey")!;
    const k = b.tokSpan(tok(g, "Kw_gpg"));
    let keyType: A.Name | A.StringLit | undefined;
    if (tok(g, "Kw_keytype")) {
      b.tokSpan(tok(g, "Kw_keytype"));
      keyType = tok(g, "Name") ? b.name(tok(g, "Name")) : b.str(tok(g, "StringLiteral"));
    }
    const source = keySource(b, sub(g, "keySource"));
    spec = { kind: "gpg", keyType, source, span: b.join(k, source.span) };
  } else if (sc.sigstoreKey || sc.rekorKey) {
    const kind = sc.sigstoreKey ? "sigstore" : "rekor";
    const g = sub(specNode, kind + "Key")!;
    const k = b.tokSpan(tok(g, kind === "sigstore" ? "Kw_sigstore" : "Kw_rekor"));
    const source = keySource(b, sub(g, "keySource"));
    spec = { kind, source, span: b.join(k, source.span) };
  } else if (sc.fulcioKey || sc.pkiKey) {
    const kind = sc.fulcioKey ? "fulcio" : "pki";
    const g = sub(specNode, kind + "Key")!;
    const k = b.tokSpan(tok(g, kind === "fulcio" ? "Kw_fulcio" : "Kw_pki"));
    const clauses: A.KeyClause[] = [];
    for (const fc of subs(g, kind + "Clause")) {
      // `workflow [prefix|regexp] "URI"` is a sub-rule of its own (issue 12).
      const wf = sub(fc, "workflowClause");
      const cl = wf ?? fc;
      const first = ordered(cl).find(isToken);
      const word = first ? String(first.tokenType.LABEL).slice(1, -1) : "";
      const keywordSpan = b.tokSpan(first);
      let form: "file" | "data" | undefined;
      if (tok(cl, "Kw_file")) form = "file";
      else if (tok(cl, "Kw_data")) form = "data";
      if (form) b.tokSpan(tok(cl, form === "file" ? "Kw_file" : "Kw_data"));
      const match = tok(cl, "Kw_prefix") ? "prefix" : tok(cl, "Kw_regexp") ? "regexp" : undefined;
      if (match) b.tokSpan(tok(cl, match === "prefix" ? "Kw_prefix" : "Kw_regexp"));
      const value = b.str(tok(cl, "StringLiteral"));
      clauses.push({
        clause: word as A.KeyClause["clause"],
        form,
        ...(match ? { match } : {}),
        value,
        keywordSpan,
        span: b.join(keywordSpan, value.span),
        recovered: b.isRecovered(fc) || b.isRecovered(cl) || undefined,
      });
    }
    const end = clauses.length ? clauses[clauses.length - 1].span : k;
    spec = kind === "fulcio" ? { kind, clauses, span: b.join(k, end) } : { kind, clauses, span: b.join(k, end) };
  } else {
    const sp = b.tokSpan(undefined);
    spec = { kind: "sigstore", source: { form: "file", values: [], span: sp, recovered: true }, span: sp, recovered: true };
  }
  return { type: "key", name, spec, span: b.join(kw, spec.span), recovered: b.isRecovered(n) || spec.recovered || undefined };
}

function identitySpec(b: Builder, n: CstNode | undefined): A.IdentitySpec {
  if (tok(n, "Kw_exact")) return { kind: "exact", span: b.tokSpan(tok(n, "Kw_exact")) };
  if (tok(n, "Kw_repoDigestOrExact")) return { kind: "repo-digest-or-exact", span: b.tokSpan(tok(n, "Kw_repoDigestOrExact")) };
  if (tok(n, "Kw_repository")) return { kind: "repository", span: b.tokSpan(tok(n, "Kw_repository")) };
  if (tok(n, "Kw_exactReference")) {
    const k = b.tokSpan(tok(n, "Kw_exactReference"));
    const reference = b.str(tok(n, "StringLiteral"));
    return { kind: "exact-reference", reference, span: b.join(k, reference.span), recovered: reference.recovered };
  }
  if (tok(n, "Kw_exactRepository")) {
    const k = b.tokSpan(tok(n, "Kw_exactRepository"));
    const repository = b.str(tok(n, "StringLiteral"));
    return { kind: "exact-repository", repository, span: b.join(k, repository.span), recovered: repository.recovered };
  }
  if (tok(n, "Kw_remap")) {
    const k = b.tokSpan(tok(n, "Kw_remap"));
    const prefix = b.str(tok(n, "StringLiteral", 0));
    b.tokSpan(tok(n, "Kw_to"));
    const signedPrefix = b.str(tok(n, "StringLiteral", 1));
    return {
      kind: "remap",
      prefix,
      signedPrefix,
      span: b.join(k, signedPrefix.span),
      recovered: prefix.recovered || signedPrefix.recovered || undefined,
    };
  }
  const name = b.name(tok(n, "Name"));
  return { kind: "named", name, span: name.span, recovered: name.recovered };
}

function requirement(b: Builder, n: CstNode | undefined): A.Requirement {
  if (tok(n, "Kw_accept")) return { kind: "accept", span: b.tokSpan(tok(n, "Kw_accept")) };
  if (tok(n, "Kw_reject")) return { kind: "reject", span: b.tokSpan(tok(n, "Kw_reject")) };
  const s = sub(n, "signedRequirement");
  const kw = b.tokSpan(tok(s, "Kw_signed"));
  if (tok(s, "Kw_base")) {
    b.tokSpan(tok(s, "Kw_base"));
    b.tokSpan(tok(s, "Kw_layer"));
    b.tokSpan(tok(s, "Kw_identity"));
    const identity = identitySpec(b, sub(s, "identitySpec"));
    return { kind: "signedBaseLayer", identity, span: b.join(kw, identity.span), recovered: b.isRecovered(s) || undefined };
  }
  b.tokSpan(tok(s, "Kw_by"));
  const key = b.name(tok(s, "Name", 0));
  let end = key.span;
  let rekor: A.Name | undefined;
  if (tok(s, "Kw_with")) {
    b.tokSpan(tok(s, "Kw_with"));
    rekor = b.name(tok(s, "Name", 1));
    end = rekor.span;
  }
  let identity: A.IdentitySpec | undefined;
  if (tok(s, "Kw_identity")) {
    b.tokSpan(tok(s, "Kw_identity"));
    identity = identitySpec(b, sub(s, "identitySpec"));
    end = identity.span;
  }
  return { kind: "signedBy", key, rekor, identity, span: b.join(kw, end), recovered: b.isRecovered(s) || undefined };
}

function levelBody(b: Builder, n: CstNode | undefined): A.LevelBody {
  const terms: A.LevelTerm[] = [];
  for (const x of ordered(n)) {
    if (isToken(x)) {
      b.tokSpan(x);
      continue;
    }
    const r = sub(x, "requirement");
    if (r) {
      const requirement_ = requirement(b, r);
      terms.push({ kind: "requirement", requirement: requirement_, span: requirement_.span, recovered: requirement_.recovered });
    } else {
      const name = b.name(tok(x, "Name"));
      terms.push({ kind: "levelRef", name, span: name.span, recovered: name.recovered });
    }
  }
  if (terms.length === 0) {
    const span = b.tokSpan(undefined);
    return { terms, span, recovered: true };
  }
  return { terms, span: b.join(terms[0].span, terms[terms.length - 1].span), recovered: b.isRecovered(n) || undefined };
}

function enforcedClause(b: Builder, n: CstNode | undefined): A.EnforcedBy | undefined {
  if (!n) return undefined;
  const kw = b.tokSpan(tok(n, "Kw_enforcedBy"));
  const where = tok(n, "Kw_cluster") ? "cluster" : "nodes";
  const w = b.tokSpan(tok(n, where === "cluster" ? "Kw_cluster" : "Kw_nodes"));
  return { where, span: b.join(kw, w), recovered: b.isRecovered(n) || undefined };
}

function scopeEntry(b: Builder, n: CstNode): A.ScopeEntry {
  if (tok(n, "Kw_default")) {
    const defaultSpan = b.tokSpan(tok(n, "Kw_default"));
    const body = levelBody(b, sub(n, "levelBody"));
    return { defaultSpan, body, children: [], span: b.join(defaultSpan, body.span), recovered: b.isRecovered(n) || undefined };
  }
  const scope = b.str(tok(n, "StringLiteral"));
  const body = levelBody(b, sub(n, "levelBody"));
  const enforcedBy = enforcedClause(b, sub(n, "enforcedClause"));
  let end = enforcedBy?.span ?? body.span;
  const children: A.ScopeEntry[] = [];
  if (tok(n, "LCurly")) {
    b.tokSpan(tok(n, "LCurly"));
    for (const c of subs(n, "scopeEntry")) children.push(scopeEntry(b, c));
    end = b.tokSpan(tok(n, "RCurly"));
  }
  return { scope, body, children, ...(enforcedBy ? { enforcedBy } : {}), span: b.join(scope.span, end), recovered: b.isRecovered(n) || undefined };
}

function transportBlock(b: Builder, n: CstNode): A.TransportBlock {
  const start = b.tokSpan(tok(n, "Kw_transport") ?? tok(n, "Name"));
  let name: A.Name | A.StringLit;
  if (tok(n, "Kw_transport")) name = tok(n, "StringLiteral") ? b.str(tok(n, "StringLiteral")) : b.name(tok(n, "Name"));
  else name = { name: tok(n, "Name")?.image ?? "", span: start };
  const enforcedBy = enforcedClause(b, sub(n, "enforcedClause"));
  b.tokSpan(tok(n, "LCurly"));
  const entries = subs(n, "scopeEntry").map((e) => scopeEntry(b, e));
  const rcurly = tok(n, "RCurly");
  const end = b.tokSpan(rcurly);
  const unclosed = !rcurly || !!rcurly.isInsertedInRecovery || !Number.isFinite(rcurly.startOffset);
  return {
    type: "transport",
    name,
    entries,
    ...(enforcedBy ? { enforcedBy } : {}),
    span: b.join(start, end),
    recovered: b.isRecovered(n) || undefined,
    ...(unclosed ? { unclosed: true as const } : {}),
  };
}

function signaturesBlock(b: Builder, n: CstNode): A.SignaturesBlock {
  const kw = b.tokSpan(tok(n, "Kw_signatures"));
  const file = tok(n, "StringLiteral") ? b.str(tok(n, "StringLiteral")) : undefined;
  b.tokSpan(tok(n, "LCurly"));
  const entries: A.StorageEntry[] = [];
  for (const e of subs(n, "storageEntry")) {
    const head = tok(e, "Kw_default") ? b.tokSpan(tok(e, "Kw_default")) : undefined;
    const scope = head ? undefined : b.str(tok(e, "StringLiteral"));
    const settings: A.StorageSetting[] = [];
    for (const s of subs(e, "storageSetting")) {
      if (tok(s, "Kw_attachments")) {
        const no = tok(s, "Kw_no");
        const first = b.tokSpan(no ?? tok(s, "Kw_attachments"));
        const last = no ? b.tokSpan(tok(s, "Kw_attachments")) : first;
        settings.push({ kind: "attachments", value: !no, span: b.join(first, last), recovered: b.isRecovered(s) || undefined });
        continue;
      }
      const first = ordered(s).find(isToken);
      const word = first ? String(first.tokenType.LABEL).slice(1, -1) : "lookaside";
      const k = b.tokSpan(first);
      const url = b.str(tok(s, "StringLiteral"));
      settings.push({
        kind: word as "lookaside" | "staging" | "sigstore" | "sigstore-staging",
        url,
        span: b.join(k, url.span),
        recovered: b.isRecovered(s) || undefined,
      });
    }
    const startSpan = head ?? scope!.span;
    const end = settings.length ? settings[settings.length - 1].span : startSpan;
    entries.push({ scope, settings, span: b.join(startSpan, end), recovered: b.isRecovered(e) || undefined });
  }
  const end = b.tokSpan(tok(n, "RCurly"));
  return { type: "signatures", file, entries, span: b.join(kw, end), recovered: b.isRecovered(n) || undefined };
}
