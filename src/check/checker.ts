/**
 * Semantic checks of a parsed .trust file: names (undefined, duplicate, wrong kind, unused, cycles between
 * levels), scopes per transport (as `policyTransportScopesWithTransport.UnmarshalJSON` validates them),
 * keys (clauses, base64, key files), identities (`newPRMExactReference`, `newPRMExactRepository`,
 * `newPRMRemapIdentity`), sigstore/Rekor combinations (`newPRSigstoreSigned`), signature storage
 * (`registriesDirConfig` resolution of use-sigstore-attachments), approvals and target versions.
 * Diagnostics IT2100–IT2499; the result also carries what lowering needs (symbols, flattened scopes).
 */
import type { Diagnostic, RelatedLocation } from "../diagnostics/diagnostic.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { FEATURES, formatVersion, hasFeature, KNOWN_TARGETS, parseVersion, type Feature, type Version } from "../ir/versions.js";
import { SIGNED_BY_KEY_TYPES } from "../ir/types.js";
import { parseNormalizedNamed, referenceString, validateRemapPrefix, isNameOnly } from "../reference/docker-reference.js";
import { KNOWN_TRANSPORTS, validatePolicyScope } from "../reference/scopes.js";
import type { SourceFile, Span } from "../source/source-file.js";
import type * as A from "../syntax/ast.js";
import { STATEMENT_KEYWORDS } from "../syntax/tokens.js";
import { CHECK_CODES as C } from "./codes.js";
import { decodeBase64, holdsKey, isStdBase64, type FileAccess, type KeyMaterial } from "./key-files.js";
import { attachmentsForScope } from "./scope-ancestors.js";
import { goParseURL } from "../registries/go-url.js";

/** Options of the checker. */
export interface CheckOptions {
  /** Overrides the file's own `target`. */
  target?: Version;
  /** File access for key checks; absent: key files are not looked at. */
  files?: FileAccess;
  /** Directory relative key paths are resolved against (for the existence check only). */
  baseDir?: string;
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

/** The identity rules written as keywords. */
const IDENTITY_KEYWORDS = ["exact", "repo-digest-or-exact", "repository", "exact-reference", "exact-repository", "remap"];

/** Most requirements one list may expand to (levels can double each other). */
export const MAX_EXPANDED_REQUIREMENTS = 10_000;

/** Expand a level body to its requirement list (levels by name concatenated). Assumes no cycles. */
export function expandBody(body: A.LevelBody, names: ReadonlyMap<string, NamedDecl>): ExpandedRequirement[] {
  const out: ExpandedRequirement[] = [];
  const stack: Array<{ terms: A.LevelTerm[]; i: number; level?: string }> = [{ terms: body.terms, i: 0 }];
  const onPath = new Set<string>();
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.i >= top.terms.length) {
      stack.pop();
      if (top.level !== undefined) onPath.delete(top.level);
      continue;
    }
    const t = top.terms[top.i++];
    if (t.kind === "requirement") {
      out.push({ requirement: t.requirement, level: stack.find((s) => s.level !== undefined)?.level });
      if (out.length > MAX_EXPANDED_REQUIREMENTS) return out;
      continue;
    }
    const d = names.get(t.name.name);
    if (!d || d.type !== "level" || onPath.has(d.name.name)) continue;
    onPath.add(d.name.name);
    stack.push({ terms: d.body.terms, i: 0, level: d.name.name });
  }
  return out;
}

function kindWord(d: NamedDecl): string {
  if (d.type === "key") return `a ${d.spec.kind} key`;
  if (d.type === "identity") return "an identity rule";
  return "a level";
}

class Checker {
  readonly diagnostics: Diagnostic[] = [];
  readonly names = new Map<string, NamedDecl>();
  readonly used = new Set<string>();
  readonly reportedIdentityCycles = new Set<string>();
  target?: Version;
  hasSignaturesBlock = false;
  storageScopes = new Map<string, { entry: A.StorageEntry; attachments?: boolean; attachmentsSpan?: Span }>();
  storageDefault?: { entry: A.StorageEntry; attachments?: boolean };
  readonly transports: FlatTransport[] = [];
  readonly approvals: Array<{ scope: string; decl: A.ApproveDecl }> = [];
  /** Scopes of each flattened transport by scope string (duplicate checks in O(1) instead of a scan per scope). */
  readonly scopeIndex = new Map<FlatTransport, Map<string, FlatScope>>();

