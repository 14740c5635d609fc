/**
 * IR → .trust source (for `imagetrust import`): keys named after their files, repeated requirement lists
 * turned into named levels, scopes grouped by transport with children nested under their parents, and
 * registries.d entries as signatures blocks. Compiling the output gives back a semantically equal model.
 */
import { basename } from "../host/path.js";
import type * as IR from "../ir/types.js";
import { parseNormalizedNamed, referenceString } from "../reference/docker-reference.js";
import { KNOWN_TRANSPORTS } from "../reference/scopes.js";
import { SourceFile } from "../source/source-file.js";
import { quoteString } from "../syntax/strings.js";
import { formatTrustSource } from "./format.js";
import { KEYWORDS, SOFT_KEYWORDS } from "../syntax/tokens.js";

const HARD_KEYWORDS = new Set(KEYWORDS.filter((k) => !SOFT_KEYWORDS.includes(k)));
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Key specifications as the printer collects them (one per distinct key). */
type KeyKind = "gpg" | "sigstore" | "rekor" | "fulcio" | "pki";
interface PrintedKey {
  kind: KeyKind;
  /** The text after `key NAME ` (may span lines). */
  spec: string;
  /** A name suggestion from file names (before making it unique). */
  hint: string;
  name: string;
}

/** Turn a file path into a key name: `/etc/pki/rpm-gpg/RPM-GPG-KEY-redhat-release` → `redhat-release`. */
export function nameFromPath(path: string): string {
  let base = path.split("/").filter((x) => x !== "").pop() ?? "";
  base = base.replace(/^RPM-GPG-KEY-/i, "");
  for (;;) {
    const stripped = base.replace(/\.(gpg|pub|pem|asc|key|crt|cert|kbx|keyring|txt)$/i, "");
    if (stripped === base) break;
    base = stripped;
  }
  return sanitizeName(base.toLowerCase());
}

function sanitizeName(s: string): string {
  let n = s.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/-+/g, "-").replace(/^-+|-+$/g, "");
  if (n === "") return "";
  if (!/^[A-Za-z_]/.test(n)) n = "k-" + n;
  return n;
}

function sourceText(form: "file" | "files" | "data" | "datas", values: string[]): string {
  return `${form} ${values.map(quoteString).join(" ")}`;
}

function identityText(id: IR.IdentityMatch): string {
  switch (id.type) {
    case "matchExact":
      return "exact";
    case "matchRepoDigestOrExact":
      return "repo-digest-or-exact";
    case "matchRepository":
      return "repository";
    case "exactReference":
      return `exact-reference ${quoteString(id.dockerReference)}`;
    case "exactRepository":
      return `exact-repository ${quoteString(id.dockerRepository)}`;
    case "remapIdentity":
      return `remap ${quoteString(id.prefix)} to ${quoteString(id.signedPrefix)}`;
  }
}

class Printer {
  readonly keys = new Map<string, PrintedKey>();
  readonly usedNames = new Set<string>();

  uniqueName(hint: string, fallback: string): string {
    let base = hint && !HARD_KEYWORDS.has(hint) ? hint : "";
    if (base === "") {
      for (let i = 1; ; i++) {
        const n = `${fallback}-${i}`;
        if (!this.usedNames.has(n)) {
          this.usedNames.add(n);
          return n;
        }
      }
    }
    let n = base;
    for (let i = 2; this.usedNames.has(n); i++) n = `${base}-${i}`;
    this.usedNames.add(n);
    return n;
  }

  /** `base-variant-2`, `base-variant-3`, …: a further level built on the same key (never read as another key's name). */
  uniqueVariant(base: string): string {
    for (let i = 2; ; i++) {
      const n = `${base}-variant-${i}`;
      if (!this.usedNames.has(n)) {
        this.usedNames.add(n);
        return n;
      }
    }
  }

  key(kind: KeyKind, spec: string, hint: string): string {
    const id = kind + "\0" + spec;
    let k = this.keys.get(id);
    if (!k) {
      k = { kind, spec, hint, name: "" };
      this.keys.set(id, k);
    }
    return id;
  }

