/**
 * The abstract syntax of a .trust file (grammar/trust.ebnf). Every node carries the span it was read
 * from; nodes built from recovered (inserted) tokens carry an empty span at the end of the previous token
 * and `recovered: true`, so the checker can stay quiet about them.
 */
import type { Span } from "../source/source-file.js";

/** Fields every AST node has. */
export interface Node {
  span: Span;
  /** True when the parser invented part of this node while recovering from a syntax error. */
  recovered?: boolean;
}

/** A name (of a key, identity rule, level or transport) as written. */
export interface Name extends Node {
  name: string;
}

/** A string literal, unescaped. */
export interface StringLit extends Node {
  value: string;
}

/** Where a key's bytes come from: `file`, `files`, `data`, `datas`. */
export interface KeySource extends Node {
  form: "file" | "files" | "data" | "datas";
  values: StringLit[];
}

/** `key NAME gpg [keytype T] SOURCE`. */
export interface GpgKeySpec extends Node {
  kind: "gpg";
  keyType?: Name | StringLit;
  source: KeySource;
}
/** `key NAME sigstore SOURCE`: a sigstore (cosign) public key. */
export interface SigstoreKeySpec extends Node {
  kind: "sigstore";
  source: KeySource;
}
/** `key NAME rekor SOURCE`: a Rekor public key. */
export interface RekorKeySpec extends Node {
  kind: "rekor";
  source: KeySource;
}
/** One clause of a fulcio or pki key (`ca file "…"`, `issuer "…"`, `roots data "…"`, …). */
export interface KeyClause extends Node {
  clause: "ca" | "issuer" | "email" | "workflow" | "roots" | "intermediates" | "hostname";
  /** For ca / roots / intermediates: whether the value is a path or base64 data. */
  form?: "file" | "data";
  /** For workflow: how the URI is matched (absent: exactly; `prefix "…"`, `regexp "…"`). */
  match?: "prefix" | "regexp";
  value: StringLit;
  keywordSpan: Span;
}
/** `key NAME fulcio ca file "…" issuer "…" email "…"` (or `workflow [prefix|regexp] "URI"` instead of `email`). */
export interface FulcioKeySpec extends Node {
  kind: "fulcio";
  clauses: KeyClause[];
}
/** `key NAME pki roots file "…" [intermediates …] [email "…"] [hostname "…"]`. */
export interface PkiKeySpec extends Node {
  kind: "pki";
  clauses: KeyClause[];
}
/** Any key specification. */
export type KeySpec = GpgKeySpec | SigstoreKeySpec | RekorKeySpec | FulcioKeySpec | PkiKeySpec;

/** `key NAME SPEC`. */
export interface KeyDecl extends Node {
  type: "key";
  name: Name;
  spec: KeySpec;
}

/** A signedIdentity rule, written in place or by name. */
export type IdentitySpec =
  | (Node & { kind: "exact" })
  | (Node & { kind: "repo-digest-or-exact" })
  | (Node & { kind: "repository" })
  | (Node & { kind: "exact-reference"; reference: StringLit })
  | (Node & { kind: "exact-repository"; repository: StringLit })
  | (Node & { kind: "remap"; prefix: StringLit; signedPrefix: StringLit })
  | (Node & { kind: "named"; name: Name });

/** `identity NAME = SPEC`. */
export interface IdentityDecl extends Node {
  type: "identity";
  name: Name;
  spec: IdentitySpec;
}

/** `accept`, `reject`, `signed by K [with R] [identity I]`, `signed base layer identity I`. */
export type Requirement =
  | (Node & { kind: "accept" })
  | (Node & { kind: "reject" })
  | (Node & { kind: "signedBy"; key: Name; rekor?: Name; identity?: IdentitySpec })
  | (Node & { kind: "signedBaseLayer"; identity: IdentitySpec });

/** One term of a level body: a requirement written in place or another level by name. */
export type LevelTerm = (Node & { kind: "requirement"; requirement: Requirement }) | (Node & { kind: "levelRef"; name: Name });

/** A requirement list: terms joined by `and` / `plus` (concatenation). */
export interface LevelBody extends Node {
  terms: LevelTerm[];
}

/** `level NAME = BODY`. */
export interface LevelDecl extends Node {
  type: "level";
  name: Name;
  body: LevelBody;
}