  constructor(
    readonly source: SourceFile,
    readonly options: CheckOptions,
  ) {}

  report(code: string, severity: Diagnostic["severity"], message: string, span: Span, extra: { hint?: string; related?: RelatedLocation[] } = {}): void {
    const d: Diagnostic = { code, severity, message, span };
    if (extra.hint) d.hint = extra.hint;
    if (extra.related?.length) d.related = extra.related;
    this.diagnostics.push(d);
  }

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

  run(file: A.TrustFile): void {
    const st = file.statements;
    this.targets(st);
    this.declare(st);
    this.levelGraph();
    // Storage first: the sigstore check on scopes needs it.
    for (const s of st) if (s.type === "signatures") this.signatures(s);
    for (const s of st) {
      switch (s.type) {
        case "key":
          this.key(s);
          break;
        case "identity":
          this.identitySpec(s.spec);
          break;
        case "level":
          this.body(s.body);
          break;
        default:
          break;
      }
    }
    this.defaults(st);
    for (const s of st) if (s.type === "transport") this.transport(s);
    for (const s of st) if (s.type === "approve") this.approve(s);
    for (const s of st) if (s.type === "expect") this.expect(s);
    this.sigstoreStorage(st);
    for (const d of this.names.values()) if (d.type === "key" && this.used.has(d.name.name)) this.keyFeatures(d);
    this.unused();
  }

  targets(st: A.Statement[]): void {
    let first: A.TargetDecl | undefined;
    for (const s of st) {
      if (s.type !== "target") continue;
      if (first) {
        this.report(C.duplicateTarget, "error", "The target version is given twice.", s.span, {
          related: [{ message: "first given here", span: first.span }],
        });
        continue;
      }
      first = s;
      if (s.recovered) continue;
      const v = parseVersion(s.version.value);
      if (!v) {
        this.report(C.invalidTarget, "error", `"${s.version.value}" is not a containers/image version.`, s.version.span, {
          hint: `Write a version such as ${KNOWN_TARGETS.slice(0, 4).map((k) => `"${k}"`).join(", ")} or "latest".`,
        });
      } else this.target = v;
    }
    if (this.options.target) this.target = this.options.target;
  }

  declare(st: A.Statement[]): void {
    for (const s of st) {
      if (s.type !== "key" && s.type !== "identity" && s.type !== "level") continue;
      if (s.name.recovered || s.name.name === "") continue;
      const prev = this.names.get(s.name.name);
      if (prev) {
        this.report(C.duplicateName, "error", `'${s.name.name}' is already defined (as ${kindWord(prev)}).`, s.name.span, {
          related: [{ message: `'${s.name.name}' first defined here`, span: prev.name.span }],
        });
        continue;
      }
      this.names.set(s.name.name, s);
    }
  }

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

