/**
 * AST → IR: lowers a checked .trust file into a TrustModel (ir/types.ts). Every IR node's origin points into
 * the .trust file; scope entries carry `labels.level` (the level they name) and approvals `labels.approval`.
 * Run only on files the checker passed; on anything else it still returns a model, never throws.
 */
import type * as IR from "../ir/types.js";
import { formatVersion } from "../ir/versions.js";
import type { SourceFile } from "../source/source-file.js";
import type * as A from "../syntax/ast.js";
import type { CheckResult, ExpandedRequirement, NamedDecl } from "./check-context.js";
import { expandBody } from "./check-names.js";

/** The registries.d file name a signatures block without a name lowers to: the .trust file's stem + ".yaml". */
export function defaultRegistriesDFile(sourcePath: string): string {
  const base = sourcePath.split(/[\\/]/).pop() ?? "";
  const stem = base.replace(/\.trust$/, "");
  return (stem === "" || stem.startsWith("<") ? "imagetrust" : stem) + ".yaml";
}

class Lowerer {
  constructor(
    readonly source: SourceFile,
    readonly names: ReadonlyMap<string, NamedDecl>,
  ) {}

  identity(spec: A.IdentitySpec, depth = 0): IR.IdentityMatch {
    const origin = spec.span;
    switch (spec.kind) {
      case "exact":
        return { type: "matchExact", origin };
      case "repo-digest-or-exact":
        return { type: "matchRepoDigestOrExact", origin };
      case "repository":
        return { type: "matchRepository", origin };
      case "exact-reference":
        return { type: "exactReference", dockerReference: spec.reference.value, origin };
      case "exact-repository":
        return { type: "exactRepository", dockerRepository: spec.repository.value, origin };
      case "remap":
        return { type: "remapIdentity", prefix: spec.prefix.value, signedPrefix: spec.signedPrefix.value, origin };
      case "named": {
        const d = this.names.get(spec.name.name);
        if (d?.type === "identity" && depth < 50) return this.identity(d.spec, depth + 1);
        return { type: "matchRepoDigestOrExact", origin };
      }
    }
  }

  requirement(r: A.Requirement): IR.Requirement {
    const origin = r.span;
    switch (r.kind) {
      case "accept":
        return { type: "insecureAcceptAnything", origin };
      case "reject":
        return { type: "reject", origin };
      case "signedBaseLayer":
        return { type: "signedBaseLayer", baseLayerIdentity: this.identity(r.identity), origin };
      case "signedBy": {
        const key = this.names.get(r.key.name);
        const identity = r.identity ? this.identity(r.identity) : undefined;
        if (key?.type !== "key" || key.spec.kind === "rekor") return { type: "reject", origin };
        const spec = key.spec;
        if (spec.kind === "gpg") {
          const keyType = (spec.keyType ? ("name" in spec.keyType ? spec.keyType.name : spec.keyType.value) : "GPGKeys") as IR.SignedByKeyType;
          const out: IR.SignedBy = { type: "signedBy", keyType, origin };
          const v = spec.source.values.map((x) => x.value);
          if (spec.source.form === "file") out.keyPath = v[0];
          else if (spec.source.form === "files") out.keyPaths = v;
          else out.keyData = v[0];
          if (identity) out.signedIdentity = identity;
          return out;
        }
        const out: IR.SigstoreSigned = { type: "sigstoreSigned", origin };
        if (spec.kind === "sigstore") {
          const v = spec.source.values.map((x) => x.value);
          if (spec.source.form === "file") out.keyPath = v[0];
          else if (spec.source.form === "files") out.keyPaths = v;
          else if (spec.source.form === "data") out.keyData = v[0];
          else out.keyDatas = v;
        } else if (spec.kind === "fulcio") {
          const f: IR.FulcioConfig = { oidcIssuer: "", origin: spec.span };
          for (const c of spec.clauses) {
            if (c.clause === "ca") {
              if (c.form === "data") f.caData = c.value.value;
              else f.caPath = c.value.value;
            } else if (c.clause === "issuer") f.oidcIssuer = c.value.value;
            else if (c.clause === "email") f.subjectEmail = c.value.value;
            else if (c.clause === "workflow") f.subjectURI = { match: c.match ?? "exact", value: c.value.value, origin: c.span };
          }
          out.fulcio = sortFulcio(f);
        } else {
          const p: IR.PkiConfig = { origin: spec.span };
          for (const c of spec.clauses) {
            const v = c.value.value;
            if (c.clause === "roots") {
              if (c.form === "data") p.caRootsData = v;
              else p.caRootsPath = v;
            } else if (c.clause === "intermediates") {
              if (c.form === "data") p.caIntermediatesData = v;
              else p.caIntermediatesPath = v;
            } else if (c.clause === "email") p.subjectEmail = v;
            else if (c.clause === "hostname") p.subjectHostname = v;
          }
          out.pki = p;
        }
        if (r.rekor) {
          const rk = this.names.get(r.rekor.name);
          if (rk?.type === "key" && rk.spec.kind === "rekor") {
            const v = rk.spec.source.values.map((x) => x.value);
            const f = rk.spec.source.form;
            if (f === "file") out.rekorPublicKeyPath = v[0];
            else if (f === "files") out.rekorPublicKeyPaths = v;
            else if (f === "data") out.rekorPublicKeyData = v[0];
            else out.rekorPublicKeyDatas = v;
          }
        }
        if (identity) out.signedIdentity = identity;
        return out;
      }
    }
  }