/** `default BODY` at top level: the global default. */
export interface DefaultDecl extends Node {
  type: "default";
  body: LevelBody;
}

/** `target "5.23"`. */
export interface TargetDecl extends Node {
  type: "target";
  version: StringLit;
}

/** A scope line in a transport block; `scope` is as written (relative under a parent), "" for `default`. */
export interface ScopeEntry extends Node {
  /** The scope string as written; absent for the `default` form. */
  scope?: StringLit;
  /** Span of `default` when the entry is written that way. */
  defaultSpan?: Span;
  body: LevelBody;
  children: ScopeEntry[];
  /** `enforced-by nodes|cluster`: where this scope (and its children) is enforced; absent: both. */
  enforcedBy?: EnforcedBy;
}

/** `enforced-by nodes` / `enforced-by cluster`. */
export interface EnforcedBy extends Node {
  where: "nodes" | "cluster";
}

/** `docker { … }` or `transport "name" { … }`. */
export interface TransportBlock extends Node {
  type: "transport";
  name: Name | StringLit;
  entries: ScopeEntry[];
  /** `enforced-by …` on the block: the default for every entry of it. */
  enforcedBy?: EnforcedBy;
  /** The block lacks its `}` (a syntax error): what follows it may have been meant inside it. */
  unclosed?: true;
}

/** `approve "ref@digest" [BODY] because "reason"`. */
export interface ApproveDecl extends Node {
  type: "approve";
  reference: StringLit;
  body?: LevelBody;
  reason: StringLit;
  /** `by "alice"`: who approved. */
  approver?: StringLit;
  /** `until 2027-03-01`: the last day (UTC) the approval holds. */
  until?: DateLit;
}

/** A `YYYY-MM-DD` date as written. */
export interface DateLit extends Node {
  value: string;
}

/** `include "file.trust"`: the file's statements join this one's (src/check/check-includes.ts). */
export interface IncludeDecl extends Node {
  type: "include";
  path: StringLit;
}

/** `profile NAME { … }`: defaults, scopes, approvals and expectations for one variant (src/check/check-profiles.ts). */
export interface ProfileBlock extends Node {
  type: "profile";
  name: Name;
  statements: Statement[];
}

/**
 * `expect allow|deny "transport:ref" [by "scope"] [with signatures "DIR" [manifest "FILE"]] [because CODE|"text"]`.
 */
export interface ExpectDecl extends Node {
  type: "expect";
  verdict: "allow" | "deny";
  reference: StringLit;
  scope?: StringLit;
  /** `with signatures "DIR" [manifest "FILE"]`: paths as written, relative to this file. */
  evidence?: ExpectEvidence;
  /** `because CODE` (a diagnostic code) or `because "text"` (text the denial's reasons must contain). */
  because?: ExpectBecause;
}

/** `with signatures "DIR" [manifest "FILE"]`. */
export interface ExpectEvidence extends Node {
  signatures: StringLit;
  manifest?: StringLit;
}

/** `because CODE` / `because "text"`. */
export type ExpectBecause = (Node & { kind: "code"; code: Name }) | (Node & { kind: "text"; text: StringLit });

/** One setting of a signature storage entry. */
export type StorageSetting =
  | (Node & { kind: "lookaside" | "staging" | "sigstore" | "sigstore-staging"; url: StringLit })
  | (Node & { kind: "attachments"; value: boolean });

/** `"scope" settings…` or `default settings…` in a signatures block. */
export interface StorageEntry extends Node {
  /** Absent for `default` (registries.d `default-docker`). */
  scope?: StringLit;
  settings: StorageSetting[];
}

/** `signatures ["file.yaml"] { … }`. */
export interface SignaturesBlock extends Node {
  type: "signatures";
  file?: StringLit;
  entries: StorageEntry[];
}

/** Any top-level statement. */
export type Statement =
  | TargetDecl
  | KeyDecl
  | IdentityDecl
  | LevelDecl
  | DefaultDecl
  | TransportBlock
  | ApproveDecl
  | ExpectDecl
  | SignaturesBlock
  | IncludeDecl
  | ProfileBlock;

/** A whole .trust file. */
export interface TrustFile extends Node {
  statements: Statement[];
}