  levelGraph(): void {
    // Iterative DFS over level references: report each cycle once, at the level that closes it.
    const color = new Map<string, 0 | 1 | 2>();
    const size = new Map<string, number>();
    const levels = [...this.names.values()].filter((d): d is A.LevelDecl => d.type === "level");
    const refsOf = (l: A.LevelDecl) =>
      l.body.terms.filter((t): t is A.LevelTerm & { kind: "levelRef" } => t.kind === "levelRef").map((t) => t.name);
    for (const root of levels) {
      if (color.get(root.name.name)) continue;
      const stack: Array<{ level: A.LevelDecl; refs: A.Name[]; i: number }> = [{ level: root, refs: refsOf(root), i: 0 }];
      color.set(root.name.name, 1);
      while (stack.length) {
        const top = stack[stack.length - 1];
        if (top.i < top.refs.length) {
          const ref = top.refs[top.i++];
          const d = this.names.get(ref.name);
          if (!d || d.type !== "level") continue;
          const c = color.get(d.name.name) ?? 0;
          if (c === 1) {
            const from = stack.findIndex((f) => f.level === d);
            const path = stack.slice(from).map((f) => f.level.name.name);
            this.report(C.levelCycle, "error", `Level '${d.name.name}' is defined in terms of itself: ${[...path, d.name.name].join(" → ")}.`, ref.span, {
              related: stack.slice(from).map((f) => ({ message: `level '${f.level.name.name}' is defined here`, span: f.level.name.span })),
              hint: "A level can build on another only if that one does not, directly or not, build on it.",
            });
            size.set(d.name.name, 0);
            continue;
          }
          if (c === 0) {
            color.set(d.name.name, 1);
            stack.push({ level: d, refs: refsOf(d), i: 0 });
          }
          continue;
        }
        stack.pop();
        color.set(top.level.name.name, 2);
        let n = 0;
        for (const t of top.level.body.terms) {
          if (t.kind === "requirement") n++;
          else {
            const d = this.names.get(t.name.name);
            if (d?.type === "level") n += size.get(d.name.name) ?? 0;
          }
        }
        if (n > MAX_EXPANDED_REQUIREMENTS && !(size.get(top.level.name.name)! > MAX_EXPANDED_REQUIREMENTS)) {
          this.report(C.levelTooLarge, "error", `Level '${top.level.name.name}' expands to more than ${MAX_EXPANDED_REQUIREMENTS} requirements.`, top.level.name.span);
        }
        size.set(top.level.name.name, Math.min(n, MAX_EXPANDED_REQUIREMENTS + 1));
      }
    }
  }

  keySourceValues(src: A.KeySource, material: KeyMaterial, what: string, emptyListIsError: boolean): void {
    if (src.values.length === 0 && !src.recovered) {
      if (emptyListIsError) {
        this.report(C.emptyKeyValue, "error", `'${src.form}' needs at least one value ("${src.form === "files" ? "keyPaths" : "keyDatas"}" contains no entries).`, src.span);
      } else {
        this.report(C.emptyKeyValue, "warning", `'${src.form}' lists nothing: the policy loads, but every signature is rejected (No public keys imported).`, src.span);
      }
    }
    for (const v of src.values) {
      if (v.recovered) continue;
      if (src.form === "data" || src.form === "datas") this.data(v, material, what);
      else this.path(v, material, what, src.form === "files");
    }
  }

  data(v: A.StringLit, material: KeyMaterial, what: string): void {
    if (!isStdBase64(v.value)) {
      this.report(C.invalidBase64, "error", `The ${what} data is not standard base64 (with '=' padding).`, v.span, {
        hint: "Inline key data is the key file's bytes in base64, e.g. the output of `base64 -w0 key.gpg`.",
      });
      return;
    }
    if (v.value !== "" && !holdsKey(decodeBase64(v.value), material)) {
      this.report(C.keyFileHoldsNoKey, "warning", `The ${what} data does not look like ${materialWords(material)}.`, v.span);
    }
  }

  path(v: A.StringLit, material: KeyMaterial, what: string, inList = false): void {
    if (v.value === "") {
      // Upstream treats a lone empty path as absent (an error); inside a list it parses, then fails to read.
      this.report(C.emptyKeyValue, inList ? "warning" : "error", `The ${what} file name is empty.`, v.span);
      return;
    }
    let p = v.value;
    if (!p.startsWith("/")) {
      this.report(C.relativeKeyPath, "warning", `The ${what} path "${p}" is relative: the runtime resolves it against its own working directory.`, v.span, {
        hint: "Use an absolute path.",
      });
      if (this.options.baseDir) p = this.options.baseDir.replace(/\/$/, "") + "/" + p;
    }
    const fs = this.options.files;
    if (!fs) return;
    if (!fs.fileExists(p)) {
      this.report(C.keyFileMissing, "warning", `The ${what} file "${v.value}" does not exist here.`, v.span, {
        hint: "Every host that loads the policy needs this file; install it there (or check the path).",
      });
      return;
    }
    const bytes = fs.readFile(p);
    if (bytes && !holdsKey(bytes, material)) {
      this.report(C.keyFileHoldsNoKey, "warning", `The ${what} file "${v.value}" does not hold ${materialWords(material)}.`, v.span);
    }
  }