  /** expandBody of a body that names one level, per level (scopes mostly name one level). */
  private readonly expandedLevels = new Map<string, ExpandedRequirement[]>();

  body(b: A.LevelBody): { requirements: IR.Requirement[]; labels?: IR.Labels } {
    const only = b.terms.length === 1 ? b.terms[0] : undefined;
    let expanded: ExpandedRequirement[];
    if (only?.kind === "levelRef") {
      const cached = this.expandedLevels.get(only.name.name);
      expanded = cached ?? expandBody(b, this.names);
      if (!cached) this.expandedLevels.set(only.name.name, expanded);
    } else {
      expanded = expandBody(b, this.names);
    }
    // Fresh IR objects for every scope (consumers may annotate one scope's requirements).
    const requirements = expanded.map((x) => this.requirement(x.requirement));
    const labels = only?.kind === "levelRef" ? { level: only.name.name } : undefined;
    return { requirements, labels };
  }
}

function sortFulcio(f: IR.FulcioConfig): IR.FulcioConfig {
  const out: IR.FulcioConfig = { oidcIssuer: f.oidcIssuer };
  if (f.subjectEmail !== undefined) out.subjectEmail = f.subjectEmail;
  if (f.subjectURI !== undefined) out.subjectURI = f.subjectURI;
  if (f.caPath !== undefined) out.caPath = f.caPath;
  if (f.caData !== undefined) out.caData = f.caData;
  if (f.origin) out.origin = f.origin;
  return out;
}

/** Lower a checked file to the IR. */
export function lowerTrustFile(source: SourceFile, file: A.TrustFile, checked: CheckResult): IR.TrustModel {
  const l = new Lowerer(source, checked.names);
  // The base plus the selected profile when the source has profiles (check-profiles.ts).
  if (checked.statements) file = { ...file, statements: checked.statements };
  const def = file.statements.find((s): s is A.DefaultDecl => s.type === "default");
  const d = def ? l.body(def.body) : { requirements: [] as IR.Requirement[] };
  const approvalByScope = new Map(checked.approvals.map((a) => [a.scope, a.decl]));
  const policy: IR.Policy = {
    default: d.requirements,
    transports: checked.transports.map((t) => ({
      name: t.name,
      keyOrigin: t.nameSpan,
      origin: t.span,
      scopes: t.scopes.map((s) => {
        const lowered = l.body(s.entry.body);
        const entry: IR.ScopeEntry = { scope: s.scope, keyOrigin: s.keySpan, origin: s.entry.span, requirements: lowered.requirements };
        const labels: IR.Labels = { ...lowered.labels };
        const approval = t.name === "docker" ? approvalByScope.get(s.scope) : undefined;
        if (approval && approval.span === s.entry.span) {
          labels.approval = approval.reason.value;
          if (approval.approver) labels.approvedBy = approval.approver.value;
          if (approval.until) labels.approvalUntil = approval.until.value;
        }
        if (s.enforcedBy) labels.enforcedBy = s.enforcedBy;
        if (s.profile !== undefined) labels.profile = s.profile;
        if (labels.level !== undefined || labels.approval !== undefined || labels.enforcedBy !== undefined || labels.profile !== undefined) entry.labels = labels;
        return entry;
      }),
    })),
    transportsPresent: checked.transports.length > 0,
    origin: file.span,
  };
  if (def) {
    policy.defaultOrigin = def.span;
    if (d.labels) policy.defaultLabels = d.labels;
  }

  const registriesD: IR.RegistriesDConfig = { docker: [] };
  for (const s of file.statements) {
    if (s.type !== "signatures") continue;
    const fileName = s.file?.value || defaultRegistriesDFile(source.path);
    for (const e of s.entries) {
      const storage: IR.SignatureStorage = { origin: e.span };
      for (const set of e.settings) {
        if (set.kind === "attachments") storage.useSigstoreAttachments ??= set.value;
        else if (set.kind === "lookaside") storage.lookaside ??= set.url.value;
        else if (set.kind === "staging") storage.lookasideStaging ??= set.url.value;
        else if (set.kind === "sigstore") storage.sigstore ??= set.url.value;
        else storage.sigstoreStaging ??= set.url.value;
      }
      if (!e.scope) {
        registriesD.defaultDocker ??= { file: fileName, storage, keyOrigin: e.span };
      } else if (!registriesD.docker.some((x) => x.scope === e.scope!.value)) {
        registriesD.docker.push({ scope: e.scope.value, keyOrigin: e.scope.span, file: fileName, storage });
      }
    }
  }

  const expectations: IR.Expectation[] = file.statements
    .filter((s): s is A.ExpectDecl => s.type === "expect")
    .map((e) => {
      const x: IR.Expectation = { verdict: e.verdict, reference: e.reference.value, origin: e.span };
      if (e.scope) x.scope = e.scope.value;
      if (e.evidence) x.evidence = e.evidence.manifest ? { signatures: e.evidence.signatures.value, manifest: e.evidence.manifest.value } : { signatures: e.evidence.signatures.value };
      if (e.because) x.because = e.because.kind === "code" ? { code: e.because.code.name } : { text: e.because.text.value };
      return x;
    });

  const model: IR.TrustModel = { policy, registriesD, expectations };
  // The effective target ("latest" resolved), as the emitters and the simulator read it.
  if (checked.target) model.target = formatVersion(checked.target);
  if (checked.profile !== undefined) model.profile = { name: checked.profile, overrides: checked.overrides ?? [] };
  if (checked.profiles?.length) model.profiles = checked.profiles;
  return model;
}