  /** Collect the key a requirement needs; returns ids of the signing key and Rekor key. */
  keysOf(r: IR.Requirement): { key?: string; rekor?: string } {
    if (r.type === "signedBy") {
      const kt = r.keyType && r.keyType !== "GPGKeys" ? `keytype ${r.keyType} ` : "";
      if (r.keyPath !== undefined) return { key: this.key("gpg", kt + sourceText("file", [r.keyPath]), nameFromPath(r.keyPath)) };
      if (r.keyPaths !== undefined) return { key: this.key("gpg", kt + sourceText("files", r.keyPaths), nameFromPath(r.keyPaths[0] ?? "")) };
      return { key: this.key("gpg", kt + sourceText("data", [r.keyData ?? ""]), "") };
    }
    if (r.type !== "sigstoreSigned") return {};
    let key: string | undefined;
    if (r.keyPath !== undefined) key = this.key("sigstore", sourceText("file", [r.keyPath]), nameFromPath(r.keyPath));
    else if (r.keyPaths !== undefined) key = this.key("sigstore", sourceText("files", r.keyPaths), nameFromPath(r.keyPaths[0] ?? ""));
    else if (r.keyData !== undefined) key = this.key("sigstore", sourceText("data", [r.keyData]), "");
    else if (r.keyDatas !== undefined) key = this.key("sigstore", sourceText("datas", r.keyDatas), "");
    else if (r.fulcio) {
      const f = r.fulcio;
      const lines = [
        f.caPath !== undefined ? `ca file ${quoteString(f.caPath)}` : `ca data ${quoteString(f.caData ?? "")}`,
        `issuer ${quoteString(f.oidcIssuer)}`,
        subjectClause(f),
      ];
      key = this.key("fulcio", lines.join("\n"), f.caPath !== undefined ? nameFromPath(f.caPath) : "");
    } else if (r.pki) {
      const p = r.pki;
      const lines: string[] = [];
      if (p.caRootsPath !== undefined) lines.push(`roots file ${quoteString(p.caRootsPath)}`);
      if (p.caRootsData !== undefined) lines.push(`roots data ${quoteString(p.caRootsData)}`);
      if (p.caIntermediatesPath !== undefined) lines.push(`intermediates file ${quoteString(p.caIntermediatesPath)}`);
      if (p.caIntermediatesData !== undefined) lines.push(`intermediates data ${quoteString(p.caIntermediatesData)}`);
      if (p.subjectEmail !== undefined) lines.push(`email ${quoteString(p.subjectEmail)}`);
      if (p.subjectHostname !== undefined) lines.push(`hostname ${quoteString(p.subjectHostname)}`);
      key = this.key("pki", lines.join("\n"), p.caRootsPath !== undefined ? nameFromPath(p.caRootsPath) : "");
    }
    let rekor: string | undefined;
    if (r.rekorPublicKeyPath !== undefined) rekor = this.key("rekor", sourceText("file", [r.rekorPublicKeyPath]), nameFromPath(r.rekorPublicKeyPath));
    else if (r.rekorPublicKeyPaths !== undefined)
      rekor = this.key("rekor", sourceText("files", r.rekorPublicKeyPaths), nameFromPath(r.rekorPublicKeyPaths[0] ?? ""));
    else if (r.rekorPublicKeyData !== undefined) rekor = this.key("rekor", sourceText("data", [r.rekorPublicKeyData]), "");
    else if (r.rekorPublicKeyDatas !== undefined) rekor = this.key("rekor", sourceText("datas", r.rekorPublicKeyDatas), "");
    return { key, rekor };
  }

  requirementText(r: IR.Requirement): string {
    switch (r.type) {
      case "insecureAcceptAnything":
        return "accept";
      case "reject":
        return "reject";
      case "signedBaseLayer":
        return `signed base layer identity ${identityText(r.baseLayerIdentity)}`;
      case "signedBy":
      case "sigstoreSigned": {
        const { key, rekor } = this.keysOf(r);
        let s = `signed by ${key ? this.keys.get(key)!.name : "?"}`;
        if (rekor) s += ` with ${this.keys.get(rekor)!.name}`;
        if (r.signedIdentity) s += ` identity ${identityText(r.signedIdentity)}`;
        return s;
      }
    }
  }
}

function listId(reqs: IR.Requirement[]): string {
  return JSON.stringify(reqs, (k, v) => (k === "origin" ? undefined : v));
}

/** Render a trust model as .trust source, in the canonical layout `fmt` produces. */
export function printTrustModel(model: IR.TrustModel): string {
  const text = printRaw(model);
  return formatTrustSource(new SourceFile("<import>", text)).text ?? text;
}