  key(k: A.KeyDecl): void {
    const spec = k.spec;
    if (spec.recovered) return;
    switch (spec.kind) {
      case "gpg": {
        if (spec.keyType && !spec.keyType.recovered) {
          const t = "name" in spec.keyType ? spec.keyType.name : spec.keyType.value;
          if (!(SIGNED_BY_KEY_TYPES as readonly string[]).includes(t)) {
            const hint = didYouMean(t, SIGNED_BY_KEY_TYPES).trim();
            this.report(C.invalidKeyType, "error", `'${t}' is not a signedBy keyType (${SIGNED_BY_KEY_TYPES.join(", ")}).`, spec.keyType.span, hint ? { hint } : {});
          }
        }
        if (spec.source.form === "datas") {
          this.report(C.keySourceNotAllowed, "error", "A gpg key takes one 'data' value (signedBy has keyData but no keyDatas).", spec.source.span, {
            hint: "Concatenate the keyrings into one and give its base64 with 'data', or use 'files'.",
          });
        }
        this.keySourceValues(spec.source, "gpg", "GPG key", false);
        return;
      }
      case "sigstore":
      case "rekor": {
        this.keySourceValues(spec.source, "publicKey", spec.kind === "sigstore" ? "sigstore public key" : "Rekor public key", true);
        return;
      }
      case "fulcio":
      case "pki": {
        this.clauses(k, spec);
        return;
      }
    }
  }

  /** Target-version checks of a key, for keys some requirement uses (unused keys never reach policy.json). */
  keyFeatures(k: A.KeyDecl): void {
    const spec = k.spec;
    if (spec.recovered) return;
    switch (spec.kind) {
      case "gpg":
        if (spec.source.form === "files") this.needFeature("signedByKeyPaths", spec.source.span);
        return;
      case "sigstore":
      case "rekor":
        this.needFeature(spec.kind === "sigstore" ? "sigstoreSigned" : "rekorPublicKey", spec.span);
        if (spec.source.form === "files" || spec.source.form === "datas") this.needFeature("sigstoreKeyLists", spec.source.span);
        return;
      default:
        this.needFeature(spec.kind, spec.span);
    }
  }

  clauses(k: A.KeyDecl, spec: A.FulcioKeySpec | A.PkiKeySpec): void {
    const seen = new Map<string, A.KeyClause>();
    for (const c of spec.clauses) {
      if (c.recovered) continue;
      const prev = seen.get(c.clause);
      if (prev) {
        this.report(C.duplicateKeyClause, "error", `'${c.clause}' is given twice for key '${k.name.name}'.`, c.keywordSpan, {
          related: [{ message: "first given here", span: prev.keywordSpan }],
        });
        continue;
      }
      seen.set(c.clause, c);
      if (c.form === "file") this.path(c.value, "certificate", c.clause === "ca" ? "Fulcio CA" : `PKI ${c.clause}`);
      else if (c.form === "data") this.data(c.value, "certificate", c.clause === "ca" ? "Fulcio CA" : `PKI ${c.clause}`);
      else if (c.value.value === "") this.report(C.emptyKeyValue, "error", `'${c.clause}' must not be empty.`, c.value.span);
    }
    const required = spec.kind === "fulcio" ? ["ca", "issuer", "email"] : ["roots"];
    const example: Record<string, string> = {
      ca: 'ca file "/etc/pki/containers/fulcio.pem"',
      issuer: 'issuer "https://token.actions.githubusercontent.com"',
      email: 'email "release@example.com"',
      roots: 'roots file "/etc/pki/containers/root-ca.pem"',
    };
    for (const r of required) {
      if (!seen.has(r)) {
        this.report(C.keyClauseMissing, "error", `${spec.kind === "fulcio" ? "A Fulcio" : "A PKI"} key needs '${r}'.`, k.name.span, {
          hint: `Add ${example[r]}.`,
        });
      }
    }
    if (spec.kind === "pki" && !seen.has("email") && !seen.has("hostname")) {
      this.report(C.keyClauseMissing, "error", "A PKI key needs 'email' or 'hostname' (or both): the subject the certificate must name.", k.name.span);
    }
  }

