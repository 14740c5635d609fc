/**
 * The state of one check of a .trust file, shared by the checker's parts (names, keys, identities, requirements,
 * scopes, signature storage): the diagnostics so far, the names declared, the transports flattened, and the
 * helpers every part reports through (`report`, `needFeature`, `resolve`).
 */
import type { Diagnostic, RelatedLocation } from "../diagnostics/diagnostic.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { FEATURES, formatVersion, hasFeature, type Feature, type Version } from "../ir/versions.js";
import type { SourceFile, Span } from "../source/source-file.js";
import type * as A from "../syntax/ast.js";
import { CHECK_CODES as C } from "./codes.js";
import type { FileAccess } from "./key-files.js";
import type { DiagnosticCode } from "../diagnostics/catalogue/index.js";

/** Options of the checker. */
export interface CheckOptions {
  /** Overrides the file's own `target`. */
  target?: Version;
  /** File access for key checks; absent: key files are not looked at. */
  files?: FileAccess;
  /** Directory relative key paths are resolved against (for the existence check only). */
  baseDir?: string;
  /** Checking for an admission controller (compile --target-k8s), not for nodes: workflow identities are allowed (issue 12). */
  admission?: boolean;
}

/** Anything that can be named. */
export type NamedDecl = A.KeyDecl | A.IdentityDecl | A.LevelDecl;

/** A scope of a transport after nesting is resolved. */
export interface FlatScope {
  transport: string;
  /** The full scope string ("" for the transport default). */
  scope: string;
  entry: A.ScopeEntry;
  /** Span of the scope as written (the `default` keyword for ""). */
  keySpan: Span;
}

/** A transport after all its blocks are merged. */
export interface FlatTransport {
  name: string;
  nameSpan: Span;
  span: Span;
  scopes: FlatScope[];
}

/** A requirement after level names are expanded, with the level it came through (for labels). */
export interface ExpandedRequirement {
  requirement: A.Requirement;
  /** The outermost level name the requirement was reached through, if any. */
  level?: string;
}

/** What the checker found, for lowering. */
export interface CheckResult {
  diagnostics: Diagnostic[];
  names: Map<string, NamedDecl>;
  transports: FlatTransport[];
  target?: Version;
  /** Docker scopes made by approvals (normalized digest references) with their statements. */
  approvals: Array<{ scope: string; decl: A.ApproveDecl }>;
}

/** Signature storage of one scope of the signatures block. */
export interface StorageScope {
  entry: A.StorageEntry;
  attachments?: boolean;
  attachmentsSpan?: Span;
}

/** The identity rules written as keywords. */
const IDENTITY_KEYWORDS = ["exact", "repo-digest-or-exact", "repository", "exact-reference", "exact-repository", "remap"];

/** "a gpg key", "an identity rule", "a level": what a name is, for messages. */
export function kindWord(d: NamedDecl): string {
  if (d.type === "key") return `a ${d.spec.kind} key`;
  if (d.type === "identity") return "an identity rule";
  return "a level";
}

/** One check of one .trust file (not the emitter's PolicyValidityChecker, which checks a Policy IR). */
export class TrustCheckContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly names = new Map<string, NamedDecl>();
  readonly used = new Set<string>();
  readonly reportedIdentityCycles = new Set<string>();
  target?: Version;
  hasSignaturesBlock = false;
  storageScopes = new Map<string, StorageScope>();
  storageDefault?: { entry: A.StorageEntry; attachments?: boolean };
  readonly transports: FlatTransport[] = [];
  readonly approvals: Array<{ scope: string; decl: A.ApproveDecl }> = [];
  /** Scopes of each flattened transport by scope string (duplicate checks in O(1) instead of a scan per scope). */
  readonly scopeIndex = new Map<FlatTransport, Map<string, FlatScope>>();

  constructor(
    readonly source: SourceFile,
    readonly options: CheckOptions,
  ) {}

  /** Adds a diagnostic. */
  report(code: DiagnosticCode, severity: Diagnostic["severity"], message: string, span: Span, extra: { hint?: string; related?: RelatedLocation[] } = {}): void {
    const d: Diagnostic = { code, severity, message, span };
    if (extra.hint) d.hint = extra.hint;
    if (extra.related?.length) d.related = extra.related;
    this.diagnostics.push(d);
  }

  /** Reports `feature` at `span` when the target is older than the version that brought it. */
  needFeature(feature: Feature, span: Span, what?: string): void {
    if (!this.target || hasFeature(this.target, feature)) return;
    const f = FEATURES[feature];
    this.report(
      C.featureTooNew,
      "error",
      `${what ?? f.what} needs containers/image ${f.since} or newer, but the target is ${formatVersion(this.target)}.`,
      span,
      { hint: `Raise the target to "${f.since}" or do without ${f.what}.` },
    );
  }

  /** The names declared as `type` (keys: of one of `keyKinds`). */
  namesOf(type: NamedDecl["type"], keyKinds?: string[]): string[] {
    return [...this.names.values()]
      .filter((d) => d.type === type && (!keyKinds || (d.type === "key" && keyKinds.includes(d.spec.kind))))
      .map((d) => d.name.name);
  }

  /** Resolve a name that must be of `type` (and, for keys, one of `keyKinds`). */
  resolve(name: A.Name, type: NamedDecl["type"], what: string, keyKinds?: string[]): NamedDecl | undefined {
    if (name.recovered || name.name === "") return undefined;
    const d = this.names.get(name.name);
    if (!d) {
      // A misspelt keyword reads as a name where names are allowed: suggest the keywords too.
      const keywords = type === "level" ? ["accept", "reject", "signed"] : type === "identity" ? IDENTITY_KEYWORDS : [];
      const hint = didYouMean(name.name, [...this.namesOf(type, keyKinds), ...keywords]).trim();
      this.report(C.undefinedName, "error", `${what} '${name.name}' is not defined.`, name.span, hint ? { hint } : {});
      return undefined;
    }
    this.used.add(name.name);
    if (d.type !== type || (keyKinds && d.type === "key" && !keyKinds.includes(d.spec.kind))) {
      this.report(C.wrongKindOfName, "error", `'${name.name}' is ${kindWord(d)}, but ${/^[aeiou]/i.test(what) ? "an" : "a"} ${what.toLowerCase()} is needed here.`, name.span, {
        related: [{ message: `'${name.name}' is defined here`, span: d.name.span }],
      });
      return undefined;
    }
    return d;
  }
}