function printRaw(model: IR.TrustModel): string {
  const p = new Printer();
  const policy = model.policy;
  const lists: IR.Requirement[][] = [policy.default, ...policy.transports.flatMap((t) => t.scopes.map((s) => s.requirements))];

  // Keys first (so levels and scopes can name them), named after their files, unique, never a hard keyword.
  for (const l of lists) for (const r of l) p.keysOf(r);
  const fallback: Record<KeyKind, string> = { gpg: "key", sigstore: "key", rekor: "rekor", fulcio: "fulcio", pki: "pki" };
  for (const k of p.keys.values()) if (k.hint) k.name = p.uniqueName(k.hint, fallback[k.kind]);
  for (const k of p.keys.values()) if (!k.hint) k.name = p.uniqueName("", fallback[k.kind]);

  // Levels for requirement lists used more than once (other than plain accept / reject).
  const count = new Map<string, number>();
  for (const l of lists) count.set(listId(l), (count.get(listId(l)) ?? 0) + 1);
  const levelOf = new Map<string, { name: string; body: string }>();
  const levelLabel = new Map<string, string>();
  for (const t of policy.transports) for (const s of t.scopes) if (s.labels?.level) levelLabel.set(listId(s.requirements), s.labels.level);
  if (policy.defaultLabels?.level) levelLabel.set(listId(policy.default), policy.defaultLabels.level);
  const levelLines: string[] = [];
  for (const l of lists) {
    const id = listId(l);
    if (levelOf.has(id) || l.length === 0) continue;
    const simple = l.length === 1 && (l[0].type === "insecureAcceptAnything" || l[0].type === "reject");
    const labelled = levelLabel.get(id);
    if (simple || ((count.get(id) ?? 0) < 2 && !labelled)) continue;
    const body = l.map((r) => p.requirementText(r)).join(" and ");
    let hint = labelled && NAME_RE.test(labelled) ? labelled : "";
    if (!hint && l.length === 1 && (l[0].type === "signedBy" || l[0].type === "sigstoreSigned")) {
      hint = "signed-by-" + body.split(" ")[2];
    }
    // A second list signed by the same key must not be called `signed-by-K-2`: beside a key `K-2` that reads as
    // "signed by K-2". Number such variants in words instead (`signed-by-K-variant-2`).
    const name = hint.startsWith("signed-by-") && p.usedNames.has(hint) ? p.uniqueVariant(hint) : p.uniqueName(hint, "level");
    levelOf.set(id, { name, body });
    levelLines.push(`level ${name} = ${body}`);
  }
  const bodyText = (l: IR.Requirement[]): string => levelOf.get(listId(l))?.name ?? l.map((r) => p.requirementText(r)).join(" and ");

  const out: string[] = [];
  if (model.target) out.push(`target ${quoteString(model.target)}`, "");
  const keyLines: string[] = [];
  for (const k of p.keys.values()) {
    const [first, ...rest] = k.spec.split("\n");
    if (rest.length === 0) keyLines.push(`key ${k.name} ${k.kind} ${first}`);
    else keyLines.push(`key ${k.name} ${k.kind}\n${[first, ...rest].map((x) => "  " + x).join("\n")}`);
  }
  if (keyLines.length) out.push(...keyLines, "");
  if (levelLines.length) out.push(...levelLines, "");
  out.push(`default ${bodyText(policy.default)}`);

  const approvals: string[] = [];
  for (const t of policy.transports) {
    out.push("");
    const head = NAME_RE.test(t.name) && !HARD_KEYWORDS.has(t.name) && KNOWN.has(t.name) ? t.name : `transport ${quoteString(t.name)}`;
    const scopes = t.scopes.filter((s) => {
      if (t.name !== "docker" || s.labels?.approval === undefined) return true;
      const r = parseNormalizedNamed(s.scope);
      if (!r.ok || r.ref.digest === undefined || r.ref.tag !== undefined || referenceString(r.ref) !== s.scope) return true;
      const body = s.requirements.length === 1 && s.requirements[0].type === "insecureAcceptAnything" ? "" : ` ${bodyText(s.requirements)}`;
      approvals.push(`approve ${quoteString(s.scope)}${body} because ${quoteString(s.labels.approval)}`);
      return false;
    });
    if (scopes.length === 0) {
      out.push(`${head} {}`);
      continue;
    }
    out.push(`${head} {`);
    out.push(...scopeLines(scopes, bodyText));
    out.push("}");
  }
  if (approvals.length) out.push("", ...approvals);

  const rd = model.registriesD;
  const files: string[] = [];
  if (rd.defaultDocker) files.push(rd.defaultDocker.file);
  for (const e of rd.docker) if (!files.includes(e.file)) files.push(e.file);
  for (const f of files) {
    // Named by the file's name: the block names the file compile writes under registries.d, not where it was read.
    out.push("", `signatures ${quoteString(basename(f))} {`);
    const entries: Array<[string, IR.SignatureStorage]> = [];
    if (rd.defaultDocker?.file === f) entries.push(["default", rd.defaultDocker.storage]);
    for (const e of rd.docker) if (e.file === f) entries.push([quoteString(e.scope), e.storage]);
    const width = Math.min(40, Math.max(...entries.map(([k]) => k.length)));
    for (const [k, st] of entries) {
      const settings = storageText(st);
      out.push(settings ? `  ${k.padEnd(width)}  ${settings}` : `  ${k}`);
    }
    out.push("}");
  }

  if (model.expectations.length) {
    out.push("");
    for (const e of model.expectations) {
      const evidence = e.evidence
        ? ` with signatures ${quoteString(e.evidence.signatures)}${e.evidence.manifest !== undefined ? ` manifest ${quoteString(e.evidence.manifest)}` : ""}`
        : "";
      const because = e.because ? ` because ${"code" in e.because ? e.because.code : quoteString(e.because.text)}` : "";
      out.push(`expect ${e.verdict.padEnd(5)} ${quoteString(e.reference)}${e.scope !== undefined ? ` by ${quoteString(e.scope)}` : ""}${evidence}${because}`);
    }
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n") + "\n";
}

/** Transport names written bare; any other name is quoted (`transport "name"`), which the checker does not warn about. */
const KNOWN: ReadonlySet<string> = new Set(KNOWN_TRANSPORTS);

function storageText(s: IR.SignatureStorage): string {
  const parts: string[] = [];
  if (s.lookaside !== undefined) parts.push(`lookaside ${quoteString(s.lookaside)}`);
  if (s.lookasideStaging !== undefined) parts.push(`staging ${quoteString(s.lookasideStaging)}`);
  if (s.sigstore !== undefined) parts.push(`sigstore ${quoteString(s.sigstore)}`);
  if (s.sigstoreStaging !== undefined) parts.push(`sigstore-staging ${quoteString(s.sigstoreStaging)}`);
  if (s.useSigstoreAttachments !== undefined) parts.push(s.useSigstoreAttachments ? "attachments" : "no attachments");
  return parts.join(" ");
}

/** Scope lines of one transport with children nested under their closest parent. */
function scopeLines(scopes: IR.ScopeEntry[], bodyText: (l: IR.Requirement[]) => string): string[] {
  const parentOf = new Map<IR.ScopeEntry, IR.ScopeEntry>();
  for (const s of scopes) {
    let best: IR.ScopeEntry | undefined;
    for (const q of scopes) {
      if (q === s || q.scope === "" || !s.scope.startsWith(q.scope + "/") || s.scope.length === q.scope.length + 1) continue;
      if (!best || q.scope.length > best.scope.length) best = q;
    }
    if (best) parentOf.set(s, best);
  }
  const childrenOf = (parent: IR.ScopeEntry | undefined) => scopes.filter((s) => parentOf.get(s) === parent);
  const lines: string[] = [];
  const emit = (list: IR.ScopeEntry[], parent: IR.ScopeEntry | undefined, indent: string) => {
    const keys = list.map((s) => (s.scope === "" && !parent ? "default" : quoteString(parent ? s.scope.slice(parent.scope.length + 1) : s.scope)));
    const width = Math.min(48, Math.max(...keys.map((k) => k.length)));
    list.forEach((s, i) => {
      const kids = childrenOf(s);
      const head = `${indent}${keys[i].padEnd(width)}  ${bodyText(s.requirements)}`;
      if (kids.length === 0) {
        lines.push(head);
        return;
      }
      lines.push(head + " {");
      emit(kids, s, indent + "  ");
      lines.push(`${indent}}`);
    });
  };
  // The transport default first, then the rest in document order.
  const top = childrenOf(undefined);
  emit([...top.filter((s) => s.scope === ""), ...top.filter((s) => s.scope !== "")], undefined, "  ");
  return lines;
}

/** The subject clause of a fulcio key: `email "…"`, or a workflow identity (`workflow [prefix|regexp] "URI"`). */
function subjectClause(f: { subjectEmail?: string; subjectURI?: { match: "exact" | "prefix" | "regexp"; value: string } }): string {
  if (f.subjectURI) return `workflow ${f.subjectURI.match === "exact" ? "" : f.subjectURI.match + " "}${quoteString(f.subjectURI.value)}`;
  return `email ${quoteString(f.subjectEmail ?? "")}`;
}