  identitySpec(spec: A.IdentitySpec): void {
    if (spec.recovered) return;
    switch (spec.kind) {
      case "named": {
        const d = this.resolve(spec.name, "identity", "Identity rule");
        // Named rules may name other rules; a chain that comes back to where it started has no meaning.
        const seen = new Set<string>();
        for (let cur = d; cur?.type === "identity" && cur.spec.kind === "named"; cur = this.names.get(cur.spec.name.name)) {
          if (seen.has(cur.name.name)) {
            if (![...seen].some((n) => this.reportedIdentityCycles.has(n))) {
              for (const n of seen) this.reportedIdentityCycles.add(n);
              this.report(C.identityCycle, "error", `Identity rule '${cur.name.name}' is defined in terms of itself: ${[...seen, cur.name.name].join(" → ")}.`, cur.name.span);
            }
            break;
          }
          seen.add(cur.name.name);
        }
        return;
      }
      case "exact-reference": {
        const r = parseNormalizedNamed(spec.reference.value);
        if (!r.ok) {
          this.report(C.invalidIdentityReference, "error", `Invalid format of dockerReference "${spec.reference.value}": ${r.error}.`, spec.reference.span);
        } else if (isNameOnly(r.ref)) {
          this.report(C.invalidIdentityReference, "error", `dockerReference "${spec.reference.value}" contains neither a tag nor digest.`, spec.reference.span, {
            hint: "exact-reference names one image (name:tag or name@digest); for a whole repository use exact-repository.",
          });
        }
        return;
      }
      case "exact-repository": {
        const r = parseNormalizedNamed(spec.repository.value);
        if (!r.ok) this.report(C.invalidIdentityReference, "error", `Invalid format of dockerRepository "${spec.repository.value}": ${r.error}.`, spec.repository.span);
        return;
      }
      case "remap":
        this.needFeature("remapIdentity", spec.span);
        for (const p of [spec.prefix, spec.signedPrefix]) {
          if (!validateRemapPrefix(p.value)) {
            this.report(C.invalidRemapPrefix, "error", `prefix "${p.value}" is not valid: it must be a host[:port] or start with one followed by '/'.`, p.span, {
              hint: 'e.g. remap "mirror.example:5000/vendor" to "registry.vendor.example"',
            });
          }
        }
        return;
      default:
        return;
    }
  }

  body(b: A.LevelBody): void {
    for (const t of b.terms) {
      if (t.recovered && t.kind === "levelRef") continue;
      if (t.kind === "levelRef") {
        this.resolve(t.name, "level", "Level");
        continue;
      }
      const r = t.requirement;
      if (r.kind === "signedBaseLayer") this.identitySpec(r.identity);
      if (r.kind !== "signedBy") continue;
      const key = this.resolve(r.key, "key", "Key", ["gpg", "sigstore", "fulcio", "pki"]) as A.KeyDecl | undefined;
      if (r.rekor) this.resolve(r.rekor, "key", "Rekor key", ["rekor"]);
      if (r.identity) this.identitySpec(r.identity);
      if (!key) continue;
      if (r.rekor && (key.spec.kind === "gpg" || key.spec.kind === "pki")) {
        this.report(
          C.rekorNotAllowed,
          "error",
          key.spec.kind === "gpg"
            ? `'with ${r.rekor.name}' does not apply to GPG key '${key.name.name}': Rekor checks only sigstore signatures.`
            : "Rekor public keys are not supported with a PKI key.",
          r.rekor.span,
        );
      }
      if (!r.rekor && key.spec.kind === "fulcio") {
        const rekors = this.namesOf("key", ["rekor"]);
        this.report(C.rekorRequired, "error", `Fulcio key '${key.name.name}' needs a Rekor key: write 'signed by ${key.name.name} with REKOR'.`, r.span, {
          hint: rekors.length ? `e.g. 'signed by ${key.name.name} with ${rekors[0]}'` : 'declare one: key rekor rekor file "/etc/pki/containers/rekor.pub"',
        });
      }
    }
  }

  defaults(st: A.Statement[]): void {
    let first: A.DefaultDecl | undefined;
    for (const s of st) {
      if (s.type !== "default") continue;
      if (first) {
        this.report(C.duplicateDefault, "error", "The default is given twice.", s.span, { related: [{ message: "first given here", span: first.span }] });
        continue;
      }
      first = s;
      this.body(s.body);
    }
    if (!first) {
      const end = this.source.text.length;
      this.report(C.missingDefault, "error", "There is no default: policy.json needs one for images no scope matches.", this.source.span(end, end), {
        hint: "Add 'default reject' (recommended) and allow what you trust by scope.",
      });
    }
  }

  transport(t: A.TransportBlock): void {
    const name = "name" in t.name ? t.name.name : t.name.value;
    if (t.recovered && name === "") return;
    let flat = this.transports.find((x) => x.name === name);
    if (!flat) {
      flat = { name, nameSpan: t.name.span, span: t.span, scopes: [] };
      this.transports.push(flat);
      if ("name" in t.name && !(KNOWN_TRANSPORTS as readonly string[]).includes(name)) {
        const hint = didYouMean(name, [...KNOWN_TRANSPORTS, ...STATEMENT_KEYWORDS]).trim();
        this.report(C.unknownTransport, "warning", `'${name}' is not a transport containers/image knows; its scopes will never match.`, t.name.span, {
          hint: hint || `Write transport "${name}" to say an unknown transport is meant.`,
        });
      }
    }
    const walk = (entries: A.ScopeEntry[], parent: string | undefined) => {
      for (const e of entries) {
        let scope: string;
        let keySpan: Span;
        if (e.defaultSpan) {
          keySpan = e.defaultSpan;
          if (parent !== undefined) {
            this.report(C.nestedDefault, "error", "'default' belongs at the top of a transport block, not under a scope.", e.defaultSpan);
            continue;
          }
          scope = "";
        } else {
          keySpan = e.scope!.span;
          if (e.scope!.recovered) continue;
          if (parent !== undefined && e.scope!.value === "") {
            this.report(C.emptyChildScope, "error", "A nested scope must not be empty.", keySpan);
            continue;
          }
          scope = parent !== undefined ? parent + "/" + e.scope!.value : e.scope!.value;
        }
        this.body(e.body);
        this.addScope(flat!, { transport: name, scope, entry: e, keySpan });
        if (e.children.length) walk(e.children, scope);
      }
    };
    walk(t.entries, undefined);
  }

  addScope(flat: FlatTransport, s: FlatScope, approval?: A.ApproveDecl): void {
    let index = this.scopeIndex.get(flat);
    if (!index) {
      index = new Map();
      this.scopeIndex.set(flat, index);
    }
    const prev = index.get(s.scope);
    if (prev) {
      this.report(
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
        this.report(C.invalidScope, "error", `"${s.scope}" is not a valid ${flat.name} scope: ${v.error}.`, s.keySpan, {
          hint: `containers/image rejects the whole policy with Unknown key "${s.scope}".`,
        });
      }
      if (s.scope.startsWith("*.") && ["docker", "atomic", "docker-daemon"].includes(flat.name)) this.needFeature("wildcardScopes", s.keySpan);
    }
    index.set(s.scope, s);
    flat.scopes.push(s);
  }

  approve(a: A.ApproveDecl): void {
    if (a.body) this.body(a.body);
    if (a.reference.recovered) return;
    const r = parseNormalizedNamed(a.reference.value);
    if (!r.ok) {
      this.report(C.approvalInvalidReference, "error", `"${a.reference.value}" is not an image reference: ${r.error}.`, a.reference.span);
      return;
    }
    if (r.ref.digest === undefined) {
      this.report(
        C.approvalNotDigest,
        "error",
        `An approval names one image by digest, but "${a.reference.value}" has no digest: a pull by tag never matches an approval by digest.`,
        a.reference.span,
        { hint: `Write the digest the approval is for, e.g. "${r.ref.domain}/${r.ref.path}@sha256:…" (skopeo inspect shows it).` },
      );
      return;
    }
    if (r.ref.tag !== undefined) {
      this.report(C.approvalNotDigest, "error", "An approval must not carry both a tag and a digest: docker references with both are not supported.", a.reference.span, {
        hint: `Drop ':${r.ref.tag}'.`,
      });
      return;
    }
    const scope = referenceString(r.ref);
    let docker = this.transports.find((x) => x.name === "docker");
    if (!docker) {
      docker = { name: "docker", nameSpan: a.span, span: a.span, scopes: [] };
      this.transports.push(docker);
    }
    const before = docker.scopes.length;
    this.addScope(docker, { transport: "docker", scope, entry: { body: a.body ?? acceptBody(a), children: [], span: a.span }, keySpan: a.reference.span }, a);
    if (docker.scopes.length > before) this.approvals.push({ scope, decl: a });
  }

  expect(e: A.ExpectDecl): void {
    if (e.reference.recovered) return;
    const m = /^([A-Za-z0-9][A-Za-z0-9_-]*):(.*)$/s.exec(e.reference.value);
    if (!m) {
      this.report(C.expectationInvalid, "error", `"${e.reference.value}" does not name a transport: write it as skopeo takes it, e.g. "docker://${e.reference.value}".`, e.reference.span);
      return;
    }
    const [, transport, rest] = m;
    // "default" / "<global default>" name policy.json's global default (as `imagetrust test` reads them).
    if (e.scope && !e.scope.recovered && !["", "default", "<global default>"].includes(e.scope.value)) {
      const t = this.transports.find((x) => x.name === transport);
      if (!t?.scopes.some((s) => s.scope === e.scope!.value)) {
        const hint = didYouMean(e.scope.value, t?.scopes.map((s) => s.scope).filter((s) => s !== "") ?? []).trim();
        this.report(C.expectationUnknownScope, "warning", `No ${transport} scope "${e.scope.value}" is defined, so it can never decide this pull.`, e.scope.span, hint ? { hint } : {});
      }
    }
    if (transport !== "docker" || e.verdict !== "allow" || !rest.startsWith("//")) return;
    // A pull by tag never matches an approval by digest: say so where the expectation expects it to.
    const r = parseNormalizedNamed(rest.slice(2));
    if (!r.ok || r.ref.digest !== undefined) return;
    const name = `${r.ref.domain}/${r.ref.path}@`;
    const approval = this.approvals.find((a) => a.scope.startsWith(name));
    if (approval) {
      this.report(
        C.expectationTagVersusApproval,
        "info",
        `This pull is by tag, and the approval of ${r.ref.domain}/${r.ref.path} is by digest: a pull by tag never matches an approval by digest.`,
        e.reference.span,
        { related: [{ message: "the approval", span: approval.decl.reference.span }], hint: `Pull by digest: "docker://${approval.scope}".` },
      );
    }
  }

  signatures(s: A.SignaturesBlock): void {
    this.hasSignaturesBlock = true;
    for (const e of s.entries) {
      if (e.recovered && !e.scope) continue;
      const seen = new Map<string, A.StorageSetting>();
      let attachments: boolean | undefined;
      let attachmentsSpan: Span | undefined;
      for (const set of e.settings) {
        const prev = seen.get(set.kind);
        if (prev) {
          this.report(C.duplicateStorageSetting, "error", `'${set.kind === "attachments" ? "attachments" : set.kind}' is given twice for this scope.`, set.span, {
            related: [{ message: "first given here", span: prev.span }],
          });
          continue;
        }
        seen.set(set.kind, set);
        if (set.kind === "attachments") {
          attachments = set.value;
          attachmentsSpan = set.span;
          this.needFeature("lookaside", set.span, "use-sigstore-attachments");
        } else if (set.kind === "lookaside" || set.kind === "staging") {
          this.needFeature("lookaside", set.span, set.kind === "lookaside" ? "lookaside" : "lookaside-staging");
        }
        if (set.kind !== "attachments") {
          // docker.SignatureStorageBaseURL parses the URL on every pull: one net/url refuses fails them all.
          const parsed = goParseURL(set.url.value);
          if (!parsed.ok) {
            this.report(C.invalidStorageUrl, "warning", `This URL cannot be used: containers/image fails every pull under it with "Invalid signature storage URL …: ${parsed.error}".`, set.url.span, {
              hint: "percent-encode control characters and spaces (e.g. %09 for a tab)",
            });
          }
        }
      }
      if (!e.scope) {
        if (this.storageDefault) {
          this.report(C.duplicateStorageDefault, "error", "The signature storage default is given twice.", e.span, {
            related: [{ message: "first given here", span: this.storageDefault.entry.span }],
          });
          continue;
        }
        this.storageDefault = { entry: e, attachments };
        continue;
      }
      const prev = this.storageScopes.get(e.scope.value);
      if (prev) {
        this.report(C.duplicateStorageScope, "error", `Signature storage for "${e.scope.value}" is given twice.`, e.scope.span, {
          related: [{ message: "first given here", span: prev.entry.scope!.span }],
        });
        continue;
      }
      this.storageScopes.set(e.scope.value, { entry: e, attachments, attachmentsSpan });
    }
  }

  /** upstream use-sigstore-attachments resolution: first explicit setting on the scope's lookup path, else default-docker. */
  attachmentsFor(scope: string): boolean {
    return attachmentsForScope(scope, (s) => this.storageScopes.get(s)?.attachments, this.storageDefault?.attachments);
  }

  sigstoreStorage(st: A.Statement[]): void {
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
      for (const x of expandBody(body, this.names)) {
        const r = x.requirement;
        if (r.kind !== "signedBy") continue;
        const d = this.names.get(r.key.name);
        if (d?.type === "key" && d.spec.kind !== "gpg") return r;
      }
      return undefined;
    };
    const check = (scope: string, body: A.LevelBody, span: Span, label: string) => {
      const r = usesSigstore(body);
      if (!r || this.attachmentsFor(scope)) return;
      const fix = scope === "" ? "default attachments" : `"${scope}" attachments`;
      if (this.hasSignaturesBlock) {
        this.report(
          C.sigstoreWithoutAttachments,
          "error",
          `${label} requires sigstore signatures, but registries.d does not turn on use-sigstore-attachments for it: every pull would be denied.`,
          span,
          { hint: `Add ${fix} to the signatures block.`, related: [{ message: "the sigstore requirement", span: r.span }] },
        );
      } else {
        this.report(
          C.sigstoreAttachmentsUnknown,
          "warning",
          `${label} requires sigstore signatures; make sure registries.d sets use-sigstore-attachments for it (this file has no signatures block).`,
          span,
          { hint: `Describe the storage here: signatures { ${fix} }` },
        );
      }
    };
    const docker = this.transports.find((t) => t.name === "docker");
    for (const s of docker?.scopes ?? []) {
      check(s.scope, s.entry.body, s.keySpan, s.scope === "" ? "The docker default" : `Docker scope "${s.scope}"`);
    }
    if (!docker?.scopes.some((s) => s.scope === "")) {
      const d = st.find((s): s is A.DefaultDecl => s.type === "default");
      if (d) check("", d.body, d.span, "The default");
    }
  }

  unused(): void {
    for (const d of this.names.values()) {
      if (this.used.has(d.name.name)) continue;
      this.report(C.unusedName, "warning", `'${d.name.name}' (${kindWord(d)}) is never used.`, d.name.span);
    }
  }
}

function acceptBody(a: A.ApproveDecl): A.LevelBody {
  const span = a.reference.span;
  return { terms: [{ kind: "requirement", requirement: { kind: "accept", span }, span }], span };
}

function materialWords(m: KeyMaterial): string {
  return m === "gpg" ? "an OpenPGP public key" : m === "publicKey" ? "a PEM public key" : "a PEM certificate";
}

/** Check a parsed .trust file. */
export function checkTrustFile(source: SourceFile, file: A.TrustFile, options: CheckOptions = {}): CheckResult {
  const c = new Checker(source, options);
  c.run(file);
  c.diagnostics.sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0));
  return { diagnostics: c.diagnostics, names: c.names, transports: c.transports, target: c.target, approvals: c.approvals };
}
